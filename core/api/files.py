"""Files attached to object properties (`x-file`), served only through the audience check."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from rest_framework.response import Response

from core import services
from core.api.auth import actor_of
from core.api.errors import ProblemError
from core.api.objects import RegisterView, etag, expected_version
from core.models import Object, ObjectFile
from core.register import access

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "text/plain": "txt",
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
}
MAGIC = {
    "pdf": b"%PDF",
    "png": b"\x89PNG",
    "jpg": b"\xff\xd8\xff",
    "docx": b"PK",
    "xlsx": b"PK",
    "odt": b"PK",
}


class FileView(RegisterView):
    """GET streams the file; PUT uploads it (raw body, Content-Type and X-Bestandsnaam)."""

    parser_classes = []

    def _file_property(self, entry, name: str, obj: Object, actor):
        prop = entry.spec.properties.get(name)
        if prop is None or not prop.file:
            raise ProblemError(404, "Dit object heeft geen bestand onder deze naam.")
        if not access.field_visible(prop, actor, obj.organisation_id, obj.data, entry.spec):
            raise ProblemError(404, "Dit object heeft geen bestand onder deze naam.")
        return prop

    def get(self, request, collection, uuid, prop):
        entry = self.entry(collection)
        actor = actor_of(request)
        obj = self.object(entry, uuid, actor)
        self._file_property(entry, prop, obj, actor)
        stored = ObjectFile.objects.filter(object=obj, uuid=obj.data.get(prop)).first()
        if stored is None:
            raise ProblemError(404, "Er is (nog) geen bestand.")
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
        self._file_property(entry, prop, obj, actor)
        version = expected_version(request, obj)
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.MAX_UPLOAD_SIZE:
            raise ProblemError(
                413, f"Het bestand is groter dan {settings.MAX_UPLOAD_SIZE // (1024 * 1024)} MB."
            )
        content_type = request.content_type.split(";")[0].strip().lower()
        extension = ALLOWED_TYPES.get(content_type)
        if extension is None:
            raise ProblemError(
                415,
                "Dit bestandstype is niet toegestaan. Toegestaan: "
                + ", ".join(sorted(set(ALLOWED_TYPES.values())))
                + ".",
            )
        content = request._request.body
        if not content:
            raise ProblemError(400, "Het bestand is leeg.")
        if extension in MAGIC and not content.startswith(MAGIC[extension]):
            raise ProblemError(400, "De inhoud past niet bij het opgegeven bestandstype.")
        filename = (request.headers.get("X-Bestandsnaam") or f"{prop}.{extension}")[:200]
        stored = ObjectFile(
            object=obj,
            property=prop,
            filename=filename,
            content_type=content_type,
            size=len(content),
        )
        stored.file.save(f"{stored.uuid}.{extension}", ContentFile(content), save=False)
        try:
            with transaction.atomic():
                stored.save()
                obj = services.update_object(
                    obj,
                    {prop: str(stored.uuid)},
                    actor=actor,
                    partial=True,
                    expected_version=version,
                )
        except Exception:
            stored.file.delete(save=False)  # nothing stays behind when the write is refused
            raise
        obj = Object.objects.select_related("organisation").get(pk=obj.pk)
        response = Response(
            {
                "uuid": str(stored.uuid),
                "bestandsnaam": filename,
                "grootte": len(content),
                "mediatype": content_type,
            },
            status=201,
        )
        response["ETag"] = etag(obj)
        return response
