"""The catalogue's own rules: derived fields, cross-object checks, the SaaS default version."""

from __future__ import annotations

import pytest

from core import services
from core.actors import Actor
from core.plugins.accounts import add_deelnemingen
from core.register import catalog

pytestmark = pytest.mark.django_db

APPLICATIES = "/api/v1/applicaties"


def gemma(key: str, data: dict, vng) -> str:
    obj = services.create_object(
        catalog.by_key(key), data, actor=Actor.for_system(), status="gepubliceerd", organisation=vng
    )
    return str(obj.uuid)


@pytest.fixture
def voorziening(orgs):
    return gemma("gemma/voorziening", {"naam": "DigiD", "objectId": "digid-1"}, orgs["vng"])


@pytest.fixture
def supplier(api_as):
    return api_as("leverancier", "aanbod-beheerder")


@pytest.fixture
def gemeente(api_as):
    return api_as("gemeente", "gebruik-beheerder")


def publish(client, path: str, data: dict) -> dict:
    response = client.post(path, {"status": "gepubliceerd", "data": data})
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def module(supplier, orgs):
    def make(naam="Zaakwijzer", hosting=("On-premises (self-managed)",)):
        data = {"naam": naam, "aanbieder": str(orgs["leverancier"].uuid)}
        return publish(supplier, APPLICATIES, {**data, "cloudDienstverleningsmodel": list(hosting)})

    return make


def test_module_records_who_registered_it_and_its_supplier_must_be_the_registrant(
    supplier, module, orgs
):
    assert module()["data"]["geregistreerdDoor"] == "Leverancier"
    other = supplier.post(
        APPLICATIES, {"data": {"naam": "Niet van ons", "aanbieder": str(orgs["leverancier2"].uuid)}}
    )
    assert other.status_code == 403


def test_a_gemeente_registers_a_concept_application_naming_its_supplier(gemeente, orgs):
    data = {"naam": "Lokaal pakket", "aanbieder": str(orgs["leverancier"].uuid)}
    created = gemeente.post(APPLICATIES, {"data": data})
    assert created.status_code == 201, created.content
    assert created.json()["data"]["geregistreerdDoor"] == "Gemeente"
    published = gemeente.post(APPLICATIES, {"status": "gepubliceerd", "data": data})
    assert published.status_code == 403


def test_saas_application_gets_a_cloud_version_once(
    supplier, module, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = module(hosting=("SaaS",))
    versions = supplier.get("/api/v1/applicatieversies", {"module": app["uuid"]}).json()
    assert [v["data"]["versie"] for v in versions["items"]] == ["Cloud"]
    assert versions["items"][0]["data"]["naam"] == "Zaakwijzer Cloud"
    with django_capture_on_commit_callbacks(execute=True):
        supplier.patch(app["url"], {"data": {"beschrijvingKort": "Nu met meer"}})
    again = supplier.get("/api/v1/applicatieversies", {"module": app["uuid"]}).json()
    assert again["total"] == 1


def test_on_premises_application_gets_no_default_version(
    supplier, module, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = module()
    assert supplier.get("/api/v1/applicatieversies", {"module": app["uuid"]}).json()["total"] == 0


def test_koppeling_name_defaults_to_an_arrow_and_type_follows_the_voorziening(
    gemeente, module, voorziening
):
    a, b = module("Zaakwijzer")["uuid"], module("Archiefbeheer")["uuid"]
    intern = publish(
        gemeente,
        "/api/v1/koppelingen",
        {"moduleA": a, "moduleB": b, "gegevensuitwisselingRichting": "BnaarA"},
    )["data"]
    assert (intern["naam"], intern["koppelingType"]) == ("Zaakwijzer ← Archiefbeheer", "intern")
    extern = publish(
        gemeente,
        "/api/v1/koppelingen",
        {
            "moduleA": a,
            "buitengemeentelijkVoorziening": voorziening,
            "gegevensuitwisselingRichting": "AnaarB",
        },
    )["data"]
    assert (extern["naam"], extern["koppelingType"]) == ("Zaakwijzer → DigiD", "extern")
    named = publish(
        gemeente,
        "/api/v1/koppelingen",
        {
            "naam": "Archivering",
            "moduleA": a,
            "moduleB": b,
            "gegevensuitwisselingRichting": "bi-directioneel",
        },
    )["data"]
    assert named["naam"] == "Archivering"


def test_koppeling_refuses_bad_combinations(gemeente, module, voorziening):
    a, b = module("Zaakwijzer")["uuid"], module("Archiefbeheer")["uuid"]
    cases = {
        "beide": {"moduleB": b, "buitengemeentelijkVoorziening": voorziening},
        "geen": {},
        "zichzelf": {"moduleB": a},
        "typeZelfGekozen": {"moduleB": b, "koppelingType": "extern"},
    }
    for name, extra in cases.items():
        data = {"moduleA": a, "gegevensuitwisselingRichting": "AnaarB", **extra}
        response = gemeente.post("/api/v1/koppelingen", {"data": data})
        assert response.status_code == 400, name
    no_direction = gemeente.post("/api/v1/koppelingen", {"data": {"moduleA": a, "moduleB": b}})
    names = [p["name"] for p in no_direction.json()["invalidParams"]]
    assert "/gegevensuitwisselingRichting" in names


def test_gebruik_checks_version_hosting_dates_and_deelnemers(gemeente, supplier, module, orgs):
    app = module(hosting=("On-premises (self-managed)", "SaaS"))
    other = module("Ander pakket")
    version = publish(
        supplier, "/api/v1/applicatieversies", {"module": other["uuid"], "versie": "1.0"}
    )
    base = {"afnemer": str(orgs["gemeente"].uuid), "module": app["uuid"], "status": "In productie"}

    def problems(extra):
        response = gemeente.post("/api/v1/gebruik", {"data": {**base, **extra}})
        assert response.status_code == 400, response.content
        return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}

    wrong_version = problems(
        {
            "moduleVersie": version["uuid"],
            "cloudDienstverleningsmodel": "On-premises (self-managed)",
        }
    )
    assert "hoort niet bij" in wrong_version["/moduleVersie"]
    assert "/cloudDienstverleningsmodel" in problems(
        {"moduleVersie": version["uuid"], "cloudDienstverleningsmodel": "SaaS"}
    )
    assert (
        "niet als PaaS"
        in problems({"cloudDienstverleningsmodel": "PaaS"})["/cloudDienstverleningsmodel"]
    )
    dates = problems({"startDatumGepland": "2025-05-01", "startDatumInProductie": "2025-01-01"})
    assert "vorige fase" in dates["/startDatumInProductie"]
    assert "samenwerking" in problems({"deelnemers": [str(orgs["gemeente2"].uuid)]})["/deelnemers"]

    ok = publish(gemeente, "/api/v1/gebruik", {**base, "cloudDienstverleningsmodel": "SaaS"})
    assert ok["data"]["naam"] == "Zaakwijzer bij Utrecht"


def test_samenwerking_gebruik_lists_deelnemers(api_as, module, orgs):
    add_deelnemingen(
        [(str(orgs["samenwerking"].uuid), str(orgs[key].uuid)) for key in ("gemeente", "gemeente2")]
    )
    samenwerking = api_as("samenwerking", "gebruik-beheerder")
    data = {
        "afnemer": str(orgs["samenwerking"].uuid),
        "module": module()["uuid"],
        "status": "In productie",
        "deelnemers": [str(orgs["gemeente"].uuid), str(orgs["gemeente2"].uuid)],
    }
    shared = publish(samenwerking, "/api/v1/gebruik", data)
    member_view = api_as("gemeente", "gebruik-raadpleger").get(
        "/api/v1/gebruik", {"deelnemers": str(orgs["gemeente"].uuid)}
    )
    assert [r["uuid"] for r in member_view.json()["items"]] == [shared["uuid"]]
    community = api_as("community", "gebruik-beheerder").post(
        "/api/v1/gebruik", {"data": {**data, "afnemer": str(orgs["community"].uuid)}}
    )
    assert community.status_code == 403


def test_contactpersoon_name_has_no_double_spaces(supplier):
    created = supplier.post(
        "/api/v1/contactpersonen", {"data": {"voornaam": "Eva", "achternaam": "Boer"}}
    )
    assert created.json()["data"]["naam"] == "Eva Boer"


def test_gemeente_accepts_or_rejects_a_proposed_gebruik(api_as, supplier, module, orgs):
    app = module()
    proposal = {"afnemer": str(orgs["gemeente2"].uuid), "module": app["uuid"], "status": "Gepland"}
    proposed = supplier.post("/api/v1/gebruik", {"data": proposal})
    assert proposed.status_code == 201, proposed.content
    assert (
        supplier.post("/api/v1/gebruik", {"status": "gepubliceerd", "data": proposal}).status_code
        == 403
    )
    url = proposed.json()["url"]

    assert api_as("gemeente", "gebruik-beheerder").post(f"{url}/overnemen", {}).status_code == 404
    assert api_as("gemeente2", "gebruik-raadpleger").post(f"{url}/overnemen", {}).status_code == 403
    accepted = api_as("gemeente2", "gebruik-beheerder").post(
        f"{url}/overnemen", {"status": "gepubliceerd"}
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "gepubliceerd"
    assert accepted.json()["eigenaar"]["uuid"] == str(orgs["gemeente2"].uuid)
    assert supplier.patch(url, {"data": {"status": "In productie"}}).status_code == 403
    history = api_as("gemeente2", "gebruik-beheerder").get(f"{url}/historie").json()
    assert history["items"][0]["actie"] == "overgenomen"

    rejected = supplier.post("/api/v1/gebruik", {"data": proposal}).json()
    gemeente2 = api_as("gemeente2", "gebruik-beheerder")
    assert gemeente2.delete(f"{rejected['url']}?definitief=true").status_code == 204


def test_supplier_claims_the_concept_application_a_gemeente_registered(
    api_as, supplier, gemeente, orgs
):
    data = {"naam": "Lokaal pakket", "aanbieder": str(orgs["leverancier"].uuid)}
    url = gemeente.post(APPLICATIES, {"data": data}).json()["url"]
    other = api_as("leverancier2", "aanbod-beheerder")
    assert other.post(f"{url}/overnemen", {}).status_code == 404  # not named: cannot even see it
    claimed = supplier.post(f"{url}/overnemen", {})
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["data"]["geregistreerdDoor"] == "Gemeente"
    published = supplier.patch(url, {"status": "gepubliceerd", "data": {}})
    assert published.status_code == 200, published.content
    assert api_as().get(url).status_code == 200


def test_functioneel_beheer_creates_for_an_organisation_others_cannot(
    api_as, gemeente, module, orgs
):
    data = {"afnemer": str(orgs["gemeente"].uuid), "module": module()["uuid"], "status": "Gepland"}
    fb = api_as("vng", "functioneel-beheerder")
    created = fb.post("/api/v1/gebruik", {"data": data, "eigenaar": str(orgs["gemeente"].uuid)})
    assert created.status_code == 201, created.content
    assert created.json()["eigenaar"]["uuid"] == str(orgs["gemeente"].uuid)
    assert gemeente.get(created.json()["url"]).json()["data"].get("naam")

    for_other = gemeente.post(
        "/api/v1/gebruik", {"data": data, "eigenaar": str(orgs["gemeente2"].uuid)}
    )
    assert for_other.status_code == 403
    moved = fb.patch(created.json()["url"], {"eigenaar": str(orgs["gemeente2"].uuid)})
    assert moved.status_code == 400
    assert "overnemen" in moved.json()["detail"]


def test_only_deelnemers_of_the_samenwerking_share_its_gebruik(api_as, module, orgs):
    from core.models import Deelneming, Object

    samenwerking = api_as("samenwerking", "gebruik-beheerder")
    add_deelnemingen([(str(orgs["samenwerking"].uuid), str(orgs["gemeente"].uuid))])
    base = {
        "afnemer": str(orgs["samenwerking"].uuid),
        "module": module()["uuid"],
        "status": "In productie",
    }
    strangers = {"deelnemers": [str(orgs["gemeente"].uuid), str(orgs["gemeente2"].uuid)]}
    refused = samenwerking.post("/api/v1/gebruik", {"data": {**base, **strangers}})
    assert refused.status_code == 400, refused.content
    assert [(p["name"], p["reason"]) for p in refused.json()["invalidParams"]] == [
        ("/deelnemers", "Den Haag is geen deelnemer van Dimpact.")
    ]
    assert not Object.objects.filter(schema__collection="gebruik").exists()

    shared = publish(
        samenwerking, "/api/v1/gebruik", {**base, "deelnemers": [str(orgs["gemeente"].uuid)]}
    )
    # Utrecht leaves Dimpact: the gebruik may still be edited without removing it first…
    Deelneming.objects.filter(organisation=orgs["gemeente"]).delete()
    edited = samenwerking.patch(shared["url"], {"data": {"status": "Uit te faseren"}})
    assert edited.status_code == 200, edited.content
    # …but nobody new who does not take part.
    added = samenwerking.patch(shared["url"], {"data": strangers})
    assert added.status_code == 400
    assert added.json()["invalidParams"][0]["reason"] == "Den Haag is geen deelnemer van Dimpact."
    assert samenwerking.get(shared["url"]).json()["data"]["deelnemers"] == [
        str(orgs["gemeente"].uuid)
    ]


def test_deelnemingen_for_imports_and_the_seed_are_checked_and_repeatable(orgs):
    from core.accounts import AccountError
    from core.models import AuditEntry, Deelneming

    dimpact, utrecht = str(orgs["samenwerking"].uuid), str(orgs["gemeente"].uuid)
    assert add_deelnemingen([(dimpact, utrecht)]) == 1
    assert add_deelnemingen([(dimpact, utrecht)]) == 0  # already there
    assert AuditEntry.objects.filter(action="deelnemingen.geladen").count() == 1
    wrong = [
        ((str(orgs["gemeente2"].uuid), utrecht), "Den Haag is geen samenwerking of community."),
        ((dimpact, str(orgs["vng"].uuid)), "VNG Realisatie kan geen deelnemer zijn van Dimpact."),
        ((dimpact, dimpact), "Dimpact kan geen deelnemer zijn van Dimpact."),
    ]
    for pair, message in wrong:
        with pytest.raises(AccountError, match=message):
            add_deelnemingen([(dimpact, str(orgs["gemeente2"].uuid)), pair])
    assert list(Deelneming.objects.values_list("organisation__naam", flat=True)) == ["Utrecht"]
