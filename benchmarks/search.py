"""`python -m benchmarks.search --scale N`: the /zoeken page on the catalogue at scale N.

Prepares its own database as benchmarks.catalogus does (migrate, schemas, gemeenten, GEMMA,
seed_demo at `--scale`, VACUUM ANALYZE), or with `--reuse` measures a database that
`benchmarks.catalogus --keep` (or this script with `--keep`) left behind. Then, for an
anonymous visitor and a gemeente user, it times the whole /zoeken view through the
django test Client (URLconf, middleware, session, template) for a fixed mix of searches
beside a hand-written SQL floor for the same question: the counts per kind, every facet
(disjunctive, as the page counts them) and the page of 20, with the read policies written
out per actor. Totals are checked equal before timing. See benchmarks/README.md, "Search
page (/zoeken)".
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from benchmarks.run import in_own_database, server_url, setup_django, summary

DEFAULT_DATABASE = "swc_bench_search"
TARGET_MS = 300


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="seed_demo scale (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="seed_demo seed (its default)")
    parser.add_argument("--repeat", type=int, default=10, help="rounds over the mix (10)")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="scratch database name")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure an existing (kept) database, no seeding"
    )
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of ours")
    return parser.parse_args(argv)


# --- the floor: the same question in hand-written SQL ---------------------------------------


class Floor:
    """The search's answer for one actor ("anoniem" or "gemeente") in plain SQL."""

    def __init__(self, government: bool, sids: dict[str, int], columns: dict[str, str]):
        self.government = government
        self.sids = sids
        self.col = columns  # facet key → typed column (module/dienst)

    def _object_rows(self, kind: str, q: str, filters: dict) -> tuple[str, list]:
        sid = self.sids[kind]
        where = [f"o.schema_id = {sid}"]
        args: list = []
        if self.government:
            where.append("o.status <> 'gearchiveerd'")
        else:
            where.append(
                "o.status = 'gepubliceerd' AND g.type IN ('Leverancier', 'Community',"
                " 'Samenwerking') AND g.status = 'Actief'"
            )
        if q:
            where.append("o.search_vector @@ websearch_to_tsquery('dutch', %s)")
            args.append(q)
        for key, values in filters.items():
            if key == "type":
                continue
            if key == "aanbieder":
                where.append("(o.data ->> 'aanbieder') = ANY(%s)")
            elif key == "standaard":
                where.append(
                    "o.uuid IN (SELECT (c.data ->> 'module')::uuid FROM core_object c"
                    f" WHERE c.schema_id = {self.sids['compliancy']}"
                    f" AND c.{self.col['ondersteuning']} = 'Ondersteund'"
                    " AND (c.data ->> 'standaardversie') = ANY(%s)"
                    + ("" if self.government else self._public_compliancy())
                    + " AND c.status <> 'gearchiveerd')"
                )
            elif key == "licentie":
                where.append(f"o.{self.col['licentie']} = ANY(%s)")
            else:
                where.append(f"o.{self.col[kind + ':' + key]} && %s::text[]")
            args.append(values)
        typed = "".join(
            f", o.{column} AS {key.split(':')[1]}"
            for key, column in self.col.items()
            if key.startswith(kind + ":")
        )
        sql = (
            "SELECT o.id, o.uuid, o.title, o.data ->> 'aanbieder' AS aanbieder"
            f"{typed} FROM core_object o JOIN core_organisation g ON g.id = o.organisation_id"
            f" WHERE {' AND '.join(where)}"
        )
        return sql, args

    def _public_compliancy(self) -> str:
        return (
            " AND c.status = 'gepubliceerd' AND EXISTS (SELECT 1 FROM core_organisation cg"
            " WHERE cg.id = c.organisation_id AND cg.status = 'Actief' AND cg.type IN"
            " ('Leverancier', 'Community', 'Samenwerking')) AND EXISTS (SELECT 1 FROM"
            " core_objectrelation r JOIN core_object m ON m.id = r.target_object_id"
            " WHERE r.source_id = c.id AND r.property = 'module' AND m.status = 'gepubliceerd')"
        )

    def _org_rows(self, q: str, filters: dict) -> tuple[str, list]:
        where, args = ["TRUE" if self.government else "g.status = 'Actief'"], []
        for word in q.split():
            where.append("(g.naam ILIKE %s OR g.weergavenaam ILIKE %s)")
            args += [f"%{word}%", f"%{word}%"]
        if "organisatietype" in filters:
            where.append("g.type = ANY(%s)")
            args.append(filters["organisatietype"])
        return (
            "SELECT g.id, g.uuid, lower(coalesce(nullif(g.weergavenaam, ''), g.naam)) AS name,"
            f" g.type FROM core_organisation g WHERE {' AND '.join(where)}",
            args,
        )

    def rows(self, kind: str, q: str, filters: dict):
        if kind == "organisatie":
            return self._org_rows(q, filters)
        return self._object_rows(kind, q, filters)

    def answer(self, cursor, q: str, filters: dict) -> int:
        """Counts, facets and the page of 20 (name order), as the page asks them."""
        from plugins.catalogus.site.search_params import FACET_BY_KEY, KINDS
        from plugins.catalogus.site.search_query import applies

        chosen = filters.get("type", list(KINDS))
        kinds = [k for k in KINDS if k in chosen and applies(k, filters)]
        counts = {}
        for kind in KINDS:
            if not applies(kind, filters):
                continue
            sql, args = self.rows(kind, q, filters)
            wanted = [
                f.key
                for f in FACET_BY_KEY.values()
                if kind in f.kinds and f.key not in filters and f.key != "type" and kind in kinds
            ]
            counts[kind] = self._facets(cursor, kind, sql, args, wanted)
        for key in filters:
            if key == "type":
                continue
            others = {k: v for k, v in filters.items() if k != key}
            for kind in FACET_BY_KEY[key].kinds:
                if kind in others.get("type", KINDS) and applies(kind, others):
                    sql, args = self.rows(kind, q, others)
                    self._facets(cursor, kind, sql, args, [key])
        total = sum(counts[k] for k in kinds)
        if kinds:
            parts, args = [], []
            for kind in kinds:
                sql, kind_args = self.rows(kind, q, filters)
                name = "name" if kind == "organisatie" else "lower(title)"
                parts.append(f"SELECT {name} AS name, uuid FROM ({sql}) AS {kind[0]}x")
                args += kind_args
            cursor.execute(
                f"SELECT uuid FROM ({' UNION ALL '.join(parts)}) AS u ORDER BY name, uuid LIMIT 20",
                args,
            )
            cursor.fetchall()
        return total

    def _facets(self, cursor, kind: str, sql: str, args: list, wanted: list[str]) -> int:
        if kind == "organisatie":
            cursor.execute(f"SELECT type, count(*) FROM ({sql}) AS x GROUP BY 1", args)
            return sum(n for _t, n in cursor.fetchall())
        parts = ["SELECT 'n', NULL::text, count(*) FROM base"]
        extra: list = []
        for key in wanted:
            if key == "aanbieder":
                parts.append(
                    "SELECT 'aanbieder', x.aanbieder, x.n FROM (SELECT aanbieder, count(*) n"
                    " FROM base GROUP BY 1) x JOIN core_organisation a"
                    " ON a.uuid::text = x.aanbieder WHERE a.type = 'Leverancier'"
                    + ("" if self.government else " AND a.status = 'Actief'")
                )
            elif key == "standaard":
                vis = "" if self.government else self._public_compliancy()
                parts.append(
                    "SELECT 'standaard', c.data ->> 'standaardversie',"
                    " count(DISTINCT c.data ->> 'module') FROM core_object c"
                    " WHERE (c.data ->> 'module') IN (SELECT uuid::text FROM base)"
                    f" AND c.schema_id = {self.sids['compliancy']}"
                    f" AND c.{self.col['ondersteuning']} = 'Ondersteund'"
                    f" AND c.status <> 'gearchiveerd'{vis} GROUP BY 2"
                )
            elif key == "licentie":
                parts.append(f"SELECT '{key}', {key}, count(*) FROM base GROUP BY 2")
            else:
                parts.append(
                    f"SELECT '{key}', v, count(*) FROM base, unnest(base.{key}) v GROUP BY 2"
                )
        cursor.execute(
            f"WITH base AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), args + extra
        )
        return next(n for name, _v, n in cursor.fetchall() if name == "n")


# --- the bench ------------------------------------------------------------------------------


class Bench:
    def __init__(self):
        from django.db import connection
        from django.test import Client

        from core.accounts import security
        from core.constants import Role
        from core.models import Membership, Organisation, User
        from plugins.catalogus.site.search_query import typed_column

        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.slug, s.id FROM core_schema s JOIN core_register r"
                " ON r.id = s.register_id WHERE r.slug = 'catalogus'"
            )
            sids = dict(cursor.fetchall())
            sids = {
                "applicatie": sids["module"],
                "dienst": sids["dienst"],
                "compliancy": sids["compliancy"],
            }
            # the gemeente with the median landscape
            cursor.execute(
                "SELECT g.id FROM core_object o"
                " JOIN core_organisation g ON g.id = o.organisation_id"
                " WHERE o.schema_id = (SELECT s.id FROM core_schema s WHERE s.slug = 'gebruik')"
                " AND g.type = 'Gemeente' AND g.status = 'Actief'"
                " GROUP BY g.id ORDER BY count(*), 1"
            )
            ids = [r[0] for r in cursor.fetchall()]
            gemeente = Organisation.objects.get(pk=ids[len(ids) // 2])
            # the most frequent word of the applicaties, and a less frequent one
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM core_object"
                f" WHERE schema_id = {int(sids['applicatie'])} AND status = 'gepubliceerd'$$)"
                " WHERE length(word) > 3 ORDER BY ndoc DESC, word"
            )
            words = cursor.fetchall()
            self.word, self.word_docs = words[0]
            self.rare, self.rare_docs = words[len(words) // 3]
            # the biggest supplier, the most implemented referentiecomponent
            cursor.execute(
                "SELECT o.data ->> 'aanbieder', count(*) FROM core_object o"
                f" WHERE o.schema_id = {int(sids['applicatie'])} AND o.status = 'gepubliceerd'"
                " GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
            )
            self.supplier = cursor.fetchone()[0]
            cursor.execute(
                "SELECT v, count(*) FROM core_object o, jsonb_array_elements_text("
                "o.data -> 'referentieComponenten') v"
                f" WHERE o.schema_id = {int(sids['applicatie'])} GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
            )
            self.component = cursor.fetchone()[0]
        user, _ = User.objects.get_or_create(email="bench-search-gemeente@example.org")
        Membership.objects.get_or_create(
            user=user, organisation=gemeente, defaults={"role": Role.GEBRUIK_BEHEERDER}
        )
        self.gemeente = gemeente
        site = Client()
        site.force_login(user)
        session = site.session
        security.mark_session_verified(session, user)
        session.save()
        self.clients = {"anoniem": Client(), "gemeente": site}
        columns = {
            "licentie": typed_column("catalogus/module", "licentietype"),
            "applicatie:hosting": typed_column("catalogus/module", "cloudDienstverleningsmodel"),
            "applicatie:referentiecomponent": typed_column(
                "catalogus/module", "referentieComponenten"
            ),
            "dienst:diensttype": typed_column("catalogus/dienst", "type"),
            "ondersteuning": typed_column("catalogus/compliancy", "ondersteuning"),
        }
        columns["applicatie:licentie"] = columns["licentie"]
        self.floors = {
            who: Floor(who == "gemeente", sids, columns) for who in ("anoniem", "gemeente")
        }

    def mix(self) -> list[tuple[str, dict]]:
        return [
            ("leeg (alles, op naam)", {}),
            ("leeg, pagina 50", {"pagina": "50"}),
            (f"q={self.word} (in {self.word_docs} applicaties)", {"q": self.word}),
            (f"q={self.rare} (in {self.rare_docs})", {"q": self.rare}),
            (
                f"q={self.word} + hosting + licentie",
                {"q": self.word, "hosting": ["SaaS"], "licentie": ["Open source"]},
            ),
            (f"q={self.word}, relevantie", {"q": self.word, "sorteer": "relevantie"}),
            ("hosting=SaaS", {"hosting": ["SaaS"]}),
            ("referentiecomponent (meest)", {"referentiecomponent": [self.component]}),
            ("aanbieder (grootste) + diensttype", {"aanbieder": [self.supplier]}),
            ("organisatietype=Gemeente", {"organisatietype": ["Gemeente"]}),
        ]

    def ours(self, who: str, params: dict):
        response = self.clients[who].get("/zoeken", params)
        if response.status_code != 200:
            raise RuntimeError(f"{who} {params}: {response.status_code}")
        return response

    def floor(self, who: str, params: dict) -> int:
        filters = {k: v for k, v in params.items() if k not in {"q", "pagina", "sorteer"}}
        with self.connection.cursor() as cursor:
            return self.floors[who].answer(cursor, params.get("q", ""), filters)


def total_of(response) -> int:
    """The result count the page shows (the Client has no context outside the test runner)."""
    found = re.search(r'id="resultaten-titel">(\d+) resulta', response.content.decode())
    if found is None:
        raise RuntimeError("geen resultatentelling op de pagina")
    return int(found.group(1))


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def stale() -> None:
    """Make every cached answer unreachable, as a committed change does."""
    from plugins.catalogus.site.search_cache import changed

    changed(type("Event", (), {"schema": "catalogus/module"})())


def measure(bench: Bench, rounds: int) -> list[tuple]:
    """Per question: cold (right after a change, the answer is counted), warm (the same
    question again, from the cache) and the SQL floor, interleaved."""
    totals = {}
    for name, params in bench.mix():
        for who in bench.clients:
            stale()
            ours = total_of(bench.ours(who, params))
            floor = bench.floor(who, params)
            if ours != floor:
                raise RuntimeError(f"{who} {name}: ons {ours} != vloer {floor}")
            totals[name, who] = ours
    print("  totalen gelijk aan de SQL-vloer")
    samples: dict = {}
    for i in range(rounds + 1):  # the first round warms up
        for name, params in bench.mix():
            for who in bench.clients:
                stale()
                cold = timed(bench.ours, who, params)
                warm = timed(bench.ours, who, params)
                floor = timed(bench.floor, who, params)
                if i:
                    for series, value in zip(
                        samples.setdefault((name, who), ([], [], [])),
                        (cold, warm, floor),
                        strict=True,
                    ):
                        series.append(value)
    return [
        (name, who, totals[name, who], summary(c), summary(w), summary(f))
        for (name, who), (c, w, f) in samples.items()
    ]


def explain(bench: Bench) -> None:
    """EXPLAIN ANALYZE of every statement the page runs, for the slowest questions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, params in bench.mix()[2:5]:
        with CaptureQueriesContext(connection) as captured:
            bench.ours("anoniem", params)
        print(f"\n=== {name}")
        for query in captured.captured_queries:
            if float(query["time"]) < 0.01:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(r[0] for r in cursor.fetchall())
            print(f"--- {query['time']} s: {query['sql'][:160]}\n{plan}\n")


def report(rows) -> int:
    header = (
        f"{'vraag':44} {'actor':9} {'total':>8} {'koud':>17} {'warm':>17} {'vloer':>17}"
        f" {'koud/vloer':>15} {'warm/vloer':>15}"
    )
    print(header)
    print("-" * len(header))
    worst_cold = worst_warm = 0.0
    for name, who, total, c, w, f in rows:
        print(
            f"{name:44} {who:9} {total:>8} {c[0]:7.1f} / {c[1]:7.1f} {w[0]:7.1f} / {w[1]:7.1f}"
            f" {f[0]:7.1f} / {f[1]:7.1f} {c[0] / f[0]:5.1f}× / {c[1] / f[1]:5.1f}×"
            f" {w[0] / f[0]:5.1f}× / {w[1] / f[1]:5.1f}×"
        )
        worst_cold, worst_warm = max(worst_cold, c[1]), max(worst_warm, w[1])
    print(
        f"\n(slechtste p95: koud {worst_cold:.1f} ms, warm {worst_warm:.1f} ms;"
        f" doel ≤ {TARGET_MS} ms warm: {'gehaald' if worst_warm <= TARGET_MS else 'NIET gehaald'};"
        f" koud {'ook' if worst_cold <= TARGET_MS else 'niet'})"
    )
    return 0 if worst_warm <= TARGET_MS else 1


def body(args) -> int:
    from django.db import connection

    if not args.reuse:
        from benchmarks.catalogus import prepare

        info = prepare(args)
        print(f"  {info['total_objects']:,} objecten in core_object")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_object")
        total_objects = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    bench = Bench()
    print(
        f"Actoren: anoniem; gemeente {bench.gemeente.naam} (mediaan landschap);"
        f" {total_objects:,} objecten; {version}"
    )
    if args.explain:
        explain(bench)
    rows = measure(bench, args.repeat)
    print(f"\n/zoeken (ms, p50 / p95 over {args.repeat} rondes; hele view via de test-Client)")
    return report(rows)


def main(argv=None) -> int:
    args = parse_args(argv)
    heading = f"Zoekbenchmark: schaal {args.scale}, database {args.database}"
    if args.reuse:
        print(f"Zoekbenchmark: database {args.database} (hergebruikt, schaal zoals geseed)")
        setup_django(server_url(args.database))
        return body(args)
    return in_own_database(args, heading, body)


if __name__ == "__main__":
    sys.exit(main())
