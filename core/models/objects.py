"""Objects of the register, their append-only history and the relation index."""

import uuid

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from core.constants import Channel, ObjectStatus
from core.models.organisations import Organisation, User
from core.models.registers import Schema, SchemaVersion


class Object(models.Model):
    """One object of a schema: current state in JSONB, history in ObjectVersion."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No single-column indexes on schema/organisation: the composite indexes below lead with
    # them, and every extra index is paid on each write (the bulk import most of all).
    schema = models.ForeignKey(
        Schema, on_delete=models.PROTECT, related_name="register_objects", db_index=False
    )
    schema_version = models.ForeignKey(SchemaVersion, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="register_objects",
        verbose_name="eigenaar",
        db_index=False,
    )
    status = models.CharField(
        max_length=20, choices=ObjectStatus.choices, default=ObjectStatus.CONCEPT
    )
    data = models.JSONField(default=dict)
    title = models.CharField(max_length=500, blank=True)
    search_text = models.TextField(blank=True, default="")
    # Dutch full-text vector, maintained by PostgreSQL from title and searchable fields.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config="dutch", weight="A")
        + SearchVector("search_text", config="dutch", weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "object"
        verbose_name_plural = "objecten"
        indexes = [
            models.Index(fields=["schema", "status", "organisation"], name="object_schema_status"),
            models.Index(fields=["schema", "title", "id"], name="object_schema_title"),
            models.Index(fields=["organisation", "schema"], name="object_owner"),
            GinIndex(fields=["search_vector"], name="object_search"),
            GinIndex(fields=["data"], opclasses=["jsonb_path_ops"], name="object_data"),
        ]

    def __str__(self) -> str:
        return self.title or str(self.uuid)


class ObjectVersion(models.Model):
    """Append-only history: who changed what, for which organisation, through which channel.

    It outlives a hard delete of its object (the object link becomes empty, the uuid stays).
    """

    object = models.ForeignKey(Object, null=True, on_delete=models.SET_NULL, related_name="history")
    object_uuid = models.UUIDField(db_index=True)
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=ObjectStatus.choices)
    data = models.JSONField()
    changes = models.JSONField(default=dict)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=30, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "objectversie"
        verbose_name_plural = "objectversies"
        ordering = ["object", "version"]
        constraints = [
            models.UniqueConstraint(fields=["object", "version"], name="objectversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.object_id} v{self.version} ({self.action})"


class ObjectRelation(models.Model):
    """Rebuildable index of every `x-relation` value in object data.

    The three composite indexes lead with source, target object and target organisation, so
    the foreign keys get no single-column index of their own (each row would pay for it)."""

    source = models.ForeignKey(
        Object, on_delete=models.CASCADE, related_name="relations_out", db_index=False
    )
    property = models.CharField(max_length=100)
    target_object = models.ForeignKey(
        Object, null=True, on_delete=models.CASCADE, related_name="relations_in", db_index=False
    )
    target_organisation = models.ForeignKey(
        Organisation,
        null=True,
        on_delete=models.CASCADE,
        related_name="relations_in",
        db_index=False,
    )

    class Meta:
        indexes = [
            models.Index(fields=["source", "property"], name="rel_source"),
            models.Index(fields=["target_object", "property", "source"], name="rel_target_obj"),
            models.Index(
                fields=["target_organisation", "property", "source"], name="rel_target_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}.{self.property}"


def private_storage():
    """Object files never sit under MEDIA_URL: they are served only through the audience check."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class ObjectFile(models.Model):
    """A file attached to an object property; served only through the audience check."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    object = models.ForeignKey(Object, on_delete=models.CASCADE, related_name="files")
    property = models.CharField(max_length=100)
    file = models.FileField(upload_to="objectbestanden/%Y/%m/", storage=private_storage)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename
