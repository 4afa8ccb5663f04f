"""The AMEFF export of a landscape, its koppelingen, a supplier's offer and the whole
catalogue, on the access world (tests/catalogus/conftest.py) extended with GEMMA links and a
koppeling to DigiD (export_support.extend).

Every file is checked by the product's XSD, the reference XSD in ../shared, a lint of
Archi's import rules, our own reader and pyArchimate (GPL, test-only)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from core import services
from core.plugins import bundle_exporters
from core.plugins.site import NotAllowed
from core.register import catalog
from plugins.ameff_export import writer
from plugins.ameff_export.export import AmeffExporter, export_catalogue
from plugins.ameff_export.reader import read_model
from plugins.ameff_export.xml import parse
from plugins.catalogus.landscape import LandscapeFilter
from plugins.catalogus.selection import LandscapeSelection, OfferSelection
from tests.plugins.ameff_export.export_support import (
    actor,
    ameff_world_fixture,  # noqa: F401 (the fixture ameff_world)
    archi_problems,
    validate_shared_xsd,
)

pytestmark = pytest.mark.django_db

OWN_NOTE = "Verlengen bespreken in Q2."  # Utrecht's note on its gebruik of Zaakwijzer
KOPPELING_NOTE = "Certificaat verloopt in maart."  # Utrecht's note on Zaakwijzer ← DigiD
SAM_NOTE = "Kosten verdelen naar inwonertal."  # Dimpact's note on the gebruik it shares
DEN_HAAG_NOTE = "Geheim van Den Haag."
NOTES = (OWN_NOTE, KOPPELING_NOTE, SAM_NOTE, DEN_HAAG_NOTE)


def run(kind: str, selection, who) -> bytes:
    return b"".join(AmeffExporter().export(kind=kind, selection=selection, actor=who))


def landscape(world, who=None, kind="landschap", org="gemeente", query="") -> bytes:
    selection = LandscapeSelection(world.orgs[org], LandscapeFilter.from_query(QueryDict(query)))
    return run(kind, selection, who or actor(world, org))


def offer(world, org="leverancier") -> bytes:
    return run("aanbod", OfferSelection(world.orgs[org]), actor(world, org, "aanbod-beheerder"))


def checked(content: bytes):
    """The file passes every check we have; returns our reader's model."""
    parse(content)
    validate_shared_xsd(content)
    assert archi_problems(content) == []
    return read_model(content)


def named(model, name: str):
    (found,) = [e for e in model.elements.values() if e.name == name]
    return found


def relations(model) -> Counter:
    return Counter((r.type, r.name) for r in model.relationships.values())


def pyarchimate(content: bytes, tmp_path):
    """Read back with pyArchimate (GPL-3.0: tests only); it calls sys.exit on I/O errors."""
    from pyArchimate import Model

    path = tmp_path / "export.xml"
    path.write_bytes(content)
    model = Model("terug")
    try:
        model.read(str(path))
    except SystemExit as exc:  # pragma: no cover - a failure message, not a path
        pytest.fail(f"pyArchimate kon het bestand niet lezen ({exc})")
    return model


def test_the_hook_offers_ameff_for_landscape_koppelingen_and_offer():
    for kind in ("landschap", "koppelingen", "aanbod"):
        exporter = bundle_exporters(kind)["ameff"]
        assert isinstance(exporter, AmeffExporter)
    assert (exporter.naam, exporter.media_type, exporter.extension) == (
        "AMEFF (ArchiMate)",
        "application/xml",
        "xml",
    )
    assert "ameff" not in bundle_exporters("catalogus")


def test_landscape_holds_applications_versions_koppelingen_and_gemma(ameff_world):
    w = ameff_world
    model = checked(landscape(w))
    assert model.name == "Applicatielandschap Utrecht"
    assert {e.name: e.type for e in model.elements.values()} == {
        "Utrecht": "BusinessActor",
        "Dimpact": "BusinessCollaboration",
        "Acme Software": "BusinessActor",
        "Beta Systems": "BusinessActor",
        "Zaakwijzer": "ApplicationComponent",
        "Burgerzaken Pro": "ApplicationComponent",
        "Zaakwijzer 4.2": "ApplicationComponent",
        "Zaakregistratiecomponent": "ApplicationComponent",
        "Burgerzakencomponent": "ApplicationComponent",
        "DigiD": "ApplicationComponent",
        "StUF-ZKN 3.10": "Constraint",
    }
    assert relations(model) == Counter(
        {
            ("Association", "is eigenaar van"): 2,
            ("Association", "is afnemer van"): 2,
            ("Specialization", "wordt gebruikt voor"): 2,
            ("Specialization", "is versie van"): 1,
            ("Association", "met versie"): 1,
            ("Aggregation", "heeft deelnemers"): 1,
            ("Flow", "Zaakwijzer ↔ Burgerzaken Pro"): 1,
            ("Flow", "Zaakwijzer ← DigiD"): 1,
            ("Association", "gerealiseerd met"): 1,
            ("Association", "implementeert"): 1,
            ("Realization", "ondersteunt"): 1,
        }
    )


def test_the_application_and_its_gebruik_carry_the_gebruik_properties(ameff_world):
    w = ameff_world
    model = checked(landscape(w))
    zaakwijzer = model.elements[f"id-{w.uuid('lev_module')}"]
    assert zaakwijzer.properties == {
        "Object ID": w.uuid("lev_module"),
        "SWC uuid": w.uuid("lev_module"),
        "SWC type": "Applicatie",
        "Publicatiestatus": "gepubliceerd",
        "Korte beschrijving": "Zaakgericht werken voor middelgrote gemeenten.",
        "Hostingvormen": "SaaS, On-premises (zelf beheerd)",
        "Hostinglocatie": "Nederland",
        "Geregistreerd door": "Leverancier",
        "Gebruik afnemer": "Utrecht",
        "Gebruik status": "In productie",
        "Gebruik hostingvorm": "On-premises (zelf beheerd)",
        "Gebruik hostinglocatie": "Nederland",
        "Gebruik versie": "Zaakwijzer 4.2",
        "Gebruik in productie sinds": "2025-11-01",
        "Gebruik interne aantekening": OWN_NOTE,
    }
    gebruik = model.relationships[f"id-{w.uuid('gem_gebruik')}"]
    assert (gebruik.source, gebruik.target) == (
        f"id-{w.orgs['gemeente'].uuid}",
        f"id-{w.uuid('lev_module')}",
    )
    assert gebruik.properties == {
        "Object ID": w.uuid("gem_gebruik"),
        "SWC uuid": w.uuid("gem_gebruik"),
        "SWC type": "Gebruik",
        "Status": "In productie",
        "Hostingvorm": "On-premises (zelf beheerd)",
        "Hostinglocatie": "Nederland",
        "Versie": "Zaakwijzer 4.2",
        "In productie sinds": "2025-11-01",
        "Interne aantekening": OWN_NOTE,
    }
    shared = model.relationships[f"id-{w.uuid('sam_gebruik')}"]
    assert shared.source == f"id-{w.orgs['samenwerking'].uuid}"
    assert "Interne aantekening" not in shared.properties
    flow = model.relationships[f"id-{w.uuid('gem_digid')}"]
    assert flow.type == "Flow"  # B → A: from DigiD to Zaakwijzer
    assert (model.elements[flow.source].name, model.elements[flow.target].name) == (
        "DigiD",
        "Zaakwijzer",
    )
    assert flow.properties["Richting"] == "B → A"
    assert flow.properties["Transportprotocol"] == "API"
    assert flow.properties["Intern of extern"] == "Extern"
    assert flow.properties["Intermediair"] == "Burgerzaken Pro"
    assert flow.properties["Standaardversies"] == "StUF-ZKN 3.10"
    assert flow.properties["Interne aantekening"] == KOPPELING_NOTE


def test_gemma_elements_keep_gemma_identifier_and_object_id(ameff_world):
    w = ameff_world
    model = checked(landscape(w))
    zrc = named(model, "Zaakregistratiecomponent")
    assert zrc.identifier == "id-8f1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f"  # GEMMA's identifier
    assert zrc.properties["Object ID"] == "9c2d6b1e-0000-4000-8000-00000000a001"
    assert zrc.properties["SWC uuid"] == w.uuid("zrc")
    assert zrc.properties["GEMMA type"] == "Referentiecomponent"
    assert zrc.documentation == "Registreert zaken."
    brc = named(model, "Burgerzakencomponent")  # no identificatie: our id
    assert brc.identifier == f"id-{w.uuid('brc')}"
    assert named(model, "DigiD").properties["GEMMA type"] == "Buitengemeentelijke voorziening"
    assert named(model, "StUF-ZKN 3.10").properties["Object ID"] == "stuf-zkn-310"
    for element in model.elements.values():  # every element derived from a register object
        assert element.properties["SWC uuid"]
        assert element.properties["Object ID"]
    assert model.folders[zrc.identifier] == ("Application", "GEMMA referentiecomponenten")
    assert model.folders[f"id-{w.uuid('lev_module')}"] == ("Application", "Applicaties")
    assert model.folders[f"id-{w.orgs['gemeente'].uuid}"] == ("Business", "Organisaties")


def test_the_view_lays_out_the_landscape_by_referentiecomponent(ameff_world):
    w = ameff_world
    model = checked(landscape(w))
    (view,) = model.views.values()
    assert view.name == "Applicatielandschap Utrecht per referentiecomponent"
    nodes = {n.identifier: n for n in view.nodes}
    nested = {
        (model.elements[nodes[n.parent].element].name if nodes[n.parent].element else None)
        or nodes[n.parent].label: model.elements[n.element].name
        for n in view.nodes
        if n.parent
    }
    assert nested == {
        "Zaakregistratiecomponent": "Zaakwijzer",
        "Burgerzakencomponent": "Burgerzaken Pro",
        "Buitengemeentelijke voorzieningen": "DigiD",
    }
    flows = {model.relationships[c.relationship].name for c in view.connections}
    assert flows == {"Zaakwijzer ↔ Burgerzaken Pro", "Zaakwijzer ← DigiD"}
    assert all(n.x >= 0 and n.y >= 0 and n.w > 0 and n.h > 0 for n in view.nodes)


def test_pyarchimate_reads_the_landscape_back(ameff_world, tmp_path):
    w = ameff_world
    model = pyarchimate(landscape(w), tmp_path)
    assert model.name == "Applicatielandschap Utrecht"
    assert (len(model.elements), len(model.relationships), len(model.views)) == (11, 14, 1)
    assert "Zaakwijzer" in {e.name for e in model.elements}
    zrc = next(e for e in model.elements if e.name == "Zaakregistratiecomponent")
    assert zrc.props["Object ID"] == "9c2d6b1e-0000-4000-8000-00000000a001"
    assert Counter(r.type for r in model.relationships)["Flow"] == 2
    assert model.check_invalid_relationships() == []
    (view,) = model.views
    assert len(view.conns) == 2


def test_exports_are_byte_identical_for_the_same_data(ameff_world):
    w = ameff_world
    fb = actor(w, "vng", "functioneel-beheerder")
    assert landscape(w) == landscape(w)
    assert landscape(w, kind="koppelingen") == landscape(w, kind="koppelingen")
    assert offer(w) == offer(w)
    assert b"".join(export_catalogue(fb)) == b"".join(export_catalogue(fb))


def test_the_landscape_filter_narrows_the_export(ameff_world):
    w = ameff_world
    model = checked(landscape(w, query="herkomst=eigen"))
    assert model.properties["Filter"] == "herkomst=eigen"
    assert f"id-{w.uuid('sam_gebruik')}" not in model.relationships
    assert "Dimpact" not in {e.name for e in model.elements.values()}
    assert model.identifier != checked(landscape(w)).identifier


def test_koppelingen_export_holds_only_koppelingen_and_what_they_connect(ameff_world):
    w = ameff_world
    model = checked(landscape(w, kind="koppelingen"))
    assert model.name == "Koppelingen Utrecht"
    assert {e.name for e in model.elements.values()} == {
        "Zaakwijzer",
        "Burgerzaken Pro",
        "DigiD",
        "StUF-ZKN 3.10",
    }
    assert relations(model) == Counter(
        {
            ("Flow", "Zaakwijzer ↔ Burgerzaken Pro"): 1,
            ("Flow", "Zaakwijzer ← DigiD"): 1,
            ("Association", "gerealiseerd met"): 1,
            ("Association", "implementeert"): 1,
        }
    )
    (view,) = model.views.values()
    assert len(view.connections) == 2


def test_the_offer_export_holds_the_suppliers_offer_and_no_gebruik(ameff_world, tmp_path):
    w = ameff_world
    content = offer(w)
    model = checked(content)
    assert model.name == "Aanbod Acme Software"
    assert {e.name: e.type for e in model.elements.values()} == {
        "Acme Software": "BusinessActor",
        "Zaakwijzer": "ApplicationComponent",
        "Zaakwijzer Next": "ApplicationComponent",  # its own concept, marked as such
        "Zaakwijzer 4.2": "ApplicationComponent",
        "Zaakwijzer Cloud": "ApplicationComponent",
        "Functioneel beheer Zaakwijzer": "BusinessService",
        "Zaakregistratiecomponent": "ApplicationComponent",
        "DigiD": "ApplicationComponent",
        "StUF-ZKN 3.10": "Constraint",
    }
    assert named(model, "Zaakwijzer Next").properties["Publicatiestatus"] == "concept"
    assert relations(model) == Counter(
        {
            ("Association", "is eigenaar van"): 3,
            ("Specialization", "is geschikt voor"): 1,
            ("Specialization", "is versie van"): 2,
            ("Association", "aangeboden voor"): 1,
            ("Flow", "Zaakwijzer → DigiD"): 1,
            ("Realization", "ondersteunt"): 1,
        }
    )
    support = model.relationships[f"id-{w.uuid('lev_compliancy')}"]
    assert model.elements[support.source].name == "Zaakwijzer 4.2"
    assert support.properties["Ondersteuning"] == "Ondersteund"
    types = {p.get("SWC type") for c in model.relationships.values() for p in [c.properties]}
    assert "Gebruik" not in types
    text = content.decode()
    assert "Utrecht" not in text and "is afnemer van" not in text
    assert not any(note in text for note in NOTES)
    (view,) = model.views.values()
    assert view.name == "Aanbod per referentiecomponent"
    assert len(pyarchimate(content, tmp_path).elements) == 9


def test_the_whole_catalogue_as_ameff(ameff_world, tmp_path):
    w = ameff_world
    content = b"".join(export_catalogue(actor(w, "vng", "functioneel-beheerder")))
    model = checked(content)
    applications = {
        e.name for e in model.elements.values() if e.properties.get("SWC type") == "Applicatie"
    }
    assert applications == {"Zaakwijzer", "Burgerzaken Pro", "Oud Pakket", "Marktvergunningen"}
    assert not model.views  # a catalogue-wide view would be unreadable
    types = {r.properties.get("SWC type") for r in model.relationships.values()}
    assert "Gebruik" not in types
    assert not any(note in content.decode() for note in NOTES)
    assert len(pyarchimate(content, tmp_path).elements) == len(model.elements)


def test_the_export_streams_one_element_at_a_time(ameff_world, monkeypatch):
    w = ameff_world
    monkeypatch.setattr(writer, "CHUNK_SIZE", 1)
    chunks = export_catalogue(actor(w, "vng", "functioneel-beheerder"))
    first = next(chunks)
    assert first.count(b"<element ") == 1
    rest = list(chunks)
    assert sum(c.count(b"<element ") for c in rest) > 5


@pytest.mark.parametrize("reader", ["gemeente2", "functioneel-beheer"])
def test_no_other_organisations_interne_aantekening(ameff_world, reader):
    """Utrecht's own notes go into its file; Dimpact's note on the gebruik it shares, Den
    Haag's note, and (for Den Haag or functioneel beheer looking at Utrecht) Utrecht's
    notes never do."""
    w = ameff_world
    own = landscape(w).decode()
    assert OWN_NOTE in own and KOPPELING_NOTE in own
    assert SAM_NOTE not in own and DEN_HAAG_NOTE not in own
    if reader == "gemeente2":
        who = actor(w, "gemeente2")
    else:
        who = actor(w, "vng", "functioneel-beheerder")
    other = landscape(w, who=who)
    checked(other)
    assert not any(note in other.decode() for note in NOTES)
    for kind in ("landschap", "koppelingen"):
        assert KOPPELING_NOTE not in landscape(w, who=who, kind=kind).decode()


def test_a_samenwerking_gets_its_own_note_and_not_its_deelnemers(ameff_world):
    w = ameff_world
    content = landscape(w, org="samenwerking").decode()
    assert SAM_NOTE in content
    assert OWN_NOTE not in content and KOPPELING_NOTE not in content


@pytest.mark.parametrize("kind", ["landschap", "koppelingen"])
def test_a_supplier_never_gets_a_landscape(ameff_world, kind):
    w = ameff_world
    with pytest.raises(NotAllowed):
        landscape(w, who=actor(w, "leverancier", "aanbod-beheerder"), kind=kind)


def test_queries_do_not_grow_with_the_landscape_or_the_offer(ameff_world):
    w = ameff_world

    def count(build) -> int:
        """Queries of the export, without core's once-a-second schema freshness check."""
        with CaptureQueriesContext(connection) as queries:
            build()
        return sum('FROM "core_schema"' not in q["sql"] for q in queries.captured_queries)

    landscape(w), offer(w)  # caches (schemas, labels) filled
    before = (count(lambda: landscape(w)), count(lambda: offer(w)))
    lev, gem = actor(w, "leverancier", "aanbod-beheerder"), actor(w, "gemeente")
    for n in range(3):
        module = services.create_object(
            catalog.by_key("catalogus/module"),
            {
                "naam": f"Extra {n}",
                "aanbieder": str(w.orgs["leverancier"].uuid),
                "referentieComponenten": [w.uuid("brc")],
            },
            actor=lev,
            status="gepubliceerd",
        )
        services.create_object(
            catalog.by_key("catalogus/moduleVersie"),
            {"module": str(module.uuid), "versie": "1.0"},
            actor=lev,
            status="gepubliceerd",
        )
        services.create_object(
            catalog.by_key("catalogus/gebruik"),
            {
                "afnemer": str(w.orgs["gemeente"].uuid),
                "module": str(module.uuid),
                "status": "Gepland",
            },
            actor=gem,
            status="gepubliceerd",
        )
        services.create_object(
            catalog.by_key("catalogus/koppeling"),
            {
                "moduleA": str(module.uuid),
                "moduleB": w.uuid("lev2_module"),
                "gegevensuitwisselingRichting": "AnaarB",
            },
            actor=gem,
            status="gepubliceerd",
        )
    model = checked(landscape(w))
    assert len(model.elements) == 11 + 3
    assert relations(model)[("Association", "is afnemer van")] == 2 + 3
    assert (count(lambda: landscape(w)), count(lambda: offer(w))) == before
