"""Wagtail pages: the home page and editorial content pages."""

from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

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
]


class HomePage(Page):
    """The site's root page: a search banner and editable content blocks."""

    intro = RichTextField("introductie", blank=True)
    body = StreamField(CONTENT_BLOCKS, blank=True, verbose_name="inhoud")

    content_panels = [*Page.content_panels, "intro", "body"]
    max_count = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = "startpagina"


class ContentPage(Page):
    """Editorial content: help, news, legal pages."""

    intro = RichTextField("introductie", blank=True)
    body = StreamField(CONTENT_BLOCKS, blank=True, verbose_name="inhoud")

    content_panels = [*Page.content_panels, "intro", "body"]
    template = "pages/content_page.html"

    class Meta:
        verbose_name = "inhoudspagina"
