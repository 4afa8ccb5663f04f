"""Reading AMEFF safely: bounded size, no DTDs or entities, XSD-valid, the right root.

Shared by the GEMMA importer and the model reader (`reader.py`, which the tests use to read
exports back), so every AMEFF file the product reads passes the same gate.
"""

from __future__ import annotations

import gzip
import io
import zlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from lxml import etree

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSD_DIR = Path(__file__).parent / "data" / "xsd"
# Archi's exporter writes Diagram + Dublin Core; its validator loads the same pair.
XSD_PATH = XSD_DIR / "ameff_with_dc.xsd"
DEFAULT_MAX_XML_SIZE = 200 * 1024 * 1024  # after decompression; GEMMA is about 15 MB
INVALID = "Dit is geen geldig AMEFF-bestand: "


class InvalidAmeff(ValueError):
    """The file is not an AMEFF model we accept; the message is Dutch and safe to show."""

    def __init__(self, reason: str):
        super().__init__(INVALID + reason)
        self.reason = reason


def q(name: str) -> str:
    """The qualified tag name of an AMEFF element."""
    return f"{{{NS}}}{name}"


def max_xml_size() -> int:
    return int(getattr(settings, "AMEFF_EXPORT_MAX_XML_SIZE", DEFAULT_MAX_XML_SIZE))


def _parser() -> etree.XMLParser:
    """Never resolve entities, load a DTD or touch the network; libxml2's limits stay on."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The ArchiMate 3.1 exchange schema, loaded once per process from our own copy."""
    return etree.XMLSchema(etree.parse(str(XSD_PATH), _parser()))


def decompress(content: bytes) -> bytes:
    """The XML of a .xml or .xml.gz upload, refusing anything that unpacks beyond the limit
    (a small gzip can hold gigabytes)."""
    limit = max_xml_size()
    if content[:2] != b"\x1f\x8b":
        if len(content) > limit:
            raise InvalidAmeff(f"het bestand is groter dan {limit // (1024 * 1024)} MB.")
        return content
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as unpacked:
            data = unpacked.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InvalidAmeff(f"het gzip-bestand is beschadigd ({exc}).") from None
    if len(data) > limit:
        raise InvalidAmeff(f"uitgepakt is het bestand groter dan {limit // (1024 * 1024)} MB.")
    return data


def parse(content: bytes) -> etree._ElementTree:
    """Parse and validate an AMEFF file (plain or gzipped XML); raises InvalidAmeff.

    DOCTYPE and ENTITY declarations are refused outright: AMEFF never needs them, and they
    are how entity-expansion bombs and external-entity reads arrive.
    """
    xml = decompress(content)
    if not xml.strip():
        raise InvalidAmeff("het bestand is leeg.")
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise InvalidAmeff("het bevat een DOCTYPE- of ENTITY-declaratie; die zijn niet toegestaan.")
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidAmeff(f"het is geen leesbare XML ({exc}).") from None
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise InvalidAmeff("het bevat een DOCTYPE- of ENTITY-declaratie; die zijn niet toegestaan.")
    if root.tag != q("model"):
        raise InvalidAmeff(
            f"het hoofdelement is <{etree.QName(root).localname}> in namespace "
            f"'{etree.QName(root).namespace or ''}', verwacht <model> in '{NS}'."
        )
    validator = schema()
    if not validator.validate(tree):
        errors = validator.error_log
        first = [f"regel {e.line}: {e.message}" for e in list(errors)[:3]]
        more = f" (en nog {len(errors) - 3} fouten)" if len(errors) > 3 else ""
        raise InvalidAmeff(
            "het voldoet niet aan het ArchiMate-uitwisselingsschema (XSD): "
            + "; ".join(first)
            + more
            + "."
        )
    return tree


def text(element, tag: str) -> str:
    """The first language string `tag` under `element` (Archi prefers the first too)."""
    found = element.find(q(tag))
    return (found.text or "") if found is not None else ""


def property_definitions(root) -> dict[str, str]:
    """propertyDefinition identifier → its name."""
    definitions = root.find(q("propertyDefinitions"))
    if definitions is None:
        return {}
    return {
        d.get("identifier"): text(d, "name") for d in definitions.findall(q("propertyDefinition"))
    }


def properties(element, definitions: dict[str, str]) -> list[tuple[str, str]]:
    """(property name, value) in document order; a name may occur more than once."""
    found = element.find(q("properties"))
    if found is None:
        return []
    return [
        (
            definitions.get(p.get("propertyDefinitionRef"), p.get("propertyDefinitionRef")),
            text(p, "value"),
        )
        for p in found.findall(q("property"))
    ]
