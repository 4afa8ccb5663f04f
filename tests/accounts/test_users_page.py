"""The Gebruikers page (3.1, #65): who sees it, what each action does, and what it refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from lxml import html

from core.accounts.links import new_token
from core.constants import Role
from core.models import AccessRequest, AuditEntry, Invitation, Membership, TotpDevice
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db

USERS = "/mijn-organisatie/gebruikers"


def doc(response):
    return html.fromstring(response.content.decode())


def row_text(page, membership) -> str:
    return " ".join(doc(page).xpath(f"string(//tr[@id='lidmaatschap-{membership.pk}'])").split())


@pytest.fixture
def utrecht(orgs):
    """A gemeente with a beheerder and a raadpleger."""
    beheerder = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)
    raadpleger = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER)
    return beheerder, raadpleger


# --- who sees the page -------------------------------------------------------------------


def test_beheerder_sees_users_with_role_login_and_2fa(utrecht, orgs):
    beheerder, raadpleger = utrecht
    raadpleger.user.voornaam, raadpleger.user.achternaam = "Kees", "Jansen"
    raadpleger.user.last_login = timezone.now() - timedelta(days=400)
    raadpleger.user.save()
    TotpDevice.objects.create(user=raadpleger.user, secret="x", confirmed_at=timezone.now())
    never = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="nooit@utrecht.nl")
    member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER, email="vreemde@denhaag.nl")
    page = logged_in(beheerder.user).get(USERS)
    assert page.status_code == 200
    text = row_text(page, raadpleger)
    assert "Kees Jansen" in text and raadpleger.user.email in text
    assert str(timezone.localtime(raadpleger.user.last_login).year) in text
    assert "aan" in text.split()  # 2FA on
    fresh = row_text(page, never)
    assert "nooit" in fresh and "uit" in fresh.split()
    # Nothing of another organisation's users.
    assert "vreemde@denhaag.nl" not in page.content.decode()
    # Roles offered are those of a gemeente only.
    options = doc(page).xpath(f"//select[@id='rol-{raadpleger.pk}']/option/@value")
    assert options == [Role.GEBRUIK_BEHEERDER, Role.GEBRUIK_RAADPLEGER]


def test_raadpleger_cannot_open_the_page_nor_post_its_actions(utrecht):
    beheerder, raadpleger = utrecht
    client = logged_in(raadpleger.user)
    assert client.get(USERS).status_code == 404
    posts = {
        f"{USERS}/toevoegen": {
            "voornaam": "A",
            "achternaam": "B",
            "email": "a@b.nl",
            "rol": Role.GEBRUIK_BEHEERDER,
        },
        f"{USERS}/rol": {"lidmaatschap": raadpleger.pk, "rol": Role.GEBRUIK_BEHEERDER},
        f"{USERS}/uitschakelen": {"lidmaatschap": beheerder.pk},
        f"{USERS}/aanspreekpunt": {"lidmaatschap": raadpleger.pk, "aanspreekpunt": "ja"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    raadpleger.refresh_from_db()
    beheerder.refresh_from_db()
    assert raadpleger.role == Role.GEBRUIK_RAADPLEGER and not raadpleger.is_aanspreekpunt
    assert beheerder.actief
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_anonymous_is_sent_to_login():
    response = Client().get(USERS)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen?next=")


def test_beheerder_of_a_cannot_act_on_b_by_changing_an_id(utrecht, orgs):
    beheerder, _ = utrecht
    den_haag = member(orgs["gemeente2"], Role.GEBRUIK_RAADPLEGER, email="jan@denhaag.nl")
    den_haag_beheerder = member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER)
    raw, digest = new_token()
    theirs = Invitation.objects.create(
        organisation=orgs["gemeente2"],
        email="gast@denhaag.nl",
        role=Role.GEBRUIK_RAADPLEGER,
        token_hash=digest,
        expires_at=timezone.now() + timedelta(hours=72),
        invited_by=den_haag_beheerder.user,
    )
    client = logged_in(beheerder.user)
    attempts = {
        f"{USERS}/rol": {"lidmaatschap": den_haag.pk, "rol": Role.GEBRUIK_BEHEERDER},
        f"{USERS}/uitschakelen": {"lidmaatschap": den_haag.pk},
        f"{USERS}/aanspreekpunt": {"lidmaatschap": den_haag.pk, "aanspreekpunt": "ja"},
        f"{USERS}/uitnodiging-opnieuw": {"uitnodiging": theirs.pk},
        f"{USERS}/uitnodiging-intrekken": {"uitnodiging": theirs.pk},
        f"{USERS}/rol?x=1": {"lidmaatschap": "geen-getal", "rol": Role.GEBRUIK_BEHEERDER},
    }
    for url, data in attempts.items():
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert "jan@denhaag.nl" not in response.content.decode()
    den_haag.refresh_from_db()
    theirs.refresh_from_db()
    assert den_haag.role == Role.GEBRUIK_RAADPLEGER
    assert den_haag.actief and not den_haag.is_aanspreekpunt
    assert theirs.revoked_at is None and theirs.token_hash == digest
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(organisation=orgs["gemeente2"]).exists()


# --- actions ------------------------------------------------------------------------------


def test_change_role_deactivate_reactivate_and_aanspreekpunt(utrecht):
    beheerder, raadpleger = utrecht
    client = logged_in(beheerder.user)
    response = client.post(
        f"{USERS}/rol", {"lidmaatschap": raadpleger.pk, "rol": Role.GEBRUIK_BEHEERDER}
    )
    assert response.status_code == 302
    raadpleger.refresh_from_db()
    assert raadpleger.role == Role.GEBRUIK_BEHEERDER
    assert "gebruik-beheerder" in client.get(USERS).content.decode()

    client.post(f"{USERS}/uitschakelen", {"lidmaatschap": raadpleger.pk})
    raadpleger.refresh_from_db()
    assert not raadpleger.actief
    assert raadpleger.user.is_active  # the account stays, only the membership stops
    assert "Gebruiker inschakelen" in row_text(client.get(USERS), raadpleger)
    client.post(f"{USERS}/inschakelen", {"lidmaatschap": raadpleger.pk})
    raadpleger.refresh_from_db()
    assert raadpleger.actief

    client.post(f"{USERS}/aanspreekpunt", {"lidmaatschap": raadpleger.pk, "aanspreekpunt": "ja"})
    raadpleger.refresh_from_db()
    assert raadpleger.is_aanspreekpunt
    actions = set(
        AuditEntry.objects.filter(target=raadpleger.user.email).values_list("action", flat=True)
    )
    assert {
        "lidmaatschap.rol",
        "lidmaatschap.uitgeschakeld",
        "lidmaatschap.ingeschakeld",
        "lidmaatschap.aanspreekpunt",
    } <= actions


@pytest.mark.parametrize(
    "role", [Role.FUNCTIONEEL_BEHEERDER, Role.AANBOD_BEHEERDER, Role.VNG_RAADPLEGER, "baas"]
)
def test_role_escalation_refused_nothing_changed(utrecht, role):
    beheerder, raadpleger = utrecht
    client = logged_in(beheerder.user)
    changed = client.post(f"{USERS}/rol", {"lidmaatschap": raadpleger.pk, "rol": role})
    assert changed.status_code == 400
    assert "bestaat niet" in changed.content.decode()
    invited = client.post(
        f"{USERS}/toevoegen",
        {"voornaam": "A", "achternaam": "B", "email": "nieuw@utrecht.nl", "rol": role},
    )
    assert invited.status_code == 400
    assert "Kies een rol die bij dit type organisatie hoort." in invited.content.decode()
    raadpleger.refresh_from_db()
    assert raadpleger.role == Role.GEBRUIK_RAADPLEGER
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_last_active_beheerder_cannot_deactivate_or_demote_themselves(utrecht):
    beheerder, _ = utrecht
    client = logged_in(beheerder.user)
    off = client.post(f"{USERS}/uitschakelen", {"lidmaatschap": beheerder.pk})
    assert off.status_code == 400
    assert "laatste actieve beheerder" in off.content.decode()
    demoted = client.post(
        f"{USERS}/rol", {"lidmaatschap": beheerder.pk, "rol": Role.GEBRUIK_RAADPLEGER}
    )
    assert demoted.status_code == 400
    beheerder.refresh_from_db()
    assert beheerder.actief and beheerder.role == Role.GEBRUIK_BEHEERDER


def test_revoke_and_reinvite_of_an_open_invitation(utrecht):
    beheerder, _ = utrecht
    client = logged_in(beheerder.user)
    client.post(
        f"{USERS}/toevoegen",
        {
            "voornaam": "A",
            "achternaam": "B",
            "email": "nieuw@utrecht.nl",
            "rol": "gebruik-raadpleger",
        },
    )
    invitation = Invitation.objects.get()
    listed = doc(client.get(USERS)).xpath(f"string(//tr[@id='uitnodiging-{invitation.pk}'])")
    assert "openstaand" in listed and "nieuw@utrecht.nl" in listed
    client.post(f"{USERS}/uitnodiging-intrekken", {"uitnodiging": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.status == "ingetrokken"
    assert f"uitnodiging-{invitation.pk}" not in client.get(USERS).content.decode()


def test_bad_invite_input_is_shown_at_the_fields(utrecht):
    beheerder, _ = utrecht
    response = logged_in(beheerder.user).post(
        f"{USERS}/toevoegen", {"voornaam": "", "achternaam": "B", "email": "geen-adres"}
    )
    assert response.status_code == 400
    field = doc(response).xpath("//input[@name='email']")[0]
    assert field.get("aria-invalid") == "true"
    assert "id_email_error" in field.get("aria-describedby")
    assert not Invitation.objects.exists()


def test_posts_without_csrf_token_are_refused(utrecht):
    beheerder, raadpleger = utrecht
    client = Client(enforce_csrf_checks=True)
    client.force_login(beheerder.user)
    response = client.post(
        f"{USERS}/rol", {"lidmaatschap": raadpleger.pk, "rol": Role.GEBRUIK_BEHEERDER}
    )
    assert response.status_code == 403
    invite = client.post(
        f"{USERS}/toevoegen",
        {"voornaam": "A", "achternaam": "B", "email": "x@utrecht.nl", "rol": "gebruik-raadpleger"},
    )
    assert invite.status_code == 403
    raadpleger.refresh_from_db()
    assert raadpleger.role == Role.GEBRUIK_RAADPLEGER
    assert not Invitation.objects.exists()


def test_get_on_an_action_is_not_allowed(utrecht):
    beheerder, raadpleger = utrecht
    client = logged_in(beheerder.user)
    assert client.get(f"{USERS}/uitschakelen", {"lidmaatschap": raadpleger.pk}).status_code == 405


# --- access requests forwarded by functioneel beheer --------------------------------------


def forwarded(org, email="aanvrager@utrecht.nl", beheerder=None) -> AccessRequest:
    _raw, digest = new_token()
    return AccessRequest.objects.create(
        organisation=org,
        voornaam="Anna",
        achternaam="Aanvrager",
        email=email,
        functie="Architect",
        status=AccessRequest.Status.DOORGESTUURD,
        token_hash=digest,
        expires_at=timezone.now() + timedelta(hours=72),
        email_verified_at=timezone.now(),
        forwarded_to=beheerder,
    )


def test_forwarded_request_listed_and_granted_in_one_click(utrecht, orgs):
    beheerder, _ = utrecht
    request = forwarded(orgs["gemeente"], beheerder=beheerder.user)
    other = forwarded(orgs["gemeente2"], email="elders@denhaag.nl")
    client = logged_in(beheerder.user)
    page = client.get(USERS)
    section = doc(page).xpath("string(//h2[@id='toegangsverzoeken']/following-sibling::section)")
    assert "Anna Aanvrager" in section
    assert "elders@denhaag.nl" not in page.content.decode()
    response = client.post(
        f"{USERS}/toegangsverzoek",
        {"verzoek": str(request.uuid), "besluit": "toekennen", "rol": Role.GEBRUIK_RAADPLEGER},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.TOEGEKEND
    invitation = Invitation.objects.get(email="aanvrager@utrecht.nl")
    assert invitation.role == Role.GEBRUIK_RAADPLEGER
    assert invitation.organisation == orgs["gemeente"]
    # Another organisation's request cannot be reached by its id.
    refused = client.post(
        f"{USERS}/toegangsverzoek", {"verzoek": str(other.uuid), "besluit": "afwijzen"}
    )
    assert refused.status_code == 404
    other.refresh_from_db()
    assert other.status == AccessRequest.Status.DOORGESTUURD


def test_forwarded_request_declined_with_reason(utrecht, orgs):
    beheerder, _ = utrecht
    request = forwarded(orgs["gemeente"], beheerder=beheerder.user)
    client = logged_in(beheerder.user)
    response = client.post(
        f"{USERS}/toegangsverzoek",
        {"verzoek": str(request.uuid), "besluit": "afwijzen", "reden": "Onbekend bij ons."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.AFGEWEZEN
    assert not Invitation.objects.exists()
    assert any("Onbekend bij ons." in m.body for m in mail.outbox)


def test_granting_a_request_with_a_foreign_role_is_refused(utrecht, orgs):
    beheerder, _ = utrecht
    request = forwarded(orgs["gemeente"], beheerder=beheerder.user)
    response = logged_in(beheerder.user).post(
        f"{USERS}/toegangsverzoek",
        {"verzoek": str(request.uuid), "besluit": "toekennen", "rol": Role.FUNCTIONEEL_BEHEERDER},
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.DOORGESTUURD
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(user__email="aanvrager@utrecht.nl").exists()
