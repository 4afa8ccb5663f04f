"""`/gemma/model.xml` (the imported GEMMA model, streamed un-gzipped) and the generic model
reader on a real GEMMA file."""

from __future__ import annotations

import datetime
import gzip
import hashlib

import pytest

from plugins.ameff_export.gemma_download import latest_release_stream
from plugins.ameff_export.hooks import BUNDLED_RELEASE
from plugins.ameff_export.models import GemmaRelease
from plugins.ameff_export.reader import read_model
from plugins.ameff_export.xml import InvalidAmeff
from tests.plugins.ameff_export.conftest import SUBSET

pytestmark = pytest.mark.django_db


def keep(xml: bytes, release: str) -> GemmaRelease:
    """A kept release as the importer stores it (gzipped, mtime 0)."""
    return GemmaRelease.objects.create(
        release=datetime.date.fromisoformat(release),
        name="GEMMA",
        sha256=hashlib.sha256(xml).hexdigest(),
        content=gzip.compress(xml, mtime=0),
    )


def test_without_a_release_there_is_nothing_to_download(client):
    with pytest.raises(LookupError):
        latest_release_stream()
    assert client.get("/gemma/model.xml").status_code == 404


def test_everyone_downloads_the_newest_release_as_it_was_imported(client, subset_bytes):
    keep(b"<oud/>", "2025-01-01")
    keep(subset_bytes, "2026-06-30")
    chunks, filename = latest_release_stream()
    assert filename == "GEMMA_2026-06-30.xml"
    first = next(chunks)
    assert len(first) < len(subset_bytes)  # it streams
    assert first + b"".join(chunks) == subset_bytes
    response = client.get("/gemma/model.xml")  # anonymous: GEMMA is public
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"] == 'attachment; filename="GEMMA_2026-06-30.xml"'
    assert b"".join(response.streaming_content) == subset_bytes
    assert client.post("/gemma/model.xml").status_code == 405


def test_the_reader_reads_a_real_gemma_file(subset_bytes):
    model = read_model(subset_bytes)
    assert model.identifier == "id-b58b6b03-a59d-472b-bd87-88ba77ded4e6"  # every GEMMA export
    assert model.properties["Release"] == "2026-06-30"
    assert (len(model.elements), len(model.relationships)) == (1239, 1739)
    components = [
        e
        for e in model.elements.values()
        if e.properties.get("GEMMA type") == "Referentiecomponent"
    ]
    assert len(components) == 171
    assert all(c.type == "ApplicationComponent" for c in components)
    realizations = [
        r
        for r in model.relationships.values()
        if r.type == "Realization"
        and r.properties.get("Verbindingsrol") in {"Aanbevolen", "Verplicht"}
    ]
    assert realizations and all(r.source in model.elements for r in realizations)
    assert model.folders  # GEMMA's folders, by identifierRef


def test_the_reader_reads_gemma_views_with_nested_nodes():
    model = read_model(BUNDLED_RELEASE.read_bytes())  # .xml.gz, as the importer takes it
    assert (len(model.elements), len(model.relationships), len(model.views)) == (3006, 6257, 357)
    published = [
        v
        for v in model.views.values()
        if "Softwarecatalogus" in dict(v.property_list).get("Publiceren", "")
    ]
    assert len(published) == 20
    for view in published:
        nodes = {n.identifier: n for n in view.nodes}
        for node in view.nodes:
            if node.parent:  # absolute coordinates: a child lies inside its parent
                parent = nodes[node.parent]
                assert parent.x <= node.x and node.x + node.w <= parent.x + parent.w
        for connection in view.connections:
            assert connection.source in nodes or connection.source in {
                c.identifier for c in view.connections
            }


def test_the_reader_refuses_what_the_importer_refuses():
    with pytest.raises(InvalidAmeff):
        read_model(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><model/>')
    with pytest.raises(InvalidAmeff):
        read_model(SUBSET.read_bytes().replace(b"<elements>", b"<elementen>", 1))
