"""Deelnemingen (2.2 / 2.3): joining and leaving a samenwerking or community, and the lists
on the public pages, in beheer and in the API."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from lxml import html

from core.accounts import AccountError, deelnemingen
from core.actors import Actor
from core.constants import OrganisationStatus, Role
from core.models import AuditEntry, Deelneming
from core.services import NotAllowed
from tests.admin.conftest import logged_in
from tests.conftest import make_org, member

pytestmark = pytest.mark.django_db

DEELNEMINGEN = "/mijn-organisatie/deelnemingen"


def doc(response):
    return html.fromstring(response.content.decode())


@pytest.fixture
def utrecht_beheerder(orgs):
    return member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)


@pytest.fixture
def dimpact_beheerder(orgs):
    return member(orgs["samenwerking"], Role.GEBRUIK_BEHEERDER, email="beheer@dimpact.nl")


# --- services -----------------------------------------------------------------------------


def test_join_and_leave_tell_the_samenwerking_and_are_audited(
    orgs, utrecht_beheerder, dimpact_beheerder, django_capture_on_commit_callbacks
):
    actor = Actor.for_membership(utrecht_beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        deelneming = deelnemingen.join(
            actor=actor, organisation=orgs["gemeente"], samenwerking=orgs["samenwerking"]
        )
    assert list(deelnemingen.deelnemers_of(orgs["samenwerking"])) == [deelneming]
    assert list(deelnemingen.deelnemingen_of(orgs["gemeente"])) == [deelneming]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["beheer@dimpact.nl"]
    assert mail.outbox[0].subject == "Utrecht neemt nu deel aan Dimpact"
    assert AuditEntry.objects.filter(action="deelneming.toegevoegd", target="Dimpact").exists()

    with django_capture_on_commit_callbacks(execute=True):
        deelnemingen.leave(deelneming, actor=actor)
    assert not Deelneming.objects.exists()
    assert mail.outbox[1].subject == "Utrecht neemt niet meer deel aan Dimpact"
    assert AuditEntry.objects.filter(action="deelneming.beeindigd").exists()


def test_join_rules(orgs, utrecht_beheerder):
    actor = Actor.for_membership(utrecht_beheerder)
    gemeente = orgs["gemeente"]
    deelnemingen.join(actor=actor, organisation=gemeente, samenwerking=orgs["community"])
    with pytest.raises(AccountError, match="neemt al deel"):
        deelnemingen.join(actor=actor, organisation=gemeente, samenwerking=orgs["community"])
    with pytest.raises(AccountError, match="geen samenwerking of community"):
        deelnemingen.join(actor=actor, organisation=gemeente, samenwerking=orgs["leverancier"])
    closed = make_org("Oude Samenwerking", "Samenwerking", status=OrganisationStatus.INACTIEF)
    with pytest.raises(AccountError, match="niet actief"):
        deelnemingen.join(actor=actor, organisation=gemeente, samenwerking=closed)
    # A samenwerking does not take part in another one.
    dimpact = Actor.for_membership(member(orgs["samenwerking"], Role.GEBRUIK_BEHEERDER))
    with pytest.raises(AccountError, match="Alleen gemeenten en leveranciers"):
        deelnemingen.join(
            actor=dimpact, organisation=orgs["samenwerking"], samenwerking=orgs["community"]
        )
    # Only the organisation's own beheerder (or functioneel beheer).
    raadpleger = Actor.for_membership(member(gemeente, Role.GEBRUIK_RAADPLEGER))
    with pytest.raises(NotAllowed):
        deelnemingen.join(
            actor=raadpleger, organisation=gemeente, samenwerking=orgs["samenwerking"]
        )
    other = Actor.for_membership(member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER))
    with pytest.raises(NotAllowed):
        deelnemingen.join(actor=other, organisation=gemeente, samenwerking=orgs["samenwerking"])
    with pytest.raises(NotAllowed):
        deelnemingen.leave(Deelneming.objects.get(), actor=other)
    fb = Actor.for_membership(member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))
    deelnemingen.join(actor=fb, organisation=orgs["leverancier"], samenwerking=orgs["community"])
    assert Deelneming.objects.count() == 2


# --- the site -----------------------------------------------------------------------------


def test_beheerder_joins_and_leaves_through_the_site(orgs, utrecht_beheerder, dimpact_beheerder):
    client = logged_in(utrecht_beheerder.user)
    page = doc(client.get(DEELNEMINGEN))
    offered = page.xpath("//select[@name='samenwerking']/option/text()")
    assert offered == ["— kies —", "Dimpact (Samenwerking)", "Open Community (Community)"]
    response = client.post(DEELNEMINGEN, {"samenwerking": orgs["samenwerking"].pk})
    assert response.status_code == 302
    assert Deelneming.objects.filter(
        organisation=orgs["gemeente"], samenwerking=orgs["samenwerking"]
    ).exists()
    page = doc(client.get(DEELNEMINGEN))
    assert "Dimpact" in page.xpath("string(//table[@id='deelnemingen'])")
    assert page.xpath("//select[@name='samenwerking']/option/text()") == [
        "— kies —",
        "Open Community (Community)",
    ]
    # A duplicate (e.g. a second tab) is refused clearly.
    again = client.post(DEELNEMINGEN, {"samenwerking": orgs["samenwerking"].pk})
    assert again.status_code == 400
    assert "nog niet deelneemt" in again.content.decode()
    assert Deelneming.objects.count() == 1

    # The public pages list both sides.
    anonymous = Client()
    dimpact_page = doc(anonymous.get(f"/organisaties/{orgs['samenwerking'].uuid}"))
    assert dimpact_page.xpath("//ul[@id='deelnemers']//a/@href") == [
        f"/organisaties/{orgs['gemeente'].uuid}"
    ]
    utrecht_page = doc(anonymous.get(f"/organisaties/{orgs['gemeente'].uuid}"))
    assert utrecht_page.xpath("//ul[@id='deelnemingen']//a/@href") == [
        f"/organisaties/{orgs['samenwerking'].uuid}"
    ]
    # The samenwerking sees its deelnemers in beheer.
    beheer = doc(logged_in(dimpact_beheerder.user).get("/mijn-organisatie/deelnemers"))
    assert beheer.xpath("//table[@id='deelnemers']//a/@href") == [
        f"/organisaties/{orgs['gemeente'].uuid}"
    ]

    deelneming = Deelneming.objects.get()
    left = client.post(f"{DEELNEMINGEN}/{deelneming.pk}/beeindigen")
    assert left.status_code == 302
    assert not Deelneming.objects.exists()


def test_inactive_samenwerking_or_foreign_ids_refused(orgs, utrecht_beheerder):
    client = logged_in(utrecht_beheerder.user)
    closed = make_org("Oude Samenwerking", "Samenwerking", status=OrganisationStatus.INACTIEF)
    response = client.post(DEELNEMINGEN, {"samenwerking": closed.pk})
    assert response.status_code == 400
    assert not Deelneming.objects.exists()
    # Another gemeente's deelneming cannot be ended by changing the id.
    den_haag = Actor.for_membership(member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER))
    theirs = deelnemingen.join(
        actor=den_haag, organisation=orgs["gemeente2"], samenwerking=orgs["samenwerking"]
    )
    assert client.post(f"{DEELNEMINGEN}/{theirs.pk}/beeindigen").status_code == 404
    assert Deelneming.objects.filter(pk=theirs.pk).exists()


def test_raadpleger_sees_but_cannot_change_deelnemingen(orgs):
    raadpleger = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER)
    beheerder = Actor.for_membership(member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER))
    deelneming = deelnemingen.join(
        actor=beheerder, organisation=orgs["gemeente"], samenwerking=orgs["samenwerking"]
    )
    client = logged_in(raadpleger.user)
    page = doc(client.get(DEELNEMINGEN))
    assert "Dimpact" in page.xpath("string(//table[@id='deelnemingen'])")
    assert not page.xpath("//select[@name='samenwerking']")
    assert client.post(DEELNEMINGEN, {"samenwerking": orgs["community"].pk}).status_code == 404
    assert client.post(f"{DEELNEMINGEN}/{deelneming.pk}/beeindigen").status_code == 404
    assert Deelneming.objects.count() == 1


def test_pages_per_type(orgs):
    dimpact = logged_in(member(orgs["samenwerking"], Role.GEBRUIK_BEHEERDER).user)
    assert dimpact.get(DEELNEMINGEN).status_code == 404
    acme = logged_in(member(orgs["leverancier"], Role.AANBOD_BEHEERDER).user)
    assert acme.get(DEELNEMINGEN).status_code == 200
    assert acme.get("/mijn-organisatie/deelnemers").status_code == 404


def test_deelneming_post_without_csrf_refused(orgs, utrecht_beheerder):
    client = Client(enforce_csrf_checks=True)
    client.force_login(utrecht_beheerder.user)
    assert client.post(DEELNEMINGEN, {"samenwerking": orgs["samenwerking"].pk}).status_code == 403
    assert not Deelneming.objects.exists()


def test_lists_hide_organisations_the_visitor_may_not_see(orgs):
    concept = make_org("Nieuw BV", "Leverancier", status=OrganisationStatus.CONCEPT)
    fb = Actor.for_membership(member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))
    deelnemingen.join(actor=fb, organisation=concept, samenwerking=orgs["community"])
    deelnemingen.join(actor=fb, organisation=orgs["leverancier"], samenwerking=orgs["community"])
    page = Client().get(f"/organisaties/{orgs['community'].uuid}")
    listed = doc(page).xpath("string(//ul[@id='deelnemers'])")
    assert "Acme Software" in listed and "Nieuw BV" not in listed
    # The community's own beheer names it, without a link to a page nobody may open.
    beheer = logged_in(member(orgs["community"], Role.AANBOD_BEHEERDER).user)
    table = doc(beheer.get("/mijn-organisatie/deelnemers")).xpath("//table[@id='deelnemers']")[0]
    assert "Nieuw BV" in table.text_content()
    assert f"/organisaties/{concept.uuid}" not in html.tostring(table).decode()


# --- the API ------------------------------------------------------------------------------


def test_api_detail_lists_deelnemers_deelnemingen_and_active_beheerder(api_as, orgs):
    fb = Actor.for_membership(member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))
    deelnemingen.join(actor=fb, organisation=orgs["gemeente"], samenwerking=orgs["samenwerking"])
    api = api_as()
    dimpact = api.get(f"/api/v1/organisaties/{orgs['samenwerking'].uuid}").json()
    assert [d["weergavenaam"] for d in dimpact["deelnemers"]] == ["Utrecht"]
    assert "deelnemingen" not in dimpact
    assert dimpact["heeftActieveBeheerder"] is False
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)
    utrecht = api.get(f"/api/v1/organisaties/{orgs['gemeente'].uuid}").json()
    assert utrecht["deelnemingen"] == [
        {
            "uuid": str(orgs["samenwerking"].uuid),
            "url": f"/api/v1/organisaties/{orgs['samenwerking'].uuid}",
            "type": "Samenwerking",
            "weergavenaam": "Dimpact",
        }
    ]
    assert utrecht["heeftActieveBeheerder"] is True
    listed = {i["naam"]: i for i in api.get("/api/v1/organisaties").json()["items"]}
    assert listed["Utrecht"]["heeftActieveBeheerder"] is True
    assert listed["Dimpact"]["heeftActieveBeheerder"] is False
