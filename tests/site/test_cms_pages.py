"""Wagtail pages: the home page's search banner and content blocks (#332), content pages and
the legal pages that `ensure_home_page` makes once (requirements §3.7)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from lxml import html
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Site

from core.models import ContentPage, HomePage
from core.models.pages import LinkBlock, SiteSettings, TextImageBlock
from core.site.setup import LEGAL_PAGES, ensure_home_page

pytestmark = pytest.mark.django_db

LEGAL_TITLES = ["Algemene voorwaarden", "Privacyverklaring", "Disclaimer", "Veelgestelde vragen"]


def doc(response):
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content.decode())


def words(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def image(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Image.objects.create(title="Kaart", file=get_test_image_file())


def publish(page: Page, **fields) -> Page:
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def legal_page(home: HomePage, slug: str) -> ContentPage:
    return ContentPage.objects.child_of(home).get(slug=slug)


# --- home page: banner and blocks ----------------------------------------------------------


def test_banner_title_text_and_placeholder_are_configurable(client, home):
    publish(
        home,
        banner_titel="Vind software voor uw gemeente",
        banner_tekst="Zoek in het aanbod van alle leveranciers.",
        zoek_placeholder="Bijvoorbeeld: zaaksysteem",
    )
    tree = doc(client.get("/"))
    banner = tree.xpath("//section[contains(@class, 'swc-search-banner')]")[0]
    assert words(banner.xpath(".//h1")[0]) == "Vind software voor uw gemeente"
    assert "Zoek in het aanbod van alle leveranciers." in words(banner)
    field = banner.xpath(".//form[@action='/zoeken']//input[@name='q']")[0]
    assert field.get("placeholder") == "Bijvoorbeeld: zaaksysteem"
    # The placeholder is a hint, never the label.
    assert words(banner.xpath(f".//label[@for='{field.get('id')}']")[0])
    assert len(tree.xpath("//h1")) == 1


def test_banner_falls_back_to_the_page_title_without_placeholder(client, home):
    tree = doc(client.get("/"))
    assert words(tree.xpath("//section[contains(@class, 'swc-search-banner')]//h1")[0]) == (
        "Softwarecatalogus"
    )
    assert tree.xpath("//input[@name='q']/@placeholder") == []


def test_home_page_renders_quote_three_blocks_and_text_with_image(client, home, image):
    help_page = home.add_child(instance=ContentPage(title="Hulp", slug="hulp"))
    publish(
        home,
        body=[
            {"type": "heading", "value": "Waarom de softwarecatalogus"},
            {
                "type": "quote",
                "value": {
                    "citaat": "Samen weten we meer.",
                    "auteur": "Jan Jansen",
                    "functie": "gemeente Utrecht",
                },
            },
            {
                "type": "three_blocks",
                "value": [
                    {
                        "icoon": "zoeken",
                        "titel": "Zoeken",
                        "tekst": "Vind pakketten.",
                        "link": {"titel": "", "pagina": help_page.pk, "url": ""},
                    },
                    {
                        "icoon": "landschap",
                        "titel": "Landschap",
                        "tekst": "Beheer uw landschap.",
                        "link": {"titel": "", "pagina": None, "url": "https://vng.nl/"},
                    },
                    {"icoon": "vraag", "titel": "Vragen", "tekst": "", "link": {}},
                ],
            },
            {
                "type": "text_image",
                "value": {
                    "titel": "Een kaart van Nederland",
                    "tekst": "<p>Alle gemeenten.</p>",
                    "afbeelding": image.pk,
                    "alt_tekst": "Kaart met alle gemeenten van Nederland",
                    "decoratief": False,
                    "afbeelding_links": True,
                },
            },
            {
                "type": "text_image",
                "value": {
                    "titel": "",
                    "tekst": "<p>Versiering.</p>",
                    "afbeelding": image.pk,
                    "alt_tekst": "",
                    "decoratief": True,
                    "afbeelding_links": False,
                },
            },
        ],
    )
    tree = doc(client.get("/"))
    main = tree.xpath("//main")[0]

    quote = main.xpath(".//figure[blockquote]")[0]
    assert words(quote.xpath("blockquote")[0]) == "Samen weten we meer."
    assert words(quote.xpath("figcaption")[0]) == "Jan Jansen, gemeente Utrecht"

    blocks = main.xpath(".//ul[contains(@class, 'swc-blocks')]/li")
    assert len(blocks) == 3
    # Below the "Kop" (h2) the block titles are h3; the title itself is the link.
    assert [words(b.xpath("h3")[0]) for b in blocks] == ["Zoeken", "Landschap", "Vragen"]
    assert blocks[0].xpath("h3/a/@href") == ["/hulp/"]
    assert blocks[1].xpath("h3/a/@href") == ["https://vng.nl/"]
    assert blocks[2].xpath("h3/a") == [], "no link, no empty anchor"
    for block in blocks:
        icon = block.xpath("svg")[0]
        assert (icon.get("aria-hidden"), icon.get("focusable")) == ("true", "false")

    informative, decorative = main.xpath(".//div[contains(@class, 'swc-text-image')]//img")
    assert informative.get("alt") == "Kaart met alle gemeenten van Nederland"
    assert decorative.get("alt") == ""
    assert main.xpath(".//h3[.='Een kaart van Nederland']")
    assert main.xpath(".//div[contains(@class, 'swc-text-image--image-first')]")
    # Heading order never skips a level.
    levels = [int(h.tag[1]) for h in tree.xpath("//main//*[self::h1 or self::h2 or self::h3]")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_block_titles_are_h2_when_no_heading_block_comes_first(client, home):
    publish(
        home,
        body=[
            {
                "type": "three_blocks",
                "value": [
                    {"icoon": "", "titel": f"Blok {n}", "tekst": "", "link": {}} for n in "123"
                ],
            }
        ],
    )
    tree = doc(client.get("/"))
    assert [words(h) for h in tree.xpath("//ul[contains(@class, 'swc-blocks')]/li/h2")] == [
        "Blok 1",
        "Blok 2",
        "Blok 3",
    ]
    assert not tree.xpath("//ul[contains(@class, 'swc-blocks')]//svg")


def test_link_to_an_unpublished_page_renders_no_link(client, home):
    draft = home.add_child(instance=ContentPage(title="Concept", slug="concept", live=False))
    publish(
        home,
        body=[
            {
                "type": "three_blocks",
                "value": [
                    {"titel": "Concept", "link": {"pagina": draft.pk}},
                    {"titel": "Twee", "link": {}},
                    {"titel": "Drie", "link": {}},
                ],
            }
        ],
    )
    tree = doc(client.get("/"))
    assert not tree.xpath("//main//a[@href='/concept/']")
    assert tree.xpath("//ul[contains(@class, 'swc-blocks')]/li/h2[normalize-space(.)='Concept']")


def test_text_with_image_needs_alt_text_unless_decorative(image):
    block = TextImageBlock()
    value = {"tekst": "<p>Tekst</p>", "afbeelding": image.pk, "alt_tekst": "  "}
    with pytest.raises(ValidationError) as refused:
        block.clean(block.to_python(value))
    assert "alternatieve tekst" in str(refused.value.block_errors["alt_tekst"])
    block.clean(block.to_python({**value, "decoratief": True}))
    block.clean(block.to_python({**value, "alt_tekst": "Een kaart"}))


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ({"titel": "X"}, "url", "Kies een pagina of vul een webadres in."),
        ({"titel": "X", "pagina": "HOME", "url": "https://vng.nl/"}, "url", "niet allebei"),
        ({"url": "https://vng.nl/"}, "titel", "Geef een link naar een webadres een tekst."),
    ],
)
def test_link_needs_exactly_one_target_and_a_text_for_addresses(home, value, field, message):
    block = LinkBlock()
    if value.get("pagina") == "HOME":
        value = {**value, "pagina": home.pk}
    with pytest.raises(ValidationError) as refused:
        block.clean(block.to_python(value))
    assert message in str(refused.value.block_errors[field])
    assert block.clean(block.to_python({"pagina": home.pk}))["pagina"].pk == home.pk


def test_editors_open_the_home_page_and_legal_pages_in_the_page_editor(home):
    from core.models import User
    from tests.admin.conftest import logged_in

    admin = logged_in(User.objects.create_superuser("beheer@vng.nl", "een-lang-wachtwoord"))
    response = admin.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    for label in ("Citaat", "Drie inhoudsblokken", "Tekst met afbeelding", "Zoekbanner"):
        assert label in content, label
    privacy = legal_page(home, "privacyverklaring")
    assert admin.get(f"/admin/pages/{privacy.pk}/edit/").status_code == 200
    assert admin.get(f"/admin/pages/add/core/contentpage/{home.pk}/").status_code == 200


# --- content pages ---------------------------------------------------------------------------


def test_content_page_lists_its_live_children(client, home):
    news = home.add_child(instance=ContentPage(title="Nieuws", slug="nieuws"))
    news.add_child(
        instance=ContentPage(
            title="Nieuwe versie", slug="nieuwe-versie", search_description="Wat is er nieuw."
        )
    )
    news.add_child(instance=ContentPage(title="Nog geheim", slug="geheim", live=False))
    tree = doc(client.get("/nieuws/"))
    section = tree.xpath("//section[@aria-labelledby='subpaginas-titel']")[0]
    assert section.xpath(".//h3/a[@href='/nieuws/nieuwe-versie/' and .='Nieuwe versie']")
    assert "Wat is er nieuw." in words(section)
    assert "Nog geheim" not in words(tree.xpath("//main")[0])
    # A page without children has no empty section.
    assert not doc(client.get("/nieuws/nieuwe-versie/")).xpath("//section[@aria-labelledby]")


def test_content_page_renders_the_new_blocks_too(client, home):
    page = home.add_child(
        instance=ContentPage(
            title="Over",
            slug="over",
            body=[{"type": "quote", "value": {"citaat": "Open en samen."}}],
        )
    )
    tree = doc(client.get(page.url))
    assert words(tree.xpath("//main//blockquote")[0]) == "Open en samen."
    assert not tree.xpath("//main//figcaption"), "no author, no caption"


# --- legal pages ---------------------------------------------------------------------------


def test_ensure_home_page_makes_the_legal_pages_once(client, db):
    home = ensure_home_page()
    pages = ContentPage.objects.child_of(home)
    assert sorted(pages.values_list("title", flat=True)) == sorted(LEGAL_TITLES)
    assert all(page.live and not page.show_in_menus for page in pages)
    for spec in LEGAL_PAGES:
        tree = doc(client.get(f"/{spec['slug']}/"))
        assert words(tree.xpath("//main//h1")[0]) == spec["title"]
        assert tree.xpath("//main//p"), "starter text"
        assert " catalogus " not in f" {words(tree.xpath('//main')[0]).lower()} "

    ensure_home_page()
    assert ContentPage.objects.child_of(home).count() == 4
    assert SiteSettings.objects.count() == 1


def test_second_run_keeps_what_editors_changed_and_removed(db):
    home = ensure_home_page()
    privacy = legal_page(home, "privacyverklaring")
    publish(privacy, title="Privacy", intro="<p>Onze eigen tekst.</p>")
    legal_page(home, "disclaimer").delete()
    footer = SiteSettings.objects.get()
    footer.over_tekst = "Eigen voettekst."
    footer.kolommen = [{"type": "kolom", "value": {"titel": "Alleen dit", "links": []}}]
    footer.save()

    ensure_home_page()

    privacy.refresh_from_db()
    assert (privacy.title, privacy.intro) == ("Privacy", "<p>Onze eigen tekst.</p>")
    assert not ContentPage.objects.filter(slug="disclaimer").exists(), "removed stays removed"
    footer.refresh_from_db()
    assert footer.over_tekst == "Eigen voettekst."
    assert [column.value["titel"] for column in footer.kolommen] == ["Alleen dit"]


def test_existing_installation_gets_legal_pages_without_duplicates(db):
    """A site prepared before the legal pages existed; an editor already made a Disclaimer."""
    home = ensure_home_page()
    SiteSettings.objects.all().delete()
    for slug in ("algemene-voorwaarden", "privacyverklaring", "veelgestelde-vragen"):
        legal_page(home, slug).delete()
    own = legal_page(home, "disclaimer")
    publish(own, title="Onze disclaimer")

    ensure_home_page()

    assert ContentPage.objects.child_of(home).count() == 4
    assert legal_page(home, "disclaimer").pk == own.pk
    assert legal_page(home, "disclaimer").title == "Onze disclaimer"
    links = [link["pagina"].pk for link in SiteSettings.objects.get().kolommen[0].value["links"]]
    assert own.pk in links and len(links) == 4


def test_home_page_queries_do_not_grow_with_footer_links(client, home):
    """The footer costs a fixed number of queries: its row and one batch of linked pages."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as few:
        doc(client.get("/"))
    footer = SiteSettings.objects.get()
    extra = [
        home.add_child(instance=ContentPage(title=f"Extra {n}", slug=f"x{n}")) for n in range(8)
    ]
    footer.kolommen = [
        *footer.kolommen.raw_data,
        {"type": "kolom", "value": {"titel": "Meer", "links": [{"pagina": p.pk} for p in extra]}},
    ]
    footer.save()
    Site.clear_site_root_paths_cache()
    client.get("/")
    with CaptureQueriesContext(connection) as many:
        tree = doc(client.get("/"))
    assert len(tree.xpath("//footer//a")) == 12
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
