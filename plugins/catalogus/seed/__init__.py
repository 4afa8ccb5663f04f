"""Generated demo and benchmark content for an empty catalogue (`manage.py seed_demo`).

The real gemeenten and the imported GEMMA release are the fixed points; suppliers,
applications, versions, landscapes and everything around them are generated around them,
deterministically from a seed, and written through the bulk write path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from core.constants import ObjectStatus, OrganisationStatus, OrganisationType
from plugins.catalogus.seed.plan import Element, Existing, Plan, World, make_plan
from plugins.catalogus.seed.writer import SeedFailed, Timing, Writer

DEFAULT_SEED = 20260101
DEMO_SCALE = 0.02  # `make run`: about 60 applications and 1 500 gebruik, in seconds
MAX_SCALE = 100
NO_GEMMA = (
    "Importeer eerst een GEMMA-release: manage.py import_gemma <bestand>. De demodata "
    "verwijst naar echte referentiecomponenten, voorzieningen en standaardversies."
)

__all__ = [
    "DEFAULT_SEED",
    "DEMO_SCALE",
    "SeedFailed",
    "SeedRefused",
    "SeedResult",
    "catalogue_object_count",
    "read_world",
    "seed_demo",
    "seed_if_empty",
]


class SeedRefused(Exception):
    """The seed cannot start; the Dutch message says why and what to do."""


@dataclass
class SeedResult:
    plan: Plan
    timings: list[Timing]
    seconds: float

    @property
    def objects(self) -> int:
        return sum(self.plan.counts().values())


def catalogue_object_count() -> int:
    from core.models import Object

    return Object.objects.filter(schema__register__slug="catalogus").count()


def _elements(schema: str, links: str | None = None) -> list[Element]:
    """Published, not withdrawn GEMMA elements of one type, in a fixed order."""
    from core.models import Object
    from core.register import catalog

    entry = catalog.by_key(schema)
    if entry is None:
        return []
    rows = (
        Object.objects.filter(schema=entry.schema, status=ObjectStatus.GEPUBLICEERD)
        .exclude(data__contains={"ingetrokken": True})
        .order_by("title", "uuid")
        .values_list("uuid", "title", "data")
    )
    found = []
    for uid, title, data in rows:
        value = data.get(links) if links else None
        linked = tuple(value) if isinstance(value, list) else ((value,) if value else ())
        found.append(Element(str(uid), title, linked))
    return found


def read_world() -> World:
    """The fixed points: Actief gemeenten (with a CBS code), other Actief organisations that
    may get content (the demo users' ones), and the GEMMA elements."""
    from core.models import Organisation

    def existing(queryset):
        return [
            Existing(o.pk, o.type, o.naam, o.weergavenaam, o.provincie)
            for o in queryset.filter(status=OrganisationStatus.ACTIEF)
        ]

    gemeenten = Organisation.objects.filter(type=OrganisationType.GEMEENTE).exclude(cbs_code="")
    others = Organisation.objects.filter(
        type__in=[
            OrganisationType.LEVERANCIER,
            OrganisationType.SAMENWERKING,
            OrganisationType.COMMUNITY,
        ]
    )
    return World(
        gemeenten=existing(gemeenten.order_by("cbs_code")),
        organisations=existing(others.order_by("type", "naam", "pk")),
        referentiecomponenten=_elements("gemma/referentiecomponent", "standaarden"),
        voorzieningen=_elements("gemma/voorziening"),
        standaardversies=_elements("gemma/standaardversie", "standaard"),
    )


def check_ready(scale: float) -> None:
    if not 0 < scale <= MAX_SCALE:
        raise SeedRefused(f"Kies een schaal groter dan 0 en hoogstens {MAX_SCALE}.")
    count = catalogue_object_count()
    if count:
        raise SeedRefused(
            f"De catalogus bevat al {count} objecten; seed_demo vult alleen een lege "
            "catalogus. Begin opnieuw met een lege database (make reset)."
        )


def seed_demo(*, scale: float, seed: int = DEFAULT_SEED, log=lambda line: None) -> SeedResult:
    """Plan and write a catalogue of `scale` × the real one; refuses a non-empty catalogue
    and a database without GEMMA. Loads the gemeenten first when they are missing."""
    from core.reference_data.gemeenten import load_gemeenten

    check_ready(scale)
    world = read_world()
    if not world.referentiecomponenten:
        raise SeedRefused(NO_GEMMA)
    for line in load_gemeenten():  # one query when they are there
        log(line)
        world = read_world()
    started = time.perf_counter()
    plan = make_plan(world, scale=scale, seed=seed)
    log(f"plan: {sum(plan.counts().values())} objecten in {time.perf_counter() - started:.1f} s")
    timings = Writer(plan, log).run()
    return SeedResult(plan, timings, time.perf_counter() - started)


def seed_if_empty(scale: float = DEMO_SCALE) -> list[str]:
    """For `load_demo_data`: a small catalogue, only when it is empty and GEMMA is there."""
    if catalogue_object_count():
        return []
    try:
        result = seed_demo(scale=scale)
    except SeedRefused as exc:
        return [f"geen gegenereerde catalogus: {exc}"]
    counts = ", ".join(f"{n} {schema.split('/')[1]}" for schema, n in result.plan.counts().items())
    return [f"gegenereerde catalogus (schaal {scale}): {counts} in {result.seconds:.0f} s"]
