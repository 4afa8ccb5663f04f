"""Writes a plan through the one write path: `core.services.bulk_create`, per organisation.

Each organisation writes its own objects as the role that may (aanbod-beheerder for a
leverancier or community, gebruik-beheerder for a gemeente or samenwerking), so every row passes the
schema, the plugin rules and the `x-access` create rules exactly as an import by that
organisation would, with history and relation index. Deelnemingen (a gemeente takes part in
a samenwerking) are recorded first, as the system, for the shared gebruik. The acting user is
one inactive technical account, so the history says the demo generator wrote it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max

from core import services
from core.actors import Actor
from core.constants import Channel, OrganisationStatus, OrganisationType, Role
from core.models import Object, ObjectRelation, Organisation, User
from core.plugins.accounts import add_deelnemingen
from core.register import catalog
from plugins.catalogus.seed.plan import PHASES, Plan, Ref

GENERATOR_EMAIL = "demodata-generator@softwarecatalogus.invalid"
ROLES = {
    OrganisationType.LEVERANCIER: Role.AANBOD_BEHEERDER,
    OrganisationType.COMMUNITY: Role.AANBOD_BEHEERDER,
    OrganisationType.GEMEENTE: Role.GEBRUIK_BEHEERDER,
    OrganisationType.SAMENWERKING: Role.GEBRUIK_BEHEERDER,
}


class SeedFailed(Exception):
    """A planned row did not pass the write path; nothing of the seed is kept."""


@dataclass
class Timing:
    naam: str
    count: int
    seconds: float
    calls: int = 0  # bulk_create calls: one per owning organisation and status

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def generator_user() -> User:
    """The account the history names; it cannot log in."""
    user = User.objects.filter(email=GENERATOR_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            GENERATOR_EMAIL, None, voornaam="Demodata", achternaam="(generator)", is_active=False
        )
    return user


def _organisations(plan: Plan) -> list[Organisation]:
    existing = Organisation.objects.in_bulk([o.pk for o in plan.organisations if o.pk])
    new = [
        Organisation(
            type=spec.type,
            status=OrganisationStatus.ACTIEF,
            naam=spec.naam,
            website=spec.website,
            kvk_nummer=spec.kvk_nummer,
            beschrijving_kort=spec.beschrijving_kort,
        )
        for spec in plan.organisations
        if spec.pk is None
    ]
    Organisation.objects.bulk_create(new, batch_size=1000)
    created = iter(new)
    return [existing[s.pk] if s.pk else next(created) for s in plan.organisations]


def analyze() -> None:
    """Fresh planner statistics, inside the transaction (ANALYZE counts the rows this
    transaction wrote): without them the relation look-ups of each next batch are planned
    for empty tables and slow down as the catalogue grows."""
    tables = [model._meta.db_table for model in (Organisation, Object, ObjectRelation)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


class Writer:
    def __init__(self, plan: Plan, log):
        self.plan = plan
        self.log = log
        self.uuids: dict[Ref, str] = {}
        self.actors: dict[int, Actor] = {}
        self.timings: list[Timing] = []

    def resolve(self, value):
        if isinstance(value, Ref):
            return self.uuids[value]
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def actor(self, org: Organisation) -> Actor:
        if org.pk not in self.actors:
            self.actors[org.pk] = Actor(
                user=self.user, organisation=org, role=ROLES[org.type], channel=Channel.SYSTEM
            )
        return self.actors[org.pk]

    def run(self) -> list[Timing]:
        """All or nothing: one transaction, so a failed seed leaves an empty catalogue."""
        with transaction.atomic():
            started = time.perf_counter()
            self.user = generator_user()
            self.orgs = _organisations(self.plan)
            new = sum(1 for spec in self.plan.organisations if spec.pk is None)
            for spec, org in zip(self.plan.organisations, self.orgs, strict=True):
                self.uuids[spec.ref] = str(org.uuid)
            analyze()
            self.record("organisaties", new, started)
            started = time.perf_counter()
            self.record("deelnemingen", add_deelnemingen(self.deelnemingen()), started)
            for schema in PHASES:
                self.phase(schema)
                analyze()
            started = time.perf_counter()
        # After the commit every plugin hears about each object (object_changed).
        self.record("na de commit (object_changed)", 0, started)
        return self.timings

    def deelnemingen(self) -> set[tuple[str, str]]:
        """(samenwerking, deelnemer) of every shared gebruik: the catalogue rules accept only
        deelnemers that take part in the samenwerking, so these exist before the gebruik."""
        pairs = set()
        for row in self.plan.rows.get("catalogus/gebruik", []):
            for deelnemer in row.data.get("deelnemers") or []:
                pairs.add((self.resolve(row.data["afnemer"]), self.resolve(deelnemer)))
        return pairs

    def record(self, naam: str, count: int, started: float, calls: int = 0) -> None:
        timing = Timing(naam, count, time.perf_counter() - started, calls)
        self.timings.append(timing)
        if count:
            via = f", {calls} bulk_create-aanroepen" if calls else ""
            self.log(f"{naam}: {count} in {timing.seconds:.1f} s ({timing.rate:.0f}/s{via})")
        else:
            self.log(f"{naam}: {timing.seconds:.1f} s")

    def phase(self, schema: str) -> None:
        rows = self.plan.rows[schema]
        if not rows:
            return
        started = time.perf_counter()
        entry = catalog.by_key(schema)
        before = Object.objects.filter(schema=entry.schema).aggregate(top=Max("pk"))["top"] or 0
        groups: dict[tuple[int, str], list] = defaultdict(list)
        for row in rows:  # dicts keep insertion order: a fixed order of writes
            groups[(row.owner.index, row.status)].append(row)
        order: dict[int, list[Ref]] = defaultdict(list)
        for (owner, status), group in groups.items():
            org = self.orgs[owner]
            result = services.bulk_create(
                entry,
                [{k: self.resolve(v) for k, v in row.data.items()} for row in group],
                actor=self.actor(org),
                status=status,
            )
            if result.errors:
                number, pointer, message = result.errors[0]
                raise SeedFailed(
                    f"{schema} van {org.naam}, rij {number} {pointer}: {message} "
                    f"({len(result.errors)} fouten)"
                )
            order[org.pk].extend(row.ref for row in group)
        # bulk_create gives ids in row order, so each owner's new objects, by id, are its rows.
        pending = {pk: iter(refs) for pk, refs in order.items()}
        written = Object.objects.filter(schema=entry.schema, pk__gt=before).order_by("pk")
        found = written.values_list("organisation_id", "uuid")
        if len(found) != len(rows):
            raise SeedFailed(f"{schema}: {len(found)} objecten geschreven, {len(rows)} gepland.")
        for organisation_id, uid in found:
            self.uuids[next(pending[organisation_id])] = str(uid)
        self.record(schema.split("/")[1], len(rows), started, len(groups))
