"""Database structures derived from schemas, so a new type is fast without code.

- filterable: a partial expression index per schema plus expression statistics,
  without which the planner misjudges `data->>'x'` (DESIGN §9);
- facetable, and filterable lists of strings: a stored generated column (`text`, or
  `text[]` for lists) with an index: b-tree on (column, status, owner) including the row
  id and the other typed columns, so counts under filters and access rules are
  index-only scans; GIN for lists (`&&`, any of the values);
- sortable: two expression indexes, ascending and descending (both with empty values
  last), that serve ORDER BY ... LIMIT in either direction;
- access: status, owner and id of every row in an index (with the typed columns), so
  counts and facets under an access policy need not visit the table: the facet indexes
  above, or for a schema without a single-valued facet an index of its own.

Index names carry a hash of their definition: a changed definition gets a new index,
and `apply` drops the indexes of a schema that its current version no longer derives.
"""

from __future__ import annotations

import hashlib
import re

from django.db import connection

from core.register.spec import Property, SchemaSpec

TABLE = "core_object"
KINDS = ("ix", "ixf", "ixo", "ixd", "ixa")  # prefixes of the indexes made here
# A list column is copied into b-tree indexes only when its values are bounded (an enum
# of short strings): an index row must stay far below PostgreSQL's ~2 700 byte limit.
MAX_INCLUDED_ARRAY_BYTES = 400


def _ident(*parts: str) -> str:
    name = "_".join(re.sub(r"[^a-z0-9]", "", p.lower()) for p in parts)
    if len(name) > 60:
        name = name[:50] + hashlib.sha1(name.encode()).hexdigest()[:10]
    return name


def _named(kind: str, schema_id: int, parts: list[str], definition: str) -> str:
    """`<kind>_<schema>_<parts>_<hash of the definition>` (at most 63 characters)."""
    digest = hashlib.sha1(definition.encode()).hexdigest()[:8]
    return f"{_ident(kind, str(schema_id), *parts)[:54]}_{digest}"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def facet_column(schema_id: int, prop: Property) -> str:
    """The typed column of a facetable property or a filterable list of strings."""
    return _ident("f", str(schema_id), prop.name)


def string_items(prop: Property) -> bool:
    """A list whose items are strings (so `data @> {p: [v]}` equals `v = ANY(column)`)."""
    items = prop.definition.get("items") or {}
    if "type" in items:
        return items["type"] == "string"
    return bool(items.get("enum")) and all(isinstance(v, str) for v in items["enum"])


def has_column(prop: Property) -> bool:
    return prop.facetable or (prop.filterable and prop.many and string_items(prop))


def typed_columns(spec: SchemaSpec) -> list[Property]:
    return [p for p in spec.properties.values() if has_column(p)]


def _bounded(prop: Property) -> bool:
    """A list with few, short values: small enough to copy into b-tree index rows."""
    items = prop.definition.get("items") or {}
    values = items.get("enum") or []
    if not values or not all(isinstance(v, str) for v in values):
        return False
    count = len(values) if prop.definition.get("uniqueItems") else None
    if prop.definition.get("maxItems") is not None:
        count = min(count or prop.definition["maxItems"], prop.definition["maxItems"])
    if count is None:
        return False
    return count * (max(len(v.encode()) for v in values) + 4) <= MAX_INCLUDED_ARRAY_BYTES


def text_expression(prop: Property) -> str:
    return f"(data ->> {_literal(prop.name)})"


def sort_expression(prop: Property) -> str:
    """Numbers sort as numbers (a text sort puts 1200 before 200)."""
    if prop.type in {"integer", "number"}:
        return f"(({text_expression(prop)})::numeric)"
    return text_expression(prop)


def _facet_expression(schema_id: int, prop: Property) -> str:
    if prop.many:
        value = f"swc_jsonb_text_array(data -> {_literal(prop.name)})"
    else:
        value = text_expression(prop)
    return f"CASE WHEN schema_id = {int(schema_id)} THEN {value} END"


FUNCTIONS = """
CREATE OR REPLACE FUNCTION swc_jsonb_text_array(value jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(value) = 'array'
    THEN ARRAY(SELECT jsonb_array_elements_text(value)) END
$$;
"""


def indexes(schema_id: int, spec: SchemaSpec) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every index derived from this schema."""
    sid = int(schema_id)
    where = f"WHERE schema_id = {sid}"
    result = []

    def add(kind: str, parts: list[str], definition: str) -> None:
        name = _named(kind, sid, parts, definition)
        result.append((name, f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} {definition}"))

    for prop in spec.by_flag("filterable"):
        if has_column(prop) or prop.many:
            continue  # typed column; lists of other types: containment on the jsonb GIN
        add("ix", [prop.name], f"({text_expression(prop)}) {where}")
    for prop in spec.by_flag("sortable"):
        expression = sort_expression(prop)
        add("ixo", [prop.name], f"({expression}, id) {where}")
        add("ixd", [prop.name], f"({expression} DESC NULLS LAST, id) {where}")
    typed = typed_columns(spec)
    single = [facet_column(sid, p) for p in typed if not p.many]
    included = single + [facet_column(sid, p) for p in typed if p.many and _bounded(p)]
    for prop in typed:
        column = facet_column(sid, prop)
        if prop.many:
            add("ixf", [prop.name], f"USING gin ({column}) {where}")
        else:
            # status and owner for access rules, id for rules through the relation index,
            # the other typed columns for combined filters: counts read this index only
            others = ", ".join(["id"] + [c for c in included if c != column])
            key = f"({column}, status, organisation_id)"
            add("ixf", [prop.name], f"{key} INCLUDE ({others}) {where}")
    # Access: status, owner and id (rules through the relation index look up ids) of
    # every row, so counts and facets under any policy can be read from an index alone.
    # Each single-valued facet's index already holds all of these for every row of the
    # schema (PostgreSQL 18 skips through its first column for a status or owner), so
    # only a schema without one gets an index of its own.
    if not single:
        include = f" INCLUDE ({', '.join(included)})" if included else ""
        add("ixa", [], f"(status, organisation_id, id){include} {where}")
    return result


def statements(schema_id: int, spec: SchemaSpec) -> list[str]:
    sid = int(schema_id)
    result = [FUNCTIONS]
    for prop in typed_columns(spec):
        sql_type = "text[]" if prop.many else "text"
        result.append(
            f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {facet_column(sid, prop)} {sql_type} "
            f"GENERATED ALWAYS AS ({_facet_expression(sid, prop)}) STORED"
        )
    for prop in spec.by_flag("filterable"):
        if not has_column(prop) and not prop.many:
            expr = text_expression(prop)
            result.append(
                f"CREATE STATISTICS IF NOT EXISTS {_ident('st', prop.name)} "
                f"ON ({expr}) FROM {TABLE}"
            )
    result += [statement for _name, statement in indexes(sid, spec)]
    return result


def stale(schema_id: int, spec: SchemaSpec, existing: list[str]) -> list[str]:
    """Indexes of this schema (by their name) that its current version no longer derives."""
    pattern = re.compile(rf"^({'|'.join(KINDS)})_{int(schema_id)}(_|$)")
    wanted = {name for name, _statement in indexes(schema_id, spec)}
    return sorted(n for n in existing if pattern.match(n) and n not in wanted)


def apply(schema_id: int, spec: SchemaSpec) -> None:
    with connection.cursor() as cursor:
        for statement in statements(schema_id, spec):
            cursor.execute(statement)
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])
        for name in stale(schema_id, spec, [row[0] for row in cursor.fetchall()]):
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
