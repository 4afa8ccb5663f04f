"""The benchmark data set: organisations, products and `rows` gebruik objects.

Everything is generated from a seed, so two runs at the same scale measure the same
data. Objects are written through the real write paths (services.bulk_create, with
validation, history, the relation index and every schema-derived index present),
which is itself the bulk import measurement.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
PASSWORD = "benchmark-wachtwoord-niet-gebruiken"

_WORD_TEXT = """
zaak zaakgericht burger melding vergunning belasting aanslag uitkering participatie jeugd
wmo schuldhulp paspoort rijbewijs verhuizing geboorte huwelijk overlijden document archief
dossier workflow portaal formulier afspraak klantcontact telefonie kcc website publicatie
raad besluit vergadering notulen financien begroting factuur inkoop contract personeel
salaris verlof rooster gis kaart bag brk woz omgevingswet bouw
milieu afval parkeren handhaving toezicht subsidie onderwijs leerplicht sport cultuur
bibliotheek begraafplaats markt evenement horeca camera sensor iot data analyse
dashboard rapportage koppeling api berichtenverkeer stuf zgw digid eherkenning mijnoverheid
signing beveiliging logging monitoring back-up hosting cloud beheer migratie implementatie
training support licentie module uitbreiding mobiel app chat e-mail archivering
vernietiging selectielijst metadata zoekfunctie open-source common-ground standaard
"""
WORDS = _WORD_TEXT.split()
RARE_WORD = "zeldzaamheid"  # in about 0.3 % of the objects: a selective search
FASE = (("in-productie", 70), ("gepland", 15), ("uitgefaseerd", 15))
CATEGORIE = (
    ("zaakgericht", 25),
    ("burgerzaken", 18),
    ("sociaal-domein", 17),
    ("documenten", 12),
    ("financien", 10),
    ("belastingen", 8),
    ("overig", 7),
    ("ruimte", 3),
)
HOSTING = (("saas", 55), ("on-premises", 30), ("hybride", 12), ("onbekend", 3))
LABELS = (("cloud", 40), ("open-source", 20), ("common-ground", 10), ("api-first", 2))


def _weighted(rng: random.Random, choices) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Dataset:
    rows: int
    schema_ids: dict[str, int] = field(default_factory=dict)
    gemeente: object = None  # the measured gemeente (Organisation)
    gemeente_membership: object = None
    popular_product: str = ""
    load_seconds: float = 0.0
    loaded: int = 0
    big_owner: object = None
    big_seconds: float = 0.0
    big_cpu: tuple = (float("nan"), float("nan"))  # (Python, PostgreSQL backend) CPU seconds
    big_created: int = 0
    bulk_errors: int = 0
    products: list = field(default_factory=list)  # (uuid, naam)
    gemeenten: list = field(default_factory=list)


def _organisations(rng: random.Random):
    from core.constants import OrganisationStatus as S
    from core.constants import OrganisationType as T
    from core.models import Organisation

    orgs = [
        Organisation(
            naam=f"Gemeente {i:03d}", type=T.GEMEENTE, status=S.ACTIEF, cbs_code=f"GM{i:04d}"
        )
        for i in range(342)
    ]
    orgs += [
        Organisation(naam=f"Samenwerking {i}", type=T.SAMENWERKING, status=S.ACTIEF)
        for i in range(20)
    ]
    orgs += [
        Organisation(
            naam=f"Leverancier {i:04d}",
            type=T.LEVERANCIER,
            status=S.INACTIEF if rng.random() < 0.05 else S.ACTIEF,
        )
        for i in range(1200)
    ]
    orgs.append(Organisation(naam="VNG Realisatie", type=T.VNG, status=S.ACTIEF))
    Organisation.objects.bulk_create(orgs)
    return orgs


def _users(orgs):
    from core.constants import OrganisationType as T
    from core.constants import Role
    from core.models import Membership, User

    user = User.objects.create_user("bench-importer@example.org", PASSWORD)
    beheer = User.objects.create_user("bench-beheer@example.org", PASSWORD)
    vng = next(o for o in orgs if o.type == T.VNG)
    Membership.objects.create(user=beheer, organisation=vng, role=Role.FUNCTIONEEL_BEHEERDER)
    return user, beheer, vng


def gebruik_row(rng: random.Random, owner, products, gemeenten, product_weights) -> dict:
    """One gebruik object as an importer sends it (afnemer is derived from the owner)."""
    product_uuid, product_naam = rng.choices(products, product_weights)[0]
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    if rng.random() < 0.003:
        words.append(RARE_WORD)
    row = {
        "naam": f"{product_naam} bij {owner.naam}",
        "omschrijving": " ".join(words),
        "product": product_uuid,
        "fase": _weighted(rng, FASE),
        "categorie": _weighted(rng, CATEGORIE),
        "hosting": _weighted(rng, HOSTING),
        "startDatum": (date(2005, 1, 1) + timedelta(days=rng.randint(0, 7300))).isoformat(),
        "kosten": rng.randint(0, 250_000),
    }
    labels = sorted({_weighted(rng, LABELS) for _ in range(rng.randint(0, 2))})
    if labels:
        row["labels"] = labels
    if rng.random() < 0.25:
        others = rng.sample(gemeenten, rng.randint(1, 3))
        row["deelnemers"] = sorted({str(o.uuid) for o in others if o.pk != owner.pk})
        if not row["deelnemers"]:
            del row["deelnemers"]
    if rng.random() < 0.1:
        row["interneNotitie"] = "Contract loopt af; heronderhandelen."
    return row


def _server_cpu() -> float:
    """CPU seconds used so far by our PostgreSQL backend (NaN if it is not on this machine).

    Wall-clock rates depend on what else runs; CPU per object does much less."""
    import os

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(rows: int, seed: int = 20260101, log=print) -> Dataset:
    """Create everything; time the gebruik import (the bulk figure)."""
    from core.actors import Actor
    from core.constants import Channel, ObjectStatus, OrganisationStatus, OrganisationType, Role
    from core.models import Membership, Object
    from core.register import catalog, loader
    from core.services import bulk_create

    rng = random.Random(seed)
    loader.load([SCHEMA_DIR])
    catalog.clear()
    product_entry = catalog.by_collection("bench-producten")
    gebruik_entry = catalog.by_collection("bench-gebruik")
    ds = Dataset(rows=rows)
    ds.schema_ids = {"product": product_entry.schema.pk, "gebruik": gebruik_entry.schema.pk}

    orgs = _organisations(rng)
    importer, beheer, vng = _users(orgs)
    gemeenten = [o for o in orgs if o.type == OrganisationType.GEMEENTE]
    owners = gemeenten + [o for o in orgs if o.type == OrganisationType.SAMENWERKING]
    leveranciers = [o for o in orgs if o.type == OrganisationType.LEVERANCIER]
    ds.gemeenten = gemeenten

    # Products: published by functioneel beheer for VNG, offered by suppliers (Zipf-like).
    n_products = max(200, rows // 40)
    fb = Actor(
        user=beheer, organisation=vng, role=Role.FUNCTIONEEL_BEHEERDER, channel=Channel.IMPORT
    )
    lev_weights = [1 / (i + 1) ** 0.8 for i in range(len(leveranciers))]
    product_rows = [
        {
            "naam": f"{rng.choice(WORDS).capitalize()}suite {i}",
            "aanbieder": str(rng.choices(leveranciers, lev_weights)[0].uuid),
        }
        for i in range(n_products)
    ]
    result = bulk_create(product_entry, product_rows, actor=fb, status=ObjectStatus.GEPUBLICEERD)
    assert not result.errors, result.errors[:5]
    products = list(
        Object.objects.filter(schema=product_entry.schema)
        .order_by("id")
        .values_list("uuid", "title")
    )
    products = [(str(u), t) for u, t in products]
    ds.products = products
    product_weights = [1 / (i + 1) ** 0.9 for i in range(len(products))]
    ds.popular_product = products[9][0]

    # Gebruik: every gemeente and samenwerking imports its own landscape, published
    # and concept parts, with sizes that vary like real landscapes do; then one large
    # file (a tenth of the rows) is imported by a samenwerking: the headline bulk figure.
    big = max(2000, rows // 10)
    big_owner, owners = owners[-1], owners[:-1]  # a samenwerking imports the large file
    sizes = [rng.lognormvariate(0, 0.6) for _ in owners]
    scale = (rows - big) / sum(sizes)
    counts = [max(1, int(s * scale)) for s in sizes]
    counts[0] += rows - big - sum(counts)  # exact total
    plan = []
    for owner, count in zip(owners, counts, strict=True):
        data = [gebruik_row(rng, owner, products, gemeenten, product_weights) for _ in range(count)]
        cut = int(count * 0.75)
        plan.append((owner, data[:cut], ObjectStatus.GEPUBLICEERD))
        plan.append((owner, data[cut:], ObjectStatus.CONCEPT))
    log(f"  gegenereerd: {rows - big} gebruik-rijen voor {len(owners)} eigenaren; import start")
    start = time.perf_counter()
    created = errors = 0
    for owner, data, status in plan:
        if not data:
            continue
        actor = Actor(
            user=importer, organisation=owner, role=Role.GEBRUIK_BEHEERDER, channel=Channel.IMPORT
        )
        result = bulk_create(gebruik_entry, data, actor=actor, status=status)
        created += result.created
        errors += len(result.errors)
    ds.load_seconds = time.perf_counter() - start
    ds.loaded, ds.bulk_errors = created, errors
    log(f"  per eigenaar: {created} objecten in {ds.load_seconds:.1f} s, {errors} fouten")

    ds.big_owner = big_owner
    data = [
        gebruik_row(rng, ds.big_owner, products, gemeenten, product_weights) for _ in range(big)
    ]
    actor = Actor(
        user=importer,
        organisation=ds.big_owner,
        role=Role.GEBRUIK_BEHEERDER,
        channel=Channel.IMPORT,
    )
    server = _server_cpu()
    cpu = time.process_time()
    start = time.perf_counter()
    result = bulk_create(gebruik_entry, data, actor=actor, status=ObjectStatus.GEPUBLICEERD)
    ds.big_seconds = time.perf_counter() - start
    ds.big_cpu = (time.process_time() - cpu, _server_cpu() - server)
    ds.big_created = result.created
    ds.bulk_errors += len(result.errors)
    per_row = [f"{1e6 * s / max(1, result.created):.0f}" for s in ds.big_cpu]
    log(
        f"  één bestand: {result.created} objecten in {ds.big_seconds:.1f} s,"
        f" {len(result.errors)} fouten; CPU per object: Python {per_row[0]} µs,"
        f" PostgreSQL-backend {per_row[1]} µs"
    )

    # Archive ~2 % directly (setup shortcut: the archive path is not what is measured),
    # and withdraw a few gemeenten (merged), whose content anonymous visitors no longer see.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_object SET status = %s WHERE schema_id = %s AND id %% 50 = 0",
            [ObjectStatus.GEARCHIVEERD, gebruik_entry.schema.pk],
        )
    merged = [g.pk for g in gemeenten[-8:]]
    from core.models import Organisation

    Organisation.objects.filter(pk__in=merged).update(status=OrganisationStatus.SAMENGEVOEGD)

    # The measured gemeente: a median-sized landscape that also takes part in others' rows.
    by_size = sorted(
        zip(counts[: len(gemeenten) - 8], gemeenten[: len(gemeenten) - 8], strict=True),
        key=lambda x: x[0],
    )
    ds.gemeente = by_size[len(by_size) // 2][1]
    user = importer.__class__.objects.create_user("bench-gemeente@example.org", PASSWORD)
    ds.gemeente_membership = Membership.objects.create(
        user=user, organisation=ds.gemeente, role=Role.GEBRUIK_BEHEERDER
    )
    return ds
