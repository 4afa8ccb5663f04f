"""The OpenAPI document: generated from the loaded schemas, anonymous, lint-clean (ADR)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
RULESET = Path(__file__).parent / "api-design-rules" / "adr-spectral-ruleset.yaml"
SPECTRAL = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "spectral"


def test_document_describes_each_schema_with_its_filters(api_as):
    response = api_as().get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    schemas = doc["components"]["schemas"]
    assert schemas["Product"]["properties"]["categorie"]["enum"] == [
        "software",
        "dienst",
        "hardware",
    ]
    assert "ProductObject" in schemas and "AfnameLijst" in schemas
    params = {p["name"] for p in doc["paths"]["/producten"]["get"]["parameters"]}
    assert {
        "zoek",
        "pagina",
        "paginaGrootte",
        "sorteer",
        "facetten",
        "uitbreiden",
        "velden",
        "formaat",
        "categorie",
        "aanbieder",
    } <= params
    assert "prijsafspraak" not in params  # not filterable
    formats = next(
        p for p in doc["paths"]["/producten"]["get"]["parameters"] if p["name"] == "formaat"
    )["schema"]["enum"]
    assert "csv" in formats
    assert "/organisaties" in doc["paths"] and "/paginas" in doc["paths"]
    assert all(not path.endswith("/") for path in doc["paths"])


@pytest.mark.npm
def test_document_passes_the_api_design_rules_linter(api_as, tmp_path):
    if not SPECTRAL.exists():
        if os.environ.get("CI"):
            pytest.fail("Spectral ontbreekt: 'npm ci' had node_modules moeten installeren.")
        pytest.skip("Spectral is niet geïnstalleerd (npm ci)")
    document = api_as().get("/api/v1/openapi.json").json()
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps(document))
    node = shutil.which("node")
    assert node, "node ontbreekt"
    result = subprocess.run(
        [
            str(SPECTRAL),
            "lint",
            "--ruleset",
            str(RULESET),
            "--fail-severity",
            "warn",
            "--format",
            "text",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
