"""Builds the plugin manager from the PLUGINS setting and the entry-point group.

Registries (exporters, sources, filters, actions) are collected once after all apps
are ready; a duplicate slug is a configuration error.
"""

from __future__ import annotations

import importlib
import logging
from functools import cache

import pluggy
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from core.plugins import PROJECT_NAME, hookspecs

logger = logging.getLogger(__name__)
pm = pluggy.PluginManager(PROJECT_NAME)
pm.add_hookspecs(hookspecs)


def load_plugins() -> None:
    """Register the hooks module of every plugin app, then third-party entry points."""
    from django.conf import settings

    for app_name in settings.PLUGINS:
        config = next(c for c in apps.get_app_configs() if c.name == app_name)
        try:
            module = importlib.import_module(f"{app_name}.hooks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_name}.hooks":
                raise
            continue
        if not pm.is_registered(module):
            pm.register(module, name=config.label)
    pm.load_setuptools_entrypoints(PROJECT_NAME)
    registries.cache_clear()


def _unique(items: list, attr: str, what: str) -> dict:
    found: dict = {}
    for item in items:
        key = getattr(item, attr)
        if key in found:
            raise ImproperlyConfigured(f"Dubbele {what} {key!r} in plugins")
        found[key] = item
    return found


def _flatten(results) -> list:
    return [item for result in results if result for item in result]


@cache
def registries() -> dict[str, dict]:
    hook = pm.hook
    return {
        "exporters": _unique(_flatten(hook.register_exporters()), "slug", "exporter"),
        "bundle_exporters": _bundle_exporters(_flatten(hook.register_bundle_exporters())),
        "sources": _unique(_flatten(hook.register_import_sources()), "slug", "importbron"),
        "filters": _unique(_flatten(hook.register_list_filters()), "key", "lijstfilter"),
        "actions": _unique(_flatten(hook.register_object_actions()), "slug", "objectactie"),
        "review_queues": _unique(
            _core_queues() + _flatten(hook.register_review_queues()), "slug", "beoordelingsrij"
        ),
        "notification_kinds": _notification_kinds(hook.register_notification_kinds()),
    }


def _bundle_exporters(items: list) -> dict[str, dict]:
    """kind → {slug: exporter}, in plugin order."""
    found: dict[str, dict] = {}
    for item in items:
        for kind in item.kinds:
            per_kind = found.setdefault(kind, {})
            if item.slug in per_kind:
                raise ImproperlyConfigured(f"Dubbel exportformaat {item.slug!r} voor {kind!r}")
            per_kind[item.slug] = item
    return found


def _core_queues() -> list:
    """Core's own queues (sign-ups, access requests) sit in the same registry as plugins'."""
    from core.accounts.queues import CORE_QUEUES

    return [queue() for queue in CORE_QUEUES]


def _notification_kinds(results) -> dict[str, str]:
    from core.accounts.notifications import CORE_KINDS

    kinds = dict(CORE_KINDS)
    for result in results:
        for kind, label in (result or {}).items():
            if kind in kinds:
                raise ImproperlyConfigured(f"Dubbele meldingssoort {kind!r} in plugins")
            kinds[kind] = label
    return kinds


def exporters() -> dict:
    return registries()["exporters"]


def bundle_exporters(kind: str) -> dict:
    """The formats offered for a bundle kind, slug → exporter."""
    return registries()["bundle_exporters"].get(kind, {})


def import_sources() -> dict:
    return registries()["sources"]


def list_filters() -> dict:
    return registries()["filters"]


def object_actions() -> dict:
    return registries()["actions"]


def loaded_plugins() -> list[dict]:
    """What is loaded, for the admin and `/api/v1/plugins`."""
    result = []
    for name, module in pm.list_name_plugin():
        config = next((c for c in apps.get_app_configs() if c.label == name), None)
        result.append(
            {
                "naam": name,
                "module": getattr(module, "__name__", str(module)),
                "beschrijving": getattr(config, "description", "") if config else "",
                "versie": getattr(config, "plugin_version", "") if config else "",
                "hooks": sorted(h.name for h in pm.get_hookcallers(module) or []),
            }
        )
    return result


def review_queues() -> dict:
    return registries()["review_queues"]


def notification_kinds() -> dict[str, str]:
    return registries()["notification_kinds"]
