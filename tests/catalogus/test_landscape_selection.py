"""The landscape selection (plugins/catalogus/landscape.py) that the overview, the GEMMA
view plot and every export share: each filter key, sorting, koppelingen and visibility."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from core import services
from core.actors import Actor
from core.register import catalog
from plugins.catalogus.landscape import (
    InvalidFilter,
    LandscapeFilter,
    landscape_gebruik,
    landscape_koppelingen,
    landscape_modules,
)
from tests.conftest import member

pytestmark = pytest.mark.django_db


def actor(world, org_key, role="gebruik-beheerder"):
    return Actor.for_membership(member(world.orgs[org_key], role))


def keys(world, rows):
    by_pk = {obj.pk: key for key, obj in world.objects.items()}
    return [by_pk.get(row.pk, row.title) for row in rows]


def select(world, query: str, who=None):
    who = who or actor(world, "gemeente")
    flt = LandscapeFilter.from_query(QueryDict(query))
    return keys(world, landscape_gebruik(world.orgs["gemeente"], who, flt))


def test_without_filter_own_and_shared_gebruik_by_name(access_world):
    assert select(access_world, "") == ["sam_gebruik", "gem_gebruik"]  # Burgerzaken, Zaakwijzer


@pytest.mark.parametrize(
    "query,expected",
    [
        ("status=In+productie", ["sam_gebruik", "gem_gebruik"]),
        ("status=Gepland", []),
        ("status=Gepland&status=In+productie", ["sam_gebruik", "gem_gebruik"]),
        ("hosting=On-premises+(self-managed)&herkomst=eigen", ["gem_gebruik"]),
        ("hosting=SaaS", []),
        ("herkomst=eigen", ["gem_gebruik"]),
        ("herkomst=samenwerking", ["sam_gebruik"]),
        ("zoek=zaakw", ["gem_gebruik"]),
        ("zoek=beta", ["sam_gebruik"]),  # the supplier's name
        ("zoek=onbekend", []),
    ],
)
def test_each_filter_key(access_world, query, expected):
    assert select(access_world, query) == expected


def test_leverancier_values_are_alternatives(access_world):
    acme, beta = (str(access_world.orgs[k].uuid) for k in ("leverancier", "leverancier2"))
    assert select(access_world, f"leverancier={acme}") == ["gem_gebruik"]
    assert select(access_world, f"leverancier={acme}&leverancier={beta}") == [
        "sam_gebruik",
        "gem_gebruik",
    ]
    assert select(access_world, f"leverancier={beta}&herkomst=eigen") == []


def test_referentiecomponent_stated_or_from_the_application(access_world):
    system = Actor.for_system()
    vng = access_world.orgs["vng"]
    spec = catalog.by_key("gemma/referentiecomponent")
    zaak, burger = (
        services.create_object(
            spec,
            {"naam": naam, "objectId": naam},
            actor=system,
            status="gepubliceerd",
            organisation=vng,
        )
        for naam in ("Zaakregistratiecomponent", "Burgerzakencomponent")
    )
    gem = actor(access_world, "gemeente")
    gebruik = access_world.objects["gem_gebruik"]
    services.update_object(
        gebruik, {"gebruiktVoorReferentiecomponenten": [str(zaak.uuid)]}, actor=gem, partial=True
    )
    module = access_world.objects["lev2_module"]
    services.update_object(
        module,
        {"referentieComponenten": [str(burger.uuid)]},
        partial=True,
        actor=actor(access_world, "leverancier2", "aanbod-beheerder"),
    )
    assert select(access_world, f"referentiecomponent={zaak.uuid}") == ["gem_gebruik"]
    assert select(access_world, f"referentiecomponent={burger.uuid}") == ["sam_gebruik"]


def test_voorziening_through_the_landscape_koppelingen(access_world):
    gem = actor(access_world, "gemeente")
    digid = access_world.uuid("digid")
    assert select(access_world, f"voorziening={digid}") == []
    services.create_object(
        catalog.by_key("catalogus/koppeling"),
        {
            "moduleA": access_world.uuid("lev_module"),
            "buitengemeentelijkVoorziening": digid,
            "gegevensuitwisselingRichting": "AnaarB",
            "status": "in gebruik",
        },
        actor=gem,
        status="gepubliceerd",
        organisation=access_world.orgs["gemeente"],
    )
    assert select(access_world, f"voorziening={digid}") == ["gem_gebruik"]


def test_sorting(access_world):
    assert select(access_world, "sorteer=-naam") == ["gem_gebruik", "sam_gebruik"]
    assert select(access_world, "sorteer=leverancier") == ["gem_gebruik", "sam_gebruik"]
    assert select(access_world, "sorteer=-leverancier") == ["sam_gebruik", "gem_gebruik"]


def test_koppelingen_follow_a_narrowing_filter(access_world):
    gem = actor(access_world, "gemeente")
    utrecht = access_world.orgs["gemeente"]
    every = keys(access_world, landscape_koppelingen(utrecht, gem))
    assert "gem_koppeling" in every
    beta = str(access_world.orgs["leverancier2"].uuid)
    narrowed = LandscapeFilter.from_query(QueryDict(f"leverancier={beta}"))
    assert keys(access_world, landscape_koppelingen(utrecht, gem, narrowed)) == ["gem_koppeling"]
    nothing = LandscapeFilter.from_query(QueryDict("hosting=SaaS"))
    assert keys(access_world, landscape_koppelingen(utrecht, gem, nothing)) == []
    assert keys(access_world, landscape_modules(utrecht, gem, narrowed)) == ["lev2_module"]


def test_a_supplier_selects_only_gebruik_of_its_own_applications(access_world):
    lev = actor(access_world, "leverancier", "aanbod-beheerder")
    assert select(access_world, "", who=lev) == ["gem_gebruik"]
    assert keys(access_world, landscape_koppelingen(access_world.orgs["gemeente"], lev)) == []


@pytest.mark.parametrize(
    "query,key",
    [
        ("status=Kapot", "status"),
        ("leverancier=acme", "leverancier"),
        ("herkomst=buren", "herkomst"),
        ("sorteer=prijs", "sorteer"),
    ],
)
def test_unknown_values_are_refused_in_dutch(query, key):
    with pytest.raises(InvalidFilter) as refused:
        LandscapeFilter.from_query(QueryDict(query))
    assert refused.value.key == key
    assert "'" in str(refused.value)


def test_querystring_is_canonical_and_round_trips():
    flt = LandscapeFilter.from_query(
        QueryDict("status=Gepland&zoek=zaak&status=In+productie&sorteer=naam")
    )
    assert flt.querystring() == "zoek=zaak&status=Gepland&status=In+productie"
    assert LandscapeFilter.from_query(QueryDict(flt.querystring())) == flt
    assert flt.without("status", "Gepland").status == ("In productie",)
    assert not LandscapeFilter().narrows and not LandscapeFilter(sorteer="-naam").narrows
