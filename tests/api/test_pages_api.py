"""CMS pages, headless at /api/v1/paginas: live public pages only, same list conventions."""

import pytest
from wagtail.models import Page, PageViewRestriction

from core.models import ContentPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    root = Page.get_first_root_node()
    help_page = root.add_child(
        instance=ContentPage(
            title="Hulp",
            slug="hulp",
            intro="<p>Zo werkt het.</p>",
            body=[("heading", "Inloggen"), ("paragraph", "<p>Met uw e-mailadres.</p>")],
        )
    )
    draft = root.add_child(instance=ContentPage(title="Concept", slug="concept", live=False))
    private = root.add_child(instance=ContentPage(title="Intern", slug="intern"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return help_page, draft, private


def test_list_shows_only_live_public_pages(api_as, pages):
    body = api_as().get("/api/v1/paginas", {"type": "contentpage"}).json()
    assert [p["titel"] for p in body["items"]] == ["Hulp"]
    assert body["total"] == 1 and body["pagina"] == 1


def test_detail_carries_the_content_blocks(api_as, pages):
    help_page, draft, private = pages
    detail = api_as().get(f"/api/v1/paginas/{help_page.pk}").json()
    assert detail["introductie"] == "<p>Zo werkt het.</p>"
    assert [block["type"] for block in detail["inhoud"]] == ["heading", "paragraph"]
    assert api_as().get(f"/api/v1/paginas/{draft.pk}").status_code == 404
    assert api_as().get(f"/api/v1/paginas/{private.pk}").status_code == 404


def test_unknown_parameters_are_refused(api_as, pages):
    assert api_as().get("/api/v1/paginas", {"volgorde": "x"}).status_code == 400
