"""One application text with characters XML cannot carry must not break anyone's export
(core.plugins.formats.xml_safe in the AMEFF writer, the plot and both xlsx writers)."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from openpyxl import load_workbook

from core import services
from core.actors import Actor
from core.plugins import bundle_exporters
from core.plugins.formats import xml_safe
from plugins.catalogus.selection import AANBOD, LANDSCHAP, LandscapeSelection, OfferSelection
from tests.conftest import member

pytestmark = pytest.mark.django_db

UNSAFE = "Zaken\uffff en\x01 meer\ufffe"


def test_xml_safe_keeps_ordinary_text():
    assert xml_safe(UNSAFE) == "Zaken en meer"
    assert xml_safe("Één — ‘quote’ 😀") == "Één — ‘quote’ 😀"


def test_unsafe_text_in_an_application_does_not_break_exports(access_world):
    supplier = Actor.for_membership(member(access_world.orgs["leverancier"], "aanbod-beheerder"))
    module = access_world.objects["lev_module"]
    services.update_object(module, {"beschrijvingKort": UNSAFE}, actor=supplier, partial=True)
    gemeente = Actor.for_membership(member(access_world.orgs["gemeente"], "gebruik-beheerder"))
    landscape = LandscapeSelection(access_world.orgs["gemeente"])
    offer = OfferSelection(access_world.orgs["leverancier"])
    for kind, selection, actor in ((LANDSCHAP, landscape, gemeente), (AANBOD, offer, supplier)):
        exporters = bundle_exporters(kind)
        ameff = b"".join(exporters["ameff"].export(kind=kind, selection=selection, actor=actor))
        assert b"Zaken en meer" in ameff
        etree.fromstring(ameff)  # well-formed
        xlsx = b"".join(exporters["xlsx"].export(kind=kind, selection=selection, actor=actor))
        load_workbook(io.BytesIO(xlsx), read_only=True).close()
