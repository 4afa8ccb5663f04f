"""Site bootstrap: make our HomePage the root of the default Wagtail site.

Wagtail's first migration creates a plain "Welcome to your new Wagtail site!" page as the
site root; `prepare` (and the tests) call `ensure_home_page()` to replace it. It also copes
with an emptied database (a flush removes Wagtail's root node and locale).

Once per site it also makes the starter content: the legal pages (Algemene voorwaarden,
Privacyverklaring, Disclaimer, Veelgestelde vragen) and a footer that links to them. After
that first time nothing is touched again, so what editors change or remove stays that way.
"""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from core.models import ContentPage, HomePage
from core.models.pages import SiteSettings

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
    {"type": "heading", "value": "Wat vindt u in de softwarecatalogus?"},
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
    ensure_starter_content(site, home)
    return home


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


LEGAL_PAGES = [
    {
        "slug": "algemene-voorwaarden",
        "title": "Algemene voorwaarden",
        "intro": _paragraphs(
            "Deze voorwaarden gelden voor iedereen die de softwarecatalogus bezoekt of er "
            "gegevens in vastlegt. De softwarecatalogus is een voorziening van VNG Realisatie."
        ),
        "body": [
            {"type": "heading", "value": "Gebruik van de softwarecatalogus"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "Iedereen mag het openbare aanbod bekijken. Gemeenten, samenwerkingsverbanden "
                    "en leveranciers kunnen een account aanvragen om gegevens vast te leggen.",
                    "U legt alleen gegevens vast namens de organisatie waarvoor u bent "
                    "aangemeld, en u zorgt dat die gegevens juist en actueel zijn.",
                ),
            },
            {"type": "heading", "value": "Verantwoordelijkheid voor gegevens"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "Leveranciers zijn verantwoordelijk voor de informatie over hun aanbod. "
                    "Gemeenten en samenwerkingsverbanden zijn verantwoordelijk voor de gegevens "
                    "over hun eigen applicatielandschap.",
                    "VNG Realisatie mag gegevens die in strijd zijn met deze voorwaarden "
                    "aanpassen of verwijderen en een account blokkeren.",
                ),
            },
        ],
    },
    {
        "slug": "privacyverklaring",
        "title": "Privacyverklaring",
        "intro": _paragraphs(
            "VNG Realisatie gaat zorgvuldig om met uw persoonsgegevens. In deze verklaring "
            "leest u welke gegevens de softwarecatalogus verwerkt en waarom."
        ),
        "body": [
            {"type": "heading", "value": "Welke gegevens wij verwerken"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "Van gebruikers met een account: naam, e-mailadres, organisatie en rol. "
                    "Voor de beveiliging leggen wij vast wanneer u inlogt en welke wijzigingen u "
                    "doet.",
                    "Contactpersonen van gemeenten zijn alleen zichtbaar voor ingelogde "
                    "medewerkers van overheidsorganisaties.",
                ),
            },
            {"type": "heading", "value": "Statistieken"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "Als bezoekstatistieken aan staan, gebruiken wij Matomo zonder cookies en "
                    "zonder gegevens met anderen te delen."
                ),
            },
            {"type": "heading", "value": "Uw rechten"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "U kunt uw gegevens inzien en wijzigen op de pagina Mijn account. Voor "
                    "andere vragen over uw gegevens kunt u contact opnemen met VNG Realisatie."
                ),
            },
        ],
    },
    {
        "slug": "disclaimer",
        "title": "Disclaimer",
        "intro": _paragraphs(
            "De informatie in de softwarecatalogus komt van leveranciers, gemeenten en "
            "samenwerkingsverbanden zelf."
        ),
        "body": [
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "VNG Realisatie controleert niet alle informatie en kan niet garanderen dat "
                    "die juist, volledig en actueel is. Aan de informatie kunt u geen rechten "
                    "ontlenen.",
                    "Ziet u een fout? Neem dan contact op met de organisatie die de gegevens "
                    "heeft vastgelegd, of met VNG Realisatie.",
                ),
            },
        ],
    },
    {
        "slug": "veelgestelde-vragen",
        "title": "Veelgestelde vragen",
        "intro": _paragraphs(
            "Antwoorden op vragen die wij vaak krijgen over de softwarecatalogus."
        ),
        "body": [
            {"type": "heading", "value": "Wie kan een account krijgen?"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "Medewerkers van gemeenten, samenwerkingsverbanden en leveranciers van "
                    "software voor gemeenten. Kies Aanmelden in het menu."
                ),
            },
            {"type": "heading", "value": "Wie ziet het applicatielandschap van mijn gemeente?"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "Alleen ingelogde medewerkers van overheidsorganisaties. Leveranciers en "
                    "bezoekers zonder account zien het niet. Interne aantekeningen blijven "
                    "altijd binnen uw eigen organisatie."
                ),
            },
            {"type": "heading", "value": "Mijn pakket staat er niet in. Wat nu?"},
            {
                "type": "paragraph",
                "value": _paragraphs(
                    "Leveranciers publiceren hun eigen aanbod. Staat een pakket er niet in, dan "
                    "kan een gemeente het toch aan haar landschap toevoegen; de leverancier "
                    "kan het daarna overnemen."
                ),
            },
        ],
    },
]


def ensure_starter_content(site: Site, home: HomePage) -> SiteSettings:
    """Legal pages under the home page and a footer linking to them, made once per site.

    A page that already has one of the slugs is used as it is; footer columns an editor
    already made are kept. The flag on the settings row makes later runs a no-op.
    """
    settings_row = SiteSettings.objects.filter(site=site).first() or SiteSettings(site=site)
    if settings_row.startinhoud_gemaakt:
        return settings_row
    links = []
    for spec in LEGAL_PAGES:
        page = home.get_children().filter(slug=spec["slug"]).first()
        if page is None:
            page = ContentPage(
                title=spec["title"], slug=spec["slug"], intro=spec["intro"], body=spec["body"]
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        links.append({"titel": "", "pagina": page.pk, "url": ""})
    if not settings_row.kolommen:
        settings_row.kolommen = [
            {"type": "kolom", "value": {"titel": "Over deze website", "links": links}}
        ]
    settings_row.startinhoud_gemaakt = True
    settings_row.save()
    return settings_row
