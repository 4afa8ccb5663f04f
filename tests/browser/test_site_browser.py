"""The site in a real browser: WCAG 2.1 AA by axe-core, the login journey, keyboard use."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from core.constants import Role
from core.models import Job
from tests.browser.conftest import describe, log_in, run_axe
from tests.conftest import member

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord"  # what tests.conftest.member gives every user
STYLESHEETS = ("/static/nlds/index.css", "/static/nlds/html.css", "/static/css/theme.css")


@pytest.fixture
def two_orgs_user(orgs):
    """A user in Acme Software (leverancier) and Utrecht (gemeente); Acme sorts first."""
    membership = member(orgs["leverancier"], Role.AANBOD_BEHEERDER, email="twee@example.nl")
    member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER, email="twee@example.nl")
    return membership.user


def assert_styled(page) -> None:
    """The CSS really loaded: axe's contrast checks are meaningless on an unstyled page."""
    loaded = {urlsplit(response.url).path: response for response in page.responses}
    for path in STYLESHEETS:
        assert path in loaded, f"{path} is niet opgevraagd"
        assert loaded[path].status == 200, f"{path}: HTTP {loaded[path].status}"
    header_background = page.evaluate(
        "getComputedStyle(document.querySelector('.utrecht-page-header')).backgroundColor"
    )
    assert header_background != "rgba(0, 0, 0, 0)", "theme tokens not applied"
    skip_link_position = page.evaluate(
        "getComputedStyle(document.querySelector('.utrecht-skip-link')).position"
    )
    assert skip_link_position == "fixed", "component CSS not applied"


def assert_accessible(page, axe_source) -> None:
    assert_styled(page)
    violations = run_axe(page, axe_source)
    assert not violations, describe(violations)


def test_home_page_passes_axe(page, axe_source):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page, axe_source)


def test_login_page_passes_axe_also_with_errors(page, axe_source):
    page.goto("/inloggen")
    assert_accessible(page, axe_source)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("alert").wait_for()
    assert "Inloggen is niet gelukt" in page.get_by_role("alert").inner_text()
    assert not run_axe(page, axe_source)


def test_account_page_passes_axe(page, site, axe_source, two_orgs_user):
    log_in(page, site, two_orgs_user)
    page.goto("/mijn-account")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn account"
    assert page.locator("#lidmaatschappen tbody tr").count() == 2
    assert_accessible(page, axe_source)


def test_finished_job_page_passes_axe(page, site, axe_source, two_orgs_user):
    job = Job.objects.create(
        user=two_orgs_user, title="Export", status=Job.Status.KLAAR, done=5, total=5
    )
    log_in(page, site, two_orgs_user)
    page.goto(f"/taken/{job.uuid}")
    assert page.get_by_label("Voortgang").get_attribute("value") == "100"
    assert_accessible(page, axe_source)


def test_login_switch_organisation_and_logout(page, two_orgs_user):
    page.goto("/")
    page.get_by_role("link", name="Inloggen").click()
    page.wait_for_url("**/inloggen?next=/")
    page.get_by_label("E-mailadres").fill("twee@example.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    header = page.locator("header")
    page.wait_for_url(lambda url: url.endswith("/"))
    assert header.locator("#huidige-gebruiker").inner_text() == "twee@example.nl"
    assert header.locator("#actieve-organisatie").inner_text() == "Acme Software"

    header.get_by_label("Organisatie").select_option(label="Utrecht")
    header.get_by_role("button", name="Wissel organisatie").click()
    page.get_by_role("status").filter(has_text="U handelt nu namens Utrecht.").wait_for()
    assert header.locator("#actieve-organisatie").inner_text() == "Utrecht"

    header.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("status").filter(has_text="U bent uitgelogd.").wait_for()
    assert header.locator("#huidige-gebruiker").count() == 0
    assert header.get_by_role("link", name="Inloggen").is_visible()


def test_first_tab_focuses_the_skip_link_which_jumps_to_main(page):
    page.goto("/")
    skip = page.locator(".utrecht-skip-link")
    assert not _in_viewport(page, skip), "the skip link is hidden until focused"

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "utrecht-skip-link" in focused
    assert page.evaluate("document.activeElement.textContent") == "Direct naar de inhoud"
    assert _in_viewport(page, skip), "the focused skip link is visible"

    page.keyboard.press("Enter")
    page.wait_for_url("**/#main")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "zoek-q", "next stop is in <main>"


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(
        box
        and box["y"] + box["height"] > 0
        and box["y"] < size["height"]
        and box["x"] + box["width"] > 0
    )


def test_two_step_login_for_functioneel_beheer_passes_axe(page, axe_source, orgs):
    """Mandatory 2FA: set it up after the first login, then log in with password and code."""
    import time

    from core.accounts import totp

    member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER, email="fb@vng.nl")
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill("fb@vng.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/mijn-account/tweestapsverificatie")
    assert "verplicht" in page.locator("#tweestaps-verplicht").inner_text()
    qr = page.get_by_role("img", name="QR-code om de Softwarecatalogus aan uw app toe te voegen")
    assert qr.count() == 1
    assert_accessible(page, axe_source)

    secret = page.locator("#tweestaps-sleutel").inner_text().replace(" ", "")
    page.get_by_label("Code uit uw app").fill(totp.code_at(secret))
    page.get_by_role("button", name="Bevestigen en inschakelen").click()
    page.get_by_role("heading", name="Uw herstelcodes").wait_for()
    assert page.locator("#herstelcodes li").count() == 10
    assert not run_axe(page, axe_source)

    page.locator("header").get_by_role("button", name="Uitloggen").click()
    page.get_by_role("status").filter(has_text="U bent uitgelogd.").wait_for()
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill("fb@vng.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/verificatie")
    assert not run_axe(page, axe_source)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("alert").wait_for()
    assert "niet juist" in page.get_by_role("alert").inner_text()
    assert not run_axe(page, axe_source)

    page.get_by_label("Code").fill(totp.code_at(secret, time.time() + totp.STEP_SECONDS))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.locator("#huidige-gebruiker").inner_text() == "fb@vng.nl"
