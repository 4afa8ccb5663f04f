"""Files attached to object properties (`x-file`), served only through the audience check.
The rules live in core/files.py (shared with the site); this view turns their refusals
into problem+json."""

from __future__ import annotations

from contextlib import contextmanager

from django.http import FileResponse
from rest_framework.response import Response

from core import files
from core.api.auth import actor_of
from core.api.errors import ProblemError
from core.api.objects import RegisterView, etag, expected_version
from core.models import Object


@contextmanager
def _as_problem():
    try:
        yield
    except files.FileRefused as refused:
        raise ProblemError(refused.status, str(refused)) from None


class FileView(RegisterView):
    """GET streams the file; PUT uploads it (raw body, Content-Type and X-Bestandsnaam)."""

    parser_classes = []

    def get(self, request, collection, uuid, prop):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        with _as_problem():
            stored = files.stored_file(obj, prop, actor)
        return FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=stored.filename,
            content_type=stored.content_type,
        )

    def put(self, request, collection, uuid, prop):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        with _as_problem():
            files.file_property(obj, prop, actor)
        version = expected_version(request, obj)
        with _as_problem():
            files.check_size(int(request.META.get("CONTENT_LENGTH") or 0))
            obj, stored = files.attach(
                obj,
                prop,
                request._request.body,
                content_type=request.content_type,
                filename=request.headers.get("X-Bestandsnaam"),
                actor=actor,
                expected_version=version,
            )
        obj = Object.objects.select_related("organisation").get(pk=obj.pk)
        response = Response(
            {
                "uuid": str(stored.uuid),
                "bestandsnaam": stored.filename,
                "grootte": stored.size,
                "mediatype": stored.content_type,
            },
            status=201,
        )
        response["ETag"] = etag(obj)
        return response
