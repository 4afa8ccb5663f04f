"""`python -m benchmarks.catalogus --scale N`: the catalogue (seed_demo) at scale N.

Makes its own database (as benchmarks.run does), migrates, loads the schemas and the
gemeenten, imports the bundled GEMMA release (timed against the 30 s target), seeds the
catalogue at `--scale` (objects/s per schema), VACUUM ANALYZE, then measures a small fixed
query mix through the API for three actors beside a hand-written SQL floor
(benchmarks/catalogus_floors.py). See benchmarks/README.md, "Catalogue data (seed_demo)".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.run import in_own_database, summary

DEFAULT_DATABASE = "swc_bench_catalogus"
GEMMA = Path(__file__).resolve().parent.parent / "plugins/ameff_export/data/GEMMA_2026-06-30.xml.gz"
APP_FACETS = ["cloudDienstverleningsmodel", "licentietype", "hostingLocatie"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.catalogus", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="seed_demo scale (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="seed_demo seed (its default)")
    parser.add_argument("--repeat", type=int, default=10, help="rounds over the mix (10)")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="scratch database name")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-queries", action="store_true", help="only import and seed")
    return parser.parse_args(argv)


def loadavg() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main(argv=None) -> int:
    args = parse_args(argv)
    heading = f"Catalogusbenchmark: schaal {args.scale}, database {args.database}"
    return in_own_database(args, heading, run)


def prepare(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from core.reference_data.gemeenten import load_gemeenten
    from core.register import catalog
    from plugins.ameff_export.importer import import_file
    from plugins.catalogus.seed import DEFAULT_SEED, seed_demo

    out = {"load_before": loadavg()}
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_schemas", verbosity=0)
    catalog.clear()
    for line in load_gemeenten():
        print(f"  referentiedata: {line}")
    content = GEMMA.read_bytes()
    start = time.perf_counter()
    report = import_file(content)
    out["gemma_seconds"] = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM core_object o JOIN core_schema s ON s.id = o.schema_id"
            " JOIN core_register r ON r.id = s.register_id WHERE r.slug = 'gemma'"
        )
        out["gemma_objects"] = cursor.fetchone()[0]
    print(
        f"  GEMMA-import: {out['gemma_objects']} objecten in {out['gemma_seconds']:.1f} s"
        f" (doel < 30 s); {len(report.lines())} verslagregels; load {loadavg()}"
    )
    catalog.clear()
    seed = DEFAULT_SEED if args.seed is None else args.seed
    out["load_seed_start"] = loadavg()
    result = seed_demo(scale=args.scale, seed=seed, log=lambda line: print(f"  seed: {line}"))
    out["seed"] = result
    out["load_seed_end"] = loadavg()
    print(
        f"  seed_demo: {result.objects} objecten in {result.seconds:.1f} s"
        f" ({result.objects / result.seconds:,.0f}/s); load {loadavg()}"
    )
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM core_object")
        out["total_objects"] = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        out["version"] = cursor.fetchone()[0].split(",")[0]
    print(f"  VACUUM ANALYZE: {time.perf_counter() - start:.1f} s")
    return out


# --- actors and the mix -------------------------------------------------------------


class Bench:
    def __init__(self):
        from django.db import connection
        from django.test import Client

        from benchmarks.catalogus_floors import CatalogueFloor
        from core.actors import Actor
        from core.constants import OrganisationType, Role
        from core.models import ApiToken, Membership, Organisation, User
        from core.register import catalog, indexes

        self.connection = connection
        self.entries = {
            kind: catalog.by_collection(coll)
            for kind, coll in (
                ("module", "applicaties"),
                ("gebruik", "gebruik"),
                ("koppeling", "koppelingen"),
            )
        }
        sid = {k: e.schema.pk for k, e in self.entries.items()}
        with connection.cursor() as cursor:
            # the gemeente with the median landscape (gebruik it owns)
            cursor.execute(
                "SELECT g.id, count(*) FROM core_object o JOIN core_organisation g"
                " ON g.id = o.organisation_id WHERE o.schema_id = %s AND g.type = 'Gemeente'"
                " AND g.status = 'Actief' AND o.status <> 'gearchiveerd'"
                " GROUP BY g.id ORDER BY 2, 1",
                [sid["gebruik"]],
            )
            rows = cursor.fetchall()
            gemeente_id, self.landscape = rows[len(rows) // 2]
            # the supplier with the most applicaties
            cursor.execute(
                "SELECT g.id, count(*) FROM core_object o JOIN core_organisation g"
                " ON g.id = o.organisation_id WHERE o.schema_id = %s"
                " AND g.type = 'Leverancier' AND g.status = 'Actief'"
                " GROUP BY g.id ORDER BY 2 DESC, 1 LIMIT 1",
                [sid["module"]],
            )
            supplier_id, self.supplier_apps = cursor.fetchone()
            # the most used applicatie (gluren bij de buren)
            cursor.execute(
                "SELECT o.data ->> 'module', count(*) FROM core_object o WHERE o.schema_id = %s"
                " AND o.status = 'gepubliceerd' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
                [sid["gebruik"]],
            )
            self.popular_app, self.popular_uses = cursor.fetchone()
            # a common word in the applicaties' search text
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM core_object"
                f" WHERE schema_id = {int(sid['module'])} AND status = 'gepubliceerd'$$)"
                " WHERE length(word) > 3 ORDER BY ndoc DESC, word LIMIT 1"
            )
            self.word, self.word_docs = cursor.fetchone()
        self.gemeente = Organisation.objects.get(pk=gemeente_id)
        self.supplier = Organisation.objects.get(pk=supplier_id)
        assert self.gemeente.type == OrganisationType.GEMEENTE
        memberships = {
            "gemeente": Membership.objects.create(
                user=User.objects.create_user("bench-cat-gemeente@example.org", None),
                organisation=self.gemeente,
                role=Role.GEBRUIK_BEHEERDER,
            ),
            "leverancier": Membership.objects.create(
                user=User.objects.create_user("bench-cat-leverancier@example.org", None),
                organisation=self.supplier,
                role=Role.AANBOD_BEHEERDER,
            ),
        }
        self.clients = {"anoniem": Client()}
        self.actors = {"anoniem": Actor.anonymous()}
        for who, membership in memberships.items():
            _token, raw = ApiToken.objects.issue(membership, "bench")
            self.clients[who] = Client(HTTP_AUTHORIZATION=f"Token {raw}")
            self.actors[who] = Actor.for_membership(membership)
        orgs = {"anoniem": None, "gemeente": gemeente_id, "leverancier": supplier_id}
        self.floors = {}
        for kind, entry in self.entries.items():
            spec, pk = entry.spec, entry.schema.pk
            typed = indexes.typed_columns(spec)
            columns = {p.name: indexes.facet_column(pk, p) for p in typed}
            lists = frozenset(p.name for p in typed if p.many)
            sorts = {p.name: indexes.sort_expression(p) for p in spec.by_flag("sortable")}
            for who, org in orgs.items():
                self.floors[kind, who] = CatalogueFloor(
                    pk, columns, org, sorts, lists, kind=kind, government=who == "gemeente"
                )

    def mix(self) -> list[tuple[str, str, dict, list[str], tuple[str, ...]]]:
        """(name, kind, params, facets, actors)."""
        g = str(self.gemeente.uuid)
        everyone = ("anoniem", "gemeente", "leverancier")
        logged_in = ("gemeente", "leverancier")
        return [
            ("applicaties op titel", "module", {}, [], everyone),
            (
                f"applicaties zoek={self.word}",
                "module",
                {"zoek": self.word},
                [],
                everyone,
            ),
            (
                "applicaties 3 facetten (alles)",
                "module",
                {"facetten": ",".join(APP_FACETS), "paginaGrootte": "1"},
                APP_FACETS,
                everyone,
            ),
            (
                "gebruik afnemer=eigen + facet status",
                "gebruik",
                {"afnemer": g, "facetten": "status"},
                ["status"],
                logged_in,
            ),
            (
                "gebruik module=populair (buren)",
                "gebruik",
                {"module": self.popular_app},
                [],
                logged_in,
            ),
            ("koppelingen eigenaar=eigen", "koppeling", {"eigenaar": g}, [], ("gemeente",)),
            (
                "koppelingen eigenaar=leverancier",
                "koppeling",
                {"eigenaar": str(self.supplier.uuid)},
                [],
                everyone,
            ),
        ]

    def url(self, kind: str) -> str:
        return {
            "module": "/api/v1/applicaties",
            "gebruik": "/api/v1/gebruik",
            "koppeling": "/api/v1/koppelingen",
        }[kind]

    def ours(self, who, kind, params, facets):
        response = self.clients[who].get(self.url(kind), params)
        if response.status_code != 200:
            raise RuntimeError(f"{who} {params}: {response.status_code} {response.content[:300]!r}")
        return response.json()

    def floor(self, who, kind, params, facets):
        floor = self.floors[kind, who]
        page = params if not facets else {k: v for k, v in params.items() if k != "facetten"}
        with self.connection.cursor() as cursor:
            if facets and "paginaGrootte" in params:  # facets only: count + facets
                where, args = floor.where(page)
                cursor.execute(
                    f"SELECT count(*) FROM core_object o {floor.join()} WHERE {where}", args
                )
                total = cursor.fetchone()[0]
            else:
                total = floor.list(cursor, page)
            counts = floor.facets(cursor, page, facets) if facets else {}
        return total, counts

    def check(self, who, kind, params, facets) -> int:
        body = self.ours(who, kind, params, facets)
        total, counts = self.floor(who, kind, params, facets)
        if body["total"] != total:
            raise RuntimeError(f"{who} {kind} {params}: API total {body['total']} != floor {total}")
        for name in facets:
            a = [(r["waarde"], r["aantal"]) for r in body["facetten"][name]]
            b = [(v, n) for v, n in counts[name]]
            if a != b:
                raise RuntimeError(f"facet {name} {who} {params}: {a} != {b}")
        return total


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def measure(bench: Bench, rounds: int) -> list[tuple]:
    """Per (question, actor): total, ours (p50, p95), floor (p50, p95)."""
    totals = {}
    for name, kind, params, facets, actors in bench.mix():
        for who in actors:
            totals[name, who] = bench.check(who, kind, params, facets)
    print("  totalen en facetten gelijk aan de SQL-vloer")
    samples: dict = {}
    for i in range(rounds + 1):  # the first round warms up
        for name, kind, params, facets, actors in bench.mix():
            for who in actors:
                a = timed(bench.ours, who, kind, params, facets)
                b = timed(bench.floor, who, kind, params, facets)
                samples.setdefault((name, who), ([], []))
                if i > 0:
                    samples[name, who][0].append(a)
                    samples[name, who][1].append(b)
    out = []
    for (name, who), (a, b) in samples.items():
        out.append((name, who, totals[name, who], summary(a), summary(b)))
    # get one applicatie (visible to all three)
    from core.models import Object

    entry = bench.entries["module"]
    published = Object.objects.filter(
        schema=entry.schema, status="gepubliceerd", organisation__type="Leverancier"
    ).order_by("uuid")
    uuids = [str(u) for u in published.values_list("uuid", flat=True)]
    uuids = uuids[:: max(1, len(uuids) // 30)][:30]  # spread over the collection
    for who in ("anoniem", "gemeente", "leverancier"):
        floor = bench.floors["module", who]

        def ours(uuid, who=who):
            response = bench.clients[who].get(f"/api/v1/applicaties/{uuid}")
            assert response.status_code == 200, response.content[:200]

        def base(uuid, floor=floor):
            with bench.connection.cursor() as cursor:
                assert floor.get(cursor, uuid)

        a, b = [], []
        for i in range(max(1, rounds // 2) + 1):
            for uuid in uuids:
                x, y = timed(ours, uuid), timed(base, uuid)
                if i:
                    a.append(x)
                    b.append(y)
        out.append(("één applicatie ophalen", who, len(uuids), summary(a), summary(b)))
    return out


def run(args) -> int:
    info = prepare(args)
    result = info["seed"]
    print()
    print(f"GEMMA-import: {info['gemma_objects']} objecten in {info['gemma_seconds']:.1f} s")
    print(f"seed_demo schaal {args.scale}: per schema (objecten, s, objecten/s, aanroepen)")
    for t in result.timings:
        print(f"  {t.naam:28} {t.count:>9,} {t.seconds:8.1f} s {t.rate:>9,.0f}/s {t.calls:>6}")
    written = sum(t.count for t in result.timings)
    seconds = sum(t.seconds for t in result.timings)
    print(
        f"  {'geschreven (som)':28} {written:>9,} {seconds:8.1f} s"
        f" {written / seconds if seconds else 0:>9,.0f}/s"
    )
    print(
        f"  {'totaal incl. plan':28} {result.objects:>9,} {result.seconds:8.1f} s"
        f" {result.objects / result.seconds:>9,.0f}/s"
    )
    print(
        f"  load average: voor {info['load_before']}; seed start {info['load_seed_start']},"
        f" eind {info['load_seed_end']}"
    )
    if args.no_queries:
        return 0
    bench = Bench()
    print()
    print(
        f"Actoren: gemeente {bench.gemeente.naam} ({bench.landscape} gebruik, mediaan),"
        f" leverancier {bench.supplier.naam} ({bench.supplier_apps} applicaties);"
        f" populaire applicatie {bench.popular_uses}× gebruikt; zoekwoord {bench.word!r}"
        f" ({bench.word_docs} applicaties)"
    )
    load_q = loadavg()
    rows = measure(bench, args.repeat)
    print(f"\nResultaten (ms, p50 / p95; {args.repeat} rondes; load {load_q} → {loadavg()};")
    print(f"  {info['total_objects']:,} objecten in core_object, {info['version']})")
    header = f"{'vraag':40} {'actor':11} {'total':>7} {'ons':>17} {'vloer':>17} {'ratio':>15}"
    print(header)
    print("-" * len(header))
    for name, who, total, a, b in rows:
        ratio = f"{a[0] / b[0]:5.1f}× / {a[1] / b[1]:5.1f}×"
        print(
            f"{name:40} {who:11} {total:>7} {a[0]:7.2f} / {a[1]:7.2f}"
            f" {b[0]:7.2f} / {b[1]:7.2f} {ratio:>15}"
        )
    allo = [r[3][0] for r in rows]
    print(f"\n(mediaan van de p50's: {statistics.median(allo):.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
