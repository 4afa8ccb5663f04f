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
and role everyone else (access rules depend on nothing more specific). A change schedules
one recount of the landing page (the empty search, anonymous) a few seconds later, so the
page most people open first is rarely the one that waits."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import QueryDict
from django.tasks import task, task_backends
from django.utils import timezone

from core.plugins.site import visible_organisations

SCHEMAS = frozenset({"catalogus/module", "catalogus/dienst", "catalogus/compliancy"})
GENERATION = "catalogus:zoeken:generatie"
WARMING = "catalogus:zoeken:opwarmen"
TTL = 600
WARM_DELAY = 10  # seconds: the changes of a burst (an import) share one recount


def changed(event) -> None:
    """object_changed: a committed change that can move a count makes every answer stale."""
    if event.schema not in SCHEMAS:
        return
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 1, timeout=None)
    backend = task_backends[warm_landing_page.backend]
    if backend.supports_defer and cache.add(WARMING, True, timeout=WARM_DELAY):
        # runs after the burst: every change until then is in the recount
        warm_landing_page.using(run_after=timezone.now() + timedelta(seconds=WARM_DELAY)).enqueue()


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
        self.actor = actor
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

    @staticmethod
    def _question(params) -> list:
        return [params.q, sorted((k, sorted(v)) for k, v in params.filters.items())]

    def counts(self, params):
        """The totals and facet counts of a search (search_query.count)."""
        from plugins.catalogus.site.search_query import count

        return self.get_or_compute(
            ["aantallen", *self._question(params)], lambda: count(params, self.actor)
        )

    def page(self, params, outcome, page: int) -> list:
        """(kind, id) of one page of results (search_query.page_rows)."""
        from plugins.catalogus.site.search_query import page_rows

        return self.get_or_compute(
            ["pagina", *self._question(params), params.sort, page],
            lambda: page_rows(params, outcome.kinds, page, self.actor),
        )


def warm(actor) -> None:
    """Count the landing page (the empty search, first page) for this reader into the cache."""
    from plugins.catalogus.site.search_params import parse

    params = parse(QueryDict(""))
    cached = SearchCache(actor)
    cached.page(params, cached.counts(params), 1)


@task
def warm_landing_page() -> None:
    from core.plugins.site import anonymous_actor

    warm(anonymous_actor())
