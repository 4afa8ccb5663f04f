"""/zoeken (plugins/catalogus/site/search.py): one search over applicaties, diensten and
organisaties, its facets (counts equal results), sorting, pages, cards and privacy per actor.

The access world (tests/catalogus/conftest.py) gives the catalogue; tests that need more
(a referentiecomponent, a licence, 25 applications) add it in their own savepoint."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import services
from core.actors import Actor
from core.register import catalog
from tests.admin.conftest import logged_in
from tests.catalogus.conftest import ANON, FB, GEM, LEV, LEV2
from tests.conftest import member

pytestmark = pytest.mark.django_db


def client_for(world, label: str) -> Client:
    if label == ANON:
        return Client()
    role, org_key = label.split("@")
    return logged_in(member(world.orgs[org_key], role).user)


def actor_for(world, label: str) -> Actor:
    role, org_key = label.split("@")
    return Actor.for_membership(member(world.orgs[org_key], role))


def write(schema: str, data: dict, by: Actor, status="gepubliceerd", **kwargs):
    return services.create_object(catalog.by_key(schema), data, actor=by, status=status, **kwargs)


def search(client, **params):
    """GET /zoeken; list values become repeated keys."""
    items = []
    for key, value in params.items():
        items += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return client.get("/zoeken?" + urlencode(items))


def names(response) -> list[str]:
    return [card.name for card in response.context["cards"]]


def options(response, key: str) -> dict[str, int]:
    """A facet's options as label → count."""
    facet = next(f for f in response.context["facets"] if f.key == key)
    return {o.label: o.count for o in facet.options}


def option_values(response, key: str) -> dict[str, str]:
    facet = next(f for f in response.context["facets"] if f.key == key)
    return {o.label: o.value for o in facet.options}


# --- what each actor finds --------------------------------------------------------------


def test_anonymous_sees_public_applications_services_and_active_organisations(client, access_world):
    response = client.get("/zoeken")
    assert response.status_code == 200
    found = names(response)
    assert {"Zaakwijzer", "Burgerzaken Pro"} <= set(found)
    assert {"Functioneel beheer Zaakwijzer", "Hosting Burgerzaken"} <= set(found)
    assert {"Acme Software", "Den Haag", "Utrecht", "Dimpact"} <= set(found)
    # concepts, a gemeente's registration and an inactive supplier's content stay hidden
    for hidden in ("Zaakwijzer Next", "Parkeervergunningen", "Oud Pakket", "Gesloten BV"):
        assert hidden not in found
    assert options(response, "type") == {"Applicatie": 2, "Dienst": 2, "Organisatie": 7}
    assert response.context["total"] == 11
    body = response.content.decode()
    assert "Gebruikt door" not in body  # no gemeenten counts for anonymous visitors
    assert "Concept" not in body


def test_government_sees_concepts_with_a_tag_and_gemeenten_counts(access_world):
    response = client_for(access_world, GEM).get("/zoeken", {"type": "applicatie"})
    assert response.status_code == 200
    cards = {c.name: c for c in response.context["cards"]}
    assert {"Parkeervergunningen", "Marktvergunningen", "Oud Pakket"} <= set(cards)
    assert cards["Parkeervergunningen"].concept is True
    assert cards["Zaakwijzer"].concept is False
    assert cards["Zaakwijzer"].gemeenten == 1  # Utrecht (Den Haag's is only proposed)
    assert cards["Burgerzaken Pro"].gemeenten == 1  # Utrecht, as deelnemer of Dimpact
    body = response.content.decode()
    assert re.search(r'class="swc-tag swc-result__concept">Concept<', body)
    assert "1 gemeente" in body


def test_government_sees_how_many_gemeenten_take_a_dienst(client, access_world):
    response = client_for(access_world, GEM).get("/zoeken", {"type": "dienst"})
    cards = {c.name: c for c in response.context["cards"]}
    assert cards["Functioneel beheer Zaakwijzer"].gemeenten == 1  # Utrecht
    assert cards["Hosting Burgerzaken"].gemeenten == 0  # taken by Dimpact, not a gemeente
    assert "Afgenomen door" in response.content.decode()
    anonymous = client.get("/zoeken", {"type": "dienst"})
    assert all(c.gemeenten is None for c in anonymous.context["cards"])
    assert "Afgenomen door" not in anonymous.content.decode()


@pytest.mark.parametrize("label", [LEV, LEV2])
def test_suppliers_get_no_gemeenten_counts_and_no_other_concepts(access_world, label):
    response = client_for(access_world, label).get("/zoeken", {"type": "applicatie"})
    cards = {c.name: c for c in response.context["cards"]}
    assert all(card.gemeenten is None for card in cards.values())
    assert "Gebruikt door" not in response.content.decode()
    assert "Zaakwijzer Next" in cards if label == LEV else "Zaakwijzer Next" not in cards
    # the concept Utrecht registered naming Acme: Acme sees it, Beta never
    assert ("Parkeervergunningen" in cards) == (label == LEV)
    assert "Oud Pakket" not in cards


def test_functioneel_beheer_sees_inactive_organisations(access_world):
    response = client_for(access_world, FB).get("/zoeken", {"q": "Gesloten"})
    assert names(response) == ["Gesloten BV"]
    assert search(Client(), q="Gesloten").context["total"] == 0


# --- text search and sorting ------------------------------------------------------------


def test_text_search_matches_objects_and_organisation_names(client, access_world):
    response = search(client, q="Zaakwijzer")
    assert set(names(response)) == {"Zaakwijzer", "Functioneel beheer Zaakwijzer"}
    response = search(client, q="den haag")
    assert names(response) == ["Den Haag"]
    assert 'value="den haag"' in response.content.decode()  # the term stays in the box


def test_sort_by_name_is_the_default_and_relevance_ranks_name_matches_first(client, access_world):
    lev = actor_for(access_world, LEV)
    write(
        "catalogus/module",
        {
            "naam": "Archiefbeheer",
            "beschrijvingKort": "Koppelt aan Zaakwijzer.",
            "aanbieder": str(access_world.orgs["leverancier"].uuid),
        },
        lev,
    )
    by_name = search(client, q="zaakwijzer")
    assert names(by_name) == ["Archiefbeheer", "Functioneel beheer Zaakwijzer", "Zaakwijzer"]
    by_rank = search(client, q="zaakwijzer", sorteer="relevantie")
    assert by_rank.status_code == 200
    assert names(by_rank)[-1] == "Archiefbeheer"  # only in its description
    # without a term relevance means nothing: name order and a hint
    hint = search(client, sorteer="relevantie")
    assert names(hint) == sorted(names(hint))
    assert "werkt alleen met een zoekterm" in hint.content.decode()


# --- facets ----------------------------------------------------------------------------


@pytest.fixture
def extra(access_world):
    """A referentiecomponent, an open-source application that implements it and a
    third dienst type, so every facet has values."""
    system = Actor.for_system()
    vng = access_world.orgs["vng"]
    zaak = write(
        "gemma/referentiecomponent",
        {"naam": "Zaakregistratiecomponent", "objectId": "zrc"},
        system,
        organisation=vng,
    )
    graf = write(
        "gemma/referentiecomponent",
        {"naam": "Gravenbeheercomponent", "objectId": "gbc"},
        system,
        organisation=vng,
    )
    lev2 = actor_for(access_world, LEV2)
    supplier = str(access_world.orgs["leverancier2"].uuid)
    write(
        "catalogus/module",
        {
            "naam": "Open Zaken",
            "aanbieder": supplier,
            "licentietype": "Open source",
            "licentie": "European Union Public Licence (EUPL), versie 1.2",
            "cloudDienstverleningsmodel": ["SaaS"],
            "referentieComponenten": [str(zaak.uuid), str(graf.uuid)],
        },
        lev2,
    )
    write(
        "catalogus/dienst",
        {"naam": "Opleiding Open Zaken", "type": ["Opleidingen", "Implementatieondersteuning"]},
        lev2,
    )
    return {"zaak": str(zaak.uuid), "graf": str(graf.uuid)}


def test_every_facet_count_equals_the_results_of_choosing_it(client, access_world, extra):
    start = client.get("/zoeken")
    checked = 0
    for facet in start.context["facets"]:
        for option in facet.options:
            chosen = search(client, **{facet.key: option.value})
            assert chosen.status_code == 200
            assert chosen.context["total"] == option.count, (facet.key, option.label)
            assert len(chosen.context["cards"]) == option.count  # fewer than a page here
            checked += 1
    assert checked >= 15


def test_counts_within_a_text_search_and_a_facet_match_too(client, access_world, extra):
    base = {"q": "zaken", "hosting": "SaaS"}
    start = search(client, **base)
    assert names(start) == ["Open Zaken"]
    checked = 0
    for facet in start.context["facets"]:
        if facet.key == "hosting":
            continue  # its own counts ignore its choice (see the disjunctive test)
        for option in facet.options:
            chosen = search(client, **{**base, facet.key: option.value})
            assert chosen.context["total"] == option.count, (facet.key, option.label)
            checked += 1
    assert checked >= 4


def test_each_facet_filters(client, access_world, extra):
    acme = str(access_world.orgs["leverancier"].uuid)
    stuf = access_world.uuid("stuf")
    cases = [
        (
            {"type": "dienst"},
            {"Functioneel beheer Zaakwijzer", "Hosting Burgerzaken", "Opleiding Open Zaken"},
        ),
        ({"organisatietype": "Gemeente"}, {"Utrecht", "Den Haag"}),
        ({"aanbieder": acme}, {"Zaakwijzer", "Functioneel beheer Zaakwijzer"}),
        ({"referentiecomponent": extra["graf"]}, {"Open Zaken"}),
        ({"standaard": stuf}, {"Zaakwijzer"}),
        ({"diensttype": "Opleidingen"}, {"Opleiding Open Zaken"}),
        ({"licentie": "Open source"}, {"Open Zaken"}),
        ({"hosting": "SaaS"}, {"Zaakwijzer", "Open Zaken"}),
        (
            {"hosting": ["SaaS", "On-premises (self-managed)"]},
            {"Zaakwijzer", "Open Zaken", "Burgerzaken Pro"},
        ),
        ({"hosting": "SaaS", "licentie": "Open source"}, {"Open Zaken"}),
        (
            {"type": ["applicatie", "dienst"], "aanbieder": acme},
            {"Zaakwijzer", "Functioneel beheer Zaakwijzer"},
        ),
    ]
    for params, expected in cases:
        response = search(client, **params)
        assert response.status_code == 200, params
        assert set(names(response)) == expected, params


def test_facet_counts_are_disjunctive(client, access_world, extra):
    """A facet's own choice does not narrow its counts; the other facets' choices do."""
    response = search(client, hosting="SaaS")
    assert options(response, "hosting") == {"On-premises (zelf beheerd)": 2, "SaaS": 2}
    assert options(response, "licentie") == {"Open source": 1}
    assert options(response, "type") == {"Applicatie": 2}
    assert options(response, "diensttype") == {}  # choosing hosting leaves no diensten
    both = search(client, hosting=["SaaS", "On-premises (self-managed)"])
    assert both.context["total"] == 3


def test_supplier_facet_lists_only_suppliers_with_readable_names(access_world, extra):
    response = client_for(access_world, GEM).get("/zoeken")
    suppliers = options(response, "aanbieder")
    assert set(suppliers) == {"Acme Software", "Beta Systems", "Gesloten BV"}
    # Zaakwijzer, Zaakwijzer Next, Parkeervergunningen, Marktvergunningen and the dienst
    assert suppliers["Acme Software"] == 5
    body = response.content.decode()
    for facet in response.context["facets"]:
        for option in facet.options:
            assert option.label != option.value or not re.match(r"[0-9a-f-]{36}$", option.value)
    assert body.count('name="aanbieder"') == 3


def test_referentiecomponent_list_narrows_by_typing(client, access_world, extra):
    full = client.get("/zoeken")
    assert set(options(full, "referentiecomponent")) == {
        "Zaakregistratiecomponent",
        "Gravenbeheercomponent",
    }
    suppliers = search(client, aanbieder_zoek="beta")
    assert options(suppliers, "aanbieder") == {"Beta Systems": 4}
    narrowed = search(client, rc_zoek="Graven")
    assert options(narrowed, "referentiecomponent") == {"Gravenbeheercomponent": 1}
    assert narrowed.context["total"] == full.context["total"]  # narrows the list, not results
    # a chosen value stays listed whatever the text box says
    chosen = search(client, rc_zoek="Graven", referentiecomponent=extra["zaak"])
    assert set(options(chosen, "referentiecomponent")) == {
        "Zaakregistratiecomponent",
        "Gravenbeheercomponent",
    }


def test_standards_are_readable_and_alphabetical(client, access_world, extra):
    lev2 = actor_for(access_world, LEV2)
    system = Actor.for_system()
    vng = access_world.orgs["vng"]
    odata = write(
        "gemma/standaardversie",
        {"naam": "Archief API 1.0", "objectId": "a1"},
        system,
        organisation=vng,
    )
    burger = access_world.objects["lev2_module"]
    write(
        "catalogus/compliancy",
        {
            "module": str(burger.uuid),
            "standaardversie": str(odata.uuid),
            "ondersteuning": "Ondersteund",
        },
        lev2,
    )
    write(
        "catalogus/compliancy",
        {
            "module": str(burger.uuid),
            "standaardversie": access_world.uuid("stuf"),
            "ondersteuning": "Niet ondersteund",
        },
        lev2,
    )
    response = client.get("/zoeken")
    assert list(options(response, "standaard").items()) == [
        ("Archief API 1.0", 1),
        ("StUF-ZKN 3.10", 1),  # "Niet ondersteund" does not count
    ]


def test_active_filters_are_listed_with_remove_links_and_clear_all(client, access_world, extra):
    response = search(client, q="zaken", hosting="SaaS", licentie="Open source")
    active = response.context["active_filters"]
    assert [(a["facet"], a["label"]) for a in active] == [
        ("Licentie", "Open source"),
        ("Hosting", "SaaS"),
    ]
    removed = client.get(active[1]["url"])
    assert removed.context["params"].filters == {"licentie": ["Open source"]}
    assert removed.context["params"].q == "zaken"
    cleared = client.get(response.context["clear_url"])
    assert cleared.context["params"].filters == {}
    assert cleared.context["params"].q == "zaken"
    body = response.content.decode()
    assert "Alle filters wissen" in body and "Actieve filters" in body


# --- cards -----------------------------------------------------------------------------


def test_cards_show_supplier_components_diensttypes_and_date(client, access_world, extra):
    lev2 = actor_for(access_world, LEV2)
    system = Actor.for_system()
    vng = access_world.orgs["vng"]
    more = [
        write("gemma/referentiecomponent", {"naam": n, "objectId": n}, system, organisation=vng)
        for n in ("Archiefcomponent", "Burgerzakencomponent")
    ]
    write(
        "catalogus/module",
        {
            "naam": "Alles-in-een",
            "aanbieder": str(access_world.orgs["leverancier2"].uuid),
            "referentieComponenten": [extra["zaak"], extra["graf"], *(str(m.uuid) for m in more)],
        },
        lev2,
    )
    response = search(client, q="alles-in-een")
    card = response.context["cards"][0]
    assert [link.name for link in card.components] == ["Archiefcomponent", "Burgerzakencomponent"]
    assert card.more_components == 2
    assert card.supplier.name == "Beta Systems"
    body = response.content.decode()
    assert "+2 meer" in body
    assert f'href="/organisaties/{access_world.orgs["leverancier2"].uuid}">Beta Systems' in body
    assert 'name="applicatie"' in body and 'action="/vergelijken"' in body
    assert "Eerste registratie" in body
    dienst = search(client, q="opleiding")
    assert "Opleidingen, Implementatieondersteuning" in dienst.content.decode()
    assert '["' not in dienst.content.decode()
    assert 'href="/diensten/' in dienst.content.decode()
    assert 'role="img" aria-label="Dienst"' in dienst.content.decode()


def test_cards_never_show_internal_data(access_world):
    """A search never carries gebruik details: no interne aantekening, no contact person."""
    for label in (ANON, LEV2, GEM):
        body = client_for(access_world, label).get("/zoeken").content.decode()
        assert "Verlengen bespreken" not in body
        assert "Jan Visser" not in body and "j.visser" not in body


# --- pages -----------------------------------------------------------------------------


@pytest.fixture
def many(access_world):
    lev = actor_for(access_world, LEV)
    acme = str(access_world.orgs["leverancier"].uuid)
    for i in range(25):
        write("catalogus/module", {"naam": f"Pakket {i:02d}", "aanbieder": acme}, lev)


def test_pages_add_up_to_the_total_without_overlap(client, access_world, many):
    first = search(client, type="applicatie")
    total = first.context["total"]
    assert total == 27 and first.context["pages"] == 2
    second = client.get(first.context["next_url"])
    seen = [c.uuid for c in first.context["cards"]] + [c.uuid for c in second.context["cards"]]
    assert len(first.context["cards"]) == 20
    assert len(seen) == total == len(set(seen))
    assert 'aria-current="page"' in second.content.decode()
    assert second.context["params"].filters == {"type": ["applicatie"]}  # filters kept


def test_query_count_does_not_grow_with_results(client, access_world, many):
    def queries(**params) -> int:
        """The fewest of three runs: core re-checks its schema catalogue now and then."""
        counts = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                response = search(client, **params)
            assert response.status_code == 200
            counts.append(len(captured))
        return min(counts)

    few = queries(q="zaakwijzer", type="applicatie")
    full = queries(type="applicatie")
    assert len(search(client, type="applicatie").context["cards"]) == 20
    assert full == few
    gemeente = client_for(access_world, GEM)
    with CaptureQueriesContext(connection) as captured:
        gemeente.get(
            "/zoeken", {"hosting": "SaaS", "aanbieder": str(access_world.orgs["leverancier"].uuid)}
        )
    assert len(captured) <= 30


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params,message",
    [
        ({"aanbieder": "niet-een-uuid"}, "geen geldige verwijzing"),
        ({"hosting": "Op de maan"}, "geen bekende waarde"),
        ({"type": "pakket"}, "geen bekende waarde"),
        ({"pagina": "twee"}, "geen geldig paginanummer"),
        ({"pagina": "0"}, "geen geldig paginanummer"),
        ({"pagina": "99"}, "Pagina 99 bestaat niet"),
        ({"sorteer": "prijs"}, "Sorteren kan op naam of op relevantie"),
    ],
)
def test_bad_values_get_a_dutch_message_and_the_rest_of_the_search(
    client, access_world, params, message
):
    response = search(client, q="zaakwijzer", **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Zaakwijzer" in names(response)  # the search still runs without the bad value


def test_unknown_keys_are_ignored(client, access_world):
    response = client.get("/zoeken", {"utm_source": "nieuwsbrief", "q": "zaakwijzer"})
    assert response.status_code == 200
    assert "Zaakwijzer" in names(response)


def test_home_page_search_term_carries_over(client, access_world):
    response = client.get("/zoeken?q=Burgerzaken")
    assert names(response) == ["Burgerzaken Pro", "Hosting Burgerzaken"]
    assert "“Burgerzaken”" in response.content.decode()


def test_cards_put_the_components_gemeenten_register_most_first(access_world, extra):
    system = Actor.for_system()
    vng = access_world.orgs["vng"]
    archief = write(
        "gemma/referentiecomponent",
        {"naam": "Archiefcomponent", "objectId": "ac"},
        system,
        organisation=vng,
    )
    lev2 = actor_for(access_world, LEV2)
    module = write(
        "catalogus/module",
        {
            "naam": "Drieluik",
            "aanbieder": str(access_world.orgs["leverancier2"].uuid),
            "referentieComponenten": [extra["zaak"], extra["graf"], str(archief.uuid)],
        },
        lev2,
    )
    write(
        "catalogus/gebruik",
        {
            "afnemer": str(access_world.orgs["gemeente"].uuid),
            "module": str(module.uuid),
            "status": "In productie",
            "gebruiktVoorReferentiecomponenten": [extra["zaak"]],
        },
        actor_for(access_world, GEM),
    )

    def shown(label):
        card = client_for(access_world, label).get("/zoeken", {"q": "Drieluik"}).context["cards"][0]
        return [link.name for link in card.components], card.more_components

    assert shown(GEM) == (["Zaakregistratiecomponent", "Archiefcomponent"], 1)
    assert shown(ANON) == (["Archiefcomponent", "Gravenbeheercomponent"], 1)


@pytest.mark.parametrize("q", ['"', "-", "or", "zaak & | !", "de", "'s-Gravenhage", "%_"])
def test_odd_search_texts_do_not_break_the_page(client, access_world, q):
    response = client.get("/zoeken", {"q": q})
    assert response.status_code == 200
    assert response.context["total"] == len(response.context["cards"])
