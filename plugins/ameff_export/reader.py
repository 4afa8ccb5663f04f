"""A generic AMEFF model reader: elements, relationships, folders and views as plain data.

It reads any valid AMEFF file (ours or GEMMA's) through the same safe, validating parser
as the GEMMA import (`xml.parse`), so a read-back of an export checks the XSD too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plugins.ameff_export import xml as ameff


@dataclass
class Concept:
    """An element or relationship; `properties` maps a property name to its value (a
    repeated name keeps the last value; `property_list` has them all, in order)."""

    identifier: str
    type: str
    name: str
    documentation: str = ""
    property_list: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""  # relationships only
    target: str = ""

    @property
    def properties(self) -> dict[str, str]:
        return dict(self.property_list)


@dataclass
class ViewNode:
    identifier: str
    type: str
    x: int
    y: int
    w: int
    h: int
    element: str = ""
    label: str = ""
    parent: str = ""


@dataclass
class ViewConnection:
    identifier: str
    type: str
    source: str
    target: str
    relationship: str = ""


@dataclass
class ModelView:
    identifier: str
    name: str
    documentation: str = ""
    property_list: list[tuple[str, str]] = field(default_factory=list)
    nodes: list[ViewNode] = field(default_factory=list)
    connections: list[ViewConnection] = field(default_factory=list)


@dataclass
class AmeffModel:
    identifier: str
    name: str
    documentation: str
    properties: dict[str, str]
    elements: dict[str, Concept]
    relationships: dict[str, Concept]
    views: dict[str, ModelView]
    folders: dict[str, tuple[str, ...]]  # identifierRef → folder path
    property_definitions: dict[str, str]  # identifier → name


def read_model(content: bytes) -> AmeffModel:
    """Parse and validate (raises `xml.InvalidAmeff`), then read the whole model."""
    root = ameff.parse(content).getroot()
    definitions = ameff.property_definitions(root)
    elements = {}
    for element in _children(root, "elements", "element"):
        concept = _concept(element, definitions)
        elements[concept.identifier] = concept
    relationships = {}
    for rel in _children(root, "relationships", "relationship"):
        concept = _concept(rel, definitions)
        concept.source, concept.target = rel.get("source"), rel.get("target")
        relationships[concept.identifier] = concept
    views = {}
    container = root.find(ameff.q("views"))
    for view in container.iter(ameff.q("view")) if container is not None else []:
        found = ModelView(
            view.get("identifier"),
            ameff.text(view, "name"),
            ameff.text(view, "documentation"),
            ameff.properties(view, definitions),
        )
        for node in view.findall(ameff.q("node")):
            _nodes(node, "", found.nodes)
        for connection in view.findall(ameff.q("connection")):
            found.connections.append(
                ViewConnection(
                    connection.get("identifier"),
                    connection.get(ameff.XSI_TYPE) or "",
                    connection.get("source"),
                    connection.get("target"),
                    connection.get("relationshipRef") or "",
                )
            )
        views[found.identifier] = found
    folders: dict[str, tuple[str, ...]] = {}
    for organizations in root.findall(ameff.q("organizations")):
        for item in organizations.findall(ameff.q("item")):
            _folders(item, (), folders)
    return AmeffModel(
        identifier=root.get("identifier"),
        name=ameff.text(root, "name"),
        documentation=ameff.text(root, "documentation"),
        properties=dict(ameff.properties(root, definitions)),
        elements=elements,
        relationships=relationships,
        views=views,
        folders=folders,
        property_definitions=definitions,
    )


def _children(root, container: str, tag: str):
    found = root.find(ameff.q(container))
    return found.findall(ameff.q(tag)) if found is not None else []


def _concept(element, definitions) -> Concept:
    return Concept(
        identifier=element.get("identifier"),
        type=element.get(ameff.XSI_TYPE) or "",
        name=ameff.text(element, "name"),
        documentation=ameff.text(element, "documentation"),
        property_list=ameff.properties(element, definitions),
    )


def _nodes(node, parent: str, out: list[ViewNode]) -> None:
    out.append(
        ViewNode(
            identifier=node.get("identifier"),
            type=node.get(ameff.XSI_TYPE) or "",
            x=int(node.get("x")),
            y=int(node.get("y")),
            w=int(node.get("w")),
            h=int(node.get("h")),
            element=node.get("elementRef") or "",
            label=ameff.text(node, "label"),
            parent=parent,
        )
    )
    for child in node.findall(ameff.q("node")):
        _nodes(child, node.get("identifier"), out)


def _folders(item, path: tuple[str, ...], out: dict) -> None:
    ref = item.get("identifierRef")
    if ref and not len(item.findall(ameff.q("item"))):
        out[ref] = path
        return
    label = ameff.text(item, "label")
    for child in item.findall(ameff.q("item")):
        _folders(child, (*path, label), out)
