"""A landscape as the overview, the plot on a GEMMA view and every export select it: the
published gebruik of one organisation (its own and what a samenwerking shares with it),
narrowed by one filter, and the koppelingen that go with it.

Everything starts from `visible()`, so a page or file never holds more than its reader may
see, and the filter is applied in SQL, never to fetched rows. The same filter keys are used
in the site's URL, the API (`/api/v1/organisaties/{uuid}/landschap`) and saved filters.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode

from django.db.models import (
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    UUIDField,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _

from core.plugins.site import enum_labels, is_uuid, visible, visible_organisations

GEBRUIK = "catalogus/gebruik"
MODULE = "catalogus/module"
KOPPELING = "catalogus/koppeling"

HERKOMST = {"eigen": "Eigen gebruik", "samenwerking": "Via een samenwerking"}
SORTS = ("naam", "-naam", "leverancier", "-leverancier", "status", "-status", "hosting", "-hosting")
LIST_KEYS = ("status", "hosting", "leverancier", "referentiecomponent", "voorziening")


class InvalidFilter(ValueError):
    """A filter value that does not exist; the message is Dutch and names the key."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class LandscapeFilter:
    """One landscape question. Values within a key are alternatives (OR); keys combine (AND).

    `leverancier`, `referentiecomponent` and `voorziening` hold uuids; `herkomst` is "eigen"
    or "samenwerking"; `zoek` matches the application's or the supplier's name."""

    zoek: str = ""
    status: tuple[str, ...] = ()
    hosting: tuple[str, ...] = ()
    leverancier: tuple[str, ...] = ()
    referentiecomponent: tuple[str, ...] = ()
    voorziening: tuple[str, ...] = ()
    herkomst: str = ""
    sorteer: str = "naam"

    @classmethod
    def from_query(cls, query) -> LandscapeFilter:
        """From a QueryDict (or a dict of lists/strings); raises InvalidFilter."""

        def values(key):
            if hasattr(query, "getlist"):
                raw = query.getlist(key)
            else:
                raw = query.get(key) or []
                raw = [raw] if isinstance(raw, str) else list(raw)
            return tuple(dict.fromkeys(v.strip() for v in raw if v and v.strip()))

        def single(key):
            found = values(key)
            return found[-1] if found else ""

        chosen = {key: values(key) for key in LIST_KEYS}
        for key in ("status", "hosting"):
            known = enum_labels(GEBRUIK, "cloudDienstverleningsmodel" if key == "hosting" else key)
            for value in chosen[key]:
                if value not in known:
                    raise InvalidFilter(
                        key,
                        _("Onbekende waarde '%(value)s' voor filter %(key)s; kies uit: %(known)s.")
                        % {"value": value, "key": key, "known": ", ".join(known)},
                    )
        for key in ("leverancier", "referentiecomponent", "voorziening"):
            for value in chosen[key]:
                if not is_uuid(value):
                    raise InvalidFilter(
                        key,
                        _("Filter %(key)s verwacht een uuid, niet '%(value)s'.")
                        % {"key": key, "value": value},
                    )
        herkomst = single("herkomst")
        if herkomst and herkomst not in HERKOMST:
            raise InvalidFilter(
                "herkomst", _("Filter herkomst is 'eigen' of 'samenwerking', niet '%s'.") % herkomst
            )
        sorteer = single("sorteer") or "naam"
        if sorteer not in SORTS:
            raise InvalidFilter(
                "sorteer",
                _("Sorteren kan op: %(sorts)s; niet op '%(value)s'.")
                % {"sorts": ", ".join(SORTS), "value": sorteer},
            )
        return cls(
            zoek=single("zoek")[:200],
            herkomst=herkomst,
            sorteer=sorteer,
            **{key: tuple(sorted(chosen[key])) for key in LIST_KEYS},
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The filter as (key, value) pairs in a fixed order (same filter → same URL)."""
        out = []
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "sorteer" and value == "naam":
                continue
            for item in value if isinstance(value, tuple) else [value]:
                if item:
                    out.append((field.name, item))
        return out

    def querystring(self) -> str:
        return urlencode(self.pairs())

    @property
    def narrows(self) -> bool:
        """Whether the filter leaves rows out (sorting alone does not)."""
        return bool([p for p in self.pairs() if p[0] != "sorteer"])

    def without(self, key: str, value: str | None = None) -> LandscapeFilter:
        """The same filter without one value (or the whole key): the "remove" link."""
        current = getattr(self, key)
        if isinstance(current, tuple):
            return replace(self, **{key: tuple(v for v in current if value and v != value)})
        return replace(self, **{key: ""})


def _module_uuid():
    """The gebruik's application uuid as text, for `IN (subquery)` against modules."""
    return KT("data__module")


def _uuid_text(rows: QuerySet) -> QuerySet:
    return rows.annotate(_u=Cast("uuid", TextField())).values("_u")


def _koppelingen(organisation, actor) -> QuerySet:
    return visible(KOPPELING, actor).filter(
        Q(organisation_id=organisation.pk) | Q(data__deelnemers__contains=[str(organisation.uuid)])
    )


def _condition(flt: LandscapeFilter, organisation, actor) -> Q:
    own = str(organisation.uuid)
    modules = visible(MODULE, actor)
    q = Q()
    if flt.status:
        q &= Q(data__status__in=list(flt.status))
    if flt.hosting:
        q &= Q(data__cloudDienstverleningsmodel__in=list(flt.hosting))
    if flt.herkomst == "eigen":
        q &= Q(data__afnemer=own)
    elif flt.herkomst == "samenwerking":
        q &= ~Q(data__afnemer=own)
    if flt.leverancier:
        supplied = modules.filter(data__aanbieder__in=list(flt.leverancier))
        q &= Q(_module__in=_uuid_text(supplied))
    if flt.referentiecomponent:
        chosen = Q()
        for uuid in flt.referentiecomponent:
            chosen |= Q(data__gebruiktVoorReferentiecomponenten__contains=[uuid])
        unstated = Q(data__gebruiktVoorReferentiecomponenten__isnull=True) | Q(
            data__gebruiktVoorReferentiecomponenten=[]
        )
        implementing = Q()
        for uuid in flt.referentiecomponent:
            implementing |= Q(data__referentieComponenten__contains=[uuid])
        q &= chosen | (unstated & Q(_module__in=_uuid_text(modules.filter(implementing))))
    if flt.voorziening:
        linked = _koppelingen(organisation, actor).filter(
            data__buitengemeentelijkVoorziening__in=list(flt.voorziening)
        )
        q &= Q(_module__in=linked.values(m=KT("data__moduleA"))) | Q(
            _module__in=linked.values(m=KT("data__moduleB"))
        )
    if flt.zoek:
        named = visible_organisations(actor).filter(
            Q(naam__icontains=flt.zoek) | Q(weergavenaam__icontains=flt.zoek)
        )
        by_supplier = modules.filter(
            data__aanbieder__in=[str(u) for u in named.values_list("uuid", flat=True)[:500]]
        )
        q &= Q(title__icontains=flt.zoek) | Q(_module__in=_uuid_text(by_supplier))
    return q


def _supplier_name(actor):
    """Subquery: the display name of the gebruik's application's supplier."""
    aanbieder = visible(MODULE, actor).filter(uuid=Cast(OuterRef(OuterRef("_module")), UUIDField()))
    names = visible_organisations(actor).filter(
        uuid=Cast(Subquery(aanbieder.values(a=KT("data__aanbieder"))[:1]), UUIDField())
    )
    return Subquery(
        names.annotate(_n=Coalesce(NullIf("weergavenaam", Value("")), "naam")).values("_n")[:1]
    )


def _ordered(rows: QuerySet, sorteer: str, actor) -> QuerySet:
    descending = sorteer.startswith("-")
    key = sorteer.lstrip("-")
    if key == "leverancier":
        rows = rows.annotate(_leverancier=_supplier_name(actor))
        column = F("_leverancier")
    elif key == "status":
        order = list(enum_labels(GEBRUIK, "status"))
        column = Case(
            *[When(data__status=value, then=Value(i)) for i, value in enumerate(order)],
            default=Value(len(order)),
        )
    elif key == "hosting":
        column = KT("data__cloudDienstverleningsmodel")
    else:
        column = F("title")
    column = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return rows.order_by(column, "title", "id")


def landscape_gebruik(organisation, actor, flt: LandscapeFilter | None = None) -> QuerySet:
    """The published gebruik of the organisation's landscape that the actor may read,
    filtered and sorted; a lazy queryset (iterate it with `.iterator()` for big exports)."""
    flt = flt or LandscapeFilter()
    own = str(organisation.uuid)
    rows = (
        visible(GEBRUIK, actor)
        .filter(Q(data__afnemer=own) | Q(data__deelnemers__contains=[own]))
        .filter(status="gepubliceerd")
        .annotate(_module=_module_uuid())
    )
    return _ordered(rows.filter(_condition(flt, organisation, actor)), flt.sorteer, actor)


def landscape_koppelingen(organisation, actor, flt: LandscapeFilter | None = None) -> QuerySet:
    """The landscape's koppelingen (own and shared with it); with a narrowing filter only
    those that touch an application of the filtered gebruik."""
    rows = _koppelingen(organisation, actor)
    if flt is not None and flt.narrows:
        used = landscape_gebruik(organisation, actor, flt).order_by().values("_module")
        rows = rows.annotate(_a=KT("data__moduleA"), _b=KT("data__moduleB")).filter(
            Q(_a__in=used) | Q(_b__in=used)
        )
    return rows.order_by("title", "id")


def landscape_modules(organisation, actor, flt: LandscapeFilter | None = None) -> QuerySet:
    """The applications of the (filtered) landscape, each once."""
    used = landscape_gebruik(organisation, actor, flt).order_by().values("_module")
    return (
        visible(MODULE, actor)
        .annotate(_u=Cast("uuid", TextField()))
        .filter(_u__in=used)
        .order_by("title", "id")
    )
