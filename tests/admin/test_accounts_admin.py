"""Functioneel beheer of organisations, users and memberships, and the audit log, in the CMS.

Functioneel beheer changes; a VNG-raadpleger sees the same lists and pages without buttons
and gets 403 for a forged POST; other roles get no menu and are turned away.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from core import services
from core.accounts import audit
from core.actors import Actor
from core.constants import OrganisationStatus, Role
from core.models import (
    ApiToken,
    AuditEntry,
    Invitation,
    Membership,
    Organisation,
    TotpDevice,
)
from core.register import catalog
from tests.accounts.committing import commit_per_request
from tests.admin.conftest import is_denied, logged_in, menu_labels
from tests.conftest import member

# Requests commit like real ones, so their e-mails leave (see tests/accounts/committing.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_per_request")]
__all__ = ["commit_per_request"]

ORGS = "/admin/core/organisation/"
USERS = "/admin/core/user/"
MEMBERSHIPS = "/admin/core/membership/"
AUDIT = "/admin/core/auditentry/"
NO_SUCH_ROLE = "bestaat niet voor een organisatie van type"
JAN_FORM = {"voornaam": "Jan", "achternaam": "Visser"}
ACCOUNT_MENU = {"Gebruikersbeheer", "Gebruikers", "Lidmaatschappen", "Auditlog", "Organisaties"}


@pytest.fixture
def fb(staff_client, orgs):
    client = staff_client("vng", Role.FUNCTIONEEL_BEHEERDER)
    client.user = member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER).user
    return client


@pytest.fixture
def raadpleger(staff_client):
    return staff_client("vng", Role.VNG_RAADPLEGER)


@pytest.fixture
def gemeente_beheerder(staff_client):
    return staff_client("gemeente", Role.GEBRUIK_BEHEERDER)


def text(response) -> str:
    return response.content.decode()


def listing(response) -> str:
    """The result table only (filters and search are left out)."""
    found = re.search(r'<table class="listing.*?</table>', text(response), re.S)
    return found.group(0) if found else ""


def row(response, needle: str) -> str:
    rows = re.findall(r"<tr[ >].*?</tr>", listing(response), re.S)
    return next(r for r in rows if needle in r)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- who sees what ------------------------------------------------------------------


def test_functioneel_beheer_gets_the_menus(fb):
    assert menu_labels(fb.get("/admin/")) >= ACCOUNT_MENU


@pytest.mark.parametrize("path", [ORGS, USERS, MEMBERSHIPS, AUDIT])
def test_vng_raadpleger_reads_every_list(raadpleger, path):
    response = raadpleger.get(path)
    assert response.status_code == 200
    assert menu_labels(response) >= ACCOUNT_MENU
    body = text(response)
    assert "/create/" not in body  # no "add" button


@pytest.mark.parametrize("path", [ORGS, USERS, MEMBERSHIPS, AUDIT])
def test_other_roles_get_no_menu_and_are_turned_away(gemeente_beheerder, staff_client, path):
    supplier = staff_client("leverancier", Role.AANBOD_BEHEERDER)
    for client in (gemeente_beheerder, supplier):
        assert not ACCOUNT_MENU & menu_labels(client.get("/admin/"))
        assert is_denied(client.get(path))


def test_forged_posts_of_a_raadpleger_are_refused(raadpleger, orgs):
    utrecht = orgs["gemeente"]
    someone = member(utrecht, Role.GEBRUIK_BEHEERDER)
    attempts = [
        (f"{ORGS}create/", {"naam": "Nepgemeente", "type": "Gemeente"}),
        (f"{ORGS}edit/{utrecht.pk}/", {"naam": "Gehackt"}),
        (f"{ORGS}status/{utrecht.pk}/", {"status": "Inactief"}),
        (f"{ORGS}samenvoegen/{utrecht.pk}/", {"doel": orgs["gemeente2"].pk}),
        (f"{USERS}edit/{someone.user.pk}/", {"voornaam": "X", "is_active": ""}),
        (f"{MEMBERSHIPS}create/", {"email": "x@example.nl", "organisation": utrecht.pk}),
        (f"{MEMBERSHIPS}edit/{someone.pk}/", {"role": "gebruik-raadpleger", "actief": "on"}),
    ]
    for path, data in attempts:
        assert raadpleger.post(path, data).status_code == 403, path
    utrecht.refresh_from_db()
    assert (utrecht.naam, utrecht.status) == ("Utrecht", OrganisationStatus.ACTIEF)
    assert not Organisation.objects.filter(naam="Nepgemeente").exists()
    someone.refresh_from_db()
    assert someone.role == Role.GEBRUIK_BEHEERDER and someone.user.is_active
    assert not Invitation.objects.exists()


def test_forged_posts_of_a_gemeente_beheerder_are_refused(gemeente_beheerder, orgs):
    utrecht = orgs["gemeente"]
    assert (
        gemeente_beheerder.post(f"{ORGS}status/{utrecht.pk}/", {"status": "Inactief"}).status_code
        == 403
    )
    assert (
        gemeente_beheerder.post(f"{ORGS}edit/{utrecht.pk}/", {"naam": "Eigen naam"}).status_code
        == 403
    )
    utrecht.refresh_from_db()
    assert (utrecht.naam, utrecht.status) == ("Utrecht", OrganisationStatus.ACTIEF)


# --- organisations ------------------------------------------------------------------


def test_organisation_list_shows_whether_there_is_a_beheerder(fb, orgs):
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)
    response = fb.get(ORGS, {"type__exact": "Gemeente"})
    assert "Actieve beheerder" in listing(response)
    assert 'alt="True"' in row(response, "Utrecht")
    assert 'alt="False"' in row(response, "Gravenhage")
    assert "Acme Software" not in listing(response)


def test_creating_an_organisation_invites_its_first_beheerder(fb):
    response = fb.post(
        f"{ORGS}create/",
        {
            "type": "Samenwerking",
            "naam": "Regio Noord",
            "website": "https://regionoord.example.nl",
            "beheerder_email": "Coordinator@RegioNoord.example.nl",
            "beheerder_voornaam": "Noor",
            "beheerder_achternaam": "Dijkstra",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(naam="Regio Noord")
    assert response["Location"] == f"{ORGS}inspect/{org.pk}/"
    assert (org.type, org.status) == ("Samenwerking", OrganisationStatus.ACTIEF)
    invitation = Invitation.objects.get(organisation=org)
    assert invitation.email == "coordinator@regionoord.example.nl"
    assert invitation.role == Role.GEBRUIK_BEHEERDER
    assert invitation.voornaam == "Noor"
    assert [m.to for m in mail.outbox] == [["coordinator@regionoord.example.nl"]]
    assert AuditEntry.objects.filter(action="organisatie.aangemaakt", organisation=org).exists()
    assert AuditEntry.objects.filter(action="uitnodiging.verstuurd", organisation=org).exists()


def test_creating_a_duplicate_is_refused_and_changes_nothing(fb, orgs):
    before = Organisation.objects.count()
    response = fb.post(f"{ORGS}create/", {"type": "Gemeente", "naam": "utrecht"})
    assert response.status_code == 200
    assert "Er bestaat al een gemeente met de naam “utrecht”." in text(response)
    response = fb.post(
        f"{ORGS}create/", {"type": "Gemeente", "naam": "Nieuwdorp", "cbs_code": "GM0344"}
    )
    assert response.status_code == 200
    assert "CBS-code GM0344 hoort al bij Utrecht." in text(response)
    response = fb.post(
        f"{ORGS}create/",
        {"type": "Gemeente", "naam": "Nieuwdorp", "beheerder_email": "geen-adres"},
    )
    assert response.status_code == 200
    assert Organisation.objects.count() == before
    assert not mail.outbox


def test_editing_an_organisation_is_audited(fb, orgs):
    utrecht = orgs["gemeente"]
    form = text(fb.get(f"{ORGS}edit/{utrecht.pk}/"))
    assert 'name="naam"' in form and 'name="type"' not in form and 'name="status"' not in form
    response = fb.post(
        f"{ORGS}edit/{utrecht.pk}/",
        {
            "naam": "Utrecht",
            "cbs_code": "GM0344",
            "provincie": "Utrecht",
            "weergavenaam": "Stad Utrecht",
        },
    )
    assert response.status_code == 302
    utrecht.refresh_from_db()
    assert utrecht.weergavenaam == "Stad Utrecht"
    entry = AuditEntry.objects.get(action="organisatie.gewijzigd")
    assert entry.details == {"weergavenaam": {"van": "", "naar": "Stad Utrecht"}}
    assert entry.user == fb.user


def test_an_invalid_edit_changes_nothing(fb, orgs):
    utrecht = orgs["gemeente"]
    response = fb.post(
        f"{ORGS}edit/{utrecht.pk}/",
        {"naam": "Utrecht", "cbs_code": "GM0518", "website": "geen website"},
    )
    assert response.status_code == 200
    assert "CBS-code GM0518 hoort al bij &#x27;s-Gravenhage." in text(response)
    utrecht.refresh_from_db()
    assert (utrecht.cbs_code, utrecht.website) == ("GM0344", "")
    assert not AuditEntry.objects.filter(action="organisatie.gewijzigd").exists()


def test_activating_and_deactivating(fb, orgs):
    acme = orgs["leverancier"]
    page = text(fb.get(f"{ORGS}inspect/{acme.pk}/"))
    assert "Deactiveren" in page and ">Activeren<" not in page
    response = fb.post(f"{ORGS}status/{acme.pk}/", {"status": "Inactief"}, follow=True)
    assert "Acme Software is gedeactiveerd." in messages_of(response)
    acme.refresh_from_db()
    assert acme.status == OrganisationStatus.INACTIEF
    assert AuditEntry.objects.filter(action="organisatie.gedeactiveerd", organisation=acme).exists()
    assert "Activeren" in text(fb.get(f"{ORGS}inspect/{acme.pk}/"))

    fb.post(f"{ORGS}status/{acme.pk}/", {"status": "Actief"})
    acme.refresh_from_db()
    assert acme.status == OrganisationStatus.ACTIEF


def test_a_status_that_cannot_be_reached_is_refused(fb, orgs):
    acme = orgs["leverancier"]
    for status in ("Samengevoegd", "Concept", "Onzin"):
        response = fb.post(f"{ORGS}status/{acme.pk}/", {"status": status}, follow=True)
        assert "kan niet naar status" in messages_of(response)
    acme.refresh_from_db()
    assert acme.status == OrganisationStatus.ACTIEF
    assert fb.get(f"{ORGS}status/{acme.pk}/").status_code == 405


def test_raadpleger_sees_an_organisation_without_buttons(raadpleger, orgs):
    utrecht = orgs["gemeente"]
    member(utrecht, Role.GEBRUIK_BEHEERDER)
    page = text(raadpleger.get(f"{ORGS}inspect/{utrecht.pk}/"))
    assert "gebruik-beheerder@utrecht.nl" in page
    assert "Deactiveren" not in page and "Samenvoegen" not in page
    assert f"{ORGS}edit/{utrecht.pk}/" not in page
    assert is_denied(raadpleger.get(f"{ORGS}edit/{utrecht.pk}/"))
    assert is_denied(raadpleger.get(f"{ORGS}create/"))


def test_organisations_are_never_deleted_here(fb, orgs):
    assert is_denied(fb.get(f"{ORGS}delete/{orgs['gemeente'].pk}/"))
    assert fb.post(f"{ORGS}delete/{orgs['gemeente'].pk}/").status_code == 302
    assert Organisation.objects.filter(pk=orgs["gemeente"].pk).exists()


# --- users --------------------------------------------------------------------------


@pytest.fixture
def jan(orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="jan@utrecht.nl").user
    user.voornaam, user.achternaam = "Jan", "Visser"
    user.last_login = timezone.now()
    user.save()
    return user


def test_user_list_shows_2fa_and_never_a_password(fb, jan, orgs):
    TotpDevice.objects.create(user=jan, secret="X" * 32, confirmed_at=timezone.now())
    member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER, email="piet@denhaag.nl")
    response = fb.get(USERS, {"tweestaps": "aan"})
    body = text(response)
    assert "jan@utrecht.nl" in body and "Jan Visser" in body
    assert "piet@denhaag.nl" not in body
    assert "piet@denhaag.nl" in text(fb.get(USERS, {"tweestaps": "uit"}))
    assert "jan@utrecht.nl" in text(fb.get(USERS, {"q": "Visser"}))
    assert "piet@denhaag.nl" not in text(fb.get(USERS, {"q": "Visser"}))
    page = text(fb.get(f"{USERS}inspect/{jan.pk}/"))
    for shown in (body, page, text(fb.get(f"{USERS}edit/{jan.pk}/"))):
        assert jan.password not in shown
        assert "md5$" not in shown and 'name="password"' not in shown
    assert "Tweestapsverificatie" in page and "Utrecht (Gebruik-beheerder)" in page
    assert fb.get(USERS, {"password__startswith": "md5"}).status_code == 400
    assert is_denied(fb.get(f"{USERS}create/"))


def test_editing_a_user_follows_the_account_service(fb, jan):
    response = fb.post(
        f"{USERS}edit/{jan.pk}/",
        {
            "voornaam": "Johannes",
            "tussenvoegsel": "",
            "achternaam": "Visser",
            "telefoonnummer": "030 123 4567",
            "functie": "Informatiemanager",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    jan.refresh_from_db()
    assert (jan.voornaam, jan.telefoonnummer, jan.is_active) == ("Johannes", "030 123 4567", True)
    entry = AuditEntry.objects.get(action="account.gewijzigd")
    assert entry.user == fb.user and entry.target == "jan@utrecht.nl"
    assert set(entry.details) == {"voornaam", "telefoonnummer", "functie"}


def test_the_user_edit_keeps_contactpersonen_in_step(fb, jan, orgs):
    """#352 through the admin: the catalogue's contactpersoon with Jan's address follows."""
    actor = Actor.for_membership(member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER))
    contact = services.create_object(
        catalog.by_key("catalogus/contactpersoon"),
        {"voornaam": "Jan", "achternaam": "Visser", "emailadres": "jan@utrecht.nl"},
        actor=actor,
    )
    fb.post(
        f"{USERS}edit/{jan.pk}/",
        {"voornaam": "Jan", "achternaam": "Visser-de Groot", "is_active": "on"},
    )
    contact.refresh_from_db()
    assert contact.data["achternaam"] == "Visser-de Groot"


def test_deactivating_an_account_ends_its_sessions(fb, jan):
    jan_client = logged_in(jan)
    assert jan_client.get("/mijn-account").status_code == 200
    generation = jan.session_generation
    response = fb.post(
        f"{USERS}edit/{jan.pk}/", {"voornaam": "Jan", "achternaam": "Visser", "is_active": ""}
    )
    assert response.status_code == 302
    jan.refresh_from_db()
    assert jan.is_active is False
    assert jan.session_generation == generation + 1
    assert AuditEntry.objects.filter(action="account.gedeactiveerd", target=jan.email).exists()
    assert jan_client.get("/mijn-account").status_code == 302  # logged out
    assert Membership.objects.filter(user=jan).exists()  # the memberships stay

    fb.post(
        f"{USERS}edit/{jan.pk}/", {"voornaam": "Jan", "achternaam": "Visser", "is_active": "on"}
    )
    jan.refresh_from_db()
    assert jan.is_active is True
    assert AuditEntry.objects.filter(action="account.geactiveerd").exists()


def test_functioneel_beheer_cannot_switch_itself_off(fb):
    response = fb.post(f"{USERS}edit/{fb.user.pk}/", {"voornaam": "", "is_active": ""})
    assert response.status_code == 200
    assert "U kunt uw eigen account niet uitschakelen." in text(response)
    fb.user.refresh_from_db()
    assert fb.user.is_active


def test_a_superuser_account_is_left_to_superusers(fb, superuser):
    assert is_denied(fb.get(f"{USERS}edit/{superuser.pk}/"))
    fb.post(f"{USERS}edit/{superuser.pk}/", {"voornaam": "Gehackt", "is_active": ""})
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.voornaam == ""


def test_a_password_reset_mail_can_be_sent(fb, jan):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = fb.post(
            f"{USERS}edit/{jan.pk}/",
            {
                "voornaam": "Jan",
                "achternaam": "Visser",
                "is_active": "on",
                "wachtwoord_herstel": "on",
            },
            follow=True,
        )
    assert "om een nieuw wachtwoord te kiezen" in messages_of(response)
    assert [m.to for m in mail.outbox] == [["jan@utrecht.nl"]]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = Client().get("/" + path, follow=True)  # the link works: a new password can be set
    assert page.status_code == 200
    assert 'name="new_password1"' in text(page)
    assert AuditEntry.objects.filter(
        action="wachtwoord.herstel-verstuurd", target=jan.email
    ).exists()


# --- memberships --------------------------------------------------------------------


def test_membership_list_filters(fb, orgs, jan):
    member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="eva@acme.nl")
    body = text(fb.get(MEMBERSHIPS, {"organisation__type__exact": "Gemeente"}))
    assert "jan@utrecht.nl" in body and "eva@acme.nl" not in body
    body = text(fb.get(MEMBERSHIPS, {"role__exact": "aanbod-beheerder"}))
    assert "eva@acme.nl" in body and "jan@utrecht.nl" not in body
    Membership.objects.filter(user=jan).update(actief=False)
    body = text(fb.get(MEMBERSHIPS, {"actief__exact": "0"}))
    assert "jan@utrecht.nl" in body and "eva@acme.nl" not in body


def test_adding_an_existing_account_invites_it_without_a_membership(fb, orgs, jan):
    """#60: not even functioneel beheer makes someone a member without their consent."""
    response = fb.post(
        f"{MEMBERSHIPS}create/",
        {
            "email": "JAN@utrecht.nl",
            "organisation": orgs["samenwerking"].pk,
            "role": "gebruik-raadpleger",
        },
        follow=True,
    )
    assert (
        "Er is een uitnodiging gestuurd naar jan@utrecht.nl om gebruik-raadpleger van Dimpact "
        "te worden." in messages_of(response)
    )
    assert not Membership.objects.filter(user=jan, organisation=orgs["samenwerking"]).exists()
    invitation = Invitation.objects.get(organisation=orgs["samenwerking"])
    assert (invitation.email, invitation.role) == ("jan@utrecht.nl", "gebruik-raadpleger")
    assert [m.to for m in mail.outbox] == [["jan@utrecht.nl"]]
    assert "al een account" in mail.outbox[0].body
    assert not AuditEntry.objects.filter(action="lidmaatschap.toegevoegd").exists()


def test_adding_a_new_address_sends_an_invitation(fb, orgs):
    response = fb.post(
        f"{MEMBERSHIPS}create/",
        {
            "email": "nieuw@acme.nl",
            "organisation": orgs["leverancier"].pk,
            "role": "aanbod-beheerder",
        },
        follow=True,
    )
    assert "Er is een uitnodiging gestuurd naar nieuw@acme.nl" in messages_of(response)
    assert Invitation.objects.filter(email="nieuw@acme.nl", role="aanbod-beheerder").exists()
    assert not Membership.objects.filter(user__email="nieuw@acme.nl").exists()


@pytest.mark.parametrize(
    ("org_key", "role", "message"),
    [
        (
            "leverancier",
            "gebruik-beheerder",
            "bestaat niet voor een organisatie van type Leverancier",
        ),
        (
            "gemeente",
            "functioneel-beheerder",
            "bestaat niet voor een organisatie van type Gemeente",
        ),
        ("gemeente", "gebruik-beheerder", "is al lid van Utrecht"),
    ],
)
def test_a_membership_that_cannot_be_is_refused(fb, orgs, jan, org_key, role, message):
    before = (Membership.objects.count(), Invitation.objects.count())
    response = fb.post(
        f"{MEMBERSHIPS}create/",
        {"email": "jan@utrecht.nl", "organisation": orgs[org_key].pk, "role": role},
    )
    assert response.status_code == 200
    assert message in text(response)
    assert (Membership.objects.count(), Invitation.objects.count()) == before
    assert not mail.outbox


def test_changing_a_role_revokes_tokens_and_is_audited(fb, orgs, jan):
    colleague = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="els@utrecht.nl")
    _token, _raw = ApiToken.objects.issue(colleague, "koppeling")
    response = fb.post(
        f"{MEMBERSHIPS}edit/{colleague.pk}/",
        {"role": "gebruik-raadpleger", "actief": "on"},
        follow=True,
    )
    assert "rol gebruik-raadpleger" in messages_of(response)
    colleague.refresh_from_db()
    assert colleague.role == "gebruik-raadpleger"
    assert not ApiToken.objects.filter(user=colleague.user, revoked_at__isnull=True).exists()
    assert AuditEntry.objects.get(action="lidmaatschap.rol").details == {
        "van": "gebruik-beheerder",
        "naar": "gebruik-raadpleger",
    }


def test_the_last_beheerder_is_kept(fb, jan):
    membership = Membership.objects.get(user=jan)
    response = fb.post(
        f"{MEMBERSHIPS}edit/{membership.pk}/", {"role": "gebruik-beheerder", "actief": ""}
    )
    assert response.status_code == 200
    assert "laatste actieve beheerder" in text(response)
    membership.refresh_from_db()
    assert membership.actief
    response = fb.post(
        f"{MEMBERSHIPS}edit/{membership.pk}/", {"role": "aanbod-beheerder", "actief": "on"}
    )
    assert "bestaat niet voor een organisatie van type Gemeente" in text(response)
    membership.refresh_from_db()
    assert membership.role == "gebruik-beheerder"


def test_memberships_are_not_deleted_here(fb, jan):
    membership = Membership.objects.get(user=jan)
    assert is_denied(fb.get(f"{MEMBERSHIPS}delete/{membership.pk}/"))
    fb.post(f"{MEMBERSHIPS}delete/{membership.pk}/")
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- audit log ----------------------------------------------------------------------


@pytest.fixture
def entries(orgs, jan):
    actor = Actor.for_membership(Membership.objects.get(user=jan))
    audit.record(
        "organisatie.profiel", actor=actor, organisation=orgs["gemeente"], target="Utrecht"
    )
    audit.record(
        "uitnodiging.verstuurd",
        actor=actor,
        organisation=orgs["gemeente"],
        target="kees@utrecht.nl",
    )
    audit.record(
        "organisatie.gedeactiveerd", organisation=orgs["leverancier"], target="Acme Software"
    )
    return AuditEntry.objects.all()


def test_the_audit_log_is_searched_and_filtered(fb, entries, orgs):
    body = listing(fb.get(AUDIT))
    newest_first = body.index("organisatie.gedeactiveerd") < body.index("organisatie.profiel")
    assert newest_first
    found = listing(fb.get(AUDIT, {"q": "kees@utrecht"}))
    assert "uitnodiging.verstuurd" in found and "organisatie.profiel" not in found
    found = listing(fb.get(AUDIT, {"q": "jan@utrecht.nl"}))
    assert "uitnodiging.verstuurd" in found and "organisatie.gedeactiveerd" not in found
    found = listing(fb.get(AUDIT, {"actie": "organisatie.profiel"}))
    assert "kees@utrecht.nl" not in found and "organisatie.profiel" in found
    found = listing(fb.get(AUDIT, {"organisation": orgs["leverancier"].pk}))
    assert "Acme Software" in found and "kees@utrecht.nl" not in found
    entry = entries.get(action="uitnodiging.verstuurd")
    page = text(fb.get(f"{AUDIT}inspect/{entry.pk}/"))
    assert "kees@utrecht.nl" in page and "jan@utrecht.nl" in page


def test_nobody_changes_the_audit_log(fb, admin_client, entries):
    entry = entries.first()
    for client in (fb, admin_client):
        assert is_denied(client.get(f"{AUDIT}create/"))
        assert is_denied(client.get(f"{AUDIT}edit/{entry.pk}/"))
        assert is_denied(client.get(f"{AUDIT}delete/{entry.pk}/"))
        client.post(f"{AUDIT}delete/{entry.pk}/")
        client.post(f"{AUDIT}edit/{entry.pk}/", {"action": "vervalst"})
    entry.refresh_from_db()
    assert entry.action != "vervalst"
    assert AuditEntry.objects.count() == 3


def test_raadpleger_reads_the_audit_log(raadpleger, entries):
    entry = entries.first()
    assert raadpleger.get(f"{AUDIT}inspect/{entry.pk}/").status_code == 200
    assert raadpleger.post(f"{AUDIT}delete/{entry.pk}/").status_code == 403


def test_the_audit_log_filters_on_date(fb, entries):
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    assert "organisatie.profiel" in listing(fb.get(AUDIT, {"at__gte": str(midnight)}))
    long_ago = str(midnight.replace(year=2000))
    assert "organisatie.profiel" not in listing(fb.get(AUDIT, {"at__lt": long_ago}))


# --- no query per row ---------------------------------------------------------------


def _grow(orgs, start: int, count: int) -> None:
    """More users with memberships, 2FA and audit lines, spread over organisations."""
    keys = ("gemeente", "gemeente2", "leverancier", "samenwerking")
    for i in range(start, start + count):
        org = orgs[keys[i % len(keys)]]
        if i % 3 == 0:
            org = Organisation.objects.create(naam=f"Leverancier {i}", type="Leverancier")
        role = "aanbod-beheerder" if org.type == "Leverancier" else "gebruik-raadpleger"
        user = member(org, role, email=f"persoon{i}@example.nl").user
        if i % 2:
            TotpDevice.objects.create(user=user, secret="X" * 32, confirmed_at=timezone.now())
        audit.record("account.gewijzigd", user=user, organisation=org, target=user.email)


@pytest.mark.parametrize("path", [ORGS, USERS, MEMBERSHIPS, AUDIT])
def test_lists_cost_the_same_for_more_rows(fb, orgs, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(orgs, 0, 3)
    fb.get(path)  # warm up: session, actor, menu
    with CaptureQueriesContext(connection) as few:
        assert fb.get(path).status_code == 200
    _grow(orgs, 3, 30)
    with CaptureQueriesContext(connection) as many:
        assert fb.get(path).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
