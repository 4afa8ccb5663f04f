"""The organisation profile (2.1 / L2.2): reference fields, logo and documents.

Naam, type, status and CBS-code belong to functioneel beheer and are not changed here. Every
upload is checked by its content, not by the name or type the browser sent.
"""

from __future__ import annotations

import os
import uuid as uuidlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from core.accounts import AccountError, audit
from core.accounts.roles import require_manager, single_line
from core.accounts.uploads import DOCUMENT_TYPES, KVK_PATTERN, check_document, check_logo
from core.actors import Actor
from core.constants import OrganisationType
from core.models import Organisation, OrganisationDocument
from core.services import NotAllowed

# Only these types choose public documents; for government organisations they stay private.
PUBLIC_DOCUMENT_TYPES = (OrganisationType.LEVERANCIER, OrganisationType.COMMUNITY)

MULTI_LINE = ("beschrijving_lang",)
# Field → (maximum length, Dutch label); what a beheerder may change on "Mijn organisatie".
EDITABLE = {
    "weergavenaam": (255, "Weergavenaam"),
    "beschrijving_kort": (255, "Korte beschrijving"),
    "beschrijving_lang": (5000, "Lange beschrijving"),
    "website": (200, "Website"),
    "email": (254, "E-mailadres"),
    "telefoonnummer": (30, "Telefoonnummer"),
    "kvk_nummer": (20, "KvK-nummer"),
}


class ProfileError(AccountError):
    """Input refused, with one Dutch message per field (``errors``) so a form can show them."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def editable_fields(org: Organisation) -> list[str]:
    """The KvK number belongs to leveranciers; the other fields to every organisation."""
    return [f for f in EDITABLE if f != "kvk_nummer" or org.type == OrganisationType.LEVERANCIER]


def may_publish_documents(org: Organisation) -> bool:
    return org.type in PUBLIC_DOCUMENT_TYPES


def _clean(org: Organisation, data: dict) -> dict[str, str]:
    allowed = editable_fields(org)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise NotAllowed("Deze gegevens wijzigt alleen functioneel beheer: " + ", ".join(unknown))
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for name in allowed:
        if name not in data:
            continue
        value = data[name] or ""
        value = value.strip() if name in MULTI_LINE else single_line(value)
        limit, label = EDITABLE[name]
        if len(value) > limit:
            errors[name] = f"{label}: maximaal {limit} tekens (nu {len(value)})."
            continue
        values[name] = value
    checks = {
        "website": (URLValidator(schemes=["http", "https"]), "Vul een geldig webadres in."),
        "email": (EmailValidator(), "Vul een geldig e-mailadres in."),
    }
    for name, (validator, message) in checks.items():
        if values.get(name):
            try:
                validator(values[name])
            except ValidationError:
                errors[name] = message
    if values.get("kvk_nummer") and not KVK_PATTERN.match(values["kvk_nummer"]):
        errors["kvk_nummer"] = "Een KvK-nummer bestaat uit 8 cijfers."
    if errors:
        raise ProfileError(errors)
    return values


def _delete_file_later(field) -> None:
    name, storage = field.name, field.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def update_profile(
    org: Organisation,
    data: dict,
    *,
    actor: Actor,
    logo=None,
    remove_logo: bool = False,
) -> Organisation:
    """Change the profile fields given in `data`, and replace or remove the logo."""
    require_manager(actor, org, "het profiel wijzigen")
    values = _clean(org, data)
    logo_content = None
    if logo is not None:
        try:
            logo_content = check_logo(logo)
        except AccountError as exc:
            raise ProfileError({"logo": str(exc)}) from None
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    changed = [name for name, value in values.items() if getattr(org, name) != value]
    for name in changed:
        setattr(org, name, values[name])
    if logo_content is not None or (remove_logo and org.logo):
        _delete_file_later(org.logo)
        org.logo = None
        changed.append("logo")
    if logo_content is not None:
        content, extension = logo_content
        org.logo.save(
            f"{org.uuid}-{uuidlib.uuid4().hex[:8]}.{extension}", ContentFile(content), save=False
        )
    if not changed:
        return org
    org.save()
    audit.record(
        "organisatie.profiel",
        actor=actor,
        organisation=org,
        target=org.naam,
        details={"gewijzigd": changed},
    )
    return org


def _filename(name: str, extension: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip() or f"document.{extension}"
    return base[:200]


@transaction.atomic
def add_document(
    org: Organisation, *, actor: Actor, naam: str, upload, openbaar: bool = False
) -> OrganisationDocument:
    """A certificate or statement (e.g. ISO 27001); public only for leveranciers/communities."""
    require_manager(actor, org, "het profiel wijzigen")
    naam = (naam or "").strip()
    errors = {}
    if not naam:
        errors["naam"] = "Geef het document een naam."
    elif len(naam) > 200:
        errors["naam"] = "De naam is maximaal 200 tekens."
    if openbaar and not may_publish_documents(org):
        errors["openbaar"] = "Documenten van deze organisatie zijn altijd besloten."
    content, extension = b"", ""
    if upload is None:
        errors["bestand"] = "Kies een bestand."
    else:
        try:
            content, extension = check_document(upload)
        except AccountError as exc:
            errors["bestand"] = str(exc)
    if errors:
        raise ProfileError(errors)
    document = OrganisationDocument(
        organisation=org,
        naam=naam,
        filename=_filename(getattr(upload, "name", ""), extension),
        content_type=DOCUMENT_TYPES[extension],
        openbaar=bool(openbaar),
    )
    document.bestand.save(f"{document.uuid}.{extension}", ContentFile(content), save=False)
    try:
        document.save()
    except Exception:
        document.bestand.delete(save=False)
        raise
    audit.record(
        "organisatie.document.toegevoegd",
        actor=actor,
        organisation=org,
        target=naam,
        details={"document": str(document.uuid), "openbaar": document.openbaar},
    )
    return document


@transaction.atomic
def set_document_public(
    document: OrganisationDocument, openbaar: bool, *, actor: Actor
) -> OrganisationDocument:
    """Publish or withdraw a document from the public organisation page."""
    require_manager(actor, document.organisation, "het profiel wijzigen")
    if openbaar and not may_publish_documents(document.organisation):
        raise AccountError("Documenten van deze organisatie zijn altijd besloten.")
    if document.openbaar == openbaar:
        return document
    document.openbaar = openbaar
    document.save(update_fields=["openbaar"])
    audit.record(
        "organisatie.document.openbaar" if openbaar else "organisatie.document.besloten",
        actor=actor,
        organisation=document.organisation,
        target=document.naam,
        details={"document": str(document.uuid)},
    )
    return document


@transaction.atomic
def delete_document(document: OrganisationDocument, *, actor: Actor) -> None:
    require_manager(actor, document.organisation, "het profiel wijzigen")
    audit.record(
        "organisatie.document.verwijderd",
        actor=actor,
        organisation=document.organisation,
        target=document.naam,
        details={"document": str(document.uuid)},
    )
    _delete_file_later(document.bestand)
    document.delete()
