"""Browser fixtures: the system Chromium driven by Playwright against pytest-django's live_server.

Chromium and axe-core are required in CI (the env var CI is set): there a missing browser or
missing node_modules is a failure, never a silent skip. Locally they skip with the reason.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from core.site.setup import ensure_home_page

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def unavailable(reason: str):
    """Fail in CI, skip locally: a browser test must never pass by not running."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is gezet, dus dit is een fout)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        unavailable("Chromium ontbreekt: installeer het met 'make chromium' (apt-get chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Het Python-pakket playwright ontbreekt: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def site(transactional_db, live_server):
    """The live server with our home page (transactional tests start from flushed tables)."""
    ensure_home_page()
    return live_server


@pytest.fixture
def page(browser, site):
    """A fresh Dutch browser tab; records every response so tests can check the CSS loaded."""
    context = browser.new_context(locale="nl-NL", base_url=site.url)
    tab = context.new_page()
    tab.responses = []
    tab.on("response", lambda response: tab.responses.append(response))
    yield tab
    context.close()


@pytest.fixture
def axe_source() -> Path:
    if not AXE_PATH.exists():
        unavailable(f"axe-core ontbreekt ({AXE_PATH}): voer 'npm ci' uit")
    return AXE_PATH


def run_axe(tab, axe_path: Path) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on the current page."""
    tab.add_script_tag(path=str(axe_path))
    result = tab.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})""", WCAG_21_AA
    )
    assert result["passes"], "axe-core ran no checks at all"
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)


def log_in(tab, site, user) -> None:
    """Start the browser session for `user` without going through the form (2FA passed)."""
    from tests.admin.conftest import logged_in

    client = logged_in(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    tab.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
    )
