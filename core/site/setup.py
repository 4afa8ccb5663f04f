"""Site bootstrap: make our HomePage the root of the default Wagtail site.

Wagtail's first migration creates a plain "Welcome to your new Wagtail site!" page as the
site root; `prepare` (and the tests) call `ensure_home_page()` to replace it. It also copes
with an emptied database (a flush removes Wagtail's root node and locale).
"""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from core.models import HomePage

HOME_TITLE = "Softwarecatalogus"
HOME_SLUG = "home"
DEFAULT_HOSTNAME = "localhost"
DEFAULT_PORT = 80
HOME_INTRO = (
    "<p>De Softwarecatalogus laat zien welke software en diensten leveranciers aanbieden aan "
    "gemeenten en samenwerkingsverbanden, en welke gemeenten die gebruiken. Zo zien gemeenten "
    "wat andere gemeenten gebruiken, hoe pakketten aansluiten op de GEMMA-architectuur en "
    "welke standaarden ze ondersteunen.</p>"
)
HOME_BODY = [
    {"type": "heading", "value": "Wat vindt u in de catalogus?"},
    {
        "type": "cards",
        "value": [
            {
                "titel": "Pakketten en diensten",
                "tekst": "Software en diensten die leveranciers aanbieden aan gemeenten, "
                "met de standaarden die ze ondersteunen.",
                "link": "",
            },
            {
                "titel": "Gebruik door gemeenten",
                "tekst": "Welke gemeenten welke pakketten gebruiken, zodat u ervaringen "
                "kunt delen en samen kunt inkopen.",
                "link": "",
            },
            {
                "titel": "GEMMA-architectuur",
                "tekst": "Hoe pakketten de referentiecomponenten van GEMMA invullen, "
                "zichtbaar in uw eigen applicatielandschap.",
                "link": "",
            },
        ],
    },
]


def _ensure_locale() -> None:
    """Pages need a Locale; a flushed database has none."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )


def _ensure_root() -> Page:
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _is_wagtail_placeholder(page: Page) -> bool:
    """Wagtail's own welcome page: a plain Page without children, safe to remove."""
    return page.specific_class is Page and page.depth == 2 and page.numchild == 0


@transaction.atomic
def ensure_home_page() -> HomePage:
    """The HomePage at the root of the default site, created once; later calls change nothing."""
    _ensure_locale()
    root = _ensure_root()
    home = HomePage.objects.order_by("path").first()
    site = Site.objects.filter(is_default_site=True).first()

    if home is None:
        placeholders = [p for p in root.get_children() if _is_wagtail_placeholder(p)]
        if placeholders:
            # Point the sites away first: Site.root_page cascades on delete.
            Site.objects.filter(root_page__in=placeholders).update(root_page=root)
            for placeholder in placeholders:
                placeholder.delete()
            root.refresh_from_db()
        slug = HOME_SLUG if not root.get_children().filter(slug=HOME_SLUG).exists() else "start"
        home = HomePage(title=HOME_TITLE, slug=slug, intro=HOME_INTRO, body=HOME_BODY)
        root.add_child(instance=home)
        home.save_revision().publish()
        home.refresh_from_db()
        site = Site.objects.filter(is_default_site=True).first()

    if site is None:
        site = Site.objects.create(
            hostname=DEFAULT_HOSTNAME,
            port=DEFAULT_PORT,
            root_page=home,
            is_default_site=True,
            site_name=HOME_TITLE,
        )
    elif site.root_page_id != home.pk and not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
        site.site_name = site.site_name or HOME_TITLE
        site.save()
    # Queryset updates and deletes above bypass the signal that drops Wagtail's cached roots.
    Site.clear_site_root_paths_cache()
    return home
