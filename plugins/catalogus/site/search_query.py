"""The questions behind /zoeken, in SQL, always on top of what the actor may see.

Three kinds of result: applicaties (catalogus/module), diensten (catalogus/dienst) and
organisaties. Each kind is a queryset that starts from `visible(...)` or
`visible_organisations(...)`; a filter that does not apply to a kind removes that kind.

Facet counts are disjunctive: a facet's counts apply every active filter except its own,
so a count is the number of results the search gets when that value is the facet's only
choice (values within a facet are "or", facets are "and"). Facets without a choice of their
own share one pass per kind; each facet with a choice costs one more pass over its kinds.
A pass is one statement: the kind's rows once (a materialised CTE of ids and the typed facet
columns), the count and every facet's GROUP BY over them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q, TextField, UUIDField
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from core.plugins.site import typed_column, visible, visible_organisations
from plugins.catalogus.site.search_params import (
    APPLICATIE,
    DIENST,
    FACET_BY_KEY,
    FACETS,
    KINDS,
    ORGANISATIE,
    PAGE_SIZE,
    SearchParams,
)

SCHEMAS = {APPLICATIE: "catalogus/module", DIENST: "catalogus/dienst"}
# facet key → (data property, is a list) per kind of object
FACET_PROPS = {
    APPLICATIE: {
        "aanbieder": ("aanbieder", False),
        "referentiecomponent": ("referentieComponenten", True),
        "licentie": ("licentietype", False),
        "hosting": ("cloudDienstverleningsmodel", True),
    },
    DIENST: {"aanbieder": ("aanbieder", False), "diensttype": ("type", True)},
}
LEVERANCIER = "Leverancier"
ONDERSTEUND = "Ondersteund"


def _value_sql(kind: str, prop: str, many: bool) -> str:
    column = typed_column(SCHEMAS[kind], prop)
    if column:
        return f"core_object.{column}"
    name = "'" + prop + "'"
    if many:
        return (
            f"ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof("
            f"core_object.data -> {name}) = 'array' THEN core_object.data -> {name} END))"
        )
    return f"(core_object.data ->> {name})"


def _text_query(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config="dutch")


def _words(q: str) -> list[str]:
    """The words of a websearch query an organisation name must contain (no operators)."""
    words = []
    for word in re.split(r"\s+", q.replace('"', " ")):
        if word and not word.startswith("-") and word.lower() != "or":
            words.append(word)
    return words


def supported_modules(standaardversies: list[str], actor):
    """Uuids (text) of applications with a visible "Ondersteund" compliancy row for one of
    these standaardversies."""
    rows = supported(actor).alias(_sv=KT("data__standaardversie"))
    rows = rows.filter(_sv__in=standaardversies)
    return rows.values(u=Cast(KT("data__module"), UUIDField()))


def supported(actor, typed: bool = False):
    """The visible compliancy rows that say "Ondersteund". `typed` reads the typed column,
    only for SQL used as it is: inside a Django subquery the table gets another alias,
    which raw SQL cannot follow."""
    rows = visible("catalogus/compliancy", actor)
    column = typed_column("catalogus/compliancy", "ondersteuning") if typed else None
    if column is None:
        return rows.filter(data__ondersteuning=ONDERSTEUND)
    condition = RawSQL(f"core_object.{column}", [], output_field=TextField())
    return rows.alias(_o=condition).filter(_o=ONDERSTEUND)


# --- the rows of one kind ------------------------------------------------------------


def applies(kind: str, filters: dict[str, list[str]]) -> bool:
    """Whether this kind can match: every active facet applies to it."""
    return all(kind in FACET_BY_KEY[key].kinds for key in filters if key != "type")


def kind_rows(kind: str, params: SearchParams, filters: dict[str, list[str]], actor):
    """The visible rows of one kind that match the text and `filters` (without "type")."""
    if kind == ORGANISATIE:
        rows = visible_organisations(actor)
        for word in _words(params.q):
            rows = rows.filter(Q(naam__icontains=word) | Q(weergavenaam__icontains=word))
        if params.q and not _words(params.q):
            # nothing to match; written as SQL (an empty queryset cannot become a union part)
            rows = rows.filter(pk__isnull=True)
        if "organisatietype" in filters:
            rows = rows.filter(type__in=filters["organisatietype"])
        return rows
    rows = visible(SCHEMAS[kind], actor)
    if params.q:
        rows = rows.filter(search_vector=_text_query(params.q))
    for key, values in filters.items():
        if key == "type":
            continue
        if key == "standaard":
            rows = rows.filter(uuid__in=supported_modules(values, actor))
            continue
        prop, many = FACET_PROPS[kind][key]
        if many:
            condition = Q()
            for value in values:
                condition |= Q(data__contains={prop: [value]})
            rows = rows.filter(condition)
        else:
            rows = rows.alias(**{f"_f_{key}": KT(f"data__{prop}")}).filter(
                **{f"_f_{key}__in": values}
            )
    return rows


# --- counting --------------------------------------------------------------------------


@dataclass
class Counts:
    total: int
    facets: dict[str, Counter]  # facet key → value → count


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count_pass(kind: str, rows, wanted: list[str], params: SearchParams, actor) -> Counts:
    """The number of rows and the counts of the `wanted` facets, in one statement."""
    if kind == ORGANISATIE:
        found = rows.order_by().values_list("type").annotate(n=Count("id"))
        by_type = Counter(dict(found))
        facets = {"organisatietype": by_type} if "organisatietype" in wanted else {}
        return Counts(sum(by_type.values()), facets)
    annotations = {}
    for key in wanted:
        if key in FACET_PROPS[kind] and key != "aanbieder":
            prop, many = FACET_PROPS[kind][key]
            annotations[f"_v_{key}"] = RawSQL(_value_sql(kind, prop, many), [])
    inner = rows.order_by().annotate(**annotations).values("id", "uuid", *annotations)
    base_sql, args = inner.query.sql_with_params()
    args = list(args)
    parts = ["SELECT 'n', NULL::text, count(*) FROM base"]
    for key in wanted:
        if key == "standaard":
            # a semi-join on the module's uuid (hashed: the CTE's row estimate is useless
            # for a nested loop); cheaper than two hops through the relation index
            # (measured: 21 against 60 ms at scale 1)
            c_sql, c_args = (
                supported(actor, typed=True)
                .values(sv=KT("data__standaardversie"), m=KT("data__module"))
                .query.sql_with_params()
            )
            parts.append(
                f"SELECT 'standaard', c.sv, count(DISTINCT c.m) FROM ({c_sql}) AS c"
                " WHERE c.m IN (SELECT base.uuid::text FROM base) GROUP BY 2"
            )
            args += list(c_args)
        elif key == "aanbieder":
            orgs_sql, o_args = visible_organisations(actor).values("id").query.sql_with_params()
            parts.append(
                "SELECT 'aanbieder', o.uuid::text, count(*) FROM base"
                " JOIN core_objectrelation r ON r.source_id = base.id AND r.property = 'aanbieder'"
                " JOIN core_organisation o ON o.id = r.target_organisation_id"
                f" WHERE o.type = %s AND o.id IN ({orgs_sql}) GROUP BY 2"
            )
            args += [LEVERANCIER, *o_args]
        elif key in FACET_PROPS[kind] and FACET_PROPS[kind][key][1]:
            parts.append(f"SELECT %s, v, count(*) FROM base, unnest(base._v_{key}) AS v GROUP BY 2")
            args.append(key)
        elif key in FACET_PROPS[kind]:
            parts.append(
                f"SELECT %s, base._v_{key}, count(*) FROM base"
                f" WHERE base._v_{key} IS NOT NULL GROUP BY 2"
            )
            args.append(key)
    sql = f"WITH base AS MATERIALIZED ({base_sql}) " + " UNION ALL ".join(parts)
    total = 0
    facets: dict[str, Counter] = {key: Counter() for key in wanted}
    for name, value, n in _run(sql, args):
        if name == "n":
            total = n
        elif value is not None:
            facets[name][value] += n
    return Counts(total, facets)


@dataclass
class Outcome:
    total: int
    kind_counts: dict[str, int]  # for the type facet (all filters but "type")
    facets: dict[str, Counter]
    kinds: list[str]  # kinds in the results


def count(params: SearchParams, actor) -> Outcome:
    """Totals and facet counts (disjunctive, see the module docstring)."""
    filters = params.filters
    chosen_kinds = filters.get("type", list(KINDS))
    kinds = [k for k in KINDS if k in chosen_kinds and applies(k, filters)]
    facets: dict[str, Counter] = {f.key: Counter() for f in FACETS if f.key != "type"}
    kind_counts: dict[str, int] = {}
    for kind in KINDS:
        if not applies(kind, filters):
            kind_counts[kind] = 0
            continue
        shared = [
            f.key
            for f in FACETS
            if kind in f.kinds and f.key not in filters and f.key != "type" and kind in kinds
        ]
        counted = count_pass(kind, kind_rows(kind, params, filters, actor), shared, params, actor)
        kind_counts[kind] = counted.total
        for key, values in counted.facets.items():
            facets[key].update(values)
    for key in filters:
        if key == "type":
            continue
        others = params.without(key)
        for kind in FACET_BY_KEY[key].kinds:
            if kind not in others.get("type", KINDS) or not applies(kind, others):
                continue
            counted = count_pass(kind, kind_rows(kind, params, others, actor), [key], params, actor)
            facets[key].update(counted.facets[key])
    total = sum(kind_counts[k] for k in kinds)
    return Outcome(total, kind_counts, facets, kinds)


# --- the page --------------------------------------------------------------------------


def page_rows(params: SearchParams, kinds: list[str], page: int, actor) -> list[tuple[str, int]]:
    """(kind, id) of one page over all kinds: by name (then id), or relevance first.

    Each kind gives only its first `page × 20` rows in that order, so by name an
    application list walks the (schema, title, id) index and stops early instead of
    sorting every row; the union of those few is then sorted. Name order is the
    database's (byte-wise, so a lowercase initial sorts after Z): the index that makes
    this fast holds the title as it is."""
    if not kinds:
        return []
    enough = page * PAGE_SIZE
    branches, args = [], []
    for i, kind in enumerate(kinds):
        rows = kind_rows(kind, params, params.filters, actor).order_by()
        if kind == ORGANISATIE:
            rows = rows.annotate(
                _k=RawSQL("%s::text", [kind]),
                _name=RawSQL(
                    "coalesce(nullif(core_organisation.weergavenaam, ''), core_organisation.naam)",
                    [],
                ),
                _rank=_organisation_rank(params.q),
            )
        else:
            rows = rows.annotate(
                _k=RawSQL("%s::text", [kind]),
                _name=F("title"),
                _rank=SearchRank(F("search_vector"), _text_query(params.q))
                if params.relevance
                else RawSQL("0::float", []),
            )
        sql, branch_args = rows.values("_k", "id", "_name", "_rank").query.sql_with_params()
        # with a search text the few matches are sorted; walking the title index in the
        # hope that matches come early is slow for a rare word
        name = "(_name || '')" if params.q and kind != ORGANISATIE else "_name"
        order = f"_rank DESC, {name}, id" if params.relevance else f"{name}, id"
        branches.append(f"(SELECT * FROM ({sql}) AS b{i} ORDER BY {order} LIMIT {enough})")
        args += list(branch_args)
    order = "_rank DESC, _name, id, _k" if params.relevance else "_name, id, _k"
    sql = (
        f"SELECT _k, id FROM ({' UNION ALL '.join(branches)}) AS results"
        f" ORDER BY {order} LIMIT %s OFFSET %s"
    )
    return _run(sql, [*args, PAGE_SIZE, (page - 1) * PAGE_SIZE])


def _organisation_rank(q: str) -> RawSQL:
    """Organisations have no text vector: a whole-name match ranks first, then a name that
    starts with the text, then the rest (ts_rank of objects lies between 0 and 1)."""
    if not q:
        return RawSQL("0::float", [])
    name = "lower(coalesce(nullif(core_organisation.weergavenaam, ''), core_organisation.naam))"
    text = q.lower()
    return RawSQL(
        f"CASE WHEN {name} = %s OR lower(core_organisation.naam) = %s THEN 1.0"
        f" WHEN {name} LIKE %s THEN 0.5 ELSE 0.05 END",
        [text, text, text.replace("%", r"\%").replace("_", r"\_") + "%"],
    )
