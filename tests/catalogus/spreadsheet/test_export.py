"""CSV and Excel exports of a landscape, its koppelingen and a supplier's offer, read back
with openpyxl and csv: sheets, Dutch headers with `_id` columns, real dates, BOM, the
semicolon variant, the formula guard, and what each reader may (not) find in the file."""

from __future__ import annotations

import datetime

import pytest

from core import services
from core.plugins import bundle_exporters
from core.plugins.site import NotAllowed
from core.register import catalog
from plugins.catalogus.landscape import LandscapeFilter
from plugins.catalogus.selection import AANBOD, KOPPELINGEN, LANDSCHAP
from tests.catalogus.spreadsheet.helpers import (
    actor,
    csv_rows,
    landscape,
    offer,
    sheet_rows,
    workbook,
)

pytestmark = pytest.mark.django_db


def export(slug: str, kind: str, selection, who) -> bytes:
    return b"".join(bundle_exporters(kind)[slug].export(kind=kind, selection=selection, actor=who))


def test_formats_are_registered_for_every_kind():
    for kind in (LANDSCHAP, KOPPELINGEN, AANBOD):
        found = bundle_exporters(kind)
        assert {"csv", "csv-puntkomma", "xlsx"} <= set(found)
        assert found["csv"].naam == "CSV"
        assert found["csv-puntkomma"].naam == "CSV (puntkomma, voor Excel)"
        assert found["xlsx"].naam == "Excel"
        assert found["xlsx"].extension == "xlsx"


def test_landscape_workbook_has_a_sheet_per_kind_with_names_ids_and_dates(access_world):
    w = access_world
    sheets = sheet_rows(export("xlsx", LANDSCHAP, landscape(w), actor(w, "gemeente")))
    assert list(sheets) == ["Applicaties", "Koppelingen", "Diensten", "Contracten"]
    apps = {row["Applicatie"]: row for row in sheets["Applicaties"]}
    assert list(apps) == ["Burgerzaken Pro", "Zaakwijzer"]  # sorted by name, shared one too
    zaak = apps["Zaakwijzer"]
    assert zaak["applicatie_id"] == w.uuid("lev_module")
    assert zaak["Leverancier"] == "Acme Software"
    assert zaak["leverancier_id"] == str(w.orgs["leverancier"].uuid)
    assert (zaak["Versie"], zaak["versie_id"]) == ("4.2", w.uuid("lev_v1"))
    assert zaak["Status"] == "In productie"
    assert zaak["Hostingvorm"] == "On-premises (zelf beheerd)"
    assert zaak["Hostinglocatie"] == "Nederland"
    assert zaak["In productie sinds"] == datetime.datetime(2025, 11, 1)  # a real date cell
    assert zaak["Interne aantekening"] == "Verlengen bespreken in Q2."
    assert zaak["gebruik_id"] == w.uuid("gem_gebruik")
    assert zaak["Via samenwerking"] is None
    assert apps["Burgerzaken Pro"]["Via samenwerking"] == "Dimpact"
    ws = workbook(export("xlsx", LANDSCHAP, landscape(w), actor(w, "gemeente")))["Applicaties"]
    date_cell = next(c for c in ws[3] if isinstance(c.value, datetime.datetime))
    assert date_cell.number_format == "DD-MM-YYYY"
    assert ws.freeze_panes == "A2"
    [koppeling] = sheets["Koppelingen"]
    assert koppeling["Applicatie A"] == "Zaakwijzer"
    assert koppeling["applicatie_b_id"] == w.uuid("lev2_module")
    assert koppeling["Richting"] == "A ↔ B"
    assert koppeling["Transportprotocol"] == "Digikoppeling"
    assert koppeling["koppeling_id"] == w.uuid("gem_koppeling")
    diensten = {row["Dienst"]: row for row in sheets["Diensten"]}
    assert diensten["Functioneel beheer Zaakwijzer"]["Applicatie"] == "Zaakwijzer"
    assert diensten["Hosting Burgerzaken"]["Via samenwerking"] == "Dimpact"
    [contract] = sheets["Contracten"]
    assert contract["Contractnummer"] == "UTR-2025-0142"
    assert contract["Ingangsdatum"] == datetime.datetime(2025, 3, 1)
    assert contract["Kosten (euro)"] == 24500
    assert contract["gebruik_id"] == w.uuid("gem_gebruik")


def test_no_other_organisations_interne_aantekening(access_world):
    """Dimpact's notes on the gebruik and dienstafname it shares with Utrecht stay out."""
    w = access_world
    content = export("xlsx", LANDSCHAP, landscape(w), actor(w, "gemeente"))
    sheets = sheet_rows(content)
    notes = [
        r["Interne aantekening"] for s in sheets.values() for r in s if "Interne aantekening" in r
    ]
    assert "Verlengen bespreken in Q2." in notes
    assert "Uren per kwartaal evalueren." in notes
    text = b"".join(
        export(slug, LANDSCHAP, landscape(w), actor(w, "gemeente"))
        for slug in ("csv", "csv-puntkomma")
    )
    for secret in ("Kosten verdelen naar inwonertal.", "Offerte aangevraagd."):
        assert secret not in notes
        assert secret.encode() not in text
    # Dimpact itself reads its own notes in its own landscape.
    own = sheet_rows(
        export("xlsx", LANDSCHAP, landscape(w, "samenwerking"), actor(w, "samenwerking"))
    )
    assert own["Applicaties"][0]["Interne aantekening"] == "Kosten verdelen naar inwonertal."
    assert own["Applicaties"][0]["Deelnemers"] == "Utrecht"
    assert own["Applicaties"][0]["deelnemers_id"] == str(w.orgs["gemeente"].uuid)


@pytest.mark.parametrize(
    "org_key,role", [("leverancier", "aanbod-beheerder"), ("vng", "vng-raadpleger")]
)
def test_only_government_users_read_a_landscape(access_world, org_key, role):
    """A supplier may read the gebruik of its own application and VNG sees aggregates, but
    neither reads a landscape as such: the selection refuses, whatever entry point asks."""
    w = access_world
    with pytest.raises(NotAllowed):
        export("xlsx", LANDSCHAP, landscape(w), actor(w, org_key, role))


def test_supplier_offer_has_no_gebruik(access_world):
    w = access_world
    content = export("xlsx", AANBOD, offer(w), actor(w, "leverancier", "aanbod-beheerder"))
    sheets = sheet_rows(content)
    assert list(sheets) == ["Applicaties", "Versies", "Koppelingen", "Diensten", "Standaarden"]
    assert {r["Applicatie"] for r in sheets["Applicaties"]} == {"Zaakwijzer", "Zaakwijzer Next"}
    zaak = next(r for r in sheets["Applicaties"] if r["Applicatie"] == "Zaakwijzer")
    assert zaak["Hostingvorm"] == "SaaS; On-premises (zelf beheerd)"
    assert zaak["Aanspreekpunt"] == "Eva de Boer"
    assert {r["Versie"] for r in sheets["Versies"]} == {"4.2", "Cloud"}
    assert [r["Voorziening"] for r in sheets["Koppelingen"]] == ["DigiD"]
    assert "Via samenwerking" not in sheets["Koppelingen"][0]
    assert [r["Dienst"] for r in sheets["Diensten"]] == ["Functioneel beheer Zaakwijzer"]
    [standaard] = sheets["Standaarden"]
    assert (standaard["Standaardversie"], standaard["Ondersteuning"]) == (
        "StUF-ZKN 3.10",
        "Ondersteund",
    )
    for gebruik in ("gem_gebruik", "sam_gebruik", "proposed_gebruik"):
        assert w.uuid(gebruik).encode() not in content
    assert b"Utrecht" not in content and b"Dimpact" not in content


def test_csv_is_the_first_sheet_with_bom_iso_dates_and_ids(access_world):
    w = access_world
    content = export("csv", LANDSCHAP, landscape(w), actor(w, "gemeente"))
    assert content.startswith("\ufeff".encode())
    rows = csv_rows(content)
    assert [r["Applicatie"] for r in rows] == ["Burgerzaken Pro", "Zaakwijzer"]
    zaak = rows[1]
    assert zaak["In productie sinds"] == "2025-11-01"
    assert zaak["versie_id"] == w.uuid("lev_v1")
    assert zaak["gebruik_id"] == w.uuid("gem_gebruik")
    koppelingen = csv_rows(export("csv", KOPPELINGEN, landscape(w), actor(w, "gemeente")))
    assert [r["koppeling_id"] for r in koppelingen] == [w.uuid("gem_koppeling")]
    aanbod = csv_rows(export("csv", AANBOD, offer(w), actor(w, "leverancier", "aanbod-beheerder")))
    assert "Publicatie" in aanbod[0]  # the Applicaties sheet of the offer


def test_semicolon_csv(access_world):
    w = access_world
    content = export("csv-puntkomma", LANDSCHAP, landscape(w), actor(w, "gemeente"))
    header = content.decode("utf-8").split("\r\n")[0]
    assert header.startswith("\ufeffApplicatie;applicatie_id;Leverancier;")
    assert csv_rows(content, ";")[1]["Status"] == "In productie"


def test_formula_guard(access_world):
    """Text that a spreadsheet would run stays text: an apostrophe in CSV, a text cell in
    Excel (not a formula)."""
    w = access_world
    gem = actor(w, "gemeente")
    services.update_object(
        w.objects["gem_gebruik"], {"interneAantekening": '=HYPERLINK("x")'}, actor=gem, partial=True
    )
    row = csv_rows(export("csv", LANDSCHAP, landscape(w), gem))[1]
    assert row["Interne aantekening"] == '\'=HYPERLINK("x")'
    ws = workbook(export("xlsx", LANDSCHAP, landscape(w), gem))["Applicaties"]
    note = next(c for c in ws[3] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert note.data_type == "s"


def test_filter_narrows_the_export(access_world):
    w = access_world
    flt = LandscapeFilter.from_query({"herkomst": "eigen"})
    sheets = sheet_rows(export("xlsx", LANDSCHAP, landscape(w, flt=flt), actor(w, "gemeente")))
    assert [r["Applicatie"] for r in sheets["Applicaties"]] == ["Zaakwijzer"]
    assert [r["Dienst"] for r in sheets["Diensten"]] == ["Functioneel beheer Zaakwijzer"]


def test_query_count_does_not_grow_with_rows(access_world, django_assert_max_num_queries):
    """Look-ups are batched per chunk: a landscape with many more gebruik costs the same."""
    w = access_world
    gem = actor(w, "gemeente")
    export("xlsx", LANDSCHAP, landscape(w), gem)  # the schema catalogue's cache warms up
    with django_assert_max_num_queries(30) as small:
        export("xlsx", LANDSCHAP, landscape(w), gem)
    for _ in range(30):
        services.create_object(
            catalog.by_key("catalogus/gebruik"),
            {
                "afnemer": str(w.orgs["gemeente"].uuid),
                "module": w.uuid("lev2_module"),
                "status": "Gepland",
                "startDatumGepland": "2026-01-01",
            },
            actor=gem,
            status="gepubliceerd",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        content = export("xlsx", LANDSCHAP, landscape(w), gem)
    assert len(sheet_rows(content)["Applicaties"]) == 32


def test_contract_details_never_cross_organisation_boundaries(access_world):
    """#20: another gemeente exporting Utrecht's landscape gets no contracts; functioneel
    beheer does; Utrecht itself does (see the test above)."""
    w = access_world
    den_haag = export("xlsx", LANDSCHAP, landscape(w), actor(w, "gemeente2"))
    assert "Contracten" not in sheet_rows(den_haag) and b"UTR-2025-0142" not in den_haag
    beheer = sheet_rows(
        export("xlsx", LANDSCHAP, landscape(w), actor(w, "vng", "functioneel-beheerder"))
    )
    assert [c["Contractnummer"] for c in beheer["Contracten"]] == ["UTR-2025-0142"]
