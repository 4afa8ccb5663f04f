"""The access table of the catalogue: role × collection × read/create/update/archive.

Written by hand from the decisions of the access issue (they refine requirements §3.4), not
derived from the schemas, and evaluated through the API against the world of `conftest.py`.

1. applicatie: geregistreerdDoor is derived from the creating organisation; a SaaS application
   gets a default version. Public only when gepubliceerd, registered (or claimed) by its
   supplier, and that supplier is Actief; a concept registered by a gemeente (4.4) is visible
   to government users and to the supplier it names.
2. applicatieversie: suppliers manage the versions of their applications; functioneel beheer
   those of concept applications.
3. gebruik: a samenwerking's gebruik is one object owned by the samenwerking, listing
   deelnemers; read-only in each member's landscape. Communities cannot do this. A gebruik a
   supplier proposes is a concept until the gemeente accepts it.
4. koppeling: owned by the organisation that registers it. A supplier's koppelingen (moduleA
   one of its own applications) are public templates; a gemeente's koppeling is readable by
   government users only.
5. dienst: public. dienstafname: the same access as gebruik.
6. gebruik is readable by its own organisation (and the deelnemers), by government users, and
   by the supplier of its application, for suppliers without interneAantekening, contract,
   documents or contactpersoon; never anonymously. contract: overheid, never suppliers or
   visitors. interneAantekening: eigen organisatie only. Documents: audience per document
   (doelgroep), default eigen organisatie. gebruik.contactpersoon: government users. Contact
   persons of gemeenten and samenwerkingen are never public; a supplier's contact person is
   public only as the aanspreekpunt of its published objects.
7. compliancy: application(version) × standaardversie.
8. vng-raadpleger sees landscapes only as aggregates: no gebruik, koppeling, dienstafname,
   contract or document rows of gemeenten.
Platform: functioneel beheer sees and may do everything; raadplegers and visitors never
write; content of organisations that are not Actief is withdrawn from anyone but government
and the organisation itself.

Columns (conftest.ACTORS): anonymous, aanbod-beheerder at Acme (the supplier of Zaakwijzer)
and at Beta, gebruik-beheerder and gebruik-raadpleger at Utrecht, gebruik-beheerder at Den
Haag and at Dimpact (samenwerking), functioneel-beheerder and vng-raadpleger at VNG.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.catalogus.conftest import ACTORS, ANON, COMMUNITY, FB, GEM, GEM2, LEV, RPL, SAM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _register_loaded():
    """Overrides the per-test reload of tests/conftest.py: `access_world` loaded the schemas
    once and no test here changes them, so the catalogue stays cached (about 3× faster)."""


NOTE = "interneAantekening"
CONTACT = "contactpersoon"


@dataclass(frozen=True)
class Read:
    visible: bool
    hidden: tuple[str, ...] = ()


# Read cells. NO: GET answers 404 and the list leaves it out. ALL: listed and readable, with
# every field that is set. BUT_N / BUT_NC: readable without the interne aantekening (and the
# contactpersoon). Every hidden field is set in the world, so a leak shows.
NO = Read(False)
ALL = Read(True)
BUT_N = Read(True, (NOTE,))
BUT_NC = Read(True, (NOTE, CONTACT))

# fmt: off
READ = [
    #  object                  anon    Acme    Beta    Utrecht rpl     DenHaag Dimpact FB     vng
    # 1: public when published by an Actief supplier; gemeente concepts for government and
    # the supplier they name. Acme's own concept: not public (government reads all aanbod).
    ("lev_module",             ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("lev_concept_module",     NO,     ALL,    NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("lev2_module",            ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("inactief_module",        NO,     NO,     NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("gem_concept_module",     NO,     ALL,    NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("gem_published_module",   NO,     ALL,    NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    # 2: versions follow their application.
    ("lev_v1",                 ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("lev_cloud",              ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("gem_concept_version",    NO,     ALL,    NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    # 3, 6, 8: landscapes. A proposal is the supplier's and its gemeente's until accepted.
    ("gem_gebruik",            NO,     BUT_NC, NO,     ALL,    ALL,    BUT_N,  BUT_N,  BUT_N,  NO),
    ("sam_gebruik",            NO,     NO,     BUT_NC, BUT_N,  BUT_N,  BUT_N,  ALL,    BUT_N,  NO),
    ("proposed_gebruik",       NO,     ALL,    NO,     NO,     NO,     ALL,    NO,     ALL,    NO),
    # 4
    ("lev_koppeling",          ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("gem_koppeling",          NO,     NO,     NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    # 5: the supplier of the dienst reads the dienstafname, as for gebruik.
    ("lev_dienst",             ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("lev2_dienst",            ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("gem_dienstafname",       NO,     BUT_N,  NO,     ALL,    ALL,    BUT_N,  BUT_N,  BUT_N,  NO),
    ("sam_dienstafname",       NO,     NO,     BUT_N,  BUT_N,  BUT_N,  BUT_N,  ALL,    BUT_N,  NO),
    # 6: contracts for government only; documents by doelgroep (default eigen organisatie).
    ("gem_contract",           NO,     NO,     NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("doc_eigen",              NO,     NO,     NO,     ALL,    ALL,    NO,     NO,     ALL,    NO),
    ("doc_overheid",           NO,     NO,     NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("doc_default",            NO,     NO,     NO,     ALL,    ALL,    NO,     NO,     ALL,    NO),
    # 6: a supplier's person is public as the aanspreekpunt of its own published objects only
    # (Beta's person is named on Dimpact's gebruik, which does not make it public).
    ("lev_contact",            ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
    ("lev_contact_private",    NO,     ALL,    NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("lev2_contact_named",     NO,     NO,     ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("gem_contact",            NO,     NO,     NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    ("sam_contact",            NO,     NO,     NO,     ALL,    ALL,    ALL,    ALL,    ALL,    NO),
    # 7
    ("lev_compliancy",         ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL,    ALL),
]

# Create: POST /api/v1/<collection> with {"status", "data"}; "@org" is an organisation's
# uuid, "#object" a world object's uuid. 400 means the data names an object the actor may not
# see ("Onbekend object, of een object dat u niet mag zien."). An anonymous POST is 401.
ON_PREM = "On-premises (self-managed)"
CREATE_DATA = {
    "module:published":    ("applicaties", "gepubliceerd",
                            {"naam": "Zaakwijzer Mobiel", "aanbieder": "@leverancier"}),
    "module:concept(4.4)": ("applicaties", "concept",
                            {"naam": "Zaakwijzer Mobiel", "aanbieder": "@leverancier"}),
    "version:lev_module":  ("applicatieversies", "gepubliceerd",
                            {"module": "#lev_module", "versie": "4.3"}),
    "version:gem_concept": ("applicatieversies", "gepubliceerd",
                            {"module": "#gem_concept_module", "versie": "1.1"}),
    "gebruik:Utrecht":     ("gebruik", "gepubliceerd",
                            {"afnemer": "@gemeente", "module": "#lev2_module",
                             "cloudDienstverleningsmodel": ON_PREM, "status": "Gepland"}),
    "gebruik:Dimpact":     ("gebruik", "gepubliceerd",
                            {"afnemer": "@samenwerking", "deelnemers": ["@gemeente", "@gemeente2"],
                             "module": "#lev_module", "cloudDienstverleningsmodel": "SaaS",
                             "status": "Gepland"}),
    "gebruik:proposal":    ("gebruik", "concept",
                            {"afnemer": "@gemeente", "module": "#lev_module",
                             "cloudDienstverleningsmodel": "SaaS", "status": "Verwerving"}),
    "gebruik:proposal-pub": ("gebruik", "gepubliceerd",
                            {"afnemer": "@gemeente", "module": "#lev_module",
                             "cloudDienstverleningsmodel": "SaaS", "status": "Verwerving"}),
    "koppeling:template":  ("koppelingen", "gepubliceerd",
                            {"moduleA": "#lev_module", "buitengemeentelijkVoorziening": "#digid",
                             "gegevensuitwisselingRichting": "BnaarA", "type": "webservices"}),
    "dienst":              ("diensten", "gepubliceerd",
                            {"naam": "Implementatie Zaakwijzer", "modules": ["#lev_module"],
                             "type": ["Implementatieondersteuning"]}),
    "dienstafname:Utrecht": ("dienstafnames", "gepubliceerd",
                            {"gebruik": "#gem_gebruik", "dienst": "#lev2_dienst",
                             "status": "Gepland"}),
    "dienstafname:Dimpact": ("dienstafnames", "gepubliceerd",
                            {"gebruik": "#sam_gebruik", "dienst": "#lev_dienst",
                             "status": "Gepland"}),
    "contract:Utrecht":    ("contracten", "gepubliceerd",
                            {"contractNummer": "UTR-2026-0007", "gebruik": "#gem_gebruik",
                             "contractType": "SLA", "status": "In onderhandeling",
                             "startDatum": "2026-01-01"}),
    "document:Utrecht":    ("gebruiksdocumenten", "gepubliceerd",
                            {"titel": "Pentest 2026", "gebruik": "#gem_gebruik",
                             "soort": "Pentest", "doelgroep": "overheid"}),
    "contactpersoon:own":  ("contactpersonen", "gepubliceerd",
                            {"voornaam": "Piet", "achternaam": "Jansen"}),
    "compliancy":          ("standaardondersteuning", "gepubliceerd",
                            {"module": "#lev_module", "moduleVersie": "#lev_v1",
                             "standaardversie": "#stuf", "ondersteuning": "Niet ondersteund"}),
}

CREATE = [
    #  what                    anon Acme Beta Utr  rpl  DHg  Dimp FB   vng
    ("module:published",       401, 201, 403, 403, 403, 403, 403, 201, 403),  # 1
    ("module:concept(4.4)",    401, 201, 403, 201, 403, 201, 201, 201, 403),  # 1
    ("version:lev_module",     401, 201, 403, 403, 403, 403, 403, 201, 403),  # 2
    # 2: versions of a gemeente's concept are functioneel beheer's; Acme claims it first.
    ("version:gem_concept",    401, 403, 400, 403, 403, 403, 403, 201, 403),  # 2
    ("gebruik:Utrecht",        401, 403, 403, 201, 403, 403, 403, 201, 403),  # 3
    ("gebruik:Dimpact",        401, 403, 403, 403, 403, 403, 201, 201, 403),  # 3
    # 3: Acme proposes a gebruik to Utrecht (for Utrecht itself: its own concept gebruik).
    ("gebruik:proposal",       401, 201, 403, 201, 403, 403, 403, 201, 403),  # 3
    ("gebruik:proposal-pub",   401, 403, 403, 201, 403, 403, 403, 201, 403),  # 3
    ("koppeling:template",     401, 201, 403, 201, 403, 201, 201, 201, 403),  # 4
    ("dienst",                 401, 201, 201, 403, 403, 403, 403, 201, 403),  # 5
    ("dienstafname:Utrecht",   401, 403, 403, 201, 403, 403, 403, 201, 403),  # 5
    ("dienstafname:Dimpact",   401, 403, 403, 403, 403, 403, 201, 201, 403),  # 3, 5
    # 6: a contract (like a document) belongs to a gebruik of one's own.
    ("contract:Utrecht",       401, 403, 403, 201, 403, 403, 403, 201, 403),  # 6
    ("document:Utrecht",       401, 403, 403, 201, 403, 403, 403, 201, 403),  # 6
    ("contactpersoon:own",     401, 201, 201, 201, 403, 201, 201, 201, 403),  # 6
    ("compliancy",             401, 201, 403, 403, 403, 403, 403, 201, 403),  # 7
]

# Update: PATCH the object. "edit" changes one ordinary field, "publish" sets the status
# gepubliceerd. 404: the actor cannot see the object; 401: anonymous, object visible.
EDIT = {
    "applicaties": {"data": {"beschrijvingKort": "Bijgewerkt."}},
    "applicatieversies": {"data": {"beschrijvingKort": "Bijgewerkt."}},
    "gebruik": {"data": {"hostingLocatie": "EU"}},
    "koppelingen": {"data": {"beschrijvingKort": "Bijgewerkt."}},
    "diensten": {"data": {"beschrijvingKort": "Bijgewerkt."}},
    "dienstafnames": {"data": {"startDatum": "2026-02-01"}},
    "contracten": {"data": {"opmerkingen": "Bijgewerkt."}},
    "gebruiksdocumenten": {"data": {"datum": "2026-03-01"}},
    "contactpersonen": {"data": {"functie": "Productmanager"}},
    "standaardondersteuning": {"data": {"url": "https://example.nl/testrapport"}},
}
PUBLISH = {"status": "gepubliceerd"}

UPDATE = [
    #  object                  change     anon Acme Beta Utr  rpl  DHg  Dimp FB   vng
    ("lev_module",             "edit",    401, 200, 403, 403, 403, 403, 403, 200, 403),  # 1
    ("gem_concept_module",     "edit",    404, 403, 404, 200, 403, 403, 403, 200, 404),  # 1
    ("gem_concept_module",     "publish", 404, 403, 404, 403, 403, 403, 403, 200, 404),  # 1
    ("lev_v1",                 "edit",    401, 200, 403, 403, 403, 403, 403, 200, 403),  # 2
    ("gem_concept_version",    "edit",    404, 403, 404, 403, 403, 403, 403, 200, 404),  # 2
    ("gem_gebruik",            "edit",    404, 403, 404, 200, 403, 403, 403, 200, 404),  # 6
    ("sam_gebruik",            "edit",    404, 404, 403, 403, 403, 403, 200, 200, 404),  # 3
    ("proposed_gebruik",       "edit",    404, 200, 404, 404, 404, 403, 404, 200, 404),  # 3
    ("proposed_gebruik",       "publish", 404, 403, 404, 404, 404, 403, 404, 200, 404),  # 3
    ("lev_koppeling",          "edit",    401, 200, 403, 403, 403, 403, 403, 200, 403),  # 4
    ("gem_koppeling",          "edit",    404, 404, 404, 200, 403, 403, 403, 200, 404),  # 4
    ("lev_dienst",             "edit",    401, 200, 403, 403, 403, 403, 403, 200, 403),  # 5
    ("gem_dienstafname",       "edit",    404, 403, 404, 200, 403, 403, 403, 200, 404),  # 5
    ("sam_dienstafname",       "edit",    404, 404, 403, 403, 403, 403, 200, 200, 404),  # 5
    ("gem_contract",           "edit",    404, 404, 404, 200, 403, 403, 403, 200, 404),  # 6
    ("doc_eigen",              "edit",    404, 404, 404, 200, 403, 404, 404, 200, 404),  # 6
    ("doc_overheid",           "edit",    404, 404, 404, 200, 403, 403, 403, 200, 404),  # 6
    ("lev_contact",            "edit",    401, 200, 403, 403, 403, 403, 403, 200, 403),  # 6
    ("gem_contact",            "edit",    404, 404, 404, 200, 403, 403, 403, 200, 404),  # 6
    ("lev_compliancy",         "edit",    401, 200, 403, 403, 403, 403, 403, 200, 403),  # 7
]

# Archive: DELETE. 204 archived; 409 allowed, but other objects still refer to it. Den Haag
# archiving the proposal made to it is rejecting it (3).
IN_USE = 409
ARCHIVE = [
    #  object                  anon  Acme    Beta  Utr     rpl  DHg  Dimp    FB      vng
    ("lev_module",             401,  IN_USE, 403,  403,    403, 403, 403,    IN_USE, 403),
    ("lev_concept_module",     404,  204,    404,  403,    403, 403, 403,    204,    404),
    ("gem_concept_module",     404,  403,    404,  IN_USE, 403, 403, 403,    IN_USE, 404),
    ("lev_v1",                 401,  IN_USE, 403,  403,    403, 403, 403,    IN_USE, 403),
    ("lev_cloud",              401,  204,    403,  403,    403, 403, 403,    204,    403),
    ("gem_concept_version",    404,  403,    404,  403,    403, 403, 403,    204,    404),
    ("gem_gebruik",            404,  403,    404,  IN_USE, 403, 403, 403,    IN_USE, 404),
    ("sam_gebruik",            404,  404,    403,  403,    403, 403, IN_USE, IN_USE, 404),
    ("proposed_gebruik",       404,  204,    404,  404,    404, 204, 404,    204,    404),
    ("lev_koppeling",          401,  204,    403,  403,    403, 403, 403,    204,    403),
    ("gem_koppeling",          404,  404,    404,  204,    403, 403, 403,    204,    404),
    ("lev_dienst",             401,  IN_USE, 403,  403,    403, 403, 403,    IN_USE, 403),
    ("gem_dienstafname",       404,  403,    404,  204,    403, 403, 403,    204,    404),
    ("sam_dienstafname",       404,  404,    403,  403,    403, 403, 204,    204,    404),
    ("gem_contract",           404,  404,    404,  204,    403, 403, 403,    204,    404),
    ("doc_eigen",              404,  404,    404,  204,    403, 404, 404,    204,    404),
    ("doc_overheid",           404,  404,    404,  204,    403, 403, 403,    204,    404),
    ("lev_contact",            401,  IN_USE, 403,  403,    403, 403, 403,    IN_USE, 403),
    ("lev_contact_private",    404,  204,    404,  403,    403, 403, 403,    204,    404),
    ("gem_contact",            404,  404,    404,  IN_USE, 403, 403, 403,    IN_USE, 404),
    ("sam_contact",            404,  404,    404,  403,    403, 403, 204,    204,    404),
    ("lev_compliancy",         401,  204,    403,  403,    403, 403, 403,    204,    403),
]

# Claim: POST …/overnemen {"status": "gepubliceerd"}: the actor's organisation becomes the
# owner. The supplier a gemeente's concept application names claims it (1); the gemeente a
# proposal is made to accepts it (3). Functioneel beheer may do everything.
CLAIM = [
    #  object                  anon Acme Beta Utr  rpl  DHg  Dimp FB   vng
    ("gem_concept_module",     404, 200, 404, 403, 403, 403, 403, 200, 404),
    ("proposed_gebruik",       404, 403, 404, 404, 404, 200, 404, 200, 404),
]
# fmt: on


def cases(table, width=1):
    """One pytest param per cell: (row key..., actor, expected), id "<row>-<actor>"."""
    params = []
    for row in table:
        keys, cells = row[:width], row[width:]
        assert len(cells) == len(ACTORS), f"row {keys} needs one cell per actor"
        for actor, expected in zip(ACTORS, cells, strict=True):
            params.append(pytest.param(*keys, actor, expected, id="-".join([*keys, actor])))
    return params


def listed(api, collection: str) -> dict[str, dict]:
    response = api.get(f"/api/v1/{collection}", {"paginaGrootte": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] <= 100, "the world outgrew one page"
    return {item["uuid"]: item for item in body["items"]}


@pytest.mark.parametrize(("key", "actor", "expected"), cases(READ))
def test_read(access_world, key, actor, expected):
    world = access_world
    api = world.api(actor)
    stored = world.objects[key].data
    detail = api.get(world.url(key))
    items = listed(api, world.collection(key))
    if not expected.visible:
        assert detail.status_code == 404, f"{actor} can read {key}: {detail.content[:300]}"
        assert world.uuid(key) not in items, f"{actor} finds {key} in the list"
        return
    assert detail.status_code == 200, detail.content
    assert world.uuid(key) in items, f"{actor} can GET {key} but it is not in the list"
    assert set(expected.hidden) <= set(stored), "the world must set the fields it hides"
    fields = set(stored) - set(expected.hidden)
    assert set(detail.json()["data"]) == fields, "fields shown in the detail"
    assert set(items[world.uuid(key)]["data"]) == fields, "fields shown in the list"


@pytest.mark.parametrize(("what", "actor", "expected"), cases(CREATE))
def test_create(access_world, what, actor, expected):
    world = access_world
    collection, status, data = CREATE_DATA[what]
    response = world.api(actor).post(
        f"/api/v1/{collection}", {"status": status, "data": world.resolve(data)}
    )
    assert response.status_code == expected, response.content
    if expected == 201:  # 4: owned by the organisation that registers it
        org_key = actor.split("@")[1]
        assert response.json()["eigenaar"]["uuid"] == str(world.orgs[org_key].uuid)


@pytest.mark.parametrize(("key", "change", "actor", "expected"), cases(UPDATE, width=2))
def test_update(access_world, key, change, actor, expected):
    world = access_world
    body = PUBLISH if change == "publish" else EDIT[world.collection(key)]
    response = world.api(actor).patch(world.url(key), body)
    assert response.status_code == expected, response.content
    if expected == 200 and change == "publish":
        assert response.json()["status"] == "gepubliceerd"


@pytest.mark.parametrize(("key", "actor", "expected"), cases(ARCHIVE))
def test_archive(access_world, key, actor, expected):
    world = access_world
    response = world.api(actor).delete(world.url(key))
    assert response.status_code == expected, response.content
    if expected == 204:  # archived: out of the lists, still there for functioneel beheer
        assert world.uuid(key) not in listed(world.api(actor), world.collection(key))
        assert world.api(FB).get(world.url(key)).json()["status"] == "gearchiveerd"


@pytest.mark.parametrize(("key", "actor", "expected"), cases(CLAIM))
def test_claim(access_world, key, actor, expected):
    world = access_world
    response = world.api(actor).post(f"{world.url(key)}/overnemen", PUBLISH)
    assert response.status_code == expected, response.content
    if expected == 200:
        org_key = actor.split("@")[1]
        assert response.json()["eigenaar"]["uuid"] == str(world.orgs[org_key].uuid)
        assert response.json()["status"] == "gepubliceerd"


# --- what the table cannot show ----------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "registered_by"),
    [(LEV, "Leverancier"), (GEM, "Gemeente"), (SAM, "Samenwerking")],
)
def test_registered_by_is_derived_from_the_creating_organisation(
    access_world, actor, registered_by
):
    """1: geregistreerdDoor comes from the creating organisation, never from the client."""
    api = access_world.api(actor)
    data = {"naam": "Vergunningen", "aanbieder": access_world.resolve("@leverancier")}
    created = api.post("/api/v1/applicaties", {"data": data})
    assert created.status_code == 201, created.content
    assert created.json()["data"]["geregistreerdDoor"] == registered_by
    claimed = api.post("/api/v1/applicaties", {"data": {**data, "geregistreerdDoor": "VNG"}})
    assert claimed.status_code == 400


def test_a_saas_application_gets_a_cloud_version_on_the_server(access_world):
    """1: the world's Zaakwijzer (SaaS) got the version "Cloud" from the server."""
    assert "lev_cloud" in access_world.objects, "no version Cloud for the SaaS application"
    cloud = access_world.objects["lev_cloud"]
    assert cloud.data["module"] == access_world.uuid("lev_module")
    assert cloud.organisation == access_world.orgs["leverancier"]
    assert cloud.status == "gepubliceerd"


def test_a_community_cannot_register_a_shared_gebruik(access_world):
    """3: only a samenwerking's gebruik lists deelnemers; a community cannot do this."""
    data = {
        "afnemer": "@community",
        "deelnemers": ["@gemeente"],
        "module": "#lev2_module",
        "cloudDienstverleningsmodel": ON_PREM,
        "status": "Gepland",
    }
    response = access_world.api(COMMUNITY).post(
        "/api/v1/gebruik", {"status": "gepubliceerd", "data": access_world.resolve(data)}
    )
    assert response.status_code == 403, response.content


def test_a_supplier_claims_the_concept_application_naming_it(access_world):
    """1: public once claimed by its supplier and published; it stays registered by Utrecht."""
    world = access_world
    url = world.url("gem_concept_module")
    assert world.api(ANON).get(url).status_code == 404
    claimed = world.api(LEV).post(f"{url}/overnemen", PUBLISH)
    assert claimed.status_code == 200, claimed.content
    public = world.api(ANON).get(url)
    assert public.status_code == 200, public.content
    assert public.json()["data"]["geregistreerdDoor"] == "Gemeente"
    assert world.api(GEM).patch(url, EDIT["applicaties"]).status_code == 403  # no longer its own


def test_the_gemeente_accepts_a_proposed_gebruik(access_world):
    """3: once Den Haag accepts it, the proposal is Den Haag's published gebruik."""
    world = access_world
    url = world.url("proposed_gebruik")
    accepted = world.api(GEM2).post(f"{url}/overnemen", PUBLISH)
    assert accepted.status_code == 200, accepted.content
    assert world.api(GEM).get(url).status_code == 200  # now: gluren bij de buren
    assert world.api(GEM2).patch(url, EDIT["gebruik"]).status_code == 200
    assert world.api(LEV).patch(url, EDIT["gebruik"]).status_code == 403  # no longer its own
    supplier = world.api(LEV).get(url)  # still readable, as the supplier of the application
    assert supplier.status_code == 200, supplier.content


REFERRERS = [
    # Who refers to Utrecht's gebruik, as each reader sees it (GET …/verwijzingen).
    (LEV, {"gem_dienstafname"}),  # 6: no contract, no documents for the supplier
    (GEM, {"gem_dienstafname", "gem_contract", "doc_eigen", "doc_overheid", "doc_default"}),
    (RPL, {"gem_dienstafname", "gem_contract", "doc_eigen", "doc_overheid", "doc_default"}),
    (GEM2, {"gem_dienstafname", "gem_contract", "doc_overheid"}),
    (SAM, {"gem_dienstafname", "gem_contract", "doc_overheid"}),
]


@pytest.mark.parametrize(("actor", "expected"), REFERRERS, ids=[a for a, _ in REFERRERS])
def test_references_of_a_gebruik_follow_the_table(access_world, actor, expected):
    world = access_world
    response = world.api(actor).get(f"{world.url('gem_gebruik')}/verwijzingen")
    assert response.status_code == 200, response.content
    found = {item["uuid"] for item in response.json()["items"]}
    assert found == {world.uuid(key) for key in expected}


@pytest.mark.parametrize(
    ("actor", "hidden"),
    [(LEV, {NOTE, CONTACT}), (GEM2, {NOTE}), (FB, {NOTE})],
    ids=[LEV, GEM2, FB],
)
def test_history_hides_what_the_detail_hides(access_world, actor, hidden):
    """6: the field audiences of gebruik hold in its history too."""
    world = access_world
    url = world.url("gem_gebruik")
    edit = world.api(GEM).patch(url, {"data": {NOTE: "Nieuw", "hostingLocatie": "EU"}})
    assert edit.status_code == 200, edit.content
    history = world.api(actor).get(f"{url}/historie")
    assert history.status_code == 200, history.content
    changed = set().union(*(item["wijzigingen"] for item in history.json()["items"]))
    assert "hostingLocatie" in changed
    assert not changed & hidden
