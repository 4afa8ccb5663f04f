"""The authorisation matrix for the example register: role × organisation type × action.

Each row is written out by hand: (organisation, role, action on product, expected status).
Products are offered by suppliers and communities; afnames are registered by gemeenten and
samenwerkingen; raadplegers never write; functioneel beheer may do everything.
"""

import pytest

pytestmark = pytest.mark.django_db


def product_data(orgs, org_key):
    return {"naam": "Pakket", "aanbieder": str(orgs[org_key].uuid), "categorie": "software"}


CREATE_PRODUCT = [
    ("leverancier", "aanbod-beheerder", 201),
    ("community", "aanbod-beheerder", 201),
    ("samenwerking", "aanbod-beheerder", 403),
    ("gemeente", "gebruik-beheerder", 403),
    ("gemeente", "gebruik-raadpleger", 403),
    ("vng", "vng-raadpleger", 403),
    ("vng", "functioneel-beheerder", 201),
    (None, None, 401),
]


@pytest.mark.parametrize(("org_key", "role", "expected"), CREATE_PRODUCT)
def test_create_product(api_as, orgs, org_key, role, expected):
    response = api_as(org_key, role).post(
        "/api/v1/producten", {"data": product_data(orgs, org_key or "leverancier")}
    )
    assert response.status_code == expected, response.content


CREATE_AFNAME = [
    ("gemeente", "gebruik-beheerder", 201),
    ("samenwerking", "gebruik-beheerder", 201),
    ("gemeente", "gebruik-raadpleger", 403),
    ("leverancier", "aanbod-beheerder", 403),
    ("community", "aanbod-beheerder", 403),
    ("vng", "vng-raadpleger", 403),
    ("vng", "functioneel-beheerder", 201),
]


@pytest.fixture
def published_product(api_as, orgs):
    response = api_as("leverancier", "aanbod-beheerder").post(
        "/api/v1/producten", {"status": "gepubliceerd", "data": product_data(orgs, "leverancier")}
    )
    return response.json()["uuid"]


@pytest.mark.parametrize(("org_key", "role", "expected"), CREATE_AFNAME)
def test_create_afname(api_as, published_product, org_key, role, expected):
    response = api_as(org_key, role).post(
        "/api/v1/afnames", {"data": {"product": published_product, "status": "gepland"}}
    )
    assert response.status_code == expected, response.content


CHANGE_PRODUCT = [
    # (organisation, role, PATCH status, archive status)
    ("leverancier", "aanbod-beheerder", 200, 204),  # the owner
    ("leverancier2", "aanbod-beheerder", 403, 403),  # another supplier
    ("gemeente", "gebruik-beheerder", 403, 403),
    ("gemeente", "gebruik-raadpleger", 403, 403),
    ("vng", "vng-raadpleger", 403, 403),
    ("vng", "functioneel-beheerder", 200, 204),
    (None, None, 401, 401),
]


@pytest.mark.parametrize(("org_key", "role", "patch", "archive"), CHANGE_PRODUCT)
def test_change_and_archive_product(api_as, published_product, org_key, role, patch, archive):
    api = api_as(org_key, role)
    url = f"/api/v1/producten/{published_product}"
    assert api.patch(url, {"data": {"beschrijving": "Nieuw"}}).status_code == patch
    assert api.delete(url).status_code == archive


def test_hard_delete_only_for_functioneel_beheer_or_unreferenced_concepts(api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    concept = acme.post("/api/v1/producten", {"data": product_data(orgs, "leverancier")}).json()
    published = acme.post(
        "/api/v1/producten", {"status": "gepubliceerd", "data": product_data(orgs, "leverancier")}
    ).json()
    assert acme.delete(f"{published['url']}?definitief=true").status_code == 403
    assert acme.delete(f"{concept['url']}?definitief=true").status_code == 204
    assert acme.get(concept["url"]).status_code == 404
    functioneel = api_as("vng", "functioneel-beheerder")
    assert functioneel.delete(f"{published['url']}?definitief=true").status_code == 204


def test_a_supplier_cannot_name_another_supplier_as_aanbieder(api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    response = acme.post("/api/v1/producten", {"data": product_data(orgs, "leverancier2")})
    assert response.status_code == 403
    assert api_as("leverancier2", "aanbod-beheerder").get("/api/v1/producten").json()["total"] == 0


def test_archived_objects_are_not_edited_or_archived_again(api_as, published_product):
    acme = api_as("leverancier", "aanbod-beheerder")
    url = f"/api/v1/producten/{published_product}"
    assert acme.delete(url).status_code == 204
    assert acme.patch(url, {"status": "gepubliceerd"}).status_code == 403
    assert acme.patch(url, {"data": {"naam": "Terug"}}).status_code == 403
    assert acme.delete(url).status_code == 403
    assert [v["actie"] for v in acme.get(f"{url}/historie").json()["items"]] == [
        "archived",
        "created",
    ]
