"""Organisations and accounts as plugins see them: names, deelnemers, members, notifications.

Plugins never import core internals (DESIGN §3 rule 5); these few functions are what a plugin
needs to know about organisations and people, and how it tells them something. Organisations
are named by uuid, as register data names them.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.accounts import AccountError

__all__ = [
    "BEHEERDER_ROLES",
    "AccountError",
    "acting_actors",
    "add_deelnemingen",
    "decided_keys",
    "deelnemers_of",
    "organisations_by_code",
    "functioneel_beheer_actor",
    "has_active_member",
    "notify_organisation",
    "organisation_name",
    "organisation_names",
    "reads_review",
    "record",
    "register_concept_supplier",
    "supplier_exists",
]

# An organisation's beheerders: they get the e-mails about its content.
BEHEERDER_ROLES = ("aanbod-beheerder", "gebruik-beheerder")


def _valid(uuids: Iterable[str]) -> list[str]:
    from core.register.validation import is_uuid

    return [str(u) for u in uuids if u and is_uuid(str(u))]


def _organisation(uuid: str):
    from core.models import Organisation

    found = _valid([uuid])
    return Organisation.objects.filter(uuid=found[0]).first() if found else None


def organisation_names(uuids: Iterable[str]) -> dict[str, str]:
    """The display name (weergavenaam, else naam) of each organisation uuid that exists."""
    from core.models import Organisation

    rows = Organisation.objects.filter(uuid__in=_valid(uuids)).values_list(
        "uuid", "weergavenaam", "naam"
    )
    return {str(uid): shown or naam for uid, shown, naam in rows}


def organisation_name(uuid: str) -> str:
    """The display name of one organisation, or "" when it does not exist."""
    return organisation_names([uuid]).get(str(uuid), "")


def deelnemers_of(samenwerking_uuid: str) -> set[str]:
    """Uuids of the organisations that take part in a samenwerking or community."""
    from core.models import Deelneming

    if not _valid([samenwerking_uuid]):
        return set()
    rows = Deelneming.objects.filter(samenwerking__uuid=samenwerking_uuid).values_list(
        "organisation__uuid", flat=True
    )
    return {str(uid) for uid in rows}


def add_deelnemingen(pairs: Iterable[tuple[str, str]]) -> int:
    """Record that organisations take part in samenwerkingen, as the system (imports, the demo
    seed); `pairs` are (samenwerking uuid, organisation uuid). Existing ones are kept, so it is
    safe to repeat. Returns how many were added; refuses the wrong organisation types."""
    from django.db import transaction

    from core.accounts import audit
    from core.accounts.roles import DEELNEMER_TYPES, SAMENWERKING_TYPES
    from core.models import Deelneming, Organisation

    pairs = {(str(s), str(o)) for s, o in pairs}
    if not pairs:
        return 0
    orgs = Organisation.objects.in_bulk(
        _valid({u for pair in pairs for u in pair}), field_name="uuid"
    )
    by_uuid = {str(uid): org for uid, org in orgs.items()}
    rows = []
    for samenwerking_uuid, organisation_uuid in sorted(pairs):
        samenwerking = by_uuid.get(samenwerking_uuid)
        organisation = by_uuid.get(organisation_uuid)
        if samenwerking is None or organisation is None:
            raise AccountError("Onbekende organisatie in een deelneming.")
        if samenwerking.type not in SAMENWERKING_TYPES:
            raise AccountError(f"{samenwerking} is geen samenwerking of community.")
        if organisation.type not in DEELNEMER_TYPES or organisation == samenwerking:
            raise AccountError(f"{organisation} kan geen deelnemer zijn van {samenwerking}.")
        rows.append(Deelneming(organisation=organisation, samenwerking=samenwerking))
    with transaction.atomic():
        before = Deelneming.objects.count()
        Deelneming.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        added = Deelneming.objects.count() - before
        if added:
            audit.record("deelnemingen.geladen", details={"aantal": added})
    return added


def has_active_member(organisation_uuid: str, roles: Iterable[str]) -> bool:
    """Does the organisation have an active user in one of these roles?"""
    from core.models import Membership

    return Membership.objects.filter(
        organisation__uuid__in=_valid([organisation_uuid]),
        role__in=list(roles),
        actief=True,
        user__is_active=True,
    ).exists()


def acting_actors(user, channel: str = "site") -> list:
    """An actor per organisation the user may act for (active memberships of organisations
    that are not inactive or merged), in the user's role there."""
    from core.actors import Actor, acting_memberships

    return [Actor.for_membership(m, channel=channel) for m in acting_memberships(user)]


def reads_review(actor) -> bool:
    """May the actor see functioneel beheer's "Te beoordelen" inbox (vng-raadplegers read-only)?
    Deciding is for `actor.is_functioneel_beheerder` only."""
    from core.accounts.roles import reads_beheer

    return reads_beheer(actor)


def decided_keys(queue: str) -> set[str]:
    """Keys of a review queue that functioneel beheer already decided on."""
    from core.models import ReviewDecision

    return set(ReviewDecision.objects.filter(queue=queue).values_list("key", flat=True))


def notify_organisation(
    organisation_uuid: str,
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    roles: Iterable[str] | None = None,
) -> int:
    """Tell an organisation's active members (optionally only some roles), each as they chose
    for `kind` (registered through `register_notification_kinds`); sent after the commit.
    Returns how many e-mails or digest lines result; 0 for an unknown organisation."""
    from core.accounts.notifications import notify_organisation as notify

    organisation = _organisation(organisation_uuid)
    if organisation is None:
        return 0
    return notify(organisation, kind, subject, body, url, roles=roles)


def record(
    action: str,
    *,
    actor=None,
    organisation_uuid: str | None = None,
    target: str = "",
    details: dict | None = None,
) -> None:
    """Write one entry in the audit log (who acted, for which organisation, on what)."""
    from core.accounts import audit

    organisation = _organisation(organisation_uuid) if organisation_uuid else None
    audit.record(action, actor=actor, organisation=organisation, target=target, details=details)


def supplier_exists(naam: str) -> bool:
    """Is there already a leverancier with this name (any status), to warn before a double?"""
    from core.accounts.roles import single_line
    from core.models import Organisation

    return Organisation.objects.filter(naam__iexact=single_line(naam), type="Leverancier").exists()


def register_concept_supplier(actor, naam: str, website: str = "") -> str:
    """A supplier that is not in the catalogue yet, named by a gebruik-beheerder of a gemeente
    or samenwerking (#143): a Leverancier with status Concept until functioneel beheer
    activates or merges it; the audit log records who registered it. Returns its uuid."""
    from core.accounts import audit
    from core.accounts.roles import single_line
    from core.models import Organisation

    org = actor.organisation
    if (
        org is None
        or org.type not in ("Gemeente", "Samenwerking")
        or actor.role != "gebruik-beheerder"
    ):
        raise AccountError("Alleen een gebruik-beheerder van een gemeente of samenwerking kan dit.")
    naam = single_line(naam)
    if not naam:
        raise AccountError("Vul de naam van de leverancier in.")
    if supplier_exists(naam):
        raise AccountError(f"Er bestaat al een leverancier met de naam “{naam}”.")
    supplier = Organisation.objects.create(
        naam=naam, type="Leverancier", status="Concept", website=website or ""
    )
    audit.record(
        "organisatie.aangemaakt",
        actor=actor,
        organisation=supplier,
        target=naam,
        details={"geregistreerdDoor": str(org.uuid), "status": "Concept"},
    )
    return str(supplier.uuid)


def organisations_by_code(value: str) -> list:
    """The organisations a person names by uuid, CBS code (0344, or GM0344 as CBS writes
    it) or KvK number, for commands; more than one only for a shared KvK number."""
    from django.db.models import Q

    from core.models import Organisation
    from core.register.validation import is_uuid

    value = value.strip()
    if is_uuid(value):
        return list(Organisation.objects.filter(uuid=value))
    cbs = value[2:] if value[:2].upper() == "GM" and value[2:].isdigit() else value
    by_cbs = Organisation.objects.filter(Q(cbs_code__iexact=value) | Q(cbs_code__iexact=cbs))
    return list(by_cbs) or list(Organisation.objects.filter(kvk_nummer=value))


def functioneel_beheer_actor(channel: str = "system"):
    """Functioneel beheer without a person, for scripted reads (commands): it reads every row
    like a functioneel beheerder, but, unlike the system actor, no organisation's internal
    fields. None when there is no VNG organisation to act for."""
    from core.actors import Actor
    from core.models import Organisation

    vng = Organisation.objects.filter(type="VNG").order_by("pk").first()
    if vng is None:
        return None
    return Actor(organisation=vng, role="functioneel-beheerder", channel=channel)
