"""What an export of the catalogue holds, per kind: a landscape (`landschap`), its
koppelingen only (`koppelingen`), or a supplier's offer (`aanbod`).

The entry points (site buttons, API, `manage.py export_landschap`) build a selection; the
format plugins (AMEFF, CSV, Excel) read it through these querysets, which all start from
`visible()`, so a file holds exactly what its reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from core.plugins.site import NotAllowed, visible
from plugins.catalogus.landscape import (
    LandscapeFilter,
    landscape_gebruik,
    landscape_koppelingen,
    landscape_modules,
)

LANDSCHAP = "landschap"
KOPPELINGEN = "koppelingen"
AANBOD = "aanbod"
# Koppelingen owned by these are suppliers' templates; others' belong to a landscape.
TEMPLATE_OWNER_TYPES = ("Leverancier", "Community")


@dataclass(frozen=True)
class LandscapeSelection:
    """The landscape of a gemeente or samenwerking, narrowed by the overview's filter."""

    organisation: object
    filter: LandscapeFilter = field(default_factory=LandscapeFilter)
    blad: str = ""  # the one table a CSV holds ("" = the first: Applicaties)

    def gebruik(self, actor) -> QuerySet:
        return landscape_gebruik(self.organisation, self._reader(actor), self.filter)

    def koppelingen(self, actor) -> QuerySet:
        return landscape_koppelingen(self.organisation, self._reader(actor), self.filter)

    def modules(self, actor) -> QuerySet:
        return landscape_modules(self.organisation, self._reader(actor), self.filter)

    @staticmethod
    def _reader(actor):
        """Only government users read a landscape as such. A supplier may read the gebruik
        of its own applications, but never as someone's landscape; VNG sees aggregates.
        The entry points refuse first; this holds for any future one too."""
        if not (actor.system or actor.is_government):
            raise NotAllowed("Alleen overheidsgebruikers kunnen een applicatielandschap lezen.")
        return actor


@dataclass(frozen=True)
class OfferSelection:
    """A supplier's (or community's) own offer: never anyone's gebruik."""

    organisation: object
    blad: str = ""  # the one table a CSV holds ("" = the first: Applicaties)

    def _own(self, schema: str, actor) -> QuerySet:
        return visible(schema, actor).filter(organisation_id=self.organisation.pk)

    def modules(self, actor) -> QuerySet:
        return self._own("catalogus/module", actor).order_by("title", "id")

    def versies(self, actor) -> QuerySet:
        return self._own("catalogus/moduleVersie", actor).order_by("title", "id")

    def koppelingen(self, actor) -> QuerySet:
        return (
            self._own("catalogus/koppeling", actor)
            .filter(organisation__type__in=TEMPLATE_OWNER_TYPES)
            .order_by("title", "id")
        )

    def diensten(self, actor) -> QuerySet:
        own = str(self.organisation.uuid)
        return (
            visible("catalogus/dienst", actor)
            .filter(Q(organisation_id=self.organisation.pk) | Q(data__aanbieder=own))
            .order_by("title", "id")
        )

    def compliancy(self, actor) -> QuerySet:
        return self._own("catalogus/compliancy", actor).order_by("title", "id")
