"""GEMMA release fixtures: the real files in ../shared (tests may read them) and edited copies."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from core.actors import Actor
from core.models import Object
from core.register import catalog
from plugins.ameff_export.xml import NS, q

EXAMPLES = Path(__file__).resolve().parents[4] / "shared" / "ameff" / "examples"
FULL = EXAMPLES / "GEMMA_2026-06-30_converted-from-coArchi.xml.gz"
SUBSET = EXAMPLES / "GEMMA_2026-06-30_subset-refcomp-services-standaarden.xml"
GEMMA_CSV = Path(__file__).resolve().parents[4] / "shared" / "data" / "gemma"


@pytest.fixture(scope="session")
def subset_bytes() -> bytes:
    return SUBSET.read_bytes()


@pytest.fixture(scope="session")
def full_bytes() -> bytes:
    return FULL.read_bytes()


def edited(content: bytes, change: Callable[[etree._Element], None]) -> bytes:
    """A copy of an AMEFF file with `change(root)` applied, as plain XML bytes."""
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False))
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def set_release(root, value: str) -> None:
    """Change the model property "Release" (the release date)."""
    definitions = {
        d.findtext(q("name")): d.get("identifier") for d in root.iter(q("propertyDefinition"))
    }
    for prop in root.find(q("properties")).findall(q("property")):
        if prop.get("propertyDefinitionRef") == definitions["Release"]:
            prop.find(q("value")).text = value


def element_named(root, name: str):
    return next(e for e in root.find(q("elements")) if e.findtext(q("name")) == name)


def remove_element(root, name: str) -> str:
    """Remove an element and everything that refers to it (relationships, folders, nodes)."""
    element = element_named(root, name)
    identifier = element.get("identifier")
    element.getparent().remove(element)
    for rel in list(root.iter(q("relationship"))):
        if identifier in (rel.get("source"), rel.get("target")):
            rel.getparent().remove(rel)
    for item in list(root.iter(q("item"))):
        if item.get("identifierRef") == identifier:
            item.getparent().remove(item)
    for node in list(root.iter(q("node"))):
        if node.get("elementRef") == identifier:
            node.getparent().remove(node)
    return identifier


def gemma_objects(schema: str):
    return Object.objects.filter(schema=catalog.by_key(schema).schema)


def create_as_system(schema: str, data: dict, organisation) -> Object:
    """A catalogue object written through the one write path, owned by `organisation`."""
    from core import services

    return services.create_object(
        catalog.by_key(schema),
        data,
        actor=Actor.for_system(),
        status="gepubliceerd",
        organisation=organisation,
    )


__all__ = ["NS", "create_as_system", "edited", "element_named", "gemma_objects", "remove_element"]
