"""Loading schema files: idempotent, immutable versions, every problem reported in Dutch."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import SchemaVersion
from core.register import catalog, loader
from core.register.spec import SchemaError

pytestmark = pytest.mark.django_db

BASE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "x-version": 1,
    "x-collection": "proefmemos",
    "x-title-property": "titel",
    "properties": {"titel": {"type": "string", "x-searchable": True}},
    "required": ["titel"],
    "examples": [{"titel": "Een notitie"}],
}


def write(tmp_path, definition, name="notitie"):
    register = tmp_path / "proef"
    register.mkdir(exist_ok=True)
    (register / "_register.json").write_text(json.dumps({"naam": "Proefregister"}))
    (register / f"{name}.json").write_text(
        definition if isinstance(definition, str) else json.dumps(definition)
    )
    return tmp_path


def test_load_is_idempotent_and_serves_without_restart(tmp_path, api_as):
    folder = write(tmp_path, BASE)
    assert loader.load([folder]) == [
        "register proef aangemaakt",
        "proef/notitie versie 1 gepubliceerd",
    ]
    assert loader.load([folder]) == []
    assert api_as().get("/api/v1/proefmemos").status_code == 200
    assert "/proefmemos" in api_as().get("/api/v1/openapi.json").json()["paths"]


def test_changed_published_version_is_refused(tmp_path):
    loader.load([write(tmp_path, BASE)])
    changed = {**BASE, "description": "anders"}
    with pytest.raises(SchemaError, match="verhoog x-version"):
        loader.load([write(tmp_path, changed)])
    assert loader.load([write(tmp_path, {**changed, "x-version": 2})]) == [
        "proef/notitie versie 2 gepubliceerd"
    ]
    assert list(
        SchemaVersion.objects.filter(schema__register__slug="proef")
        .values_list("number", flat=True)
        .order_by("number")
    ) == [1, 2]
    catalog.clear()
    assert catalog.by_collection("proefmemos").version.number == 2


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ("{ geen json", "geen geldige JSON"),
        ({**BASE, "type": "voorwerp"}, "ongeldig JSON Schema"),
        ({**BASE, "x-version": "1"}, "x-version"),
        ({**BASE, "examples": []}, "minstens één voorbeeld"),
        ({**BASE, "examples": [{"titel": 3}]}, "voorbeeld 0 /titel: Verwacht type tekst."),
        ({**BASE, "x-collection": "Notities"}, "x-collection moet een meervoud in kebab-case"),
        (
            {**BASE, "properties": {"titel": {"type": "string", "x-audience": "iedereen"}}},
            "x-audience moet een van",
        ),
        (
            {
                **BASE,
                "properties": {"titel": {"type": "string", "x-relation": {"target": "proef/x"}}},
            },
            "relatiedoel 'proef/x' bestaat niet",
        ),
        (
            {**BASE, "x-access": {"read": [{"wie": "iedereen"}]}},
            "onbekende sleutel(s) in toegangsregel",
        ),
        (
            {
                **BASE,
                "properties": {
                    "titel": {"type": "string", "x-searchable": True, "x-audience": "overheid"}
                },
            },
            "alleen openbare velden kunnen x-searchable zijn",
        ),
    ],
)
def test_invalid_schema_files_are_refused_with_a_reason(tmp_path, definition, message):
    folder = write(tmp_path, definition)
    _registers, _files, problems = loader.read([folder])
    assert any(message in p for p in problems), problems
    with pytest.raises(SchemaError):
        loader.load([folder])
    assert not SchemaVersion.objects.filter(schema__register__slug="proef").exists()


def test_check_command_passes_on_the_project_schemas():
    call_command("load_schemas", "--check")


def test_check_command_fails_on_a_broken_plugin_dir(tmp_path, monkeypatch):
    folder = write(tmp_path, {**BASE, "examples": []})
    monkeypatch.setattr(loader, "schema_dirs", lambda: [folder])
    with pytest.raises(CommandError, match="minstens één voorbeeld"):
        call_command("load_schemas", "--check")


def test_project_schema_examples_are_valid():
    _registers, files, problems = loader.read()
    assert problems == []
    assert {f.key for f in files} >= {"voorbeeld/product", "voorbeeld/afname"}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"actor": {"role": ["aanbodbeheerder"]}}, "onbekende waarde(n) ['aanbodbeheerder']"),
        ({"actor": {"organisationType": ["gemeente"]}}, "onbekende waarde(n) ['gemeente']"),
        ({"status": ["published"]}, "onbekende waarde(n) ['published']"),
        ({"owner": False}, "owner kan alleen true zijn"),
    ],
)
def test_access_rule_values_are_checked(tmp_path, rule, message):
    _registers, _files, problems = loader.read(
        [write(tmp_path, {**BASE, "x-access": {"read": [rule]}})]
    )
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (["eigenaarOrg", "naam"], "na 'eigenaarOrg' (een organisatie) houdt het op"),
        (["titel"], "geen relatie"),
    ],
)
def test_organisation_paths_are_checked_hop_by_hop(tmp_path, path, message):
    definition = {
        **BASE,
        "properties": {
            **BASE["properties"],
            "eigenaarOrg": {"type": "string", "x-relation": {"target": "organisatie"}},
        },
        "x-access": {"read": [{"organisationAt": path}]},
    }
    _registers, _files, problems = loader.read([write(tmp_path, definition)])
    assert any(message in p for p in problems), problems


WITH_RELATION = {
    **BASE,
    "properties": {
        **BASE["properties"],
        "soort": {"type": "string", "enum": ["a", "b"]},
        "eigenaarOrg": {"type": "string", "x-relation": {"target": "organisatie"}},
    },
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"x-access": {"read": [{"ownerType": ["Bedrijf"]}]}}, "onbekende waarde(n) ['Bedrijf']"),
        ({"x-access": {"read": [{"data": {"eigenaarOrg": ["x"]}}]}}, "geen enkelvoudige"),
        ({"x-access": {"read": [{"data": {"soort": "a"}}]}}, "data moet"),
        ({"x-access": {"read": [{"relatedStatus": {"eigenaarOrg": ["concept"]}}]}}, "geen relatie"),
        ({"x-access": {"read": [{"relatedStatus": {"x": ["klaar"]}}]}}, "onbekende waarde(n)"),
        ({"x-access": {"read": [{"referenced": {"status": ["open"]}}]}}, "onbekende waarde(n)"),
        ({"x-access": {"read": [{"referenced": True}]}}, "referenced moet"),
        (
            {
                "properties": {
                    **WITH_RELATION["properties"],
                    "x": {"x-derived": {"kind": "ifPresent"}},
                }
            },
            "ifPresent heeft",
        ),
        (
            {
                "properties": {
                    **WITH_RELATION["properties"],
                    "x": {
                        "x-derived": {"kind": "ifPresent", "property": "y", "then": 1, "else": 2}
                    },
                }
            },
            "noemt onbekende 'y'",
        ),
        (
            {
                "properties": {
                    **WITH_RELATION["properties"],
                    "x": {"x-derived": {"kind": "actorOrganisation", "default": True}},
                }
            },
            "'default': true kan alleen bij een template",
        ),
        (
            {
                "properties": {
                    "titel": {"type": "string", "x-aliases": {"2.4.3": "title"}},
                    "naam": {"type": "string", "x-aliases": {"2.4.3": "title"}},
                }
            },
            "alias 'title'",
        ),
        ({"properties": {"titel": {"type": "string", "x-aliases": ["title"]}}}, "x-aliases moet"),
    ],
)
def test_newer_keywords_are_checked(tmp_path, change, message):
    _registers, _files, problems = loader.read([write(tmp_path, {**WITH_RELATION, **change})])
    assert any(message in p for p in problems), problems


def test_aliases_map_older_keys_to_ours_and_the_readme_table_agrees():
    from pathlib import Path

    spec = catalog.by_key("catalogus/contactpersoon").spec
    row = {"e-mailadres": "a@b.nl", "role": "Adviseur", "achternaam": "Boer"}
    assert spec.with_our_keys(row) == {
        "emailadres": "a@b.nl",
        "functie": "Adviseur",
        "achternaam": "Boer",
    }
    assert spec.with_our_keys({"email": "x@y.nl", "emailadres": "ons@y.nl"}) == {
        "emailadres": "ons@y.nl"
    }

    readme = (Path(__file__).parents[2] / "register_schemas" / "README.md").read_text()
    table = readme.split("## Aliassen (catalogusregister)")[1]
    documented = set()
    for line in table.splitlines():
        cells = [c.strip(" `") for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in {"Schema", "---"}:
            schema, ours, v200, v243 = cells
            documented |= {
                (schema, ours, old) for old in (v200, v243) if old not in {"", "–", ours}
            }
    declared = {
        (entry.key.split("/")[1], prop.name, alias)
        for entry in catalog.all_entries()
        if entry.key.startswith("catalogus/")
        for prop in entry.spec.properties.values()
        for alias in prop.aliases
    }
    assert documented == declared


@pytest.mark.parametrize(
    ("path", "message"),
    [(["eigenaarOrg"], "eindigt niet bij een object"), (["titel"], "geen relatie")],
)
def test_owned_at_paths_end_at_an_object(tmp_path, path, message):
    definition = {**WITH_RELATION, "x-access": {"create": [{"ownedAt": path}]}}
    _registers, _files, problems = loader.read([write(tmp_path, definition)])
    assert any(message in p for p in problems), problems
