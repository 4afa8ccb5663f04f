"""Wagtail pages: the home page and editorial content pages."""

from django.db import models
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
