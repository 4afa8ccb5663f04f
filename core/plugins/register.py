"""The register as plugins see it: plain look-ups for rules, and the one write path.

Look-ups ignore access on purpose: validation rules need the facts (does this version
belong to that application?) and only answer with a message, never with the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


def objects_by_uuid(schema: str, uuids: Iterable[str]) -> dict[str, dict]:
    """Data of the existing, not archived objects of `schema` ("<register>/<schema>")."""
    from core.constants import ObjectStatus
    from core.models import Object
    from core.register import catalog
    from core.register.validation import is_uuid

    entry = catalog.by_key(schema)
    wanted = [u for u in uuids if u and is_uuid(u)]
    if entry is None or not wanted:
        return {}
    rows = (
        Object.objects.filter(schema=entry.schema, uuid__in=wanted)
        .exclude(status=ObjectStatus.GEARCHIVEERD)
        .values_list("uuid", "data")
    )
    return {str(uid): data for uid, data in rows}


def organisation_types(uuids: Iterable[str]) -> dict[str, str]:
    """Type (Gemeente, Leverancier, …) of each organisation uuid that exists."""
    from core.models import Organisation
    from core.register.validation import is_uuid

    wanted = [u for u in uuids if u and is_uuid(u)]
    rows = Organisation.objects.filter(uuid__in=wanted).values_list("uuid", "type")
    return {str(uid): kind for uid, kind in rows}


def create_as_system(schema: str, data: dict, *, organisation: str, status: str) -> str:
    """Create an object for an organisation through the write path; returns its uuid."""
    from core import services
    from core.actors import Actor
    from core.models import Organisation
    from core.register import catalog

    owner = Organisation.objects.get(uuid=organisation)
    obj = services.create_object(
        catalog.by_key(schema), data, actor=Actor.for_system(), status=status, organisation=owner
    )
    return str(obj.uuid)


def uuids_where(schema: str, **equals) -> list[str]:
    """Uuids of the not archived objects of `schema` whose data has these exact values
    (containment, so the GIN index on data answers it)."""
    from core.constants import ObjectStatus
    from core.models import Object
    from core.register import catalog

    entry = catalog.by_key(schema)
    if entry is None:
        return []
    rows = (
        Object.objects.filter(schema=entry.schema, data__contains=equals)
        .exclude(status=ObjectStatus.GEARCHIVEERD)
        .values_list("uuid", flat=True)
    )
    return [str(u) for u in rows]


# --- summaries and writes for plugins that act on objects (review queues, syncs) ---------


@dataclass(frozen=True)
class ObjectSummary:
    """What a plugin needs to know about one object, without handling core's models."""

    uuid: str
    schema: str  # "<register>/<schema>"
    title: str
    status: str
    version: int
    data: dict
    organisation: str  # uuid of the owner
    organisation_name: str
    organisation_type: str
    created_at: datetime
    updated_at: datetime
    api_path: str  # "/api/v1/<collectie>/<uuid>"


@dataclass(frozen=True)
class Claim:
    """An object an organisation took over for itself (history action "overgenomen")."""

    uuid: str
    version: int  # the version the take-over wrote
    at: datetime
    previous_owner: str  # organisation uuids, as the history records them
    new_owner: str
    status_before: str  # the object's status just before the take-over


def _summaries(queryset) -> list[ObjectSummary]:
    from core.register import catalog

    rows = queryset.select_related("organisation").order_by("created_at", "pk")
    found = []
    for obj in rows:
        entry = catalog.by_schema_id(obj.schema_id)
        found.append(
            ObjectSummary(
                uuid=str(obj.uuid),
                schema=entry.key,
                title=obj.title,
                status=obj.status,
                version=obj.version,
                data=obj.data,
                organisation=str(obj.organisation.uuid),
                organisation_name=obj.organisation.display_name,
                organisation_type=obj.organisation.type,
                created_at=obj.created_at,
                updated_at=obj.updated_at,
                api_path=f"/api/v1/{entry.spec.collection}/{obj.uuid}",
            )
        )
    return found


def find_objects(
    schema: str,
    *,
    status: str | None = None,
    owner_types: Iterable[str] | None = None,
    equals: dict | None = None,
    iexact: dict | None = None,
    owners: Iterable[str] | None = None,
    created_before: datetime | None = None,
) -> list[ObjectSummary]:
    """Not archived objects of `schema`, oldest first, narrowed by status, owner (uuids or
    types), exact data values (`equals`), case-insensitive string values (`iexact`) and
    creation time. Ignores access, like the other look-ups: callers decide what to show."""
    from core.constants import ObjectStatus
    from core.models import Object
    from core.register import catalog

    entry = catalog.by_key(schema)
    if entry is None:
        return []
    rows = Object.objects.filter(schema=entry.schema).exclude(status=ObjectStatus.GEARCHIVEERD)
    if status is not None:
        rows = rows.filter(status=status)
    if owner_types is not None:
        rows = rows.filter(organisation__type__in=list(owner_types))
    if owners is not None:
        rows = rows.filter(organisation__uuid__in=list(owners))
    if equals:
        rows = rows.filter(data__contains=equals)
    for name, value in (iexact or {}).items():
        rows = rows.filter(**{f"data__{name}__iexact": value})
    if created_before is not None:
        rows = rows.filter(created_at__lt=created_before)
    return _summaries(rows)


def object_summary(uuid: str) -> ObjectSummary | None:
    """One object of any schema by uuid, archived ones included (its status says so)."""
    from core.models import Object
    from core.register.validation import is_uuid

    if not uuid or not is_uuid(str(uuid)):
        return None
    found = _summaries(Object.objects.filter(uuid=uuid))
    return found[0] if found else None


def claims(schema: str) -> list[Claim]:
    """Take-overs still in force: an organisation claimed an object of `schema` for itself
    and still owns it (a hand-over by functioneel beheer is not a claim). Oldest first."""
    from django.db.models import F

    from core.constants import ObjectStatus
    from core.models import ObjectVersion
    from core.register import catalog

    entry = catalog.by_key(schema)
    if entry is None:
        return []
    rows = (
        ObjectVersion.objects.filter(
            action="overgenomen",
            object__schema=entry.schema,
            organisation=F("object__organisation"),
        )
        .exclude(object__status=ObjectStatus.GEARCHIVEERD)
        .select_related("object__organisation")
        .order_by("created_at", "pk")
    )
    found = []
    for version in rows:
        previous, new = (version.changes.get("eigenaar") or [None, None])[:2]
        if new != str(version.object.organisation.uuid) or not previous:
            continue
        before = (
            ObjectVersion.objects.filter(object_id=version.object_id, version__lt=version.version)
            .order_by("-version")
            .values_list("status", flat=True)
            .first()
        )
        found.append(
            Claim(
                uuid=str(version.object_uuid),
                version=version.version,
                at=version.created_at,
                previous_owner=previous,
                new_owner=new,
                status_before=before or ObjectStatus.CONCEPT,
            )
        )
    return found


def system_actor():
    """The actor for writes no person made (syncs, maintenance); history names no user."""
    from core.actors import Actor

    return Actor.for_system()


def _object(uuid: str):
    from core.models import Object

    return Object.objects.select_related("organisation").get(uuid=uuid)


def update_as(actor, uuid: str, data: dict, *, status: str | None = None) -> ObjectSummary:
    """Merge-patch an object's data (and optionally its status) through the write path;
    raises `core.services.NotAllowed`, `ValidationFailed` or `Conflict` like any write."""
    from core import services

    services.update_object(_object(uuid), data, actor=actor, partial=True, status=status)
    return object_summary(uuid)


def claim_as(
    actor, uuid: str, *, organisation: str | None = None, status: str | None = None
) -> ObjectSummary:
    """Take an object over for the actor's organisation, or (functioneel beheer) hand it to
    `organisation` (a uuid); see `core.services.claim_object`."""
    from core import services
    from core.models import Organisation

    owner = Organisation.objects.get(uuid=organisation) if organisation else None
    services.claim_object(_object(uuid), actor=actor, organisation=owner, status=status)
    return object_summary(uuid)


def archive_as(actor, uuid: str) -> ObjectSummary:
    """Archive through the write path (refused with `Conflict` while something refers to it)."""
    from core import services

    services.archive_object(_object(uuid), actor=actor)
    return object_summary(uuid)


def delete_as(actor, uuid: str) -> None:
    """Delete for good through the write path (functioneel beheer, or an own concept)."""
    from core import services

    services.delete_object(_object(uuid), actor=actor)
