"""`/api/v1/organisaties`: the same list features as objects, and withdrawal from public view."""

import pytest

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return [item["weergavenaam"] for item in response.json()["items"]]


def test_anonymous_sees_only_active_organisations(api_as, orgs):
    body = api_as().get("/api/v1/organisaties").json()
    assert body["total"] == 7
    assert "Gesloten BV" not in [i["naam"] for i in body["items"]]
    assert api_as().get(f"/api/v1/organisaties/{orgs['inactief'].uuid}").status_code == 404


def test_government_sees_inactive_ones_marked(api_as, orgs):
    government = api_as("gemeente", "gebruik-raadpleger")
    detail = government.get(f"/api/v1/organisaties/{orgs['inactief'].uuid}").json()
    assert detail["status"] == "Inactief"
    assert government.get("/api/v1/organisaties").json()["total"] == 8


def test_filters_search_sort_facets_and_pages(api_as, orgs):
    api = api_as()
    assert names(api.get("/api/v1/organisaties", {"type": "Gemeente"})) == ["Den Haag", "Utrecht"]
    assert names(api.get("/api/v1/organisaties", {"zoek": "haag"})) == ["Den Haag"]
    assert names(api.get("/api/v1/organisaties", {"zoek": "gravenhage"})) == ["Den Haag"]
    page = api.get("/api/v1/organisaties", {"sorteer": "-naam", "paginaGrootte": 2, "pagina": 2})
    assert page.json()["total"] == 7 and names(page) == ["Open Community", "Dimpact"]
    facets = api.get("/api/v1/organisaties", {"facetten": "type"}).json()["facetten"]["type"]
    assert facets == [
        {"waarde": "Gemeente", "label": "Gemeente", "aantal": 2},
        {"waarde": "Leverancier", "label": "Leverancier", "aantal": 2},
        {"waarde": "Community", "label": "Community", "aantal": 1},
        {"waarde": "Samenwerking", "label": "Samenwerking", "aantal": 1},
        {"waarde": "VNG", "label": "VNG", "aantal": 1},
    ]
    bad = api.get("/api/v1/organisaties", {"kleur": "x", "sorteer": "geheim"})
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"kleur", "sorteer"}


def test_content_of_a_deactivated_organisation_is_withdrawn_and_returns(api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    created = acme.post(
        "/api/v1/producten",
        {
            "status": "gepubliceerd",
            "data": {
                "naam": "Pakket",
                "aanbieder": str(orgs["leverancier"].uuid),
                "categorie": "software",
            },
        },
    )
    assert created.status_code == 201
    assert api_as().get("/api/v1/producten").json()["total"] == 1
    org = orgs["leverancier"]
    org.status = "Inactief"
    org.save()
    assert api_as().get("/api/v1/producten").json()["total"] == 0
    assert api_as("leverancier2", "aanbod-beheerder").get("/api/v1/producten").json()["total"] == 0
    assert api_as("gemeente", "gebruik-raadpleger").get("/api/v1/producten").json()["total"] == 1
    # Members of an inactive organisation can no longer act for it.
    assert acme.patch(created.json()["url"], {"data": {"naam": "X"}}).status_code == 401
    org.status = "Actief"
    org.save()
    assert api_as().get("/api/v1/producten").json()["total"] == 1
