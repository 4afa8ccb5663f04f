"""The landscape import (#16): an export read back changes nothing; changed cells update,
new rows create, rows left out stay, nothing is duplicated; names are matched with
suggestions; the dry run writes nothing; one invalid row means nothing is written, and the
message names sheet, row and column. Files are real .xlsx/.csv made by our exporter or by
openpyxl itself."""

from __future__ import annotations

import datetime
import io

import pytest

from core import services
from core.actors import Actor
from core.models import Object, ObjectVersion
from core.plugins import bundle_exporters
from core.register import catalog
from plugins.catalogus.selection import LANDSCHAP
from plugins.catalogus.spreadsheet.importer import apply_plan, error_texts, plan_import
from plugins.catalogus.spreadsheet.reader import FileProblem, read_upload
from plugins.catalogus.spreadsheet.template import template_bytes
from tests.catalogus.spreadsheet.helpers import (
    actor,
    column,
    edited,
    landscape,
    row_of,
    workbook,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

HEADER = ["Applicatie", "Leverancier", "Status", "Hostingvorm", "In productie sinds"]


def export(w, slug="xlsx", org_key="gemeente") -> bytes:
    who = actor(w, org_key)
    exporter = bundle_exporters(LANDSCHAP)[slug]
    return b"".join(exporter.export(kind=LANDSCHAP, selection=landscape(w, org_key), actor=who))


def plan(w, content: bytes, name="landschap.xlsx", org_key="gemeente") -> dict:
    return plan_import(read_upload(name, content), w.orgs[org_key], actor(w, org_key))


def gebruik_of(w, org_key="gemeente", module_key=None):
    rows = Object.objects.filter(
        schema=catalog.by_key("catalogus/gebruik").schema,
        data__afnemer=str(w.orgs[org_key].uuid),
    ).exclude(status="gearchiveerd")
    if module_key:
        rows = rows.filter(data__module=w.uuid(module_key))
    return list(rows.order_by("id"))


def fresh(w, key) -> Object:
    return Object.objects.get(pk=w.objects[key].pk)


@pytest.mark.parametrize(
    "slug,name", [("xlsx", "x.xlsx"), ("csv", "x.csv"), ("csv-puntkomma", "x.csv")]
)
def test_an_unchanged_export_changes_nothing(access_world, slug, name):
    result = plan(access_world, export(access_world, slug), name)
    assert result["fouten"] == []
    assert (result["nieuw"], result["gewijzigd"], result["ongewijzigd"]) == ([], [], 2)
    assert result["genegeerd"] == []


def test_changed_cells_update_only_that_gebruik(access_world):
    w = access_world

    def change(ws):
        row = row_of(ws, "Applicatie", "Zaakwijzer")
        ws.cell(row, column(ws, "Status")).value = "Uit te faseren"
        ws.cell(row, column(ws, "Start uitfasering")).value = datetime.date(2026, 5, 1)
        ws.cell(row, column(ws, "Interne aantekening")).value = "Opzeggen per 2027."

    shared_before = fresh(w, "sam_gebruik").version
    result = plan(w, edited(export(w), change))
    assert result["fouten"] == [] and result["nieuw"] == [] and result["ongewijzigd"] == 1
    [op] = result["gewijzigd"]
    assert op["gebruik"] == w.uuid("gem_gebruik") and op["rij"] == 3
    assert op["data"] == {
        "status": "Uit te faseren",
        "startDatumUitTeFaseren": "2026-05-01",
        "interneAantekening": "Opzeggen per 2027.",
    }
    assert ["Status", "In productie", "Uit te faseren"] in op["wijzigingen"]
    assert ["Start uitfasering", "", "01-05-2026"] in op["wijzigingen"]

    outcome = apply_plan(result, actor(w, "gemeente"))
    assert (outcome.aangemaakt, outcome.gewijzigd, outcome.fouten) == (0, 1, [])
    data = fresh(w, "gem_gebruik").data
    assert data["status"] == "Uit te faseren"
    assert data["startDatumUitTeFaseren"] == "2026-05-01"
    assert data["startDatumInProductie"] == "2025-11-01"  # untouched
    assert data["contactpersoon"] == w.uuid("gem_contact")  # not a column: untouched
    assert fresh(w, "sam_gebruik").version == shared_before


def test_an_empty_cell_empties_the_field_and_a_missing_column_leaves_it(access_world):
    w = access_world

    def change(ws):
        row = row_of(ws, "Applicatie", "Zaakwijzer")
        ws.cell(row, column(ws, "Hostinglocatie")).value = None
        ws.delete_cols(column(ws, "Interne aantekening"))

    result = plan(w, edited(export(w), change))
    [op] = result["gewijzigd"]
    assert op["data"] == {"hostingLocatie": None}
    apply_plan(result, actor(w, "gemeente"))
    data = fresh(w, "gem_gebruik").data
    assert "hostingLocatie" not in data
    assert data["interneAantekening"] == "Verlengen bespreken in Q2."


def test_new_rows_create_and_a_second_import_duplicates_nothing(access_world):
    w = access_world
    content = edited(
        export(w),
        lambda ws: ws.append(
            {
                column(ws, "Applicatie"): "burgerzaken pro",  # case does not matter
                column(ws, "Leverancier"): "Beta Systems",
                column(ws, "Status"): "Gepland",
                column(ws, "Hostingvorm"): "On-premises (zelf beheerd)",
                column(ws, "Start gepland"): datetime.date(2026, 9, 1),
                column(ws, "Referentiecomponenten"): None,
            }
        ),
    )
    result = plan(w, content)
    assert result["fouten"] == []
    [op] = result["nieuw"]
    assert op["rij"] == 4 and op["naam"] == "Burgerzaken Pro"
    assert op["data"] == {
        "afnemer": str(w.orgs["gemeente"].uuid),
        "module": w.uuid("lev2_module"),
        "status": "Gepland",
        "cloudDienstverleningsmodel": "On-premises (self-managed)",
        "startDatumGepland": "2026-09-01",
    }
    assert ["Applicatie", "", "Burgerzaken Pro (Beta Systems)"] in op["wijzigingen"]
    assert apply_plan(result, actor(w, "gemeente")).aangemaakt == 1
    assert len(gebruik_of(w, module_key="lev2_module")) == 1

    again = plan(w, content)  # the same file: the new row is now that gebruik
    assert (again["nieuw"], again["gewijzigd"], again["ongewijzigd"]) == ([], [], 3)
    apply_plan(again, actor(w, "gemeente"))
    assert len(gebruik_of(w, module_key="lev2_module")) == 1


def test_round_trip_export_import_export(access_world):
    w = access_world
    before = export(w, "csv")
    result = plan(w, export(w))
    assert apply_plan(result, actor(w, "gemeente")).fouten == []
    assert export(w, "csv") == before


def test_filled_template_creates_and_explains(access_world):
    w = access_world
    wb = workbook(template_bytes(w.orgs["gemeente"]))
    assert wb.sheetnames == ["Applicaties", "Koppelingen", "Toelichting"]
    ws = wb["Applicaties"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Applicatie", "applicatie_id", "Leverancier"]
    assert "Deelnemers" not in headers and headers[-1] == "gebruik_id"
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    status = ws.cell(2, column(ws, "Status")).coordinate
    assert "In productie" in lists[status]
    hosting = ws.cell(2, column(ws, "Hostingvorm")).coordinate
    assert "On-premises (zelf beheerd)" in lists[hosting]
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert len(dates) == 5
    section = list(wb["Toelichting"].iter_rows(min_row=5, max_row=4 + len(headers)))
    explained = {r[0].value: r[3].value for r in section}
    assert set(explained) == set(headers)
    assert "Uitgefaseerd" in explained["Status"]

    ws.append(
        {
            column(ws, "Applicatie"): "Marktvergunningen",
            column(ws, "Status"): "In productie",
            column(ws, "In productie sinds"): datetime.date(2024, 1, 15),
        }
    )
    ws.append(
        {
            column(ws, "Applicatie"): "Burgerzaken Pro",
            column(ws, "Status"): "Verwerving",
            column(ws, "Hostingvorm"): "On-premises (zelf beheerd)",
        }
    )
    out = io.BytesIO()
    wb.save(out)
    result = plan(w, out.getvalue())
    assert result["fouten"] == []
    assert [op["naam"] for op in result["nieuw"]] == ["Marktvergunningen", "Burgerzaken Pro"]
    assert result["ongewijzigd"] == 0  # rows not in the file: not counted, not touched
    apply_plan(result, actor(w, "gemeente"))
    assert len(gebruik_of(w, module_key="gem_published_module")) == 1
    assert len(gebruik_of(w, module_key="lev_module")) == 1  # Zaakwijzer stays


def test_unknown_and_ambiguous_names_with_suggestions(access_world):
    w = access_world
    lev2 = actor(w, "leverancier2", "aanbod-beheerder")
    services.create_object(
        catalog.by_key("catalogus/module"),
        {"naam": "Zaakwijzer", "aanbieder": str(w.orgs["leverancier2"].uuid)},
        actor=lev2,
        status="gepubliceerd",
    )
    content = xlsx_file(
        [
            HEADER,
            ["Zaakwijzr", None, "Gepland", None, None],
            ["Zaakwijzer", None, "Gepland", None, None],
            ["Zaakwijzer", "Beta Systems", "Gepland", None, None],
            ["Zaakwijzer", "Gamma BV", "Gepland", None, None],
            ["Zaakwijzer Next", None, "Gepland", None, None],  # a concept: not matched
        ]
    )
    result = plan(w, content)
    texts = error_texts(result["fouten"])
    assert texts[0].startswith("Blad Applicaties, rij 2, kolom Applicatie: Zaakwijzr staat niet")
    assert "Bedoelt u: Zaakwijzer (Acme Software), Zaakwijzer (Beta Systems)" in texts[0]
    assert texts[1].startswith("Blad Applicaties, rij 3, kolom Applicatie: Zaakwijzer bestaat bij")
    assert "vul de leverancier in" in texts[1]
    assert texts[2].startswith("Blad Applicaties, rij 5, kolom Leverancier: Zaakwijzer van Gamma")
    assert texts[3].startswith("Blad Applicaties, rij 6, kolom Applicatie: Zaakwijzer Next staat")
    assert len(texts) == 4
    assert [op["rij"] for op in result["nieuw"]] == [4]  # with the supplier it is found


def test_a_dry_run_writes_nothing(access_world):
    w = access_world
    objects, versions = Object.objects.count(), ObjectVersion.objects.count()
    content = xlsx_file([HEADER, ["Burgerzaken Pro", None, "Gepland", None, None]])
    result = plan(w, content)
    assert len(result["nieuw"]) == 1
    assert (Object.objects.count(), ObjectVersion.objects.count()) == (objects, versions)


def test_one_invalid_row_means_nothing_is_written(access_world):
    w = access_world
    objects = Object.objects.count()
    content = xlsx_file(
        [
            HEADER,
            ["Burgerzaken Pro", None, "Gepland", "On-premises (zelf beheerd)", None],
            ["Marktvergunningen", None, "Bijna klaar", None, None],
            ["Burgerzaken Pro", None, "In productie", "SaaS", "morgen"],
        ]
    )
    result = plan(w, content)
    assert error_texts(result["fouten"]) == [
        "Blad Applicaties, rij 3, kolom Status: Onbekende status 'Bijna klaar'; kies uit "
        "Verwerving, Gepland, In productie, Uit te faseren, Uitgefaseerd.",
        "Blad Applicaties, rij 4, kolom Hostingvorm: De applicatie wordt niet als SaaS "
        "aangeboden; kies uit On-premises (zelf beheerd).",
        "Blad Applicaties, rij 4, kolom In productie sinds: Vul een datum in als dd-mm-jjjj.",
    ]
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert outcome.aangemaakt == 0 and outcome.fouten
    assert Object.objects.count() == objects


def test_a_write_the_register_refuses_rolls_back_the_whole_import(access_world):
    """The write path validates again: a plan it refuses (here edited by hand) writes
    nothing, not even its valid rows, and says which row and column."""
    w = access_world
    content = xlsx_file(
        [
            HEADER,
            ["Burgerzaken Pro", None, "Gepland", None, None],
            ["Marktvergunningen", None, "Gepland", None, None],
        ]
    )
    result = plan(w, content)
    result["nieuw"][1]["data"]["status"] = "Bijna klaar"
    objects = Object.objects.count()
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert outcome.aangemaakt == 0
    [text] = error_texts(outcome.fouten)
    assert text.startswith("Blad Applicaties, rij 3, kolom Status: ")
    assert Object.objects.count() == objects


def test_a_landscape_changed_after_the_dry_run_asks_for_a_new_one(access_world):
    w = access_world
    result = plan(w, xlsx_file([HEADER, ["Burgerzaken Pro", None, "Gepland", None, None]]))
    services.update_object(
        fresh(w, "gem_gebruik"),
        {"status": "Uit te faseren"},
        actor=actor(w, "gemeente"),
        partial=True,
    )
    outcome = apply_plan(result, actor(w, "gemeente"))
    assert outcome.aangemaakt == 0
    assert "na de proefimport gewijzigd" in outcome.fouten[0]["bericht"]
    assert gebruik_of(w, module_key="lev2_module") == []


def test_shared_gebruik_is_changed_only_by_its_samenwerking(access_world):
    w = access_world

    def change(ws):
        ws.cell(row_of(ws, "Applicatie", "Burgerzaken Pro"), column(ws, "Status")).value = "Gepland"

    result = plan(w, edited(export(w), change))
    [text] = error_texts(result["fouten"])
    assert (
        text
        == "Blad Applicaties, rij 2: Dit gebruik deelt Dimpact met u; alleen Dimpact wijzigt het."
    )


def test_gebruik_ids_must_be_of_the_landscape_and_once(access_world):
    w = access_world
    header = ["Applicatie", "Status", "gebruik_id"]
    content = xlsx_file(
        [
            header,
            ["Zaakwijzer", "In productie", w.uuid("gem_gebruik")],
            ["Zaakwijzer", "In productie", w.uuid("gem_gebruik")],
            ["Zaakwijzer", "In productie", w.uuid("proposed_gebruik")],  # Den Haag's
            ["Burgerzaken Pro", "In productie", w.uuid("gem_gebruik")],
        ]
    )
    texts = error_texts(plan(w, content)["fouten"])
    assert texts[0] == "Blad Applicaties, rij 3, kolom gebruik_id: Dit gebruik staat ook in rij 2."
    assert texts[1].startswith("Blad Applicaties, rij 4, kolom gebruik_id: Dit gebruik staat niet")
    assert texts[2].startswith("Blad Applicaties, rij 5, kolom gebruik_id: Dit gebruik staat ook")


def test_versions_and_referentiecomponenten_by_name(access_world):
    w = access_world
    ref = services.create_object(
        catalog.by_key("gemma/referentiecomponent"),
        {"naam": "Zaaksysteem", "objectId": "zaaksysteem"},
        actor=Actor.for_system(),
        status="gepubliceerd",
        organisation=w.orgs["vng"],
    )

    def change(ws):
        row = row_of(ws, "Applicatie", "Zaakwijzer")
        ws.cell(row, column(ws, "Versie")).value = "9.9"
        ws.cell(row, column(ws, "Referentiecomponenten")).value = "zaaksysteem; Zaakregister"

    texts = error_texts(plan(w, edited(export(w), change))["fouten"])
    assert texts == [
        "Blad Applicaties, rij 3, kolom Versie: Versie 9.9 bestaat niet; kies uit 4.2.",
        "Blad Applicaties, rij 3, kolom Referentiecomponenten: Onbekende referentiecomponent: "
        "Zaakregister. Bedoelt u: Zaaksysteem?",
    ]

    def fixed(ws):
        row = row_of(ws, "Applicatie", "Zaakwijzer")
        ws.cell(row, column(ws, "Versie")).value = None
        ws.cell(row, column(ws, "Hostingvorm")).value = "SaaS"
        ws.cell(row, column(ws, "Referentiecomponenten")).value = "zaaksysteem"

    result = plan(w, edited(export(w), fixed))
    assert result["fouten"] == []
    assert result["gewijzigd"][0]["data"] == {
        "moduleVersie": None,
        "cloudDienstverleningsmodel": "SaaS",
        "gebruiktVoorReferentiecomponenten": [str(ref.uuid)],
    }


def test_a_version_needs_on_premises_and_dates_keep_their_order(access_world):
    w = access_world

    def change(ws):
        row = row_of(ws, "Applicatie", "Zaakwijzer")
        ws.cell(row, column(ws, "Hostingvorm")).value = "SaaS"
        ws.cell(row, column(ws, "Start uitfasering")).value = datetime.date(2020, 1, 1)

    texts = error_texts(plan(w, edited(export(w), change))["fouten"])
    assert texts == [
        "Blad Applicaties, rij 3, kolom Versie: Een versie hoort alleen bij hostingvorm "
        "On-premises (zelf beheerd); maak de versie leeg of kies die hostingvorm.",
        "Blad Applicaties, rij 3, kolom Start uitfasering: Deze datum ligt vóór de start van "
        "de vorige fase.",
    ]


def test_csv_with_dutch_dates_and_windows_encoding(access_world):
    w = access_world
    text = (
        "Applicatie;Status;Start gepland;Interne aantekening\r\n"
        "Marktvergunningen;Gepland;01-02-2027;Één keer\r\n"
    )
    result = plan(w, text.encode("cp1252"), "bestand.csv")
    assert result["fouten"] == []
    assert result["nieuw"][0]["data"]["startDatumGepland"] == "2027-02-01"
    assert result["nieuw"][0]["data"]["interneAantekening"] == "Één keer"


def test_files_that_are_not_a_landscape(access_world):
    with pytest.raises(FileProblem, match="geen geldig Excel-bestand"):
        read_upload("x.xlsx", b"geen zip")
    with pytest.raises(FileProblem, match="geen blad Applicaties"):
        read_upload("x.xlsx", xlsx_file([["Naam"]], sheet="Blad1"))
    with pytest.raises(FileProblem, match=r"\.xlsx"):
        read_upload("x.ods", b"")
    koppelingen = xlsx_file([["Applicatie A", "Applicatie B"], ["Zaakwijzer", "Burgerzaken Pro"]])
    with pytest.raises(FileProblem, match="geen kolom Applicatie"):
        plan(access_world, koppelingen)


def test_samenwerking_shares_with_its_deelnemers(access_world):
    w = access_world

    def change(ws):
        ws.cell(2, column(ws, "Deelnemers")).value = "Utrecht; Den Haag"

    result = plan(w, edited(export(w, org_key="samenwerking"), change), org_key="samenwerking")
    assert result["fouten"] == []
    [op] = result["gewijzigd"]
    assert set(op["data"]["deelnemers"]) == {
        str(w.orgs["gemeente"].uuid),
        str(w.orgs["gemeente2"].uuid),
    }
    apply_plan(result, actor(w, "samenwerking"))
    assert len(fresh(w, "sam_gebruik").data["deelnemers"]) == 2

    def stranger(ws):
        ws.cell(2, column(ws, "Deelnemers")).value = "Utrecht; Amsterdam"

    texts = error_texts(
        plan(w, edited(export(w, org_key="samenwerking"), stranger), org_key="samenwerking")[
            "fouten"
        ]
    )
    assert texts == [
        "Blad Applicaties, rij 2, kolom Deelnemers: Geen deelnemer van uw samenwerking: Amsterdam."
    ]


def test_planning_queries_do_not_grow_with_rows(access_world, django_assert_max_num_queries):
    w = access_world
    small = xlsx_file([HEADER, ["Burgerzaken Pro", None, "Gepland", None, None]])
    large = xlsx_file(
        [
            HEADER,
            *[
                [name, None, "Gepland", None, None]
                for name in ["Burgerzaken Pro", "Marktvergunningen", "Onbekend"] * 40
            ],
        ]
    )
    plan(w, small)  # warm the schema cache
    with django_assert_max_num_queries(20) as few:
        plan(w, small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        plan(w, large)


def test_samenwerking_template_explains_its_deelnemers(access_world):
    wb = workbook(template_bytes(access_world.orgs["samenwerking"]))
    ws = wb["Applicaties"]
    deelnemers = ws.cell(2, column(ws, "Deelnemers")).coordinate
    assert all(
        not str(dv.sqref).startswith(deelnemers) for dv in ws.data_validations.dataValidation
    )  # several values in one cell: no pick list
    explained = {r[0].value: r[3].value for r in wb["Toelichting"].iter_rows(min_row=5)}
    assert explained["Deelnemers"] == "Den Haag; Utrecht"
