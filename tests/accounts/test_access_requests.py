"""“Contact opnemen met VNG” (klantreis gemeente 1.4–1.7): the anonymous form, e-mail
confirmation, functioneel beheer granting or forwarding, and the gemeente's own beheerder
deciding a forwarded request. Privacy: nobody outside VNG learns who manages a gemeente."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html

from core.accounts import AccountError, access_requests, invitations
from core.accounts.queues import AccessRequestQueue
from core.actors import Actor
from core.constants import OrganisationStatus, OrganisationType, Role
from core.models import AccessRequest, AuditEntry, Invitation, Membership, Notification, User
from core.plugins.manager import review_queues
from core.services import NotAllowed
from tests.conftest import make_org, member

pytestmark = pytest.mark.django_db

Status = AccessRequest.Status
BEHEERDER_EMAIL = "beheer@utrecht.example"


def doc(response):
    return html.fromstring(response.content.decode())


def form_data(gemeente, **overrides) -> dict:
    data = {
        "voornaam": "Fatima",
        "tussenvoegsel": "",
        "achternaam": "El Amrani",
        "email": "F.ElAmrani@Utrecht.example",
        "telefoonnummer": "+31 30 286 00 00",
        "functie": "Informatiearchitect",
        "gemeente": str(gemeente.pk),
        "toelichting": "Ik beheer ons applicatielandschap.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def link_path(message) -> str:
    match = re.search(r"https?://\S+?(/toegang-aanvragen/bevestigen/\S+)", message.body)
    assert match, message.body
    return urlparse(match.group(1)).path


def invitation_token(message) -> str:
    prefix = reverse("invitation-accept", args=["TOKEN"]).split("TOKEN")[0]
    match = re.search(re.escape(prefix) + r"([A-Za-z0-9_-]+)", message.body)
    assert match, message.body
    return match.group(1)


def errors_of(response) -> str:
    return " ".join(doc(response).xpath("string(//*[@id='foutmelding'])").split())


@pytest.fixture
def fb(orgs) -> Actor:
    return Actor.for_membership(member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))


@pytest.fixture
def beheerder(orgs) -> Actor:
    """Utrecht's current gebruik-beheerder."""
    membership = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email=BEHEERDER_EMAIL)
    membership.user.voornaam, membership.user.achternaam = "Bert", "Beheer"
    membership.user.save()
    return Actor.for_membership(membership)


def verified_request(gemeente, **overrides) -> AccessRequest:
    """A request sent through the site and confirmed through the e-mailed link."""
    before = len(mail.outbox)
    response = Client().post("/toegang-aanvragen", form_data(gemeente, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Client().post(link_path(mail.outbox[before])).status_code == 302
    return AccessRequest.objects.latest("pk")


# --- the form ---------------------------------------------------------------------------


def test_form_offers_the_active_gemeenten_by_the_name_people_use(orgs):
    make_org("Oude Gemeente", OrganisationType.GEMEENTE, status=OrganisationStatus.INACTIEF)
    tree = doc(Client().get("/toegang-aanvragen"))
    options = [" ".join(o.text_content().split()) for o in tree.xpath("//select/option")]
    assert options == ["Kies uw gemeente", "Den Haag ('s-Gravenhage)", "Utrecht"]
    for field in tree.xpath("//form[@method='post']//*[self::input or self::select]"):
        if field.get("type") != "hidden":
            assert tree.xpath(f"//label[@for='{field.get('id')}']"), field.get("name")


def test_form_does_not_reveal_whether_or_who_manages_a_gemeente(orgs, beheerder):
    """Utrecht has a beheerder, Den Haag has none: the visitor cannot tell them apart."""
    response = Client().get("/toegang-aanvragen")
    page = response.content.decode()
    assert BEHEERDER_EMAIL not in page and "Bert" not in page
    options = {o.text_content().strip(): o for o in doc(response).xpath("//select/option")}
    utrecht, den_haag = options["Utrecht"], options["Den Haag ('s-Gravenhage)"]
    assert set(utrecht.attrib) == set(den_haag.attrib) == {"value"}

    answers = []
    for gemeente in (orgs["gemeente"], orgs["gemeente2"]):
        before = len(mail.outbox)
        client = Client()
        response = client.post("/toegang-aanvragen", form_data(gemeente), follow=True)
        answers.append(response.content.decode().split("<main")[1].split("</main>")[0])
        (message,) = mail.outbox[before:]
        assert BEHEERDER_EMAIL not in message.body and "Bert" not in message.body
        assert Client().post(link_path(message)).status_code == 302
        assert BEHEERDER_EMAIL not in mail.outbox[-1].body
    assert answers[0] == answers[1]


# --- the whole journey ------------------------------------------------------------------------


def test_request_confirmed_and_granted_by_functioneel_beheer(orgs, fb, committed):
    gemeente = orgs["gemeente"]
    client = Client()
    assert client.get("/toegang-aanvragen").status_code == 200
    response = client.post("/toegang-aanvragen", form_data(gemeente), follow=True)
    assert response.redirect_chain == [("/toegang-aanvragen/verzonden", 302)]

    request = AccessRequest.objects.get()
    assert request.status == Status.E_MAIL_ONBEVESTIGD
    assert request.email == "f.elamrani@utrecht.example"
    assert request.organisation == gemeente
    assert timedelta(hours=71) < request.expires_at - timezone.now() <= timedelta(hours=72)
    (message,) = mail.outbox
    assert message.to == ["f.elamrani@utrecht.example"]
    path = link_path(message)
    # Unconfirmed requests are not in the inbox yet.
    queue = review_queues()["toegangsverzoeken"]
    assert queue.items(actor=fb) == []

    page = client.get(path)
    assert page.status_code == 200 and "Utrecht" in page.content.decode()
    assert AccessRequest.objects.get().status == Status.E_MAIL_ONBEVESTIGD
    response = client.post(path, follow=True)
    assert response.redirect_chain == [("/toegang-aanvragen/bevestigd", 302)]
    request.refresh_from_db()
    assert request.status == Status.TE_BEOORDELEN
    assert request.email_verified_at is not None
    note = Notification.objects.get(user=fb.user, kind="toegangsverzoek")
    assert note.url.endswith(reverse("swc_inbox"))

    (item,) = queue.items(actor=fb)
    assert item.key == str(request.uuid)
    assert "Fatima El Amrani" in item.title
    assert "geen actieve beheerder" in item.description
    assert "Ik beheer ons applicatielandschap." in item.description
    assert queue.extra_actions == {"doorsturen": "Doorsturen naar de huidige beheerder"}

    sent = len(mail.outbox)
    with committed():
        queue.accept(key=item.key, actor=fb, note="")
    request.refresh_from_db()
    assert request.status == Status.TOEGEKEND
    assert request.decided_by == fb.user and request.decided_at is not None
    assert queue.items(actor=fb) == []

    invitation = Invitation.objects.get(organisation=gemeente)
    assert invitation.role == Role.GEBRUIK_BEHEERDER
    assert invitation.functie == "Informatiearchitect"
    to_requester = [m for m in mail.outbox[sent:] if m.to == ["f.elamrani@utrecht.example"]]
    assert len(to_requester) == 2  # the decision and the activation link
    assert any("toegang tot Utrecht" in m.subject for m in to_requester)
    invite_mail = next(
        m for m in to_requester if reverse("invitation-accept", args=["x"])[:-1] in m.body
    )
    found, _reason = invitations.find(invitation_token(invite_mail))
    user = invitations.accept(found, password="een-heel-lang-wachtwoord-42")
    membership = Membership.objects.get(user=user, organisation=gemeente)
    assert membership.role == Role.GEBRUIK_BEHEERDER and membership.actief

    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    for action in (
        "toegangsverzoek.ingediend",
        "toegangsverzoek.bevestigd",
        "toegangsverzoek.toegekend",
    ):
        assert action in actions


def test_existing_account_gets_the_membership_at_once(orgs, fb, committed):
    """The requester asked for this access from the address they confirmed: consent given,
    so no second invitation to accept (unlike a beheerder's invitation, #60)."""
    existing = member(
        orgs["leverancier"], Role.AANBOD_BEHEERDER, email="f.elamrani@utrecht.example"
    )
    request = verified_request(orgs["gemeente"])
    sent = len(mail.outbox)
    with committed():
        access_requests.grant(request, actor=fb)
    membership = Membership.objects.get(user=existing.user, organisation=orgs["gemeente"])
    assert membership.role == Role.GEBRUIK_BEHEERDER
    assert not Invitation.objects.exists()
    decision = next(m for m in mail.outbox[sent:] if "toegang tot Utrecht" in m.subject)
    assert "U had al een account" in decision.body


def test_forward_to_the_current_beheerder_who_grants(orgs, fb, beheerder, committed):
    gemeente = orgs["gemeente"]
    request = verified_request(gemeente)
    queue = AccessRequestQueue()
    (item,) = queue.items(actor=fb)
    assert "heeft een actieve beheerder" in item.description  # only functioneel beheer sees it

    sent = len(mail.outbox)
    with committed():
        queue.run_action(action="doorsturen", key=item.key, actor=fb, note="")
    request.refresh_from_db()
    assert request.status == Status.DOORGESTUURD
    assert request.forwarded_to == beheerder.user
    assert queue.items(actor=fb) == []
    assert list(access_requests.pending_for(gemeente)) == [request]
    assert list(access_requests.pending_for(orgs["gemeente2"])) == []

    note = Notification.objects.get(user=beheerder.user, kind="toegangsverzoek")
    assert note.url.endswith("/mijn-organisatie/gebruikers")
    assert "f.elamrani@utrecht.example" in note.body
    (to_requester,) = [m for m in mail.outbox[sent:] if m.to == ["f.elamrani@utrecht.example"]]
    assert "doorgestuurd" in to_requester.subject
    assert BEHEERDER_EMAIL not in to_requester.body and "Bert" not in to_requester.body
    assert AuditEntry.objects.filter(action="toegangsverzoek.doorgestuurd").exists()

    access_requests.grant_by_beheerder(request, actor=beheerder, role=Role.GEBRUIK_RAADPLEGER)
    request.refresh_from_db()
    assert request.status == Status.TOEGEKEND
    assert request.decided_by == beheerder.user
    invitation = Invitation.objects.get(organisation=gemeente)
    assert (invitation.role, invitation.invited_by) == (Role.GEBRUIK_RAADPLEGER, beheerder.user)
    assert list(access_requests.pending_for(gemeente)) == []
    entry = AuditEntry.objects.get(action="toegangsverzoek.toegekend")
    assert entry.user == beheerder.user and entry.details["rol"] == Role.GEBRUIK_RAADPLEGER


def test_beheerder_declines_a_forwarded_request(orgs, fb, beheerder, committed):
    request = verified_request(orgs["gemeente"])
    access_requests.forward(request, actor=fb)
    sent = len(mail.outbox)
    with committed():
        access_requests.decline(request, actor=beheerder, reason="Onbekend bij ons.")
    request.refresh_from_db()
    assert request.status == Status.AFGEWEZEN
    (message,) = mail.outbox[sent:]
    assert "afgewezen" in message.subject
    assert "De beheerder van Utrecht" in message.body and "Onbekend bij ons." in message.body
    assert BEHEERDER_EMAIL not in message.body
    assert not Invitation.objects.exists()
    # Decided once: a second decision is refused.
    with pytest.raises(AccountError, match="al afgehandeld"):
        access_requests.grant_by_beheerder(request, actor=beheerder, role=Role.GEBRUIK_BEHEERDER)
    with pytest.raises(AccountError, match="al afgehandeld"):
        access_requests.grant(request, actor=fb)


def test_functioneel_beheer_declines_through_the_queue(orgs, fb, committed):
    request = verified_request(orgs["gemeente"])
    sent = len(mail.outbox)
    with committed():
        AccessRequestQueue().decline(key=str(request.uuid), actor=fb, note="Geen medewerker.")
    request.refresh_from_db()
    assert request.status == Status.AFGEWEZEN
    (message,) = mail.outbox[sent:]
    assert "VNG Realisatie heeft uw verzoek" in message.body and "Geen medewerker." in message.body
    assert AuditEntry.objects.get(action="toegangsverzoek.afgewezen").details["reden"] == (
        "Geen medewerker."
    )


# --- refusals: nothing changes -----------------------------------------------------------------


def snapshot(request: AccessRequest):
    request.refresh_from_db()
    return (
        request.status,
        request.decided_by_id,
        Invitation.objects.count(),
        Membership.objects.count(),
        len(mail.outbox),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_forward_without_an_active_beheerder_is_refused(orgs, fb):
    inactive = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="weg@utrecht.example")
    inactive.actief = False
    inactive.save()
    member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="lezer@utrecht.example")
    request = verified_request(orgs["gemeente"])
    before = snapshot(request)
    with pytest.raises(AccountError, match="geen actieve beheerder"):
        AccessRequestQueue().run_action(
            action="doorsturen", key=str(request.uuid), actor=fb, note=""
        )
    assert snapshot(request) == before
    (item,) = AccessRequestQueue().items(actor=fb)
    assert "geen actieve beheerder" in item.description


@pytest.mark.parametrize(
    "org_key, role",
    [
        ("gemeente", Role.GEBRUIK_BEHEERDER),
        ("gemeente", Role.GEBRUIK_RAADPLEGER),
        ("leverancier", Role.AANBOD_BEHEERDER),
        ("vng", Role.VNG_RAADPLEGER),
    ],
)
def test_only_functioneel_beheer_grants_forwards_or_sees_the_queue(orgs, fb, org_key, role):
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email=BEHEERDER_EMAIL)
    request = verified_request(orgs["gemeente"])
    other = Actor.for_membership(member(orgs[org_key], role, email=f"{role}@ander.example"))
    before = snapshot(request)
    queue = AccessRequestQueue()
    # VNG-raadplegers read the inbox (read-only); nobody else sees it.
    shown = [item.key for item in queue.items(actor=other)]
    assert shown == ([str(request.uuid)] if role == Role.VNG_RAADPLEGER else [])
    for attempt in (
        lambda: access_requests.grant(request, actor=other),
        lambda: access_requests.forward(request, actor=other),
        lambda: access_requests.decline(request, actor=other),
        lambda: queue.accept(key=str(request.uuid), actor=other, note=""),
        lambda: queue.run_action(action="doorsturen", key=str(request.uuid), actor=other, note=""),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert snapshot(request) == before


def test_beheerder_of_another_gemeente_cannot_decide_a_forwarded_request(orgs, fb, beheerder):
    request = verified_request(orgs["gemeente"])
    access_requests.forward(request, actor=fb)
    den_haag = Actor.for_membership(
        member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER, email="beheer@denhaag.example")
    )
    before = snapshot(request)
    with pytest.raises(NotAllowed):
        access_requests.grant_by_beheerder(request, actor=den_haag, role=Role.GEBRUIK_BEHEERDER)
    with pytest.raises(NotAllowed):
        access_requests.decline(request, actor=den_haag)
    assert snapshot(request) == before


def test_raadpleger_of_the_gemeente_cannot_decide_a_forwarded_request(orgs, fb, beheerder):
    request = verified_request(orgs["gemeente"])
    access_requests.forward(request, actor=fb)
    raadpleger = Actor.for_membership(
        member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="lezer@utrecht.example")
    )
    before = snapshot(request)
    with pytest.raises(NotAllowed):
        access_requests.grant_by_beheerder(request, actor=raadpleger, role=Role.GEBRUIK_RAADPLEGER)
    assert snapshot(request) == before


def test_beheerder_cannot_decide_a_request_not_forwarded_to_them(orgs, beheerder):
    request = verified_request(orgs["gemeente"])  # still with functioneel beheer
    before = snapshot(request)
    with pytest.raises(NotAllowed):
        access_requests.grant_by_beheerder(request, actor=beheerder, role=Role.GEBRUIK_BEHEERDER)
    with pytest.raises(NotAllowed):
        access_requests.decline(request, actor=beheerder)
    assert snapshot(request) == before


@pytest.mark.parametrize(
    "role", [Role.AANBOD_BEHEERDER, Role.FUNCTIONEEL_BEHEERDER, "superbeheerder"]
)
def test_beheerder_cannot_grant_a_role_the_gemeente_does_not_have(orgs, fb, beheerder, role):
    request = verified_request(orgs["gemeente"])
    access_requests.forward(request, actor=fb)
    before = snapshot(request)
    with pytest.raises(AccountError, match="bestaat niet"):
        access_requests.grant_by_beheerder(request, actor=beheerder, role=role)
    assert snapshot(request) == before


def test_unconfirmed_request_cannot_be_decided(orgs, fb):
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente"])).status_code == 302
    request = AccessRequest.objects.get()
    before = snapshot(request)
    with pytest.raises(AccountError, match="nog niet bevestigd"):
        access_requests.grant(request, actor=fb)
    with pytest.raises(AccountError):
        AccessRequestQueue().accept(key=str(request.uuid), actor=fb, note="")
    assert snapshot(request) == before


def test_granting_someone_who_is_already_a_member_is_refused(orgs, fb):
    member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="f.elamrani@utrecht.example")
    request = verified_request(orgs["gemeente"])
    before = snapshot(request)
    with pytest.raises(AccountError, match="al lid"):
        access_requests.grant(request, actor=fb)
    assert snapshot(request) == before


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"gemeente": "99999999"}, "Kies een gemeente uit de lijst"),
        ({"gemeente": "geen-getal"}, "Kies een gemeente uit de lijst"),
        ({"gemeente": ""}, "Kies de gemeente waarvoor u toegang vraagt"),
        ({"email": ""}, "Vul uw e-mailadres in"),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in"),
        ({"voornaam": ""}, "Vul uw voornaam in"),
        ({"toelichting": "x" * 2001}, "2000"),
        ({"telefoonnummer": "bel me"}, "geldig telefoonnummer"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(orgs, overrides, expected):
    data = {**form_data(orgs["gemeente"]), **overrides}
    response = Client().post("/toegang-aanvragen", data)
    assert response.status_code == 400
    assert expected in errors_of(response)
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("org_key", ["leverancier", "samenwerking", "vng", "inactief_gemeente"])
def test_only_active_gemeenten_can_be_chosen(orgs, org_key):
    if org_key == "inactief_gemeente":
        target = make_org("Oude Gemeente", OrganisationType.GEMEENTE, OrganisationStatus.INACTIEF)
    else:
        target = orgs[org_key]
    response = Client().post("/toegang-aanvragen", form_data(target))
    assert response.status_code == 400
    assert "Kies een gemeente uit de lijst" in errors_of(response)
    with pytest.raises(AccountError):
        access_requests.submit(organisation=target, voornaam="A", achternaam="B", email="a@b.nl")
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []


def test_duplicate_open_request_is_refused(orgs):
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente"])).status_code == 302
    response = Client().post(
        "/toegang-aanvragen", form_data(orgs["gemeente"], email="f.elamrani@UTRECHT.example")
    )
    assert response.status_code == 400
    assert "al een lopend verzoek om toegang tot Utrecht" in errors_of(response)
    assert AccessRequest.objects.count() == 1
    assert len(mail.outbox) == 1
    # Another gemeente is another request.
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente2"])).status_code == 302
    assert AccessRequest.objects.count() == 2


def test_a_decided_or_expired_request_does_not_block_a_new_one(orgs, fb):
    request = verified_request(orgs["gemeente"])
    access_requests.decline(request, actor=fb)
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente"])).status_code == 302
    AccessRequest.objects.filter(status=Status.E_MAIL_ONBEVESTIGD).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente"])).status_code == 302
    assert AccessRequest.objects.count() == 3


def test_post_without_csrf_token_is_refused(orgs):
    response = Client(enforce_csrf_checks=True).post(
        "/toegang-aanvragen", form_data(orgs["gemeente"])
    )
    assert response.status_code == 403
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []


# --- confirmation links ---------------------------------------------------------------------


def test_expired_link_is_refused_and_changes_nothing(orgs, fb):
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente"])).status_code == 302
    path = link_path(mail.outbox[0])
    AccessRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "verlopen" in response.content.decode()
    assert AccessRequest.objects.get().status == Status.E_MAIL_ONBEVESTIGD
    assert not Notification.objects.exists()
    assert len(mail.outbox) == 1


def test_reused_link_is_refused(orgs, fb):
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente"])).status_code == 302
    path = link_path(mail.outbox[0])
    assert Client().post(path).status_code == 302
    sent, notes = len(mail.outbox), Notification.objects.count()
    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "al gebruikt" in response.content.decode()
    assert (len(mail.outbox), Notification.objects.count()) == (sent, notes)
    assert AuditEntry.objects.filter(action="toegangsverzoek.bevestigd").count() == 1


def test_unknown_link_is_refused(db):
    assert Client().get("/toegang-aanvragen/bevestigen/onbekend").status_code == 400
    assert Client().post("/toegang-aanvragen/bevestigen/onbekend").status_code == 400


def test_confirming_without_csrf_token_is_refused(orgs):
    assert Client().post("/toegang-aanvragen", form_data(orgs["gemeente"])).status_code == 302
    response = Client(enforce_csrf_checks=True).post(link_path(mail.outbox[0]))
    assert response.status_code == 403
    assert AccessRequest.objects.get().status == Status.E_MAIL_ONBEVESTIGD


def test_requester_account_is_not_created_before_the_invitation_is_accepted(orgs, fb):
    request = verified_request(orgs["gemeente"])
    access_requests.grant(request, actor=fb)
    assert not User.objects.filter(email="f.elamrani@utrecht.example").exists()
