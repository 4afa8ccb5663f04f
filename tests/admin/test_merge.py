"""Merging organisations: the preview counts what the merge then moves, all at once or not.

Uses the catalogue world of `tests/catalogus/conftest.py`: Utrecht (gemeente) owns a
landscape (gebruik, koppeling, dienstafname, contract, documents, concept applications, a
contact person) and is a deelnemer in Dimpact's gebruik; it merges into Den Haag.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from core import services
from core.accounts import AccountError, invitations
from core.accounts import merge as merging
from core.accounts.links import new_token
from core.actors import Actor
from core.constants import OrganisationStatus, Role
from core.models import (
    AccessRequest,
    ApiToken,
    AuditEntry,
    Deelneming,
    Invitation,
    Membership,
    Object,
    ObjectRelation,
    ObjectVersion,
    Organisation,
)
from core.register import catalog
from core.services import NotAllowed
from tests.admin.conftest import admin_access, is_denied, logged_in
from tests.catalogus.conftest import build_world
from tests.conftest import member

pytestmark = pytest.mark.django_db

BOTH = "twee.gemeenten@example.nl"
OWNED_BY_UTRECHT = {
    "Applicatie": 2,
    "Applicatieversie": 1,
    "Contactpersoon": 1,
    "Contract": 1,
    "Dienstafname": 1,
    "Gebruik": 1,
    "Gebruiksdocument": 3,
    "Koppeling": 1,
}
REFERENCES_TO_UTRECHT = {
    ("Contactpersoon", "Organisatie"): 1,
    ("Contract", "Afnemer"): 1,
    ("Dienstafname", "Afnemer"): 1,
    ("Gebruik", "Afnemer"): 1,
    ("Gebruik", "Deelnemers"): 1,
}


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end; each test runs in a savepoint on
    top, so a merge in one test is gone in the next. Tests must not change this object."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world
        transaction.set_rollback(True)
    catalog.clear()


@pytest.fixture
def world(shared_world, db):
    return shared_world


def actor(world, org_key: str, role: str) -> Actor:
    return Actor.for_membership(member(world.orgs[org_key], role))


def fresh(world, key: str) -> Organisation:
    """The organisation as it is now (the shared world's instances must stay untouched)."""
    return Organisation.objects.get(pk=world.orgs[key].pk)


def fb(world) -> Actor:
    return actor(world, "vng", Role.FUNCTIONEEL_BEHEERDER)


@pytest.fixture
def extras(world):
    """Around the landscape: people, deelnemingen, an invitation, requests, the deelnemers
    array naming both gemeenten."""
    orgs = world.orgs
    utrecht, den_haag = orgs["gemeente"], orgs["gemeente2"]
    member(utrecht, Role.GEBRUIK_RAADPLEGER, email=BOTH)
    member(den_haag, Role.GEBRUIK_BEHEERDER, email=BOTH)
    # The world has both gemeenten in Dimpact already.
    assert Deelneming.objects.filter(samenwerking=orgs["samenwerking"]).count() == 2
    Deelneming.objects.create(organisation=utrecht, samenwerking=orgs["community"])
    for email in ("nieuw@utrecht.example.nl", "oud@utrecht.example.nl"):
        used = invitations.invite(
            actor=fb(world), organisation=utrecht, email=email, role="gebruik-raadpleger"
        )
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())
    for status in (AccessRequest.Status.TE_BEOORDELEN, AccessRequest.Status.AFGEWEZEN):
        AccessRequest.objects.create(
            organisation=utrecht,
            voornaam="Sanne",
            achternaam=status,
            email=f"{status.replace(' ', '')}@example.nl",
            status=status,
            token_hash=new_token()[1],
            expires_at=timezone.now() + timedelta(hours=72),
        )
    sam = actor(world, "samenwerking", Role.GEBRUIK_BEHEERDER)
    services.update_object(
        world.objects["sam_gebruik"],
        {"deelnemers": [str(utrecht.uuid), str(den_haag.uuid)]},
        actor=sam,
        partial=True,
    )
    mail.outbox.clear()
    return world


def test_preview_counts_everything_that_moves(extras):
    utrecht, den_haag = fresh(extras, "gemeente"), fresh(extras, "gemeente2")
    preview = merging.preview(utrecht, den_haag)
    assert {row["schema"]: row["count"] for row in preview["objects"]} == OWNED_BY_UTRECHT
    assert preview["objects_total"] == 11
    assert {
        (row["schema"], row["property"]): row["count"] for row in preview["references"]
    } == REFERENCES_TO_UTRECHT
    assert preview["references_total"] == 5
    assert preview["referring_objects"] == 1  # Dimpact's gebruik names Utrecht as deelnemer
    # gebruik-beheerder, gebruik-raadpleger and BOTH; BOTH is already in Den Haag.
    assert preview["memberships"] == 2
    assert preview["memberships_in_target"] == 1
    assert preview["deelnemingen"] == 1  # Open Community
    assert preview["deelnemingen_duplicate"] == 1  # Den Haag is in Dimpact already
    assert preview["invitations"] == 1
    assert preview["access_requests"] == 1
    assert preview["api_tokens"] == 2  # the world's tokens of Utrecht's two roles
    assert preview["sign_ups"] == 0
    assert preview["blockers"] == []


def test_merge_moves_everything_in_one_go(extras):
    world = extras
    utrecht, den_haag = fresh(world, "gemeente"), fresh(world, "gemeente2")
    before = {key: Object.objects.get(pk=obj.pk) for key, obj in world.objects.items()}
    assert before["gem_gebruik"].title == "Zaakwijzer bij Utrecht"
    preview = merging.preview(utrecht, den_haag)

    with TestCase.captureOnCommitCallbacks(execute=True):
        result = merging.merge(utrecht, den_haag, actor=fb(world))

    assert result["already_merged"] is False
    assert result["counts"] == {key: preview[key] for key in merging.COUNT_KEYS}

    # The source stays, merged, pointing to the target.
    utrecht.refresh_from_db()
    assert utrecht.status == OrganisationStatus.SAMENGEVOEGD
    assert utrecht.samengevoegd_in == den_haag

    # Objects: new owner, references rewritten, derived titles follow.
    assert not Object.objects.filter(organisation=utrecht).exists()
    dh = str(den_haag.uuid)
    gebruik = Object.objects.get(pk=before["gem_gebruik"].pk)
    assert gebruik.organisation == den_haag
    assert gebruik.data["afnemer"] == dh
    assert gebruik.title == gebruik.data["naam"] == "Zaakwijzer bij Den Haag"
    assert gebruik.data["interneAantekening"] == "Verlengen bespreken in Q2."
    afname = Object.objects.get(pk=before["gem_dienstafname"].pk)
    assert afname.data["afnemer"] == dh
    # Its title shows the gebruik only to those who may read it, so it stays as it was.
    assert afname.title == before["gem_dienstafname"].title
    contact = Object.objects.get(pk=before["gem_contact"].pk)
    assert contact.data["organisatie"] == dh
    sam_gebruik = Object.objects.get(pk=before["sam_gebruik"].pk)
    assert sam_gebruik.organisation == world.orgs["samenwerking"]  # not Utrecht's: stays
    assert sam_gebruik.data["deelnemers"] == [dh]  # named both: now once

    # History: one new version per changed object, by functioneel beheer.
    changed = ObjectVersion.objects.filter(action="samengevoegd")
    # Utrecht's 11 and Dimpact's gebruik; Den Haag's proposed gebruik did not change.
    assert changed.count() == result["changed_objects"] == 12
    for version in changed:
        old = before_by_pk(before, version.object_id)
        assert version.version == old.version + 1
        assert Object.objects.get(pk=version.object_id).version == old.version + 1
        assert version.user == fb(world).user
    owned_version = changed.get(object_id=gebruik.pk)
    assert owned_version.changes["eigenaar"] == [str(utrecht.uuid), dh]
    assert owned_version.changes["naam"] == ["Zaakwijzer bij Utrecht", "Zaakwijzer bij Den Haag"]
    assert "eigenaar" not in changed.get(object_id=sam_gebruik.pk).changes

    # The relation index follows, without duplicates.
    assert not ObjectRelation.objects.filter(target_organisation=utrecht).exists()
    assert ObjectRelation.objects.filter(source=sam_gebruik, property="deelnemers").count() == 1
    assert set(
        Object.objects.filter(relations_out__target_organisation=den_haag).values_list(
            "pk", flat=True
        )
    ) >= {gebruik.pk, afname.pk, contact.pk, sam_gebruik.pk}

    # People: moved, except where already in Den Haag.
    assert not Membership.objects.filter(organisation=utrecht).exists()
    both = Membership.objects.get(user__email=BOTH)
    assert both.organisation == den_haag and both.role == Role.GEBRUIK_BEHEERDER
    moved = Membership.objects.get(user__email="gebruik-beheerder@utrecht.nl")
    assert moved.organisation == den_haag and moved.role == Role.GEBRUIK_BEHEERDER
    assert not ApiToken.objects.filter(organisation=utrecht, revoked_at__isnull=True).exists()
    assert Invitation.objects.filter(organisation=utrecht).usable().count() == 0
    assert set(AccessRequest.objects.values_list("status", "organisation__naam")) == {
        ("te beoordelen", "'s-Gravenhage"),
        ("afgewezen", "Utrecht"),
    }
    assert set(
        Deelneming.objects.filter(organisation=den_haag).values_list(
            "samenwerking__naam", flat=True
        )
    ) == {"Dimpact", "Open Community"}
    assert not Deelneming.objects.filter(organisation=utrecht).exists()

    # Audited on both organisations, with the numbers.
    entry = AuditEntry.objects.get(action="organisatie.samengevoegd")
    assert entry.organisation == utrecht
    assert entry.details["objects_total"] == 11
    assert entry.details["doel"] == dh
    assert AuditEntry.objects.filter(
        action="organisatie.samenvoeging-ontvangen", organisation=den_haag
    ).exists()
    # Utrecht's people are told.
    told = {to for m in mail.outbox for to in m.to}
    assert {"gebruik-beheerder@utrecht.nl", "gebruik-raadpleger@utrecht.nl", BOTH} <= told
    assert any("Utrecht is samengevoegd met Den Haag" in m.subject for m in mail.outbox)

    # And the people of Den Haag now manage the landscape: the register's own rules agree.
    updated = services.update_object(
        gebruik,
        {"status": "Uitgefaseerd"},
        actor=actor(world, "gemeente2", Role.GEBRUIK_BEHEERDER),
        partial=True,
    )
    assert updated.data["status"] == "Uitgefaseerd"


def before_by_pk(before: dict, pk: int) -> Object:
    found = next((obj for obj in before.values() if obj.pk == pk), None)
    assert found is not None, f"object {pk} hoort niet bij de wereld"
    return found


def test_running_it_again_changes_nothing(extras):
    utrecht, den_haag = fresh(extras, "gemeente"), fresh(extras, "gemeente2")
    merging.merge(utrecht, den_haag, actor=fb(extras))
    counts = (ObjectVersion.objects.count(), AuditEntry.objects.count(), len(mail.outbox))
    again = merging.merge(utrecht, den_haag, actor=fb(extras))
    assert again["already_merged"] is True
    assert "al samengevoegd" in again["message"]
    assert set(again["counts"].values()) == {0}
    assert (ObjectVersion.objects.count(), AuditEntry.objects.count(), len(mail.outbox)) == counts


def test_a_failure_halfway_leaves_everything_as_it_was(extras, monkeypatch):
    world = extras
    utrecht, den_haag = fresh(world, "gemeente"), fresh(world, "gemeente2")
    data_before = dict(Object.objects.values_list("pk", "data"))
    owners_before = dict(Object.objects.values_list("pk", "organisation_id"))
    relations_before = ObjectRelation.objects.filter(target_organisation=utrecht).count()

    def power_cut(source, target):  # after objects and memberships have moved
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(merging, "_move_deelnemingen", power_cut)
    with pytest.raises(RuntimeError):
        merging.merge(utrecht, den_haag, actor=fb(world))

    utrecht.refresh_from_db()
    assert utrecht.status == OrganisationStatus.ACTIEF
    assert utrecht.samengevoegd_in is None
    assert dict(Object.objects.values_list("pk", "data")) == data_before
    assert dict(Object.objects.values_list("pk", "organisation_id")) == owners_before
    assert not ObjectVersion.objects.filter(action="samengevoegd").exists()
    assert ObjectRelation.objects.filter(target_organisation=utrecht).count() == relations_before
    assert Membership.objects.filter(organisation=utrecht).count() == 3
    assert ApiToken.objects.filter(organisation=utrecht, revoked_at__isnull=True).count() == 2
    assert not AuditEntry.objects.filter(action__startswith="organisatie.samen").exists()


@pytest.mark.parametrize(
    ("source_key", "target_key", "prepare", "message"),
    [
        ("gemeente", "gemeente", None, "niet met zichzelf"),
        ("gemeente", "leverancier", None, "alleen organisaties van hetzelfde type"),
        ("leverancier", "inactief", None, "heeft status Inactief"),
        ("gemeente", "gemeente2", "target_merged", "zelf al samengevoegd"),
        ("gemeente", "gemeente2", "source_merged", "is al samengevoegd in"),
        ("vng", "vng2", None, "VNG zelf wordt niet samengevoegd"),
    ],
)
def test_blocked_merges_change_nothing(world, source_key, target_key, prepare, message):
    orgs = {
        **world.orgs,
        "vng2": Organisation.objects.create(naam="VNG Twee", type="VNG", status="Actief"),
    }
    elsewhere = Organisation.objects.create(naam="Elders", type="Gemeente", status="Actief")
    if prepare == "target_merged":
        Organisation.objects.filter(pk=orgs["gemeente2"].pk).update(
            status=OrganisationStatus.SAMENGEVOEGD, samengevoegd_in=elsewhere
        )
    if prepare == "source_merged":
        Organisation.objects.filter(pk=orgs["gemeente"].pk).update(
            status=OrganisationStatus.SAMENGEVOEGD, samengevoegd_in=elsewhere
        )
    source = Organisation.objects.get(pk=orgs[source_key].pk)
    target = Organisation.objects.get(pk=orgs[target_key].pk)
    assert any(message in blocker for blocker in merging.preview(source, target)["blockers"])
    owners = dict(Object.objects.values_list("pk", "organisation_id"))
    with pytest.raises(AccountError, match=message):
        merging.merge(source, target, actor=fb(world))
    assert dict(Object.objects.values_list("pk", "organisation_id")) == owners
    assert Organisation.objects.get(pk=source.pk).status == source.status
    assert not AuditEntry.objects.filter(action__startswith="organisatie.samen").exists()


@pytest.mark.parametrize(
    ("org_key", "role"),
    [
        ("vng", Role.VNG_RAADPLEGER),
        ("gemeente2", Role.GEBRUIK_BEHEERDER),
        ("gemeente", Role.GEBRUIK_BEHEERDER),
    ],
)
def test_only_functioneel_beheer_merges(world, org_key, role):
    utrecht, den_haag = fresh(world, "gemeente"), fresh(world, "gemeente2")
    with pytest.raises(NotAllowed):
        merging.merge(utrecht, den_haag, actor=actor(world, org_key, role))
    utrecht.refresh_from_db()
    assert utrecht.status == OrganisationStatus.ACTIEF
    assert Object.objects.filter(organisation=utrecht).count() == 11


def test_a_supplier_take_over_moves_the_aanbod_and_renames_what_shows_it(world):
    """Beta takes over Acme: applications, versions, diensten move, and gebruik of other
    organisations keeps working (their module relations point to the same objects)."""
    acme, beta = fresh(world, "leverancier"), fresh(world, "leverancier2")
    preview = merging.preview(acme, beta)
    result = merging.merge(acme, beta, actor=fb(world))
    assert result["counts"] == {key: preview[key] for key in merging.COUNT_KEYS}
    module = Object.objects.get(pk=world.objects["lev_module"].pk)
    assert module.organisation == beta
    assert module.data["aanbieder"] == str(beta.uuid)
    dienst = Object.objects.get(pk=world.objects["lev_dienst"].pk)
    assert dienst.data["aanbieder"] == str(beta.uuid)
    # Utrecht's concept application named Acme as supplier: now Beta (owner stays Utrecht).
    concept = Object.objects.get(pk=world.objects["gem_concept_module"].pk)
    assert concept.organisation == world.orgs["gemeente"]
    assert concept.data["aanbieder"] == str(beta.uuid)
    assert not ObjectRelation.objects.filter(target_organisation=acme).exists()


def test_a_duplicate_sign_up_merged_into_the_existing_supplier_leaves_the_inbox(world):
    from core.accounts.queues import SignUpQueue
    from core.models import SignUp

    acme = fresh(world, "leverancier")
    duplicate = Organisation.objects.create(naam="ACME Software B.V.", type="Leverancier")
    sign_up = SignUp.objects.create(
        organisatienaam=duplicate.naam,
        beschrijving_kort="Zaakgericht werken",
        website="https://acme.example.nl",
        voornaam="Eva",
        achternaam="de Boer",
        email="eva@acme.example.nl",
        consent_at=timezone.now(),
        status=SignUp.Status.TE_BEOORDELEN,
        token_hash=new_token()[1],
        expires_at=timezone.now() + timedelta(hours=72),
        organisation=duplicate,
    )
    keys = [item.key for item in SignUpQueue().items(actor=fb(world))]
    assert str(sign_up.uuid) in keys
    assert merging.preview(duplicate, acme)["sign_ups"] == 1
    result = merging.merge(duplicate, acme, actor=fb(world))
    assert result["counts"]["sign_ups"] == 1
    sign_up.refresh_from_db()
    assert sign_up.status == SignUp.Status.AFGEWEZEN
    assert sign_up.decided_by == fb(world).user
    keys = [item.key for item in SignUpQueue().items(actor=fb(world))]
    assert str(sign_up.uuid) not in keys


def test_the_merge_costs_the_same_queries_for_a_bigger_landscape(world):
    """Bulk, not per object: twelve more gebruik records add no queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    utrecht, den_haag = fresh(world, "gemeente"), fresh(world, "gemeente2")

    def queries() -> int:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            merging.merge(utrecht, den_haag, actor=fb(world))
            transaction.set_rollback(True)
        return len(captured.captured_queries)

    queries()  # warm up: the schema catalogue loads once per process
    few = queries()
    gem = actor(world, "gemeente", Role.GEBRUIK_BEHEERDER)
    for module in ("lev_module", "lev2_module", "lev_concept_module") * 4:
        services.create_object(
            catalog.by_key("catalogus/gebruik"),
            {"afnemer": str(utrecht.uuid), "module": world.uuid(module), "status": "Gepland"},
            actor=gem,
        )
    # At most the catalogue's once-a-second freshness check more; per object would be 12+.
    assert queries() <= few + 1


# --- the admin flow ---------------------------------------------------------------


def client_for(world, org_key: str, role: str):
    user = member(world.orgs[org_key], role).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return logged_in(admin_access(user))


def merge_url(org) -> str:
    return f"/admin/core/organisation/samenvoegen/{org.pk}/"


def test_functioneel_beheer_chooses_previews_and_confirms(extras):
    world = extras
    utrecht, den_haag = fresh(world, "gemeente"), fresh(world, "gemeente2")
    client = client_for(world, "vng", Role.FUNCTIONEEL_BEHEERDER)

    inspect = client.get(f"/admin/core/organisation/inspect/{utrecht.pk}/").content.decode()
    assert merge_url(utrecht) in inspect

    choose = client.get(merge_url(utrecht))
    assert choose.status_code == 200
    body = choose.content.decode()
    assert f'<option value="{den_haag.pk}">' in body  # another gemeente
    assert "Acme Software" not in body  # not a gemeente
    assert f'<option value="{utrecht.pk}">' not in body  # not itself
    assert "Den Haag" not in client.get(merge_url(utrecht), {"q": "Amster"}).content.decode()
    assert (
        f'value="{den_haag.pk}"' in client.get(merge_url(utrecht), {"q": "GM0518"}).content.decode()
    )

    preview = client.get(merge_url(utrecht), {"doel": den_haag.pk})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Registerobjecten in totaal" in body
    assert "<strong>11</strong>" in body
    assert "Verwijzing in Gebruik — Deelnemers" in body
    assert "Ja, voeg Utrecht samen in Den Haag" in body
    assert Organisation.objects.get(pk=utrecht.pk).status == OrganisationStatus.ACTIEF

    done = client.post(merge_url(utrecht), {"doel": den_haag.pk})
    assert done.status_code == 200
    assert "Utrecht is samengevoegd in Den Haag." in done.content.decode()
    assert Organisation.objects.get(pk=utrecht.pk).status == OrganisationStatus.SAMENGEVOEGD

    # Gone from the list, still there by id, with the way to the target.
    listing = client.get("/admin/core/organisation/").content.decode()
    assert f"/admin/core/organisation/inspect/{utrecht.pk}/" not in listing
    assert f"/admin/core/organisation/inspect/{den_haag.pk}/" in listing
    merged = client.get("/admin/core/organisation/", {"status__exact": "Samengevoegd"})
    assert f"/admin/core/organisation/inspect/{utrecht.pk}/" in merged.content.decode()
    page = client.get(f"/admin/core/organisation/inspect/{utrecht.pk}/").content.decode()
    assert "Deze organisatie is samengevoegd in" in page
    assert f'href="/admin/core/organisation/inspect/{den_haag.pk}/"' in page
    assert merge_url(utrecht) not in page  # no more actions
    assert is_denied(client.get(f"/admin/core/organisation/edit/{utrecht.pk}/"))

    again = client.post(merge_url(utrecht), {"doel": den_haag.pk}, follow=True)
    assert "al samengevoegd" in again.content.decode()


def test_a_blocked_preview_has_no_confirm_button_and_a_forced_post_is_refused(world):
    utrecht, acme = fresh(world, "gemeente"), fresh(world, "leverancier")
    client = client_for(world, "vng", Role.FUNCTIONEEL_BEHEERDER)
    body = client.get(merge_url(utrecht), {"doel": acme.pk}).content.decode()
    assert "alleen organisaties van hetzelfde type" in body
    assert "Ja, voeg" not in body
    response = client.post(merge_url(utrecht), {"doel": acme.pk}, follow=True)
    assert "alleen organisaties van hetzelfde type" in response.content.decode()
    assert Organisation.objects.get(pk=utrecht.pk).status == OrganisationStatus.ACTIEF
    assert client.post(merge_url(utrecht), {"doel": "999999"}).status_code == 404


def test_vng_raadpleger_may_look_but_not_merge(world):
    utrecht, den_haag = fresh(world, "gemeente"), fresh(world, "gemeente2")
    client = client_for(world, "vng", Role.VNG_RAADPLEGER)
    inspect = client.get(f"/admin/core/organisation/inspect/{utrecht.pk}/").content.decode()
    assert merge_url(utrecht) not in inspect
    body = client.get(merge_url(utrecht), {"doel": den_haag.pk}).content.decode()
    assert "Registerobjecten in totaal" in body
    assert "U kunt hier alleen meekijken." in body
    assert "Ja, voeg" not in body
    assert client.post(merge_url(utrecht), {"doel": den_haag.pk}).status_code == 403
    assert Organisation.objects.get(pk=utrecht.pk).status == OrganisationStatus.ACTIEF


def test_a_gemeente_beheerder_cannot_reach_the_merge(world):
    utrecht, den_haag = fresh(world, "gemeente"), fresh(world, "gemeente2")
    client = client_for(world, "gemeente", Role.GEBRUIK_BEHEERDER)
    assert is_denied(client.get(merge_url(utrecht)))
    assert is_denied(client.get(merge_url(utrecht), {"doel": den_haag.pk}))
    assert client.post(merge_url(utrecht), {"doel": den_haag.pk}).status_code == 403
    assert Organisation.objects.get(pk=utrecht.pk).status == OrganisationStatus.ACTIEF


def test_documents_move_with_their_public_choice(world):
    from django.core.files.base import ContentFile

    from core.models import OrganisationDocument

    acme, beta = fresh(world, "leverancier"), fresh(world, "leverancier2")
    document = OrganisationDocument(
        organisation=acme,
        naam="ISO 27001",
        filename="iso.pdf",
        content_type="application/pdf",
        openbaar=True,
    )
    document.bestand.save("iso.pdf", ContentFile(b"%PDF-1.4 certificaat"))
    assert merging.preview(acme, beta)["documents"] == 1
    result = merging.merge(acme, beta, actor=fb(world))
    assert result["counts"]["documents"] == 1
    document.refresh_from_db()
    assert (document.organisation, document.openbaar) == (beta, True)
