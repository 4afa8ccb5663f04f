"""The CSV plugin's columns and formula guard (filters and access: tests/api/test_csv_export.py)."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def table(response, delimiter=",") -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def test_csv_has_readable_columns_and_relation_titles(api_as, orgs, published, supplier):
    product = published("Zaaksysteem")[0]
    supplier.patch(product["url"], {"data": {"labels": ["cloud", "open-source"], "prijs": 1200}})

    response = api_as().get(
        "/api/v1/producten", {"formaat": "csv", "velden": "naam,aanbieder,labels,prijs"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="producten.csv"'
    header, row = table(response)
    assert header == [
        "uuid",
        "titel",
        "status",
        "Naam",
        "Aanbieder",
        "aanbieder_id",
        "Labels",
        "Prijs (euro)",
    ]
    assert row == [
        product["uuid"],
        "Zaaksysteem",
        "gepubliceerd",
        "Zaaksysteem",
        "Acme Software",
        str(orgs["leverancier"].uuid),
        "cloud, open-source",
        "1200",
    ]


def test_formulas_are_neutralised(api_as, published, supplier):
    product = published('=HYPERLINK("https://example.org")')[0]
    supplier.patch(product["url"], {"data": {"beschrijving": "@SUM(A1)", "prijs": 0}})

    header, row = table(
        api_as().get("/api/v1/producten", {"formaat": "csv", "velden": "beschrijving,prijs"})
    )
    assert row[1] == '\'=HYPERLINK("https://example.org")'
    assert row[header.index("Beschrijving")] == "'@SUM(A1)"
    assert row[header.index("Prijs (euro)")] == "0"
