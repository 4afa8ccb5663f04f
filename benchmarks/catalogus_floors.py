"""SQL floors for the catalogue benchmark: `benchmarks.floors.Floor` with the catalogue's
read policies (register_schemas/catalogus/{module,gebruik,koppeling}.json) written by hand.

Per actor and schema, the same rule `core.register.access` derives from `x-access`, as a
DBA would write it over the relation index: published and owner type for the public part,
the owner, the relation paths (`aanbieder`, `afnemer`, `deelnemers`, `module → aanbieder`),
government actors seeing everything or everything published, and the platform rule that a
non-government actor only sees content of Actief organisations (or its own).
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.floors import Floor

NOT_ARCHIVED = "o.schema_id = %s AND o.status <> 'gearchiveerd'"
OWNER_PUBLIC = "(g.status = 'Actief'{own})"


def _rel(prop: str) -> str:
    return (
        "o.id IN (SELECT r.source_id FROM core_objectrelation r"
        f" WHERE r.property = '{prop}' AND r.target_organisation_id = %s)"
    )


MODULE_AANBIEDER = (
    "o.id IN (SELECT r.source_id FROM core_objectrelation r JOIN core_objectrelation r2"
    " ON r2.source_id = r.target_object_id WHERE r.property = 'module'"
    " AND r2.property = 'aanbieder' AND r2.target_organisation_id = %s)"
)


@dataclass
class CatalogueFloor(Floor):
    """`kind`: module | gebruik | koppeling; `government`: the actor is a gemeente."""

    kind: str = "module"
    government: bool = False

    def join(self) -> str:
        return "JOIN core_organisation g ON g.id = o.organisation_id"

    def access(self) -> tuple[str, list]:
        org, sid = self.organisation_id, self.schema_id
        if self.kind == "module":
            public = (
                "(o.status = 'gepubliceerd'"
                " AND g.type IN ('Leverancier', 'Community', 'Samenwerking'))"
            )
            if org is None:
                return f"{NOT_ARCHIVED} AND {public} AND g.status = 'Actief'", [sid]
            if self.government:
                return NOT_ARCHIVED, [sid]
            rule = f"({public} OR o.organisation_id = %s OR {_rel('aanbieder')})"
            gate = "(g.status = 'Actief' OR o.organisation_id = %s)"
            return f"{NOT_ARCHIVED} AND {rule} AND {gate}", [sid, org, org, org]
        if self.kind == "gebruik":
            if org is None:
                return "false", []
            mine = f"o.organisation_id = %s OR {_rel('afnemer')} OR {_rel('deelnemers')}"
            if self.government:
                rule = f"({mine} OR o.status = 'gepubliceerd')"
                return f"{NOT_ARCHIVED} AND {rule}", [sid, org, org, org]
            rule = f"({mine} OR {MODULE_AANBIEDER})"
            gate = "(g.status = 'Actief' OR o.organisation_id = %s)"
            return f"{NOT_ARCHIVED} AND {rule} AND {gate}", [sid, org, org, org, org, org]
        # koppeling
        public = "(o.status = 'gepubliceerd' AND g.type IN ('Leverancier', 'Community'))"
        if org is None:
            return f"{NOT_ARCHIVED} AND {public} AND g.status = 'Actief'", [sid]
        if self.government:
            return NOT_ARCHIVED, [sid]
        rule = f"({public} OR o.organisation_id = %s)"
        gate = "(g.status = 'Actief' OR o.organisation_id = %s)"
        return f"{NOT_ARCHIVED} AND {rule} AND {gate}", [sid, org, org]

    def where(self, params: dict) -> tuple[str, list]:
        rest = {k: v for k, v in params.items() if k != "eigenaar"}
        sql, args = super().where(rest)
        if "eigenaar" in params:
            sql += " AND g.uuid = %s"
            args.append(params["eigenaar"])
        return sql, args

    def facets(self, cursor, params: dict, names: list[str]) -> dict:
        """One GROUP BY per facet on its generated column (lists: unnest)."""
        where, args = self.where(params)
        result = {}
        for name in names:
            column = f"o.{self.columns[name]}"
            value = f"unnest({column})" if name in self.lists else column
            cursor.execute(
                f"SELECT v, count(*) FROM (SELECT {value} AS v FROM core_object o {self.join()}"
                f" WHERE {where}) s WHERE v IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1",
                args,
            )
            result[name] = cursor.fetchall()
        return result

    def get(self, cursor, uuid: str) -> bool:
        sql, args = self.access()
        sql = sql.replace(" AND o.status <> 'gearchiveerd'", "")
        cursor.execute(
            f"SELECT o.*, g.* FROM core_object o {self.join()} WHERE o.uuid = %s AND {sql}",
            [uuid, *args],
        )
        return cursor.fetchone() is not None
