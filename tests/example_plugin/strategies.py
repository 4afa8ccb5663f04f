"""The example plugin's exporters, import source, list filter, object action and review queue."""

from __future__ import annotations

import json

from django.db.models import Q

from core.plugins import (
    BundleExporter,
    Exporter,
    ImportSource,
    ListFilter,
    ObjectAction,
    ReviewItem,
    ReviewQueue,
)
from core.plugins.accounts import notify_organisation, reads_review
from core.plugins.register import delete_as, find_objects, update_as
from core.services import NotAllowed


class JsonLinesExporter(Exporter):
    """One JSON object per line: uuid, titel, status and the requested fields."""

    slug = "jsonl"
    naam = "JSON Lines"
    media_type = "application/x-ndjson"
    extension = "jsonl"

    def export(self, *, rows, spec, fields, actor):
        for row in rows:
            line = {
                "uuid": row["uuid"],
                "titel": row["titel"],
                "status": row["status"],
                "data": {name: row["data"][name] for name in fields if name in row["data"]},
            }
            yield (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode()


BUNDLE_KIND = "voorbeeld"


class ProductBundle:
    """The example's bundle kind "voorbeeld": every product the actor may see, by title. The
    plugin that owns a kind builds its selection; format plugins only read it."""

    def products(self, actor):
        from core.plugins.site import visible

        return visible("voorbeeld/product", actor).order_by("title", "id")


class JsonLinesBundle(BundleExporter):
    """A bundle as JSON Lines: one line per object with the kind, uuid and titel."""

    slug = "jsonl"
    naam = "JSON Lines"
    media_type = "application/x-ndjson"
    extension = "jsonl"
    kinds = (BUNDLE_KIND,)

    def export(self, *, kind, selection, actor):
        for obj in selection.products(actor).iterator(chunk_size=500):
            line = {"soort": kind, "uuid": str(obj.uuid), "titel": obj.title}
            yield (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode()


class JsonLinesSource(ImportSource):
    """Reads one object (its `data`) per line; empty lines are skipped."""

    slug = "jsonl"
    naam = "JSON Lines"
    media_types = ("application/x-ndjson", "application/jsonl")

    def read(self, *, content, spec):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError("het bestand is geen UTF-8") from exc
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"regel {number} is geen geldige JSON") from exc
            if not isinstance(data, dict):
                raise ValueError(f"regel {number} is geen JSON-object")
            yield data


class TitleStartsWith(ListFilter):
    """`?naamBegintMet=Zaak`: objects whose title starts with the value (case-insensitive)."""

    key = "naamBegintMet"
    description = "Alleen objecten waarvan de titel met deze tekst begint"

    def applies_to(self, spec):
        return spec.title_property is not None

    def condition(self, *, value, spec, actor):
        return Q(title__istartswith=value)


class CountCharacters(ObjectAction):
    """Counts the characters of an object's title; only for logged-in actors."""

    slug = "tel-tekens"
    naam = "Tel de tekens van de titel"

    def applies_to(self, *, obj, actor):
        return actor.is_authenticated

    def run(self, *, obj, actor, payload):
        return {"titel": obj.title, "tekens": len(obj.title)}


class ConceptProducts(ReviewQueue):
    """Concept products wait for functioneel beheer: accept publishes, decline deletes; the
    supplier hears about it as a "voorbeeld-melding"."""

    slug = "voorbeeld-concepten"
    naam = "Conceptproducten (voorbeeld)"

    def _pending(self) -> dict:
        return {p.uuid: p for p in find_objects("voorbeeld/product", status="concept")}

    def items(self, *, actor):
        if not reads_review(actor):
            return []
        return [
            ReviewItem(
                key=key,
                title=p.title,
                description=p.organisation_name,
                submitted_at=p.created_at,
                url=p.api_path,
            )
            for key, p in self._pending().items()
        ]

    def _decide(self, key, actor, publish: bool) -> str:
        if not actor.is_functioneel_beheerder:
            raise NotAllowed("Alleen functioneel beheer beslist hierover.")
        product = self._pending()[key]
        if publish:
            update_as(actor, key, {}, status="gepubliceerd")
        else:
            delete_as(actor, key)
        verdict = "gepubliceerd" if publish else "verwijderd"
        notify_organisation(
            product.organisation, "voorbeeld-melding", f"{product.title} is {verdict}", verdict
        )
        return f"{product.title} is {verdict}."

    def accept(self, *, key, actor, note):
        return self._decide(key, actor, publish=True)

    def decline(self, *, key, actor, note):
        return self._decide(key, actor, publish=False)
