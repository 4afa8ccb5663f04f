"""The GEMMA import of the real release files: the numbers of the issue, quirks included."""

from __future__ import annotations

import csv
import gzip
import hashlib
import time
import uuid

import pytest

from core.models import Object, ObjectVersion, Organisation
from plugins.ameff_export import hooks
from plugins.ameff_export.importer import GEMMA_NAMESPACE, element_uuid, import_file
from plugins.ameff_export.models import GemmaRelease
from tests.plugins.ameff_export.conftest import FULL, GEMMA_CSV, gemma_objects

pytestmark = pytest.mark.django_db

KIND_COUNTS = {
    "gemma/referentiecomponent": 171,
    "gemma/voorziening": 56,
    "gemma/standaard": 200,
    "gemma/standaardversie": 323,
}


def assert_elements_and_links(report) -> None:
    """Everything the subset and the full file have in common."""
    for schema, expected in KIND_COUNTS.items():
        assert report.per_kind[schema] == expected
        assert report.counts[schema]["aangemaakt"] == expected
        assert gemma_objects(schema).count() == expected
        assert not gemma_objects(schema).exclude(status="gepubliceerd").exists()
    assert dict(report.links) == {
        "totaal": 746,
        "aanbevolen": 432,
        "verplicht": 313,
        "zonderRol": 1,
    }

    versions = gemma_objects("gemma/standaardversie")
    assert versions.filter(data__status__in=["Einde ondersteuning", "Teruggetrokken"]).count() == 84

    components = list(gemma_objects("gemma/referentiecomponent"))
    assert sum(len(c.data.get("verplichteStandaarden", [])) for c in components) == 313
    assert sum(len(c.data.get("aanbevolenStandaarden", [])) for c in components) == 432
    assert sum(len(c.data.get("standaarden", [])) for c in components) == 746

    quirks = report.quirks
    (no_role,) = quirks["koppelingZonderVerbindingsrol"]
    assert (no_role["referentiecomponent"], no_role["standaard"]) == (
        "Documentbeheercomponent",
        "Documenten API-standaard",
    )
    component = gemma_objects("gemma/referentiecomponent").get(data__naam="Documentbeheercomponent")
    standard = gemma_objects("gemma/standaard").get(data__naam="Documenten API-standaard")
    assert str(standard.uuid) in component.data["standaarden"]
    assert str(standard.uuid) not in component.data.get("verplichteStandaarden", [])
    assert str(standard.uuid) not in component.data.get("aanbevolenStandaarden", [])

    doubles = quirks["dubbeleVerbindingsrol"]
    assert sorted(tuple(d["waarden"]) for d in doubles) == [
        ("Verplicht", ""),
        ("Verplicht", "Verplicht"),
    ]
    (no_status,) = quirks["standaardversieZonderStatus"]
    assert "status" not in versions.get(data__objectId=no_status["objectId"]).data
    without_standard = quirks["standaardversieZonderStandaard"]
    assert len(without_standard) == 2
    assert all(
        v["naam"].endswith("levensonderhoud API-standaard (actueel)") for v in without_standard
    )
    assert versions.exclude(data__has_key="standaard").count() == 2
    assert "tegenstrijdigeVerbindingsrol" not in quirks
    assert "onbekendeVerbindingsrol" not in quirks

    # The extra voorziening beside the CSV's 55 is the generic element.
    with open(GEMMA_CSV / "buitengemeentelijke_voorzieningen.csv", encoding="utf-8") as f:
        listed = {row["object_id"] for row in csv.DictReader(f)}
    extra = gemma_objects("gemma/voorziening").exclude(data__objectId__in=listed)
    assert [(o.data["naam"], o.data["gemmaStatus"]) for o in extra] == [
        ("Buitengemeentelijke voorziening", "In ontwikkeling")
    ]

    # The links are GEMMA's own: the same pairs as the CSV extract of the model.
    with open(GEMMA_CSV / "referentiecomponent_standaard.csv", encoding="utf-8") as f:
        pairs = {(r["referentiecomponent_id"], r["standaard_id"]) for r in csv.DictReader(f)}
    identifiers = {str(o.uuid): o.data["identificatie"] for o in gemma_objects("gemma/standaard")}
    found = {
        (c.data["identificatie"], identifiers[s])
        for c in components
        for s in c.data.get("standaarden", [])
    }
    assert found == pairs


def assert_uuid_rule() -> None:
    """uuid = uuid5(namespace, Object ID), also where the Object ID is not the identifier."""
    with open(GEMMA_CSV / "referentiecomponenten.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    differing = [r for r in rows if r["archimate_id"] != f"id-{r['object_id']}"]
    assert len(differing) == 6
    for row in rows:
        obj = Object.objects.get(uuid=uuid.uuid5(GEMMA_NAMESPACE, row["object_id"]))
        assert obj.data["identificatie"] == row["archimate_id"]
        assert obj.data["naam"] == row["naam"]
        assert obj.data["gemmaStatus"] == row["gemma_status"]
        if row["bbn"]:
            assert obj.data["bbn"] == row["bbn"]
            assert obj.data["beschikbaarheid"] == int(row["beschikbaarheid"])
            assert obj.data["eigenschappen"]["BIV score BBN"] == row["biv_score"]


def test_subset_file(subset_bytes):
    report = import_file(subset_bytes)

    assert report.release == "2026-06-30"
    assert_elements_and_links(report)
    assert_uuid_rule()
    assert report.per_kind.get("gemma/view", 0) == 0
    assert not gemma_objects("gemma/view").exists()
    assert report.total("ingetrokken") == 0

    owner = Organisation.objects.get(type="VNG")  # created for the import
    assert (owner.naam, owner.status) == ("VNG Realisatie", "Actief")
    assert (
        not Object.objects.filter(schema__register__slug="gemma")
        .exclude(organisation=owner)
        .exists()
    )


def test_full_file_and_a_second_run(full_bytes, orgs, capsys):
    started = time.monotonic()
    report = import_file(full_bytes)
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(f"\n[informatie] volledige GEMMA-import: {seconds:.1f} s")

    assert report.in_file == {"elementen": 3006, "relaties": 6257, "views": 357}
    assert_elements_and_links(report)
    assert_uuid_rule()
    assert report.per_kind["gemma/view"] == 357
    views = gemma_objects("gemma/view")
    assert views.count() == 357
    published = views.filter(data__softwarecatalogus=True)
    assert published.count() == 20
    assert set(published.values_list("data__publiceren", flat=True)) == {
        "Softwarecatalogus en GEMMA Online en redactie"
    }
    assert dict(report.views) == {"totaal": 357, "softwarecatalogus": 20}

    # The existing VNG organisation owns GEMMA; nothing else was created.
    assert not views.exclude(organisation=orgs["vng"]).exists()
    assert Organisation.objects.filter(type="VNG").count() == 1

    # Nodes: flattened with their parent, absolute coordinates, the element's Object ID.
    view = views.get(data__naam__startswith="GA04 Applicatieservices generiek")
    nodes = {n["id"]: n for n in view.data["knopen"]}
    children = [n for n in nodes.values() if "ouder" in n]
    assert children
    for child in children:
        parent = nodes[child["ouder"]]
        assert parent["x"] <= child["x"] and parent["y"] <= child["y"]
        assert child["x"] + child["breedte"] <= parent["x"] + parent["breedte"]
    component_nodes = [n for n in nodes.values() if n.get("objectId")]
    assert component_nodes
    assert all(n["type"] == "Element" and n["element"] for n in component_nodes)
    total_nodes = sum(len(v.data["knopen"]) for v in views)
    total_connections = sum(len(v.data["verbindingen"]) for v in views)
    assert (total_nodes, total_connections) == (15175, 5799)

    # The whole file is kept for the AMEFF export, with the report.
    kept = GemmaRelease.latest()
    assert kept.release.isoformat() == "2026-06-30"
    assert kept.name == "GEMMA"
    assert kept.xml() == gzip.decompress(full_bytes)
    assert kept.sha256 == hashlib.sha256(kept.xml()).hexdigest()
    assert kept.report["totaal"]["aangemaakt"] == 1107
    assert kept.report["koppelingen"]["zonderRol"] == 1

    # Second run of the same release: everything unchanged, no new history, same uuids.
    uuids = set(
        Object.objects.filter(schema__register__slug="gemma").values_list("uuid", flat=True)
    )
    history = ObjectVersion.objects.count()
    again = import_file(full_bytes)
    assert again.total("ongewijzigd") == 1107
    assert again.total("aangemaakt") == again.total("bijgewerkt") == 0
    assert again.total("ingetrokken") == 0
    assert ObjectVersion.objects.count() == history
    assert (
        set(Object.objects.filter(schema__register__slug="gemma").values_list("uuid", flat=True))
        == uuids
    )
    assert GemmaRelease.objects.count() == 1  # the same file is kept once

    # The bundled reference release is this file; with a release present the hook is a no-op.
    assert hooks.BUNDLED_RELEASE.read_bytes() == FULL.read_bytes()
    assert hooks.load_reference_data() is None


def test_load_reference_data_imports_the_bundled_release_once():
    lines = hooks.load_reference_data()

    assert lines == [
        "GEMMA-release 2026-06-30 geïmporteerd: 1107 aangemaakt, 0 bijgewerkt, 0 ongewijzigd."
    ]
    assert gemma_objects("gemma/referentiecomponent").count() == 171
    assert hooks.load_reference_data() is None
    assert GemmaRelease.objects.count() == 1


def test_element_uuid_is_the_documented_uuid5():
    documented = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.gemmaonline.nl/#gemma-object-id")
    assert documented == GEMMA_NAMESPACE
    object_id = "a3730b27-7ecf-11e3-67ab-0050568a6153"
    assert element_uuid(object_id) == element_uuid(f" {object_id.upper()} ")
    assert element_uuid(object_id) == uuid.uuid5(GEMMA_NAMESPACE, object_id)
