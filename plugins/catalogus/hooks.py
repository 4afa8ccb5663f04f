"""Hooks of the catalogue: cross-object rules, the default version of a SaaS application,
functioneel beheer's review queues, "gebruik voorgesteld" notifications and contactpersonen
that follow their user's account."""

from __future__ import annotations

from core.plugins import hookimpl
from core.plugins.register import create_as_system, objects_by_uuid, uuids_where
from plugins.catalogus.rules import CHECKS

SAAS_VERSION = "Cloud"


@hookimpl
def validate_object(schema, data, previous):
    check = CHECKS.get(schema)
    return check(data, previous) if check else None


@hookimpl
def object_changed(event):
    """A SaaS application gets its "Cloud" version; a proposed gebruik is told to its afnemer;
    cached search answers become stale."""
    from plugins.catalogus.notify import gebruik_proposed
    from plugins.catalogus.site.search_cache import changed

    changed(event)

    if event.schema == "catalogus/module":
        _saas_version(event)
    elif event.schema == "catalogus/gebruik":
        gebruik_proposed(event)


def _saas_version(event) -> None:
    """A SaaS application always has a version to choose, named "Cloud" (server default)."""
    if event.action not in {"created", "updated"}:
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
def register_notification_kinds():
    from plugins.catalogus.notify import KINDS

    return KINDS


@hookimpl
def register_review_queues():
    from plugins.catalogus.queues import QUEUES

    return [queue() for queue in QUEUES]


@hookimpl
def account_changed(user, previous):
    """#352: a user's name, e-mail, phone and function are one record with their
    contactpersonen; a refused update undoes the account change (same transaction)."""
    from plugins.catalogus.contacts import sync_contacts

    sync_contacts(user, previous)


@hookimpl
def register_bundle_exporters():
    """CSV, CSV with semicolons and Excel of a landscape, its koppelingen and an offer."""
    from plugins.catalogus.spreadsheet.exporters import bundle_exporters

    return bundle_exporters()


@hookimpl
def register_site_urls():
    from plugins.catalogus.site.urls import urlpatterns

    return urlpatterns


@hookimpl
def site_menu_items(actor):
    from plugins.catalogus.site.menu import menu_items

    return menu_items(actor)


@hookimpl
def organisation_sections(organisation, actor):
    from plugins.catalogus.site.organisation import sections

    return sections(organisation, actor)


@hookimpl
def load_demo_data():
    """A small generated catalogue for `make run`: only into an empty one, with GEMMA."""
    from plugins.catalogus.seed import seed_if_empty

    return seed_if_empty()


@hookimpl
def register_api_routes():
    """`/api/v1/organisaties/{uuid}/landschap`: a landscape as a file (an organisation
    sub-resource, see plugins/README.md)."""
    from django.urls import path

    from plugins.catalogus.api import LandscapeExportView

    return [path("organisaties/<uuid:uuid>/landschap", LandscapeExportView.as_view())]
