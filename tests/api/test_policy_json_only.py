"""The voorbeeld register is declared only in JSON (no Python). These tests prove its
`x-access` policy and field audiences hold in list, count, facet, search, history,
relation expansion and reverse relations. Every expected outcome is written out by
hand from the scenario below, not derived from the policy.

Scenario:
- Acme (leverancier) publishes "Zaaksysteem Plus" (software) and keeps "Geheim Concept"
  as concept; Beta (leverancier) publishes "Burgerzaken Pro" (dienst); Gesloten BV
  (leverancier, Inactief) published "Oud Pakket" before it was deactivated.
- Utrecht (gemeente) uses Zaaksysteem Plus: contractwaarde 50000, interne aantekening,
  deelnemers Den Haag and Gesloten BV.
- Dimpact (samenwerking) uses Burgerzaken Pro: contractwaarde 20000, deelnemer Den Haag.
"""

import pytest

from core import services
from core.constants import ObjectStatus, OrganisationStatus
from core.register import catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs, actor_for):
    products = catalog.by_collection("producten")
    afnames = catalog.by_collection("afnames")
    acme = actor_for("leverancier", "aanbod-beheerder")
    beta = actor_for("leverancier2", "aanbod-beheerder")
    utrecht = actor_for("gemeente", "gebruik-beheerder")
    dimpact = actor_for("samenwerking", "gebruik-beheerder")
    pub = ObjectStatus.GEPUBLICEERD

    def product(actor, naam, categorie, org_key, status=pub):
        data = {"naam": naam, "aanbieder": str(orgs[org_key].uuid), "categorie": categorie}
        return services.create_object(products, data, actor=actor, status=status)

    zaak = product(acme, "Zaaksysteem Plus", "software", "leverancier")
    concept = product(acme, "Geheim Concept", "software", "leverancier", ObjectStatus.CONCEPT)
    burger = product(beta, "Burgerzaken Pro", "dienst", "leverancier2")
    gesloten = orgs["inactief"]
    gesloten.status = OrganisationStatus.ACTIEF
    gesloten.save()
    oud = product(actor_for("inactief", "aanbod-beheerder"), "Oud Pakket", "hardware", "inactief")
    gesloten.status = OrganisationStatus.INACTIEF
    gesloten.save()
    utrecht_afname = services.create_object(
        afnames,
        {
            "product": str(zaak.uuid),
            "status": "in-productie",
            "contractwaarde": 50000,
            "interneAantekening": "Verlengen voor 2027",
            "deelnemers": [str(orgs["gemeente2"].uuid), str(gesloten.uuid)],
        },
        actor=utrecht,
        status=pub,
    )
    dimpact_afname = services.create_object(
        afnames,
        {
            "product": str(burger.uuid),
            "status": "gepland",
            "contractwaarde": 20000,
            "deelnemers": [str(orgs["gemeente2"].uuid)],
        },
        actor=dimpact,
        status=pub,
    )
    return {
        "zaak": zaak,
        "concept": concept,
        "burger": burger,
        "oud": oud,
        "utrecht_afname": utrecht_afname,
        "dimpact_afname": dimpact_afname,
    }


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["titel"] for item in response.json()["items"])


def test_product_lists_and_counts_per_actor(world, api_as):
    anonymous = api_as()
    assert titles(anonymous.get("/api/v1/producten")) == ["Burgerzaken Pro", "Zaaksysteem Plus"]
    assert anonymous.get("/api/v1/producten").json()["total"] == 2
    acme = api_as("leverancier", "aanbod-beheerder")
    assert titles(acme.get("/api/v1/producten")) == [
        "Burgerzaken Pro",
        "Geheim Concept",
        "Zaaksysteem Plus",
    ]
    assert titles(api_as("leverancier2", "aanbod-beheerder").get("/api/v1/producten")) == [
        "Burgerzaken Pro",
        "Zaaksysteem Plus",
    ]
    government = api_as("gemeente", "gebruik-raadpleger")
    body = government.get("/api/v1/producten").json()
    assert body["total"] == 4
    oud = next(i for i in body["items"] if i["titel"] == "Oud Pakket")
    assert oud["eigenaar"]["status"] == "Inactief"  # shown, marked with its status


def test_product_facets_and_search_per_actor(world, api_as):
    anonymous = api_as().get("/api/v1/producten", {"facetten": "categorie"}).json()
    assert anonymous["facetten"]["categorie"] == [
        {"waarde": "dienst", "label": "Dienst", "aantal": 1},
        {"waarde": "software", "label": "Software", "aantal": 1},
    ]
    government = (
        api_as("gemeente", "gebruik-beheerder")
        .get("/api/v1/producten", {"facetten": "categorie"})
        .json()
    )
    assert government["facetten"]["categorie"] == [
        {"waarde": "software", "label": "Software", "aantal": 2},
        {"waarde": "dienst", "label": "Dienst", "aantal": 1},
        {"waarde": "hardware", "label": "Hardware", "aantal": 1},
    ]
    assert titles(api_as().get("/api/v1/producten", {"zoek": "geheim"})) == []
    assert titles(api_as().get("/api/v1/producten", {"zoek": "pakket"})) == []
    assert titles(
        api_as("leverancier", "aanbod-beheerder").get("/api/v1/producten", {"zoek": "geheim"})
    ) == ["Geheim Concept"]


def test_afname_visibility_through_relation_index(world, api_as):
    assert api_as().get("/api/v1/afnames").json()["total"] == 0
    assert titles(api_as("leverancier", "aanbod-beheerder").get("/api/v1/afnames")) == [
        "Utrecht gebruikt Zaaksysteem Plus"
    ]
    assert titles(api_as("leverancier2", "aanbod-beheerder").get("/api/v1/afnames")) == [
        "Dimpact gebruikt Burgerzaken Pro"
    ]
    assert api_as("community", "aanbod-beheerder").get("/api/v1/afnames").json()["total"] == 0
    assert api_as("vng", "vng-raadpleger").get("/api/v1/afnames").json()["total"] == 0
    assert api_as("gemeente2", "gebruik-raadpleger").get("/api/v1/afnames").json()["total"] == 2
    # Searching does not reveal what listing hides.
    assert (
        titles(
            api_as("leverancier2", "aanbod-beheerder").get(
                "/api/v1/afnames", {"zoek": "Zaaksysteem"}
            )
        )
        == []
    )


def test_changing_the_supplier_moves_visibility_without_rewriting_afnames(world, api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    url = f"/api/v1/producten/{world['zaak'].uuid}"
    beta = str(orgs["leverancier2"].uuid)
    # A supplier cannot hand its product (and the afnames' visibility) to another supplier...
    assert acme.patch(url, {"data": {"aanbieder": beta}}).status_code == 403
    # ...functioneel beheer can (a take-over), and only the relation index changes.
    moved = api_as("vng", "functioneel-beheerder").patch(url, {"data": {"aanbieder": beta}})
    assert moved.status_code == 200, moved.content
    assert titles(api_as("leverancier2", "aanbod-beheerder").get("/api/v1/afnames")) == [
        "Dimpact gebruikt Burgerzaken Pro",
        "Utrecht gebruikt Zaaksysteem Plus",
    ]
    assert titles(acme.get("/api/v1/afnames")) == []


def test_field_audiences_in_detail_filter_facet_and_sort(world, api_as):
    url = f"/api/v1/afnames/{world['utrecht_afname'].uuid}"
    own = api_as("gemeente", "gebruik-beheerder").get(url).json()["data"]
    assert own["contractwaarde"] == 50000
    assert own["interneAantekening"] == "Verlengen voor 2027"
    named = api_as("gemeente2", "gebruik-beheerder").get(url).json()["data"]
    assert named["contractwaarde"] == 50000  # Den Haag is a named deelnemer
    assert "interneAantekening" not in named
    supplier = api_as("leverancier", "aanbod-beheerder").get(url).json()["data"]
    assert "contractwaarde" not in supplier
    assert "interneAantekening" not in supplier
    functioneel = api_as("vng", "functioneel-beheerder").get(url).json()["data"]
    assert "interneAantekening" not in functioneel  # internal notes never leave Utrecht

    samenwerking = api_as("gemeente", "gebruik-raadpleger")  # Utrecht: not named on Dimpact's
    assert samenwerking.get("/api/v1/afnames", {"contractwaarde": "20000"}).json()["total"] == 0
    assert samenwerking.get("/api/v1/afnames", {"contractwaarde": "50000"}).json()["total"] == 1
    facet = samenwerking.get("/api/v1/afnames", {"facetten": "contractwaarde"}).json()
    assert facet["facetten"]["contractwaarde"] == [
        {"waarde": "50000", "label": "50000", "aantal": 1}
    ]
    supplier_api = api_as("leverancier2", "aanbod-beheerder")
    refused = supplier_api.get("/api/v1/afnames", {"contractwaarde": "20000"})
    assert refused.status_code == 200  # Beta sees the field on no row it may read...
    assert refused.json()["total"] == 0  # ...so the filter can match nothing
    sort = supplier_api.get("/api/v1/afnames", {"sorteer": "-contractwaarde"})
    assert sort.status_code == 200
    assert [i["data"].get("contractwaarde") for i in sort.json()["items"]] == [None]


def test_anonymous_cannot_filter_facet_or_sort_on_hidden_fields(world, api_as):
    anonymous = api_as()
    for params in (
        {"prijsafspraak": "x"},
        {"sorteer": "prijsafspraak"},
        {"facetten": "prijsafspraak"},
        {"velden": "interneNotitie"},
    ):
        response = anonymous.get("/api/v1/producten", params)
        assert response.status_code == 400, params
        assert response["Content-Type"] == "application/problem+json"


def test_history_hides_fields_the_reader_may_not_see(world, api_as):
    utrecht = api_as("gemeente", "gebruik-beheerder")
    url = f"/api/v1/afnames/{world['utrecht_afname'].uuid}"
    assert (
        utrecht.patch(
            url,
            {
                "data": {
                    "interneAantekening": "Opzeggen",
                    "contractwaarde": 60000,
                    "status": "uitgefaseerd",
                }
            },
        ).status_code
        == 200
    )
    own = utrecht.get(f"{url}/historie").json()["items"][0]["wijzigingen"]
    assert set(own) == {"contractwaarde", "interneAantekening", "status"}
    supplier = api_as("leverancier", "aanbod-beheerder").get(f"{url}/historie").json()
    assert set(supplier["items"][0]["wijzigingen"]) == {"status"}
    assert supplier["items"][0]["gebruiker"] is None  # people are not shown to suppliers
    created = supplier["items"][-1]["wijzigingen"]
    assert "interneAantekening" not in created and "contractwaarde" not in created
    assert api_as().get(f"{url}/historie").status_code == 404


def test_relation_expansion_and_reverse_relations_respect_access(world, api_as):
    acme = api_as("leverancier", "aanbod-beheerder")
    item = acme.get("/api/v1/afnames", {"uitbreiden": "deelnemers,product"}).json()["items"][0]
    assert [o["naam"] for o in item["_uitgebreid"]["deelnemers"]] == ["Den Haag"]
    assert item["_uitgebreid"]["product"]["titel"] == "Zaaksysteem Plus"
    government = api_as("gemeente2", "gebruik-beheerder")
    items = government.get("/api/v1/afnames", {"uitbreiden": "deelnemers"}).json()["items"]
    utrecht = next(i for i in items if i["titel"].startswith("Utrecht"))
    assert sorted((o["naam"], o["status"]) for o in utrecht["_uitgebreid"]["deelnemers"]) == [
        ("Den Haag", "Actief"),
        ("Gesloten BV", "Inactief"),
    ]

    refs = f"/api/v1/producten/{world['zaak'].uuid}/verwijzingen"
    assert api_as().get(refs).json()["total"] == 0
    assert [i["titel"] for i in acme.get(refs).json()["items"]] == [
        "Utrecht gebruikt Zaaksysteem Plus"
    ]
    assert api_as("leverancier2", "aanbod-beheerder").get(refs).json()["total"] == 0


def test_archiving_a_referenced_object_names_only_visible_referrers(world, api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    response = acme.delete(f"/api/v1/producten/{world['zaak'].uuid}")
    assert response.status_code == 409
    assert "Utrecht gebruikt Zaaksysteem Plus" in response.json()["detail"]
    # Beta's product is used by Dimpact; Beta may see that afname, so it is named.
    beta = api_as("leverancier2", "aanbod-beheerder")
    detail = beta.delete(f"/api/v1/producten/{world['burger'].uuid}").json()["detail"]
    assert "Dimpact gebruikt Burgerzaken Pro" in detail
    # Once the referrer is archived, the product may go.
    utrecht = api_as("gemeente", "gebruik-beheerder")
    assert utrecht.delete(f"/api/v1/afnames/{world['utrecht_afname'].uuid}").status_code == 204
    assert acme.delete(f"/api/v1/producten/{world['zaak'].uuid}").status_code == 204


def test_referrers_invisible_to_the_actor_are_not_named(world, orgs, actor_for):
    afnames = catalog.by_collection("afnames")
    services.create_object(
        afnames,
        {"product": str(world["concept"].uuid), "status": "gepland"},
        actor=actor_for("gemeente2", "gebruik-beheerder"),
    )
    # Acme sees Den Haag's afname through its product; a community sees only that there is one.
    acme_view, more = services.referrers(
        world["concept"], actor_for("leverancier", "aanbod-beheerder")
    )
    assert [o.title for o in acme_view] == ["Den Haag gebruikt (niet openbaar)"]
    assert more is False
    outsider_view, more = services.referrers(
        world["concept"], actor_for("community", "aanbod-beheerder")
    )
    assert outsider_view == [] and more is True


def test_sorting_on_a_hidden_field_reveals_no_order(world, api_as, actor_for):
    afnames = catalog.by_collection("afnames")
    utrecht = actor_for("gemeente", "gebruik-beheerder")
    for waarde in (200, 300, 100):
        services.create_object(
            afnames,
            {"product": str(world["burger"].uuid), "status": "gepland", "contractwaarde": waarde},
            actor=utrecht,
        )
    beta = api_as("leverancier2", "aanbod-beheerder")  # sees these afnames, not the field
    by_value = beta.get("/api/v1/afnames", {"sorteer": "contractwaarde"}).json()["items"]
    by_value_desc = beta.get("/api/v1/afnames", {"sorteer": "-contractwaarde"}).json()["items"]
    # Beta is named on none of them, so every value sorts as empty: both directions give the
    # same (creation) order instead of revealing 100 < 200 < 300.
    assert [i["uuid"] for i in by_value] == [i["uuid"] for i in by_value_desc]


def test_derived_titles_never_carry_titles_the_reader_may_not_see(world, api_as, orgs, actor_for):
    afnames = catalog.by_collection("afnames")
    utrecht = actor_for("gemeente", "gebruik-beheerder")
    afname = services.create_object(
        afnames,
        {
            "product": str(world["concept"].uuid),
            "status": "gepland",
            "deelnemers": [str(orgs["leverancier2"].uuid)],
        },
        actor=utrecht,
    )
    assert afname.title == "Utrecht gebruikt (niet openbaar)"
    beta = api_as("leverancier2", "aanbod-beheerder")
    assert beta.get("/api/v1/afnames", {"zoek": "Geheim"}).json()["total"] == 0


def test_relation_uuids_are_stored_in_one_spelling(world, api_as, actor_for):
    afnames = catalog.by_collection("afnames")
    afname = services.create_object(
        afnames,
        {
            "product": str(world["zaak"].uuid).upper(),
            "status": "gepland",
        },
        actor=actor_for("gemeente", "gebruik-beheerder"),
    )
    assert afname.data["product"] == str(world["zaak"].uuid)
    acme = api_as("leverancier", "aanbod-beheerder")
    refs = acme.get(f"/api/v1/producten/{world['zaak'].uuid}/verwijzingen").json()
    assert refs["total"] == 2


def test_a_target_that_became_invisible_does_not_block_other_edits(world, actor_for):
    spec = catalog.by_collection("afnames").spec
    data = {"product": str(world["concept"].uuid), "status": "gepland"}
    beta = actor_for("leverancier2", "aanbod-beheerder")  # cannot see Acme's concept
    errors, _rows, _titles = services._resolve_relations(spec, data, beta)
    assert errors == [("/product", services.UNKNOWN_TARGET)]
    errors, rows, _titles = services._resolve_relations(spec, data, beta, previous=data)
    assert errors == [] and rows == [("product", world["concept"].pk, None)]


def test_derived_titles_follow_a_rename(world, api_as, django_capture_on_commit_callbacks):
    acme = api_as("leverancier", "aanbod-beheerder")
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued on commit
        renamed = acme.patch(
            f"/api/v1/producten/{world['zaak'].uuid}", {"data": {"naam": "Zaaksysteem Max"}}
        )
    assert renamed.status_code == 200
    utrecht = api_as("gemeente", "gebruik-beheerder")
    url = f"/api/v1/afnames/{world['utrecht_afname'].uuid}"
    assert utrecht.get(url).json()["titel"] == "Utrecht gebruikt Zaaksysteem Max"
    latest = utrecht.get(f"{url}/historie").json()["items"][0]
    assert (latest["kanaal"], set(latest["wijzigingen"])) == ("system", {"naam"})
    assert utrecht.get("/api/v1/afnames", {"zoek": "Max"}).json()["total"] == 1
