"""`formaat=xlsx` on every list (plugins/csv_export/xlsx.py): the CSV exporter's columns and
rows as an Excel workbook, with typed cells and no formulas."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = "naam,aanbieder,labels,prijs,releaseDatum,beschrijving"


def workbook(response):
    assert response.status_code == 200, response.content
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def csv_table(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def as_csv_text(value) -> str:
    """How the CSV writes a cell value, to compare the two files."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # openpyxl reads dates back as datetimes
        return value.date().isoformat()
    return str(value)


@pytest.fixture
def products(published, supplier):
    first, second = published("Zaaksysteem", "Archief")
    supplier.patch(
        first["url"],
        {"data": {"labels": ["cloud", "open-source"], "prijs": 1200, "releaseDatum": "2025-06-30"}},
    )
    supplier.patch(second["url"], {"data": {"beschrijving": "Bewaart alles"}})
    return first, second


def test_headers_and_rows_equal_the_csv(api_as, products):
    params = {"velden": FIELDS, "sorteer": "naam"}
    response = api_as().get("/api/v1/producten", {**params, "formaat": "xlsx"})
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="producten.xlsx"'
    book = workbook(response)
    assert book.sheetnames == ["producten"]
    rows = [list(row) for row in book["producten"].iter_rows(values_only=True)]

    expected = csv_table(api_as().get("/api/v1/producten", {**params, "formaat": "csv"}))
    assert rows[0] == expected[0]  # same headers
    assert len(rows) == len(expected) == 3
    assert [[as_csv_text(v) for v in row] for row in rows[1:]] == expected[1:]


def test_cells_are_typed(api_as, products, orgs):
    book = workbook(api_as().get("/api/v1/producten", {"formaat": "xlsx", "velden": FIELDS}))
    sheet = book["producten"]
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Zaaksysteem")
    by_title = dict(zip(header, row, strict=True))
    assert by_title["Prijs (euro)"].value == 1200 and by_title["Prijs (euro)"].data_type == "n"
    assert by_title["Releasedatum"].value.date() == date(2025, 6, 30)
    assert by_title["Releasedatum"].is_date
    assert by_title["Labels"].value == "cloud, open-source"
    assert by_title["Aanbieder"].value == "Acme Software"
    assert by_title["aanbieder_id"].value == str(orgs["leverancier"].uuid)


def test_text_is_never_a_formula(api_as, published, supplier):
    product = published('=HYPERLINK("https://example.org")')[0]
    supplier.patch(product["url"], {"data": {"beschrijving": "@SUM(A1)"}})
    book = workbook(
        api_as().get("/api/v1/producten", {"formaat": "xlsx", "velden": "beschrijving"})
    )
    titel, beschrijving = book["producten"]["B2"], book["producten"]["D2"]
    assert titel.value == '=HYPERLINK("https://example.org")' and titel.data_type == "s"
    assert beschrijving.value == "@SUM(A1)" and beschrijving.data_type == "s"


def test_xlsx_follows_the_list_filters_and_access(api_as, products, supplier):
    supplier.patch(products[0]["url"], {"data": {"interneNotitie": "Alleen voor ons"}})
    public = workbook(api_as().get("/api/v1/producten", {"formaat": "xlsx", "zoek": "archief"}))
    titles = [row[1] for row in public["producten"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Archief"]
    header = [cell.value for cell in public["producten"][1]]
    assert "Interne notitie" not in header  # not readable for an anonymous reader

    own = workbook(supplier.get("/api/v1/producten", {"formaat": "xlsx", "zoek": "zaaksysteem"}))
    sheet = own["producten"]
    header = [cell.value for cell in sheet[1]]
    values = [c.value for c in sheet[2]]
    assert values[1] == "Zaaksysteem"
    assert values[header.index("Interne notitie")] == "Alleen voor ons"


def test_xlsx_is_a_format_of_every_list(api_as):
    document = api_as().get("/api/v1/openapi.json").json()
    enums = [
        param["schema"]["enum"]
        for path, item in document["paths"].items()
        for param in item.get("get", {}).get("parameters", [])
        if param["name"] == "formaat" and not path.startswith("/organisaties/")
    ]
    assert len(enums) > 10  # every collection's list
    assert all({"json", "csv", "csv-puntkomma", "xlsx"} <= set(enum) for enum in enums)
