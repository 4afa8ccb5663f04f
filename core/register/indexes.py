"""Database structures derived from schemas, so a new type is fast without code.

- filterable: a partial expression index per schema plus expression statistics,
  without which the planner misjudges `data->>'x'` (DESIGN §9);
- facetable: a stored generated column with a b-tree index, so exact facet counts
  are index-only scans;
- sortable: an expression index that serves ORDER BY ... LIMIT;
- access: one index over status, owner and id (plus the facet columns), so counts
  and facets under an access policy need not visit the table.
All statements are idempotent (`IF NOT EXISTS`).
"""

from __future__ import annotations

import hashlib
import re

from django.db import connection

from core.register.spec import Property, SchemaSpec

TABLE = "core_object"


def _ident(*parts: str) -> str:
    name = "_".join(re.sub(r"[^a-z0-9]", "", p.lower()) for p in parts)
    if len(name) > 60:
        name = name[:50] + hashlib.sha1(name.encode()).hexdigest()[:10]
    return name


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def facet_column(schema_id: int, prop: Property) -> str:
    return _ident("f", str(schema_id), prop.name)


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


def statements(schema_id: int, spec: SchemaSpec) -> list[str]:
    sid = int(schema_id)
    result = [FUNCTIONS]
    for prop in spec.by_flag("filterable"):
        if prop.many:
            continue  # arrays filter by containment on the jsonb_path_ops GIN index
        if prop.facetable:
            continue  # filtered through its facet column and that column's index
        expr = text_expression(prop)
        result.append(
            f"CREATE INDEX IF NOT EXISTS {_ident('ix', str(sid), prop.name)} "
            f"ON {TABLE} ({expr}) WHERE schema_id = {sid}"
        )
        result.append(
            f"CREATE STATISTICS IF NOT EXISTS {_ident('st', prop.name)} ON ({expr}) FROM {TABLE}"
        )
    for prop in spec.by_flag("sortable"):
        result.append(
            f"CREATE INDEX IF NOT EXISTS {_ident('ixo', str(sid), prop.name)} "
            f"ON {TABLE} ({sort_expression(prop)}, id) WHERE schema_id = {sid}"
        )
    for prop in spec.by_flag("facetable"):
        column = facet_column(sid, prop)
        sql_type = "text[]" if prop.many else "text"
        result.append(
            f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {column} {sql_type} "
            f"GENERATED ALWAYS AS ({_facet_expression(sid, prop)}) STORED"
        )
        method = "GIN" if prop.many else "btree"
        columns = column if prop.many else f"{column}, status, organisation_id"
        result.append(
            f"CREATE INDEX IF NOT EXISTS {_ident('ixf', str(sid), prop.name)} "
            f"ON {TABLE} USING {method} ({columns}) WHERE schema_id = {sid}"
        )
    # Access: status, owner and id (rules through the relation index look up ids) of
    # every row, with the single-valued facet columns, so counts and facets under any
    # policy can be read from this index alone. Named after its columns: a version
    # with other facets gets its own.
    facets = [facet_column(sid, p) for p in spec.by_flag("facetable") if not p.many]
    include = f" INCLUDE ({', '.join(facets)})" if facets else ""
    result.append(
        f"CREATE INDEX IF NOT EXISTS {_ident('ixa', str(sid), *facets)} "
        f"ON {TABLE} (status, organisation_id, id){include} WHERE schema_id = {sid}"
    )
    return result


def apply(schema_id: int, spec: SchemaSpec) -> None:
    with connection.cursor() as cursor:
        for statement in statements(schema_id, spec):
            cursor.execute(statement)
