"""Imported GEMMA releases: the whole AMEFF file is kept, because the AMEFF export builds on it
(views, relationships and elements that are not stored as register objects)."""

from __future__ import annotations

import gzip

from django.conf import settings
from django.db import models
from django.utils import timezone


class GemmaRelease(models.Model):
    """One imported GEMMA model file (one row per distinct file), with its import report."""

    release = models.DateField("release", help_text="Modeleigenschap 'Release' van het bestand.")
    name = models.CharField("modelnaam", max_length=500)
    sha256 = models.CharField("SHA-256 van de XML", max_length=64, unique=True)
    content = models.BinaryField("AMEFF-bestand (gzip)")
    report = models.JSONField("importverslag", default=dict)
    imported_at = models.DateTimeField("geïmporteerd op", default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="geïmporteerd door",
    )

    class Meta:
        verbose_name = "GEMMA-release"
        verbose_name_plural = "GEMMA-releases"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.release:%Y-%m-%d}"

    @classmethod
    def latest(cls) -> GemmaRelease | None:
        """The file the register objects currently come from."""
        return cls.objects.order_by("-imported_at").first()

    def xml(self) -> bytes:
        return gzip.decompress(bytes(self.content))
