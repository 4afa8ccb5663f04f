"""The demo catalogue as a plan, decided before anything is written.

One seeded `random.Random` makes every choice, in a fixed order, from a `World` read from the
database (the real gemeenten and GEMMA elements), so the same seed and scale always give the
same organisations, names, counts and relations. Objects refer to each other through `Ref`s;
the writer replaces them by the uuids the write path assigns.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from plugins.catalogus.seed import names

# "Today" in the generated data: fixed, so that a run next year gives the same catalogue.
ANCHOR = date(2026, 1, 1)
SAAS_VERSION = "Cloud"  # the version the catalogus plugin gives every SaaS application
ON_PREMISES = "On-premises (self-managed)"

# Write order: every schema refers only to schemas before it.
PHASES = (
    "catalogus/contactpersoon",
    "catalogus/module",
    "catalogus/moduleVersie",
    "catalogus/compliancy",
    "catalogus/dienst",
    "catalogus/gebruik",
    "catalogus/koppeling",
    "catalogus/dienstafname",
    "catalogus/contract",
    "catalogus/document",
)

# At scale 1, about the real catalogue (shared reference: ecosystem.md).
SUPPLIERS = 2600
SAMENWERKINGEN = 100
COMMUNITIES = 15
APPLICATIONS = 6000
CONCEPT_APPLICATIONS = 120  # registered by gemeenten, not (yet) by their supplier
GEBRUIK_PER_GEMEENTE = (100, 300)
SAMENWERKING_GEBRUIK = (10, 40)

CLOUD_PATTERNS = [
    (["SaaS"], 35),
    ([ON_PREMISES], 35),
    (["SaaS", ON_PREMISES], 15),
    ([ON_PREMISES, "IaaS"], 8),
    (["PaaS", "SaaS"], 7),
]
GEBRUIK_STATUSES = [
    ("In productie", 78),
    ("Verwerving", 7),
    ("Uit te faseren", 6),
    ("Gepland", 5),
    ("Uitgefaseerd", 4),
]
KOPPELING_TYPES = [
    ("api", 35),
    ("webservices", 25),
    ("digikoppeling", 15),
    ("bestandsoverdracht", 15),
    ("message que", 5),
    ("upload naar portaal", 5),
]
DIRECTIONS = [("AnaarB", 50), ("bi-directioneel", 30), ("BnaarA", 20)]
DIENST_TYPES = [
    ("Functioneel beheer", 25),
    ("Applicatiebeheer", 25),
    ("Technisch beheer", 20),
    ("Implementatieondersteuning", 15),
    ("Opleidingen", 10),
    ("Licentiereseller", 5),
]
OPEN_LICENCES = [
    ("European Union Public Licence (EUPL), versie 1.2", 60),
    ("MIT License", 15),
    ("Apache License 2.0", 10),
    ("GNU General Public License (GPL)", 10),
    ("BSD Licentie (Berkeley Software Distribution)", 5),
]
# Voorzieningen most landscapes connect to come first in the popularity order.
POPULAR_VOORZIENINGEN = (
    "DigiD",
    "BRP",
    "GBA",
    "BAG",
    "eHerkenning",
    "MijnOverheid",
    "Digilevering",
)


@dataclass(frozen=True)
class Ref:
    """A planned organisation ("org") or object (its schema key), by position."""

    kind: str
    index: int


@dataclass(frozen=True)
class Existing:
    """An organisation that is already there (a gemeente, or one of the demo users)."""

    pk: int
    type: str
    naam: str
    weergavenaam: str = ""
    provincie: str = ""


@dataclass(frozen=True)
class Element:
    """A GEMMA element: uuid, name and its links (standards of a component, the standard of
    a version)."""

    uuid: str
    naam: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class World:
    gemeenten: list[Existing]
    organisations: list[Existing]  # Actief leveranciers, samenwerkingen, communities
    referentiecomponenten: list[Element]
    voorzieningen: list[Element]
    standaardversies: list[Element]


@dataclass
class OrgSpec:
    ref: Ref
    type: str
    naam: str
    pk: int | None = None
    website: str = ""
    kvk_nummer: str = ""
    beschrijving_kort: str = ""


@dataclass
class Row:
    ref: Ref
    owner: Ref
    status: str
    data: dict


@dataclass
class Plan:
    organisations: list[OrgSpec] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=lambda: {k: [] for k in PHASES})

    def counts(self) -> dict[str, int]:
        return {schema: len(rows) for schema, rows in self.rows.items()}


def scaled(value: float, scale: float) -> int:
    return max(1, round(value * scale))


def gebruik_range(scale: float) -> tuple[int, int]:
    """How many applications each gemeente uses at this scale (inclusive)."""
    low, high = GEBRUIK_PER_GEMEENTE
    return scaled(low, scale), max(scaled(low, scale), scaled(high, scale))


# --- planning state ----------------------------------------------------------------


@dataclass
class Contact:
    ref: Ref
    naam: str
    email: str


@dataclass
class Version:
    ref: Ref
    status: str
    released: bool  # has been in use (a gebruik can run it)


@dataclass
class Module:
    ref: Ref
    naam: str
    supplier: Supplier | None
    rcs: list[str]
    cloud: list[str]
    published: bool
    hosting: str | None = None
    versions: list[Version] = field(default_factory=list)  # on-premises versions, oldest first
    diensten: list[Ref] = field(default_factory=list)


@dataclass
class Supplier:
    """A leverancier, or a community offering open-source applications."""

    ref: Ref
    naam: str
    brand: str
    kind: str = "Leverancier"
    contacts: list[Contact] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)


@dataclass
class Usage:
    ref: Ref
    module: Module
    status: str
    started: str | None


@dataclass
class Landscape:
    """A gemeente or samenwerking with what it uses."""

    ref: Ref
    naam: str
    code: str
    provincie: str = ""
    contacts: list[Contact] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)
    deelnemers: list[Ref] = field(default_factory=list)
    own_modules: list[Module] = field(default_factory=list)
    contracts: int = 0


class Planner:
    def __init__(self, world: World, scale: float, seed: int):
        self.world = world
        self.scale = scale
        self.rng = random.Random(seed)
        self.plan = Plan()
        self.org_names: set[str] = {o.naam.lower() for o in world.organisations}
        self.places = [g.weergavenaam or g.naam for g in world.gemeenten]
        self.suppliers: list[Supplier] = []
        self.communities: list[Supplier] = []
        self.gemeenten: list[Landscape] = []
        self.samenwerkingen: list[Landscape] = []
        self.modules: list[Module] = []
        self.voorzieningen: tuple[list, list] = ([], [])
        self.rc_by_uuid = {rc.uuid: rc for rc in world.referentiecomponenten}
        self.versions_of_standard: dict[str, list[str]] = defaultdict(list)
        for version in world.standaardversies:
            for standard in version.links:
                self.versions_of_standard[standard].append(version.uuid)

    # -- small helpers

    def pick(self, weighted: list[tuple]):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def about(self, expected: float) -> int:
        """`expected` rounded up or down at random, so small scales keep the proportions."""
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)

    def day(self, days_before_anchor: int) -> str:
        return (ANCHOR - timedelta(days=days_before_anchor)).isoformat()

    def after(self, iso: str, low: int, high: int) -> str:
        return (date.fromisoformat(iso) + timedelta(days=self.rng.randint(low, high))).isoformat()

    def add(self, schema: str, owner: Ref, status: str, data: dict) -> Ref:
        rows = self.plan.rows[schema]
        ref = Ref(schema, len(rows))
        rows.append(Row(ref, owner, status, data))
        return ref

    def add_org(self, type_: str, naam: str, pk: int | None = None, **extra) -> Ref:
        ref = Ref("org", len(self.plan.organisations))
        self.plan.organisations.append(OrgSpec(ref, type_, naam, pk, **extra))
        return ref

    def popularity(self, items: list, exponent: float, shuffle: bool = True):
        """(items in popularity order, cumulative Zipf weights) for `choices`."""
        order = list(items)
        if shuffle:
            self.rng.shuffle(order)
        weights = itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(order)))
        return order, list(weights)

    def distinct(self, population: list, cumulative: list, k: int, exclude=()) -> list:
        """k different items, the popular ones more likely (weighted, without replacement)."""
        seen = set(map(id, exclude))
        k = min(k, len(population) - len(seen))
        chosen: list = []
        for _attempt in range(50):
            if len(chosen) >= k:
                break
            for item in self.rng.choices(
                population, cum_weights=cumulative, k=2 * (k - len(chosen)) + 8
            ):
                if id(item) not in seen:
                    seen.add(id(item))
                    chosen.append(item)
                    if len(chosen) == k:
                        break
        if len(chosen) < k:  # a long tail left: fill uniformly
            rest = [item for item in population if id(item) not in seen]
            chosen += self.rng.sample(rest, k - len(chosen))
        return chosen

    def contact(self, owner: Ref, organisation: str, functions: list[str]) -> Contact:
        voornaam, tussenvoegsel, achternaam = names.person(self.rng)
        email = names.email(voornaam, tussenvoegsel, achternaam, organisation)
        data = {
            "voornaam": voornaam,
            "achternaam": achternaam,
            "functie": self.rng.choice(functions),
            "emailadres": email,
            "telefoonnummer": names.phone(self.rng),
        }
        if tussenvoegsel:
            data["tussenvoegsel"] = tussenvoegsel
        ref = self.add("catalogus/contactpersoon", owner, "gepubliceerd", data)
        naam = " ".join(p for p in (voornaam, tussenvoegsel, achternaam) if p)
        return Contact(ref, naam, email)

    # -- organisations

    def organisations(self) -> None:
        for gemeente in self.world.gemeenten:
            ref = self.add_org(gemeente.type, gemeente.naam, gemeente.pk)
            display = gemeente.weergavenaam or gemeente.naam
            self.gemeenten.append(
                Landscape(ref, display, names.slug(display)[:3].upper(), gemeente.provincie)
            )
        existing = defaultdict(list)
        for org in self.world.organisations:
            existing[org.type].append(org)
        for org in existing["Leverancier"]:
            ref = self.add_org(org.type, org.naam, org.pk)
            self.suppliers.append(Supplier(ref, org.naam, org.naam.split(" ")[0]))
        for _ in range(max(0, scaled(SUPPLIERS, self.scale) - len(existing["Leverancier"]))):
            naam, brand = names.supplier_name(self.rng, self.places)
            naam = names.unique(naam, self.org_names, self.rng, self.places)
            domain = names.slug(naam)
            ref = self.add_org(
                "Leverancier",
                naam,
                website=f"https://www.{domain}.example.nl",
                kvk_nummer=str(self.rng.randint(10_000_000, 99_999_999)),
                beschrijving_kort=self.rng.choice(
                    [
                        "Software voor de gemeentelijke dienstverlening.",
                        "Leverancier van applicaties en diensten voor overheden.",
                        "Wij ontwikkelen en beheren software voor gemeenten.",
                        "Specialist in informatievoorziening voor het sociaal en fysiek domein.",
                    ]
                ),
            )
            self.suppliers.append(Supplier(ref, naam, brand))
        by_provincie = defaultdict(list)
        for gemeente in self.gemeenten:
            by_provincie[gemeente.provincie].append(gemeente)
        samenwerkingen = [(org.naam, org.pk) for org in existing["Samenwerking"]]
        for _ in range(max(0, scaled(SAMENWERKINGEN, self.scale) - len(samenwerkingen))):
            samenwerkingen.append((None, None))
        for naam, pk in samenwerkingen:
            anchor = self.rng.choice(self.gemeenten)
            if naam is None:
                kind = self.rng.choice(names.SAMENWERKING_KINDS)
                naam = names.unique(kind.format(anchor.naam), self.org_names, self.rng, self.places)
            ref = self.add_org("Samenwerking", naam, pk)
            region = [g for g in by_provincie[anchor.provincie] if g is not anchor]
            members = [anchor] + self.rng.sample(region, min(len(region), self.rng.randint(2, 11)))
            landscape = Landscape(ref, naam, names.slug(naam)[:3].upper())
            landscape.deelnemers = [m.ref for m in members]
            self.samenwerkingen.append(landscape)
        communities = [(org.naam, org.pk) for org in existing["Community"]]
        for index in range(max(0, scaled(COMMUNITIES, self.scale) - len(communities))):
            base = names.COMMUNITY_NAMES[index % len(names.COMMUNITY_NAMES)]
            communities.append((names.unique(base, self.org_names, self.rng, self.places), None))
        for naam, pk in communities:
            ref = self.add_org("Community", naam, pk)
            brand = naam.removeprefix("Community ").removeprefix("Gebruikersgroep ")
            self.communities.append(Supplier(ref, naam, brand.split(" ")[0], "Community"))

    # -- the supply side

    def supply(self) -> None:
        rcs, rc_weights = self.popularity(self.world.referentiecomponenten, 0.7)
        for supplier in self.suppliers + self.communities:
            for _ in range(1 if self.rng.random() < 0.7 else 2):
                supplier.contacts.append(
                    self.contact(supplier.ref, supplier.naam, names.SUPPLIER_FUNCTIONS)
                )
        total = max(len(self.suppliers), scaled(APPLICATIONS, self.scale))
        order, weights = self.popularity(self.suppliers, 1.1)
        extra = Counter(map(id, self.rng.choices(order, cum_weights=weights, k=total - len(order))))
        for supplier in self.suppliers:
            taken: set[str] = set()
            for _ in range(1 + extra[id(supplier)]):
                self.supplier_module(supplier, rcs, rc_weights, taken)
        for community in self.communities:  # open source, developed together
            taken = set()
            for _ in range(self.rng.randint(1, 3)):
                self.supplier_module(community, rcs, rc_weights, taken)

    def module_data(self, naam: str, rc: list[str], cloud: list[str]) -> tuple[dict, str | None]:
        data = {
            "naam": naam,
            "type": "Systeemsoftware" if self.rng.random() < 0.08 else "Applicatie",
            "cloudDienstverleningsmodel": cloud,
            "referentieComponenten": rc,
        }
        hosting = None
        if set(cloud) & {"SaaS", "PaaS", "IaaS"}:
            hosting = self.pick([("NL", 65), ("EU", 30), ("US", 5)])
            data["hostingLocatie"] = hosting
            data["hostingJurisdictie"] = "US" if self.rng.random() < 0.15 else hosting
        if self.rng.random() < 0.15:
            data["licentietype"] = "Open source"
            data["licentie"] = self.pick(OPEN_LICENCES)
        else:
            data["licentietype"] = "Closed source"
        return data, hosting

    def supplier_module(self, supplier: Supplier, rcs, rc_weights, taken: set[str]) -> None:
        main = self.rng.choices(rcs, cum_weights=rc_weights)[0]
        chosen = [main] + self.distinct(
            rcs, rc_weights, self.pick([(0, 60), (1, 30), (2, 10)]), [main]
        )
        base = f"{supplier.brand} {names.domain_word(main.naam)}"
        if self.rng.random() < 0.25:
            base += f" {self.rng.choice(names.EDITIONS)}"
        naam = base
        for _attempt in range(20):  # a random edition or number first, for variety
            if naam.lower() not in taken:
                break
            naam = f"{base} {self.rng.choice(names.EDITIONS)}"
            if naam.lower() in taken:
                naam = f"{base} {self.rng.randint(2, 99)}"
        number = 100  # a big supplier at scale 10 uses up the ~111 variants of a base name
        while naam.lower() in taken:
            naam, number = f"{base} {number}", number + 1
        taken.add(naam.lower())
        naam = naam[:200]
        cloud = list(self.pick(CLOUD_PATTERNS))
        data, hosting = self.module_data(naam, [rc.uuid for rc in chosen], cloud)
        if supplier.kind == "Community":
            data["licentietype"] = "Open source"
            data["licentie"] = self.pick(OPEN_LICENCES)
        site = f"https://www.{names.slug(supplier.naam)}.example.nl"
        data.update(
            aanbieder=supplier.ref,
            website=f"{site}/{names.slug(naam)}",
            contactpersoon=self.rng.choice(supplier.contacts).ref,
            beschrijvingKort=(
                f"{naam} ondersteunt gemeenten bij {names.domain_word(main.naam).lower()}."
            )[:255],
        )
        published = self.rng.random() >= 0.03
        ref = self.add(
            "catalogus/module", supplier.ref, "gepubliceerd" if published else "concept", data
        )
        module = Module(
            ref, naam, supplier, data["referentieComponenten"], cloud, published, hosting
        )
        supplier.modules.append(module)
        self.modules.append(module)
        self.versions(module)

    def versions(self, module: Module) -> None:
        owner = module.supplier.ref
        if "SaaS" in module.cloud:
            self.add(
                "catalogus/moduleVersie",
                owner,
                "gepubliceerd",
                {
                    "module": module.ref,
                    "versie": SAAS_VERSION,
                    "status": "in gebruik",
                    "datumInGebruik": self.day(self.rng.randint(30, 2500)),
                },
            )
        if not set(module.cloud) & {ON_PREMISES, "IaaS"}:
            return
        count = self.pick([(1, 30), (2, 30), (3, 25), (4, 15)])
        major, minor = self.rng.randint(1, 9), self.rng.randint(0, 5)
        started = self.day(self.rng.randint(400, 3300))
        releases = []
        for _ in range(count):
            releases.append((f"{major}.{minor}.{self.rng.randint(0, 3)}", started))
            started = self.after(started, 120, 540)
            if self.rng.random() < 0.3:
                major, minor = major + 1, 0
            else:
                minor += 1
        for position, (versie, in_use) in enumerate(releases):
            data = {"module": module.ref, "versie": versie, "datumInGebruik": in_use}
            developed = date.fromisoformat(in_use) - timedelta(days=self.rng.randint(60, 200))
            data["datumInOntwikkeling"] = min(developed, ANCHOR).isoformat()
            if in_use > ANCHOR.isoformat():  # not released yet: the last one planned
                data.pop("datumInGebruik")
                data["status"] = "in ontwikkeling"
            elif position == len(releases) - 1:
                data["status"] = "in gebruik"
            else:
                end = self.after(releases[position + 1][1], 180, 720)
                if end > ANCHOR.isoformat():
                    data["status"] = "in gebruik"
                    data["datumEindeOndersteuning"] = end
                else:
                    data["datumEindeOndersteuning"] = end
                    withdrawn = self.after(end, 90, 365)
                    if withdrawn < ANCHOR.isoformat() and self.rng.random() < 0.5:
                        data["status"] = "teruggetrokken"
                        data["datumTeruggetrokken"] = withdrawn
                    else:
                        data["status"] = "einde ondersteuning"
            ref = self.add("catalogus/moduleVersie", owner, "gepubliceerd", data)
            module.versions.append(Version(ref, data["status"], "datumInGebruik" in data))
            if data["status"] == "in ontwikkeling":
                return
        if self.rng.random() < 0.15:
            major += 1
            self.add(
                "catalogus/moduleVersie",
                owner,
                "gepubliceerd",
                {
                    "module": module.ref,
                    "versie": f"{major}.0.0",
                    "status": "in ontwikkeling",
                    "datumInOntwikkeling": self.day(self.rng.randint(0, 120)),
                },
            )

    def compliancy(self) -> None:
        standards = self.world.standaardversies
        if not standards:
            return
        for module in self.modules:
            if not module.published or self.rng.random() >= 0.4:
                continue
            expected = sorted(
                {
                    version
                    for rc_uuid in module.rcs
                    for standard in self.rc_by_uuid[rc_uuid].links
                    for version in self.versions_of_standard.get(standard, [])
                }
            )
            pool = expected or [s.uuid for s in standards]
            for version_uuid in self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3))):
                data = {
                    "module": module.ref,
                    "standaardversie": version_uuid,
                    "ondersteuning": "Ondersteund"
                    if self.rng.random() < 0.85
                    else "Niet ondersteund",
                    "url": f"https://www.{names.slug(module.supplier.naam)}.example.nl/standaarden",
                }
                released = [v for v in module.versions if v.released]
                if released and self.rng.random() < 0.4:
                    data["moduleVersie"] = released[-1].ref
                self.add("catalogus/compliancy", module.supplier.ref, "gepubliceerd", data)

    def diensten(self) -> None:
        published = [m for m in self.modules if m.published]
        for supplier in self.suppliers + self.communities:
            own = [m for m in supplier.modules if m.published]
            if not own or self.rng.random() >= 0.3:
                continue
            taken: set[str] = set()
            for _ in range(self.rng.randint(1, 3)):
                kinds = sorted({self.pick(DIENST_TYPES) for _ in range(self.rng.randint(1, 2))})
                pool = published if "Licentiereseller" in kinds else own
                covered = self.rng.sample(pool, min(len(pool), self.rng.randint(1, 5)))
                subject = covered[0].naam if len(covered) == 1 else supplier.brand
                naam = f"{kinds[0]} {subject}"
                for edition in ("Basis", "Plus", "Premium", "Compleet", "Regio"):
                    if naam not in taken:
                        break
                    naam = f"{kinds[0]} {subject} {edition}"
                taken.add(naam)
                data = {
                    "naam": naam[:200],
                    "type": kinds,
                    "modules": [m.ref for m in covered],
                    "beschrijvingKort": f"{', '.join(kinds)} door {supplier.naam}."[:255],
                    "website": f"https://www.{names.slug(supplier.naam)}.example.nl/diensten",
                    "contactpersoon": supplier.contacts[0].ref,
                }
                ref = self.add("catalogus/dienst", supplier.ref, "gepubliceerd", data)
                for module in covered:
                    module.diensten.append(ref)

    def templates(self) -> None:
        """Koppelingen a supplier publishes as examples for its applications."""
        published = [m for m in self.modules if m.published]
        for module in published:
            if self.rng.random() >= 0.25:
                continue
            for _ in range(self.rng.randint(1, 2)):
                data = self.koppeling(module, published)
                if data:
                    self.add("catalogus/koppeling", module.supplier.ref, "gepubliceerd", data)

    # -- the use side

    def concept_applications(self, rcs) -> None:
        """Applications a gemeente registers because its supplier has not (yet)."""
        for _ in range(scaled(CONCEPT_APPLICATIONS, self.scale)):
            gemeente = self.rng.choice(self.gemeenten)
            rc = self.rng.choice(rcs)
            supplier = self.rng.choice(self.suppliers) if self.rng.random() < 0.7 else None
            brand = supplier.brand if supplier else "Eigen ontwikkeling"
            naam = f"{brand} {names.domain_word(rc.naam)} ({gemeente.naam})"[:200]
            cloud = list(self.pick(CLOUD_PATTERNS))
            data, hosting = self.module_data(naam, [rc.uuid], cloud)
            data["beschrijvingKort"] = (
                "Door de gemeente geregistreerd; de leverancier heeft deze applicatie nog niet "
                "in de catalogus."
            )
            if supplier:
                data["aanbieder"] = supplier.ref
            ref = self.add("catalogus/module", gemeente.ref, "concept", data)
            module = Module(ref, naam, None, [rc.uuid], cloud, False, hosting)
            gemeente.own_modules.append(module)

    def usage_data(self, afnemer: Ref, module: Module, status: str) -> tuple[dict, str | None]:
        data = {"afnemer": afnemer, "module": module.ref, "status": status}
        started = self.phase_dates(data, status)
        if module.cloud:
            prefer_saas = "SaaS" in module.cloud and self.rng.random() < 0.55
            model = "SaaS" if prefer_saas else self.rng.choice(module.cloud)
            data["cloudDienstverleningsmodel"] = model
            data["hostingLocatie"] = (
                module.hosting if model != ON_PREMISES and module.hosting else "NL"
            )
            released = [v for v in module.versions if v.released]
            if model == ON_PREMISES and released:
                current = [v for v in released if v.status == "in gebruik"]
                if current and self.rng.random() < 0.6:
                    data["moduleVersie"] = current[-1].ref
                else:
                    data["moduleVersie"] = self.rng.choice(released).ref
        if module.rcs and self.rng.random() < 0.8:
            data["gebruiktVoorReferentiecomponenten"] = self.rng.sample(
                module.rcs, self.rng.randint(1, len(module.rcs))
            )
        return data, started

    def phase_dates(self, data: dict, status: str) -> str | None:
        """Start dates of the phases up to `status`, in order; returns the production start."""
        rng = self.rng
        if status == "Verwerving":
            data["startDatumVerwerving"] = self.day(rng.randint(0, 300))
            return None
        if status == "Gepland":
            data["startDatumVerwerving"] = self.day(rng.randint(60, 400))
            data["startDatumGepland"] = self.after(data["startDatumVerwerving"], 30, 200)
            return None
        if status == "In productie":
            production = self.day(rng.randint(30, 3650))
            if rng.random() < 0.5:
                data["startDatumVerwerving"] = (
                    date.fromisoformat(production) - timedelta(days=rng.randint(60, 365))
                ).isoformat()
            data["startDatumInProductie"] = production
            return production
        if status == "Uit te faseren":
            data["startDatumInProductie"] = self.day(rng.randint(1500, 4000))
            data["startDatumUitTeFaseren"] = self.day(rng.randint(0, 400))
            return data["startDatumInProductie"]
        production = self.day(rng.randint(2500, 5000))
        data["startDatumInProductie"] = production
        data["startDatumUitTeFaseren"] = self.after(production, 1000, 2000)
        data["startDatumUitGefaseerd"] = min(
            self.after(data["startDatumUitTeFaseren"], 30, 400), ANCHOR.isoformat()
        )
        return production

    def landscapes(self) -> None:
        published = [m for m in self.modules if m.published]
        order, weights = self.popularity(published, 1.0)
        low, high = gebruik_range(self.scale)
        for gemeente in self.gemeenten:
            for _ in range(self.rng.randint(1, 3)):
                gemeente.contacts.append(
                    self.contact(gemeente.ref, gemeente.naam, names.GEMEENTE_FUNCTIONS)
                )
            # Skewed: most gemeenten near the low end, a few large ones near the top.
            count = min(high, low + int((high - low + 1) * self.rng.random() ** 2))
            own = gemeente.own_modules[:count]
            chosen = own + self.distinct(order, weights, count - len(own))
            for module in chosen:
                self.usage(gemeente, module)
        lo_sw, hi_sw = SAMENWERKING_GEBRUIK
        for samenwerking in self.samenwerkingen:
            samenwerking.contacts.append(
                self.contact(samenwerking.ref, samenwerking.naam, names.GEMEENTE_FUNCTIONS)
            )
            count = scaled(self.rng.randint(lo_sw, hi_sw), self.scale)
            for module in self.distinct(order, weights, count):
                self.usage(samenwerking, module)
        self.proposals(order, weights)

    def usage(self, landscape: Landscape, module: Module) -> None:
        status = self.pick(GEBRUIK_STATUSES)
        data, started = self.usage_data(landscape.ref, module, status)
        if self.rng.random() < 0.4:
            data["contactpersoon"] = self.rng.choice(landscape.contacts).ref
        if self.rng.random() < 0.05:
            data["interneAantekening"] = self.rng.choice(names.NOTES)
        if landscape.deelnemers:
            members = landscape.deelnemers
            if self.rng.random() < 0.3:
                members = sorted(
                    self.rng.sample(members, self.rng.randint(1, len(members))),
                    key=lambda ref: ref.index,
                )
            data["deelnemers"] = list(members)
        ref = self.add("catalogus/gebruik", landscape.ref, "gepubliceerd", data)
        landscape.usages.append(Usage(ref, module, status, started))

    def proposals(self, order, weights) -> None:
        """Gebruik a supplier reports for a gemeente: a concept until the gemeente accepts."""
        total = sum(len(g.usages) for g in self.gemeenten)
        used = {(g.ref.index, id(u.module)) for g in self.gemeenten for u in g.usages}
        for _ in range(scaled(total * 0.01, 1)):
            module = self.rng.choices(order, cum_weights=weights)[0]
            gemeente = self.rng.choice(self.gemeenten)
            if module.supplier.kind != "Leverancier" or (gemeente.ref.index, id(module)) in used:
                continue
            used.add((gemeente.ref.index, id(module)))
            status = self.pick([("In productie", 60), ("Verwerving", 25), ("Gepland", 15)])
            data, _started = self.usage_data(gemeente.ref, module, status)
            data.pop("moduleVersie", None)
            if data.get("cloudDienstverleningsmodel") == ON_PREMISES:
                data.pop("cloudDienstverleningsmodel")
            self.add("catalogus/gebruik", module.supplier.ref, "concept", data)

    def koppeling(self, module: Module, partners: list[Module]) -> dict | None:
        data: dict = {"moduleA": module.ref}
        voorzieningen = self.voorzieningen
        if voorzieningen[0] and (self.rng.random() < 0.35 or len(partners) < 2):
            data["buitengemeentelijkVoorziening"] = self.rng.choices(
                voorzieningen[0], cum_weights=voorzieningen[1]
            )[0].uuid
        else:
            others = [
                m for m in self.rng.sample(partners, min(3, len(partners))) if m is not module
            ]
            if not others:
                return None
            data["moduleB"] = others[0].ref
        data["gegevensuitwisselingRichting"] = self.pick(DIRECTIONS)
        data["type"] = self.pick(KOPPELING_TYPES)
        status = self.pick(
            [("in gebruik", 85), ("in ontwikkeling", 10), ("einde ondersteuning", 5)]
        )
        data["status"] = status
        if status == "in ontwikkeling":
            data["datumInOntwikkeling"] = self.day(self.rng.randint(0, 200))
        else:
            data["datumInGebruik"] = self.day(self.rng.randint(200, 3000))
            if status == "einde ondersteuning":
                data["datumEindeOndersteuning"] = self.after(data["datumInGebruik"], 100, 190)
        if self.world.standaardversies and self.rng.random() < 0.25:
            data["standaardversies"] = [self.rng.choice(self.world.standaardversies).uuid]
        return data

    def landscape_details(self) -> None:
        """Koppelingen, dienstafnames, contracts and documents inside each landscape."""
        for landscape in self.gemeenten + self.samenwerkingen:
            modules = [u.module for u in landscape.usages]
            if modules:
                share = self.rng.uniform(0.03, 0.11)
                for _ in range(self.about(len(modules) * share)):
                    data = self.koppeling(self.rng.choice(modules), modules)
                    if data:
                        self.add("catalogus/koppeling", landscape.ref, "gepubliceerd", data)
            for usage in landscape.usages:
                running = usage.status in {"In productie", "Uit te faseren"}
                if running and usage.module.diensten and self.rng.random() < 0.15:
                    self.dienstafname(landscape, usage)
                if running and self.rng.random() < 0.08:
                    self.contract(landscape, usage.module, {"gebruik": usage.ref}, usage.started)
                if self.rng.random() < 0.02:
                    self.document(landscape, usage)

    def dienstafname(self, landscape: Landscape, usage: Usage) -> None:
        data = {
            "gebruik": usage.ref,
            "dienst": self.rng.choice(usage.module.diensten),
            "status": usage.status,
        }
        if usage.started:
            data["startDatum"] = self.after(usage.started, 0, 200)
        ref = self.add("catalogus/dienstafname", landscape.ref, "gepubliceerd", data)
        if self.rng.random() < 0.25:
            self.contract(landscape, usage.module, {"dienstafname": ref}, data.get("startDatum"))

    def contract(self, landscape: Landscape, module: Module, subject: dict, started) -> None:
        landscape.contracts += 1
        start = self.day(self.rng.randint(0, 1800))  # the current contract, often renewed
        start = max(start, started) if started else start
        end = self.after(start, 365, 5 * 365)
        status = "Verlopen" if end < ANCHOR.isoformat() else "Actief"
        if self.rng.random() < 0.03:
            status = "In onderhandeling"
        year = start[:4]
        period = self.pick([("Jaarlijks", 60), ("Maandelijks", 25), ("Eenmalig", 15)])
        yearly = self.rng.lognormvariate(9.5, 1.1)
        data = {
            "contractNummer": f"{landscape.code or 'GEM'}-{year}-{landscape.contracts:04d}",
            **subject,
            "contractType": self.pick([("Licentie", 50), ("Onderhoud", 30), ("SLA", 20)]),
            "status": status,
            "startDatum": start,
            "eindDatum": end,
            "kosten": max(100, int(round(yearly / 12 if period == "Maandelijks" else yearly, -2))),
            "kostenPeriode": period,
            "documentReferentie": f"DMS {year}/{self.rng.randint(1000, 9999)}",
        }
        if module.supplier:
            person = self.rng.choice(module.supplier.contacts)
            data["contactpersoonAanbieder"] = {"naam": person.naam, "emailadres": person.email}
        if landscape.contacts:
            person = self.rng.choice(landscape.contacts)
            data["contactpersoonGebruiker"] = {"naam": person.naam, "emailadres": person.email}
        self.add("catalogus/contract", landscape.ref, "gepubliceerd", data)

    def document(self, landscape: Landscape, usage: Usage) -> None:
        soort = self.pick(
            [("DPIA", 40), ("Verwerkersovereenkomst", 35), ("Pentest", 15), ("Overig", 10)]
        )
        datum = self.day(self.rng.randint(0, 1500))
        data = {
            "titel": f"{soort} {usage.module.naam} {datum[:4]}"[:300],
            "gebruik": usage.ref,
            "soort": soort,
            "doelgroep": "overheid" if self.rng.random() < 0.3 else "eigen organisatie",
            "datum": datum,
        }
        self.add("catalogus/document", landscape.ref, "gepubliceerd", data)

    def build(self) -> Plan:
        self.organisations()
        rcs = list(self.world.referentiecomponenten)
        popular = sorted(
            self.world.voorzieningen,
            key=lambda v: next(
                (
                    i
                    for i, word in enumerate(POPULAR_VOORZIENINGEN)
                    if word.lower() in v.naam.lower()
                ),
                len(POPULAR_VOORZIENINGEN),
            ),
        )
        self.voorzieningen = (
            popular,
            self.popularity(popular, 1.1, shuffle=False)[1] if popular else [],
        )
        self.supply()
        self.compliancy()
        self.diensten()
        self.templates()
        self.concept_applications(rcs)
        self.landscapes()
        self.landscape_details()
        return self.plan


def make_plan(world: World, *, scale: float, seed: int) -> Plan:
    """Everything the seed will write, without touching the database."""
    return Planner(world, scale, seed).build()
