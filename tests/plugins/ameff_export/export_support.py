"""Test support for the AMEFF export: the access world with GEMMA links and a koppeling to a
voorziening, the two XSD checks, and a lint of Archi's import rules (ameff.md §3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import transaction
from lxml import etree

from core import services
from core.actors import Actor
from core.register import catalog
from plugins.ameff_export.reader import AmeffModel, read_model
from tests.catalogus.conftest import World, build_world
from tests.conftest import member

SHARED = Path(__file__).resolve().parents[4] / "shared" / "ameff"
SHARED_XSD = SHARED / "xsd" / "archimate3_Diagram.xsd"
SHARED_TABLE = SHARED / "relationships_ameff.json"


def actor(world: World, org_key: str, role: str = "gebruik-beheerder") -> Actor:
    return Actor.for_membership(member(world.orgs[org_key], role))


def extend(world: World) -> World:
    """Two referentiecomponenten (one with a GEMMA identifier), the applications linked to
    them, and Utrecht's koppeling Zaakwijzer → DigiD implementing StUF, via an intermediair,
    with an interne aantekening. Den Haag uses Zaakwijzer too, with a note of its own."""
    system = Actor.for_system()
    lev, lev2 = (
        actor(world, "leverancier", "aanbod-beheerder"),
        actor(world, "leverancier2", "aanbod-beheerder"),
    )
    gem, gem2 = actor(world, "gemeente"), actor(world, "gemeente2")
    vng = world.orgs["vng"]

    def create(key, schema, data, by, **kwargs):
        obj = services.create_object(
            catalog.by_key(schema if "/" in schema else f"catalogus/{schema}"),
            world.resolve(data),
            actor=by,
            status="gepubliceerd",
            **kwargs,
        )
        world.objects[key] = obj
        return obj

    create(
        "zrc",
        "gemma/referentiecomponent",
        {
            "naam": "Zaakregistratiecomponent",
            "objectId": "9c2d6b1e-0000-4000-8000-00000000a001",
            "identificatie": "id-8f1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f",
            "beschrijving": "Registreert zaken.",
            "gemmaStatus": "In gebruik",
        },
        system,
        organisation=vng,
    )
    create(
        "brc",
        "gemma/referentiecomponent",
        {"naam": "Burgerzakencomponent", "objectId": "9c2d6b1e-0000-4000-8000-00000000a002"},
        system,
        organisation=vng,
    )
    world.objects["lev_module"] = services.update_object(
        world.objects["lev_module"],
        {"referentieComponenten": [world.uuid("zrc")]},
        actor=lev,
        partial=True,
    )
    world.objects["lev2_module"] = services.update_object(
        world.objects["lev2_module"],
        {"referentieComponenten": [world.uuid("brc")]},
        actor=lev2,
        partial=True,
    )
    create(
        "gem_digid",
        "koppeling",
        {
            "moduleA": "#lev_module",
            "buitengemeentelijkVoorziening": "#digid",
            "gegevensuitwisselingRichting": "BnaarA",
            "type": "api",
            "standaardversies": ["#stuf"],
            "gerealiseerdMetIntermediairModule": "#lev2_module",
            "interneAantekening": "Certificaat verloopt in maart.",
        },
        gem,
    )
    create(
        "gem2_gebruik",
        "gebruik",
        {
            "afnemer": "@gemeente2",
            "module": "#lev_module",
            "cloudDienstverleningsmodel": "SaaS",
            "status": "Gepland",
            "interneAantekening": "Geheim van Den Haag.",
        },
        gem2,
    )
    return world


@pytest.fixture(scope="module", name="ameff_world")
def ameff_world_fixture(django_db_setup, django_db_blocker):
    """The access world plus `extend`, built once per module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = extend(build_world())
        yield world
        transaction.set_rollback(True)
    catalog.clear()


def validate_shared_xsd(content: bytes) -> None:
    """Against the reference copy in ../shared (the product validates against its own)."""
    schema = etree.XMLSchema(etree.parse(str(SHARED_XSD)))
    tree = etree.fromstring(content, etree.XMLParser(resolve_entities=False)).getroottree()
    assert schema.validate(tree), [f"{e.line}: {e.message}" for e in schema.error_log][:5]


def archi_problems(content: bytes) -> list[str]:
    """Archi's import rules and the exporter checklist of ameff.md, as a list of problems."""
    model = read_model(content)  # XSD-valid, or it raises
    table = json.loads(SHARED_TABLE.read_text())["allowed"]
    problems = []
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False))
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    if len(ids) != len(set(ids)):
        problems.append("identifiers komen dubbel voor")
    problems += [f"id begint niet met een letter: {i}" for i in ids if not i[0].isalpha()]
    if not model.elements:
        problems.append("geen elementen")
    refs = {e.get("propertyDefinitionRef") for e in root.iter() if e.get("propertyDefinitionRef")}
    problems += [
        f"eigenschap zonder definitie: {r}" for r in refs - set(model.property_definitions)
    ]
    names = list(model.property_definitions.values())
    if len(names) != len(set(names)):
        problems.append("een eigenschapsnaam heeft meer dan één definitie")
    concepts = {**model.elements, **model.relationships}
    for rel in model.relationships.values():
        source, target = concepts.get(rel.source), concepts.get(rel.target)
        if source is None or target is None:
            problems.append(f"relatie {rel.identifier} wijst naar iets onbekends")
            continue
        source_type = "Relationship" if rel.source in model.relationships else source.type
        target_type = "Relationship" if rel.target in model.relationships else target.type
        if rel.type not in table.get(source_type, {}).get(target_type, []):
            problems.append(f"{rel.type} {source_type}→{target_type} niet toegestaan")
    problems += _view_problems(model)
    return problems


def _view_problems(model: AmeffModel) -> list[str]:
    problems = []
    for view in model.views.values():
        nodes = {n.identifier: n for n in view.nodes}
        for node in view.nodes:
            if node.element and node.element not in model.elements:
                problems.append(f"knoop {node.identifier} toont geen element")
            parent = nodes.get(node.parent)
            if parent is None:
                continue
            inside = (
                parent.x <= node.x
                and parent.y <= node.y
                and node.x + node.w <= parent.x + parent.w
                and node.y + node.h <= parent.y + parent.h
            )
            if not inside:
                problems.append(f"knoop {node.identifier} valt buiten zijn ouder")
            if parent.element and node.element:
                pair = {(parent.element, node.element), (node.element, parent.element)}
                if not any((r.source, r.target) in pair for r in model.relationships.values()):
                    problems.append(f"genest zonder relatie: {node.identifier}")
        for connection in view.connections:
            if connection.type != "Relationship":
                problems.append(f"lijn {connection.identifier} is geen relatie")
                continue
            rel = model.relationships.get(connection.relationship)
            source, target = nodes.get(connection.source), nodes.get(connection.target)
            if rel is None or source is None or target is None:
                problems.append(f"verbinding {connection.identifier} wijst naar iets onbekends")
            elif (source.element, target.element) != (rel.source, rel.target):
                problems.append(f"verbinding {connection.identifier} andersom of verkeerd")
    return problems
