"""The /zoeken answer cache (plugins/catalogus/site/search_cache.py): a repeated question is
answered without counting again, a committed change or an organisation's status makes the
answer stale, and readers who may see different rows never share an answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.constants import OrganisationStatus
from tests.catalogus.conftest import ANON, GEM, LEV
from tests.catalogus.site.test_search import actor_for, client_for, names, search, write

pytestmark = pytest.mark.django_db


def counting_statements(client, **params) -> int:
    with CaptureQueriesContext(connection) as run:
        assert search(client, **params).status_code == 200
    return sum("as materialized" in q["sql"].lower() for q in run.captured_queries)


def test_a_repeated_question_is_not_counted_again(access_world):
    client = client_for(access_world, ANON)
    assert counting_statements(client, q="zaak") > 0
    assert counting_statements(client, q="zaak") == 0
    assert counting_statements(client, q="burger") > 0  # another question is counted


def test_a_committed_change_makes_answers_stale(access_world, django_capture_on_commit_callbacks):
    client = client_for(access_world, ANON)
    assert "Zaakregister Plus" not in names(search(client, q="zaakregister"))
    acme = access_world.orgs["leverancier"]
    with django_capture_on_commit_callbacks(execute=True):
        write(
            "catalogus/module",
            {"naam": "Zaakregister Plus", "aanbieder": str(acme.uuid)},
            actor_for(access_world, LEV),
        )
    assert "Zaakregister Plus" in names(search(client, q="zaakregister"))


def test_an_organisation_withdrawn_outside_the_write_path_withdraws_its_results(access_world):
    client = client_for(access_world, ANON)
    assert "Burgerzaken Pro" in names(search(client, q="burgerzaken"))
    beta = access_world.orgs["leverancier2"]
    beta.status = OrganisationStatus.INACTIEF
    beta.save()
    assert "Burgerzaken Pro" not in names(search(client, q="burgerzaken"))


def test_readers_who_see_different_rows_do_not_share_answers(access_world):
    concept = "Zaakwijzer Next"  # Acme's concept: Acme and government users see it
    assert concept not in names(search(client_for(access_world, ANON), q="zaakwijzer"))
    assert concept in names(search(client_for(access_world, LEV), q="zaakwijzer"))
    assert concept in names(search(client_for(access_world, GEM), q="zaakwijzer"))
    assert concept not in names(search(client_for(access_world, ANON), q="zaakwijzer"))


def test_warming_fills_the_landing_page_every_visitor_opens_first(access_world):
    from core.plugins.site import anonymous_actor
    from plugins.catalogus.site.search_cache import warm

    warm(anonymous_actor())
    client = client_for(access_world, ANON)
    assert counting_statements(client) == 0  # /zoeken without a question: from the cache
    assert counting_statements(client, q="zaak") > 0
