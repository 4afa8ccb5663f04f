"""Files attached to object properties (`x-file`): the one set of rules the API and the site
share. Which media types are allowed, the content must match its type, the size limit,
storing an `ObjectFile` and pointing the property at it through the one write path, and
reading it back only when the reader may see the property.

Refusals are `FileRefused`: a Dutch message that is safe to show, and the HTTP status the
API answers with (the site shows the message at its form field)."""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from core import services
from core.models import Object, ObjectFile
from core.register import access, catalog
from core.register.validation import is_uuid

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
EXTENSIONS = tuple(sorted(set(ALLOWED_TYPES.values())))
# A file name's extension → its media type, for browsers that declare a generic type.
TYPE_OF_EXTENSION = {ext: kind for kind, ext in ALLOWED_TYPES.items()} | {"jpeg": "image/jpeg"}

NO_FILE_PROPERTY = "Dit object heeft geen bestand onder deze naam."


class FileRefused(Exception):
    """An upload or download the rules refuse; `status` is the API's HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def size_text(size: int) -> str:
    """A byte count as people read it ("5 MB", "100 bytes")."""
    for unit, factor in (("MB", 1024 * 1024), ("kB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"
    return f"{size} bytes"


def file_property(obj: Object, name: str, actor):
    """The `x-file` property `name` of obj, if the actor may see it; a hidden property looks
    like a missing one (404)."""
    spec = catalog.spec_of(obj)
    prop = spec.properties.get(name)
    if prop is None or not prop.file:
        raise FileRefused(NO_FILE_PROPERTY, 404)
    if not access.field_visible(prop, actor, obj.organisation_id, obj.data, spec):
        raise FileRefused(NO_FILE_PROPERTY, 404)
    return prop


def check_size(size: int) -> None:
    """Refuse a file above settings.MAX_UPLOAD_SIZE, before reading it when the size is known."""
    if size > settings.MAX_UPLOAD_SIZE:
        raise FileRefused(f"Het bestand is groter dan {size_text(settings.MAX_UPLOAD_SIZE)}.", 413)


def media_type(declared: str | None, filename: str = "") -> str:
    """The declared media type without parameters. A browser declares what the operating system
    guesses (often application/octet-stream); then the type of the name's extension counts.
    The content check still decides."""
    kind = (declared or "").split(";")[0].strip().lower()
    if kind in ALLOWED_TYPES or not filename:
        return kind
    extension = posixpath.splitext(filename)[1].lstrip(".").lower()
    return TYPE_OF_EXTENSION.get(extension, kind)


def check_content(content_type: str, content: bytes) -> str:
    """The file's extension, if its type is allowed and its first bytes fit that type."""
    extension = ALLOWED_TYPES.get(content_type)
    if extension is None:
        raise FileRefused(
            "Dit bestandstype is niet toegestaan. Toegestaan: " + ", ".join(EXTENSIONS) + ".",
            415,
        )
    if not content:
        raise FileRefused("Het bestand is leeg.")
    if extension in MAGIC and not content.startswith(MAGIC[extension]):
        raise FileRefused("De inhoud past niet bij het opgegeven bestandstype.")
    return extension


def attach(
    obj: Object,
    name: str,
    content: bytes,
    *,
    content_type: str,
    filename: str | None,
    actor,
    expected_version: int | None = None,
) -> tuple[Object, ObjectFile]:
    """Store `content` and point the property at it, as an update through the write path (so
    `update` rights, validation and history apply). A refused write leaves no file behind."""
    file_property(obj, name, actor)
    check_size(len(content))
    content_type = media_type(content_type)
    extension = check_content(content_type, content)
    base = posixpath.basename((filename or "").replace("\\", "/")).strip()
    stored = ObjectFile(
        object=obj,
        property=name,
        filename=(base or f"{name}.{extension}")[:200],
        content_type=content_type,
        size=len(content),
    )
    stored.file.save(f"{stored.uuid}.{extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            stored.save()
            obj = services.update_object(
                obj,
                {name: str(stored.uuid)},
                actor=actor,
                partial=True,
                expected_version=expected_version,
            )
    except Exception:
        stored.file.delete(save=False)
        raise
    return obj, stored


def stored_file(obj: Object, name: str, actor) -> ObjectFile:
    """The file the property points at, if the actor may see the property (the caller has
    checked that the actor may read obj)."""
    file_property(obj, name, actor)
    value = obj.data.get(name)
    stored = ObjectFile.objects.filter(object=obj, uuid=value).first() if is_uuid(value) else None
    if stored is None:
        raise FileRefused("Er is (nog) geen bestand.", 404)
    return stored
