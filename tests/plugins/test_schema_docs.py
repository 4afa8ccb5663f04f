"""register_schemas/README.md names every keyword and value the schema parser accepts.

(It sits with the plugin docs tests; plugins write schemas with the same keywords.)
"""

import re
from pathlib import Path

from django.conf import settings

from core.register import spec

README = Path(settings.BASE_DIR) / "register_schemas" / "README.md"
SOURCES = [Path(spec.__file__), Path(spec.__file__).with_name("loader.py")]


def undocumented(names: set[str]) -> list[str]:
    """The names that never appear in backticks in the README."""
    text = README.read_text(encoding="utf-8")
    return sorted(name for name in names if f"`{name}`" not in text)


def test_every_x_keyword_is_documented():
    keywords = {
        keyword
        for source in SOURCES
        for keyword in re.findall(r'"(x-[a-z-]+)"', source.read_text(encoding="utf-8"))
    }
    assert {"x-collection", "x-access", "x-version", "x-relation"} <= keywords
    missing = undocumented(keywords)
    assert not missing, f"x- keywords missing from register_schemas/README.md: {missing}"


def test_every_access_and_derivation_value_is_documented():
    values = (
        set(spec.ACCESS_ACTIONS)
        | spec.RULE_KEYS
        | spec.ACTOR_KEYS
        | spec.DERIVED_KINDS
        | spec.AUDIENCES
    )
    missing = undocumented(values)
    assert not missing, f"values missing from register_schemas/README.md: {missing}"
