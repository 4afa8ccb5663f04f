"""Inviting a colleague through the site and accepting the link (3.2–3.4, #60, #65)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from lxml import html

from core.actors import SESSION_KEY
from core.constants import Role
from core.models import AuditEntry, Invitation, Membership, Notification, User
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord"
NEW_PASSWORD = "Zonnebloem-Akker-2026"
LINK = re.compile(r"http://[^\s]+/uitnodiging/([\w-]+)")


def doc(response):
    return html.fromstring(response.content.decode())


def invite_through_site(client: Client, **fields):
    data = {
        "voornaam": "Ria",
        "tussenvoegsel": "van",
        "achternaam": "Dijk",
        "email": "ria@utrecht.nl",
        "telefoonnummer": "030 123 4567",
        "functie": "Informatiemanager",
        "rol": Role.GEBRUIK_RAADPLEGER,
    }
    data.update(fields)
    return client.post("/mijn-organisatie/gebruikers/toevoegen", data)


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def beheerder(orgs):
    return member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)


def accept_form(**fields):
    data = {
        "voornaam": "Ria",
        "tussenvoegsel": "van",
        "achternaam": "Dijk",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "melding_uitnodiging-geaccepteerd": "dagelijks",
        "melding_toegangsverzoek": "uit",
        "melding_organisatiestatus": "direct",
    }
    data.update(fields)
    return data


def all_preferences(form_data: dict, client: Client, token: str) -> dict:
    """The radio groups the page offers, each filled (new kinds from plugins get `direct`)."""
    page = doc(client.get(f"/uitnodiging/{token}"))
    names = {el.get("name") for el in page.xpath("//input[@type='radio']")}
    return {**dict.fromkeys(names, "direct"), **form_data}


# --- the whole journey -------------------------------------------------------------------


def test_invite_email_link_set_password_logged_in_and_inviter_notified(beheerder, orgs):
    client = logged_in(beheerder.user)
    response = invite_through_site(client)
    assert response.status_code == 302
    page = client.get("/mijn-organisatie/gebruikers")
    assert "De gebruiker is succesvol toegevoegd." in page.content.decode()
    assert "ria@utrecht.nl" in doc(page).xpath("string(//table[@id='uitnodigingen'])")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ria@utrecht.nl"]
    assert "Utrecht" in message.subject
    assert "72 uur" in message.body
    token = link_in(message)

    visitor = Client()
    form_page = visitor.get(f"/uitnodiging/{token}")
    assert form_page.status_code == 200
    tree = doc(form_page)
    assert tree.xpath("//input[@name='voornaam']/@value") == ["Ria"]
    assert tree.xpath("//input[@name='achternaam']/@value") == ["Dijk"]
    assert tree.xpath("//input[@name='tweestaps' and @type='checkbox']")
    for label in ("Direct", "Dagelijkse samenvatting", "Uit"):
        assert label in tree.xpath("string(//form[contains(@class, 'swc-form')])")

    done = visitor.post(f"/uitnodiging/{token}", all_preferences(accept_form(), visitor, token))
    assert done.status_code == 302 and done["Location"] == "/mijn-organisatie"

    user = User.objects.get(email="ria@utrecht.nl")
    assert user.check_password(NEW_PASSWORD)
    assert (user.voornaam, user.tussenvoegsel, user.achternaam) == ("Ria", "van", "Dijk")
    assert user.functie == "Informatiemanager"
    membership = Membership.objects.get(user=user, organisation=orgs["gemeente"])
    assert membership.role == Role.GEBRUIK_RAADPLEGER and membership.actief
    prefs = dict(user.notification_prefs.values_list("kind", "frequency"))
    assert prefs["uitnodiging-geaccepteerd"] == "dagelijks"
    assert prefs["toegangsverzoek"] == "uit"
    # Logged in, acting for the organisation that invited them.
    assert int(visitor.session["_auth_user_id"]) == user.pk
    assert visitor.session[SESSION_KEY] == orgs["gemeente"].pk
    landing = visitor.get("/mijn-organisatie")
    assert landing.status_code == 200
    assert "Utrecht" in doc(landing).xpath("string(//h1)")
    # The inviter hears about it.
    note = Notification.objects.get(user=beheerder.user, kind="uitnodiging-geaccepteerd")
    assert "ria@utrecht.nl" in note.subject
    assert AuditEntry.objects.filter(action="uitnodiging.geaccepteerd", target="ria@utrecht.nl")

    # The link is single-use.
    again = Client().get(f"/uitnodiging/{token}")
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()


def test_choosing_two_factor_goes_to_its_setup_page(beheerder):
    invite_through_site(logged_in(beheerder.user))
    token = link_in(mail.outbox[0])
    visitor = Client()
    data = all_preferences(accept_form(tweestaps="on"), visitor, token)
    response = visitor.post(f"/uitnodiging/{token}", data)
    assert response.status_code == 302
    assert response["Location"] == "/mijn-account/tweestapsverificatie"


def test_password_rules_and_mismatch_refused_in_dutch_nothing_created(beheerder):
    invite_through_site(logged_in(beheerder.user))
    token = link_in(mail.outbox[0])
    visitor = Client()
    short = visitor.post(
        f"/uitnodiging/{token}",
        all_preferences(accept_form(password1="kort", password2="kort"), visitor, token),
    )
    assert short.status_code == 400
    text = short.content.decode()
    assert "te kort" in text
    tree = doc(short)
    field = tree.xpath("//input[@name='password1']")[0]
    assert field.get("aria-invalid") == "true"
    assert "id_password1_error" in field.get("aria-describedby")
    mismatch = visitor.post(
        f"/uitnodiging/{token}",
        all_preferences(accept_form(password2="Iets-Anders-2026"), visitor, token),
    )
    assert mismatch.status_code == 400
    assert "niet gelijk" in mismatch.content.decode()
    assert not User.objects.filter(email="ria@utrecht.nl").exists()
    assert Invitation.objects.get(email="ria@utrecht.nl").used_at is None


# --- existing accounts (#60) -------------------------------------------------------------


def test_existing_account_is_invited_and_becomes_member_only_by_accepting(beheerder, orgs):
    """#60: a beheerder cannot put an existing account into their organisation; the person
    gets the same invitation link and decides, logged in as that account."""
    piet = member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER, email="piet@denhaag.nl").user
    client = logged_in(beheerder.user)
    response = invite_through_site(client, email="Piet@DenHaag.nl", is_aanspreekpunt="on")
    assert response.status_code == 302

    # Not a member yet: not acting for Utrecht, not its aanspreekpunt, only invited.
    assert not Membership.objects.filter(user=piet, organisation=orgs["gemeente"]).exists()
    invitation = Invitation.objects.get(email="piet@denhaag.nl")
    assert invitation.status == "openstaand" and invitation.is_aanspreekpunt
    organisation_url = f"/organisaties/{orgs['gemeente'].uuid}"
    viewer = logged_in(beheerder.user)  # a fresh session: no flash message about Piet
    organisation_page = viewer.get(organisation_url).content.decode()
    assert "piet@denhaag.nl" not in organisation_page
    assert "Er zijn geen aanspreekpunten opgegeven." in organisation_page
    users_page = client.get("/mijn-organisatie/gebruikers")
    assert "piet@denhaag.nl" in doc(users_page).xpath("string(//table[@id='uitnodigingen'])")
    entry = AuditEntry.objects.get(action="uitnodiging.verstuurd", target="piet@denhaag.nl")
    assert entry.details["bestaand_account"] is True
    assert not AuditEntry.objects.filter(action="lidmaatschap.toegevoegd").exists()

    (message,) = mail.outbox
    assert message.to == ["piet@denhaag.nl"]
    assert "al een account" in message.body and "Uitnodiging accepteren" in message.body
    assert "kiest zelf uw wachtwoord" not in message.body
    token = link_in(message)

    # Anonymous: asked to log in, no account form, nothing changes.
    anonymous = Client().get(f"/uitnodiging/{token}")
    assert anonymous.status_code == 200
    assert doc(anonymous).xpath("//a[@id='inloggen']")
    assert not doc(anonymous).xpath("//input[@name='password1']")
    assert not Membership.objects.filter(user=piet, organisation=orgs["gemeente"]).exists()

    # Logged in as Piet: the page asks; only the POST makes him a member.
    piet_client = logged_in(piet)
    assert "Uitnodiging accepteren" in piet_client.get(f"/uitnodiging/{token}").content.decode()
    assert not Membership.objects.filter(user=piet, organisation=orgs["gemeente"]).exists()
    assert piet_client.post(f"/uitnodiging/{token}").status_code == 302
    membership = Membership.objects.get(user=piet, organisation=orgs["gemeente"])
    assert (membership.role, membership.is_aanspreekpunt, membership.actief) == (
        Role.GEBRUIK_RAADPLEGER,
        True,
        True,
    )
    assert Membership.objects.filter(user=piet).count() == 2  # Den Haag stays
    listed = doc(viewer.get(organisation_url)).xpath("string(//*[@id='aanspreekpunten'])")
    assert "piet@denhaag.nl" in listed
    assert Notification.objects.filter(user=beheerder.user, kind="uitnodiging-geaccepteerd")


def test_an_unanswered_invitation_to_an_existing_account_can_be_revoked(beheerder, orgs):
    piet = member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER, email="piet@denhaag.nl").user
    client = logged_in(beheerder.user)
    invite_through_site(client, email="piet@denhaag.nl")
    token = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    response = client.post(
        "/mijn-organisatie/gebruikers/uitnodiging-intrekken", {"uitnodiging": invitation.pk}
    )
    assert response.status_code == 302
    assert logged_in(piet).post(f"/uitnodiging/{token}").status_code == 410
    assert not Membership.objects.filter(user=piet, organisation=orgs["gemeente"]).exists()


def test_invitation_to_an_existing_member_is_refused_nothing_changed(beheerder, orgs):
    colleague = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="kees@utrecht.nl")
    response = invite_through_site(
        logged_in(beheerder.user), email="kees@utrecht.nl", rol=Role.GEBRUIK_BEHEERDER
    )
    assert response.status_code == 400
    assert "al lid" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.role == Role.GEBRUIK_RAADPLEGER
    assert mail.outbox == []


def test_logged_in_with_matching_account_accepts_with_one_button(beheerder, orgs):
    invite_through_site(logged_in(beheerder.user), email="later@utrecht.nl")
    token = link_in(mail.outbox[0])
    # The account came into being after the invitation (e.g. through another organisation).
    user = member(orgs["gemeente2"], Role.GEBRUIK_RAADPLEGER, email="later@utrecht.nl").user
    anonymous = Client().get(f"/uitnodiging/{token}")
    assert anonymous.status_code == 200
    login_link = doc(anonymous).xpath("//a[@id='inloggen']/@href")[0]
    assert login_link == f"/inloggen?next=%2Fuitnodiging%2F{token}"
    assert not Membership.objects.filter(user=user, organisation=orgs["gemeente"]).exists()

    client = logged_in(user)
    page = client.get(f"/uitnodiging/{token}")
    assert "Uitnodiging accepteren" in page.content.decode()
    assert not Membership.objects.filter(user=user, organisation=orgs["gemeente"]).exists()
    accepted = client.post(f"/uitnodiging/{token}")
    assert accepted.status_code == 302
    assert Membership.objects.get(user=user, organisation=orgs["gemeente"]).role == (
        Role.GEBRUIK_RAADPLEGER
    )
    assert client.session[SESSION_KEY] == orgs["gemeente"].pk
    # Reuse refused.
    assert client.post(f"/uitnodiging/{token}").status_code == 410


def test_logged_in_as_someone_else_accepts_nothing(beheerder, orgs):
    invite_through_site(logged_in(beheerder.user))
    token = link_in(mail.outbox[0])
    stranger = member(orgs["leverancier"], Role.AANBOD_BEHEERDER).user
    client = logged_in(stranger)
    page = client.get(f"/uitnodiging/{token}")
    assert "ander e-mailadres" in page.content.decode()
    assert client.post(f"/uitnodiging/{token}").status_code == 403
    assert not Membership.objects.filter(organisation=orgs["gemeente"], user=stranger).exists()
    assert not User.objects.filter(email="ria@utrecht.nl").exists()
    assert Invitation.objects.get().used_at is None


# --- links that no longer work -----------------------------------------------------------


def test_reinvite_kills_the_old_link(beheerder):
    client = logged_in(beheerder.user)
    invite_through_site(client)
    old = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    response = client.post(
        "/mijn-organisatie/gebruikers/uitnodiging-opnieuw", {"uitnodiging": invitation.pk}
    )
    assert response.status_code == 302
    new = link_in(mail.outbox[1])
    assert new != old
    dead = Client().get(f"/uitnodiging/{old}")
    assert dead.status_code == 400
    assert "vervangen" in dead.content.decode()
    assert Client().get(f"/uitnodiging/{new}").status_code == 200


def test_expired_link_refused_and_nothing_created(beheerder):
    invite_through_site(logged_in(beheerder.user))
    token = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    visitor = Client()
    page = visitor.get(f"/uitnodiging/{token}")
    assert page.status_code == 410
    assert "verlopen" in page.content.decode()
    posted = visitor.post(f"/uitnodiging/{token}", accept_form())
    assert posted.status_code == 410
    assert not User.objects.filter(email="ria@utrecht.nl").exists()


def test_revoked_link_refused(beheerder):
    client = logged_in(beheerder.user)
    invite_through_site(client)
    token = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    client.post(
        "/mijn-organisatie/gebruikers/uitnodiging-intrekken", {"uitnodiging": invitation.pk}
    )
    page = Client().get(f"/uitnodiging/{token}")
    assert page.status_code == 410
    assert "ingetrokken" in page.content.decode()


def test_unknown_link_is_a_clear_400():
    page = Client().get("/uitnodiging/dit-bestaat-niet")
    assert page.status_code == 400
    assert "onbekend" in page.content.decode()


def test_single_role_type_hides_the_role_field(orgs):
    beheerder = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    client = logged_in(beheerder.user)
    page = doc(client.get("/mijn-organisatie/gebruikers"))
    assert not page.xpath(
        "//form[@action='/mijn-organisatie/gebruikers/toevoegen']//*[@name='rol']"
    )
    response = invite_through_site(client, email="nieuw@acme.nl", rol="")
    assert response.status_code == 302
    assert Invitation.objects.get(email="nieuw@acme.nl").role == Role.AANBOD_BEHEERDER


def test_invitation_email_has_no_html_escaping(orgs):
    org = orgs["gemeente2"]  # 's-Gravenhage
    org.weergavenaam = ""
    org.save()
    beheerder = member(org, Role.GEBRUIK_BEHEERDER)
    invite_through_site(logged_in(beheerder.user), email="x@denhaag.nl")
    assert "'s-Gravenhage" in mail.outbox[0].subject
    assert "&#x27;" not in mail.outbox[0].body


def test_accepting_without_csrf_token_is_refused(beheerder):
    invite_through_site(logged_in(beheerder.user))
    token = link_in(mail.outbox[0])
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(f"/uitnodiging/{token}", accept_form())
    assert response.status_code == 403
    assert not User.objects.filter(email="ria@utrecht.nl").exists()
    assert Invitation.objects.get().used_at is None


def test_aanspreekpunt_chosen_at_invitation_holds_once_accepted(beheerder, orgs):
    client = logged_in(beheerder.user)
    invite_through_site(client, is_aanspreekpunt="on")
    token = link_in(mail.outbox[0])
    visitor = Client()
    visitor.post(f"/uitnodiging/{token}", all_preferences(accept_form(), visitor, token))
    membership = Membership.objects.get(user__email="ria@utrecht.nl")
    assert membership.is_aanspreekpunt
