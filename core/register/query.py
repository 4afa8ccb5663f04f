"""Lists of one schema: filters, full-text search, sorting, facets and pages, all in SQL.

Used by the API, the site, exports and the admin, always on top of `visible_to`.
Query keys are the API's (camelCase, Dutch); an unknown key or a field the actor
may not see is an error, never silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, Q, TextField
from django.db.models.expressions import RawSQL

from core.actors import Actor
from core.models import Object
from core.plugins.manager import list_filters
from core.register import access, indexes
from core.register.spec import Property, SchemaSpec

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
RESERVED = {
    "zoek",
    "pagina",
    "paginaGrootte",
    "sorteer",
    "uitbreiden",
    "velden",
    "facetten",
    "formaat",
    "status",
    "eigenaar",
}
BUILTIN_SORTS = {"titel": "title", "aangemaakt": "created_at", "gewijzigd": "updated_at"}


class QueryError(ValueError):
    """Bad query parameters: a list of (parameter, Dutch message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{k}: {m}" for k, m in errors))
        self.errors = errors


@dataclass
class ListQuery:
    zoek: str = ""
    pagina: int = 1
    pagina_grootte: int = DEFAULT_PAGE_SIZE
    sorteer: list[str] = field(default_factory=list)
    uitbreiden: list[str] = field(default_factory=list)
    velden: list[str] = field(default_factory=list)
    facetten: list[str] = field(default_factory=list)
    formaat: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _int(name: str, raw: str, low: int, high: int, errors: list) -> int:
    try:
        value = int(raw)
    except ValueError:
        errors.append((name, "Moet een geheel getal zijn."))
        return low
    if not low <= value <= high:
        errors.append((name, f"Moet tussen {low} en {high} liggen."))
    return max(low, min(value, high))


def visible_property(spec: SchemaSpec, name: str, actor: Actor) -> Property | None:
    """The property if it exists and is visible to the actor on at least some rows."""
    prop = spec.properties.get(name)
    if prop is None or access.field_condition(prop, spec, actor) is None:
        return None
    return prop


def parse(params, spec: SchemaSpec, actor: Actor, extra_keys: set[str] = frozenset()) -> ListQuery:
    """Read query parameters (a QueryDict); raises QueryError with every problem."""
    errors: list[tuple[str, str]] = []
    query = ListQuery()
    plugin_keys = {k for k, f in list_filters().items() if f.applies_to(spec)}
    for key in params:
        values = params.getlist(key)
        if key in {"pagina", "paginaGrootte"}:
            bound = 10_000 if key == "pagina" else MAX_PAGE_SIZE
            number = _int(key, values[-1], 1, bound, errors)
            setattr(query, "pagina" if key == "pagina" else "pagina_grootte", number)
        elif key == "zoek":
            query.zoek = values[-1].strip()[:200]
        elif key in {"sorteer", "uitbreiden", "velden", "facetten"}:
            setattr(query, key, _split(values))
        elif key == "formaat":
            query.formaat = values[-1]
        elif key in {"status", "eigenaar"} or key in plugin_keys or key in extra_keys:
            query.filters[key] = _split(values)
        else:
            prop = visible_property(spec, key, actor)
            if prop is None or not (prop.filterable or prop.facetable):
                errors.append((key, "Onbekende parameter."))
            else:
                query.filters[key] = _split(values)
    for name in query.sorteer:
        bare = name.removeprefix("-")
        if bare in BUILTIN_SORTS or (bare == "relevantie" and query.zoek):
            continue
        prop = visible_property(spec, bare, actor)
        if prop is None or not prop.sortable:
            errors.append(("sorteer", f"Kan niet sorteren op {bare!r}."))
    for name in query.facetten:
        prop = visible_property(spec, name, actor)
        if prop is None or not prop.facetable:
            errors.append(("facetten", f"Geen facet {name!r}."))
    for name in query.uitbreiden:
        prop = visible_property(spec, name, actor)
        if prop is None or not prop.relation:
            errors.append(("uitbreiden", f"Geen relatie {name!r}."))
    for name in query.velden:
        if visible_property(spec, name, actor) is None:
            errors.append(("velden", f"Onbekend veld {name!r}."))
    if errors:
        raise QueryError(errors)
    return query


def _typed(prop: Property, value: str):
    item_type = prop.definition.get("items", {}).get("type") if prop.many else prop.type
    if item_type == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if item_type == "boolean":
        return value.lower() in {"true", "ja", "1"}
    return value


def apply_filters(qs, query: ListQuery, spec: SchemaSpec, schema_id: int, actor: Actor):
    for key, values in query.filters.items():
        if key == "status":
            qs = qs.filter(status__in=values)
        elif key == "eigenaar":
            qs = qs.filter(organisation__uuid__in=[v for v in values if _uuidish(v)])
        elif key in list_filters() and key not in spec.properties:
            qs = qs.filter(
                list_filters()[key].condition(value=",".join(values), spec=spec, actor=actor)
            )
        else:
            prop = spec.properties[key]
            qs = qs.filter(access.field_condition(prop, spec, actor))
            if prop.many:
                q = Q()
                for value in values:
                    q |= Q(data__contains={prop.name: [_typed(prop, value)]})
                qs = qs.filter(q)
            else:
                # the generated facet column when there is one, else the indexed expression
                sql = (
                    f"core_object.{indexes.facet_column(schema_id, prop)}"
                    if prop.facetable and not prop.filterable
                    else indexes.text_expression(prop)
                )
                expr = RawSQL(sql, [], output_field=TextField())
                qs = qs.alias(**{f"_f_{key}": expr}).filter(**{f"_f_{key}__in": values})
    return qs


def _uuidish(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def base_queryset(entry, actor: Actor):
    return access.visible_to(
        Object.objects.filter(schema_id=entry.schema.pk), {entry.schema.pk: entry.spec}, actor
    )


def filtered(entry, query: ListQuery, actor: Actor):
    """Visible, filtered and searched rows (unsorted), for lists, counts, facets and exports."""
    qs = apply_filters(base_queryset(entry, actor), query, entry.spec, entry.schema.pk, actor)
    if query.zoek:
        qs = qs.filter(
            search_vector=SearchQuery(query.zoek, search_type="websearch", config="dutch")
        )
    return qs


def ordered(qs, query: ListQuery, entry, actor: Actor):
    keys = query.sorteer or (["relevantie"] if query.zoek else ["titel"])
    order = []
    for key in keys:
        desc = key.startswith("-")
        bare = key.removeprefix("-")
        if bare == "relevantie":
            rank = SearchRank(
                F("search_vector"), SearchQuery(query.zoek, search_type="websearch", config="dutch")
            )
            qs = qs.annotate(_rank=rank)
            order.append(F("_rank").asc() if desc else F("_rank").desc())
            continue
        if bare in BUILTIN_SORTS:
            expr = F(BUILTIN_SORTS[bare])
        else:
            prop = entry.spec.properties[bare]
            condition = access.field_condition(prop, entry.spec, actor)
            name = f"_s_{bare}"
            qs = qs.alias(
                **{name: RawSQL(indexes.sort_expression(prop), [], output_field=TextField())}
            )
            if condition != Q():
                qs = qs.alias(**{f"{name}_ok": _case(condition)})
                order.append(F(f"{name}_ok").desc())
            expr = F(name)
        order.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
    order.append(F("id").asc())
    return qs.order_by(*order)


def _case(condition: Q):
    from django.db.models import BooleanField, Case, Value, When

    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def page(qs, query: ListQuery):
    start = (query.pagina - 1) * query.pagina_grootte
    return qs[start : start + query.pagina_grootte]


def facets(qs, query: ListQuery, entry, actor: Actor) -> dict[str, list[dict]]:
    """Exact counts per value over the filtered rows, through the typed facet columns."""
    result = {}
    for name in query.facetten:
        prop = entry.spec.properties[name]
        column = indexes.facet_column(entry.schema.pk, prop)
        facet_qs = qs.filter(access.field_condition(prop, entry.spec, actor)).order_by()
        raw = RawSQL(f"core_object.{column}", [], output_field=TextField())
        value = Func(raw, function="unnest", output_field=TextField()) if prop.many else raw
        inner, params = facet_qs.annotate(_v=value).values("_v").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT _v, count(*) FROM ({inner}) AS facet WHERE _v IS NOT NULL "
                "GROUP BY _v ORDER BY 2 DESC, 1",
                params,
            )
            rows = [{"_v": v, "_n": n} for v, n in cursor.fetchall()]
        result[name] = [
            {
                "waarde": row["_v"],
                "label": prop.enum_labels.get(row["_v"], row["_v"]),
                "aantal": row["_n"],
            }
            for row in rows
        ]
    return result
