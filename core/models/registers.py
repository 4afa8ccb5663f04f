"""Register → Schema → SchemaVersion: the configurable types, loaded from JSON Schema files."""

from django.db import models


class Register(models.Model):
    """A group of schemas (e.g. the catalogue, GEMMA) with its own metadata."""

    slug = models.SlugField(unique=True)
    naam = models.CharField("naam", max_length=200)
    beschrijving = models.TextField("beschrijving", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "register"
        verbose_name_plural = "registers"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.naam


class Schema(models.Model):
    """A configurable type; its definition lives in its versions."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="schemas")
    slug = models.CharField(max_length=100)
    naam = models.CharField("naam", max_length=200)
    collection = models.CharField(
        "API-collectie", max_length=100, unique=True, help_text="x-collection: pad in /api/v1/"
    )
    current_version = models.ForeignKey(
        "SchemaVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "schema"
        verbose_name_plural = "schema's"
        ordering = ["register__slug", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["register", "slug"], name="schema_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.register.slug}/{self.slug}"


class SchemaVersion(models.Model):
    """One immutable published version of a schema (JSON Schema Draft 2020-12)."""

    schema = models.ForeignKey(Schema, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("versie")
    definition = models.JSONField("definitie")
    checksum = models.CharField(max_length=64)
    # JSONB does not keep key order; forms and exports follow the file's property order.
    property_order = models.JSONField(default=list)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "schemaversie"
        verbose_name_plural = "schemaversies"
        ordering = ["schema", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schema", "number"], name="schemaversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.schema} v{self.number}"

    def save(self, *args, **kwargs):
        if (
            self.pk
            and SchemaVersion.objects.filter(pk=self.pk).exclude(checksum=self.checksum).exists()
        ):
            raise ValueError("Een gepubliceerde schemaversie is onveranderlijk.")
        super().save(*args, **kwargs)
