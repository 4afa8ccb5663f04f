"""`python -m benchmarks.exports`: exports and the spreadsheet import, beside their floors.

On a database that `benchmarks.catalogus --keep` seeded (scale 1, optionally a second one at
scale 2), it measures:

- a landscape of 300 applications and 100 koppelingen (the largest gemeente's, topped up) as
  AMEFF, Excel and CSV, through the installed bundle exporters, as its gebruik-beheerder;
- the whole public catalogue as AMEFF: time, and the peak of Python memory (tracemalloc) at
  both scales, which must stay flat because the export streams;
- a 5 000-row Excel import into a landscape: reading, validation (the dry run) and the
  writes, rolled back afterwards so the database stays as it was.

Floors: the same rows from hand-written SQL, written by csv / openpyxl (write-only) / lxml's
incremental writer, or for the import read by openpyxl and inserted with one executemany.
See benchmarks/README.md, "Exports and import".
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import time
import tracemalloc

from benchmarks.run import server_url, setup_django, summary

LANDSCAPE_APPS = 300
LANDSCAPE_KOPPELINGEN = 100
IMPORT_ROWS = 5000
TARGETS_MS = {"ameff": 500, "xlsx": 500, "csv": 200}
CATALOGUE_TARGET_S = 30
IMPORT_TARGET_S = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.exports", description=__doc__)
    parser.add_argument("--database", default="swc_bench_export1", help="seeded database (scale 1)")
    parser.add_argument("--database2", default="", help="a second one at scale 2 (memory check)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per landscape format (5)")
    parser.add_argument("--catalogue-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def drain(chunks) -> int:
    return sum(len(chunk) for chunk in chunks)


# --- the landscape ------------------------------------------------------------------------


def bench_user(organisation, role: str):
    from core.actors import Actor
    from core.models import Membership, User

    user, _ = User.objects.get_or_create(email=f"bench-export-{organisation.pk}@example.org")
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return Actor.for_membership(membership)


def landscape_of_300():
    """The gemeente with the largest landscape, topped up to 300 gebruik and 100 own
    koppelingen through the write path (idempotent: a second run adds nothing)."""
    from django.db import transaction
    from django.db.models import Count

    from core import services
    from core.models import Object, Organisation
    from core.register import catalog
    from plugins.catalogus.landscape import landscape_gebruik, landscape_koppelingen

    gebruik_schema = catalog.by_key("catalogus/gebruik")
    top = (
        Object.objects.filter(
            schema=gebruik_schema.schema, status="gepubliceerd", organisation__type="Gemeente"
        )
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
        .first()
    )
    gemeente = Organisation.objects.get(pk=top["organisation"])
    actor = bench_user(gemeente, "gebruik-beheerder")
    own = str(gemeente.uuid)
    with transaction.atomic():
        used = set(landscape_gebruik(gemeente, actor).values_list("data__module", flat=True))
        missing = LANDSCAPE_APPS - len(used)
        if missing > 0:
            spare = (
                Object.objects.filter(
                    schema=catalog.by_key("catalogus/module").schema,
                    status="gepubliceerd",
                    data__cloudDienstverleningsmodel__contains=["SaaS"],
                )
                .exclude(uuid__in=[u for u in used if u])
                .order_by("id")
                .values_list("uuid", flat=True)[:missing]
            )
            for module in spare:
                services.create_object(
                    gebruik_schema,
                    {
                        "afnemer": own,
                        "module": str(module),
                        "cloudDienstverleningsmodel": "SaaS",
                        "status": "In productie",
                    },
                    actor=actor,
                    status="gepubliceerd",
                    organisation=gemeente,
                )
        modules = sorted(
            set(landscape_gebruik(gemeente, actor).values_list("data__module", flat=True))
        )
        have = landscape_koppelingen(gemeente, actor).count()
        koppeling = catalog.by_key("catalogus/koppeling")
        for i in range(max(0, LANDSCAPE_KOPPELINGEN - have)):
            services.create_object(
                koppeling,
                {
                    "moduleA": modules[(2 * i) % len(modules)],
                    "moduleB": modules[(2 * i + 1) % len(modules)],
                    "gegevensuitwisselingRichting": "AnaarB",
                    "status": "in gebruik",
                    "interneAantekening": f"Benchmarkkoppeling {i}",
                },
                actor=actor,
                status="gepubliceerd",
                organisation=gemeente,
            )
    return gemeente, actor


LANDSCAPE_SQL = """
SELECT g.uuid::text, m.title, m.uuid::text, coalesce(nullif(s.weergavenaam, ''), s.naam),
       s.uuid::text, v.title, v.uuid::text, g.data ->> 'status',
       g.data ->> 'cloudDienstverleningsmodel', g.data ->> 'hostingLocatie',
       (g.data ->> 'startDatumInProductie')::date, g.data ->> 'interneAantekening'
FROM core_object g
JOIN core_object m ON m.uuid = (g.data ->> 'module')::uuid
LEFT JOIN core_organisation s ON s.uuid = (m.data ->> 'aanbieder')::uuid
LEFT JOIN core_object v ON v.uuid = (g.data ->> 'moduleVersie')::uuid
WHERE g.schema_id = %(gebruik)s AND g.status = 'gepubliceerd'
  AND (g.data ->> 'afnemer' = %(org)s OR g.data -> 'deelnemers' ? %(org)s)
ORDER BY g.title, g.id
"""
KOPPELING_SQL = """
SELECT k.uuid::text, a.title, a.uuid::text, coalesce(b.title, z.title),
       coalesce(b.uuid, z.uuid)::text, k.data ->> 'gegevensuitwisselingRichting',
       k.data ->> 'status', k.data ->> 'interneAantekening'
FROM core_object k
LEFT JOIN core_object a ON a.uuid = (k.data ->> 'moduleA')::uuid
LEFT JOIN core_object b ON b.uuid = (k.data ->> 'moduleB')::uuid
LEFT JOIN core_object z ON z.uuid = (k.data ->> 'buitengemeentelijkVoorziening')::uuid
WHERE k.schema_id = %(koppeling)s AND k.status <> 'gearchiveerd'
  AND (k.organisation_id = %(org_id)s OR k.data -> 'deelnemers' ? %(org)s)
ORDER BY k.title, k.id
"""


def landscape_rows(gemeente) -> tuple[list, list]:
    from django.db import connection

    from core.register import catalog

    args = {
        "gebruik": catalog.by_key("catalogus/gebruik").schema.pk,
        "koppeling": catalog.by_key("catalogus/koppeling").schema.pk,
        "org": str(gemeente.uuid),
        "org_id": gemeente.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(LANDSCAPE_SQL, args)
        apps = cursor.fetchall()
        cursor.execute(KOPPELING_SQL, args)
        links = cursor.fetchall()
    return apps, links


def floor_csv(gemeente) -> int:
    apps, _links = landscape_rows(gemeente)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Applicatie", "applicatie_id", "Leverancier", "leverancier_id", "Versie"])
    writer.writerows(apps)
    return len(("\ufeff" + buffer.getvalue()).encode())


def floor_xlsx(gemeente) -> int:
    from openpyxl import Workbook

    apps, links = landscape_rows(gemeente)
    book = Workbook(write_only=True)
    for title, rows in (("Applicaties", apps), ("Koppelingen", links)):
        sheet = book.create_sheet(title)
        sheet.append([f"kolom {i}" for i in range(len(rows[0]) if rows else 0)])
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return len(out.getvalue())


ARCHIMATE = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _ameff_floor(elements, relationships) -> int:
    """lxml's incremental writer: one element per application row, one Flow per link,
    each with two properties (no organisations, no view)."""
    from lxml import etree

    out = io.BytesIO()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{ARCHIMATE}}}model", nsmap={None: ARCHIMATE, "xsi": XSI}):
            with xf.element(f"{{{ARCHIMATE}}}name"):
                xf.write("Vloer")
            with xf.element(f"{{{ARCHIMATE}}}elements"):
                for row in elements:
                    element = etree.Element(
                        f"{{{ARCHIMATE}}}element",
                        identifier=f"id-{row[0]}",
                        attrib={f"{{{XSI}}}type": "ApplicationComponent"},
                    )
                    etree.SubElement(element, f"{{{ARCHIMATE}}}name").text = row[1]
                    props = etree.SubElement(element, f"{{{ARCHIMATE}}}properties")
                    for ref, value in (("p1", row[0]), ("p2", row[2] or "")):
                        prop = etree.SubElement(
                            props, f"{{{ARCHIMATE}}}property", propertyDefinitionRef=ref
                        )
                        etree.SubElement(prop, f"{{{ARCHIMATE}}}value").text = value
                    xf.write(element)
            with xf.element(f"{{{ARCHIMATE}}}relationships"):
                for row in relationships:
                    relation = etree.Element(
                        f"{{{ARCHIMATE}}}relationship",
                        identifier=f"id-{row[0]}",
                        source=f"id-{row[2]}",
                        target=f"id-{row[4]}",
                        attrib={f"{{{XSI}}}type": "Flow"},
                    )
                    xf.write(relation)
    return len(out.getvalue())


def floor_ameff(gemeente) -> int:
    apps, links = landscape_rows(gemeente)
    return _ameff_floor(apps, links)


def measure_landscape(gemeente, actor, rounds: int) -> list[tuple]:
    from core.plugins import bundle_exporters
    from plugins.catalogus.selection import LANDSCHAP, LandscapeSelection

    exporters = bundle_exporters(LANDSCHAP)
    selection = LandscapeSelection(gemeente)
    floors = {"ameff": floor_ameff, "xlsx": floor_xlsx, "csv": floor_csv}
    rows = []
    for slug, floor in floors.items():
        exporter = exporters[slug]
        ours, base, size = [], [], 0
        for i in range(rounds + 1):  # the first round warms up
            start = time.perf_counter()
            size = drain(exporter.export(kind=LANDSCHAP, selection=selection, actor=actor))
            a = ms_since(start)
            start = time.perf_counter()
            floor(gemeente)
            b = ms_since(start)
            if i:
                ours.append(a)
                base.append(b)
        rows.append((slug, size, summary(ours), summary(base)))
    return rows


# --- the whole catalogue --------------------------------------------------------------------


def catalogue_floor() -> int:
    """The public applications and their versions by raw SQL (server-side cursor), written
    by lxml's incremental writer."""
    from django.db import connection, transaction

    from core.register import catalog

    sql = (
        "SELECT o.uuid::text, o.title, o.data ->> 'aanbieder' FROM core_object o"
        " JOIN core_organisation g ON g.id = o.organisation_id"
        " WHERE o.schema_id IN (%s, %s) AND o.status = 'gepubliceerd' AND g.status = 'Actief'"
        " ORDER BY o.schema_id, o.uuid"
    )
    ids = [catalog.by_key(k).schema.pk for k in ("catalogus/module", "catalogus/moduleVersie")]

    def rows():
        with transaction.atomic(), connection.connection.cursor(name="floor") as cursor:
            cursor.itersize = 2000
            cursor.execute(sql, ids)
            yield from cursor

    return _ameff_floor(rows(), [])


def measure_catalogue() -> dict:
    """Time (best of two) and peak traced memory of the public catalogue as AMEFF."""
    from django.db import connection

    from core.actors import Actor
    from plugins.ameff_export.export import export_catalogue

    anonymous = Actor.anonymous()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, size = [], 0
    for _ in range(2):
        start = time.perf_counter()
        size = drain(export_catalogue(anonymous))
        times.append(ms_since(start) / 1000)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the exports, not tracing
    start = time.perf_counter()
    catalogue_floor()
    floor_s = ms_since(start) / 1000
    tracemalloc.start()
    drain(export_catalogue(anonymous))
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM core_object o JOIN core_schema s ON s.id = o.schema_id"
            " WHERE s.slug = 'module' AND o.status = 'gepubliceerd'"
        )
        modules = cursor.fetchone()[0]
    return {
        "seconds": min(times),
        "floor_seconds": floor_s,
        "bytes": size,
        "peak_mb": peak / 1024 / 1024,
        "rss_mb": rss_after / 1024,
        "rss_growth_mb": (rss_after - rss_before) / 1024,
        "modules": modules,
    }


# --- the import ---------------------------------------------------------------------------


def import_file(gemeente, rows: int) -> tuple[bytes, int]:
    """An Excel file as the template has it: the Applicaties sheet with `rows` applications
    this gemeente does not use yet, by name and applicatie_id."""
    from openpyxl import Workbook

    from core.models import Object
    from core.register import catalog
    from plugins.catalogus.spreadsheet.columns import APPLICATIES, gebruik_columns

    used = set(
        Object.objects.filter(
            schema=catalog.by_key("catalogus/gebruik").schema, data__afnemer=str(gemeente.uuid)
        ).values_list("data__module", flat=True)
    )
    hosted = ("SaaS", "PaaS", "IaaS", "On-premises (self-managed)")
    modules = [
        (title, str(uuid), next(h for h in hosted if h in offered))
        for uuid, title, offered in Object.objects.filter(
            schema=catalog.by_key("catalogus/module").schema, status="gepubliceerd"
        )
        .order_by("id")
        .values_list("uuid", "title", "data__cloudDienstverleningsmodel")
        if str(uuid) not in used and set(offered or ()) & set(hosted)
    ][:rows]
    headers = [c.header for c in gebruik_columns(samenwerking=False)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(APPLICATIES)
    sheet.append(headers)
    for title, uuid, hosting in modules:
        line = dict.fromkeys(headers, None)
        line.update(
            {"Applicatie": title, "applicatie_id": uuid, "Status": "In productie"}
            | {"Hostingvorm": hosting}
        )
        sheet.append([line[h] for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(modules)


def measure_import(gemeente, actor) -> dict:
    """Read + validate (dry run) + write, and the floor, each in a transaction that is
    rolled back, so the database stays as it was."""
    from django.db import connection, transaction
    from openpyxl import load_workbook

    from plugins.catalogus.spreadsheet.importer import apply_plan, plan_import
    from plugins.catalogus.spreadsheet.reader import read_upload

    content, rows = import_file(gemeente, IMPORT_ROWS)
    result = {"rows": rows}
    with transaction.atomic():
        start = time.perf_counter()
        table = read_upload("landschap.xlsx", content)
        result["read_s"] = ms_since(start) / 1000
        start = time.perf_counter()
        plan = plan_import(table, gemeente, actor)
        result["plan_s"] = ms_since(start) / 1000
        start = time.perf_counter()
        outcome = apply_plan(plan, actor)
        result["write_s"] = ms_since(start) / 1000
        result["outcome"] = str(outcome)
        transaction.set_rollback(True)
    with transaction.atomic():
        start = time.perf_counter()
        book = load_workbook(io.BytesIO(content), read_only=True)
        values = list(book["Applicaties"].iter_rows(min_row=2, values_only=True))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE floor_import (naam text, module text, s text)")
            cursor.executemany(
                "INSERT INTO floor_import VALUES (%s, %s, %s)",
                [(v[0], v[1], v[6]) for v in values],
            )
        result["floor_s"] = ms_since(start) / 1000
        transaction.set_rollback(True)
    return result


# --- the run --------------------------------------------------------------------------------


def catalogue_in(database: str) -> dict:
    """The catalogue measurement in its own process (Django binds to one database)."""
    found = subprocess.run(
        [sys.executable, "-m", "benchmarks.exports", "--catalogue-only", "--database", database],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(server_url(args.database))
    if args.catalogue_only:
        print(json.dumps(measure_catalogue()))
        return 0
    failed = False
    print(f"Exportbenchmark: database {args.database}")
    gemeente, actor = landscape_of_300()
    apps, links = landscape_rows(gemeente)
    print(f"Landschap: {gemeente.naam}, {len(apps)} applicaties, {len(links)} koppelingen")
    print(f"{'formaat':8} {'bytes':>10} {'ons p50 / p95 (ms)':>20} {'vloer p50 / p95':>18} ratio")
    for slug, size, ours, base in measure_landscape(gemeente, actor, args.repeat):
        ok = ours[1] <= TARGETS_MS[slug]
        failed |= not ok
        print(
            f"{slug:8} {size:>10,} {ours[0]:8.1f} / {ours[1]:7.1f} {base[0]:8.1f} / {base[1]:7.1f}"
            f"  {ours[0] / base[0]:4.1f}× / {ours[1] / base[1]:4.1f}×"
            f"  (doel ≤ {TARGETS_MS[slug]} ms: {'gehaald' if ok else 'NIET gehaald'})"
        )
    print("\nHele catalogus als AMEFF (anoniem, publiek):")
    for database in [args.database, args.database2]:
        if not database:
            continue
        found = catalogue_in(database)
        ok = found["seconds"] <= CATALOGUE_TARGET_S
        failed |= not ok
        print(
            f"  {database}: {found['modules']:,} applicaties, {found['bytes'] / 1e6:.1f} MB in"
            f" {found['seconds']:.1f} s (vloer {found['floor_seconds']:.1f} s,"
            f" {found['seconds'] / found['floor_seconds']:.1f}×); piek Python-geheugen"
            f" {found['peak_mb']:.1f} MB; proces (RSS, ook lxml en psycopg) piek"
            f" {found['rss_mb']:.0f} MB, +{found['rss_growth_mb']:.0f} MB door de export"
            f" (doel ≤ {CATALOGUE_TARGET_S} s:"
            f" {'gehaald' if ok else 'NIET gehaald'})"
        )
    print(f"\nExcel-import van {IMPORT_ROWS:,} rijen (teruggedraaid):")
    found = measure_import(gemeente, actor)
    total = found["read_s"] + found["plan_s"] + found["write_s"]
    ok = total <= IMPORT_TARGET_S
    failed |= not ok
    print(
        f"  {found['rows']:,} rijen: lezen {found['read_s']:.1f} s, controleren (proefimport)"
        f" {found['plan_s']:.1f} s, schrijven {found['write_s']:.1f} s; samen {total:.1f} s"
        f" (vloer {found['floor_s']:.1f} s, {total / found['floor_s']:.1f}×;"
        f" doel ≤ {IMPORT_TARGET_S} s: {'gehaald' if ok else 'NIET gehaald'})"
    )
    print(f"  {found['outcome']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
