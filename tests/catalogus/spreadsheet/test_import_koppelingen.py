"""The Koppelingen sheet of the landscape import (#16): an exported workbook or koppelingen
CSV read back changes nothing; a changed cell updates that koppeling, a new row adds one,
and the same file twice adds it once; ends are found by id or name (never created);
validation as the write path, with sheet, row and column; a samenwerking's shared koppeling
and another organisation's koppeling cannot be changed; one bad row on any sheet writes
nothing; the dry-run page and the audit record cover both sheets."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core import services
from core.models import AuditEntry, Object
from core.plugins import bundle_exporters
from core.register import catalog
from plugins.catalogus.selection import KOPPELINGEN, LANDSCHAP
from plugins.catalogus.spreadsheet.importer import apply_plan, error_texts, plan_import
from plugins.catalogus.spreadsheet.reader import FileProblem, read_upload
from tests.admin.conftest import logged_in
from tests.catalogus.spreadsheet.helpers import (
    actor,
    column,
    csv_file,
    csv_table,
    edited,
    landscape,
    row_of,
    sheet_rows,
    workbook,
    xlsx_file,
)
from tests.conftest import member

pytestmark = pytest.mark.django_db

KOPPELING = "catalogus/koppeling"
HEADER = ["Applicatie A", "Richting", "Applicatie B", "Voorziening", "Status", "Datum in gebruik"]


def export(w, kind=LANDSCHAP, slug="xlsx", org_key="gemeente") -> bytes:
    exporter = bundle_exporters(kind)[slug]
    return b"".join(
        exporter.export(kind=kind, selection=landscape(w, org_key), actor=actor(w, org_key))
    )


def plan(w, content: bytes, name="landschap.xlsx", org_key="gemeente") -> dict:
    return plan_import(read_upload(name, content), w.orgs[org_key], actor(w, org_key))


def koppelingen_of(w, org_key="gemeente") -> list[Object]:
    return list(
        Object.objects.filter(
            schema=catalog.by_key(KOPPELING).schema, organisation=w.orgs[org_key]
        ).order_by("id")
    )


def fresh(w, key) -> Object:
    return Object.objects.get(pk=w.objects[key].pk)


def shared_koppeling(w, **extra) -> Object:
    """Dimpact's koppeling Burgerzaken Pro → DigiD, in Utrecht's landscape as deelnemer."""
    return services.create_object(
        catalog.by_key(KOPPELING),
        {
            "moduleA": w.uuid("lev2_module"),
            "buitengemeentelijkVoorziening": w.uuid("digid"),
            "gegevensuitwisselingRichting": "AnaarB",
            "status": "in gebruik",
            "deelnemers": [str(w.orgs["gemeente"].uuid)],
            "interneAantekening": "Alleen voor Dimpact.",
            **extra,
        },
        actor=actor(w, "samenwerking"),
        status="gepubliceerd",
    )


def add_digid_row(ws) -> None:
    ws.append(
        {
            column(ws, "Applicatie A"): "zaakwijzer",  # case does not matter
            column(ws, "Voorziening"): "DigiD",
            column(ws, "Richting"): "A -> B",  # as typed in Excel
            column(ws, "Transportprotocol"): "API",
            column(ws, "Status"): "In ontwikkeling",
            column(ws, "Datum in ontwikkeling"): datetime.date(2026, 2, 1),
            column(ws, "Interne aantekening"): "Aansluiten vóór de zomer.",
        }
    )


def end_support(ws) -> None:
    row = row_of(ws, "koppeling_id", ws.parent.gem_koppeling)
    ws.cell(row, column(ws, "Status")).value = "Einde ondersteuning"
    ws.cell(row, column(ws, "Datum einde ondersteuning")).value = datetime.date(2026, 6, 30)


def with_gem_koppeling(w, change):
    def run(ws):
        ws.parent.gem_koppeling = w.uuid("gem_koppeling")
        change(ws)

    return run


# --- read back unchanged ----------------------------------------------------------------------


def test_an_unchanged_workbook_reads_both_sheets_and_changes_nothing(access_world):
    w = access_world
    result = plan(w, export(w))
    assert result["fouten"] == []
    assert result["bladen"] == ["Applicaties", "Koppelingen"]
    assert result["niet_ingelezen"] == ["Diensten", "Contracten"]
    assert (result["nieuw"], result["gewijzigd"], result["ongewijzigd"]) == ([], [], 2)
    sheet = result["koppelingen"]
    assert (sheet["nieuw"], sheet["gewijzigd"], sheet["ongewijzigd"]) == ([], [], 1)
    assert sheet["genegeerd"] == []


@pytest.mark.parametrize("slug", ["csv", "csv-puntkomma"])
def test_an_unchanged_koppelingen_csv_changes_nothing(access_world, slug):
    w = access_world
    shared_koppeling(w)
    result = plan(w, export(w, KOPPELINGEN, slug), "koppelingen.csv")
    assert result["fouten"] == []
    assert result["bladen"] == ["Koppelingen"]
    assert (result["nieuw"], result["gewijzigd"], result["ongewijzigd"]) == ([], [], 0)
    sheet = result["koppelingen"]
    assert (sheet["nieuw"], sheet["gewijzigd"], sheet["ongewijzigd"]) == ([], [], 2)


def test_a_csv_is_told_apart_by_its_header(access_world):
    w = access_world
    apps = read_upload("x.csv", export(w, LANDSCHAP, "csv"))
    koppelingen = read_upload("x.csv", export(w, KOPPELINGEN, "csv-puntkomma"))
    assert list(apps.tables) == ["Applicaties"] and list(koppelingen.tables) == ["Koppelingen"]
    with pytest.raises(FileProblem, match="geen kolom Applicatie A of koppeling_id"):
        plan(w, xlsx_file([["Naam", "Status"], ["x", "In gebruik"]], sheet="Koppelingen"))
    only = read_upload("x.xlsx", xlsx_file([HEADER], sheet="Koppelingen"))
    assert list(only.tables) == ["Koppelingen"] and only.skipped == []


# --- changes ----------------------------------------------------------------------------------


def test_a_changed_status_and_a_new_row_change_exactly_that(access_world):
    w = access_world
    gebruik_before = fresh(w, "gem_gebruik").version

    def change(ws):
        end_support(ws)
        add_digid_row(ws)

    content = edited(export(w), with_gem_koppeling(w, change), "Koppelingen")
    result = plan(w, content)
    assert result["fouten"] == []
    assert (result["nieuw"], result["gewijzigd"], result["ongewijzigd"]) == ([], [], 2)
    sheet = result["koppelingen"]
    [changed] = sheet["gewijzigd"]
    assert changed["koppeling"] == w.uuid("gem_koppeling") and changed["rij"] == 2
    assert changed["data"] == {
        "status": "einde ondersteuning",
        "datumEindeOndersteuning": "2026-06-30",
    }
    assert ["Status", "", "Einde ondersteuning"] in changed["wijzigingen"]
    [new] = sheet["nieuw"]
    assert new["rij"] == 3 and new["naam"] == "Zaakwijzer → DigiD"
    assert new["data"] == {
        "moduleA": w.uuid("lev_module"),
        "buitengemeentelijkVoorziening": w.uuid("digid"),
        "gegevensuitwisselingRichting": "AnaarB",
        "type": "api",
        "status": "in ontwikkeling",
        "datumInOntwikkeling": "2026-02-01",
        "interneAantekening": "Aansluiten vóór de zomer.",
    }

    before = len(koppelingen_of(w))
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert outcome.fouten == []
    assert (outcome.koppelingen_aangemaakt, outcome.koppelingen_gewijzigd) == (1, 1)
    assert (outcome.aangemaakt, outcome.gewijzigd) == (0, 0)
    koppeling = fresh(w, "gem_koppeling")
    assert koppeling.data["status"] == "einde ondersteuning"
    assert koppeling.data["moduleB"] == w.uuid("lev2_module")  # untouched
    mine = koppelingen_of(w)
    assert len(mine) == before + 1
    added = mine[-1]
    assert added.title == "Zaakwijzer → DigiD"
    assert added.data["koppelingType"] == "extern"  # derived by the register
    assert fresh(w, "gem_gebruik").version == gebruik_before

    again = plan(w, content)  # the same file: the new row is now that koppeling
    sheet = again["koppelingen"]
    assert (sheet["nieuw"], sheet["gewijzigd"], sheet["ongewijzigd"]) == ([], [], 2)
    assert plan(w, export(w))["koppelingen"]["ongewijzigd"] == 2


def test_the_koppelingen_csv_imports_back(access_world):
    w = access_world
    table = csv_table(export(w, KOPPELINGEN, "csv-puntkomma"), ";")
    header = table[0]
    row = dict(zip(header, table[1], strict=True))
    row["Status"] = "Teruggetrokken"
    row["Datum teruggetrokken"] = "31-12-2026"  # a Dutch date in a CSV
    new = dict.fromkeys(header, "")
    new.update(
        {
            "Applicatie A": "Burgerzaken Pro",
            "Richting": "A<-B",  # typed, the other way round
            "Applicatie B": "DigiD",  # a voorziening in the B column is that voorziening
            "Korte beschrijving": "Inloggen bij burgerzaken.",
        }
    )
    content = csv_file([header, list(row.values()), list(new.values())], ";")
    result = plan(w, content, "koppelingen.csv")
    assert result["fouten"] == []
    sheet = result["koppelingen"]
    [changed] = sheet["gewijzigd"]
    assert changed["data"] == {"status": "teruggetrokken", "datumTeruggetrokken": "2026-12-31"}
    [added] = sheet["nieuw"]
    assert added["data"] == {
        "moduleA": w.uuid("lev2_module"),
        "buitengemeentelijkVoorziening": w.uuid("digid"),
        "gegevensuitwisselingRichting": "BnaarA",
        "beschrijvingKort": "Inloggen bij burgerzaken.",
    }
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert (outcome.koppelingen_aangemaakt, outcome.koppelingen_gewijzigd) == (1, 1)
    assert fresh(w, "gem_koppeling").data["status"] == "teruggetrokken"
    assert koppelingen_of(w)[-1].title == "Burgerzaken Pro ← DigiD"


def test_round_trip_export_import_export(access_world):
    w = access_world
    shared_koppeling(w)
    before_xlsx = sheet_rows(export(w))
    before_csv = export(w, KOPPELINGEN, "csv")
    result = plan(w, export(w))
    assert apply_plan(result, actor(w, "gemeente")).fouten == []
    assert sheet_rows(export(w)) == before_xlsx
    assert export(w, KOPPELINGEN, "csv") == before_csv


def test_a_new_end_renames_a_koppeling_that_had_the_default_name(access_world):
    w = access_world

    def change(ws):
        row = row_of(ws, "koppeling_id", w.uuid("gem_koppeling"))
        ws.cell(row, column(ws, "Applicatie B")).value = None
        ws.cell(row, column(ws, "applicatie_b_id")).value = None
        ws.cell(row, column(ws, "Voorziening")).value = "digid"

    result = plan(w, edited(export(w), change, "Koppelingen"))
    assert result["fouten"] == []
    [op] = result["koppelingen"]["gewijzigd"]
    assert op["data"] == {
        "moduleB": None,
        "buitengemeentelijkVoorziening": w.uuid("digid"),
        "naam": None,  # the register names it again
    }
    apply_plan(result, actor(w, "gemeente"))
    koppeling = fresh(w, "gem_koppeling")
    assert koppeling.title == "Zaakwijzer ↔ DigiD"
    assert "moduleB" not in koppeling.data and koppeling.data["koppelingType"] == "extern"


def test_applications_added_on_the_applicaties_sheet_can_be_an_end(access_world):
    w = access_world
    wb = Workbook()
    apps = wb.active
    apps.title = "Applicaties"
    apps.append(["Applicatie", "Status"])
    apps.append(["Marktvergunningen", "Gepland"])
    ws = wb.create_sheet("Koppelingen")
    ws.append(HEADER)
    ws.append(["Marktvergunningen", "A ↔ B", "Zaakwijzer", None, "In gebruik", None])
    out = io.BytesIO()
    wb.save(out)
    result = plan(w, out.getvalue())
    assert result["fouten"] == []
    assert len(result["nieuw"]) == 1 and len(result["koppelingen"]["nieuw"]) == 1
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert (outcome.aangemaakt, outcome.koppelingen_aangemaakt) == (1, 1)
    assert koppelingen_of(w)[-1].data["moduleA"] == w.uuid("gem_published_module")


# --- errors -----------------------------------------------------------------------------------


def test_invalid_rows_are_named_by_sheet_row_and_column(access_world):
    w = access_world
    content = xlsx_file(
        [
            HEADER,
            ["Zaakwijzer", "A → B", "Zaakwijzer", None, None, None],
            ["Zaakwijzr", "A → B", "Burgerzaken Pro", None, None, None],
            ["Zaakwijzer", "heen en weer", None, "DigiD", "Kapot", "gisteren"],
            ["Zaakwijzer", "A → B", "Burgerzaken Pro", "DigiD", None, None],
            ["Zaakwijzer", None, None, "DigID-2", None, None],
            ["Marktvergunningen", "A → B", "Burgerzaken Pro", None, None, None],
            ["Zaakwijzer", "A → B", None, None, None, None],
        ],
        sheet="Koppelingen",
    )
    texts = error_texts(plan(w, content)["fouten"])
    assert texts == [
        "Blad Koppelingen, rij 2, kolom Applicatie B: Een koppeling verbindt twee "
        "verschillende applicaties.",
        "Blad Koppelingen, rij 3, kolom Applicatie A: Zaakwijzr staat niet in uw landschap. "
        "Bedoelt u: Zaakwijzer? Voeg een applicatie eerst toe (op het blad Applicaties of met "
        "de wizard).",
        "Blad Koppelingen, rij 4, kolom Richting: Onbekende waarde 'heen en weer'; kies uit "
        "A → B, B → A, A ↔ B.",
        "Blad Koppelingen, rij 4, kolom Status: Onbekende waarde 'Kapot'; kies uit "
        "In ontwikkeling, In gebruik, Einde ondersteuning, Teruggetrokken.",
        "Blad Koppelingen, rij 4, kolom Datum in gebruik: Vul een datum in als dd-mm-jjjj.",
        "Blad Koppelingen, rij 5, kolom Voorziening: Kies applicatie B of een voorziening, "
        "niet allebei.",
        "Blad Koppelingen, rij 6, kolom Voorziening: Onbekende voorziening: DigID-2. "
        "Bedoelt u: DigiD?",
        "Blad Koppelingen, rij 7, kolom Applicatie A: Marktvergunningen staat niet in uw "
        "landschap. Voeg een applicatie eerst toe (op het blad Applicaties of met de wizard).",
        "Blad Koppelingen, rij 8, kolom Applicatie B: Vul applicatie B of een voorziening in.",
    ]


def test_dates_keep_their_order_and_richting_is_required(access_world):
    w = access_world
    content = xlsx_file(
        [
            [*HEADER, "Datum einde ondersteuning"],
            ["Zaakwijzer", None, None, "DigiD", None, "2026-05-01", datetime.date(2025, 1, 1)],
        ],
        sheet="Koppelingen",
    )
    assert error_texts(plan(w, content)["fouten"]) == [
        "Blad Koppelingen, rij 2, kolom Richting: Vul de richting in: kies uit A → B, B → A, "
        "A ↔ B.",
        "Blad Koppelingen, rij 2, kolom Datum einde ondersteuning: Deze datum ligt vóór de "
        "start van de vorige fase.",
    ]


def test_one_invalid_koppeling_row_means_nothing_is_written_on_any_sheet(access_world):
    w = access_world

    def apps(ws):
        ws.cell(row_of(ws, "Applicatie", "Zaakwijzer"), column(ws, "Status")).value = "Gepland"

    def koppelingen(ws):
        add_digid_row(ws)
        ws.cell(ws.max_row, column(ws, "Richting")).value = "zijwaarts"

    content = edited(edited(export(w), apps), koppelingen, "Koppelingen")
    result = plan(w, content)
    assert len(result["gewijzigd"]) == 1  # the Applicaties row alone would be fine
    [text] = error_texts(result["fouten"])
    assert text.startswith("Blad Koppelingen, rij 3, kolom Richting: Onbekende waarde")
    objects = Object.objects.count()
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert outcome.fouten and outcome.gewijzigd == 0
    assert Object.objects.count() == objects
    assert fresh(w, "gem_gebruik").data["status"] == "In productie"


def test_a_write_the_register_refuses_rolls_back_both_sheets(access_world):
    w = access_world

    def apps(ws):
        ws.cell(row_of(ws, "Applicatie", "Zaakwijzer"), column(ws, "Status")).value = "Gepland"

    result = plan(w, edited(edited(export(w), apps), add_digid_row, "Koppelingen"))
    result["koppelingen"]["nieuw"][0]["data"]["type"] = "postduif"  # edited by hand
    outcome = apply_plan(result, actor(w, "gemeente"))
    [text] = error_texts(outcome.fouten)
    assert text.startswith("Blad Koppelingen, rij 3, kolom Transportprotocol: ")
    assert fresh(w, "gem_gebruik").data["status"] == "In productie"
    assert not any(k.title == "Zaakwijzer → DigiD" for k in koppelingen_of(w))


def test_a_koppeling_changed_after_the_dry_run_asks_for_a_new_one(access_world):
    w = access_world
    result = plan(w, edited(export(w), add_digid_row, "Koppelingen"))
    services.update_object(
        fresh(w, "gem_koppeling"),
        {"status": "in gebruik"},
        actor=actor(w, "gemeente"),
        partial=True,
    )
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert outcome.koppelingen_aangemaakt == 0
    assert error_texts(outcome.fouten) == [
        "Uw landschap is na de proefimport gewijzigd. Doe de proefimport opnieuw; er is niets "
        "geïmporteerd."
    ]


# --- privacy ----------------------------------------------------------------------------------


def test_a_deelnemer_cannot_change_the_samenwerkings_koppeling(access_world):
    w = access_world
    shared = shared_koppeling(w)
    exported = export(w)
    [row] = [
        r for r in sheet_rows(exported)["Koppelingen"] if r["koppeling_id"] == str(shared.uuid)
    ]
    assert row["Via samenwerking"] == "Dimpact"
    assert row["Interne aantekening"] is None  # Dimpact's note stays with Dimpact
    assert plan(w, exported)["fouten"] == []  # unchanged: fine

    def change(ws):
        row = row_of(ws, "koppeling_id", str(shared.uuid))
        ws.cell(row, column(ws, "Status")).value = "Teruggetrokken"
        ws.cell(row, column(ws, "Interne aantekening")).value = "Eigen notitie"

    result = plan(w, edited(exported, change, "Koppelingen"))
    assert error_texts(result["fouten"]) == [
        "Blad Koppelingen, rij 2, kolom Status: Deze koppeling is van Dimpact; alleen Dimpact "
        "wijzigt haar."
    ]
    version = Object.objects.get(pk=shared.pk).version
    assert apply_plan(result, actor(w, "gemeente")).fouten
    assert Object.objects.get(pk=shared.pk).version == version


def test_the_samenwerking_changes_its_own_koppeling_and_keeps_its_deelnemers(access_world):
    w = access_world
    shared = shared_koppeling(w)

    def change(ws):
        row = row_of(ws, "koppeling_id", str(shared.uuid))
        ws.cell(row, column(ws, "Status")).value = "Einde ondersteuning"

    exported = export(w, org_key="samenwerking")
    assert sheet_rows(exported)["Koppelingen"][0]["Interne aantekening"] == "Alleen voor Dimpact."
    result = plan(w, edited(exported, change, "Koppelingen"), org_key="samenwerking")
    assert result["fouten"] == []
    apply_plan(result, actor(w, "samenwerking"))
    data = Object.objects.get(pk=shared.pk).data
    assert data["status"] == "einde ondersteuning"
    assert data["deelnemers"] == [str(w.orgs["gemeente"].uuid)]
    assert data["interneAantekening"] == "Alleen voor Dimpact."


def test_another_organisations_koppeling_id_is_refused(access_world):
    w = access_world
    theirs = services.create_object(
        catalog.by_key(KOPPELING),
        {
            "moduleA": w.uuid("lev_module"),
            "buitengemeentelijkVoorziening": w.uuid("digid"),
            "gegevensuitwisselingRichting": "AnaarB",
        },
        actor=actor(w, "gemeente2"),
        status="gepubliceerd",
    )
    header = ["Applicatie A", "Voorziening", "Richting", "Status", "koppeling_id"]
    content = xlsx_file(
        [
            header,
            ["Zaakwijzer", "DigiD", "A → B", "Teruggetrokken", str(theirs.uuid)],
            ["Zaakwijzer", "DigiD", "A → B", "Teruggetrokken", w.uuid("lev_koppeling")],
            ["Zaakwijzer", "DigiD", "A → B", "In gebruik", None],  # valid on its own
        ],
        sheet="Koppelingen",
    )
    result = plan(w, content)
    message = (
        "kolom koppeling_id: Deze koppeling staat niet in uw landschap. Maak de cel leeg om "
        "een nieuwe koppeling toe te voegen."
    )
    assert error_texts(result["fouten"]) == [
        f"Blad Koppelingen, rij 2, {message}",
        f"Blad Koppelingen, rij 3, {message}",
    ]
    objects = Object.objects.count()
    assert apply_plan(result, actor(w, "gemeente")).fouten
    assert Object.objects.count() == objects
    assert Object.objects.get(pk=theirs.pk).version == theirs.version
    assert fresh(w, "lev_koppeling").version == w.objects["lev_koppeling"].version


def test_koppeling_ids_are_used_once(access_world):
    w = access_world
    header = ["Applicatie A", "Applicatie B", "Richting", "koppeling_id"]
    row = ["Zaakwijzer", "Burgerzaken Pro", "A ↔ B", w.uuid("gem_koppeling")]
    result = plan(w, xlsx_file([header, row, row], sheet="Koppelingen"))
    assert error_texts(result["fouten"]) == [
        "Blad Koppelingen, rij 3, kolom koppeling_id: Deze koppeling staat ook in rij 2."
    ]


# --- performance ------------------------------------------------------------------------------


def test_planning_queries_do_not_grow_with_rows(access_world, django_assert_max_num_queries):
    w = access_world
    row = ["Zaakwijzer", "A → B", None, "DigiD", "In gebruik", None]
    small = xlsx_file([HEADER, row], sheet="Koppelingen")
    large = xlsx_file(
        [HEADER, *[[name, *row[1:]] for name in ["Zaakwijzer", "Burgerzaken Pro", "X"] * 40]],
        sheet="Koppelingen",
    )
    plan(w, small)  # warm the schema cache
    with django_assert_max_num_queries(20) as few:
        plan(w, small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        plan(w, large)


# --- pages ------------------------------------------------------------------------------------


def test_the_dry_run_page_and_the_import_cover_both_sheets(access_world):
    w = access_world
    client = logged_in(member(w.orgs["gemeente"], "gebruik-beheerder").user)

    def change(ws):
        end_support(ws)
        add_digid_row(ws)

    content = edited(export(w), with_gem_koppeling(w, change), "Koppelingen")
    upload = SimpleUploadedFile("landschap.xlsx", content)
    dry_run_url = client.post("/mijn-landschap/importeren", {"bestand": upload})["Location"]
    page = client.get(dry_run_url).content.decode()
    assert "Ingelezen: blad Applicaties, blad Koppelingen." in page
    assert 'id="aantal-nieuw">0<' in page and 'id="aantal-ongewijzigd">2<' in page
    assert 'id="koppelingen-nieuw">1<' in page and 'id="koppelingen-gewijzigd">1<' in page
    assert 'id="aantal-fouten">0<' in page
    assert "Blad Diensten wordt niet ingelezen." in page
    assert "Blad Contracten wordt niet ingelezen." in page
    row = page.split('id="koppeling-rij-2"')[1].split("</tr>")[0]
    assert "Zaakwijzer ↔ Burgerzaken Pro" in row and "Einde ondersteuning" in row
    assert "30-06-2026" in row
    assert "Blad Koppelingen: per rij" in page
    assert ">Importeren</button>" in page

    result_url = client.post(dry_run_url)["Location"]
    page = client.get(result_url).content.decode()
    assert (
        "Uw landschap is bijgewerkt: 0 gebruik toegevoegd, 0 gewijzigd. "
        "1 koppelingen toegevoegd, 1 gewijzigd." in page
    )
    audit = AuditEntry.objects.get(action="landschap-import")
    assert audit.details == {
        "nieuw": 0,
        "gewijzigd": 0,
        "koppelingen": {"nieuw": 1, "gewijzigd": 1},
    }
    assert fresh(w, "gem_koppeling").history.order_by("-version").first().channel == "import"


def test_the_dry_run_page_shows_koppelingen_errors(access_world):
    w = access_world
    client = logged_in(member(w.orgs["gemeente"], "gebruik-beheerder").user)
    content = xlsx_file(
        [HEADER, ["Zaakwijzer", "A → B", "Zaakwijzer", None, None, None]], "Koppelingen"
    )
    upload = SimpleUploadedFile("koppelingen.xlsx", content)
    dry_run_url = client.post("/mijn-landschap/importeren", {"bestand": upload})["Location"]
    page = client.get(dry_run_url).content.decode()
    assert "Ingelezen: blad Koppelingen." in page
    assert 'id="aantal-nieuw"' not in page
    assert (
        "Blad Koppelingen, rij 2, kolom Applicatie B: Een koppeling verbindt twee verschillende "
        "applicaties." in page
    )
    assert ">Importeren</button>" not in page
    assert client.post(dry_run_url).status_code == 400


def test_a_koppelingen_csv_imports_as_a_task(access_world, settings):
    """Large files run as tasks: the plan goes through the job (JSON) and back."""
    settings.CATALOGUS_IMPORT_INLINE_BYTES = 0
    settings.CATALOGUS_IMPORT_INLINE_WRITES = 0
    w = access_world
    client = logged_in(member(w.orgs["gemeente"], "gebruik-beheerder").user)
    table = csv_table(export(w, KOPPELINGEN, "csv"))
    new = dict.fromkeys(table[0], "")
    new.update({"Applicatie A": "Zaakwijzer", "Voorziening": "DigiD", "Richting": "A → B"})
    content = csv_file([*table, list(new.values())])
    upload = SimpleUploadedFile("koppelingen.csv", content)
    dry_run_url = client.post("/mijn-landschap/importeren", {"bestand": upload})["Location"]
    page = client.get(dry_run_url).content.decode()
    assert "Ingelezen: blad Koppelingen." in page and 'id="koppelingen-nieuw">1<' in page
    assert 'id="koppelingen-ongewijzigd">1<' in page
    page = client.get(client.post(dry_run_url)["Location"]).content.decode()
    assert "1 koppelingen toegevoegd, 0 gewijzigd." in page
    assert koppelingen_of(w)[-1].title == "Zaakwijzer → DigiD"


def test_the_template_has_a_koppelingen_sheet_to_fill(access_world):
    """A first fill can bring koppelingen too: the template's Koppelingen sheet has the
    export's headers, pick lists and explanations, and a filled row imports."""
    from plugins.catalogus.spreadsheet.template import template_bytes

    w = access_world
    wb = workbook(template_bytes(w.orgs["gemeente"]))
    ws = wb["Koppelingen"]
    headers = [cell.value for cell in ws[1]]
    assert headers[:3] == ["Naam", "Applicatie A", "applicatie_a_id"]
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    assert "A → B" in lists[ws.cell(2, column(ws, "Richting")).coordinate]
    explained = [row[0].value for row in wb["Toelichting"].iter_rows()]
    assert "Voorziening" in explained and "koppeling_id" in explained
    add_digid_row(ws)
    out = io.BytesIO()
    wb.save(out)
    result = plan(w, out.getvalue())
    assert result["fouten"] == []
    assert result["koppelingen"]["nieuw"] and not result["nieuw"]
