"""The public surface for plugins: markers, base classes, events and the manager."""

import pluggy

from core.plugins.base import (
    BundleExporter,
    Exporter,
    ImportSource,
    ListFilter,
    ObjectAction,
    PageSection,
    ReviewItem,
    ReviewQueue,
)
from core.plugins.events import ObjectEvent

PROJECT_NAME = "softwarecatalogus"
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


def bundle_exporters(kind: str) -> dict:
    """The formats installed for a bundle kind (e.g. ``landschap``), slug → exporter."""
    from core.plugins.manager import bundle_exporters as registered

    return registered(kind)


__all__ = [
    "PROJECT_NAME",
    "BundleExporter",
    "Exporter",
    "ImportSource",
    "ListFilter",
    "ObjectAction",
    "ObjectEvent",
    "PageSection",
    "bundle_exporters",
    "ReviewItem",
    "ReviewQueue",
    "hookimpl",
]
