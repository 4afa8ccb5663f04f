"""/mijn-landschap, proposals, the gebruik page (edit, contract, document, remove) and gluren
bij de buren, on the shared access world (tests/catalogus/conftest.py)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase

from core.models import Object
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db


def client_for(world, org_key: str, role: str):
    return logged_in(member(world.orgs[org_key], role).user)


@pytest.fixture
def gem(access_world):
    return client_for(access_world, "gemeente", "gebruik-beheerder")


def fresh(world, key) -> Object:
    return Object.objects.get(pk=world.objects[key].pk)


# --- /mijn-landschap ---------------------------------------------------------------------


def test_landscape_lists_own_and_shared_gebruik_with_counts(access_world, gem):
    response = gem.get("/mijn-landschap")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zaakwijzer" in page and "Burgerzaken Pro" in page
    assert "via Dimpact" in page  # shared by the samenwerking
    row = page.split(f'id="gebruik-{access_world.uuid("gem_gebruik")}"')[1].split("</tr>")[0]
    assert "Acme Software" in row and "4.2" in row and "In productie" in row
    cells = [c.split("</td>")[0] for c in row.split('--numeric">')[1:]]
    assert cells == ["1", "1"]  # one koppeling (Zaakwijzer ↔ Burgerzaken), one dienst
    assert "Een applicatie toevoegen" in page
    assert "Zaakwijzer ↔ Burgerzaken Pro" in page or "Burgerzaken Pro" in page


def test_raadpleger_reads_without_buttons(access_world):
    client = client_for(access_world, "gemeente", "gebruik-raadpleger")
    response = client.get("/mijn-landschap")
    assert response.status_code == 200
    assert "Een applicatie toevoegen" not in response.content.decode()
    assert client.get("/mijn-landschap/applicatie-toevoegen").status_code == 403


@pytest.mark.parametrize(
    "org_key,role", [("leverancier", "aanbod-beheerder"), ("vng", "vng-raadpleger")]
)
def test_no_landscape_for_suppliers_and_vng(access_world, org_key, role):
    client = client_for(access_world, org_key, role)
    assert client.get("/mijn-landschap").status_code == 404
    assert (
        client.get(f"/mijn-landschap/gebruik/{access_world.uuid('gem_gebruik')}").status_code == 404
    )


def test_anonymous_goes_to_login(client, access_world):
    for url in ("/mijn-landschap", "/mijn-landschap/applicatie-toevoegen"):
        response = client.get(url)
        assert response.status_code == 302 and "inloggen" in response["Location"]


def test_supplier_never_sees_buren(access_world):
    client = client_for(access_world, "leverancier", "aanbod-beheerder")
    url = f"/organisaties/{access_world.orgs['gemeente'].uuid}/landschap"
    assert client.get(url).status_code == 404


def test_landscape_query_count_does_not_grow(access_world, gem, django_assert_max_num_queries):
    gem.get("/mijn-landschap")  # warm the session and caches
    with django_assert_max_num_queries(25) as before:
        gem.get("/mijn-landschap")
    gem_actor_module = access_world.objects["lev2_module"]
    utrecht = access_world.orgs["gemeente"]
    from core import services
    from core.actors import Actor
    from core.register import catalog

    actor = Actor.for_membership(member(utrecht, "gebruik-beheerder"))
    for _ in range(6):
        services.create_object(
            catalog.by_key("catalogus/gebruik"),
            {
                "afnemer": str(utrecht.uuid),
                "module": str(gem_actor_module.uuid),
                "status": "Gepland",
            },
            actor=actor,
            status="gepubliceerd",
        )
    # +1: the schema cache checks for new versions at most once a second, whatever the page
    with django_assert_max_num_queries(len(before.captured_queries) + 1):
        response = gem.get("/mijn-landschap")
    assert response.content.decode().count('id="gebruik-') == 8


# --- proposals -----------------------------------------------------------------------------


def test_accept_proposed_gebruik_notifies_supplier(access_world):
    client = client_for(access_world, "gemeente2", "gebruik-beheerder")
    member(access_world.orgs["leverancier"], "aanbod-beheerder")
    page = client.get("/mijn-landschap").content.decode()
    assert "Voorgesteld door leveranciers" in page and "Accepteren" in page
    url = f"/mijn-landschap/voorstel/{access_world.uuid('proposed_gebruik')}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"actie": "accepteren"})
    assert response.status_code == 302
    obj = fresh(access_world, "proposed_gebruik")
    assert obj.status == "gepubliceerd"
    assert obj.organisation == access_world.orgs["gemeente2"]
    assert any("geaccepteerd" in m.subject for m in mail.outbox)


def test_decline_proposed_gebruik_deletes_it(access_world):
    client = client_for(access_world, "gemeente2", "gebruik-beheerder")
    url = f"/mijn-landschap/voorstel/{access_world.uuid('proposed_gebruik')}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"actie": "afwijzen"})
    assert response.status_code == 302
    assert not Object.objects.filter(pk=access_world.objects["proposed_gebruik"].pk).exists()
    assert any("afgewezen" in m.subject for m in mail.outbox)


def test_other_gemeente_cannot_accept(access_world, gem):
    url = f"/mijn-landschap/voorstel/{access_world.uuid('proposed_gebruik')}"
    assert gem.post(url, {"actie": "accepteren"}).status_code == 404
    assert fresh(access_world, "proposed_gebruik").status == "concept"


# --- the gebruik page ----------------------------------------------------------------------


def gebruik_url(world, key="gem_gebruik"):
    return f"/mijn-landschap/gebruik/{world.uuid(key)}"


def test_gebruik_page_shows_everything_of_own_gebruik(access_world, gem):
    page = gem.get(gebruik_url(access_world)).content.decode()
    for text in (
        "Verlengen bespreken in Q2.",
        "UTR-2025-0142",
        "Verwerkersovereenkomst Zaakwijzer",
        "Functioneel beheer Zaakwijzer",
        "Jan Visser",
    ):
        assert text in page


def test_edit_gebruik_status_sets_matching_date(access_world, gem):
    page_data = {
        "formulier": "gebruik",
        "hosting": "On-premises (self-managed)",
        "versie": access_world.uuid("lev_v1"),
        "status": "Uit te faseren",
        "startdatum": "2026-01-15",
        "interneAantekening": "Vervanging gezocht.",
    }
    response = gem.post(gebruik_url(access_world), page_data)
    assert response.status_code == 302
    data = fresh(access_world, "gem_gebruik").data
    assert data["status"] == "Uit te faseren"
    assert data["startDatumUitTeFaseren"] == "2026-01-15"
    assert data["startDatumInProductie"] == "2025-11-01"
    assert data["interneAantekening"] == "Vervanging gezocht."


def test_switch_to_saas_drops_version(access_world, gem):
    response = gem.post(
        gebruik_url(access_world),
        {
            "formulier": "gebruik",
            "hosting": "SaaS",
            "versie": access_world.uuid("lev_v1"),
            "status": "In productie",
            "startdatum": "2025-11-01",
        },
    )
    assert response.status_code == 302
    data = fresh(access_world, "gem_gebruik").data
    assert data["cloudDienstverleningsmodel"] == "SaaS" and "moduleVersie" not in data


def test_add_contract_validation_then_saved(access_world, gem):
    before = Object.objects.filter(schema_id=access_world.objects["gem_contract"].schema_id).count()
    response = gem.post(gebruik_url(access_world), {"formulier": "contract", "contractNummer": ""})
    assert response.status_code == 400
    assert "Controleer de volgende velden" in response.content.decode()
    response = gem.post(
        gebruik_url(access_world),
        {
            "formulier": "contract",
            "contractNummer": "UTR-2026-1",
            "contractType": "SLA",
            "status": "Actief",
            "startDatum": "2026-01-01",
            "eindDatum": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "vóór de ingangsdatum" in response.content.decode()
    response = gem.post(
        gebruik_url(access_world),
        {
            "formulier": "contract",
            "contractNummer": "UTR-2026-1",
            "contractType": "SLA",
            "status": "Actief",
            "startDatum": "2026-01-01",
            "kosten": "1200.50",
            "kostenPeriode": "Jaarlijks",
        },
    )
    assert response.status_code == 302
    schema_id = access_world.objects["gem_contract"].schema_id
    assert Object.objects.filter(schema_id=schema_id).count() == before + 1
    made = Object.objects.filter(schema_id=schema_id, data__contractNummer="UTR-2026-1").get()
    assert made.data["gebruik"] == access_world.uuid("gem_gebruik")
    assert made.data["kosten"] == 1200.5


def test_add_document_and_contactpersoon(access_world, gem):
    response = gem.post(
        gebruik_url(access_world),
        {
            "formulier": "document",
            "titel": "Pentest 2026",
            "soort": "Pentest",
            "doelgroep": "overheid",
        },
    )
    assert response.status_code == 302
    doc = Object.objects.get(data__titel="Pentest 2026")
    assert doc.data["doelgroep"] == "overheid"
    response = gem.post(
        gebruik_url(access_world),
        {"formulier": "contactpersoon", "voornaam": "Els", "achternaam": "Jansen"},
    )
    assert response.status_code == 302
    person = fresh(access_world, "gem_gebruik").data["contactpersoon"]
    assert Object.objects.get(uuid=person).title == "Els Jansen"


def test_raadpleger_cannot_write_on_gebruik_page(access_world):
    client = client_for(access_world, "gemeente", "gebruik-raadpleger")
    response = client.post(
        gebruik_url(access_world),
        {"formulier": "document", "titel": "X", "soort": "Overig"},
    )
    assert response.status_code == 403
    assert not Object.objects.filter(data__titel="X").exists()


def test_shared_gebruik_is_read_only_for_deelnemer(access_world, gem):
    response = gem.get(gebruik_url(access_world, "sam_gebruik"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "via een samenwerking" in page
    assert "Kosten verdelen naar inwonertal." not in page  # Dimpact's own note
    assert gem.post(gebruik_url(access_world, "sam_gebruik"), {"formulier": "x"}).status_code == 403


def test_remove_gebruik_confirms_then_archives_children(access_world, gem):
    url = gebruik_url(access_world) + "/verwijderen"
    page = gem.get(url).content.decode()
    for text in ("UTR-2025-0142", "DPIA Zaakwijzer 2026", "Functioneel beheer Zaakwijzer"):
        assert text in page
    assert "Burgerzaken Pro" in page  # the own koppeling
    assert fresh(access_world, "gem_gebruik").status == "gepubliceerd"  # GET changes nothing
    response = gem.post(url)
    assert response.status_code == 302
    for key in ("gem_gebruik", "gem_contract", "doc_eigen", "gem_dienstafname", "gem_koppeling"):
        assert fresh(access_world, key).status == "gearchiveerd", key
    assert (
        "Zaakwijzer"
        not in gem.get("/mijn-landschap")
        .content.decode()
        .split("koppelingen-titel")[0]
        .split("applicaties-titel")[1]
    )


def test_remove_koppeling_with_confirmation(access_world, gem):
    url = f"/mijn-landschap/koppelingen/{access_world.uuid('gem_koppeling')}/verwijderen"
    assert gem.get(url).status_code == 200
    assert fresh(access_world, "gem_koppeling").status == "gepubliceerd"
    assert gem.post(url).status_code == 302
    assert fresh(access_world, "gem_koppeling").status == "gearchiveerd"


# --- gluren bij de buren -------------------------------------------------------------------


def test_buren_shows_landscape_without_notes_or_contracts(access_world):
    client = client_for(access_world, "gemeente2", "gebruik-beheerder")
    response = client.get(f"/organisaties/{access_world.orgs['gemeente'].uuid}/landschap")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zaakwijzer" in page and "Burgerzaken Pro" in page
    for secret in (
        "Verlengen bespreken in Q2.",
        "Kosten verdelen",
        "UTR-2025-0142",
        "Verwerkersovereenkomst Zaakwijzer",
        "Pentest Zaakwijzer 2025",
    ):
        assert secret not in page
    assert "DPIA Zaakwijzer 2026" in page  # doelgroep overheid
    assert "Vergelijking met mijn landschap" in page and "Alleen bij Utrecht" in page


def test_buren_comparison(access_world, gem):
    # Den Haag's proposed gebruik is a concept, so its landscape is empty; Dimpact shares
    # Burgerzaken Pro with Utrecht.
    response = gem.get(f"/organisaties/{access_world.orgs['samenwerking'].uuid}/landschap")
    assert response.status_code == 200
    page = response.content.decode()
    shared = page.split('id="gedeeld"')[1].split("</ul>")[0]
    ours = page.split('id="alleen-wij"')[1].split("</ul>")[0]
    assert "Burgerzaken Pro" in shared
    assert "Zaakwijzer" in ours


def test_buren_404_for_suppliers_page_and_anonymous_login(client, access_world, gem):
    url = f"/organisaties/{access_world.orgs['leverancier'].uuid}/landschap"
    assert gem.get(url).status_code == 404  # a supplier has no landscape
    response = client.get(f"/organisaties/{access_world.orgs['gemeente'].uuid}/landschap")
    assert response.status_code == 302
