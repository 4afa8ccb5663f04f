"""The basic life of an object through the API: create, read, list, patch, archive."""

import pytest

pytestmark = pytest.mark.django_db


def product(orgs, **extra):
    return {
        "naam": "Zaaksysteem",
        "aanbieder": str(orgs["leverancier"].uuid),
        "categorie": "software",
        **extra,
    }


def test_create_read_patch_archive(api_as, orgs):
    api = api_as("leverancier", "aanbod-beheerder")
    created = api.post("/api/v1/producten", {"status": "gepubliceerd", "data": product(orgs)})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["data"]["geregistreerdDoor"] == "Leverancier"
    assert body["titel"] == "Zaaksysteem"
    url = body["url"]
    assert created["API-Version"] == "1.0.0"

    read = api_as().get(url)
    assert read.status_code == 200
    etag = read["ETag"]

    patched = api.patch(url, {"data": {"beschrijving": "Nieuw"}}, HTTP_IF_MATCH=etag)
    assert patched.status_code == 200, patched.content
    assert patched.json()["versie"] == 2
    stale = api.patch(url, {"data": {"beschrijving": "Oud"}}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"

    listed = api_as().get("/api/v1/producten", {"facetten": "categorie,labels"})
    assert listed.status_code == 200, listed.content
    assert listed.json()["total"] == 1
    assert listed.json()["facetten"]["categorie"] == [
        {"waarde": "software", "label": "Software", "aantal": 1}
    ]

    assert api.delete(url).status_code == 204
    assert api_as().get("/api/v1/producten").json()["total"] == 0


def test_numbers_sort_as_numbers(api_as, orgs):
    api = api_as("leverancier", "aanbod-beheerder")
    for prijs in (1200, 30, 200):
        api.post(
            "/api/v1/producten",
            {"status": "gepubliceerd", "data": product(orgs, naam=f"P{prijs}", prijs=prijs)},
        )
    items = api_as().get("/api/v1/producten", {"sorteer": "prijs"}).json()["items"]
    assert [i["data"]["prijs"] for i in items] == [30, 200, 1200]
    items = api_as().get("/api/v1/producten", {"sorteer": "-prijs"}).json()["items"]
    assert [i["data"]["prijs"] for i in items] == [1200, 200, 30]


def test_array_filter_matches_any_of_the_values(api_as, orgs):
    api = api_as("leverancier", "aanbod-beheerder")
    for naam, labels in (("A", ["cloud"]), ("B", ["open-source"]), ("C", [])):
        api.post(
            "/api/v1/producten",
            {"status": "gepubliceerd", "data": product(orgs, naam=naam, labels=labels)},
        )
    found = api_as().get("/api/v1/producten", {"labels": "cloud"}).json()
    assert [i["titel"] for i in found["items"]] == ["A"] and found["total"] == 1
    either = api_as().get("/api/v1/producten", {"labels": "cloud,open-source"}).json()
    assert [i["titel"] for i in either["items"]] == ["A", "B"]
