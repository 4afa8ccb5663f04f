"""Wagtail pages (home, content) with their content blocks, and the site-wide settings
(footer, analytics) that VNG edits in the CMS (requirements §3.7, #332, #406, #409)."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

ICONS = [
    ("zoeken", "Vergrootglas (zoeken)"),
    ("landschap", "Lagen (landschap)"),
    ("aanbod", "Pakket (aanbod)"),
    ("organisatie", "Gebouw (organisatie)"),
    ("koppeling", "Schakel (koppeling)"),
    ("document", "Document"),
    ("vraag", "Vraagteken (hulp)"),
    ("informatie", "Informatie"),
]


class LinkValue(blocks.StructValue):
    """A link to a page or an address; a page that is not live yields no link."""

    @property
    def href(self) -> str:
        page = self.get("pagina")
        if page is not None:
            return (page.url or "") if page.live else ""
        return self.get("url") or ""

    @property
    def label(self) -> str:
        page = self.get("pagina")
        return self.get("titel") or (page.title if page is not None else "") or self.href


class LinkBlock(blocks.StructBlock):
    """Title plus either a page of this site or an address elsewhere (not both)."""

    titel = blocks.CharBlock(
        label="Linktekst",
        required=False,
        help_text="Laat leeg om de titel van de gekozen pagina te gebruiken.",
    )
    pagina = blocks.PageChooserBlock(label="Pagina", required=False)
    url = blocks.URLBlock(label="Of een webadres", required=False)

    class Meta:
        label = "Link"
        icon = "link"
        value_class = LinkValue

    def clean(self, value):
        value = super().clean(value)
        page, url = value.get("pagina"), value.get("url")
        if bool(page) == bool(url):
            message = "Kies een pagina of vul een webadres in, niet allebei."
            if not page and not url:
                message = "Kies een pagina of vul een webadres in."
            raise StructBlockValidationError(block_errors={"url": ValidationError(message)})
        if url and not value.get("titel"):
            raise StructBlockValidationError(
                block_errors={
                    "titel": ValidationError("Geef een link naar een webadres een tekst.")
                }
            )
        return value


class OptionalLinkBlock(LinkBlock):
    """A link that may be left empty altogether (a content block without link)."""

    class Meta:
        label = "Link (optioneel)"
        value_class = LinkValue

    def clean(self, value):
        if not value.get("pagina") and not value.get("url"):
            return blocks.StructBlock.clean(self, value)
        return super().clean(value)


class QuoteBlock(blocks.StructBlock):
    citaat = blocks.TextBlock(label="Citaat")
    auteur = blocks.CharBlock(label="Auteur", required=False)
    functie = blocks.CharBlock(label="Functie of organisatie", required=False)

    class Meta:
        label = "Citaat"
        icon = "openquote"


class ContentItemBlock(blocks.StructBlock):
    """One of three equal content blocks on the home page (#332)."""

    icoon = blocks.ChoiceBlock(label="Icoon", choices=ICONS, required=False)
    titel = blocks.CharBlock(label="Titel")
    tekst = blocks.TextBlock(label="Tekst", required=False)
    link = OptionalLinkBlock(help_text="De titel wordt de link, zodat die altijd een tekst heeft.")

    class Meta:
        label = "Inhoudsblok"
        icon = "doc-full"


class TextImageBlock(blocks.StructBlock):
    """Text next to an image; the image needs an alt text unless it is only decoration."""

    titel = blocks.CharBlock(label="Titel", required=False)
    tekst = blocks.RichTextBlock(label="Tekst", features=["bold", "italic", "link", "ul", "ol"])
    afbeelding = ImageChooserBlock(label="Afbeelding")
    alt_tekst = blocks.CharBlock(
        label="Alternatieve tekst",
        required=False,
        help_text="Beschrijf wat de afbeelding laat zien, voor wie haar niet kan zien.",
    )
    decoratief = blocks.BooleanBlock(
        label="Alleen decoratief (geen alternatieve tekst nodig)", required=False
    )
    afbeelding_links = blocks.BooleanBlock(label="Afbeelding links van de tekst", required=False)

    class Meta:
        label = "Tekst met afbeelding"
        icon = "image"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decoratief") and not (value.get("alt_tekst") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_tekst": ValidationError(
                        "Vul een alternatieve tekst in, of geef aan dat de afbeelding alleen "
                        "decoratief is."
                    )
                }
            )
        return value


CONTENT_BLOCKS = [
    ("heading", blocks.CharBlock(label="Kop", form_classname="title")),
    ("paragraph", blocks.RichTextBlock(label="Tekst")),
    (
        "cards",
        blocks.ListBlock(
            blocks.StructBlock(
                [
                    ("titel", blocks.CharBlock(label="Titel")),
                    ("tekst", blocks.TextBlock(label="Tekst", required=False)),
                    ("link", blocks.URLBlock(label="Link", required=False)),
                ]
            ),
            label="Kaarten",
        ),
    ),
    ("quote", QuoteBlock()),
    (
        "three_blocks",
        blocks.ListBlock(ContentItemBlock(), min_num=3, max_num=3, label="Drie inhoudsblokken"),
    ),
    ("text_image", TextImageBlock()),
]

# Blocks whose titles are headings: one level below the page's last "Kop" block, else h2.
_TITLED_BLOCKS = {"cards", "three_blocks", "text_image"}


def blocks_with_levels(body) -> list[dict]:
    """Each block with the heading level of its titles, so headings never skip a level."""
    items, seen_heading = [], False
    for block in body:
        if block.block_type == "heading":
            items.append({"block": block, "level": 2})
            seen_heading = True
        else:
            level = 3 if seen_heading and block.block_type in _TITLED_BLOCKS else 2
            items.append({"block": block, "level": level})
    return items


class HomePage(Page):
    """The site's root page: a search banner and editable content blocks."""

    banner_titel = models.CharField(
        "titel van de zoekbanner",
        max_length=120,
        blank=True,
        help_text="Laat leeg om de paginatitel te gebruiken.",
    )
    banner_tekst = models.TextField("tekst in de zoekbanner", blank=True)
    zoek_placeholder = models.CharField(
        "voorbeeldtekst in het zoekveld",
        max_length=120,
        blank=True,
        help_text="Bijvoorbeeld: zaaksysteem, Centric, Utrecht. Dit vervangt het label niet.",
    )
    intro = RichTextField("introductie", blank=True)
    body = StreamField(CONTENT_BLOCKS, blank=True, verbose_name="inhoud")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("banner_titel"),
                FieldPanel("banner_tekst"),
                FieldPanel("zoek_placeholder"),
            ],
            heading="Zoekbanner",
        ),
        "intro",
        "body",
    ]
    max_count = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = "startpagina"

    @property
    def body_blocks(self) -> list[dict]:
        return blocks_with_levels(self.body)


class ContentPage(Page):
    """Editorial content: help, news, legal pages. Child pages are listed below the content."""

    intro = RichTextField("introductie", blank=True)
    body = StreamField(CONTENT_BLOCKS, blank=True, verbose_name="inhoud")

    content_panels = [*Page.content_panels, "intro", "body"]
    template = "pages/content_page.html"

    class Meta:
        verbose_name = "inhoudspagina"

    @property
    def body_blocks(self) -> list[dict]:
        return blocks_with_levels(self.body)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().order_by("path")
        return context


class FooterColumnBlock(blocks.StructBlock):
    titel = blocks.CharBlock(label="Titel van de kolom")
    links = blocks.ListBlock(LinkBlock(), label="Links")

    class Meta:
        label = "Kolom"
        icon = "list-ul"


FOOTER_ABOUT_TITLE = "Softwarecatalogus"
FOOTER_ABOUT_TEXT = (
    "De softwarecatalogus laat zien welke software en diensten leveranciers aanbieden aan "
    "gemeenten, en welke gemeenten ze gebruiken.\n\nEen voorziening van VNG Realisatie."
)


@register_setting(icon="list-ul")
class SiteSettings(BaseSiteSetting):
    """The footer (identical for every visitor, #409) and the one analytics slot (#406).

    Analytics is a Matomo/Piwik server address and site id, never a pasted script: the
    template renders Matomo's standard snippet from those two values, escaped.
    """

    over_titel = models.CharField("titel", max_length=120, default=FOOTER_ABOUT_TITLE)
    over_tekst = models.TextField("tekst", blank=True, default=FOOTER_ABOUT_TEXT)
    kolommen = StreamField(
        [("kolom", FooterColumnBlock())], blank=True, verbose_name="linkkolommen"
    )
    matomo_url = models.URLField(
        "adres van de Matomo-server",
        blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text="Bijvoorbeeld https://statistiek.example.nl/ (alleen https). "
        "Leeg laten: geen statistieken.",
    )
    matomo_site_id = models.PositiveIntegerField("site-id in Matomo", null=True, blank=True)
    # Set once `ensure_home_page` has made the starter content (legal pages, footer links):
    # later runs leave what editors changed or removed alone.
    startinhoud_gemaakt = models.BooleanField(default=False, editable=False)

    panels = [
        MultiFieldPanel([FieldPanel("over_titel"), FieldPanel("over_tekst")], heading="Over"),
        FieldPanel("kolommen"),
        MultiFieldPanel(
            [FieldPanel("matomo_url"), FieldPanel("matomo_site_id")],
            heading="Statistieken (Matomo/Piwik)",
        ),
    ]

    class Meta:
        verbose_name = "voettekst en statistieken"
        verbose_name_plural = "voettekst en statistieken"

    @classmethod
    def for_site(cls, site):
        """The saved row, or unsaved defaults: reading a page never writes (Wagtail's
        get_or_create would, on a GET)."""
        if site is None:
            raise cls.DoesNotExist("Geen site.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)

    def clean(self):
        super().clean()
        if bool(self.matomo_url) != (self.matomo_site_id is not None):
            raise ValidationError(
                {"matomo_site_id": "Vul het adres én het site-id in, of laat beide leeg."}
            )

    @property
    def matomo_base(self) -> str:
        """The tracker address with one trailing slash ('' when analytics is off)."""
        if not self.matomo_url or self.matomo_site_id is None:
            return ""
        return self.matomo_url.rstrip("/") + "/"


class WizardText(models.Model):
    """The texts of one wizard step, editable by VNG (§4 of the requirements: texts live in
    configuration, not code). Rows are made with the defaults from code (`sync_texts`); an
    empty field falls back to the default."""

    wizard = models.CharField("wizard", max_length=80, editable=False)
    step = models.CharField("stap", max_length=80, editable=False, blank=True)
    titel = models.CharField("titel", max_length=200, blank=True)
    tekst = models.TextField("tekst", blank=True)
    info_titel = models.CharField("titel van het infoblok", max_length=200, blank=True)
    info_tekst = models.TextField("tekst van het infoblok", blank=True)

    panels = ["titel", "tekst", "info_titel", "info_tekst"]

    class Meta:
        verbose_name = "wizardtekst"
        verbose_name_plural = "wizardteksten"
        ordering = ["wizard", "pk"]
        constraints = [models.UniqueConstraint(fields=["wizard", "step"], name="wizardtext_once")]

    def __str__(self):
        return f"{self.wizard}: {self.titel or self.step or 'wizard'}"
