"""The query keys of /zoeken and their checks: what a shared URL may say.

Unknown keys are ignored (a shared or bookmarked URL with an old key still works);
malformed values (a bad uuid, a value outside a list, a page that is not a number) are
dropped with a Dutch message, and the page answers 400 with the rest of the search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.site import enum_labels, is_uuid

APPLICATIE, DIENST, ORGANISATIE = "applicatie", "dienst", "organisatie"
KINDS = (APPLICATIE, DIENST, ORGANISATIE)
KIND_LABELS = {
    APPLICATIE: gettext_lazy("Applicatie"),
    DIENST: gettext_lazy("Dienst"),
    ORGANISATIE: gettext_lazy("Organisatie"),
}
ORGANISATION_TYPES = ("Leverancier", "Gemeente", "Samenwerking")
SORTS = ("naam", "relevantie")
PAGE_SIZE = 20
MAX_PAGE = 10_000
MAX_QUERY = 200


@dataclass(frozen=True)
class Facet:
    """A filter of the search: its query key, the kinds of result it applies to (selecting a
    value excludes the other kinds), and for long lists the key of its narrowing text box."""

    key: str
    label: str
    kinds: tuple[str, ...]
    uuids: bool = False  # values are uuids of organisations or objects
    narrow: str = ""  # query key of the type-to-filter box ("" = short list)
    schema: str = ""  # enum values and labels come from this schema's property …
    prop: str = ""  # … named here

    def choices(self) -> dict[str, str]:
        """value → readable label, for facets with a fixed list of values."""
        if self.key == "type":
            return {k: str(v) for k, v in KIND_LABELS.items()}
        if self.key == "organisatietype":
            return {t: t for t in ORGANISATION_TYPES}
        if self.schema:
            return enum_labels(self.schema, self.prop)
        return {}


FACETS = (
    Facet("type", gettext_lazy("Type"), KINDS),
    Facet("organisatietype", gettext_lazy("Organisatietype"), (ORGANISATIE,)),
    Facet(
        "aanbieder", gettext_lazy("Aangeboden door"), (APPLICATIE, DIENST), True, "aanbieder_zoek"
    ),
    Facet(
        "referentiecomponent", gettext_lazy("Referentiecomponent"), (APPLICATIE,), True, "rc_zoek"
    ),
    Facet("standaard", gettext_lazy("Standaard(versie)"), (APPLICATIE,), True, "standaard_zoek"),
    Facet(
        "diensttype", gettext_lazy("Diensttype"), (DIENST,), schema="catalogus/dienst", prop="type"
    ),
    Facet(
        "licentie",
        gettext_lazy("Licentie"),
        (APPLICATIE,),
        schema="catalogus/module",
        prop="licentietype",
    ),
    Facet(
        "hosting",
        gettext_lazy("Hosting"),
        (APPLICATIE,),
        schema="catalogus/module",
        prop="cloudDienstverleningsmodel",
    ),
)
FACET_BY_KEY = {f.key: f for f in FACETS}


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet key → values
    narrow: dict[str, str] = field(default_factory=dict)  # facet key → narrowing text
    sort: str = "naam"
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @property
    def relevance(self) -> bool:
        """Rank by relevance only when there is a text to rank against."""
        return self.sort == "relevantie" and bool(self.q)

    def without(self, key: str) -> dict[str, list[str]]:
        return {k: v for k, v in self.filters.items() if k != key}

    def query_items(self, *, drop: tuple[str, str] | None = None, filters=True, page=None):
        """(key, value) pairs of this search for a link: `drop` one facet value, no
        `filters` for "Alle filters wissen", another `page`."""
        items: list[tuple[str, str]] = []
        if self.q:
            items.append(("q", self.q))
        if filters:
            for key, values in self.filters.items():
                items += [(key, v) for v in values if (key, v) != drop]
            for key, text in self.narrow.items():
                items.append((FACET_BY_KEY[key].narrow, text))
        if self.sort != "naam":
            items.append(("sorteer", self.sort))
        if page and page > 1:
            items.append(("pagina", str(page)))
        return items


def parse(query) -> SearchParams:
    """Read a QueryDict into SearchParams, collecting a Dutch message per bad value."""
    params = SearchParams()
    params.q = " ".join(query.get("q", "").split())[:MAX_QUERY]
    for facet in FACETS:
        values: list[str] = []
        allowed = None if facet.uuids else facet.choices()
        for raw in query.getlist(facet.key):
            value = raw.strip().lower() if facet.uuids else raw.strip()
            if not value or value in values:
                continue
            if facet.uuids and not is_uuid(value):
                params.errors.append(
                    _(
                        "%(facet)s: “%(value)s” is geen geldige verwijzing; "
                        "dit filter is weggelaten."
                    )
                    % {"facet": facet.label, "value": _shown(raw)}
                )
                continue
            if allowed is not None and value not in allowed:
                params.errors.append(
                    _("%(facet)s: “%(value)s” is geen bekende waarde; dit filter is weggelaten.")
                    % {"facet": facet.label, "value": _shown(raw)}
                )
                continue
            values.append(value)
        if values:
            params.filters[facet.key] = values
        if facet.narrow:
            text = " ".join(query.get(facet.narrow, "").split())[:100]
            if text:
                params.narrow[facet.key] = text
    sort = query.get("sorteer", "naam")
    if sort in SORTS:
        params.sort = sort
    else:
        params.errors.append(
            _("Sorteren kan op naam of op relevantie; er wordt op naam gesorteerd.")
        )
    raw_page = query.get("pagina", "1").strip() or "1"
    try:
        page = int(raw_page)
    except ValueError:
        page = 0
    if 1 <= page <= MAX_PAGE:
        params.page = page
    else:
        params.errors.append(
            _("“%(value)s” is geen geldig paginanummer; u ziet de eerste pagina.")
            % {"value": _shown(raw_page)}
        )
    return params
