"""The SQL floor: each question of the mix written by hand as plain SQL, no application code.

Same rows, same access rules (anonymous: published and the owner is Actief; the gemeente:
published, its own, or reached through the relation index), same order and page, using
the typed columns and indexes a DBA would use. Our figures are quoted as a ratio to these.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE = 20
ROW_JOIN = "JOIN core_organisation g ON g.id = o.organisation_id"


@dataclass
class Floor:
    schema_id: int
    columns: dict[str, str]  # facetable property or filterable list -> generated column
    organisation_id: int | None  # None: anonymous
    sorts: dict[str, str]  # sortable property -> its sort expression (numbers as numbers)
    lists: frozenset[str] = frozenset()  # the columns in `columns` that are text[]

    def access(self) -> tuple[str, list]:
        base = "o.schema_id = %s AND o.status <> 'gearchiveerd'"
        if self.organisation_id is None:
            return base + " AND o.status = 'gepubliceerd' AND g.status = 'Actief'", [self.schema_id]
        org = self.organisation_id
        return (
            base + " AND (o.status = 'gepubliceerd' OR o.organisation_id = %s"
            " OR EXISTS (SELECT 1 FROM core_objectrelation r WHERE r.source_id = o.id"
            "   AND r.property = 'deelnemers' AND r.target_organisation_id = %s)"
            " OR EXISTS (SELECT 1 FROM core_objectrelation r JOIN core_objectrelation r2"
            "   ON r2.source_id = r.target_object_id WHERE r.source_id = o.id"
            "   AND r.property = 'product' AND r2.property = 'aanbieder'"
            "   AND r2.target_organisation_id = %s))",
            [self.schema_id, org, org, org],
        )

    def where(self, params: dict) -> tuple[str, list]:
        sql, args = self.access()
        parts = [sql]
        for key, value in params.items():
            if key in {"pagina", "sorteer", "facetten", "zoek", "paginaGrootte"}:
                continue
            if key == "publicatiestatus":
                parts.append("o.status = %s")
            elif key in self.columns and key in self.lists:
                parts.append(f"o.{self.columns[key]} && ARRAY[%s]::text[]")
            elif key in self.columns:
                parts.append(f"o.{self.columns[key]} = %s")
            else:
                parts.append(f"(o.data ->> '{key}') = %s")
            args.append(value)
        if params.get("zoek"):
            parts.append("o.search_vector @@ websearch_to_tsquery('dutch', %s)")
            args.append(params["zoek"])
        return " AND ".join(parts), args

    def join(self) -> str:
        """Only anonymous access needs the owner (its status) to count."""
        return ROW_JOIN if self.organisation_id is None else ""

    def order(self, params: dict) -> tuple[str, list]:
        key = params.get("sorteer") or ("relevantie" if params.get("zoek") else "titel")
        if key == "relevantie":
            return "ts_rank(o.search_vector, websearch_to_tsquery('dutch', %s)) DESC, o.id", [
                params["zoek"]
            ]
        desc = key.startswith("-")
        bare = key.removeprefix("-")
        if bare == "titel":
            expr = "o.title"
            return f"{expr} {'DESC' if desc else 'ASC'}, o.id", []
        expr = self.sorts[bare].replace("data", "o.data")
        return f"{expr} {'DESC' if desc else 'ASC'} NULLS LAST, o.id", []

    def list(self, cursor, params: dict) -> int:
        """One page of rows with their owner, and the total."""
        where, args = self.where(params)
        order, order_args = self.order(params)
        offset = (int(params.get("pagina", 1)) - 1) * PAGE
        cursor.execute(
            f"SELECT o.*, g.* FROM core_object o {ROW_JOIN} WHERE {where}"
            f" ORDER BY {order} LIMIT {PAGE} OFFSET {offset}",
            args + order_args,
        )
        cursor.fetchall()
        cursor.execute(f"SELECT count(*) FROM core_object o {self.join()} WHERE {where}", args)
        return cursor.fetchone()[0]

    def facets(self, cursor, params: dict, names: list[str]) -> dict:
        where, args = self.where(params)
        result = {}
        for name in names:
            column = self.columns[name]
            cursor.execute(
                f"SELECT o.{column}, count(*) FROM core_object o {self.join()} WHERE {where}"
                f" AND o.{column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1",
                args,
            )
            result[name] = cursor.fetchall()
        return result

    def get(self, cursor, uuid: str) -> bool:
        sql, args = self.access()
        sql = sql.replace(" AND o.status <> 'gearchiveerd'", "")  # a single object: archived too
        cursor.execute(
            f"SELECT o.*, g.* FROM core_object o {ROW_JOIN} WHERE o.uuid = %s AND {sql}",
            [uuid, *args],
        )
        return cursor.fetchone() is not None
