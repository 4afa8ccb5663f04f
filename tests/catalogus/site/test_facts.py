"""The shared catalogue facts: gemeenten per application and the standards table."""

from __future__ import annotations

import pytest

from plugins.catalogus.site.facts import (
    AANBEVOLEN,
    TOEGEVOEGD,
    VERPLICHT,
    gemeenten_count,
    row_count,
    standards_table,
    standards_tables,
)
from tests.catalogus.conftest import ANON, GEM, LEV, LEV2, SAM
from tests.catalogus.site import test_detail
from tests.catalogus.site.test_detail import actor_for

pytestmark = pytest.mark.django_db
standards = test_detail.standards  # the shared fixture


@pytest.mark.parametrize("label", [ANON, LEV, LEV2])
def test_gemeenten_count_only_for_government(access_world, label):
    world = access_world
    keys = [world.uuid("lev_module"), world.uuid("lev2_module")]
    assert gemeenten_count(keys, actor_for(world, label)) == {}


@pytest.mark.parametrize("label", [GEM, SAM])
def test_gemeenten_count_for_government(access_world, label):
    world = access_world
    keys = [world.uuid("lev_module"), world.uuid("lev2_module"), world.uuid("inactief_module")]
    counts = gemeenten_count(keys, actor_for(world, label))
    # Zaakwijzer: Utrecht (the proposal to Den Haag is a concept and not Den Haag's yet for
    # these actors); Burgerzaken Pro: Utrecht as deelnemer of Dimpact (a samenwerking is not
    # a gemeente).
    assert counts[world.uuid("lev_module")] == 1
    assert counts[world.uuid("lev2_module")] == 1
    assert world.uuid("inactief_module") not in counts


def _by_name(groups):
    return {row.naam: row for group in groups for row in group.rows}


def test_standards_table_groups_and_support(access_world, standards):
    world = access_world
    groups = standards_table(standards.module, [standards.component.uuid], actor_for(world, ANON))
    assert [(g.naam, g.soort) for g in groups][:2] == [
        ("StUF-ZKN", VERPLICHT),
        ("NEN 2082", AANBEVOLEN),
    ]
    assert {g.soort for g in groups[2:]} == {TOEGEVOEGD}
    rows = _by_name(groups)
    # Verplicht wins over Aanbevolen for StUF-ZKN; all its versions are listed.
    assert rows["StUF-ZKN 3.01"].soort == VERPLICHT and rows["StUF-ZKN 3.20"].soort == VERPLICHT
    assert rows["StUF-ZKN 3.01"].ondersteund and rows["StUF-ZKN 3.01"].url
    assert rows["StUF-ZKN 3.20"].ondersteuning == ""
    assert rows["NEN 2082:2008"].niet_ondersteund
    assert rows["Open Raadsinformatie 1.0"].soort == TOEGEVOEGD
    # The world's StUF-ZKN 3.10 has no standaard; declared for version 4.2 it is Toegevoegd.
    assert rows[world.objects["stuf"].title].soort == TOEGEVOEGD
    assert row_count(groups) == 5


def test_standards_table_without_module_has_no_support(access_world, standards):
    groups = standards_table(None, [str(standards.component.uuid)], actor_for(access_world, ANON))
    assert [g.naam for g in groups] == ["StUF-ZKN", "NEN 2082"]
    assert all(row.ondersteuning == "" for g in groups for row in g.rows)
    assert row_count(groups) == 3


def test_standards_table_empty(access_world):
    assert standards_table(None, [], actor_for(access_world, ANON)) == []


def test_standards_tables_in_four_queries(access_world, standards, django_assert_max_num_queries):
    world = access_world
    actor = actor_for(world, GEM)
    pairs = [
        (standards.module, [standards.component.uuid]),
        (world.objects["lev2_module"], [standards.component.uuid]),
        (None, [standards.component.uuid]),
    ]
    with django_assert_max_num_queries(4):
        tables = standards_tables(pairs, actor)
    assert [row_count(t) for t in tables] == [5, 3, 3]
    # Support belongs to its own module only.
    assert _by_name(tables[0])["StUF-ZKN 3.01"].ondersteund
    assert _by_name(tables[1])["StUF-ZKN 3.01"].ondersteuning == ""
