"""The per-schema collections: `/api/v1/<x-collection>` and everything below one object."""

from __future__ import annotations

import base64

from django.conf import settings
from django.http import StreamingHttpResponse
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core import services, tasks
from core.api.auth import actor_of
from core.api.errors import ProblemError
from core.api.strict import ANY, StrictQueryMixin
from core.constants import ObjectStatus
from core.models import Job, Object, ObjectVersion, Organisation
from core.plugins.manager import exporters, import_sources, object_actions
from core.register import access, catalog, query, serialize
from core.register.validation import is_uuid

WRITE_KEYS = {"status", "data", "eigenaar"}


class MergePatchParser(JSONParser):
    media_type = "application/merge-patch+json"


class RegisterView(StrictQueryMixin, APIView):
    parser_classes = [JSONParser, MergePatchParser]

    def entry(self, collection: str):
        entry = catalog.by_collection(collection)
        if entry is None:
            raise ProblemError(404, "Deze API-route bestaat niet.")
        return entry

    def object(self, entry, uuid, actor, archived=True) -> Object:
        qs = access.visible_to(
            Object.objects.filter(schema=entry.schema, uuid=uuid).select_related("organisation"),
            {entry.schema.pk: entry.spec},
            actor,
            archived=archived,
        )
        obj = qs.first()
        if obj is None:
            raise ProblemError(404, "Object niet gevonden.")
        return obj

    def body(self, request) -> dict:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ProblemError(413, "De inhoud is groter dan 1 MB.")
        data = request.data
        if not isinstance(data, dict):
            raise ProblemError(400, "De inhoud moet een JSON-object zijn.")
        unknown = set(data) - WRITE_KEYS
        if unknown:
            raise ProblemError(
                400,
                "Onbekende velden in het verzoek.",
                [
                    {
                        "name": key,
                        "pointer": f"/{key}",
                        "reason": "Onbekend veld; gebruik 'data', 'status' en 'eigenaar'.",
                    }
                    for key in sorted(unknown)
                ],
            )
        return data


def owner_from(payload: dict) -> Organisation | None:
    """The organisation named as `eigenaar` (functioneel beheer acts for others), or None."""
    if payload.get("eigenaar") is None:
        return None
    raw = payload["eigenaar"]
    found = Organisation.objects.filter(uuid=raw).first() if is_uuid(raw) else None
    if found is None:
        raise ProblemError(
            400,
            "Onbekende organisatie.",
            [{"name": "eigenaar", "pointer": "/eigenaar", "reason": "Onbekende organisatie."}],
        )
    return found


def etag(obj: Object) -> str:
    return f'"{obj.uuid}-{obj.version}"'


def expected_version(request, obj: Object) -> int | None:
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":  # "*": any current version will do
        return None
    if etag(obj) not in [tag.strip() for tag in header.split(",")]:
        raise ProblemError(412, "Het object is intussen gewijzigd; haal het opnieuw op.")
    return obj.version


class CollectionView(RegisterView):
    allowed_query = {"get": ANY}

    def get(self, request, collection):
        entry = self.entry(collection)
        actor = actor_of(request)
        q = query.parse(request.query_params, entry.spec, actor)
        qs = query.filtered(entry, q, actor)
        if q.formaat and q.formaat != "json":
            return export_response(entry, qs, q, actor)
        rows = list(
            query.page(query.ordered(qs, q, entry, actor).select_related("organisation"), q)
        )
        body = {
            "items": serialize.represent_page(
                rows, entry.spec, actor, uitbreiden=q.uitbreiden, velden=q.velden
            ),
            "total": qs.count(),
            "pagina": q.pagina,
            "paginaGrootte": q.pagina_grootte,
        }
        if q.facetten:
            body["facetten"] = query.facets(qs, q, entry, actor)
        return Response(body)

    def post(self, request, collection):
        entry = self.entry(collection)
        actor = actor_of(request)
        payload = self.body(request)
        obj = services.create_object(
            entry,
            payload.get("data"),
            actor=actor,
            status=payload.get("status", ObjectStatus.CONCEPT),
            organisation=owner_from(payload),
        )
        obj = Object.objects.select_related("organisation").get(pk=obj.pk)
        response = Response(serialize.represent(obj, entry.spec, actor), status=201)
        response["ETag"] = etag(obj)
        response["Location"] = f"/api/v1/{collection}/{obj.uuid}"
        return response


def export_response(entry, qs, q, actor):
    exporter = exporters().get(q.formaat)
    if exporter is None:
        raise ProblemError(
            400,
            f"Onbekend formaat {q.formaat!r}.",
            [
                {
                    "name": "formaat",
                    "reason": "Kies een van: json, " + ", ".join(sorted(exporters())),
                }
            ],
        )
    fields = q.velden or [
        name for name in entry.spec.properties if query.visible_property(entry.spec, name, actor)
    ]

    def rows():
        batch = []
        for obj in (
            query.ordered(qs, q, entry, actor)
            .select_related("organisation")
            .iterator(chunk_size=1000)
        ):
            batch.append(obj)
            if len(batch) == 1000:
                yield from serialize.represent_page(
                    batch, entry.spec, actor, titles=True, extra=False
                )
                batch = []
        yield from serialize.represent_page(batch, entry.spec, actor, titles=True, extra=False)

    stream = exporter.export(rows=rows(), spec=entry.spec, fields=fields, actor=actor)
    response = StreamingHttpResponse(stream, content_type=exporter.media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{entry.spec.collection}.{exporter.extension}"'
    )
    return response


class ObjectView(RegisterView):
    allowed_query = {
        "get": frozenset({"uitbreiden", "velden"}),
        "delete": frozenset({"definitief"}),
    }

    def get(self, request, collection, uuid):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        q = query.parse(request.query_params, entry.spec, actor)
        item = serialize.represent_page(
            [obj], entry.spec, actor, uitbreiden=q.uitbreiden, velden=q.velden
        )[0]
        response = Response(item)
        response["ETag"] = etag(obj)
        return response

    def _write(self, request, collection, uuid, partial: bool):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        version = expected_version(request, obj)
        payload = self.body(request)
        if "eigenaar" in payload:
            raise ProblemError(
                400,
                "Een andere eigenaar kiest u met …/overnemen.",
                [{"name": "eigenaar", "pointer": "/eigenaar", "reason": "Niet bij wijzigen."}],
            )
        if not partial and "data" not in payload:
            raise ProblemError(
                400,
                "Het veld 'data' ontbreekt.",
                [{"name": "data", "pointer": "/data", "reason": "Dit veld is verplicht."}],
            )
        obj = services.update_object(
            obj,
            payload.get("data", {}),
            actor=actor,
            partial=partial,
            expected_version=version,
            status=payload.get("status"),
        )
        obj = Object.objects.select_related("organisation").get(pk=obj.pk)
        response = Response(serialize.represent(obj, entry.spec, actor))
        response["ETag"] = etag(obj)
        return response

    def put(self, request, collection, uuid):
        return self._write(request, collection, uuid, partial=False)

    def patch(self, request, collection, uuid):
        return self._write(request, collection, uuid, partial=True)

    def delete(self, request, collection, uuid):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        version = expected_version(request, obj)
        if request.query_params.get("definitief") == "true":
            services.delete_object(obj, actor=actor)
        else:
            services.archive_object(obj, actor=actor, expected_version=version)
        return Response(status=204)


class HistoryView(RegisterView):
    """History with each change limited to the fields the reader may see."""

    def get(self, request, collection, uuid):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        people = access.sees_people(actor, obj.organisation_id)
        versions = list(
            ObjectVersion.objects.filter(object=obj)
            .select_related("organisation", "user")
            .order_by("version")
        )
        items = []
        previous = {}
        for version in versions:
            hidden = access.hidden_in_history(
                entry.spec, actor, obj.organisation_id, obj.data, version.data, previous
            )
            previous = version.data
            items.append(
                {
                    "versie": version.version,
                    "actie": version.action,
                    "status": version.status,
                    "tijdstip": version.created_at.isoformat(),
                    "organisatie": version.organisation.display_name
                    if version.organisation
                    else None,
                    "rol": version.role or None,
                    "kanaal": version.channel,
                    "verzoekId": version.request_id,
                    "gebruiker": version.user.email if people and version.user else None,
                    "wijzigingen": {
                        k: {"oud": old, "nieuw": new}
                        for k, (old, new) in version.changes.items()
                        if k not in hidden
                    },
                }
            )
        items.reverse()
        return Response({"items": items, "total": len(items)})


class ReferencesView(RegisterView):
    """Reverse relations: the visible objects that refer to this one."""

    def get(self, request, collection, uuid):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        incoming = Object.objects.filter(relations_out__target_object=obj).distinct()
        visible = access.visible_to(incoming, catalog.specs_by_schema_id(), actor)
        rows = list(visible.select_related("organisation").order_by("title", "id")[:500])
        items = []
        for ref in rows:
            spec = catalog.spec_of(ref)
            data = serialize.visible_data(ref, spec, actor)
            via = [p.name for p in spec.relations if _refers(data.get(p.name), str(obj.uuid))]
            if via:
                items.append({**serialize.represent(ref, spec, actor), "via": via})
        return Response({"items": items, "total": len(items)})


def _refers(value, uuid: str) -> bool:
    return value == uuid or (isinstance(value, list) and uuid in value)


class ClaimView(RegisterView):
    """`POST …/<uuid>/overnemen`: the actor's organisation becomes the owner (schema rule
    `claim`); functioneel beheer may name another `eigenaar`. Optional `status`."""

    def post(self, request, collection, uuid):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        has_body = request.META.get("CONTENT_LENGTH") not in (None, "", "0")
        payload = request.data if has_body and isinstance(request.data, dict) else {}
        obj = services.claim_object(
            obj,
            actor=actor,
            organisation=owner_from(payload),
            status=payload.get("status"),
            expected_version=expected_version(request, obj),
        )
        obj = Object.objects.select_related("organisation").get(pk=obj.pk)
        response = Response(serialize.represent(obj, entry.spec, actor))
        response["ETag"] = etag(obj)
        return response


class ActionView(RegisterView):
    def post(self, request, collection, uuid, slug):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        action = object_actions().get(slug)
        if action is None or not action.applies_to(obj=obj, actor=actor):
            raise ProblemError(404, "Deze actie bestaat niet voor dit object.")
        payload = request.data if isinstance(request.data, dict) else {}
        return Response(action.run(obj=obj, actor=actor, payload=payload))


class ImportView(RegisterView):
    """Bulk import of a file through a registered import source."""

    allowed_query = {"post": frozenset({"bron", "publicatiestatus", "achtergrond"})}
    parser_classes = []

    def post(self, request, collection):
        entry = self.entry(collection)
        actor = actor_of(request)
        source = import_sources().get(request.query_params.get("bron", ""))
        if source is None:
            raise ProblemError(
                400,
                "Onbekende importbron.",
                [
                    {
                        "name": "bron",
                        "reason": "Kies een van: " + ", ".join(sorted(import_sources())),
                    }
                ],
            )
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.MAX_UPLOAD_SIZE:
            raise ProblemError(413, "Het bestand is te groot.")
        content = request._request.body if length else b""
        status = request.query_params.get("publicatiestatus", ObjectStatus.CONCEPT)
        if request.query_params.get("achtergrond") == "true":
            return self._in_background(entry, actor, source.slug, content, status)
        try:
            rows = [
                entry.spec.with_our_keys(r) for r in source.read(content=content, spec=entry.spec)
            ]
        except ValueError as exc:
            raise ProblemError(400, f"Het bestand kon niet worden gelezen: {exc}") from exc
        result = services.bulk_create(entry, rows, actor=actor, status=status)
        if result.errors:
            raise ProblemError(
                400,
                "Niets geïmporteerd: er zijn ongeldige rijen.",
                [{"name": f"rij {n}", "pointer": p, "reason": m} for n, p, m in result.errors],
            )
        return Response({"aangemaakt": result.created}, status=201)

    def _in_background(self, entry, actor, source: str, content: bytes, status: str):
        """Large imports run as a task; the caller follows /api/v1/taken/<uuid>."""
        if actor.user is None or actor.organisation is None:
            raise ProblemError(403, "Log in en kies een organisatie om te importeren.")
        job = Job.objects.create(
            user=actor.user,
            organisation=actor.organisation,
            title=f"Import {entry.schema.naam} ({source})",
        )
        tasks.import_objects.enqueue(
            job.pk, entry.spec.collection, source, base64.b64encode(content).decode(), status
        )
        response = Response({"taak": f"/api/v1/taken/{job.uuid}"}, status=202)
        response["Location"] = f"/api/v1/taken/{job.uuid}"
        return response
