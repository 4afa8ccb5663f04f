"""One realistic catalogue, built once per test module for the access table.

`access_world` writes everything through `core.services`, as its owners (or as the system,
for GEMMA), inside a transaction that is rolled back when the module is done. Each test runs
in its own savepoint on top (pytest-django's `db`), so a test that changes or archives an
object leaves the world as it was for the next one.

The world:
- GEMMA (system, owned by VNG, gepubliceerd): the voorziening DigiD, the standaardversie
  StUF-ZKN 3.10.
- Acme (leverancier) publishes Zaakwijzer (SaaS and on-premises; the server adds the version
  "Cloud") with version 4.2, aanspreekpunt Eva de Boer, a koppeling Zaakwijzer → DigiD as a
  template, the dienst "Functioneel beheer Zaakwijzer" and compliancy Zaakwijzer 4.2 × StUF;
  it keeps "Zaakwijzer Next" as a concept and has a contact person who is nobody's
  aanspreekpunt. It proposes (concept) that Den Haag uses Zaakwijzer as SaaS.
- Beta (leverancier2) publishes Burgerzaken Pro and the dienst "Hosting Burgerzaken".
- Gesloten BV (leverancier, now Inactief) published "Oud Pakket" while it was Actief.
- Utrecht (gemeente) registers the concept application Parkeervergunningen naming Acme as its
  supplier (4.4); functioneel beheer adds its version 1.0 for Utrecht. Utrecht registered
  Marktvergunningen (Acme) the same way, and functioneel beheer published it.
- Utrecht uses Zaakwijzer 4.2 on-premises (interne aantekening, contactpersoon Jan Visser of
  Utrecht), with a koppeling Zaakwijzer ↔ Burgerzaken Pro, the dienstafname "Functioneel
  beheer Zaakwijzer", a contract and three documents: a verwerkersovereenkomst (doelgroep
  eigen organisatie), a DPIA (doelgroep overheid) and a pentest (no doelgroep: the default).
- Utrecht and Den Haag take part in Dimpact (samenwerking), which uses Burgerzaken Pro for
  its deelnemer Utrecht (interne aantekening, contactpersoon: a person of Beta), with the
  dienstafname "Hosting Burgerzaken"; Dimpact also has a contact person of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import TestCase

from core import services
from core.actors import Actor
from core.constants import ObjectStatus, OrganisationStatus, OrganisationType
from core.models import ApiToken, Object, Organisation, Schema
from core.plugins.accounts import add_deelnemingen
from core.register import catalog, loader
from tests.conftest import Api, make_org, member

PUB = ObjectStatus.GEPUBLICEERD
CONCEPT = ObjectStatus.CONCEPT

# Every actor of the table: "<role>@<organisation key>", or "anonymous".
ANON = "anonymous"
LEV = "aanbod-beheerder@leverancier"
LEV2 = "aanbod-beheerder@leverancier2"
GEM = "gebruik-beheerder@gemeente"
RPL = "gebruik-raadpleger@gemeente"
GEM2 = "gebruik-beheerder@gemeente2"
SAM = "gebruik-beheerder@samenwerking"
FB = "functioneel-beheerder@vng"
VNG = "vng-raadpleger@vng"
ACTORS = (ANON, LEV, LEV2, GEM, RPL, GEM2, SAM, FB, VNG)
# Not a column of the table, only for "communities cannot do this".
COMMUNITY = "gebruik-beheerder@community"


@dataclass
class World:
    orgs: dict[str, Organisation]
    objects: dict[str, Object] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def api(self, actor: str) -> Api:
        return Api(self.tokens.get(actor))

    def uuid(self, key: str) -> str:
        return str(self.objects[key].uuid)

    def collection(self, key: str) -> str:
        return catalog.by_schema_id(self.objects[key].schema_id).spec.collection

    def url(self, key: str) -> str:
        return f"/api/v1/{self.collection(key)}/{self.uuid(key)}"

    def resolve(self, value):
        """ "@org" → the organisation's uuid, "#object" → the world object's uuid."""
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, str) and value.startswith("@"):
            return str(self.orgs[value[1:]].uuid)
        if isinstance(value, str) and value.startswith("#"):
            return self.uuid(value[1:])
        return value


def _orgs() -> dict[str, Organisation]:
    return {
        "gemeente": make_org("Utrecht", OrganisationType.GEMEENTE, cbs_code="GM0344"),
        "gemeente2": make_org(
            "'s-Gravenhage", OrganisationType.GEMEENTE, cbs_code="GM0518", weergavenaam="Den Haag"
        ),
        "leverancier": make_org("Acme Software", OrganisationType.LEVERANCIER),
        "leverancier2": make_org("Beta Systems", OrganisationType.LEVERANCIER),
        "inactief": make_org("Gesloten BV", OrganisationType.LEVERANCIER),
        "samenwerking": make_org("Dimpact", OrganisationType.SAMENWERKING),
        "community": make_org("Open Community", OrganisationType.COMMUNITY),
        "vng": make_org("VNG Realisatie", OrganisationType.VNG),
    }


def build_world() -> World:
    if not Schema.objects.exists():
        loader.load()
    catalog.clear()
    world = World(orgs=_orgs())
    orgs, objects = world.orgs, world.objects

    def actor(label: str) -> Actor:
        role, org_key = label.split("@")
        return Actor.for_membership(member(orgs[org_key], role))

    def create(key, schema, data, by, status=PUB, **kwargs):
        obj = services.create_object(
            catalog.by_key(f"catalogus/{schema}" if "/" not in schema else schema),
            world.resolve(data),
            actor=by,
            status=status,
            **kwargs,
        )
        objects[key] = obj
        return obj

    system = Actor.for_system()
    lev, lev2, gem, sam, fb = actor(LEV), actor(LEV2), actor(GEM), actor(SAM), actor(FB)

    # GEMMA, as the import writes it.
    vng = {"organisation": orgs["vng"]}
    create("digid", "gemma/voorziening", {"naam": "DigiD", "objectId": "digid"}, system, **vng)
    create(
        "stuf",
        "gemma/standaardversie",
        {"naam": "StUF-ZKN 3.10", "objectId": "stuf-zkn-310"},
        system,
        **vng,
    )

    # Contact persons.
    create(
        "lev_contact",
        "contactpersoon",
        {
            "voornaam": "Eva",
            "tussenvoegsel": "de",
            "achternaam": "Boer",
            "functie": "Accountmanager gemeenten",
            "emailadres": "eva.deboer@acme.example.nl",
            "telefoonnummer": "+31 30 123 4567",
        },
        lev,
    )
    create(
        "lev_contact_private",
        "contactpersoon",
        {"voornaam": "Kees", "achternaam": "Smit", "emailadres": "kees@acme.example.nl"},
        lev,
    )
    create(
        "lev2_contact_named",
        "contactpersoon",
        {"voornaam": "Bo", "achternaam": "Peters", "emailadres": "bo@beta.example.nl"},
        lev2,
    )
    create(
        "gem_contact",
        "contactpersoon",
        {"voornaam": "Jan", "achternaam": "Visser", "emailadres": "j.visser@utrecht.example.nl"},
        gem,
    )
    create(
        "sam_contact",
        "contactpersoon",
        {"voornaam": "Sara", "achternaam": "Bakker", "emailadres": "sara@dimpact.example.nl"},
        sam,
    )

    # The aanbod. A SaaS application gets its "Cloud" version after the commit.
    with TestCase.captureOnCommitCallbacks(execute=True):
        create(
            "lev_module",
            "module",
            {
                "naam": "Zaakwijzer",
                "beschrijvingKort": "Zaakgericht werken voor middelgrote gemeenten.",
                "aanbieder": "@leverancier",
                "cloudDienstverleningsmodel": ["SaaS", "On-premises (self-managed)"],
                "hostingLocatie": "NL",
                "contactpersoon": "#lev_contact",
            },
            lev,
        )
    cloud = Object.objects.filter(
        schema=catalog.by_key("catalogus/moduleVersie").schema,
        data__module=world.uuid("lev_module"),
        data__versie="Cloud",
    ).first()
    if cloud is not None:  # without it, the rows about "lev_cloud" fail (not the world)
        objects["lev_cloud"] = cloud
    create(
        "lev_concept_module",
        "module",
        {"naam": "Zaakwijzer Next", "aanbieder": "@leverancier"},
        lev,
        status=CONCEPT,
    )
    create(
        "lev_v1",
        "moduleVersie",
        {"module": "#lev_module", "versie": "4.2", "status": "in gebruik"},
        lev,
    )
    create(
        "lev2_module",
        "module",
        {
            "naam": "Burgerzaken Pro",
            "aanbieder": "@leverancier2",
            "cloudDienstverleningsmodel": ["On-premises (self-managed)"],
        },
        lev2,
    )
    gesloten = orgs["inactief"]
    create(
        "inactief_module",
        "module",
        {"naam": "Oud Pakket", "aanbieder": "@inactief"},
        actor("aanbod-beheerder@inactief"),
    )
    gesloten.status = OrganisationStatus.INACTIEF
    gesloten.save()

    create(
        "gem_concept_module",
        "module",
        {"naam": "Parkeervergunningen", "aanbieder": "@leverancier"},
        gem,
        status=CONCEPT,
    )
    create(
        "gem_concept_version",
        "moduleVersie",
        {"module": "#gem_concept_module", "versie": "1.0"},
        fb,
        organisation=orgs["gemeente"],
    )
    published = create(
        "gem_published_module",
        "module",
        {"naam": "Marktvergunningen", "aanbieder": "@leverancier"},
        gem,
        status=CONCEPT,
    )
    objects["gem_published_module"] = services.update_object(
        published, {}, actor=fb, partial=True, status=PUB
    )

    create(
        "lev_koppeling",
        "koppeling",
        {
            "moduleA": "#lev_module",
            "buitengemeentelijkVoorziening": "#digid",
            "gegevensuitwisselingRichting": "AnaarB",
            "type": "api",
        },
        lev,
    )
    create(
        "lev_dienst",
        "dienst",
        {
            "naam": "Functioneel beheer Zaakwijzer",
            "type": ["Functioneel beheer"],
            "modules": ["#lev_module"],
            "contactpersoon": "#lev_contact",
        },
        lev,
    )
    create(
        "lev2_dienst",
        "dienst",
        {"naam": "Hosting Burgerzaken", "type": ["Technisch beheer"], "modules": ["#lev2_module"]},
        lev2,
    )
    create(
        "lev_compliancy",
        "compliancy",
        {
            "module": "#lev_module",
            "moduleVersie": "#lev_v1",
            "standaardversie": "#stuf",
            "ondersteuning": "Ondersteund",
            "url": "https://www.gemmaonline.nl/wiki/Testrapport_Zaakwijzer",
        },
        lev,
    )

    # Landscapes.
    create(
        "gem_gebruik",
        "gebruik",
        {
            "afnemer": "@gemeente",
            "module": "#lev_module",
            "moduleVersie": "#lev_v1",
            "cloudDienstverleningsmodel": "On-premises (self-managed)",
            "hostingLocatie": "NL",
            "status": "In productie",
            "startDatumInProductie": "2025-11-01",
            "contactpersoon": "#gem_contact",
            "interneAantekening": "Verlengen bespreken in Q2.",
        },
        gem,
    )
    # Utrecht and Den Haag take part in Dimpact: only deelnemers may share its gebruik.
    add_deelnemingen(
        [(str(orgs["samenwerking"].uuid), str(orgs[key].uuid)) for key in ("gemeente", "gemeente2")]
    )
    create(
        "sam_gebruik",
        "gebruik",
        {
            "afnemer": "@samenwerking",
            "deelnemers": ["@gemeente"],
            "module": "#lev2_module",
            "cloudDienstverleningsmodel": "On-premises (self-managed)",
            "status": "In productie",
            "contactpersoon": "#lev2_contact_named",
            "interneAantekening": "Kosten verdelen naar inwonertal.",
        },
        sam,
    )
    create(
        "proposed_gebruik",
        "gebruik",
        {
            "afnemer": "@gemeente2",
            "module": "#lev_module",
            "cloudDienstverleningsmodel": "SaaS",
            "status": "In productie",
        },
        lev,
        status=CONCEPT,
    )
    create(
        "gem_koppeling",
        "koppeling",
        {
            "moduleA": "#lev_module",
            "moduleB": "#lev2_module",
            "gegevensuitwisselingRichting": "bi-directioneel",
            "type": "digikoppeling",
        },
        gem,
    )
    create(
        "gem_dienstafname",
        "dienstafname",
        {
            "gebruik": "#gem_gebruik",
            "dienst": "#lev_dienst",
            "status": "In productie",
            "interneAantekening": "Uren per kwartaal evalueren.",
        },
        gem,
    )
    create(
        "sam_dienstafname",
        "dienstafname",
        {
            "gebruik": "#sam_gebruik",
            "dienst": "#lev2_dienst",
            "status": "Gepland",
            "interneAantekening": "Offerte aangevraagd.",
        },
        sam,
    )
    create(
        "gem_contract",
        "contract",
        {
            "contractNummer": "UTR-2025-0142",
            "gebruik": "#gem_gebruik",
            "contractType": "Licentie",
            "status": "Actief",
            "startDatum": "2025-03-01",
            "kosten": 24500,
            "kostenPeriode": "Jaarlijks",
            "contactpersoonAanbieder": {"naam": "Eva de Boer"},
        },
        gem,
    )
    for key, titel, soort, doelgroep in [
        ("doc_eigen", "Verwerkersovereenkomst Zaakwijzer", "Verwerkersovereenkomst", "eigen"),
        ("doc_overheid", "DPIA Zaakwijzer 2026", "DPIA", "overheid"),
        ("doc_default", "Pentest Zaakwijzer 2025", "Pentest", None),
    ]:
        data = {"titel": titel, "gebruik": "#gem_gebruik", "soort": soort}
        if doelgroep:
            data["doelgroep"] = "overheid" if doelgroep == "overheid" else "eigen organisatie"
        create(key, "document", data, gem)

    for key in objects:  # as stored, with everything the server derived
        objects[key] = Object.objects.get(pk=objects[key].pk)
    for label in (*ACTORS, COMMUNITY):
        if label != ANON:
            role, org_key = label.split("@")
            world.tokens[label] = ApiToken.objects.issue(member(orgs[org_key], role), "test")[1]
    return world


@pytest.fixture(scope="module")
def access_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world
        transaction.set_rollback(True)
    catalog.clear()
