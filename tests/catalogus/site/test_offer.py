"""/mijn-aanbod and its smaller journeys: who may see it, what it lists (and never lists),
archiving (refused while used), claiming a gemeente's concept application, "Dienst
registreren" on another supplier's application and "Applicatiegebruik melden"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import services
from core.models import Object
from core.plugins.site import visible
from core.register import catalog
from tests.catalogus.conftest import GEM, GEM2, LEV, LEV2, SAM
from tests.catalogus.site.test_publish import actor_for, client_for, objects, start, step

pytestmark = pytest.mark.django_db

AANBOD = "/mijn-aanbod"


@pytest.mark.parametrize(
    ("label", "status"),
    [
        (LEV, 200),
        (LEV2, 200),
        ("aanbod-beheerder@community", 200),
        ("aanbod-beheerder@samenwerking", 200),
        (GEM, 403),
        (SAM, 403),
        ("gebruik-beheerder@community", 403),
        ("gebruik-raadpleger@leverancier", 403),
        ("functioneel-beheerder@vng", 403),
    ],
)
def test_who_may_open_the_offer(access_world, label, status):
    response = client_for(access_world, label).get(AANBOD)
    assert response.status_code == status
    if status == 403:
        assert "aanbodbeheerder" in response.content.decode()


def test_anonymous_goes_to_login(access_world, client):
    response = client.get(AANBOD)
    assert response.status_code == 302 and "/inloggen" in response.url


def test_offer_lists_own_things_and_who_uses_them(access_world):
    world = access_world
    html = client_for(world, LEV).get(AANBOD).content.decode()
    for text in (
        "Zaakwijzer",  # published application
        "Zaakwijzer Next",  # own concept
        "Zaakwijzer 4.2",  # a version
        "Functioneel beheer Zaakwijzer",  # dienst
        "Zaakwijzer → DigiD",  # koppeling template
        "Parkeervergunningen",  # registered by Utrecht for Acme: Overnemen
        "Overnemen",
        "Utrecht",  # uses Zaakwijzer
        "Den Haag",  # proposal awaiting the gemeente
        "Wacht op de gemeente",
        "Applicatiegebruik melden",
    ):
        assert text in html, text
    assert f'id="applicatie-{world.uuid("lev_module")}"' in html
    assert "Burgerzaken Pro" not in html  # Beta's application, and Utrecht's koppeling to it
    assert "Hosting Burgerzaken" not in html


def test_offer_never_shows_a_gemeente_landscape(access_world):
    """#105: a supplier sees which gemeenten use its applications, never their notes,
    contacts, contracts, documents or koppelingen, nor their landscape pages."""
    world = access_world
    client = client_for(world, LEV)
    html = client.get(AANBOD).content.decode()
    for secret in (
        "Verlengen bespreken",  # interne aantekening
        "Jan Visser",  # Utrecht's contactpersoon
        "UTR-2025-0142",  # contract
        "Verwerkersovereenkomst",
        "DPIA Zaakwijzer",
        "Zaakwijzer ↔ Burgerzaken Pro",  # Utrecht's koppeling
        "Uren per kwartaal",  # dienstafname note
    ):
        assert secret not in html, secret
    utrecht = world.orgs["gemeente"].uuid
    assert client.get(f"/organisaties/{utrecht}/landschap").status_code in (403, 404)
    assert client.get("/mijn-landschap").status_code in (302, 403, 404)


def object_queries(captured) -> int:
    return sum('"core_object"' in q["sql"] for q in captured.captured_queries)


def test_offer_query_count_does_not_grow(access_world):
    world = access_world
    client = client_for(world, LEV)
    client.get(AANBOD)  # warm caches (catalog, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(AANBOD).status_code == 200
    lev = actor_for(world, LEV)
    for n in range(4):
        module = services.create_object(
            catalog.by_key("catalogus/module"),
            {"naam": f"Extra {n}", "aanbieder": str(world.orgs["leverancier"].uuid)},
            actor=lev,
            status="gepubliceerd",
        )
        services.create_object(
            catalog.by_key("catalogus/moduleVersie"),
            {"module": str(module.uuid), "versie": "1.0"},
            actor=lev,
            status="gepubliceerd",
        )
        services.create_object(
            catalog.by_key("catalogus/dienst"),
            {"naam": f"Dienst {n}", "type": ["Opleidingen"], "modules": [str(module.uuid)]},
            actor=lev,
            status="gepubliceerd",
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(AANBOD).content.decode()
    assert "Extra 3" in html and "Dienst 3" in html
    assert object_queries(many) == object_queries(few)  # one per list, whatever its length
    assert len(many) <= 20


def test_archive_refused_while_gemeenten_use_it(access_world):
    world = access_world
    client = client_for(world, LEV)
    module = world.objects["lev_module"]
    url = f"/mijn-aanbod/applicaties/{module.uuid}/archiveren"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "wordt gebruikt door onderstaande gemeenten" in html
    assert "Utrecht" in html and "Den Haag" in html
    response = client.post(url)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Er is niets gearchiveerd" in html
    assert "Kan niet worden gearchiveerd: nog in gebruik" in html
    assert "Burgerzaken Pro" not in html  # Utrecht's koppeling is not named to the supplier
    assert "Verlengen bespreken" not in html
    module.refresh_from_db()
    assert module.status == "gepubliceerd"
    dienst = Object.objects.get(pk=world.objects["lev_dienst"].pk)
    assert dienst.data["modules"] == [str(module.uuid)]  # rolled back with the rest


def test_archive_takes_the_own_rows_along(access_world):
    world = access_world
    lev = actor_for(world, LEV)
    module = services.create_object(
        catalog.by_key("catalogus/module"),
        {"naam": "Tijdelijk", "aanbieder": str(world.orgs["leverancier"].uuid)},
        actor=lev,
        status="gepubliceerd",
    )
    version = services.create_object(
        catalog.by_key("catalogus/moduleVersie"),
        {"module": str(module.uuid), "versie": "0.9"},
        actor=lev,
        status="gepubliceerd",
    )
    dienst = services.create_object(
        catalog.by_key("catalogus/dienst"),
        {
            "naam": "Training",
            "type": ["Opleidingen"],
            "modules": [str(module.uuid), world.uuid("lev_module")],
        },
        actor=lev,
        status="gepubliceerd",
    )
    client = client_for(world, LEV)
    url = f"/mijn-aanbod/applicaties/{module.uuid}/archiveren"
    html = client.get(url).content.decode()
    assert "kan veilig worden verwijderd" in html and "Tijdelijk 0.9" in html
    response = client.post(url)
    assert response.status_code == 302 and response.url == "/mijn-aanbod#applicaties"
    for obj in (module, version, dienst):
        obj.refresh_from_db()
    assert module.status == "gearchiveerd" and version.status == "gearchiveerd"
    assert dienst.status == "gepubliceerd"
    assert dienst.data["modules"] == [world.uuid("lev_module")]
    assert f'id="applicatie-{module.uuid}"' not in client.get(AANBOD).content.decode()


def test_archive_only_own_objects(access_world):
    world = access_world
    client = client_for(world, LEV)
    for soort, key in (("applicaties", "lev2_module"), ("diensten", "lev2_dienst")):
        url = f"/mijn-aanbod/{soort}/{world.uuid(key)}/archiveren"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert (
        client.get(f"/mijn-aanbod/gebruik/{world.uuid('gem_gebruik')}/archiveren").status_code
        == 404
    )


def test_archive_a_dienst_and_a_koppeling(access_world):
    world = access_world
    client = client_for(world, LEV)
    link = world.objects["lev_koppeling"]
    response = client.post(f"/mijn-aanbod/koppelingen/{link.uuid}/archiveren")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == "gearchiveerd"
    dienst = world.objects["lev_dienst"]  # Utrecht takes this dienst: refused, unnamed
    response = client.post(f"/mijn-aanbod/diensten/{dienst.uuid}/archiveren")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kan niet worden gearchiveerd: nog in gebruik" in html
    assert "Uren per kwartaal" not in html and "Utrecht" not in html.replace("utrecht-", "")
    dienst.refresh_from_db()
    assert dienst.status == "gepubliceerd"


def test_claim_a_concept_application_and_complete_it(access_world):
    world = access_world
    module = world.objects["gem_concept_module"]
    url = f"/mijn-aanbod/applicaties/{module.uuid}/overnemen"
    assert client_for(world, LEV2).post(url).status_code == 404  # not named as its supplier
    assert client_for(world, GEM).post(url).status_code == 403
    client = client_for(world, LEV)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == f"/mijn-aanbod/applicaties/{module.uuid}/bewerken"
    module.refresh_from_db()
    assert module.organisation == world.orgs["leverancier"]
    assert module.status == "concept"
    assert module.history.filter(action="overgenomen").exists()

    base = start(client, response.url)
    step(
        client,
        base,
        "licentie",
        {"licentietype": "Closed source", "cloudDienstverleningsmodel": ["SaaS"]},
    )
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.status == "gepubliceerd"
    assert module.data["cloudDienstverleningsmodel"] == ["SaaS"]
    html = client.get(AANBOD).content.decode()
    assert f'id="applicatie-{module.uuid}"' in html
    assert f'id="geregistreerd-{module.uuid}"' not in html


def test_dienst_registreren_on_another_suppliers_application(access_world):
    world = access_world
    client = client_for(world, LEV)
    other = world.uuid("lev2_module")
    base = start(client, f"/mijn-aanbod/dienst-registreren?applicatie={other}")
    html = client.get(f"{base}/applicaties").content.decode()
    assert "Registreer uw dienst" in html and "Burgerzaken Pro" in html
    assert f'value="{other}"' in html and "checked" in html
    response = step(client, base, "applicaties", {"zoek": "zaak", "keuze": [other]}, actie="zoeken")
    html = client.get(f"{base}/applicaties").content.decode()
    assert "Zaakwijzer" in html and "Burgerzaken Pro" in html  # the tick stays on top
    response = step(client, base, "applicaties", {"keuze": [other]})
    assert response.url == f"{base}/dienst"
    html = client.get(f"{base}/dienst").content.decode()
    assert "Diensttype" in html and "Soort dienst" not in html
    response = step(client, base, "dienst", {"naam": "Migratie naar Burgerzaken"})
    assert response.status_code == 400
    assert "Kies minstens één diensttype." in response.content.decode()
    response = step(
        client,
        base,
        "dienst",
        {
            "naam": "Migratie naar Burgerzaken",
            "type": ["Implementatieondersteuning", "Opleidingen"],
            "contactpersoon": world.uuid("lev_contact"),
        },
    )
    assert response.url == f"{base}/controleren"
    html = client.get(f"{base}/controleren").content.decode()
    assert "Burgerzaken Pro" in html and "Implementatieondersteuning, Opleidingen" in html
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 302
    dienst = objects("catalogus/dienst").get(title="Migratie naar Burgerzaken")
    assert dienst.status == "gepubliceerd"
    assert dienst.organisation == world.orgs["leverancier"]
    assert dienst.data["aanbieder"] == str(world.orgs["leverancier"].uuid)
    assert dienst.data["modules"] == [other]
    assert "Dienst succesvol aangemeld!" in client.get(AANBOD).content.decode()


def test_dienst_bewerken(access_world):
    world = access_world
    client = client_for(world, LEV)
    dienst = world.objects["lev_dienst"]
    base = start(client, f"/mijn-aanbod/diensten/{dienst.uuid}/bewerken")
    html = client.get(f"{base}/dienst").content.decode()
    assert 'value="Functioneel beheer Zaakwijzer"' in html
    step(client, base, "dienst", {"naam": "Beheer Zaakwijzer", "type": ["Applicatiebeheer"]})
    assert step(client, base, "controleren", {}, actie="opslaan").status_code == 302
    dienst.refresh_from_db()
    assert dienst.title == "Beheer Zaakwijzer" and dienst.data["type"] == ["Applicatiebeheer"]
    assert "contactpersoon" not in dienst.data
    other = world.uuid("lev2_dienst")
    assert client.get(f"/mijn-aanbod/diensten/{other}/bewerken").status_code == 404


def test_gebruik_melden(access_world):
    world = access_world
    client = client_for(world, LEV)
    module = world.uuid("lev_module")
    base = start(client, f"/mijn-aanbod/gebruik-melden?applicatie={module}")
    html = client.get(f"{base}/applicatie").content.decode()
    assert f'value="{module}" selected' in html
    assert "Burgerzaken Pro" not in html  # only own applications
    assert step(client, base, "applicatie", {"module": module}).url == f"{base}/klanten"
    step(client, base, "klanten", {"zoek": "dimp"}, actie="zoeken")
    html = client.get(f"{base}/klanten").content.decode()
    assert f'value="{world.orgs["samenwerking"].uuid}"' in html
    assert f'value="{world.orgs["gemeente"].uuid}"' not in html
    assert f'value="{world.orgs["leverancier"].uuid}"' not in html
    response = step(client, base, "klanten", {})
    assert response.status_code == 400
    dimpact = str(world.orgs["samenwerking"].uuid)
    assert step(client, base, "klanten", {"keuze": [dimpact]}).url == f"{base}/gebruik"
    html = client.get(f"{base}/gebruik").content.decode()
    assert "On-premises (zelf beheerd)" in html and "IaaS" not in html  # what Zaakwijzer offers
    response = step(
        client, base, "gebruik", {"status": "In productie", "cloudDienstverleningsmodel": "SaaS"}
    )
    assert response.url == f"{base}/controleren"
    html = client.get(f"{base}/controleren").content.decode()
    assert "Dimpact" in html and "Verzenden" in html and "goedkeurt" in html
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 302
    gebruik = objects("catalogus/gebruik").get(data__afnemer=dimpact, data__module=module)
    assert gebruik.status == "concept"
    assert gebruik.organisation == world.orgs["leverancier"]
    assert gebruik.data["cloudDienstverleningsmodel"] == "SaaS"

    # Visible to the klant and the supplier; not to another gemeente nor to visitors.
    assert visible("catalogus/gebruik", actor_for(world, SAM)).filter(pk=gebruik.pk).exists()
    assert visible("catalogus/gebruik", actor_for(world, LEV)).filter(pk=gebruik.pk).exists()
    assert not visible("catalogus/gebruik", actor_for(world, GEM2)).filter(pk=gebruik.pk).exists()
    from core.actors import Actor

    assert not visible("catalogus/gebruik", Actor.anonymous()).filter(pk=gebruik.pk).exists()
    html = client.get(AANBOD).content.decode()
    assert f'id="gebruik-{gebruik.uuid}"' in html


def test_gebruik_melden_refuses_a_known_gebruik(access_world):
    world = access_world
    client = client_for(world, LEV)
    base = start(client, "/mijn-aanbod/gebruik-melden")
    step(client, base, "applicatie", {"module": world.uuid("lev_module")})
    step(client, base, "klanten", {"keuze": [str(world.orgs["gemeente"].uuid)]})
    step(client, base, "gebruik", {"status": "In productie", "cloudDienstverleningsmodel": "SaaS"})
    before = objects("catalogus/gebruik").count()
    response = step(client, base, "controleren", {}, actie="opslaan")
    assert response.status_code == 400
    assert "Utrecht" in response.content.decode()
    assert "al bekend" in response.content.decode()
    assert objects("catalogus/gebruik").count() == before


def test_gebruik_melden_only_for_leveranciers(access_world):
    world = access_world
    url = "/mijn-aanbod/gebruik-melden"
    assert client_for(world, "aanbod-beheerder@community").get(url).status_code == 403
    assert client_for(world, GEM).get(url).status_code == 403
    assert "Applicatiegebruik melden" not in (
        client_for(world, "aanbod-beheerder@community").get(AANBOD).content.decode()
    )
