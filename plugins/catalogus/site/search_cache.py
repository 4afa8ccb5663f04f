"""Facet counts and result pages of /zoeken, kept in the shared cache per reader and question.

A broad question counts tens of thousands of rows (about half a second at 10× scale, the
hand-written SQL floor included), but its answer only changes when an application, dienst
or compliancy row, or an organisation changes. Three things keep a cached answer honest:

- a generation number, raised after every committed change of those schemas
  (`object_changed`), is part of every key, so a change makes older answers unreachable;
- a fingerprint of the organisations the reader sees (count and last change) is part of the
  key too, because an organisation that becomes Inactief withdraws what it published, and
  organisations change outside the object write path;
- answers expire after `TTL` seconds, which bounds anything that changes in other ways
  (a schema's access rules, a direct database edit).

Readers who see the same rows share answers: every anonymous visitor, and per organisation
and role everyone else (access rules depend on nothing more specific)."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.db.models import Count, Max

from core.plugins.site import visible_organisations

SCHEMAS = frozenset({"catalogus/module", "catalogus/dienst", "catalogus/compliancy"})
GENERATION = "catalogus:zoeken:generatie"
TTL = 600


def changed(event) -> None:
    """object_changed: a committed change that can move a count makes every answer stale."""
    if event.schema not in SCHEMAS:
        return
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 1, timeout=None)


def reader(actor) -> str:
    """The reader class: what the access rules look at (organisation, role, functioneel
    beheer, a superuser), so readers who may see different rows never share a key."""
    if not actor.is_authenticated:
        return "anoniem"
    organisation = str(actor.organisation.uuid) if actor.organisation else "-"
    superuser = bool(actor.user and actor.user.is_superuser)
    return f"{organisation}:{actor.role}:{actor.is_functioneel_beheerder}:{superuser}"


def _organisations(actor) -> str:
    seen = visible_organisations(actor).aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{seen['n']}:{seen['last'].isoformat() if seen['last'] else ''}"


class SearchCache:
    """The cache of one request: the generation and fingerprint are read once."""

    def __init__(self, actor):
        self.scope = [cache.get(GENERATION, 0), _organisations(actor), reader(actor)]

    def key(self, *parts) -> str:
        text = json.dumps([*self.scope, *parts], sort_keys=True, default=str)
        return "catalogus:zoeken:" + hashlib.sha256(text.encode()).hexdigest()

    def get_or_compute(self, parts: list, compute):
        key = self.key(*parts)
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, timeout=TTL)
        return found
