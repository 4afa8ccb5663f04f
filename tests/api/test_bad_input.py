"""Bad input gets a clear Dutch problem+json answer and changes nothing."""

import json

import pytest
from django.test import override_settings

from core.models import Object, ObjectFile, ObjectVersion

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def acme(api_as):
    return api_as("leverancier", "aanbod-beheerder")


@pytest.fixture
def product_body(orgs):
    return {
        "status": "gepubliceerd",
        "data": {
            "naam": "Zaaksysteem",
            "aanbieder": str(orgs["leverancier"].uuid),
            "categorie": "software",
        },
    }


@pytest.fixture
def existing(acme, product_body):
    response = acme.post("/api/v1/producten", product_body)
    assert response.status_code == 201
    return response.json()["url"], response["ETag"]


def unchanged(count_objects: int, count_versions: int):
    assert Object.objects.count() == count_objects
    assert ObjectVersion.objects.count() == count_versions


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_malformed_json(acme):
    body = problem(acme.post("/api/v1/producten", '{"data": {"naam": '), 400)
    assert body["detail"] == "De inhoud is geen geldige JSON."
    unchanged(0, 0)


def test_wrong_content_type(acme, product_body):
    response = acme.post("/api/v1/producten", json.dumps(product_body), content_type="text/plain")
    assert problem(response, 415)["detail"] == "Gebruik Content-Type application/json."
    unchanged(0, 0)


def test_every_validation_error_at_once_with_pointers(acme, orgs):
    response = acme.post(
        "/api/v1/producten",
        {
            "data": {
                "categorie": "vliegtuig",
                "prijs": "duur",
                "onbekend": 1,
                "releaseDatum": "gisteren",
                "aanbieder": str(orgs["leverancier"].uuid),
            }
        },
    )
    errors = {e["pointer"]: e["reason"] for e in problem(response, 400)["invalidParams"]}
    assert errors == {
        "/naam": "Dit veld is verplicht.",
        "/categorie": "Kies een van: software, dienst, hardware.",
        "/prijs": "Verwacht type geheel getal.",
        "/onbekend": "Onbekend veld.",
        "/releaseDatum": "Geen geldige datum (JJJJ-MM-DD).",
    }
    unchanged(0, 0)


def test_unknown_top_level_fields_and_query_keys(acme, product_body):
    response = acme.post("/api/v1/producten", {**product_body, "eigenaar": "x"})
    assert problem(response, 400)["invalidParams"][0]["name"] == "eigenaar"
    body = problem(acme.get("/api/v1/producten", {"kleur": "rood", "pagina": "nul"}), 400)
    assert {p["name"] for p in body["invalidParams"]} == {"kleur", "pagina"}
    unchanged(0, 0)


def test_relation_to_missing_or_invisible_object_reads_the_same(acme, api_as, orgs):
    missing = acme.post(
        "/api/v1/afnames",
        {"data": {"product": "00000000-0000-4000-8000-000000000000", "status": "gepland"}},
    )
    assert missing.status_code == 403  # a supplier may not create afnames at all
    utrecht = api_as("gemeente", "gebruik-beheerder")
    missing = utrecht.post(
        "/api/v1/afnames",
        {"data": {"product": "00000000-0000-4000-8000-000000000000", "status": "gepland"}},
    )
    concept = acme.post(
        "/api/v1/producten",
        {
            "data": {
                "naam": "Concept",
                "aanbieder": str(orgs["leverancier"].uuid),
                "categorie": "software",
            }
        },
    )
    beta = api_as("leverancier2", "aanbod-beheerder")
    invisible = beta.post(
        "/api/v1/producten",
        {"data": {"naam": "X", "aanbieder": str(orgs["inactief"].uuid), "categorie": "software"}},
    )
    reason = "Onbekend object, of een object dat u niet mag zien."
    assert problem(missing, 400)["invalidParams"] == [
        {"name": "/product", "pointer": "/product", "reason": reason}
    ]
    assert problem(invisible, 400)["invalidParams"] == [
        {"name": "/aanbieder", "pointer": "/aanbieder", "reason": reason}
    ]
    assert concept.status_code == 201
    assert Object.objects.count() == 1


def test_client_supplied_derived_field_is_refused(acme, product_body):
    product_body["data"]["geregistreerdDoor"] = "Gemeente"
    body = problem(acme.post("/api/v1/producten", product_body), 400)
    assert body["invalidParams"] == [
        {
            "name": "/geregistreerdDoor",
            "pointer": "/geregistreerdDoor",
            "reason": "Dit veld wordt door de server bepaald.",
        }
    ]
    unchanged(0, 0)


def test_stale_if_match_changes_nothing(acme, existing):
    url, etag = existing
    assert acme.patch(url, {"data": {"naam": "Nieuw"}}, HTTP_IF_MATCH=etag).status_code == 200
    problem(acme.patch(url, {"data": {"naam": "Ouder"}}, HTTP_IF_MATCH=etag), 412)
    problem(acme.delete(url, HTTP_IF_MATCH=etag), 412)
    assert Object.objects.get().data["naam"] == "Nieuw"
    assert ObjectVersion.objects.count() == 2


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_body(acme, product_body):
    product_body["data"]["beschrijving"] = "x" * 2000
    problem(acme.post("/api/v1/producten", product_body), 413)
    unchanged(0, 0)


@override_settings(MAX_UPLOAD_SIZE=100)
def test_oversized_and_wrong_uploads(acme, existing):
    url, _etag = existing
    upload = f"{url}/bestanden/handleiding"
    problem(acme.put(upload, b"%PDF" + b"x" * 200, content_type="application/pdf"), 413)
    problem(acme.put(upload, b"MZ\x90", content_type="application/x-msdownload"), 415)
    problem(acme.put(upload, b"not a pdf", content_type="application/pdf"), 400)
    assert ObjectFile.objects.count() == 0
    assert "handleiding" not in Object.objects.get().data


def test_trailing_slash_is_404_not_redirect(acme):
    for path in ("/api/v1/producten/", "/api/v1/organisaties/", "/api/v1/openapi.json/"):
        response = acme.get(path)
        problem(response, 404)


def test_unknown_collection_and_object(acme):
    problem(acme.get("/api/v1/bestaat-niet"), 404)
    problem(acme.get("/api/v1/producten/00000000-0000-4000-8000-000000000000"), 404)


def test_read_only_roles_and_anonymous_cannot_write(api_as, product_body, existing):
    url, _ = existing
    problem(api_as().post("/api/v1/producten", product_body), 401)
    problem(api_as("gemeente", "gebruik-raadpleger").patch(url, {"data": {"naam": "X"}}), 403)
    problem(api_as("leverancier2", "aanbod-beheerder").patch(url, {"data": {"naam": "X"}}), 403)
    assert Object.objects.get().data["naam"] == "Zaaksysteem"


def test_invalid_token_is_401(product_body):
    from tests.conftest import Api

    problem(Api("swc_nietgeldig").get("/api/v1/producten"), 401)


def test_security_and_version_headers_everywhere(acme):
    for path in ("/api/v1/producten", "/api/v1/bestaat-niet", "/api/v1/openapi.json"):
        response = acme.get(path)
        assert response["API-Version"] == "1.0.0"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
    assert acme.get("/api/v1/openapi.json")["Access-Control-Allow-Origin"] == "*"


def test_errors_never_name_fields_the_writer_cannot_see(api_as, orgs):
    utrecht = api_as("gemeente", "gebruik-beheerder")
    product = (
        api_as("leverancier", "aanbod-beheerder")
        .post(
            "/api/v1/producten",
            {
                "status": "gepubliceerd",
                "data": {
                    "naam": "P",
                    "aanbieder": str(orgs["leverancier"].uuid),
                    "categorie": "software",
                },
            },
        )
        .json()
    )
    afname = utrecht.post(
        "/api/v1/afnames",
        {"data": {"product": product["uuid"], "status": "gepland", "interneAantekening": "intern"}},
    ).json()
    # An old, now-invalid internal note (as after a schema change) must not leak through
    # functioneel beheer's error messages.
    Object.objects.filter(uuid=afname["uuid"]).update(
        data={**Object.objects.get(uuid=afname["uuid"]).data, "interneAantekening": 12}
    )
    functioneel = api_as("vng", "functioneel-beheerder")
    response = functioneel.patch(afname["url"], {"data": {"status": "uitgefaseerd"}})
    body = problem(response, 400)
    assert "interneAantekening" not in response.content.decode()
    reason = "Het object is niet geldig; neem contact op met de eigenaar."
    assert body["invalidParams"] == [{"name": "/", "pointer": "", "reason": reason}]
    assert Object.objects.get(uuid=afname["uuid"]).data["status"] == "gepland"


def test_unknown_query_keys_on_every_endpoint(acme, existing, orgs):
    url, _ = existing
    for path in (
        f"{url}/historie",
        f"{url}/verwijzingen",
        f"/api/v1/organisaties/{orgs['gemeente'].uuid}",
        "/api/v1/schemas",
        "/api/v1/registers",
        "/api/v1/plugins",
    ):
        problem(acme.get(path, {"onbekend": "1"}), 400)
    problem(acme.patch(f"{url}?onbekend=1", {"data": {"naam": "X"}}), 400)
    problem(acme.delete(f"{url}?onbekend=1"), 400)
    assert Object.objects.get().data["naam"] == "Zaaksysteem"


def test_filter_values_that_can_never_match_are_400(acme, existing):
    for params in (
        {"publicatiestatus": "verwijderd"},
        {"eigenaar": "geen-uuid"},
        {"categorie": "vliegtuig"},
        {"aanbieder": "x"},
    ):
        body = problem(acme.get("/api/v1/producten", params), 400)
        assert body["invalidParams"][0]["name"] == next(iter(params))
    assert acme.get("/api/v1/producten", {"publicatiestatus": "gepubliceerd"}).json()["total"] == 1


def test_if_match_star_and_lists(acme, existing):
    url, etag = existing
    assert acme.patch(url, {"data": {"naam": "A"}}, HTTP_IF_MATCH="*").status_code == 200
    current = acme.get(url)["ETag"]
    assert (
        acme.patch(url, {"data": {"naam": "B"}}, HTTP_IF_MATCH=f"{etag}, {current}").status_code
        == 200
    )


def test_anonymous_write_is_401_with_challenge(api_as, product_body):
    response = api_as().post("/api/v1/producten", product_body)
    problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
