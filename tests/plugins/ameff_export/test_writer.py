"""The streaming AMEFF writer and the generated view layout, without the database."""

from __future__ import annotations

import pytest

from plugins.ameff_export import writer
from plugins.ameff_export.layout import Group, grouped_view
from plugins.ameff_export.reader import read_model
from plugins.ameff_export.writer import (
    Element,
    InvalidModel,
    Model,
    Node,
    Relationship,
    View,
    write,
)
from tests.plugins.ameff_export.export_support import archi_problems, validate_shared_xsd

APP = "ApplicationComponent"


def element(n: int) -> Element:
    return Element(
        f"id-app-{n}", APP, f"Applicatie {n}", (("Object ID", str(n)),), folder=("Application",)
    )


def model(elements, relationships=(), views=(), **kwargs) -> Model:
    return Model(
        identifier="id-model",
        name="Proef",
        elements=elements,
        relationships=relationships,
        placeholder=Element("id-leeg", "Grouping", "Leeg", folder=("Other",)),
        views=views,
        **kwargs,
    )


def test_records_are_consumed_lazily_and_the_file_leaves_in_chunks():
    consumed = []

    def elements():
        for n in range(5000):
            consumed.append(n)
            yield element(n)

    chunks = write(model(elements()))
    first = next(chunks)
    assert b"<elements>" in first
    assert 0 < len(consumed) < 5000  # the first chunk left before the rows ran out
    rest = list(chunks)
    assert len(consumed) == 5000 and len(rest) > 5
    content = first + b"".join(rest)
    assert all(len(c) < 2 * writer.CHUNK_SIZE for c in rest)
    assert len(read_model(content).elements) == 5000


def test_same_records_give_the_same_bytes_and_a_valid_file():
    def build():
        rels = [
            Relationship("id-flow", "Flow", "id-app-1", "id-app-2", APP, APP, "1 → 2"),
            Relationship(
                "id-via", "Association", "id-flow", "id-app-3", "Relationship", APP, "via"
            ),
        ]
        return b"".join(write(model((element(n) for n in (1, 2, 3)), rels)))

    first = build()
    assert first == build()
    validate_shared_xsd(first)
    assert archi_problems(first) == []
    read = read_model(first)
    assert read.relationships["id-via"].source == "id-flow"
    assert read.folders["id-app-1"] == ("Application",)
    assert read.folders["id-flow"] == ("Relations",)


def test_a_model_without_elements_gets_its_placeholder():
    content = b"".join(write(model(iter(()))))
    read = read_model(content)
    assert list(read.elements) == ["id-leeg"]
    assert archi_problems(content) == []


def test_property_definitions_only_for_names_used_numbered_in_first_use_order():
    elements = [
        Element("id-a", APP, "A", (("Zeta", "1"), ("Alfa", "2"), ("Leeg", ""))),
        Element("id-b", APP, "B", (("Alfa", "3"),)),
    ]
    content = b"".join(write(model(elements, properties=(("Bron", "proef"),))))
    read = read_model(content)
    assert read.property_definitions == {"propid-1": "Bron", "propid-2": "Zeta", "propid-3": "Alfa"}
    assert read.elements["id-a"].properties == {"Zeta": "1", "Alfa": "2"}
    assert read.properties == {"Bron": "proef"}
    text = content.decode()
    assert text.index(">Alfa<") < text.index(">Bron<") < text.index(">Zeta<")  # sorted


def test_texts_are_escaped_and_control_characters_dropped():
    elements = [Element("id-a", APP, "A & B <c>\x0b", documentation="regel 1\nregel 2")]
    read = read_model(b"".join(write(model(elements))))
    assert read.elements["id-a"].name == "A & B <c>"
    assert read.elements["id-a"].documentation == "regel 1\nregel 2"


def test_xml_lang_on_every_text():
    content = b"".join(write(model([element(1)], properties=(("Bron", "proef"),))))
    assert b'<name xml:lang="nl">Applicatie 1</name>' in content
    assert b'<value xml:lang="nl">proef</value>' in content
    assert b"ns0:" not in content


@pytest.mark.parametrize(
    "rel",
    [
        Relationship("id-r", "Specialization", "id-app-1", "id-c", APP, "Constraint"),
        Relationship("id-r", "Flow", "id-app-1", "id-c", APP, "Constraint"),
        Relationship("id-r", "Composition", "id-r0", "id-app-1", "Relationship", APP),
    ],
)
def test_relationships_the_archimate_table_forbids_are_refused(rel):
    with pytest.raises(InvalidModel, match="niet toegestaan"):
        b"".join(write(model([element(1)], [rel])))


@pytest.mark.parametrize("identifier", ["1-abc", "", "id met spatie", "a:b"])
def test_identifiers_must_be_ncnames(identifier):
    with pytest.raises(InvalidModel, match="identifier"):
        b"".join(write(model([Element(identifier, APP, "A")])))


def test_view_geometry_is_checked():
    outside = View(
        "id-v",
        "V",
        [Node("id-p", 0, 0, 100, 100, "id-app-1", children=[Node("id-c", 50, 50, 120, 55)])],
        [],
    )
    with pytest.raises(InvalidModel, match="buiten"):
        b"".join(write(model([element(1)], views=[outside])))
    negative = View("id-v", "V", [Node("id-n", -1, 0, 120, 55, "id-app-1")], [])
    with pytest.raises(InvalidModel, match="kleiner"):
        b"".join(write(model([element(1)], views=[negative])))


def test_folders_must_start_at_an_archi_top_folder():
    with pytest.raises(InvalidModel, match="hoofdmap"):
        b"".join(write(model([Element("id-a", APP, "A", folder=("Applicaties",))])))


def test_grouped_view_nests_members_and_draws_flows_between_first_nodes():
    elements = [element(n) for n in (1, 2, 3, 4)] + [Element("id-rc", APP, "Referentiecomponent")]
    rels = [
        Relationship("id-s1", "Specialization", "id-app-1", "id-rc", APP, APP),
        Relationship("id-s2", "Specialization", "id-app-2", "id-rc", APP, APP),
        Relationship("id-f1", "Flow", "id-app-1", "id-app-3", APP, APP),
        Relationship("id-f2", "Flow", "id-app-1", "id-app-9", APP, APP),  # not in the view
    ]
    groups = [
        Group("rc", "Referentiecomponent", "id-rc", ["id-app-1", "id-app-2", "id-app-1"]),
        Group("overig", "Overig", None, ["id-app-3", "id-app-4"]),
    ]
    groups += [Group(f"g{n}", f"Groep {n}", None, ["id-app-4"]) for n in range(6)]
    view = grouped_view(
        identifier="id-view",
        name="Per referentiecomponent",
        groups=groups,
        flows=[("id-f1", "id-app-1", "id-app-3"), ("id-f2", "id-app-1", "id-app-9")],
        node_id=lambda *parts: "id-" + "-".join(parts),
    )
    elements.append(Element("id-app-9", APP, "Buiten de view"))
    content = b"".join(write(model(elements, rels, [view])))
    assert archi_problems(content) == []
    read = read_model(content).views["id-view"]
    by_id = {n.identifier: n for n in read.nodes}
    assert [n.element for n in read.nodes if n.parent == "id-groep-rc"] == [
        "id-app-1",
        "id-app-2",
    ]  # the duplicate member once
    assert by_id["id-groep-g4"].y > 0  # the sixth group starts a new row
    (line,) = read.connections
    assert (by_id[line.source].element, by_id[line.target].element) == ("id-app-1", "id-app-3")
