"""Lists of one schema: filters, full-text search, sorting, facets and pages, all in SQL.

Used by the API, the site, exports and the admin, always on top of `visible_to`.
Query keys are the API's (camelCase, Dutch); an unknown key or a field the actor
may not see is an error, never silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Func, Q, TextField, When
from django.db.models.expressions import RawSQL

from core.actors import Actor
from core.models import Object
from core.plugins.manager import list_filters
from core.register import access, indexes
from core.register.spec import Property, SchemaSpec
from core.register.validation import is_uuid

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
    "publicatiestatus",
    "eigenaar",
}
BUILTIN_SORTS = {"titel": "title", "aangemaakt": "created_at", "gewijzigd": "updated_at"}
TEXTS = ArrayField(TextField())  # the type of a typed list column


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
        elif key in {"publicatiestatus", "eigenaar"} or key in plugin_keys or key in extra_keys:
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
    errors += _bad_filter_values(query.filters, spec)
    if errors:
        raise QueryError(errors)
    return query


def _bad_filter_values(filters: dict[str, list[str]], spec: SchemaSpec) -> list:
    """Values a filter can never match are a mistake worth telling, not an empty list."""
    errors = []
    for key, values in filters.items():
        if key == "publicatiestatus":
            allowed = ["concept", "gepubliceerd"]
        elif key == "eigenaar" or (key in spec.properties and spec.properties[key].relation):
            bad = [v for v in values if not is_uuid(v)]
            if bad:
                errors.append((key, "Verwacht een uuid."))
            continue
        elif key in spec.properties and spec.properties[key].enum:
            allowed = [str(v) for v in spec.properties[key].enum]
        else:
            continue
        bad = [v for v in values if v not in allowed]
        if bad:
            errors.append((key, "Kies uit: " + ", ".join(allowed) + "."))
    return errors


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
        if key == "publicatiestatus":
            qs = qs.filter(status__in=values)
        elif key == "eigenaar":
            qs = qs.filter(organisation__uuid__in=[v for v in values if is_uuid(v)])
        elif key in list_filters() and key not in spec.properties:
            qs = qs.filter(
                list_filters()[key].condition(value=",".join(values), spec=spec, actor=actor)
            )
        else:
            prop = spec.properties[key]
            qs = qs.filter(access.field_condition(prop, spec, actor))
            if prop.many and indexes.has_column(prop):
                # any of the values (`&&`), on the typed list column: its per-schema GIN
                # index, or the b-tree indexes that include it (counts read no rows)
                column = RawSQL(
                    f"core_object.{indexes.facet_column(schema_id, prop)}", [], output_field=TEXTS
                )
                qs = qs.filter(TEXTS.get_lookup("overlap")(column, [str(v) for v in values]))
            elif prop.many:
                q = Q()
                for value in values:
                    q |= Q(data__contains={prop.name: [_typed(prop, value)]})
                qs = qs.filter(q)
            else:
                # the typed facet column when there is one (its index also counts the rows
                # index-only), else the indexed expression; both hold `data ->> name`
                sql = (
                    f"core_object.{indexes.facet_column(schema_id, prop)}"
                    if prop.facetable
                    else indexes.text_expression(prop)
                )
                expr = RawSQL(sql, [], output_field=TextField())
                qs = qs.alias(**{f"_f_{key}": expr}).filter(**{f"_f_{key}__in": values})
    return qs


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


def _narrow(query: ListQuery, spec: SchemaSpec) -> bool:
    """Filters that pick few rows: a relation target, an owner or a search term."""
    return bool(query.zoek) or any(
        key == "eigenaar" or (key in spec.properties and spec.properties[key].relation)
        for key in query.filters
    )


def _unindexed(sql: str, numeric: bool) -> RawSQL:
    """The same order in a form no index matches: the planner then sorts the few
    filtered rows instead of walking a sort index in the hope that matches come early
    (they come late when the filter and the order are correlated, such as a product
    and titles that start with the product's name)."""
    return RawSQL(f"({sql} + 0)" if numeric else f"({sql} || '')", [], output_field=TextField())


def ordered(qs, query: ListQuery, entry, actor: Actor):
    keys = query.sorteer or (["relevantie"] if query.zoek else ["titel"])
    narrow = _narrow(query, entry.spec)
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
        if bare == "titel" and narrow:
            qs = qs.alias(_s_titel=_unindexed("core_object.title", numeric=False))
            expr = F("_s_titel")
        elif bare in BUILTIN_SORTS:
            expr = F(BUILTIN_SORTS[bare])
        else:
            prop = entry.spec.properties[bare]
            condition = access.field_condition(prop, entry.spec, actor)
            name = f"_s_{bare}"
            sql = indexes.sort_expression(prop)
            qs = qs.alias(
                **{
                    name: _unindexed(sql, prop.type in {"integer", "number"})
                    if narrow
                    else RawSQL(sql, [], output_field=TextField())
                }
            )
            expr = F(name)
            if condition != Q():  # hidden values sort as empty, so their order reveals nothing
                qs = qs.alias(**{f"{name}_zichtbaar": Case(When(condition, then=expr))})
                expr = F(f"{name}_zichtbaar")
        order.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
    order.append(F("id").asc())
    return qs.order_by(*order)


def page(qs, query: ListQuery):
    start = (query.pagina - 1) * query.pagina_grootte
    return qs[start : start + query.pagina_grootte]


def facets(qs, query: ListQuery, entry, actor: Actor) -> dict[str, list[dict]]:
    """Exact counts per value over the filtered rows, through the typed facet columns.

    Single-valued facets whose field every row shows are counted in one pass over the
    rows (one scan instead of one per facet); lists and fields with an audience are
    counted on their own.
    """
    counts: dict[str, list] = {}
    shared = []
    for name in query.facetten:
        prop = entry.spec.properties[name]
        condition = access.field_condition(prop, entry.spec, actor)
        if not prop.many and condition == Q():
            shared.append(prop)
            continue
        column = indexes.facet_column(entry.schema.pk, prop)
        facet_qs = qs.filter(condition).order_by()
        raw = RawSQL(f"core_object.{column}", [], output_field=TextField())
        value = Func(raw, function="unnest", output_field=TextField()) if prop.many else raw
        inner, params = facet_qs.annotate(_v=value).values("_v").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT _v, count(*) FROM ({inner}) AS facet WHERE _v IS NOT NULL "
                "GROUP BY _v ORDER BY 2 DESC, 1",
                params,
            )
            counts[name] = cursor.fetchall()
    if shared:
        counts.update(_shared_facets(qs, shared, entry.schema.pk))
    return {
        name: [
            {"waarde": v, "label": entry.spec.properties[name].enum_labels.get(v, v), "aantal": n}
            for v, n in counts[name]
        ]
        for name in query.facetten
    }


def _shared_facets(qs, props: list[Property], schema_id: int) -> dict[str, list]:
    """(value, count) per facet in one pass: each row is unpivoted into (facet, value)."""
    columns = {
        f"_v{i}": RawSQL(
            f"core_object.{indexes.facet_column(schema_id, prop)}", [], output_field=TextField()
        )
        for i, prop in enumerate(props)
    }
    inner, params = qs.order_by().annotate(**columns).values(*columns).query.sql_with_params()
    pairs = ", ".join(f"({i}, _v{i})" for i in range(len(props)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT _k, _v, count(*) FROM ({inner}) AS facet CROSS JOIN LATERAL "
            f"(VALUES {pairs}) AS x(_k, _v) WHERE _v IS NOT NULL GROUP BY _k, _v "
            "ORDER BY 1, 3 DESC, 2",
            params,
        )
        rows = cursor.fetchall()
    return {prop.name: [(v, n) for k, v, n in rows if k == i] for i, prop in enumerate(props)}
