"""The plugin machinery's guard rails: checks, the plugin list, docs in step, unique slugs."""

import inspect
import re
import types
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.models import Q
from pluggy import PluginValidationError

from core.plugins import Exporter, ImportSource, ListFilter, ObjectAction, hookimpl, hookspecs
from core.plugins.manager import pm, registries
from tests.plugins import test_hooks

README = Path(settings.BASE_DIR) / "plugins" / "README.md"
HEADING = re.compile(r"^### `(\w+)\(([^)]*)\)`\s*$", re.MULTILINE)


def spec_signatures() -> dict[str, list[str]]:
    """Every hookspec in core.plugins.hookspecs with its parameter names."""
    return {
        name: list(inspect.signature(func).parameters)
        for name, func in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(func, "softwarecatalogus_spec")
    }


def documented_signatures() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, params in HEADING.findall(README.read_text(encoding="utf-8")):
        assert name not in found, f"{name} is documented twice in plugins/README.md"
        found[name] = [p.strip() for p in params.split(",") if p.strip() not in {"", "*"}]
    return found


def temporary_plugin(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


@pytest.fixture
def registered():
    """Register throw-away plugin modules; always unregistered and caches reset afterwards."""
    modules = []

    def register(module):
        pm.register(module, name=module.__name__)
        modules.append(module)
        registries.cache_clear()
        return module

    yield register
    for module in modules:
        pm.unregister(module)
    registries.cache_clear()


def test_hookspecs_are_introspected():
    """Guards the two tests below against passing on an empty list."""
    specs = spec_signatures()
    assert len(specs) >= 9
    assert specs["validate_object"] == ["schema", "data", "previous", "actor"]
    assert specs["register_exporters"] == []


@pytest.mark.django_db  # system checks read the database's features
def test_manage_py_check_passes():
    call_command("check", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db  # system checks read the database's features
def test_misspelt_hook_fails_the_system_check(registered):
    registered(temporary_plugin("spelfout", register_exporter=lambda: []))
    with pytest.raises(SystemCheckError, match=r"swc\.E001.*register_exporter"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


def test_unknown_hook_argument_is_refused_at_registration():
    module = temporary_plugin("verkeerd_argument", validate_object=lambda obj: None)
    with pytest.raises(PluginValidationError, match="obj"):
        pm.register(module, name="verkeerd_argument")
    assert not pm.is_registered(module)


@pytest.mark.django_db
def test_plugin_list_in_the_api(api_as):
    response = api_as().get("/api/v1/plugins")
    assert response.status_code == 200
    items = {item["naam"]: item for item in response.json()["items"]}
    csv_export = items["csv_export"]
    assert csv_export["module"] == "plugins.csv_export.hooks"
    assert csv_export["versie"] == "1.0.0"
    assert csv_export["hooks"] == ["register_exporters"]
    example = items["example_plugin"]
    assert example["beschrijving"] == "Laat elke hook zien; alleen geladen in de tests."
    assert example["hooks"] == sorted(spec_signatures())
    order = [name for name in items if name in {"csv_export", "example_plugin"}]
    assert order == ["csv_export", "example_plugin"]  # the order of the PLUGINS setting


def test_every_hook_is_documented_with_its_signature():
    documented = documented_signatures()
    specs = spec_signatures()
    missing = sorted(set(specs) - set(documented))
    assert not missing, f"hooks without a section in plugins/README.md: {missing}"
    unknown = sorted(set(documented) - set(specs))
    assert not unknown, f"plugins/README.md documents hooks that do not exist: {unknown}"
    for name, params in specs.items():
        assert documented[name] == params, f"{name}: README says {documented[name]}, spec {params}"


def test_every_hook_has_a_test():
    tests = {name for name, _ in inspect.getmembers(test_hooks, inspect.isfunction)}
    missing = sorted(name for name in spec_signatures() if f"test_hook_{name}" not in tests)
    assert not missing, f"hooks without test_hook_<name> in tests/plugins/test_hooks.py: {missing}"


class DuplicateExporter(Exporter):
    slug = "csv"
    naam = "Nog een CSV"
    media_type = "text/csv"
    extension = "csv"


class DuplicateSource(ImportSource):
    slug = "jsonl"
    naam = "Nog een JSON Lines"


class DuplicateFilter(ListFilter):
    key = "naamBegintMet"

    def condition(self, *, value, spec, actor):
        return Q()


class DuplicateAction(ObjectAction):
    slug = "tel-tekens"
    naam = "Nog eens tellen"


@pytest.mark.parametrize(
    ("hook", "item", "message"),
    [
        ("register_exporters", DuplicateExporter(), "Dubbele exporter 'csv'"),
        ("register_import_sources", DuplicateSource(), "Dubbele importbron 'jsonl'"),
        ("register_list_filters", DuplicateFilter(), "Dubbele lijstfilter 'naamBegintMet'"),
        ("register_object_actions", DuplicateAction(), "Dubbele objectactie 'tel-tekens'"),
    ],
)
def test_duplicate_slugs_are_a_configuration_error(registered, hook, item, message):
    assert registries()  # fine before the clash
    registered(temporary_plugin("dubbel", **{hook: lambda: [item]}))
    with pytest.raises(ImproperlyConfigured, match=message):
        registries()


@pytest.mark.django_db
def test_load_schemas_check_includes_plugin_schema_dirs():
    out = StringIO()
    call_command("load_schemas", "--check", stdout=out)
    bases = [
        Path(settings.BASE_DIR) / "register_schemas",
        Path(settings.BASE_DIR) / "tests" / "example_plugin" / "schemas",
    ]
    expected = sum(
        1
        for base in bases
        for path in base.glob("*/*.json")
        if path.name != "_register.json" and (path.parent / "_register.json").exists()
    )
    assert out.getvalue().strip() == f"{expected} schema's in orde."
