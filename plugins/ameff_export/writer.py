"""A streaming AMEFF writer on `lxml.etree.xmlfile`.

The model is handed over as lazy iterables of small records (elements, relationships,
views); each record is written and dropped, and the bytes leave in chunks, so a
20 000-element export never holds its tree in memory. What the format wants at the end —
the folder tree (`organizations`) and the property definitions — is gathered on the way:
folder members go to temporary files, property names to a small dict.

The writer enforces the rules Archi and the XSD share where it can do so without holding
the model: the sequence order of the model's parts, ids that are NCNames, at least one
element, every property defined, coordinates ≥ 0 and sizes > 0, and only relationship types
that the ArchiMate 3.2 table (`data/relationships_ameff.json`) allows between the two types.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from core.plugins.formats import xml_safe
from plugins.ameff_export.xml import NS, XSI_TYPE, q

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    "http://www.opengroup.org/xsd/archimate/3.0/ "
    "http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
)
LANG = {"xml:lang": "nl"}  # lxml's xmlfile writes the reserved prefix as given
CHUNK_SIZE = 64 * 1024
RELATIONSHIPS_TABLE = Path(__file__).parent / "data" / "relationships_ameff.json"
# Archi's top folders, in Archi's order; other labels become sub-folders.
TOP_FOLDERS = (
    "Strategy",
    "Business",
    "Application",
    "Technology & Physical",
    "Motivation",
    "Implementation & Migration",
    "Other",
    "Relations",
    "Views",
)
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


class InvalidModel(ValueError):
    """The exporter asked for something AMEFF or Archi refuses (a bug, not user input)."""


@dataclass(frozen=True, slots=True)
class Element:
    identifier: str
    type: str
    name: str
    properties: tuple[tuple[str, str], ...] = ()
    documentation: str = ""
    folder: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relationship:
    """`source_type`/`target_type` are the ArchiMate types of the ends ("Relationship" for a
    relationship end), for the check against the relationship table."""

    identifier: str
    type: str
    source: str
    target: str
    source_type: str
    target_type: str
    name: str = ""
    properties: tuple[tuple[str, str], ...] = ()
    documentation: str = ""
    folder: tuple[str, ...] = ("Relations",)


@dataclass(slots=True)
class Node:
    """A view node; `element` set → an ArchiMate element, else a visual group with `label`.
    Coordinates are absolute to the view, also for nested nodes (AMEFF)."""

    identifier: str
    x: int
    y: int
    w: int
    h: int
    element: str | None = None
    label: str = ""
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Connection:
    identifier: str
    relationship: str
    source: str
    target: str


@dataclass(slots=True)
class View:
    identifier: str
    name: str
    nodes: list[Node]
    connections: list[Connection]
    documentation: str = ""
    properties: tuple[tuple[str, str], ...] = ()
    folder: tuple[str, ...] = ("Views",)


@dataclass
class Model:
    """What to write. `elements`, `relationships` and `views` are consumed once, lazily;
    `placeholder` is written when `elements` yields nothing (Archi refuses a model without
    elements, and the XSD an empty `<elements/>`)."""

    identifier: str
    name: str
    elements: Iterable[Element]
    relationships: Iterable[Relationship]
    placeholder: Element
    views: Iterable[View] = ()
    documentation: str = ""
    properties: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=1)
def relationship_table() -> dict[str, dict[str, list[str]]]:
    """allowed[source type][target type] = relationship types (ArchiMate 3.2, via Archi)."""
    return json.loads(RELATIONSHIPS_TABLE.read_text(encoding="utf-8"))["allowed"]


def allowed(kind: str, source_type: str, target_type: str) -> bool:
    return kind in relationship_table().get(source_type, {}).get(target_type, ())


class _Sink:
    """The file object xmlfile writes to; the generator hands its bytes out in chunks."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


class _Folders:
    """Folder path → the identifiers filed there, in write order, kept in temporary files so
    the folder tree costs no memory per object."""

    def __init__(self):
        self.files: dict[tuple[str, ...], tempfile.SpooledTemporaryFile] = {}

    def add(self, path: tuple[str, ...], identifier: str) -> None:
        if not path:
            return
        if path[0] not in TOP_FOLDERS:
            raise InvalidModel(f"Map {path!r} begint niet met een hoofdmap van Archi.")
        found = self.files.get(path)
        if found is None:
            # Closed in close(), when the file is written.
            found = self.files[path] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
                max_size=256 * 1024, mode="w+", encoding="ascii"
            )
        found.write(identifier + "\n")

    def tree(self) -> dict:
        """Nested {label: subtree} with the file under the key None, sorted Archi-wise."""
        root: dict = {}
        for path in self.files:
            node = root
            for label in path:
                node = node.setdefault(label, {})
            node[None] = self.files[path]
        return root

    def identifiers(self, path: tuple[str, ...]) -> Iterator[str]:
        found = self.files[path]
        found.seek(0)
        for line in found:
            yield line.rstrip("\n")

    def close(self) -> None:
        for found in self.files.values():
            found.close()


def _identifier(value: str) -> str:
    if not NCNAME.match(value or ""):
        raise InvalidModel(f"Ongeldige identifier {value!r}: AMEFF wil een NCName.")
    return value


def _size(value: int, minimum: int) -> str:
    if int(value) < minimum:
        raise InvalidModel(f"Coördinaat of maat {value} is kleiner dan {minimum}.")
    return str(int(value))


class _Writer:
    def __init__(self, xf, sink: _Sink):
        self.xf = xf
        self.sink = sink
        self.folders = _Folders()
        self.definitions: dict[str, str] = {}  # property name → propid-n, in first-use order

    def chunk(self) -> bytes | None:
        """The bytes so far once there are enough of them (after each record)."""
        self.xf.flush()
        return self.sink.take() if self.sink.size >= CHUNK_SIZE else None

    def text(self, tag: str, value: str, lang: bool = True) -> None:
        with self.xf.element(q(tag), LANG if lang else {}):
            self.xf.write(_clean(value))

    def define(self, names: Iterable[str]) -> None:
        """Number property names in first-use order, as Archi does (propid-1, propid-2 …)."""
        for name in names:
            if name not in self.definitions:
                self.definitions[name] = f"propid-{len(self.definitions) + 1}"

    def properties(self, props: Iterable[tuple[str, str]]) -> None:
        props = [(name, value) for name, value in props if value not in (None, "")]
        if not props:
            return
        self.define(name for name, _value in props)
        with self.xf.element(q("properties")):
            for name, value in props:
                ref = self.definitions[name]
                with self.xf.element(q("property"), {"propertyDefinitionRef": ref}):
                    self.text("value", str(value))

    def newline(self) -> None:
        """One record per line: whitespace between elements is ignorable, and it makes two
        exports readable with diff."""
        self.xf.write("\n")

    def concept(self, tag: str, attributes: dict, record) -> None:
        self.newline()
        with self.xf.element(q(tag), attributes):
            if tag == "element" or record.name:
                self.text("name", record.name)
            if record.documentation:
                self.text("documentation", record.documentation)
            self.properties(record.properties)
        self.folders.add(record.folder, record.identifier)

    def element(self, element: Element) -> None:
        attributes = {"identifier": _identifier(element.identifier), XSI_TYPE: element.type}
        self.concept("element", attributes, element)

    def relationship(self, rel: Relationship) -> None:
        if not allowed(rel.type, rel.source_type, rel.target_type):
            raise InvalidModel(
                f"{rel.type} van {rel.source_type} naar {rel.target_type} is in ArchiMate 3.2 "
                "niet toegestaan."
            )
        attributes = {
            "identifier": _identifier(rel.identifier),
            "source": _identifier(rel.source),
            "target": _identifier(rel.target),
            XSI_TYPE: rel.type,
        }
        self.concept("relationship", attributes, rel)

    def organizations(self) -> Iterator[bytes]:
        """The folder tree; a generator, as it lists every identifier once more."""
        tree = self.folders.tree()
        if not tree:
            return
        with self.xf.element(q("organizations")):
            for label in sorted(tree, key=TOP_FOLDERS.index):
                yield from self._folder((label,), tree[label])

    def _folder(self, path: tuple[str, ...], node: dict) -> Iterator[bytes]:
        with self.xf.element(q("item")):
            self.text("label", path[-1])
            for label in sorted(k for k in node if k is not None):
                yield from self._folder((*path, label), node[label])
            if None in node:
                for identifier in self.folders.identifiers(path):
                    self.newline()
                    with self.xf.element(q("item"), {"identifierRef": identifier}):
                        pass
                    if chunk := self.chunk():
                        yield chunk

    def property_definitions(self) -> None:
        if not self.definitions:
            return
        with self.xf.element(q("propertyDefinitions")):
            for name, ref in sorted(self.definitions.items()):
                self.newline()
                with self.xf.element(
                    q("propertyDefinition"), {"identifier": ref, "type": "string"}
                ):
                    self.text("name", name)

    def view(self, view: View) -> None:
        self.newline()
        attributes = {"identifier": _identifier(view.identifier), XSI_TYPE: "Diagram"}
        with self.xf.element(q("view"), attributes):
            self.text("name", view.name)
            if view.documentation:
                self.text("documentation", view.documentation)
            self.properties(view.properties)
            for node in view.nodes:
                self.node(node, None)
            for connection in view.connections:
                self.newline()
                attributes = {
                    "identifier": _identifier(connection.identifier),
                    "relationshipRef": connection.relationship,
                    "source": connection.source,
                    "target": connection.target,
                    XSI_TYPE: "Relationship",
                }
                with self.xf.element(q("connection"), attributes):
                    pass

    def node(self, node: Node, parent: Node | None) -> None:
        if parent is not None and not (
            parent.x <= node.x
            and parent.y <= node.y
            and node.x + node.w <= parent.x + parent.w
            and node.y + node.h <= parent.y + parent.h
        ):
            raise InvalidModel(f"Knoop {node.identifier} valt buiten zijn ouder.")
        attributes = {
            "identifier": _identifier(node.identifier),
            "x": _size(node.x, 0),
            "y": _size(node.y, 0),
            "w": _size(node.w, 1),
            "h": _size(node.h, 1),
        }
        self.newline()
        if node.element:
            attributes[XSI_TYPE] = "Element"
            attributes["elementRef"] = node.element
        else:
            attributes[XSI_TYPE] = "Container"
        with self.xf.element(q("node"), attributes):
            if not node.element:
                self.text("label", node.label)
            for child in node.children:
                self.node(child, node)


def _clean(value: str) -> str:
    return xml_safe(value)


def write(model: Model) -> Iterator[bytes]:
    """The model as AMEFF, in chunks of about CHUNK_SIZE bytes; records are consumed as the
    chunks are asked for. Same records in the same order → the same bytes."""
    sink = _Sink()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        writer = _Writer(xf, sink)
        try:
            xf.write_declaration()
            root = {
                "identifier": _identifier(model.identifier),
                f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
            }
            with xf.element(q("model"), root, nsmap={None: NS, "xsi": XSI}):
                writer.newline()
                writer.text("name", model.name)
                if model.documentation:
                    writer.text("documentation", model.documentation)
                writer.properties(model.properties)
                with xf.element(q("elements")):
                    written = 0
                    for element in model.elements:
                        writer.element(element)
                        written += 1
                        if chunk := writer.chunk():
                            yield chunk
                    if not written:
                        writer.element(model.placeholder)
                relationships = iter(model.relationships)
                first = next(relationships, None)
                if first is not None:
                    with xf.element(q("relationships")):
                        writer.relationship(first)
                        for rel in relationships:
                            writer.relationship(rel)
                            if chunk := writer.chunk():
                                yield chunk
                # Views come after the folders and property definitions that name them; they
                # are few (a generated layout), so they are built before those are written.
                views = list(model.views)
                for view in views:
                    writer.folders.add(view.folder, view.identifier)
                    writer.define(name for name, value in view.properties if value)
                yield from writer.organizations()
                writer.property_definitions()
                if views:
                    with xf.element(q("views")), xf.element(q("diagrams")):
                        for view in views:
                            writer.view(view)
                            if chunk := writer.chunk():
                                yield chunk
        finally:
            writer.folders.close()
    if sink.size:  # xmlfile flushed everything when it closed
        yield sink.take()
