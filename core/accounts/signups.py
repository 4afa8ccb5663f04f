"""Leverancier sign-up ("Aanmelden"): the only organisation type that signs up itself.

The journey: the form stores a `SignUp` and e-mails a link; confirming the address creates
the organisation in status Concept and puts the sign-up in functioneel beheer's inbox;
activation (`organisations.set_status`) invites the contact person as first aanbod-beheerder,
a refusal (`decline`) leaves the concept organisation Inactief, never deleted.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.accounts import AccountError, audit, mail
from core.accounts.links import absolute, hash_token, new_token
from core.accounts.notifications import notify_functioneel_beheer
from core.accounts.roles import require_functioneel_beheer
from core.accounts.uploads import KVK_PATTERN, check_logo
from core.actors import Actor
from core.constants import OrganisationStatus, OrganisationType
from core.models import Organisation, SignUp

SIGNUP_VALID = timedelta(hours=72)
# Containment ("Acme" in "Acme Software BV") only counts for names at least this long, so
# that a short name such as "IT" does not match half the catalogue.
MIN_CONTAINED_LENGTH = 4
TRIGRAM_THRESHOLD = 0.5  # "Acme Sofware" ~ "Acme Software" (0.69); unrelated names < 0.2

Status = SignUp.Status


# --- submitting and confirming ----------------------------------------------------


def open_sign_ups():
    """Sign-ups still running: unconfirmed with a usable link, or waiting for review."""
    return SignUp.objects.filter(
        Q(status=Status.TE_BEOORDELEN)
        | Q(status=Status.E_MAIL_ONBEVESTIGD, expires_at__gt=timezone.now())
    )


def _refuse_duplicates(email: str, organisatienaam: str) -> None:
    running = open_sign_ups()
    if running.filter(email__iexact=email).exists():
        raise AccountError(
            "Er loopt al een aanmelding met dit e-mailadres. Bevestig uw e-mailadres met de "
            "link uit de e-mail die u kreeg, of wacht op de beoordeling door VNG."
        )
    if running.filter(organisatienaam__iexact=organisatienaam).exists():
        raise AccountError(
            f"Er loopt al een aanmelding voor “{organisatienaam}”. Neem contact op met uw "
            "collega die de organisatie aanmeldde, of met VNG Realisatie."
        )


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for field, errors in error.message_dict.items():
            label = SignUp._meta.get_field(field).verbose_name
            parts.append(f"{label}: {' '.join(errors)}")
        return " ".join(parts)
    return " ".join(error.messages)


@transaction.atomic
def submit(
    *,
    organisatienaam: str,
    beschrijving_kort: str,
    website: str,
    voornaam: str,
    achternaam: str,
    email: str,
    consent: bool,
    tussenvoegsel: str = "",
    telefoonnummer: str = "",
    kvk_nummer: str = "",
    logo=None,
    actor: Actor | None = None,
) -> SignUp:
    """Store a sign-up and e-mail the confirmation link; refuses duplicates of a running one."""
    if not consent:
        raise AccountError(
            "Ga akkoord met de richtlijnen en de opslag van uw persoonsgegevens om u aan te melden."
        )
    organisatienaam = " ".join(organisatienaam.split())
    email = email.strip().lower()
    kvk_nummer = re.sub(r"\s", "", kvk_nummer or "")
    if kvk_nummer and not KVK_PATTERN.match(kvk_nummer):
        raise AccountError("Een KvK-nummer bestaat uit 8 cijfers.")
    raw, digest = new_token()
    sign_up = SignUp(
        organisatienaam=organisatienaam,
        beschrijving_kort=beschrijving_kort.strip(),
        website=website.strip(),
        kvk_nummer=kvk_nummer,
        voornaam=voornaam.strip(),
        tussenvoegsel=tussenvoegsel.strip(),
        achternaam=achternaam.strip(),
        email=email,
        telefoonnummer=telefoonnummer.strip(),
        consent_at=timezone.now(),
        token_hash=digest,
        expires_at=timezone.now() + SIGNUP_VALID,
    )
    try:
        sign_up.full_clean(exclude=["logo", "token_hash", "status", "uuid"])
    except ValidationError as exc:
        raise AccountError(_validation_message(exc)) from exc
    # Two people pressing "Aanmelden" at once must not both get past the duplicate check.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('swc-aanmelding'))")
    _refuse_duplicates(email, organisatienaam)
    if logo:
        content, extension = check_logo(logo)
        sign_up.logo.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    sign_up.save()
    mail.send(
        "aanmelding_bevestigen",
        email,
        {
            "sign_up": sign_up,
            "url": absolute(reverse("signup-verify", args=[raw])),
            "hours": int(SIGNUP_VALID.total_seconds() // 3600),
        },
    )
    audit.record(
        "aanmelding.ingediend",
        actor=actor,
        target=organisatienaam,
        details={"email": email, "aanmelding": str(sign_up.uuid)},
    )
    return sign_up


def find(raw: str) -> tuple[SignUp | None, str]:
    """The unconfirmed sign-up behind a link, or None and a Dutch reason it does not work."""
    sign_up = SignUp.objects.filter(token_hash=hash_token(raw)).first()
    if sign_up is None:
        return None, "Deze bevestigingslink is onbekend. Controleer of u de hele link gebruikt."
    if sign_up.status == Status.TE_BEOORDELEN:
        return None, (
            "Deze bevestigingslink is al gebruikt. Uw aanmelding is ontvangen; u hoort van "
            "VNG Realisatie zodra zij is beoordeeld."
        )
    if sign_up.status != Status.E_MAIL_ONBEVESTIGD:
        return None, "Deze bevestigingslink is al gebruikt; over de aanmelding is besloten."
    if sign_up.expires_at <= timezone.now():
        return None, (
            "Deze bevestigingslink is verlopen (een link is 72 uur geldig). Meld uw organisatie "
            "opnieuw aan."
        )
    return sign_up, ""


@transaction.atomic
def verify(raw: str, *, actor: Actor | None = None) -> SignUp:
    """Confirm the e-mail address: the organisation appears as Concept, review starts."""
    found, reason = find(raw)
    if found is None:
        raise AccountError(reason)
    sign_up = SignUp.objects.select_for_update().get(pk=found.pk)
    if sign_up.status != Status.E_MAIL_ONBEVESTIGD:  # confirmed in a parallel request
        raise AccountError("Deze bevestigingslink is al gebruikt.")
    org = Organisation(
        type=OrganisationType.LEVERANCIER,
        status=OrganisationStatus.CONCEPT,
        naam=sign_up.organisatienaam,
        beschrijving_kort=sign_up.beschrijving_kort,
        website=sign_up.website,
        kvk_nummer=sign_up.kvk_nummer,
    )
    if sign_up.logo:
        with sign_up.logo.open("rb") as source:
            content = source.read()
        extension = sign_up.logo.name.rsplit(".", 1)[-1]
        org.logo.save(f"{org.uuid.hex}.{extension}", ContentFile(content), save=False)
    org.save()
    sign_up.organisation = org
    sign_up.status = Status.TE_BEOORDELEN
    sign_up.email_verified_at = timezone.now()
    sign_up.save(update_fields=["organisation", "status", "email_verified_at"])
    audit.record(
        "aanmelding.bevestigd",
        actor=actor,
        organisation=org,
        target=org.naam,
        details={"email": sign_up.email, "aanmelding": str(sign_up.uuid)},
    )
    mail.send("aanmelding_bevestigd", sign_up.email, {"sign_up": sign_up})
    notify_functioneel_beheer(
        "toegangsverzoek",
        f"Nieuwe aanmelding: {org.naam}",
        f"{org.naam} heeft zich aangemeld als leverancier (contactpersoon "
        f"{sign_up.contact_naam}, {sign_up.email}). Beoordeel de aanmelding bij "
        "“Te beoordelen” in de beheeromgeving.",
        url=inbox_url(),
    )
    return sign_up


def inbox_url() -> str:
    """Functioneel beheer's "Te beoordelen" inbox in the admin (registered by core's hooks)."""
    try:
        return reverse("swc_inbox")
    except NoReverseMatch:
        return ""


def admin_url(org: Organisation | None) -> str:
    """The organisation's page in the admin, or "" when the admin does not offer one."""
    if org is None:
        return ""
    try:
        return reverse("core_organisation_modeladmin_inspect", args=[org.pk])
    except NoReverseMatch:
        return ""


# --- review by functioneel beheer ---------------------------------------------------


def _lock_for_review(sign_up: SignUp) -> SignUp:
    sign_up = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=sign_up.pk)
    )
    if sign_up.status != Status.TE_BEOORDELEN or sign_up.organisation is None:
        raise AccountError(f"De aanmelding van {sign_up.organisatienaam} is al afgehandeld.")
    return sign_up


@transaction.atomic
def accept(sign_up: SignUp, *, actor: Actor) -> Organisation:
    """Activate the organisation; `set_status` invites the contact as first aanbod-beheerder."""
    from core.accounts import organisations

    require_functioneel_beheer(actor, "aanmeldingen beoordelen")
    sign_up = _lock_for_review(sign_up)
    return organisations.set_status(sign_up.organisation, OrganisationStatus.ACTIEF, actor=actor)


@transaction.atomic
def decline(sign_up: SignUp, *, actor: Actor, reason: str = "") -> SignUp:
    """Refuse: the concept organisation becomes Inactief (kept for the record), the contact
    hears why."""
    from core.accounts import organisations

    require_functioneel_beheer(actor, "aanmeldingen beoordelen")
    sign_up = _lock_for_review(sign_up)
    reason = reason.strip()
    sign_up.status = Status.AFGEWEZEN
    sign_up.decided_by = actor.user
    sign_up.decided_at = timezone.now()
    sign_up.save(update_fields=["status", "decided_by", "decided_at"])
    org = sign_up.organisation
    if org.status != OrganisationStatus.INACTIEF:
        organisations.set_status(org, OrganisationStatus.INACTIEF, actor=actor)
    audit.record(
        "aanmelding.afgewezen",
        actor=actor,
        organisation=org,
        target=sign_up.organisatienaam,
        details={"reden": reason, "aanmelding": str(sign_up.uuid)},
    )
    mail.send("aanmelding_afgewezen", sign_up.email, {"sign_up": sign_up, "reason": reason})
    return sign_up


# --- similar organisations ------------------------------------------------------------


def normalise(name: str) -> str:
    """Lower case, letters and digits only: "Acme-Software B.V." → "acmesoftwarebv"."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _has_trigram() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _describe(org: Organisation) -> str:
    return f"“{org.naam}” ({org.type}, {org.status.lower()})"


def similar(sign_up: SignUp) -> list[str]:
    """Warnings for the reviewer: organisations with the same KvK number or a similar name,
    and earlier refused sign-ups of the same address or name."""
    return similar_many([sign_up])[0]


def similar_many(sign_ups: list[SignUp]) -> list[list[str]]:
    """`similar` for many sign-ups at once (the inbox): the same warnings in a fixed number
    of queries, however many sign-ups wait. Returns one list per sign-up, in order."""
    warnings: list[list[str]] = [[] for _ in sign_ups]
    for index, org in _same_kvk(sign_ups):
        kvk = sign_ups[index].kvk_nummer
        warnings[index].append(f"Zelfde KvK-nummer ({kvk}) als {_describe(org)}.")
    for index, org in _similar_names(sign_ups):
        warnings[index].append(f"Lijkt op de bestaande organisatie {_describe(org)}.")
    for index, old in _refused_before(sign_ups):
        when = f" op {timezone.localtime(old.decided_at):%d-%m-%Y}" if old.decided_at else ""
        warnings[index].append(
            f"Een eerdere aanmelding van “{old.organisatienaam}” ({old.email}) is{when} afgewezen."
        )
    return warnings


def _same_kvk(sign_ups: list[SignUp]):
    """(index, organisation) pairs: at most five other organisations per KvK number."""
    numbers = {s.kvk_nummer for s in sign_ups if s.kvk_nummer}
    if not numbers:
        return
    found = list(Organisation.objects.filter(kvk_nummer__in=numbers).order_by("naam", "pk"))
    for index, sign_up in enumerate(sign_ups):
        if sign_up.kvk_nummer:
            matches = [
                org
                for org in found
                if org.kvk_nummer == sign_up.kvk_nummer and org.pk != sign_up.organisation_id
            ]
            yield from ((index, org) for org in matches[:5])


def _similar_names(sign_ups: list[SignUp]):
    """(index, organisation) pairs: at most ten other organisations per sign-up whose name
    equals, contains or lies inside its name (normalised), or resembles it (trigrams), in
    one query over all sign-ups."""
    rows = [(i, normalise(s.organisatienaam), s) for i, s in enumerate(sign_ups)]
    rows = [(i, name, s) for i, name, s in rows if name]
    if not rows:
        return
    table = Organisation._meta.db_table
    likeness = "OR similarity(o.naam, s.raw) >= %s" if _has_trigram() else ""
    sql = f"""
        SELECT o.*, m.idx AS sign_up_index FROM (
            SELECT o.id, s.idx,
                   row_number() OVER (PARTITION BY s.idx ORDER BY o.naam, o.id) AS rank
            FROM unnest(%s::int[], %s::text[], %s::text[], %s::int[]) AS s(idx, norm, raw, own)
            JOIN {table} o ON o.id IS DISTINCT FROM s.own
            CROSS JOIN LATERAL (
                -- `normalise` in SQL ([:alnum:] follows the database's Unicode locale)
                SELECT lower(regexp_replace(o.naam, '[^[:alnum:]]+', '', 'g')) AS norm
            ) n
            WHERE n.norm = s.norm
               OR (length(n.norm) >= %s AND strpos(s.norm, n.norm) > 0)
               OR (length(s.norm) >= %s AND strpos(n.norm, s.norm) > 0)
               {likeness}
        ) m JOIN {table} o ON o.id = m.id
        WHERE m.rank <= 10
        ORDER BY m.idx, m.rank
    """  # the table name is ours; every value is a parameter
    params = [
        [i for i, _, _ in rows],
        [name for _, name, _ in rows],
        [s.organisatienaam for _, _, s in rows],
        [s.organisation_id for _, _, s in rows],
        MIN_CONTAINED_LENGTH,
        MIN_CONTAINED_LENGTH,
    ]
    if likeness:
        params.append(TRIGRAM_THRESHOLD)
    for org in Organisation.objects.raw(sql, params):
        yield org.sign_up_index, org


def _refused_before(sign_ups: list[SignUp]):
    """(index, sign-up) pairs: at most three earlier refused sign-ups per sign-up with the
    same e-mail address or organisation name (case-insensitive), newest first."""
    emails = {s.email.lower() for s in sign_ups}
    names = {s.organisatienaam.lower() for s in sign_ups}
    refused = list(
        SignUp.objects.filter(status=Status.AFGEWEZEN)
        .annotate(email_lower=Lower("email"), naam_lower=Lower("organisatienaam"))
        .filter(Q(email_lower__in=emails) | Q(naam_lower__in=names))
        .order_by(F("decided_at").desc(nulls_first=True), "pk")
    )
    for index, sign_up in enumerate(sign_ups):
        email, name = sign_up.email.lower(), sign_up.organisatienaam.lower()
        matches = [
            old
            for old in refused
            if old.pk != sign_up.pk and (old.email_lower == email or old.naam_lower == name)
        ]
        yield from ((index, old) for old in matches[:3])


__all__ = [
    "SIGNUP_VALID",
    "accept",
    "admin_url",
    "inbox_url",
    "decline",
    "find",
    "normalise",
    "open_sign_ups",
    "similar",
    "similar_many",
    "submit",
    "verify",
]
