"""The CMS blocks (quote, three blocks, text and image) and a legal page in a real browser:
no WCAG 2.1 A/AA violation found by axe-core."""

from __future__ import annotations

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from core.models import HomePage
from tests.browser.conftest import describe, run_axe
from tests.site.test_cms_pages import publish

pytestmark = pytest.mark.browser


def test_home_page_with_every_block_and_a_legal_page_pass_axe(page, axe_source, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if not Collection.get_first_root_node():  # transactional tests before us flushed it
        Collection.add_root(name="Root")
    image = Image.objects.create(title="Kaart", file=get_test_image_file())
    home = HomePage.objects.get()
    publish(
        home,
        banner_tekst="Zoek in het aanbod van alle leveranciers.",
        zoek_placeholder="Bijvoorbeeld: zaaksysteem",
        body=[
            {"type": "quote", "value": {"citaat": "Samen weten we meer.", "auteur": "Jan"}},
            {
                "type": "three_blocks",
                "value": [
                    {"icoon": icon, "titel": f"Blok {icon}", "tekst": "Tekst.", "link": link}
                    for icon, link in (
                        ("zoeken", {"url": "https://vng.nl/", "titel": "VNG"}),
                        ("document", {"pagina": home.pk}),
                        ("vraag", {}),
                    )
                ],
            },
            {"type": "heading", "value": "Meer weten"},
            {
                "type": "text_image",
                "value": {
                    "titel": "Kaart",
                    "tekst": "<p>Alle gemeenten.</p>",
                    "afbeelding": image.pk,
                    "alt_tekst": "Kaart van Nederland",
                },
            },
        ],
    )
    for path in ("/", "/privacyverklaring/"):
        page.goto(path)
        violations = run_axe(page, axe_source)
        assert not violations, f"{path}: {describe(violations)}"
