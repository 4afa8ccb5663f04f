"""The loaded schemas, cached per process and refreshed when a new version appears.

A newly loaded schema is picked up by running servers without a restart: the cache
re-checks the newest schema version id at most once a second.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from core.register.spec import SchemaSpec, spec_for_version

_lock = threading.Lock()
_state: dict = {"checked": 0.0, "fingerprint": None, "entries": None}


@dataclass(frozen=True)
class Entry:
    schema: object  # core.models.Schema (with register)
    version: object  # its current SchemaVersion
    spec: SchemaSpec

    @property
    def key(self) -> str:
        return f"{self.schema.register.slug}/{self.schema.slug}"


def clear() -> None:
    with _lock:
        _state.update(checked=0.0, fingerprint=None, entries=None)
    spec_for_version.cache_clear()


def _fingerprint():
    from core.models import Schema

    return tuple(Schema.objects.order_by("pk").values_list("pk", "current_version_id"))


def _entries() -> dict[str, Entry]:
    from core.models import Schema

    now = time.monotonic()
    if _state["entries"] is not None and now - _state["checked"] < 1.0:
        return _state["entries"]
    fingerprint = _fingerprint()
    with _lock:
        if _state["entries"] is None or fingerprint != _state["fingerprint"]:
            entries = {}
            for schema in Schema.objects.select_related("register", "current_version").filter(
                current_version__isnull=False
            ):
                entries[schema.collection] = Entry(
                    schema, schema.current_version, spec_for_version(schema.current_version_id)
                )
            _state.update(fingerprint=fingerprint, entries=entries)
        _state["checked"] = now
        return _state["entries"]


def all_entries() -> list[Entry]:
    return sorted(_entries().values(), key=lambda e: e.key)


def by_collection(collection: str) -> Entry | None:
    return _entries().get(collection)


def by_key(key: str) -> Entry | None:
    return next((e for e in _entries().values() if e.key == key), None)


def by_schema_id(schema_id: int) -> Entry | None:
    return next((e for e in _entries().values() if e.schema.pk == schema_id), None)


def specs_by_schema_id() -> dict[int, SchemaSpec]:
    """Every schema's current spec, for queries over several schemas at once."""
    return {e.schema.pk: e.spec for e in _entries().values()}


def spec_of(obj) -> SchemaSpec:
    """The spec an object is read with: its schema's current version."""
    entry = by_schema_id(obj.schema_id)
    return entry.spec if entry else spec_for_version(obj.schema_version_id)
