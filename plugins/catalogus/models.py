"""The catalogue plugin's own tables. The catalogue's data lives in the register (core); only
what belongs to one user and never leaves the site is a model here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A landscape filter a user saved under a name, for the organisation they acted for.

    `query` is the canonical `LandscapeFilter.querystring()`, so a saved filter is the same
    URL anyone could share; it is checked again when it is opened."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="catalogus_filters",
        verbose_name=_("gebruiker"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    naam = models.CharField(_("naam"), max_length=100)
    query = models.CharField(_("filter"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("bewaard op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bewaard filter")
        verbose_name_plural = _("bewaarde filters")
        ordering = ["naam", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "naam"], name="catalogus_savedfilter_unique_naam"
            )
        ]

    def __str__(self) -> str:
        return self.naam
