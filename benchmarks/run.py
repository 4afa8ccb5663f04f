"""`make bench` / `python -m benchmarks.run [--rows N]`: our figures beside the SQL floor.

Makes its own database on the embedded server (or on the server of DATABASE_URL),
loads the benchmark schemas and `--rows` gebruik objects through the bulk path,
measures a fixed query mix as an anonymous visitor and as a gemeente user, prints a
table and drops the database. See benchmarks/README.md for the method and results.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import signal
import statistics
import sys
import time
from urllib.parse import urlparse, urlunparse

DEFAULT_DATABASE = "swc_bench_run"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument(
        "--rows",
        type=int,
        default=int(os.environ.get("SWC_BENCH_ROWS", 200_000)),
        help="gebruik objects to load (default 200000, or SWC_BENCH_ROWS)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(os.environ.get("SWC_BENCH_REPEAT", 20)),
        help="rounds over the query mix (default 20)",
    )
    parser.add_argument("--creates", type=int, default=200, help="objects created through the API")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="scratch database name")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--plans", metavar="FILE", help="write every EXPLAIN (ANALYZE) plan here")
    parser.add_argument("--no-copy-floor", action="store_true", help="skip the COPY floor")
    parser.add_argument("--no-jit", action="store_true", help="skip the jit on/off comparison")
    return parser.parse_args(argv)


# --- database lifecycle -----------------------------------------------------------


def server_url(database: str) -> str:
    """URL of our scratch database: DATABASE_URL's server if set, else the embedded one."""
    if os.environ.get("DATABASE_URL"):
        parts = urlparse(os.environ["DATABASE_URL"])
        return urlunparse(parts._replace(path=f"/{database}"))
    from core.embedded_db import ensure_running

    return ensure_running(database="postgres").rsplit("/", 1)[0] + f"/{database}"


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        urlunparse(urlparse(url)._replace(path="/postgres")), autocommit=True
    ) as conn:
        conn.execute(sql)


def create_database(url: str, name: str) -> None:
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}"')


def drop_database(url: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


# --- measuring ------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class Results:
    def __init__(self):
        self.rows: list[dict] = []
        self.details: list[dict] = []

    def add(self, name, actor, ours, floor, target="", unit="ms", check=None):
        row = {
            "name": name,
            "actor": actor,
            "ours": ours,
            "floor": floor,
            "target": target,
            "unit": unit,
            "ok": check(ours, floor) if check else None,
        }
        self.rows.append(row)
        return row


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), pct(samples, 0.95)


# --- the mix ----------------------------------------------------------------------


def list_mix(ds) -> list[tuple[str, dict]]:
    g = str(ds.gemeente.uuid)
    return [
        ("alles, op titel", {}),
        ("fase=in-productie p3", {"fase": "in-productie", "pagina": "3"}),
        (
            "categorie+fase, -startDatum",
            {"categorie": "burgerzaken", "fase": "gepland", "sorteer": "-startDatum"},
        ),
        ("afnemer=gemeente", {"afnemer": g}),
        ("product=populair", {"product": ds.popular_product}),
        ("hosting+labels, kosten", {"hosting": "saas", "labels": "cloud", "sorteer": "kosten"}),
        ("publicatiestatus=concept", {"publicatiestatus": "concept"}),
    ]


def search_mix(ds) -> list[tuple[str, dict]]:
    from benchmarks.data import RARE_WORD

    return [
        ("zoek veelvoorkomend", {"zoek": "zaak"}),
        ("zoek zeldzaam", {"zoek": RARE_WORD}),
        ("zoek twee woorden", {"zoek": "digid koppeling"}),
        ("zoek + filter", {"zoek": "melding", "fase": "in-productie"}),
    ]


FACETS = ["fase", "categorie", "hosting"]


def facet_mix(ds) -> list[tuple[str, dict]]:
    return [
        ("hele collectie", {}),
        ("binnen afnemer", {"afnemer": str(ds.gemeente.uuid)}),
        ("binnen categorie", {"categorie": "burgerzaken"}),
        ("binnen zoekterm", {"zoek": "zaak"}),
    ]


class Runner:
    """Ours (the API through django.test.Client, or query.facets) and the floor, interleaved."""

    def __init__(self, ds, args):
        from django.db import connection
        from django.test import Client

        from benchmarks.floors import Floor
        from core.actors import Actor
        from core.models import ApiToken
        from core.register import catalog, indexes

        self.ds, self.args = ds, args
        self.connection = connection
        self.entry = catalog.by_collection("bench-gebruik")
        typed = indexes.typed_columns(self.entry.spec)
        columns = {p.name: indexes.facet_column(self.entry.schema.pk, p) for p in typed}
        lists = frozenset(p.name for p in typed if p.many)
        _token, raw = ApiToken.objects.issue(ds.gemeente_membership, "bench")
        self.clients = {
            "anoniem": Client(),
            "gemeente": Client(HTTP_AUTHORIZATION=f"Token {raw}"),
        }
        self.actors = {
            "anoniem": Actor.anonymous(),
            "gemeente": Actor.for_membership(ds.gemeente_membership),
        }
        sorts = {p.name: indexes.sort_expression(p) for p in self.entry.spec.by_flag("sortable")}
        self.floors = {
            "anoniem": Floor(self.entry.schema.pk, columns, None, sorts, lists),
            "gemeente": Floor(self.entry.schema.pk, columns, ds.gemeente.pk, sorts, lists),
        }
        self.url = "/api/v1/bench-gebruik"

    def api_get(self, who, params):
        response = self.clients[who].get(self.url, params)
        if response.status_code != 200:
            raise RuntimeError(f"{who} {params}: {response.status_code} {response.content[:300]!r}")
        return response.json()

    def check_same(self, who, params):
        """Our total equals the floor's: the two answer the same question."""
        ours = self.api_get(who, params)["total"]
        with self.connection.cursor() as cursor:
            floor = self.floors[who].list(cursor, params)
        if ours != floor:
            raise RuntimeError(f"{who} {params}: API total {ours} != SQL floor {floor}")
        return ours

    def pair(self, mix, who, ours_fn, floor_fn, rounds):
        ours, floor, per_query = [], [], {}
        for _name, params in mix:  # warm-up
            ours_fn(who, params)
            floor_fn(who, params)
        for _ in range(rounds):
            for name, params in mix:
                a = timed(ours_fn, who, params)
                b = timed(floor_fn, who, params)
                ours.append(a)
                floor.append(b)
                per_query.setdefault(name, ([], []))
                per_query[name][0].append(a)
                per_query[name][1].append(b)
        return ours, floor, per_query

    # the two sides of each question
    def ours_list(self, who, params):
        self.api_get(who, params)

    def floor_list(self, who, params):
        with self.connection.cursor() as cursor:
            self.floors[who].list(cursor, params)

    def ours_facets(self, who, params):
        from django.http import QueryDict

        from core.register import query

        qd = QueryDict(mutable=True)
        for key, value in {**params, "facetten": ",".join(FACETS)}.items():
            qd[key] = value
        q = query.parse(qd, self.entry.spec, self.actors[who])
        qs = query.filtered(self.entry, q, self.actors[who])
        return query.facets(qs, q, self.entry, self.actors[who])

    def floor_facets(self, who, params):
        with self.connection.cursor() as cursor:
            return self.floors[who].facets(cursor, params, FACETS)

    def check_facets(self, who, params):
        ours = self.ours_facets(who, params)
        floor = self.floor_facets(who, params)
        for name in FACETS:
            a = [(r["waarde"], r["aantal"]) for r in ours[name]]
            b = [(v, n) for v, n in floor[name]]
            if a != b:
                raise RuntimeError(f"facet {name} {who} {params}: {a} != {b}")


# --- the bulk floor ------------------------------------------------------------------


def copy_floor(schema_id: int, organisation_id: int) -> tuple[float, int]:
    """COPY the objects of one import, their relations and history into empty clones
    with the same columns, generated columns, indexes, statistics and foreign keys."""
    from django.db import connection

    tables = {
        "core_object": "bench_floor_object",
        "core_objectrelation": "bench_floor_relation",
        "core_objectversion": "bench_floor_version",
    }
    mine = f"schema_id = {int(schema_id)} AND organisation_id = {int(organisation_id)}"
    selects = {
        "core_object": f"SELECT {{cols}} FROM core_object WHERE {mine} ORDER BY id",
        "core_objectrelation": "SELECT {cols} FROM core_objectrelation WHERE source_id IN "
        f"(SELECT id FROM core_object WHERE {mine}) ORDER BY id",
        "core_objectversion": "SELECT {cols} FROM core_objectversion WHERE object_id IN "
        f"(SELECT id FROM core_object WHERE {mine}) ORDER BY id",
    }
    raw = connection.connection  # psycopg connection
    buffers, columns = {}, {}
    with connection.cursor() as cursor:
        for table, clone in tables.items():
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                [table],
            )
            columns[table] = ", ".join(f'"{r[0]}"' for r in cursor.fetchall())
            cursor.execute(f"DROP TABLE IF EXISTS {clone}")
            cursor.execute(f"CREATE TABLE {clone} (LIKE {table} INCLUDING ALL)")
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for name, definition in cursor.fetchall():
                if table != "core_object" and re.search(r"\((source_id|object_id)\)", definition):
                    definition = definition.replace(
                        "REFERENCES core_object(", "REFERENCES bench_floor_object("
                    )
                cursor.execute(
                    f"ALTER TABLE {clone} ADD CONSTRAINT {clone}_{name[-20:]} {definition}"
                )
        for table in tables:
            chunks = []
            with raw.cursor().copy(
                f"COPY ({selects[table].format(cols=columns[table])}) TO STDOUT"
            ) as copy:
                for chunk in copy:
                    chunks.append(bytes(chunk))
            buffers[table] = b"".join(chunks)
    rows = buffers["core_object"].count(b"\n")
    start = time.perf_counter()
    with raw.transaction():
        cursor = raw.cursor()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, clone in tables.items():
            with cursor.copy(f"COPY {clone} ({columns[table]}) FROM STDIN") as copy:
                data = buffers[table]
                for offset in range(0, len(data), 1 << 20):
                    copy.write(data[offset : offset + (1 << 20)])
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        for clone in reversed(list(tables.values())):
            cursor.execute(f"DROP TABLE {clone}")
    return seconds, rows


# --- EXPLAIN evidence ---------------------------------------------------------------

INDEX_RE = re.compile(
    r"(?:Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)"
)


def explain_evidence(runner, ds, plans_file=None):
    """EXPLAIN (ANALYZE) of the SQL our API sends for one selective question per filter,
    sort and facet; returns (question, expected index, indexes in the plan, ok)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.data import RARE_WORD
    from core.register import indexes

    sid = runner.entry.schema.pk
    built = [name for name, _statement in indexes.indexes(sid, runner.entry.spec)]

    def ix(kind, name):
        """The name of the index built for this kind and property (names end in a hash)."""
        prefix = indexes._ident(kind, str(sid), name) + "_"
        return next(n for n in built if n.startswith(prefix) and "_" not in n[len(prefix) :])

    ixf = [ix("ixf", name) for name in FACETS]
    covering = "|".join(ixf)  # each holds status, owner, id and the typed columns of every row
    g = str(ds.gemeente.uuid)
    questions = [
        ("afnemer=gemeente", {"afnemer": g}, ix("ix", "afnemer")),
        ("product=populair", {"product": ds.popular_product}, ix("ix", "product")),
        ("fase=gepland", {"fase": "gepland"}, ix("ixf", "fase")),
        ("categorie=ruimte", {"categorie": "ruimte"}, ix("ixf", "categorie")),
        ("hosting=onbekend", {"hosting": "onbekend"}, ix("ixf", "hosting")),
        ("labels=api-first", {"labels": "api-first"}, f"{ix('ixf', 'labels')}|{covering}"),
        (
            "hosting=saas&labels=cloud",
            {"hosting": "saas", "labels": "cloud", "paginaGrootte": "1"},
            ix("ixf", "hosting"),
        ),
        ("sorteer=startDatum", {"sorteer": "startDatum"}, ix("ixo", "startDatum")),
        ("sorteer=kosten", {"sorteer": "kosten"}, ix("ixo", "kosten")),
        ("sorteer=naam", {"sorteer": "naam"}, ix("ixo", "naam")),
        ("sorteer=-startDatum", {"sorteer": "-startDatum"}, ix("ixd", "startDatum")),
        ("sorteer=-kosten", {"sorteer": "-kosten"}, ix("ixd", "kosten")),
        ("zoek zeldzaam", {"zoek": RARE_WORD}, "object_search"),
        (
            "facetten (hele collectie)",
            {"facetten": ",".join(FACETS), "paginaGrootte": "1"},
            covering,
        ),
        ("alles (total)", {"paginaGrootte": "1"}, f"{covering}|object_schema_status"),
    ]
    out = []
    plan_text = []
    for who in ("anoniem", "gemeente"):
        for name, params, expected in questions:
            with CaptureQueriesContext(connection) as ctx:
                runner.api_get(who, params)
            used, plans = set(), []
            with connection.cursor() as cursor:
                for q in ctx.captured_queries:
                    sql = q["sql"]
                    if "core_object" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    if '"core_object"' not in sql and "FROM core_object" not in sql:
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) " + sql)
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                    plans.append((sql, plan))
                    used.update(INDEX_RE.findall(plan))
            wanted = []
            for part in (expected or "").split(","):
                if part:
                    wanted.append(any(alt in used for alt in part.split("|")))
            ok = all(wanted) if wanted else None
            out.append((who, name, expected, sorted(used), ok))
            for sql, plan in plans:
                plan_text.append(f"-- {who}: {name}\n-- {sql}\n{plan}\n")
    if plans_file:
        with open(plans_file, "w") as fh:
            fh.write("\n".join(plan_text))
    return out


# --- main -----------------------------------------------------------------------------


def in_own_database(args, heading: str, body) -> int:
    """Make the benchmark's own database, run `body(args)` in it and drop it again (unless
    --keep), also when the run is stopped from outside (kill, or ^C in a background job)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    url = server_url(args.database)
    print(heading)
    create_database(url, args.database)
    setup_django(url)
    try:
        return body(args)
    finally:
        if not args.keep:
            drop_database(url, args.database)
            print(f"Database {args.database} verwijderd.")


def main(argv=None) -> int:
    args = parse_args(argv)
    heading = f"Benchmark: {args.rows} objecten, database {args.database}"
    return in_own_database(args, heading, run)


def run(args) -> int:
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import data

    call_command("migrate", interactive=False, verbosity=0)
    results = Results()
    print("Laden (bulk-import via services.bulk_create) ...")
    ds = data.load(args.rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_jit_available(), version()")
        jit_available, version = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM core_object")
        total_objects = cursor.fetchone()[0]
    print(f"  {total_objects} objecten in core_object; VACUUM ANALYZE klaar")

    copy_rate = float("nan")
    if not args.no_copy_floor:
        copy_seconds, copy_rows = copy_floor(ds.schema_ids["gebruik"], ds.big_owner.pk)
        copy_rate = copy_rows / copy_seconds
    results.add(
        f"bulk import, 1 bestand ({ds.big_created})",
        "import",
        ds.big_created / ds.big_seconds,
        copy_rate,
        "≥ 5000/s",
        unit="/s",
        check=lambda o, f: o >= 5000,
    )
    results.add(
        "bulk import, per eigenaar (dataset)",
        "import",
        ds.loaded / ds.load_seconds,
        float("nan"),
        "(ter informatie)",
        unit="/s",
    )

    runner = Runner(ds, args)
    for who in ("anoniem", "gemeente"):
        for _name, params in list_mix(ds) + search_mix(ds):
            runner.check_same(who, params)
        for _name, params in facet_mix(ds):
            runner.check_facets(who, params)
    print("  antwoorden gelijk aan de SQL-vloer (totals en facetten)")

    details = []
    rounds = args.repeat
    for who in ("anoniem", "gemeente"):
        ours, floor, per = runner.pair(
            list_mix(ds), who, runner.ours_list, runner.floor_list, rounds
        )
        results.add(
            "lijst gefilterd + total (API)",
            who,
            summary(ours),
            summary(floor),
            "p95 ≤ 50 ms",
            check=lambda o, f: o[1] <= 50,
        )
        details += [(who, "lijst", n, summary(a), summary(b)) for n, (a, b) in per.items()]

        whole = [m for m in facet_mix(ds) if m[0] == "hele collectie"]
        subset = [m for m in facet_mix(ds) if m[0] != "hele collectie"]
        ours, floor, per = runner.pair(whole, who, runner.ours_facets, runner.floor_facets, rounds)
        results.add(
            "3 facetten, hele collectie",
            who,
            summary(ours),
            summary(floor),
            "≤ 1.5× vloer",
            check=lambda o, f: o[0] <= 1.5 * f[0] and o[1] <= 1.5 * f[1],
        )
        details += [(who, "facetten", n, summary(a), summary(b)) for n, (a, b) in per.items()]
        ours, floor, per = runner.pair(subset, who, runner.ours_facets, runner.floor_facets, rounds)
        results.add(
            "3 facetten, gefilterde deelverz.",
            who,
            summary(ours),
            summary(floor),
            "≤ 50 ms",
            check=lambda o, f: o[1] <= 50,
        )
        details += [(who, "facetten", n, summary(a), summary(b)) for n, (a, b) in per.items()]

        ours, floor, per = runner.pair(
            search_mix(ds), who, runner.ours_list, runner.floor_list, rounds
        )
        results.add(
            "zoeken gerangschikt + total (API)",
            who,
            summary(ours),
            summary(floor),
            "≤ 2× vloer",
            check=lambda o, f: o[0] <= 2 * f[0] and o[1] <= 2 * f[1],
        )
        details += [(who, "zoeken", n, summary(a), summary(b)) for n, (a, b) in per.items()]

    get_one(runner, ds, results, rounds)
    create_api(runner, ds, results, args.creates)
    jit = None if args.no_jit else jit_comparison(runner, ds, max(3, rounds // 4))
    evidence = explain_evidence(runner, ds, args.plans)

    report(args, results, details, jit, evidence, jit_available, version, total_objects)
    failed = [r for r in results.rows if r["ok"] is False]
    return 1 if failed or any(e[4] is False for e in evidence) else 0


def get_one(runner, ds, results, rounds):
    from core.models import Object
    from core.register import access

    for who in ("anoniem", "gemeente"):
        visible = access.visible_to(
            Object.objects.filter(schema=runner.entry.schema),
            {runner.entry.schema.pk: runner.entry.spec},
            runner.actors[who],
        )
        uuids = [str(u) for u in visible.order_by("?").values_list("uuid", flat=True)[:50]]
        client, floor = runner.clients[who], runner.floors[who]

        def ours(uuid, client=client):
            response = client.get(f"{runner.url}/{uuid}")
            assert response.status_code == 200, response.content

        def base(uuid, floor=floor):
            with runner.connection.cursor() as cursor:
                assert floor.get(cursor, uuid)

        for uuid in uuids[:5]:
            ours(uuid)
            base(uuid)
        a, b = [], []
        for _ in range(max(1, rounds // 2)):
            for uuid in uuids:
                a.append(timed(ours, uuid))
                b.append(timed(base, uuid))
        results.add(
            "één object ophalen (API)",
            who,
            summary(a),
            summary(b),
            "p95 ≤ 10 ms",
            check=lambda o, f: o[1] <= 10,
        )


def create_api(runner, ds, results, n):
    """POST as the gemeente; the floor is the same rows INSERTed in one transaction."""
    import json

    from django.db import transaction

    from benchmarks.data import gebruik_row
    from core.models import Object

    rng = random.Random(7)
    client = runner.clients["gemeente"]
    org = ds.gemeente
    products = list(ds.products)
    weights = [1 / (i + 1) ** 0.9 for i in range(len(products))]
    published = {
        str(u)
        for u in Object.objects.filter(
            schema_id=ds.schema_ids["product"], status="gepubliceerd"
        ).values_list("uuid", flat=True)
    }
    products = [p for p in products if p[0] in published]
    weights = weights[: len(products)]

    def ours(row):
        response = client.post(
            runner.url,
            json.dumps({"status": "concept", "data": row}),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        return response.json()

    template = ours(gebruik_row(rng, org, products, ds.gemeenten, weights))  # warm-up
    template_obj = Object.objects.get(uuid=template["uuid"])

    by_uuid = {str(g.uuid): g.pk for g in ds.gemeenten}

    def deelnemers(data):
        return [by_uuid[u] for u in data.get("deelnemers", [])]

    def base(row):
        data = {**row, "afnemer": str(org.uuid)}
        with transaction.atomic(), runner.connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_object (uuid, schema_id, schema_version_id, organisation_id,"
                " status, data, title, search_text, version, created_at, updated_at) VALUES"
                " (gen_random_uuid(), %s, %s, %s, 'concept', %s, %s, %s, 1, now(), now())"
                " RETURNING id, uuid",
                [
                    template_obj.schema_id,
                    template_obj.schema_version_id,
                    org.pk,
                    json.dumps(data),
                    data["naam"],
                    data["naam"] + " " + data["omschrijving"],
                ],
            )
            oid, uid = cursor.fetchone()
            relations = [(oid, "afnemer", None, org.pk)]
            relations += [(oid, "deelnemers", None, g) for g in deelnemers(data)]
            cursor.execute(
                "INSERT INTO core_objectrelation"
                " (source_id, property, target_object_id, target_organisation_id)"
                " SELECT %s, 'product', id, NULL FROM core_object WHERE uuid = %s",
                [oid, data["product"]],
            )
            cursor.executemany(
                "INSERT INTO core_objectrelation"
                " (source_id, property, target_object_id, target_organisation_id)"
                " VALUES (%s, %s, %s, %s)",
                relations,
            )
            cursor.execute(
                "INSERT INTO core_objectversion (object_id, object_uuid, version, action, status,"
                " data, changes, role, channel, request_id, created_at) VALUES"
                " (%s, %s, 1, 'created', 'concept', %s, %s, 'gebruik-beheerder', 'api', '', now())",
                [oid, uid, json.dumps(data), json.dumps({k: [None, v] for k, v in data.items()})],
            )

    a, b = [], []
    for _ in range(n):
        row = gebruik_row(rng, org, products, ds.gemeenten, weights)
        a.append(timed(ours, row))
        b.append(timed(base, row))
    results.add(
        "aanmaken via API (gemeente)",
        "gemeente",
        summary(a),
        summary(b),
        "p50 ≤ 20, p95 ≤ 40 ms",
        check=lambda o, f: o[0] <= 20 and o[1] <= 40,
    )


def jit_comparison(runner, ds, rounds):
    """The whole read mix (ours and floor) with jit on and with jit off, p50/p95 per side."""
    from django.db import connection

    mix = list_mix(ds) + search_mix(ds)
    out = {}
    for setting in ("on", "off", "on", "off"):  # twice, alternating, against drift
        with connection.cursor() as cursor:
            cursor.execute(f"SET jit = {setting}")
        for who in ("anoniem", "gemeente"):
            ours, floor, _ = runner.pair(mix, who, runner.ours_list, runner.floor_list, rounds)
            f_ours, f_floor, _ = runner.pair(
                facet_mix(ds), who, runner.ours_facets, runner.floor_facets, rounds
            )
            bucket = out.setdefault(setting, {"ours": [], "floor": []})
            bucket["ours"] += ours + f_ours
            bucket["floor"] += floor + f_floor
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")
    return {k: {side: summary(v) for side, v in sides.items()} for k, sides in out.items()}


# --- report ---------------------------------------------------------------------------


def _fmt(value, unit="ms"):
    if isinstance(value, tuple):
        return f"{value[0]:7.2f} / {value[1]:7.2f}"
    if value != value:  # nan
        return "—"
    return f"{value:,.0f}{unit}" if unit == "/s" else f"{value:.2f}"


def _ratio(ours, floor):
    if isinstance(ours, tuple):
        return f"{ours[0] / floor[0]:5.2f}× / {ours[1] / floor[1]:5.2f}×"
    if floor != floor:
        return "—"
    return f"{floor / ours:5.2f}× (vloer/ons)"


def report(args, results, details, jit, evidence, jit_available, version, total_objects):
    import platform

    server = version.split(",")[0]
    print()
    print(f"Resultaten — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {server},")
    print(f"  {total_objects} objecten ({args.rows} van het gemeten schema), ", end="")
    print(f"python {platform.python_version()}, {args.repeat} rondes")
    columns = ("meting", "actor", "ons p50 / p95", "vloer p50 / p95", "ratio p50 / p95", "doel")
    header = "{:36} {:9} {:>19} {:>19} {:>19}  {:22} ok".format(*columns)
    print(header)
    print("-" * len(header))
    for r in results.rows:
        ok = {True: "ja", False: "NEE", None: ""}[r["ok"]]
        ours, floor = _fmt(r["ours"], r["unit"]), _fmt(r["floor"], r["unit"])
        ratio = _ratio(r["ours"], r["floor"])
        name, actor, target = r["name"], r["actor"], r["target"]
        print(f"{name:36} {actor:9} {ours:>19} {floor:>19} {ratio:>19}  {target:22} {ok}")
    print()
    print("Per vraag (ms, p50 / p95):")
    for who, kind, name, a, b in details:
        ours, floor = f"{a[0]:7.2f} / {a[1]:7.2f}", f"{b[0]:7.2f} / {b[1]:7.2f}"
        print(f"  {who:9} {kind:9} {name:32} ons {ours}   vloer {floor}")
    if jit is not None:
        print()
        print(f"JIT (pg_jit_available() = {jit_available}); leesmix, ms p50 / p95:")
        for setting, sides in jit.items():
            ours, floor = sides["ours"], sides["floor"]
            print(
                f"  jit={setting:3}  ons {ours[0]:7.2f} / {ours[1]:7.2f}"
                f"   vloer {floor[0]:7.2f} / {floor[1]:7.2f}"
            )
    print()
    print("EXPLAIN (ANALYZE) — gebruikte indexen per vraag:")
    for who, name, expected, used, ok in evidence:
        mark = {True: "ja", False: "NEE", None: "-"}[ok]
        print(f"  {who:9} {name:28} verwacht {expected or '-':40} {mark:3}")
        print(f"      gebruikt: {', '.join(used) or '(geen)'}")


if __name__ == "__main__":
    sys.exit(main())
