"""The register as plugins see it: plain look-ups for rules, and the one write path.

Look-ups ignore access on purpose: validation rules need the facts (does this version
belong to that application?) and only answer with a message, never with the data.
"""

from __future__ import annotations

from collections.abc import Iterable


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
