"""The AMEFF bundle exporter (`formaat=ameff`) and the catalogue-wide export.

`AmeffExporter.export` writes a landscape (`landschap`), its koppelingen (`koppelingen`) or a
supplier's offer (`aanbod`) from the selection the entry points built; `export_catalogue`
writes every published application for the benchmark and scripted use. Everything is read
through `visible()` / `visible_data()` as the given actor, and written as it is read.

Same data → the same bytes: rows are ordered by title and uuid, identifiers are the
objects' uuids (or derived from them with uuid5), and nothing depends on the moment of
export (the only date is the GEMMA release the data refers to).
"""

from __future__ import annotations

from collections.abc import Iterator

from core.plugins import BundleExporter
from plugins.ameff_export import mapping as m
from plugins.ameff_export.landscape import KOPPELINGEN, LANDSCHAP, LandscapeModel
from plugins.ameff_export.offer import CatalogueSelection, OfferModel
from plugins.ameff_export.writer import Element, write

AANBOD = "aanbod"
CATALOGUS = "catalogus"
SOURCE = "GEMMA Softwarecatalogus"


def _gemma_release() -> str:
    from plugins.ameff_export.models import GemmaRelease

    found = GemmaRelease.objects.order_by("-release").values_list("release", flat=True).first()
    return found.isoformat() if found else ""


def _organisation_name(org) -> str:
    return org.weergavenaam or org.naam


def _landscape_query(selection) -> str:
    flt = getattr(selection, "filter", None)
    return flt.querystring() if flt is not None and flt.narrows else ""


def model_for(kind: str, selection, actor):
    """The model to write for a bundle kind; reading starts when it is written."""
    if kind in (LANDSCHAP, KOPPELINGEN):
        org = selection.organisation
        query = _landscape_query(selection)
        title = "Applicatielandschap" if kind == LANDSCHAP else "Koppelingen"
        properties = (
            ("Bron", SOURCE),
            ("Soort export", title),
            ("Organisatie", _organisation_name(org)),
            ("Organisatie uuid", str(org.uuid)),
            ("Filter", query),
            ("GEMMA release", _gemma_release()),
        )
        builder = LandscapeModel(
            selection,
            actor,
            kind,
            model_id=m.derived_id("model", kind, org.uuid, query),
            properties=properties,
        )
        return builder.model(f"{title} {_organisation_name(org)}")
    if kind == AANBOD:
        org = selection.organisation
        properties = (
            ("Bron", SOURCE),
            ("Soort export", "Aanbod"),
            ("Organisatie", _organisation_name(org)),
            ("Organisatie uuid", str(org.uuid)),
            ("GEMMA release", _gemma_release()),
        )
        builder = OfferModel(
            selection,
            actor,
            model_id=m.derived_id("model", kind, org.uuid),
            properties=properties,
            placeholder=m.organisation_element(org),
            with_view=True,
        )
        return builder.model(f"Aanbod {_organisation_name(org)}")
    if kind == CATALOGUS:
        properties = (
            ("Bron", SOURCE),
            ("Soort export", "Catalogus"),
            ("GEMMA release", _gemma_release()),
        )
        model_id = m.derived_id("model", kind)
        placeholder = Element(
            m.derived_id(model_id, "leeg"),
            "Grouping",
            "Softwarecatalogus (leeg)",
            folder=("Other",),
        )
        builder = OfferModel(
            selection,
            actor,
            model_id=model_id,
            properties=properties,
            placeholder=placeholder,
            with_view=False,
        )
        return builder.model("Softwarecatalogus")
    raise ValueError(f"Onbekende soort export {kind!r}")


def export(kind: str, selection, actor) -> Iterator[bytes]:
    """The AMEFF file in chunks; nothing is read before the first chunk is asked for."""
    yield from write(model_for(kind, selection, actor))


def export_catalogue(actor) -> Iterator[bytes]:
    """Every published application the actor may read, with its versions, koppeling
    templates, diensten, GEMMA links and standards support, as one AMEFF file (streamed;
    no view). For the benchmark and scripted use."""
    return export(CATALOGUS, CatalogueSelection(), actor)


class AmeffExporter(BundleExporter):
    slug = "ameff"
    naam = "AMEFF (ArchiMate)"
    media_type = "application/xml"
    extension = "xml"
    kinds = (LANDSCHAP, KOPPELINGEN, AANBOD)

    def export(self, *, kind: str, selection, actor) -> Iterator[bytes]:
        if kind not in self.kinds:
            raise ValueError(f"AMEFF kent de soort export {kind!r} niet.")
        return export(kind, selection, actor)
