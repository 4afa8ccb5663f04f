"""Every hook of the Softwarecatalogus, each with a small visible effect (tests only)."""

from __future__ import annotations

from pathlib import Path

from django.urls import path

from core.plugins import ObjectEvent, hookimpl
from tests.example_plugin.api import BundleView, StatusView
from tests.example_plugin.strategies import (
    ConceptProducts,
    CountCharacters,
    JsonLinesBundle,
    JsonLinesExporter,
    JsonLinesSource,
    TitleStartsWith,
)

# What `object_changed` received, in order; tests read and clear it.
EVENTS: list[ObjectEvent] = []
FORBIDDEN_WORD = "VERBODEN"
# Which data-loading hooks ran, in order; tests read and clear it.
LOADED: list[str] = []
# (previous e-mail, new e-mail) of every `account_changed`; tests read and clear it.
ACCOUNT_CHANGES: list[tuple[str, str]] = []


@hookimpl
def register_schema_dirs():
    return [Path(__file__).parent / "schemas"]


@hookimpl
def register_exporters():
    return [JsonLinesExporter()]


@hookimpl
def register_bundle_exporters():
    return [JsonLinesBundle()]


@hookimpl
def register_import_sources():
    return [JsonLinesSource()]


@hookimpl
def register_list_filters():
    return [TitleStartsWith()]


@hookimpl
def register_object_actions():
    return [CountCharacters()]


@hookimpl
def register_api_routes():
    return [
        path("voorbeeld/status", StatusView.as_view(), name="voorbeeld-status"),
        path("voorbeeld/bundel", BundleView.as_view(), name="voorbeeld-bundel"),
    ]


@hookimpl
def register_site_urls():
    from django.http import HttpResponse

    return [path("voorbeeld", lambda request: HttpResponse("Voorbeeldpagina"), name="voorbeeld")]


@hookimpl
def site_menu_items(actor):
    return [("Voorbeeld", "/voorbeeld")] if actor.is_authenticated else None


@hookimpl
def organisation_sections(organisation, actor):
    from django.utils.html import format_html

    from core.plugins import PageSection

    if not actor.is_authenticated:
        return None
    html = format_html("<p>{} tekens in de naam</p>", len(organisation.display_name))
    return [PageSection(id="voorbeeld", title="Voorbeeld", html=html)]


@hookimpl
def object_extra_data(obj, actor):
    if not actor.is_authenticated:
        return None
    return {"lengteTitel": len(obj.title)}


@hookimpl
def validate_object(schema, data):
    """Takes a subset of the spec's arguments (pluggy passes only what is asked for)."""
    if schema == "voorbeeld/product" and FORBIDDEN_WORD in (data.get("naam") or ""):
        return [("/naam", f"Het woord {FORBIDDEN_WORD} is niet toegestaan in de naam.")]
    return None


@hookimpl
def object_changed(event):
    EVENTS.append(event)


@hookimpl
def load_reference_data():
    LOADED.append("referentiedata")
    return ["voorbeeldlijst (3 regels)"]


@hookimpl
def load_demo_data():
    LOADED.append("demodata")
    return ["voorbeeldobjecten"]


@hookimpl
def register_notification_kinds():
    return {"voorbeeld-melding": "Berichten van de voorbeeldplugin"}


@hookimpl
def register_review_queues():
    return [ConceptProducts()]


@hookimpl
def account_changed(user, previous):
    ACCOUNT_CHANGES.append((previous["email"], user.email))
