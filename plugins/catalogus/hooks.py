"""Hooks of the catalogue: cross-object rules, and the default version of a SaaS application."""

from __future__ import annotations

from core.plugins import hookimpl
from core.plugins.register import create_as_system, objects_by_uuid, uuids_where
from plugins.catalogus.rules import CHECKS

SAAS_VERSION = "Cloud"


@hookimpl
def validate_object(schema, data):
    check = CHECKS.get(schema)
    return check(data) if check else None


@hookimpl
def object_changed(event):
    """A SaaS application always has a version to choose, named "Cloud" (server default)."""
    if event.schema != "catalogus/module" or event.action not in {"created", "updated"}:
        return
    module = objects_by_uuid("catalogus/module", [event.uuid]).get(event.uuid)
    if not module or "SaaS" not in (module.get("cloudDienstverleningsmodel") or []):
        return
    if uuids_where("catalogus/moduleVersie", module=event.uuid, versie=SAAS_VERSION):
        return
    create_as_system(
        "catalogus/moduleVersie",
        {"module": event.uuid, "versie": SAAS_VERSION, "status": "in gebruik"},
        organisation=event.organisation,
        status="gepubliceerd",
    )


@hookimpl
def load_demo_data():
    """A small generated catalogue for `make run`: only into an empty one, with GEMMA."""
    from plugins.catalogus.seed import seed_if_empty

    return seed_if_empty()
