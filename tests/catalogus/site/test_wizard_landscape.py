"""The gemeente wizards, step by step through the test client: "Een applicatie toevoegen"
(incl. 4.4 not found + new supplier, and a samenwerking with deelnemers), "Een koppeling
toevoegen" (DigiD) and "Een dienst toevoegen"."""

from __future__ import annotations

import pytest
from django.db.models import Q

from core.models import Object, Organisation
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db


def client_for(world, org_key: str, role: str = "gebruik-beheerder"):
    return logged_in(member(world.orgs[org_key], role).user)


def count(world) -> int:
    return Object.objects.count()


def start(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def post(client, url: str, data: dict, expect: int = 302):
    response = client.post(url, data)
    assert response.status_code == expect, response.content.decode()[-3000:]
    return response["Location"] if expect == 302 else response


def step_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]


# --- Een applicatie toevoegen ----------------------------------------------------------------


def test_add_application_journey(access_world):
    client = client_for(access_world, "gemeente2")
    before = count(access_world)
    url = start(client, "/mijn-landschap/applicatie-toevoegen")
    assert step_of(url) == "zoeken"
    # search by supplier name finds its applications, also concepts of other gemeenten
    page = client.get(url + "?q=Beta").content.decode()
    assert "Burgerzaken Pro" in page and "Zaakwijzer" not in page
    page = client.get(url + "?q=Parkeer").content.decode()
    assert "Parkeervergunningen" in page and "Concept" in page
    # nothing chosen: a Dutch message
    response = post(client, url, {"actie": "volgende"}, expect=400)
    assert "Kies een applicatie uit de zoekresultaten." in response.content.decode()
    url = post(client, url, {"actie": "volgende", "applicatie": access_world.uuid("lev_module")})
    assert step_of(url) == "gebruik"
    page = client.get(url).content.decode()
    assert 'value="In productie" selected' in page
    assert "SaaS" in page and "IaaS" not in page  # only what the application offers
    response = post(client, url, {"actie": "volgende", "status": "In productie"}, expect=400)
    assert (
        "Dit veld is verplicht" in response.content.decode()
        or "required" in response.content.decode()
    )
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "hosting": "On-premises (self-managed)",
            "versie": access_world.uuid("lev_v1"),
            "status": "Gepland",
            "startdatum": "2026-02-01",
            "interneAantekening": "Eerst een pilot.",
        },
    )
    assert step_of(url) == "referentiecomponenten"
    assert (
        "gemmaonline.nl/wiki/Overzicht_alle_referentiecomponenten"
        in client.get(url).content.decode()
    )
    # back keeps the data
    back = post(client, url, {"actie": "vorige"})
    assert step_of(back) == "gebruik"
    assert "Eerst een pilot." in client.get(back).content.decode()
    url = post(
        client,
        back,
        {
            "actie": "volgende",
            "hosting": "On-premises (self-managed)",
            "versie": access_world.uuid("lev_v1"),
            "status": "Gepland",
            "startdatum": "2026-02-01",
            "interneAantekening": "Eerst een pilot.",
        },
    )
    url = post(client, url, {"actie": "volgende"})
    assert step_of(url) == "controleren"  # no deelnemers step for a gemeente
    assert count(access_world) == before  # nothing written before the end
    review = client.get(url).content.decode()
    assert "Zaakwijzer" in review and "Gebruik registreren" in review and "01-02-2026" in review
    done = post(client, url, {"actie": "opslaan"})
    assert done == "/mijn-landschap"
    assert count(access_world) == before + 1  # one write
    made = Object.objects.filter(
        data__afnemer=str(access_world.orgs["gemeente2"].uuid), status="gepubliceerd"
    ).get(data__module=access_world.uuid("lev_module"))
    assert made.data["status"] == "Gepland"
    assert made.data["startDatumGepland"] == "2026-02-01"
    assert made.data["moduleVersie"] == access_world.uuid("lev_v1")
    assert made.data["interneAantekening"] == "Eerst een pilot."
    landscape = client.get("/mijn-landschap").content.decode()
    assert "Gebruik succesvol geregistreerd!" in landscape and "Zaakwijzer" in landscape


def test_started_from_detail_page_skips_search(access_world):
    client = client_for(access_world, "gemeente2")
    url = start(
        client,
        f"/mijn-landschap/applicatie-toevoegen?applicatie={access_world.uuid('lev2_module')}",
    )
    assert step_of(url) == "gebruik"
    assert client.get("/mijn-landschap/applicatie-toevoegen?applicatie=nope").status_code == 404


def test_already_in_landscape_warns_first(access_world):
    client = client_for(access_world, "gemeente")
    url = start(
        client, f"/mijn-landschap/applicatie-toevoegen?applicatie={access_world.uuid('lev_module')}"
    )
    assert step_of(url) == "zoeken"  # not skipped: the warning comes first
    page = client.get(url).content.decode()
    assert "Ik wil deze applicatie toch nog een keer toevoegen" in page
    response = post(
        client, url, {"actie": "volgende", "applicatie": access_world.uuid("lev_module")}, 400
    )
    page = response.content.decode()
    assert "Deze applicatie staat al in uw landschap." in page
    assert f"/mijn-landschap/gebruik/{access_world.uuid('gem_gebruik')}" in page
    url = post(
        client,
        url,
        {"actie": "volgende", "applicatie": access_world.uuid("lev_module"), "bevestigd": "on"},
    )
    assert step_of(url) == "gebruik"


def test_not_found_new_supplier_makes_concept_application(access_world):
    client = client_for(access_world, "gemeente2")
    before = Organisation.objects.count()
    url = start(client, "/mijn-landschap/applicatie-toevoegen")
    url = post(client, url, {"nieuw": "on"})
    assert step_of(url) == "nieuw"
    response = post(client, url, {"actie": "volgende", "naam": "Subsidieloket"}, 400)
    assert "Kies een leverancier of vul de naam van een nieuwe in." in response.content.decode()
    response = post(
        client,
        url,
        {"actie": "volgende", "naam": "Subsidieloket", "leverancier_naam": "acme software"},
        400,
    )
    assert "staat al in de catalogus" in response.content.decode()
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "naam": "Subsidieloket",
            "leverancier_naam": "Open Subsidie Coöperatie",
            "leverancier_website": "https://subsidie.example.nl",
            "beschrijvingKort": "Subsidies aanvragen en beoordelen.",
        },
    )
    assert step_of(url) == "gebruik"
    page = client.get(url).content.decode()
    assert "IaaS" in page  # a new application: every hosting form
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "hosting": "SaaS",
            "status": "In productie",
            "startdatum": "2026-01-05",
        },
    )
    url = post(client, url, {"actie": "volgende"})
    assert Organisation.objects.count() == before  # still nothing written
    assert "Open Subsidie Coöperatie" in client.get(url).content.decode()
    assert post(client, url, {"actie": "opslaan"}) == "/mijn-landschap"
    supplier = Organisation.objects.get(naam="Open Subsidie Coöperatie")
    assert supplier.status == "Concept" and supplier.type == "Leverancier"
    assert supplier.website == "https://subsidie.example.nl"
    module = Object.objects.get(title="Subsidieloket")
    assert module.status == "concept"
    assert module.organisation == access_world.orgs["gemeente2"]
    assert module.data["aanbieder"] == str(supplier.uuid)
    gebruik = Object.objects.get(data__module=str(module.uuid))
    assert gebruik.data["startDatumInProductie"] == "2026-01-05"
    # it is in functioneel beheer's inbox
    from core.actors import Actor
    from plugins.catalogus.queues import ConceptApplications

    fb = Actor.for_membership(member(access_world.orgs["vng"], "functioneel-beheerder"))
    items = ConceptApplications().items(actor=fb)
    assert any(str(module.uuid) in str(vars(item)) for item in items)


def test_samenwerking_with_two_deelnemers(access_world):
    client = client_for(access_world, "samenwerking")
    url = start(
        client, f"/mijn-landschap/applicatie-toevoegen?applicatie={access_world.uuid('lev_module')}"
    )
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "hosting": "SaaS",
            "status": "In productie",
            "startdatum": "2026-01-05",
        },
    )
    url = post(client, url, {"actie": "volgende"})
    assert step_of(url) == "deelnemers"
    page = client.get(url).content.decode()
    assert "Utrecht" in page and "Den Haag" in page and "Selecteer alle" in page
    deelnemers = [str(access_world.orgs[k].uuid) for k in ("gemeente", "gemeente2")]
    url = post(client, url, {"actie": "volgende", "deelnemers": deelnemers})
    assert post(client, url, {"actie": "opslaan"}) == "/mijn-landschap"
    made = Object.objects.get(
        data__afnemer=str(access_world.orgs["samenwerking"].uuid),
        data__module=access_world.uuid("lev_module"),
    )
    assert sorted(made.data["deelnemers"]) == sorted(deelnemers)
    for key in ("gemeente", "gemeente2"):
        page = client_for(access_world, key).get("/mijn-landschap").content.decode()
        assert f'id="gebruik-{made.uuid}"' in page and "via Dimpact" in page


def test_cancel_writes_nothing(access_world):
    client = client_for(access_world, "gemeente2")
    before = count(access_world)
    url = start(client, "/mijn-landschap/applicatie-toevoegen")
    assert post(client, url, {"actie": "annuleren"}) == "/mijn-landschap"
    assert count(access_world) == before


# --- Een koppeling toevoegen ----------------------------------------------------------------


def test_koppeling_to_digid(access_world):
    client = client_for(access_world, "gemeente")
    before = count(access_world)
    url = start(client, "/mijn-landschap/koppeling-toevoegen")
    page = client.get(url).content.decode()
    assert "Zaakwijzer" in page and "DigiD" in page  # Acme's template Zaakwijzer → DigiD
    url = post(client, url, {"nieuw": "on"})
    assert step_of(url) == "definitie"
    page = client.get(url).content.decode()
    assert "Buitengemeentelijke voorzieningen" in page
    response = post(
        client,
        url,
        {
            "actie": "volgende",
            "moduleA": access_world.uuid("lev_module"),
            "b": f"voorziening:{access_world.uuid('digid')}",
        },
        400,
    )
    assert "Kies de richting van de koppeling." in response.content.decode()
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "moduleA": access_world.uuid("lev_module"),
            "richting": "AnaarB",
            "b": f"voorziening:{access_world.uuid('digid')}",
        },
    )
    assert step_of(url) == "gebruik"
    page = client.get(url).content.decode()
    assert 'value="in gebruik" selected' in page
    assert "StUF-ZKN 3.10" in page  # supported by Zaakwijzer
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "status": "in gebruik",
            "startdatum": "2026-01-10",
            "standaardversies": [access_world.uuid("stuf")],
            "interneAantekening": "Via de eHerkenning-makelaar.",
        },
    )
    assert step_of(url) == "controleren"
    assert count(access_world) == before
    landing = post(client, url, {"actie": "opslaan"})
    assert landing == "/mijn-landschap"
    assert "Koppelingen succesvol opgeslagen!" in client.get(landing).content.decode()
    made = Object.objects.get(
        organisation=access_world.orgs["gemeente"],
        data__buitengemeentelijkVoorziening=access_world.uuid("digid"),
    )
    assert made.data["koppelingType"] == "extern"
    assert made.data["datumInGebruik"] == "2026-01-10"
    assert made.data["standaardversies"] == [access_world.uuid("stuf")]
    assert made.title == "Zaakwijzer → DigiD"
    # the note stays inside Utrecht
    den_haag = client_for(access_world, "gemeente2")
    other = den_haag.get(f"/organisaties/{access_world.orgs['gemeente'].uuid}/landschap")
    assert "Via de eHerkenning-makelaar." not in other.content.decode()
    assert "DigiD" in other.content.decode()


def test_koppeling_from_template(access_world):
    client = client_for(access_world, "gemeente")
    url = start(client, "/mijn-landschap/koppeling-toevoegen")
    url = post(client, url, {"actie": "volgende", "sjabloon": access_world.uuid("lev_koppeling")})
    assert step_of(url) == "gebruik"
    url = post(
        client, url, {"actie": "volgende", "status": "in ontwikkeling", "startdatum": "2026-03-01"}
    )
    post(client, url, {"actie": "opslaan"})
    made = Object.objects.filter(organisation=access_world.orgs["gemeente"]).get(
        Q(data__buitengemeentelijkVoorziening=access_world.uuid("digid"))
    )
    assert made.data["moduleA"] == access_world.uuid("lev_module")
    assert made.data["type"] == "api"
    assert made.data["datumInOntwikkeling"] == "2026-03-01"


def test_koppeling_needs_a_choice(access_world):
    client = client_for(access_world, "gemeente")
    url = start(client, "/mijn-landschap/koppeling-toevoegen")
    response = post(client, url, {"actie": "volgende"}, 400)
    assert "Ik kan de gewenste koppeling niet vinden" in response.content.decode()


def test_samenwerking_koppeling_with_deelnemers(access_world):
    client = client_for(access_world, "samenwerking")
    url = start(client, "/mijn-landschap/koppeling-toevoegen")
    url = post(client, url, {"nieuw": "on"})
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "moduleA": access_world.uuid("lev2_module"),
            "richting": "bi-directioneel",
            "b": f"voorziening:{access_world.uuid('digid')}",
        },
    )
    url = post(
        client, url, {"actie": "volgende", "status": "in gebruik", "startdatum": "2026-01-10"}
    )
    assert step_of(url) == "deelnemers"
    utrecht = str(access_world.orgs["gemeente"].uuid)
    url = post(client, url, {"actie": "volgende", "deelnemers": [utrecht]})
    post(client, url, {"actie": "opslaan"})
    made = Object.objects.get(
        organisation=access_world.orgs["samenwerking"],
        data__buitengemeentelijkVoorziening=access_world.uuid("digid"),
    )
    assert made.data["deelnemers"] == [utrecht]
    page = client_for(access_world, "gemeente").get("/mijn-landschap").content.decode()
    assert made.title in page


# --- Een dienst toevoegen ------------------------------------------------------------------


def test_dienst_journey(access_world):
    client = client_for(access_world, "gemeente")
    before = count(access_world)
    url = start(client, "/mijn-landschap/dienst-toevoegen")
    page = client.get(url).content.decode()
    assert "Functioneel beheer Zaakwijzer" in page
    assert "Hosting Burgerzaken" not in page  # Burgerzaken Pro is Dimpact's gebruik
    assert "Ik kan de gewenste dienst niet vinden" in page
    assert "Functioneel beheer Zaakwijzer" not in client.get(url + "?q=Burger").content.decode()
    response = post(client, url, {"actie": "volgende"}, 400)
    assert "Kies een dienst." in response.content.decode()
    url = post(client, url, {"actie": "volgende", "dienst": access_world.uuid("lev_dienst")})
    assert step_of(url) == "afname"
    url = post(
        client,
        url,
        {
            "actie": "volgende",
            "gebruik": access_world.uuid("gem_gebruik"),
            "status": "Gepland",
            "startdatum": "2026-04-01",
            "interneAantekening": "Offerte vergelijken.",
        },
    )
    assert step_of(url) == "controleren"
    assert count(access_world) == before
    landing = post(client, url, {"actie": "opslaan"})
    assert landing == f"/mijn-landschap/gebruik/{access_world.uuid('gem_gebruik')}"
    made = Object.objects.get(data__interneAantekening="Offerte vergelijken.")
    assert made.data["dienst"] == access_world.uuid("lev_dienst")
    assert made.data["status"] == "Gepland" and made.data["startDatum"] == "2026-04-01"


def test_dienst_started_with_dienst_skips_search(access_world):
    client = client_for(access_world, "gemeente")
    url = start(
        client, f"/mijn-landschap/dienst-toevoegen?dienst={access_world.uuid('lev_dienst')}"
    )
    assert step_of(url) == "afname"
    other = access_world.uuid("lev2_dienst")  # not on Utrecht's own applications
    assert client.get(f"/mijn-landschap/dienst-toevoegen?dienst={other}").status_code == 404


def test_edit_and_remove_dienstafname_on_gebruik_page(access_world):
    client = client_for(access_world, "gemeente")
    url = f"/mijn-landschap/gebruik/{access_world.uuid('gem_gebruik')}"
    afname = access_world.objects["gem_dienstafname"]
    prefix = f"dienst-{afname.uuid}"
    response = client.post(
        url,
        {"formulier": "dienst", "id": str(afname.uuid), f"{prefix}-status": "Uit te faseren"},
    )
    assert response.status_code == 302
    assert Object.objects.get(pk=afname.pk).data["status"] == "Uit te faseren"
    response = client.post(url, {"formulier": "dienst-verwijderen", "id": str(afname.uuid)})
    assert response.status_code == 302
    assert Object.objects.get(pk=afname.pk).status == "gearchiveerd"
