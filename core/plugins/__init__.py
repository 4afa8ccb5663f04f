"""The public surface for plugins: markers, base classes, events and the manager."""

import pluggy

from core.plugins.base import (
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

__all__ = [
    "PROJECT_NAME",
    "Exporter",
    "ImportSource",
    "ListFilter",
    "ObjectAction",
    "ObjectEvent",
    "PageSection",
    "ReviewItem",
    "ReviewQueue",
    "hookimpl",
]
