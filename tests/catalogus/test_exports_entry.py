"""The export entry points (plugins/catalogus/exports.py): /mijn-landschap/export,
/mijn-aanbod/export, GET /api/v1/organisaties/{uuid}/landschap and
`manage.py export_landschap`, on the shared access world (tests/catalogus/conftest.py).

Most tests use `Proef`, a format registered here through the plugin manager, which records
what the entry point handed it and writes what the selection gives (through `visible_data`),
so access, filter and privacy are visible in the file. A few use the real CSV and Excel
formats of plugins/catalogus/spreadsheet."""

from __future__ import annotations

import html
import io
import json
import types
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict

from core.models import Organisation
from core.plugins import BundleExporter, hookimpl
from core.plugins.manager import pm, registries
from core.plugins.site import visible_data
from plugins.catalogus.landscape import LandscapeFilter
from plugins.catalogus.selection import (
    AANBOD,
    KOPPELINGEN,
    LANDSCHAP,
    LandscapeSelection,
    OfferSelection,
)
from tests.admin.conftest import logged_in
from tests.catalogus.conftest import ANON, FB, GEM, GEM2, LEV, RPL, SAM, VNG
from tests.conftest import member

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
TODAY = date.today().isoformat()
CALLS: list[tuple] = []
OWN_NOTE = "Verlengen bespreken in Q2."  # Utrecht's note on its gebruik
SAM_NOTE = "Kosten verdelen naar inwonertal."  # Dimpact's note on the gebruik it shares


class Proef(BundleExporter):
    """Writes one JSON line per object the selection gives, with what the actor may read."""

    slug = "proef"
    naam = "Proefformaat"
    media_type = "application/x-ndjson"
    extension = "jsonl"
    kinds = (LANDSCHAP, KOPPELINGEN, AANBOD)

    def export(self, *, kind, selection, actor):
        CALLS.append((kind, selection, actor))
        rows = {
            LANDSCHAP: lambda: selection.gebruik(actor),
            KOPPELINGEN: lambda: selection.koppelingen(actor),
            AANBOD: lambda: selection.modules(actor),
        }[kind]()
        for obj in rows:
            line = {"uuid": str(obj.uuid), "titel": obj.title, "data": visible_data(obj, actor)}
            yield (json.dumps(line, sort_keys=True) + "\n").encode()


@pytest.fixture(autouse=True)
def proef():
    module = types.ModuleType("proef_export")
    module.register_bundle_exporters = hookimpl(lambda: [Proef()])
    pm.register(module, name="proef_export")
    registries.cache_clear()
    CALLS.clear()
    yield CALLS
    pm.unregister(module)
    registries.cache_clear()


def lines(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


def site(world, label: str):
    role, org_key = label.split("@")
    return logged_in(member(world.orgs[org_key], role).user)


def api_url(world, org_key="gemeente") -> str:
    return f"/api/v1/organisaties/{world.orgs[org_key].uuid}/landschap"


def notes(rows) -> set[str]:
    return {row["data"].get("interneAantekening") for row in rows} - {None}


# --- /mijn-landschap/export --------------------------------------------------------------


def test_site_exports_own_landscape_with_the_filter(access_world, proef):
    query = "formaat=proef&soort=landschap&status=In+productie&herkomst=eigen"
    response = site(access_world, GEM).get(f"/mijn-landschap/export?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Content-Disposition"] == (
        f'attachment; filename="landschap-utrecht-{TODAY}.jsonl"'
    )
    rows = lines(response)
    assert [row["uuid"] for row in rows] == [access_world.uuid("gem_gebruik")]
    kind, selection, actor = proef[0]
    assert kind == LANDSCHAP
    assert selection == LandscapeSelection(
        access_world.orgs["gemeente"], LandscapeFilter.from_query(QueryDict(query))
    )
    assert selection.filter.status == ("In productie",) and selection.filter.herkomst == "eigen"
    assert actor.organisation == access_world.orgs["gemeente"]


def test_site_export_keeps_others_notes_out(access_world):
    rows = lines(site(access_world, GEM).get("/mijn-landschap/export?formaat=proef"))
    assert access_world.uuid("sam_gebruik") in {row["uuid"] for row in rows}  # shared by Dimpact
    assert notes(rows) == {OWN_NOTE}  # never Dimpact's


def test_site_koppelingen_export(access_world, proef):
    response = site(access_world, RPL).get("/mijn-landschap/export?formaat=proef&soort=koppelingen")
    assert response.status_code == 200  # raadplegers read the landscape, so they export it
    assert response["Content-Disposition"] == (
        f'attachment; filename="koppelingen-utrecht-{TODAY}.jsonl"'
    )
    assert [row["uuid"] for row in lines(response)] == [access_world.uuid("gem_koppeling")]
    assert proef[0][0] == KOPPELINGEN


@pytest.mark.parametrize("label", [LEV, VNG, FB])
def test_site_export_only_for_who_has_a_landscape(access_world, proef, label):
    response = site(access_world, label).get("/mijn-landschap/export?formaat=proef")
    assert response.status_code == 404
    assert proef == []


def test_site_export_asks_anonymous_visitors_to_log_in(access_world, client, proef):
    response = client.get("/mijn-landschap/export?formaat=proef")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen")
    assert proef == []


@pytest.mark.parametrize(
    "query,message",
    [
        ("formaat=pdf", "Onbekend formaat 'pdf'; kies uit: "),
        ("", "Kies een formaat: "),
        ("formaat=proef&status=Onzin", "Onbekende waarde 'Onzin' voor filter status"),
        ("formaat=proef&soort=alles", "Soort is 'landschap' of 'koppelingen'"),
    ],
)
def test_site_export_explains_bad_input(access_world, proef, query, message):
    response = site(access_world, GEM).get(f"/mijn-landschap/export?{query}&zoek=zaak")
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    assert page.count("<h1") == 1 and 'role="alert"' in page
    if "formaat" in message:  # the formats that do exist, with the filter kept
        assert "proef" in page.split("kies uit:" if "pdf" in query else "Kies een formaat:")[1]
        assert "/mijn-landschap/export?formaat=proef&soort=landschap&zoek=zaak" in page
    assert proef == []


def test_site_export_with_the_real_spreadsheet_formats(access_world):
    from openpyxl import load_workbook

    client = site(access_world, GEM)
    response = client.get("/mijn-landschap/export?formaat=csv")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="landschap-utrecht-{TODAY}.csv"'
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Zaakwijzer" in body and SAM_NOTE not in body

    response = client.get("/mijn-landschap/export?formaat=xlsx&zoek=zaakwijzer")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    first = workbook.worksheets[0]  # the applications; other sheets hold what goes with them
    cells = " | ".join(str(c) for r in first.iter_rows(values_only=True) for c in r)
    assert "Zaakwijzer" in cells and "Burgerzaken Pro" not in cells  # the filter applied


# --- /mijn-aanbod/export -----------------------------------------------------------------


def test_offer_export_holds_the_own_offer(access_world, proef):
    response = site(access_world, LEV).get("/mijn-aanbod/export?formaat=proef")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="aanbod-acme-software-{TODAY}.jsonl"'
    )
    titles = [row["titel"] for row in lines(response)]
    assert "Zaakwijzer" in titles and "Burgerzaken Pro" not in titles
    kind, selection, _actor = proef[0]
    assert (kind, selection) == (AANBOD, OfferSelection(access_world.orgs["leverancier"]))


def test_offer_page_has_the_export_buttons(access_world):
    page = site(access_world, LEV).get("/mijn-aanbod").content.decode()
    assert 'href="/mijn-aanbod/export?formaat=proef"' in page
    assert "Downloaden als Proefformaat" in page


@pytest.mark.parametrize("label,status", [(GEM, 403), (VNG, 403)])
def test_offer_export_only_for_aanbod_beheerders(access_world, proef, label, status):
    assert site(access_world, label).get("/mijn-aanbod/export?formaat=proef").status_code == status
    assert proef == []


def test_offer_export_unknown_format(access_world, client):
    response = site(access_world, LEV).get("/mijn-aanbod/export?formaat=pdf")
    assert response.status_code == 400
    assert "Onbekend formaat &#x27;pdf&#x27;" in response.content.decode()
    assert client.get("/mijn-aanbod/export?formaat=proef").status_code == 302


# --- GET /api/v1/organisaties/{uuid}/landschap ------------------------------------------


@pytest.mark.parametrize(
    "label,status,readable_notes",
    [
        (GEM, 200, {OWN_NOTE}),  # own landscape: its own note, never Dimpact's
        (RPL, 200, {OWN_NOTE}),
        (GEM2, 200, set()),  # another gemeente: published gebruik, no notes
        (SAM, 200, {SAM_NOTE}),  # Dimpact reads only its own note in Utrecht's landscape
        (FB, 200, set()),  # functioneel beheer: any landscape, no organisation's notes
        (LEV, 403, None),  # suppliers never get a landscape
        (VNG, 403, None),  # VNG sees landscapes only as aggregates
        (ANON, 401, None),
    ],
)
def test_api_access(access_world, proef, label, status, readable_notes):
    response = access_world.api(label).get(api_url(access_world), {"formaat": "proef"})
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == PROBLEM
        assert proef == []
        return
    rows = lines(response)
    assert access_world.uuid("gem_gebruik") in {row["uuid"] for row in rows}
    assert notes(rows) == readable_notes


def test_api_filter_reaches_the_exporter(access_world, proef):
    params = {"formaat": "proef", "status": "In productie", "herkomst": "samenwerking"}
    response = access_world.api(GEM).get(api_url(access_world), params)
    assert response.status_code == 200
    assert [row["uuid"] for row in lines(response)] == [access_world.uuid("sam_gebruik")]
    selection = proef[0][1]
    assert selection.filter == LandscapeFilter(status=("In productie",), herkomst="samenwerking")
    assert response["Content-Disposition"] == (
        f'attachment; filename="landschap-utrecht-{TODAY}.jsonl"'
    )


def test_api_koppelingen_and_samenwerking(access_world, proef):
    response = access_world.api(SAM).get(
        api_url(access_world, "samenwerking"), {"formaat": "proef", "soort": "koppelingen"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="koppelingen-dimpact-{TODAY}.jsonl"'
    )
    lines(response)  # the exporter runs while the response streams
    assert proef[0][0] == KOPPELINGEN


@pytest.mark.parametrize(
    "params,status,name,reason",
    [
        ({}, 400, "formaat", "Kies een formaat: "),
        ({"formaat": "pdf"}, 400, "formaat", "Onbekend formaat 'pdf'; kies uit: "),
        ({"formaat": "proef", "status": "Onzin"}, 400, "status", "Onbekende waarde 'Onzin'"),
        ({"formaat": "proef", "leverancier": "acme"}, 400, "leverancier", "verwacht een uuid"),
        ({"formaat": "proef", "pagina": "2"}, 400, "pagina", "Onbekende parameter."),
        ({"formaat": "proef", "soort": "alles"}, 400, "soort", "Soort is 'landschap'"),
    ],
)
def test_api_bad_input_is_a_problem(access_world, proef, params, status, name, reason):
    response = access_world.api(GEM).get(api_url(access_world), params)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    problems = response.json()["invalidParams"]
    assert problems[0]["name"] == name and reason in problems[0]["reason"]
    assert proef == []


def test_api_unknown_or_landscapeless_organisation_is_404(access_world):
    api = access_world.api(FB)
    missing = "/api/v1/organisaties/00000000-0000-4000-8000-000000000000/landschap"
    assert api.get(missing, {"formaat": "proef"}).status_code == 404
    supplier = api.get(api_url(access_world, "leverancier"), {"formaat": "proef"})
    assert supplier.status_code == 404
    assert supplier.json()["detail"] == "Acme Software heeft geen applicatielandschap."


def test_api_is_in_the_openapi_document(access_world):
    document = access_world.api(ANON).get("/api/v1/openapi.json").json()
    operation = document["paths"]["/organisaties/{uuid}/landschap"]["get"]
    assert operation["operationId"] == "exportLandschap"
    params = {p["name"]: p for p in operation["parameters"]}
    assert {"proef", "csv", "xlsx"} <= set(params["formaat"]["schema"]["enum"])
    assert params["formaat"]["required"] is True
    assert {"zoek", "status", "hosting", "leverancier", "herkomst", "sorteer"} <= set(params)
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])


# --- manage.py export_landschap ----------------------------------------------------------


def run(*args) -> tuple[list[dict], str]:
    out, err = io.BytesIO(), io.StringIO()
    call_command("export_landschap", *args, stdout=out, stderr=err)
    rows = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    return rows, err.getvalue()


def test_command_without_als_exports_as_functioneel_beheer(access_world, proef):
    rows, err = run("GM0344", "--formaat", "proef")
    assert "Export als functioneel beheer" in err
    assert {row["uuid"] for row in rows} == {
        access_world.uuid("gem_gebruik"),
        access_world.uuid("sam_gebruik"),
    }
    assert notes(rows) == set()  # functioneel beheer reads no organisation's notes
    actor = proef[0][2]
    assert actor.is_functioneel_beheerder and not actor.system


def test_command_als_a_member_sees_the_own_notes(access_world, proef):
    email = member(access_world.orgs["gemeente"], "gebruik-beheerder").user.email
    rows, err = run("gm0344", "--formaat", "proef", "--als", email.upper())
    assert email in err and "gebruik-beheerder bij Utrecht" in err
    assert notes(rows) == {OWN_NOTE}
    assert proef[0][2].organisation == access_world.orgs["gemeente"]


def test_command_filters_and_output_file(access_world, proef, tmp_path):
    target = tmp_path / "export.jsonl"
    uuid = str(access_world.orgs["gemeente"].uuid)
    _rows, err = run(
        uuid, "--formaat", "proef", "--status", "In productie", "--filter", "herkomst=eigen",
        "--output", str(target),
    )  # fmt: skip
    assert str(target) in err
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["uuid"] for row in rows] == [access_world.uuid("gem_gebruik")]
    assert proef[0][1].filter == LandscapeFilter(status=("In productie",), herkomst="eigen")


def test_command_finds_an_organisation_by_kvk(access_world, proef):
    Organisation.objects.filter(pk=access_world.orgs["samenwerking"].pk).update(
        kvk_nummer="40123456"
    )
    run("40123456", "--formaat", "proef", "--soort", "koppelingen")
    kind, selection, _actor = proef[0]
    assert kind == KOPPELINGEN and selection.organisation.naam == "Dimpact"


@pytest.mark.parametrize(
    "args,message",
    [
        (["GM9999", "--formaat", "proef"], "Geen organisatie gevonden"),
        (["GM0344", "--formaat", "pdf"], "Onbekend formaat 'pdf'; kies uit: "),
        (["GM0344", "--formaat", "proef", "--status", "Onzin"], "Onbekende waarde 'Onzin'"),
        (["GM0344", "--formaat", "proef", "--als", "niemand@example.nl"], "Geen gebruiker"),
        (
            ["GM0344", "--formaat", "proef", "--als", "aanbod-beheerder@acmesoftware.nl"],
            "is geen actief lid van Utrecht en geen functioneel beheerder",
        ),
    ],
)
def test_command_refuses_in_dutch(access_world, proef, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert proef == []


def test_command_als_a_member_of_another_gemeente_is_refused(access_world):
    """--als acts through a membership of the organisation itself (or functioneel beheer)."""
    membership = member(access_world.orgs["gemeente2"], "gebruik-beheerder")
    with pytest.raises(CommandError, match="geen actief lid van Utrecht"):
        run("GM0344", "--formaat", "proef", "--als", membership.user.email)


def test_command_als_functioneel_beheerder(access_world, proef):
    email = member(access_world.orgs["vng"], "functioneel-beheerder").user.email
    rows, err = run("GM0344", "--formaat", "proef", "--als", email)
    assert "functioneel-beheerder bij VNG Realisatie" in err
    assert notes(rows) == set()


def test_command_with_the_real_csv(access_world):
    out = io.BytesIO()
    call_command("export_landschap", "GM0344", "--formaat", "csv", stdout=out, stderr=io.StringIO())
    body = out.getvalue().decode("utf-8-sig")
    assert "Zaakwijzer" in body and OWN_NOTE not in body and SAM_NOTE not in body


def test_command_refuses_an_organisation_without_a_landscape(access_world, proef):
    supplier = str(access_world.orgs["leverancier"].uuid)
    with pytest.raises(CommandError, match="Acme Software heeft geen applicatielandschap"):
        run(supplier, "--formaat", "proef")
    assert proef == []


def test_command_writes_bytes_to_the_real_stdout(access_world, proef, capsysbinary):
    call_command("export_landschap", "GM0344", "--formaat", "proef")
    captured = capsysbinary.readouterr()
    rows = [json.loads(line) for line in captured.out.decode().splitlines()]
    assert {row["uuid"] for row in rows} == {
        access_world.uuid("gem_gebruik"),
        access_world.uuid("sam_gebruik"),
    }
    assert b"functioneel beheer" in captured.err


def test_one_table_formats_offer_every_sheet_as_its_own_csv(access_world):
    client = site(access_world, LEV)
    page = client.get("/mijn-aanbod").content.decode()
    assert 'href="/mijn-aanbod/export?formaat=csv&amp;blad=Versies"' in page
    response = client.get("/mijn-aanbod/export?formaat=csv&blad=versies")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Applicatie,") and "4.2" in body  # the versions
    refused = client.get("/mijn-aanbod/export?formaat=csv&blad=Gebruik")
    assert refused.status_code == 400
    assert "Onbekend blad" in refused.content.decode() and "Standaarden" in refused.content.decode()


def test_api_csv_of_the_diensten_sheet_and_an_unknown_sheet(access_world):
    api = access_world.api(GEM)
    response = api.get(api_url(access_world), {"formaat": "csv", "blad": "Diensten"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Functioneel beheer Zaakwijzer" in body
    problem = api.get(api_url(access_world), {"formaat": "csv", "blad": "Gebruik"})
    assert problem.status_code == 400
    assert problem.json()["invalidParams"][0]["name"] == "blad"


@pytest.mark.parametrize("given", ["0344", "GM0344", "gm0344"])
def test_command_finds_a_gemeente_by_cbs_code_as_stored_or_as_cbs_writes_it(
    access_world, proef, given
):
    from plugins.catalogus.management.commands.export_landschap import find_organisation

    utrecht = access_world.orgs["gemeente"]
    utrecht.cbs_code = "0344"  # how the reference data stores it
    utrecht.save()
    assert find_organisation(given) == utrecht
