"""'Mijn account': personal data (one record with the contactpersonen, #352), memberships and
their beheerders (1.3), notification preferences, API tokens only with 2FA, and switching the
active organisation when a membership has just ended."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from lxml import html

from core.accounts.notifications import preferences
from core.actors import SESSION_KEY
from core.constants import Role
from core.models import ApiToken, AuditEntry, Membership, NotificationPreference, User
from core.plugins.manager import pm
from core.site.setup import ensure_home_page
from tests.admin.conftest import logged_in, with_two_factor
from tests.conftest import member
from tests.example_plugin import hooks as example_hooks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home(db):
    return ensure_home_page()


@pytest.fixture(autouse=True)
def _clear_account_changes():
    example_hooks.ACCOUNT_CHANGES.clear()
    yield
    example_hooks.ACCOUNT_CHANGES.clear()


def doc(response):
    return html.fromstring(response.content.decode())


def main_text(response) -> str:
    return " ".join(doc(response).xpath("string(//main)").split())


def cell_texts(tree, xpath: str) -> list[list[str]]:
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
        for row in tree.xpath(xpath)
    ]


@pytest.fixture
def jan(orgs):
    membership = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="jan@utrecht.nl")
    user = membership.user
    user.voornaam, user.tussenvoegsel, user.achternaam = "Jan", "van der", "Berg"
    user.telefoonnummer, user.functie = "030 123 4567", "Informatiemanager"
    user.save()
    return user


PROFILE = {
    "gegevens-voornaam": "Jan",
    "gegevens-tussenvoegsel": "van den",
    "gegevens-achternaam": "Bosch",
    "gegevens-email": "j.vandenbosch@utrecht.nl",
    "gegevens-telefoonnummer": "030 765 4321",
    "gegevens-functie": "Architect",
}


# --- what the page shows ---------------------------------------------------------------------


def test_account_shows_personal_data_and_security(jan):
    tree = doc(logged_in(jan).get("/mijn-account"))
    assert tree.xpath("string(//*[@id='gegevens-naam'])") == "Jan van der Berg"
    assert tree.xpath("string(//*[@id='gegevens-email'])") == "jan@utrecht.nl"
    assert tree.xpath("string(//*[@id='gegevens-telefoon'])") == "030 123 4567"
    assert tree.xpath("string(//*[@id='gegevens-functie'])") == "Informatiemanager"
    assert " ".join(tree.xpath("string(//*[@id='tweestaps-status'])").split()) == "Uit"
    assert tree.xpath("//a[@href='/mijn-account/tweestapsverificatie']")
    assert tree.xpath("//a[@href='/mijn-account/wachtwoord']")
    form = tree.xpath("//form[@action='/mijn-account/overal-uitloggen']")[0]
    assert form.get("method") == "post" and form.xpath(".//input[@name='csrfmiddlewaretoken']")
    # The profile form is filled in, each input labelled.
    for name, value in (
        ("voornaam", "Jan"),
        ("tussenvoegsel", "van der"),
        ("email", "jan@utrecht.nl"),
    ):
        field = tree.xpath(f"//input[@name='gegevens-{name}']")[0]
        assert field.get("value") == value
        assert tree.xpath(f"//label[@for='{field.get('id')}']")


def test_memberships_link_to_the_organisation_and_name_its_beheerders(orgs, jan):
    beheerder = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="piet@utrecht.nl").user
    beheerder.voornaam, beheerder.achternaam = "Piet", "de Vries"
    beheerder.save()
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="zonder-naam@utrecht.nl")
    disabled = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="weg@utrecht.nl")
    disabled.actief = False
    disabled.save()
    member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="collega@utrecht.nl")
    member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="lev@acme.nl")

    tree = doc(logged_in(jan).get("/mijn-account"))
    [row] = cell_texts(tree, "//table[@id='lidmaatschappen']/tbody/tr")
    assert row[0].startswith("Utrecht")
    assert row[2] == "Gebruik-raadpleger"
    beheerders = tree.xpath("//table[@id='lidmaatschappen']//td[4]//li/text()")
    assert sorted(beheerders) == ["Piet de Vries", "zonder-naam@utrecht.nl"]
    assert tree.xpath(
        f"//table[@id='lidmaatschappen']//a[@href='/organisaties/{orgs['gemeente'].uuid}']"
    )
    text = " ".join(tree.xpath("string(//main)").split())
    assert "weg@utrecht.nl" not in text, "a disabled beheerder is no longer one"
    assert "collega@utrecht.nl" not in text, "raadplegers are not beheerders"
    assert "lev@acme.nl" not in text and "Acme" not in text, "other organisations stay hidden"


def test_disabled_member_does_not_see_the_beheerders(orgs, jan):
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="piet@utrecht.nl")
    Membership.objects.filter(user=jan).update(actief=False)
    tree = doc(logged_in(jan).get("/mijn-account"))
    [row] = cell_texts(tree, "//table[@id='lidmaatschappen']/tbody/tr")
    assert row[4] == "—"
    assert "piet@utrecht.nl" not in tree.xpath("string(//main)")


def test_organisation_without_beheerder_says_so(orgs, jan):
    tree = doc(logged_in(jan).get("/mijn-account"))
    [row] = cell_texts(tree, "//table[@id='lidmaatschappen']/tbody/tr")
    assert row[4] == "Nog geen beheerder"


def test_organisation_page_is_linked_only_where_it_can_be_opened(orgs):
    """A supplier cannot open an Inactief organisation's page, so it gets no dead link."""
    user = member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="lev@acme.nl").user
    member(orgs["inactief"], Role.AANBOD_BEHEERDER, email="lev@acme.nl")
    client = logged_in(user)
    tree = doc(client.get("/mijn-account"))
    assert tree.xpath(f"//a[@href='/organisaties/{orgs['leverancier'].uuid}']")
    assert not tree.xpath(f"//a[@href='/organisaties/{orgs['inactief'].uuid}']")
    assert "Gesloten BV" in tree.xpath("string(//table[@id='lidmaatschappen'])")
    assert client.get(f"/organisaties/{orgs['inactief'].uuid}").status_code == 404


# --- editing personal data -------------------------------------------------------------------


def confirmation_link(address: str) -> str:
    """The path of the confirmation link in the last e-mail to `address`."""
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    found = re.search(r"https?://[^/\s]+(/mijn-account/e-mailadres-bevestigen/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def test_profile_edit_saves_and_tells_the_plugins(jan):
    client = logged_in(jan)
    response = client.post("/mijn-account/gegevens", PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/mijn-account"
    # A new address counts only once confirmed from it, by this account; the old one is told.
    jan.refresh_from_db()
    assert jan.email == "jan@utrecht.nl" and example_hooks.ACCOUNT_CHANGES == []
    assert any(m.to == ["jan@utrecht.nl"] for m in mail.outbox)
    link = confirmation_link("j.vandenbosch@utrecht.nl")
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/mijn-account"
    jan.refresh_from_db()
    assert (jan.voornaam, jan.tussenvoegsel, jan.achternaam) == ("Jan", "van den", "Bosch")
    assert (jan.email, jan.telefoonnummer, jan.functie) == (
        "j.vandenbosch@utrecht.nl",
        "030 765 4321",
        "Architect",
    )
    assert example_hooks.ACCOUNT_CHANGES == [("jan@utrecht.nl", "j.vandenbosch@utrecht.nl")]
    entry = AuditEntry.objects.get(action="account.gewijzigd")
    assert entry.user == jan
    assert entry.details["email"] == {"van": "jan@utrecht.nl", "naar": "j.vandenbosch@utrecht.nl"}
    assert "voornaam" not in entry.details, "only what changed"
    page = client.get("/mijn-account")
    assert "Uw gegevens zijn opgeslagen." in main_text(page)
    assert doc(page).xpath("string(//*[@id='gegevens-naam'])") == "Jan van den Bosch"
    # The new address is the login name now.
    fresh = Client()
    assert (
        fresh.post(
            "/inloggen", {"username": "j.vandenbosch@utrecht.nl", "password": "een-lang-wachtwoord"}
        ).status_code
        == 302
    )


def test_saving_unchanged_data_changes_nothing(jan):
    data = {
        "gegevens-voornaam": "Jan",
        "gegevens-tussenvoegsel": "van der",
        "gegevens-achternaam": "Berg",
        "gegevens-email": "jan@utrecht.nl",
        "gegevens-telefoonnummer": "030 123 4567",
        "gegevens-functie": "Informatiemanager",
    }
    response = logged_in(jan).post("/mijn-account/gegevens", data, follow=True)
    assert "Er was niets gewijzigd." in main_text(response)
    assert not AuditEntry.objects.exists()
    assert example_hooks.ACCOUNT_CHANGES == []


def test_duplicate_email_is_refused_and_nothing_changes(orgs, jan):
    member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="bezet@acme.nl")
    response = logged_in(jan).post(
        "/mijn-account/gegevens", {**PROFILE, "gegevens-email": "BEZET@acme.nl"}
    )
    assert response.status_code == 400
    tree = doc(response)
    assert "Dit e-mailadres hoort al bij een ander account" in main_text(response)
    field = tree.xpath("//input[@name='gegevens-email']")[0]
    assert field.get("aria-invalid") == "true"
    assert f"{field.get('id')}_error" in field.get("aria-describedby")
    assert tree.xpath("//details[@open]"), "the form with its error stays open"
    jan.refresh_from_db()
    assert (jan.email, jan.achternaam, jan.functie) == (
        "jan@utrecht.nl",
        "Berg",
        "Informatiemanager",
    )
    assert not AuditEntry.objects.exists()
    assert example_hooks.ACCOUNT_CHANGES == []


def test_invalid_email_is_refused(jan):
    response = logged_in(jan).post(
        "/mijn-account/gegevens", {**PROFILE, "gegevens-email": "geen-adres"}
    )
    assert response.status_code == 400
    jan.refresh_from_db()
    assert jan.email == "jan@utrecht.nl" and jan.achternaam == "Berg"


def test_a_failing_plugin_undoes_the_change(jan):
    from core.plugins import hookimpl

    class Failing:
        @hookimpl
        def account_changed(self, user, previous):
            raise RuntimeError("contactpersoon kon niet worden bijgewerkt")

    plugin = Failing()
    client = logged_in(jan)
    client.post("/mijn-account/gegevens", PROFILE)
    pm.register(plugin, name="test-failing-account-changed")
    try:
        with pytest.raises(RuntimeError):
            client.post(confirmation_link("j.vandenbosch@utrecht.nl"))
    finally:
        pm.unregister(plugin)
    jan.refresh_from_db()
    assert jan.email == "jan@utrecht.nl" and jan.achternaam == "Berg"
    assert not AuditEntry.objects.exists()


def test_profile_edit_needs_post_and_csrf(jan):
    assert logged_in(jan).get("/mijn-account/gegevens").status_code == 405
    client = Client(enforce_csrf_checks=True)
    client.force_login(jan)
    assert client.post("/mijn-account/gegevens", PROFILE).status_code == 403
    jan.refresh_from_db()
    assert jan.email == "jan@utrecht.nl"


def test_profile_edit_needs_login(client):
    response = client.post("/mijn-account/gegevens", PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen")
    assert not User.objects.filter(email="j.vandenbosch@utrecht.nl").exists()


# --- notification preferences ----------------------------------------------------------------


def test_notification_preferences_per_kind(jan):
    client = logged_in(jan)
    tree = doc(client.get("/mijn-account"))
    fieldsets = tree.xpath("//form[@action='/mijn-account/meldingen']//fieldset")
    legends = [" ".join(f.xpath("string(legend)").split()) for f in fieldsets]
    assert "Een uitnodiging die u verstuurde is geaccepteerd" in legends
    assert "Berichten van de voorbeeldplugin" in legends, "plugin kinds too"
    first = fieldsets[0]
    labels = [" ".join(label.text_content().split()) for label in first.xpath(".//label")]
    assert labels == ["Direct", "Dagelijkse samenvatting", "Uit"]
    assert first.xpath(".//input[@type='radio' and @value='direct' and @checked]")

    data = {f"meldingen-{kind}": "direct" for kind in preferences(jan)}
    data["meldingen-toegangsverzoek"] = "dagelijks"
    data["meldingen-voorbeeld-melding"] = "uit"
    response = client.post("/mijn-account/meldingen", data)
    assert response.status_code == 302
    chosen = preferences(jan)
    assert chosen["toegangsverzoek"] == "dagelijks"
    assert chosen["voorbeeld-melding"] == "uit"
    assert chosen["uitnodiging-geaccepteerd"] == "direct"
    entry = AuditEntry.objects.get(action="meldingen.voorkeuren")
    assert entry.details == {"toegangsverzoek": "dagelijks", "voorbeeld-melding": "uit"}
    tree = doc(client.get("/mijn-account"))
    assert tree.xpath(
        "//input[@name='meldingen-toegangsverzoek' and @value='dagelijks' and @checked]"
    )


def test_invalid_notification_choice_changes_nothing(jan):
    data = {f"meldingen-{kind}": "dagelijks" for kind in preferences(jan)}
    data["meldingen-toegangsverzoek"] = "elk-uur"
    response = logged_in(jan).post("/mijn-account/meldingen", data)
    assert response.status_code == 400
    assert "Uw meldingsvoorkeuren zijn niet opgeslagen" in main_text(response)
    assert not NotificationPreference.objects.exists()
    assert not AuditEntry.objects.exists()


# --- API tokens ------------------------------------------------------------------------------


def test_token_without_2fa_is_refused_with_a_link_to_set_it_up(orgs):
    membership = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    client = logged_in(membership.user)
    page = doc(client.get("/mijn-account"))
    assert not page.xpath("//form[@action='/mijn-account/tokens']")
    assert page.xpath("//*[@id='token-tweestaps']//a[@href='/mijn-account/tweestapsverificatie']")

    response = client.post(
        "/mijn-account/tokens", {"naam": "Koppeling", "lidmaatschap": membership.pk}
    )
    assert response.status_code == 403
    tree = doc(response)
    assert "Schakel daarom eerst tweestapsverificatie in" in tree.xpath(
        "string(//*[@id='token-fout'])"
    )
    assert tree.xpath("//*[@id='token-fout']//a[@href='/mijn-account/tweestapsverificatie']")
    assert not ApiToken.objects.exists()


def test_token_with_2fa_is_issued_and_audited(orgs):
    membership = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    with_two_factor(membership.user)
    client = logged_in(membership.user)
    response = client.post(
        "/mijn-account/tokens", {"naam": "Koppeling", "lidmaatschap": membership.pk}
    )
    assert response.status_code == 201
    token = ApiToken.objects.get()
    entry = AuditEntry.objects.get(action="token.uitgegeven")
    assert entry.organisation == orgs["leverancier"] and token.prefix in entry.target
    client.post(f"/mijn-account/tokens/{token.pk}/intrekken")
    assert AuditEntry.objects.filter(action="token.ingetrokken").exists()


def test_token_for_an_organisation_one_cannot_act_for_is_refused(orgs):
    from core.accounts import security
    from core.services import NotAllowed

    membership = member(orgs["inactief"], Role.AANBOD_BEHEERDER)
    with_two_factor(membership.user)
    with pytest.raises(NotAllowed):
        security.issue_token(membership.user, membership, "X")
    other = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    with pytest.raises(NotAllowed):
        security.issue_token(membership.user, other, "X")
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(orgs):
    mine = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    theirs = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)
    token, _raw = ApiToken.objects.issue(theirs, "van een ander")
    response = logged_in(mine.user).post(f"/mijn-account/tokens/{token.pk}/intrekken")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- switching organisation after a membership ended ------------------------------------------


@pytest.fixture
def two_orgs_user(orgs):
    """In Acme Software (sorts first) and Utrecht; the session acts for Utrecht."""
    member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="twee@example.nl")
    return member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="twee@example.nl").user


def acting_for_utrecht(user, orgs) -> Client:
    client = logged_in(user)
    assert (
        client.post("/organisatie-wisselen", {"organisatie": orgs["gemeente"].id}).status_code
        == 302
    )
    return client


@pytest.mark.parametrize("how", ["verwijderd", "uitgeschakeld"])
def test_session_survives_its_membership_ending(orgs, two_orgs_user, how):
    client = acting_for_utrecht(two_orgs_user, orgs)
    ended = Membership.objects.filter(user=two_orgs_user, organisation=orgs["gemeente"])
    if how == "verwijderd":
        ended.delete()
    else:
        ended.update(actief=False)
    for path in ("/", "/mijn-account"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert doc(response).xpath("string(//*[@id='actieve-organisatie'])") == "Acme Software"

    response = client.post("/organisatie-wisselen", {"organisatie": orgs["gemeente"].id})
    assert response.status_code == 400
    assert "U bent geen actief lid van deze organisatie." in main_text(response)
    assert SESSION_KEY not in client.session, "the stale choice is forgotten"
    assert client.get("/").status_code == 200


def test_session_survives_losing_its_last_membership(orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="enig@utrecht.nl").user
    client = logged_in(user)
    client.post("/organisatie-wisselen", {"organisatie": orgs["gemeente"].id})
    Membership.objects.filter(user=user).delete()
    for path in ("/", "/mijn-account"):
        response = client.get(path)
        assert response.status_code == 200
        assert doc(response).xpath("string(//*[@id='actieve-organisatie'])") == "geen organisatie"
    assert "U bent nog geen lid van een organisatie" in main_text(client.get("/mijn-account"))


def test_switching_to_a_deactivated_organisation_is_refused(orgs, two_orgs_user):
    client = acting_for_utrecht(two_orgs_user, orgs)
    orgs["gemeente"].status = "Inactief"
    orgs["gemeente"].save()
    assert doc(client.get("/")).xpath("string(//*[@id='actieve-organisatie'])") == "Acme Software"
    response = client.post("/organisatie-wisselen", {"organisatie": orgs["gemeente"].id})
    assert response.status_code == 400


def test_a_mailbox_alone_takes_no_account(orgs, jan):
    """Someone who reads the new address but is not logged in as the account changes nothing;
    nor does a link that was used, or replaced by a newer change."""
    client = logged_in(jan)
    client.post("/mijn-account/gegevens", PROFILE)
    link = confirmation_link("j.vandenbosch@utrecht.nl")
    other = logged_in(
        member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER, email="ander@utrecht.nl").user
    )
    refused = other.post(link)
    assert refused.status_code == 400 and "ander account" in main_text(refused)
    anonymous = Client().post(link)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen")
    jan.refresh_from_db()
    assert jan.email == "jan@utrecht.nl"
    assert client.post(link).status_code == 302  # the account itself
    reused = client.post(link)
    assert reused.status_code == 400 and "ongeldig of verlopen" in main_text(reused)
    assert client.post("/mijn-account/e-mailadres-bevestigen/geknoeid").status_code == 400
    jan.refresh_from_db()
    assert jan.email == "j.vandenbosch@utrecht.nl"
    assert AuditEntry.objects.filter(action="account.gewijzigd").count() == 1
