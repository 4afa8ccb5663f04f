"""CSV export (the default exporter plugin): same filters and access as the list, streamed."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(api_as, orgs):
    acme = api_as("leverancier", "aanbod-beheerder")
    for naam, categorie in [("Zaaksysteem", "software"), ("Hosting", "dienst")]:
        acme.post(
            "/api/v1/producten",
            {
                "status": "gepubliceerd",
                "data": {
                    "naam": naam,
                    "aanbieder": str(orgs["leverancier"].uuid),
                    "categorie": categorie,
                    "labels": ["cloud", "open-source"],
                    "prijsafspraak": "Korting",
                    "interneNotitie": "X",
                },
            },
        )
    acme.post(
        "/api/v1/producten",
        {
            "data": {
                "naam": "Concept",
                "aanbieder": str(orgs["leverancier"].uuid),
                "categorie": "software",
            }
        },
    )


def read(response, delimiter=","):
    assert response.status_code == 200, response
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_uses_the_list_filters_and_access(api_as, products):
    rows = read(api_as().get("/api/v1/producten", {"formaat": "csv", "categorie": "software"}))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["uuid", "titel", "status", "Naam"]
    assert "Aanbieder" in header and "aanbieder_id" in header
    assert "Prijsafspraak" not in header and "Interne notitie" not in header  # hidden fields
    assert [row[1] for row in body] == ["Zaaksysteem"]
    row = dict(zip(header, body[0], strict=True))
    assert row["Aanbieder"] == "Acme Software"
    assert row["Labels"] == "cloud, open-source"


def test_semicolon_variant_and_government_columns(api_as, products):
    response = api_as("gemeente", "gebruik-raadpleger").get(
        "/api/v1/producten", {"formaat": "csv-puntkomma"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="producten.csv"'
    rows = read(response, delimiter=";")
    assert sorted(r[1] for r in rows[1:]) == ["Concept", "Hosting", "Zaaksysteem"]
    by_name = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name["Hosting"]["Prijsafspraak"] == "Korting"  # an `overheid` field
    # `eigen organisatie` notes stay with the supplier, even in a government export.
    assert all(row.get("Interne notitie", "") == "" for row in by_name.values())


def test_unknown_format_is_a_400(api_as, products):
    response = api_as().get("/api/v1/producten", {"formaat": "pdf"})
    assert response.status_code == 400
    assert "csv" in response.json()["invalidParams"][0]["reason"]
