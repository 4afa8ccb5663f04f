"""The public site shell: home page, header with user and organisation, login, account, jobs."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error
from lxml import html
from wagtail.models import Page, Site

from core.actors import SESSION_KEY
from core.constants import Role
from core.models import HomePage, Job, User
from core.site.setup import ensure_home_page
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord"  # what tests.conftest.member gives every user


def doc(response):
    return html.fromstring(response.content.decode())


def text_of(tree, xpath: str) -> str:
    found = tree.xpath(xpath)
    assert found, f"niets gevonden voor {xpath}"
    return " ".join(found[0].text_content().split())


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def two_orgs_user(orgs):
    """A user in Acme Software (leverancier) and Utrecht (gemeente); Acme sorts first."""
    membership = member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="twee@example.nl")
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="twee@example.nl")
    return membership.user


# --- home page and setup -------------------------------------------------------------------


def test_ensure_home_page_replaces_wagtail_welcome_page_and_is_idempotent(db):
    assert Page.objects.filter(depth=2, title__startswith="Welcome").exists()
    home = ensure_home_page()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert (site.hostname, site.port) == ("localhost", 80)
    assert home.title == "Softwarecatalogus"
    assert "Softwarecatalogus" in home.intro
    assert home.live
    assert not Page.objects.filter(title__startswith="Welcome").exists()

    again = ensure_home_page()
    assert again.pk == home.pk
    assert HomePage.objects.count() == 1
    assert Site.objects.count() == 1
    assert Page.objects.filter(depth=2).count() == 1


def test_ensure_home_page_rebuilds_an_empty_page_tree(db):
    """After a flush there is no root page, site or locale; the home page still appears."""
    Site.objects.all().delete()
    Page.objects.all().delete()
    home = ensure_home_page()
    assert Page.get_first_root_node().get_children().get().pk == home.pk
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    response = Client().get("/")
    assert response.status_code == 200


def test_home_page_renders_in_dutch_with_skip_link_and_search_form(client, home):
    response = client.get("/")
    assert response.status_code == 200
    tree = doc(response)
    assert tree.xpath("/html/@lang") == ["nl"]
    assert "Softwarecatalogus" in tree.findtext(".//title")

    skip = tree.xpath("//body//a[1]")[0]
    assert "utrecht-skip-link" in skip.get("class")
    assert skip.get("href") == "#main"
    assert tree.xpath("//main[@id='main']")
    for landmark in ("header", "nav", "main", "footer"):
        assert tree.xpath(f"//{landmark}"), landmark

    form = tree.xpath("//form[@role='search']")[0]
    assert form.get("method") == "get"
    assert form.get("action") == "/zoeken"
    field = form.xpath(".//input[@name='q']")[0]
    label = form.xpath(f".//label[@for='{field.get('id')}']")[0]
    assert label.text_content().strip()
    assert form.xpath(".//button[@type='submit']")

    # Intro, then the content blocks (heading and cards from ensure_home_page).
    main = text_of(tree, "//main")
    assert "welke software en diensten leveranciers aanbieden" in main
    assert tree.xpath("//main//h2[contains(., 'Wat vindt u in de softwarecatalogus?')]")
    assert len(tree.xpath("//main//ul[contains(@class, 'swc-cards')]/li")) == 3

    # Stylesheets: the NL Design System CSS and our own tokens, no CDN.
    styles = tree.xpath("//link[@rel='stylesheet']/@href")
    assert "/static/nlds/index.css" in styles
    assert "/static/css/theme.css" in styles
    assert all(href.startswith("/static/") for href in styles)

    # Anonymous: a login link, no logout form, no organisation switch.
    assert tree.xpath("//header//a[starts-with(@href, '/inloggen')]")
    assert not tree.xpath("//form[@action='/uitloggen']")
    assert not tree.xpath("//select[@name='organisatie']")


def test_content_page_renders_its_blocks(client, home):
    from core.models import ContentPage

    page = ContentPage(
        title="Over de catalogus",
        slug="over",
        intro="<p>Waarom er een catalogus is.</p>",
        body=[
            {"type": "heading", "value": "Geschiedenis"},
            {"type": "paragraph", "value": "<p>Sinds <b>2012</b> in gebruik.</p>"},
            {
                "type": "cards",
                "value": [{"titel": "Meer weten", "tekst": "Lees verder.", "link": "/"}],
            },
        ],
        show_in_menus=True,
    )
    home.add_child(instance=page)
    response = client.get(page.url)
    assert response.status_code == 200
    tree = doc(response)
    assert text_of(tree, "//main//h1") == "Over de catalogus"
    assert text_of(tree, "//main//h2") == "Geschiedenis"
    assert tree.xpath("//main//b[.='2012']")
    assert tree.xpath("//main//h3/a[@href='/' and .='Meer weten']")
    # Shown in the main menu, marked as the current page.
    assert tree.xpath("//nav//a[@aria-current='page' and .='Over de catalogus']")


def test_unknown_page_is_a_dutch_404_in_the_shell(client, home):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    tree = doc(response)
    assert text_of(tree, "//main//h1") == "Pagina niet gevonden"
    assert tree.xpath("//a[contains(@class, 'utrecht-skip-link')]")


def test_server_error_page_renders_without_a_request_context():
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    tree = doc(response)
    assert text_of(tree, "//main//h1") == "Er ging iets mis"
    assert tree.xpath("/html/@lang") == ["nl"]


# --- header: user, organisation, switching -------------------------------------------------


def test_header_shows_user_and_active_organisation(home, two_orgs_user):
    client = logged_in(two_orgs_user)
    tree = doc(client.get("/"))
    assert text_of(tree, "//*[@id='huidige-gebruiker']") == "twee@example.nl"
    assert text_of(tree, "//*[@id='actieve-organisatie']") == "Acme Software"
    options = tree.xpath("//form[@action='/organisatie-wisselen']//select[@name='organisatie']")
    assert options, "a user with two memberships can switch"
    assert [o.text_content() for o in options[0].xpath("option")] == [
        "Acme Software",
        "Utrecht",
    ]
    assert tree.xpath("//form[@action='/organisatie-wisselen']//input[@name='next']")
    logout = tree.xpath("//form[@action='/uitloggen']")[0]
    assert logout.get("method") == "post"
    assert logout.xpath(".//input[@name='csrfmiddlewaretoken']")


def test_single_membership_has_no_switch_form(home, orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user
    tree = doc(logged_in(user).get("/"))
    assert text_of(tree, "//*[@id='actieve-organisatie']") == "Utrecht"
    assert not tree.xpath("//select[@name='organisatie']")


def test_switching_organisation_changes_the_header(home, orgs, two_orgs_user):
    client = logged_in(two_orgs_user)
    response = client.post(
        "/organisatie-wisselen", {"organisatie": orgs["gemeente"].id, "next": "/mijn-account"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mijn-account"
    assert client.session[SESSION_KEY] == orgs["gemeente"].id
    tree = doc(client.get("/"))
    assert text_of(tree, "//*[@id='actieve-organisatie']") == "Utrecht"
    assert "U handelt nu namens Utrecht." in text_of(tree, "//main")


def test_switch_redirect_to_another_host_is_ignored(home, orgs, two_orgs_user):
    client = logged_in(two_orgs_user)
    response = client.post(
        "/organisatie-wisselen",
        {"organisatie": orgs["gemeente"].id, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switching_to_a_foreign_organisation_is_refused(home, orgs, two_orgs_user):
    client = logged_in(two_orgs_user)
    response = client.post("/organisatie-wisselen", {"organisatie": orgs["leverancier2"].id})
    assert response.status_code == 400
    assert "geen actief lid" in text_of(doc(response), "//main")
    assert SESSION_KEY not in client.session
    tree = doc(client.get("/"))
    assert text_of(tree, "//*[@id='actieve-organisatie']") == "Acme Software"


def test_switching_with_garbage_is_refused(home, two_orgs_user):
    client = logged_in(two_orgs_user)
    assert client.post("/organisatie-wisselen", {"organisatie": "abc"}).status_code == 400
    assert client.get("/organisatie-wisselen").status_code == 405


def test_inactive_organisation_cannot_be_chosen(home, orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="oud@example.nl").user
    member(orgs["inactief"], Role.AANBOD_BEHEERDER, email="oud@example.nl")
    client = logged_in(user)
    tree = doc(client.get("/"))
    assert not tree.xpath("//select[@name='organisatie']"), "only one organisation to act for"
    response = client.post("/organisatie-wisselen", {"organisatie": orgs["inactief"].id})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session
    assert text_of(doc(client.get("/")), "//*[@id='actieve-organisatie']") == "Utrecht"


# --- language -------------------------------------------------------------------------------


def test_english_via_set_language(client, home):
    tree = doc(client.get("/"))
    form = tree.xpath("//form[@action='/i18n/setlang/']")[0]
    assert form.xpath(".//button[@name='language' and @value='en']")

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    tree = doc(client.get("/"))
    assert tree.xpath("/html/@lang") == ["en"]
    assert text_of(tree, "//a[contains(@class, 'utrecht-skip-link')]") == "Skip to main content"
    assert tree.xpath("//form[@role='search']//button[.='Search']")
    assert tree.xpath("//button[@name='language' and @value='nl']")

    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert doc(client.get("/")).xpath("/html/@lang") == ["nl"]


# --- login and logout -----------------------------------------------------------------------


def test_login_page_has_labelled_fields_with_autocomplete(client, home):
    response = client.get("/inloggen")
    assert response.status_code == 200
    tree = doc(response)
    assert text_of(tree, "//main//h1") == "Inloggen"
    for name, autocomplete in (("username", "username"), ("password", "current-password")):
        field = tree.xpath(f"//input[@name='{name}']")[0]
        assert field.get("autocomplete") == autocomplete
        assert tree.xpath(f"//label[@for='{field.get('id')}']")
    assert tree.xpath("//form[@method='post']//input[@name='csrfmiddlewaretoken']")


def test_login_with_wrong_password_shows_a_dutch_error(client, home, orgs):
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="jan@example.nl")
    response = client.post("/inloggen", {"username": "jan@example.nl", "password": "fout"})
    assert response.status_code == 200
    tree = doc(response)
    summary = text_of(tree, "//*[@id='foutmelding']")
    assert "Het e-mailadres of het wachtwoord is niet juist" in summary
    assert tree.findtext(".//title").startswith("Fout:")
    assert tree.xpath("//input[@name='username']/@value") == ["jan@example.nl"]
    assert "_auth_user_id" not in client.session


def test_login_with_empty_fields_points_to_each_field(client, home):
    tree = doc(client.post("/inloggen", {"username": "", "password": ""}))
    assert tree.xpath("//*[@id='foutmelding']//a[@href='#id_username']")
    assert tree.xpath("//*[@id='foutmelding']//a[@href='#id_password']")
    assert tree.xpath("//input[@name='username' and @aria-invalid='true']")
    assert "Dit is een verplicht veld." in text_of(tree, "//*[@id='foutmelding']")


def test_login_with_correct_password_and_logout(client, home, orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="jan@example.nl").user
    response = client.post(
        "/inloggen",
        {"username": "jan@example.nl", "password": PASSWORD, "next": "/mijn-account"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/mijn-account"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert text_of(doc(client.get("/")), "//*[@id='huidige-gebruiker']") == "jan@example.nl"

    assert client.get("/uitloggen").status_code == 405, "logout is POST only"
    response = client.post("/uitloggen")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    tree = doc(client.get(response["Location"]))
    assert not tree.xpath("//*[@id='huidige-gebruiker']")
    assert "U bent uitgelogd." in text_of(tree, "//main")


def test_logout_needs_csrf_token(home, orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/uitloggen").status_code == 403
    assert "_auth_user_id" in client.session


# --- account page ---------------------------------------------------------------------------


def test_account_requires_login(client, home):
    response = client.get("/mijn-account")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen?next=/mijn-account"


def test_account_lists_all_memberships(home, orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="lid@example.nl").user
    member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="lid@example.nl")
    member(orgs["inactief"], Role.AANBOD_BEHEERDER, email="lid@example.nl")
    member(orgs["leverancier2"], Role.AANBOD_BEHEERDER, email="ander@example.nl")
    response = logged_in(user).get("/mijn-account")
    assert response.status_code == 200
    tree = doc(response)
    rows = [
        [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
        for row in tree.xpath("//table[@id='lidmaatschappen']/tbody/tr")
    ]
    assert [row[0].split(" actief")[0] for row in rows] == [
        "Acme Software",
        "Gesloten BV",
        "Utrecht",
    ]
    acme, gesloten, utrecht = rows
    assert acme[1:3] == ["Leverancier", "Aanbod-beheerder"]
    assert acme[3] == "Actief"
    assert "actief in deze sessie" in acme[0]
    assert gesloten[3].startswith("Inactief")
    assert "U kunt niet namens deze organisatie handelen." in gesloten[3]
    assert utrecht[1:4] == ["Gemeente", "Gebruik-beheerder", "Actief"]
    assert "Beta Systems" not in text_of(tree, "//main")
    assert tree.xpath("//nav//a[@href='/mijn-account' and @aria-current='page']")


# --- jobs -----------------------------------------------------------------------------------


def make_job(user: User, **extra) -> Job:
    fields = {"title": "Import pakketten", "status": Job.Status.BEZIG, "done": 3, "total": 4}
    return Job.objects.create(user=user, **{**fields, **extra})


def test_job_page_shows_progress_and_follows_it_while_running(home, orgs):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user
    job = make_job(user, message="Regel 3 van 4 verwerkt")
    response = logged_in(user).get(f"/taken/{job.uuid}")
    assert response.status_code == 200
    tree = doc(response)
    assert text_of(tree, "//main//h1") == "Import pakketten"
    assert text_of(tree, "//*[@id='taak-status']") == "Bezig"
    progress = tree.xpath("//progress")[0]
    assert (progress.get("value"), progress.get("max")) == ("75", "100")
    assert tree.xpath(f"//label[@for='{progress.get('id')}']")
    assert text_of(tree, "//*[@id='taak-bericht']") == "Regel 3 van 4 verwerkt"
    # No meta refresh (WCAG 2.2.1): a script follows the job through the API, a link by hand.
    assert not tree.xpath("//meta[@http-equiv='refresh']")
    assert tree.xpath(f"//*[@data-taak-api='/api/v1/taken/{job.uuid}']")
    assert tree.xpath("//script[contains(@src, 'job-progress.js')]")


@pytest.mark.parametrize(
    ("status", "follows"),
    [
        (Job.Status.WACHTEND, True),
        (Job.Status.BEZIG, True),
        (Job.Status.KLAAR, False),
        (Job.Status.MISLUKT, False),
    ],
)
def test_job_page_follows_only_while_waiting_or_busy(home, orgs, status, follows):
    user = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user
    job = make_job(user, status=status)
    tree = doc(logged_in(user).get(f"/taken/{job.uuid}"))
    assert bool(tree.xpath("//script[contains(@src, 'job-progress.js')]")) is follows


def test_job_page_only_for_its_owner(client, home, orgs):
    owner = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user
    other = member(orgs["gemeente2"], Role.GEBRUIK_BEHEERDER).user
    job = make_job(owner)
    assert logged_in(other).get(f"/taken/{job.uuid}").status_code == 404
    assert logged_in(owner).get(f"/taken/{uuid.uuid4()}").status_code == 404
    anonymous = client.get(f"/taken/{job.uuid}")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/inloggen?next=")


def test_header_forms_on_a_refused_switch_return_to_a_get_page(home, orgs, two_orgs_user):
    """The 400 page is the answer to a POST; its header forms must not send the user back there."""
    client = logged_in(two_orgs_user)
    tree = doc(client.post("/organisatie-wisselen", {"organisatie": orgs["leverancier2"].id}))
    assert tree.xpath("//form//input[@name='next']/@value") == ["/", "/"]


def test_header_forms_return_to_the_current_page(home, two_orgs_user):
    tree = doc(logged_in(two_orgs_user).get("/mijn-account?tab=1"))
    assert tree.xpath("//form//input[@name='next']/@value") == ["/mijn-account?tab=1"] * 2


@pytest.mark.npm
def test_stylesheets_are_served_from_our_static_files():
    """nlds/ comes from node_modules (npm ci), css/ from core/static; nothing from a CDN."""
    from django.contrib.staticfiles import finders

    for path in ("nlds/index.css", "nlds/html.css", "css/theme.css", "css/site.css"):
        assert finders.find(path), f"{path} niet gevonden"
    theme = Path(finders.find("css/theme.css")).read_text(encoding="utf-8")
    assert "@import" not in theme and "url(" not in theme


def _po_entries(path) -> dict[str, str]:
    """msgid → msgstr from a .po file (enough of the format for our own catalogue)."""
    import ast

    entries, key, current = {}, None, {"msgid": [], "msgstr": []}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            current[key] = [ast.literal_eval(rest)]
        elif line.startswith('"') and key:
            current[key].append(ast.literal_eval(line))
        elif not line.strip() and key:
            msgid, msgstr = "".join(current["msgid"]), "".join(current["msgstr"])
            if msgid and msgstr:
                entries[msgid] = msgstr
            key, current = None, {"msgid": [], "msgstr": []}
    return entries


def test_english_catalogue_is_compiled():
    """The committed .mo matches the .po, so CI needs no gettext to serve English."""
    from django.conf import settings
    from django.utils import translation

    entries = _po_entries(settings.BASE_DIR / "core/locale/en/LC_MESSAGES/django.po")
    assert "Direct naar de inhoud" in entries
    with translation.override("en"):
        stale = {m: s for m, s in entries.items() if translation.gettext(m) != s}
    assert not stale, "run: manage.py compilemessages -l en"


def test_dutch_first_even_for_an_english_browser(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert doc(response).xpath("/html/@lang") == ["nl"]


def test_tokens_are_issued_and_revoked_from_the_account_page(home, orgs):
    from core.models import ApiToken
    from tests.admin.conftest import with_two_factor
    from tests.conftest import Api

    membership = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    with_two_factor(membership.user)  # tokens need 2FA (tests/accounts/test_account_page.py)
    client = logged_in(membership.user)
    created = client.post(
        "/mijn-account/tokens", {"naam": "Koppeling", "lidmaatschap": membership.pk}
    )
    assert created.status_code == 201
    raw = doc(created).xpath("string(//*[@id='nieuw-token'])")
    assert raw.startswith("swc_")
    token = ApiToken.objects.get()
    assert (token.organisation, token.role) == (orgs["leverancier"], Role.AANBOD_BEHEERDER)
    assert Api(raw).get("/api/v1/producten").status_code == 200
    assert raw not in client.get("/mijn-account").content.decode()  # shown once only
    client.post(f"/mijn-account/tokens/{token.pk}/intrekken")
    assert Api(raw).get("/api/v1/producten").status_code == 401


def test_token_for_someone_elses_membership_is_refused(home, orgs):
    from core.models import ApiToken
    from tests.admin.conftest import with_two_factor

    mine = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    theirs = member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER)
    with_two_factor(mine.user)
    response = logged_in(mine.user).post(
        "/mijn-account/tokens", {"naam": "X", "lidmaatschap": theirs.pk}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
