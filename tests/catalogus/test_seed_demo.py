"""`manage.py seed_demo`: a deterministic, valid, realistic catalogue around the real gemeenten.

The catalogue is generated once per test class (scale 0.02, about 2 700 objects) inside a
transaction that is rolled back afterwards; each test reads it in its own savepoint.
"""

from __future__ import annotations

import io
import uuid
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from core import services
from core.actors import Actor
from core.constants import ObjectStatus, OrganisationType, Role
from core.demo import DEMO_USERS, ensure_demo_data
from core.models import Object, ObjectRelation, ObjectVersion, Organisation, Schema, User
from core.plugins.manager import review_queues
from core.reference_data.gemeenten import load_gemeenten
from core.register import catalog, loader
from core.register.validation import validate, validator_for
from plugins.catalogus.seed import SeedRefused, read_world, seed_demo
from plugins.catalogus.seed.plan import ON_PREMISES, PHASES, SAAS_VERSION, gebruik_range, make_plan
from plugins.catalogus.seed.writer import GENERATOR_EMAIL

SCALE = 0.02
SEED = 7
STANDAARDEN = {
    "StUF-ZKN": ["3.10", "3.20"],
    "ZGW API's": ["1.0", "1.5"],
    "NL GOV API Design Rules": ["2.0"],
}
REFERENTIECOMPONENTEN = {
    "Zaakregistratiecomponent": ["StUF-ZKN", "ZGW API's"],
    "Documentbeheercomponent": ["ZGW API's"],
    "Burgerzakencomponent": [],
    "Belastingencomponent": [],
    "Wmo-component": ["NL GOV API Design Rules"],
    "Financieel component": [],
    "Klantgeleidingcomponent": [],
    "Vergunning- Toezicht- Handhavingcomponent": ["ZGW API's"],
}
VOORZIENINGEN = ["DigiD", "BRP", "eHerkenning", "MijnOverheid", "Digipoort"]


def make_gemma() -> None:
    """A handful of GEMMA elements, written as the import writes them (system, for VNG)."""
    vng, _ = Organisation.objects.get_or_create(
        naam="VNG Realisatie", type=OrganisationType.VNG, defaults={"status": "Actief"}
    )
    system = Actor.for_system()

    def create(schema: str, data: dict) -> str:
        object_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{schema}/{data['naam']}"))
        obj = services.create_object(
            catalog.by_key(f"gemma/{schema}"),
            {**data, "objectId": object_id},
            actor=system,
            status=ObjectStatus.GEPUBLICEERD,
            organisation=vng,
            uuid=uuid.UUID(object_id),
        )
        return str(obj.uuid)

    standards = {}
    for naam, versions in STANDAARDEN.items():
        standards[naam] = create("standaard", {"naam": naam})
        for versie in versions:
            create(
                "standaardversie",
                {
                    "naam": f"{naam} {versie}",
                    "versieaanduiding": versie,
                    "standaard": standards[naam],
                },
            )
    for naam, linked in REFERENTIECOMPONENTEN.items():
        create("referentiecomponent", {"naam": naam, "standaarden": [standards[s] for s in linked]})
    for naam in VOORZIENINGEN:
        create("voorziening", {"naam": naam})


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        if not Schema.objects.exists():
            loader.load()
        catalog.clear()
        load_gemeenten()
        make_gemma()
        world = read_world()
        out = io.StringIO()
        call_command("seed_demo", "--scale", str(SCALE), "--seed", str(SEED), stdout=out)
        yield SimpleNamespace(world=world, output=out.getvalue())
        transaction.set_rollback(True)
    catalog.clear()


def objects(schema: str):
    return Object.objects.filter(schema=catalog.by_key(schema).schema)


def names(plan) -> dict:
    return {
        "organisaties": [o.naam for o in plan.organisations],
        "applicaties": [r.data["naam"] for r in plan.rows["catalogus/module"]],
        "contactpersonen": [r.data["emailadres"] for r in plan.rows["catalogus/contactpersoon"]],
    }


class TestGeneratedCatalogue:
    """Reads one catalogue generated for the whole class."""

    def test_same_seed_same_catalogue_other_seed_another(self, seeded, db):
        first = make_plan(seeded.world, scale=SCALE, seed=SEED)
        again = make_plan(seeded.world, scale=SCALE, seed=SEED)
        other = make_plan(seeded.world, scale=SCALE, seed=SEED + 1)
        assert first.counts() == again.counts()
        assert names(first) == names(again)
        assert names(first)["applicaties"] != names(other)["applicaties"]

    def test_the_database_holds_exactly_the_plan(self, seeded, db):
        plan = make_plan(seeded.world, scale=SCALE, seed=SEED)
        for schema in PHASES:
            assert objects(schema).count() == len(plan.rows[schema]), schema
        assert sorted(objects("catalogus/module").values_list("data__naam", flat=True)) == sorted(
            names(plan)["applicaties"]
        )
        generated = {o.naam for o in plan.organisations if o.pk is None}
        assert set(
            Organisation.objects.filter(naam__in=generated).values_list("naam", flat=True)
        ) == (generated)
        counts = Counter(Organisation.objects.values_list("type", flat=True))
        assert counts[OrganisationType.GEMEENTE] == 342
        assert counts[OrganisationType.LEVERANCIER] == round(2600 * SCALE)
        assert counts[OrganisationType.SAMENWERKING] == 2
        assert counts[OrganisationType.COMMUNITY] >= 1
        assert 2000 < sum(plan.counts().values()) < 4000

    def test_every_object_is_valid_with_history_and_relation_index(self, seeded, db):
        rows = Object.objects.filter(schema__register__slug="catalogus")
        for obj in rows.select_related("schema_version"):
            assert validate(validator_for(obj.schema_version_id), obj.data) == [], obj.title
        assert ObjectVersion.objects.filter(object__in=rows).count() == rows.count()
        assert set(
            ObjectVersion.objects.filter(object__in=rows).values_list("user__email", "channel")
        ) == {(GENERATOR_EMAIL, "system")}
        gebruik = objects("catalogus/gebruik")
        relations = ObjectRelation.objects.filter(source__in=gebruik)
        assert relations.filter(property="afnemer").count() == gebruik.count()
        assert relations.filter(property="module").count() == gebruik.count()
        assert not User.objects.get(email=GENERATOR_EMAIL).is_active

    def test_the_command_reports_throughput_per_schema(self, seeded, db):
        for schema in ("contactpersoon", "module", "moduleVersie", "gebruik", "koppeling"):
            assert f"{schema}: " in seeded.output and "/s, " in seeded.output
        assert "Klaar:" in seeded.output and "objecten/s" in seeded.output

    def test_every_gemeente_uses_an_amount_in_range_with_skewed_popularity(self, seeded, db):
        low, high = gebruik_range(SCALE)
        per_gemeente = Counter(
            objects("catalogus/gebruik")
            .filter(organisation__type=OrganisationType.GEMEENTE)
            .values_list("organisation_id", flat=True)
        )
        assert len(per_gemeente) == 342
        assert all(low <= n <= high for n in per_gemeente.values()), (low, high)
        popularity = Counter(objects("catalogus/gebruik").values_list("data__module", flat=True))
        ranked = sorted(popularity.values(), reverse=True)
        assert ranked[0] >= 5 * ranked[len(ranked) // 2]

    def test_gebruik_matches_what_the_application_offers(self, seeded, db):
        modules = dict(objects("catalogus/module").values_list("uuid", "data"))
        versions = dict(objects("catalogus/moduleVersie").values_list("uuid", "data"))
        statuses = Counter()
        for data in objects("catalogus/gebruik").values_list("data", flat=True):
            module = modules[uuid.UUID(data["module"])]
            statuses[data["status"]] += 1
            assert (
                data.get("cloudDienstverleningsmodel", ON_PREMISES)
                in module["cloudDienstverleningsmodel"]
            )
            if "moduleVersie" in data:
                assert data["cloudDienstverleningsmodel"] == ON_PREMISES
                version = versions[uuid.UUID(data["moduleVersie"])]
                assert version["module"] == data["module"] and version["versie"] != SAAS_VERSION
        assert statuses.most_common(1)[0][0] == "In productie"
        assert statuses["In productie"] > 0.6 * sum(statuses.values())

    def test_saas_applications_have_one_cloud_version_and_others_a_lifecycle(self, seeded, db):
        cloud = Counter(
            objects("catalogus/moduleVersie")
            .filter(data__versie=SAAS_VERSION)
            .values_list("data__module", flat=True)
        )
        supplier_modules = objects("catalogus/module").filter(
            organisation__type__in=[OrganisationType.LEVERANCIER, OrganisationType.COMMUNITY]
        )
        saas = {
            str(uid)
            for uid, models in supplier_modules.values_list(
                "uuid", "data__cloudDienstverleningsmodel"
            )
            if "SaaS" in models
        }
        assert set(cloud) == saas and set(cloud.values()) == {1}
        lifecycle = Counter(
            objects("catalogus/moduleVersie").values_list("data__status", flat=True)
        )
        assert lifecycle["in gebruik"] and lifecycle["einde ondersteuning"]

    def test_samenwerkingen_share_gebruik_with_gemeenten_as_deelnemers(self, seeded, db):
        shared = objects("catalogus/gebruik").filter(
            organisation__type=OrganisationType.SAMENWERKING
        )
        assert shared.exists()
        gemeenten = {
            str(u)
            for u in Organisation.objects.filter(type=OrganisationType.GEMEENTE).values_list(
                "uuid", flat=True
            )
        }
        for obj in shared.select_related("organisation"):
            assert obj.data["afnemer"] == str(obj.organisation.uuid)
            assert obj.data["deelnemers"] and set(obj.data["deelnemers"]) <= gemeenten
        assert (
            not objects("catalogus/gebruik")
            .exclude(organisation__type=OrganisationType.SAMENWERKING)
            .filter(data__has_key="deelnemers")
        )

    def test_communities_offer_open_source_applications(self, seeded, db):
        offered = objects("catalogus/module").filter(organisation__type=OrganisationType.COMMUNITY)
        assert offered.filter(status=ObjectStatus.GEPUBLICEERD).exists()
        assert set(offered.values_list("data__licentietype", flat=True)) == {"Open source"}

    def test_gemeenten_register_concept_applications(self, seeded, db):
        concepts = objects("catalogus/module").filter(organisation__type=OrganisationType.GEMEENTE)
        assert concepts.exists()
        assert set(concepts.values_list("status", "data__geregistreerdDoor")) == {
            (ObjectStatus.CONCEPT, "Gemeente")
        }
        used = set(objects("catalogus/gebruik").values_list("organisation_id", "data__module"))
        assert all((c.organisation_id, str(c.uuid)) in used for c in concepts)

    def test_suppliers_propose_gebruik_as_a_concept(self, seeded, db):
        proposed = objects("catalogus/gebruik").filter(
            organisation__type=OrganisationType.LEVERANCIER
        )
        assert proposed.exists()
        aanbieder = dict(objects("catalogus/module").values_list("uuid", "data__aanbieder"))
        for obj in proposed.select_related("organisation"):
            assert obj.status == ObjectStatus.CONCEPT
            assert aanbieder[uuid.UUID(obj.data["module"])] == str(obj.organisation.uuid)
            assert (
                Organisation.objects.get(uuid=obj.data["afnemer"]).type == OrganisationType.GEMEENTE
            )

    def test_koppelingen_stay_inside_the_landscape_or_go_to_voorzieningen(self, seeded, db):
        used = defaultdict(set)
        for owner, module in objects("catalogus/gebruik").values_list(
            "organisation_id", "data__module"
        ):
            used[owner].add(module)
        voorzieningen = {
            str(u) for u in objects("gemma/voorziening").values_list("uuid", flat=True)
        }
        landscape = objects("catalogus/koppeling").filter(
            organisation__type__in=[OrganisationType.GEMEENTE, OrganisationType.SAMENWERKING]
        )
        assert landscape.exists()
        kinds = Counter()
        for owner, data in landscape.values_list("organisation_id", "data"):
            assert data["moduleA"] in used[owner]
            if "moduleB" in data:
                assert data["moduleB"] in used[owner] and data["koppelingType"] == "intern"
            else:
                assert data["buitengemeentelijkVoorziening"] in voorzieningen
                kinds["extern"] += 1
        assert kinds["extern"]
        templates = objects("catalogus/koppeling").filter(
            organisation__type__in=[OrganisationType.LEVERANCIER, OrganisationType.COMMUNITY]
        )
        assert templates.exists() and set(templates.values_list("status", flat=True)) == {
            ObjectStatus.GEPUBLICEERD
        }

    def test_contacts_services_contracts_and_compliancy(self, seeded, db):
        contacts = objects("catalogus/contactpersoon")
        by_uuid = dict(contacts.values_list("uuid", "organisation_id"))
        for owner, contact in (
            objects("catalogus/module")
            .filter(organisation__type=OrganisationType.LEVERANCIER)
            .values_list("organisation_id", "data__contactpersoon")
        ):
            assert by_uuid[uuid.UUID(contact)] == owner  # the supplier's own aanspreekpunt
        on_gebruik = objects("catalogus/gebruik").filter(data__has_key="contactpersoon")
        assert on_gebruik.exists()
        for owner, contact in on_gebruik.values_list("organisation_id", "data__contactpersoon"):
            assert by_uuid[uuid.UUID(contact)] == owner
        standards = {
            str(u) for u in objects("gemma/standaardversie").values_list("uuid", flat=True)
        }
        compliancy = objects("catalogus/compliancy").values_list("data__standaardversie", flat=True)
        assert compliancy and set(compliancy) <= standards
        for schema in ("dienst", "dienstafname", "contract"):
            assert objects(f"catalogus/{schema}").exists(), schema

    def test_a_second_run_is_refused(self, seeded, db):
        with pytest.raises(SeedRefused, match="bevat al .* objecten"):
            seed_demo(scale=SCALE)
        with pytest.raises(CommandError, match="seed_demo vult alleen een lege catalogus"):
            call_command("seed_demo", "--scale", "0.01")

    @override_settings(DEBUG=True, DEMO=True)
    def test_demo_users_join_the_generated_organisations(self, seeded, db):
        ensure_demo_data()
        assert ensure_demo_data() == []  # idempotent
        for email, org_type, role in DEMO_USERS:
            membership = User.objects.get(email=email).memberships.get()
            assert (membership.organisation.type, membership.role) == (org_type, role)
        utrecht = User.objects.get(email="gemeente@example.nl").memberships.get().organisation
        assert utrecht.cbs_code == "0344"
        supplier = User.objects.get(email="leverancier@example.nl").memberships.get().organisation
        assert objects("catalogus/module").filter(organisation=supplier).exists()
        samenwerking = (
            User.objects.get(email="samenwerking@example.nl").memberships.get().organisation
        )
        assert objects("catalogus/gebruik").filter(organisation=samenwerking).exists()
        admin = User.objects.get(email="admin@softwarecatalogus.nl")
        assert admin.is_superuser and admin.memberships.get().role == Role.FUNCTIONEEL_BEHEERDER
        # Functioneel beheer's inbox has something to decide, once.
        fb = Actor.for_membership(admin.memberships.get())
        waiting = {slug: q.items(actor=fb) for slug, q in review_queues().items()}
        assert len(waiting["aanmeldingen"]) == 1 and len(waiting["toegangsverzoeken"]) == 1


@pytest.mark.django_db
def test_refused_without_gemma():
    load_gemeenten()
    with pytest.raises(CommandError, match="Importeer eerst een GEMMA-release"):
        call_command("seed_demo", "--scale", "0.01")
    assert not Object.objects.filter(schema__register__slug="catalogus").exists()


@pytest.mark.django_db
def test_refused_at_an_impossible_scale():
    with pytest.raises(SeedRefused, match="schaal"):
        seed_demo(scale=0)


@pytest.mark.django_db
@override_settings(DEBUG=True, DEMO=True)
def test_demo_organisations_made_first_are_filled_by_the_generator():
    """`make run` order: gemeenten, demo users, then the generator (which reuses them)."""
    load_gemeenten()
    ensure_demo_data()
    make_gemma()
    world = read_world()
    plan = make_plan(world, scale=SCALE, seed=SEED)
    owners = Counter(
        plan.organisations[row.owner.index].naam for rows in plan.rows.values() for row in rows
    )
    assert owners["Acme Software"] and owners["Demosamenwerking Midden-Nederland"]
    assert owners["Utrecht"]
    assert len([o for o in plan.organisations if o.naam == "Acme Software"]) == 1
