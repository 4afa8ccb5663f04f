"""The catalogue's sections on /organisaties/<uuid> (organisation_sections hook): a
supplier's aanbod for everyone; a gemeente's landscape link for government users only."""

from __future__ import annotations

import re

import pytest

from tests.catalogus.conftest import ANON, FB, GEM, GEM2, LEV, LEV2, RPL, SAM
from tests.catalogus.site.test_detail import page, section

pytestmark = pytest.mark.django_db


def org_url(world, key: str) -> str:
    return f"/organisaties/{world.orgs[key].uuid}"


@pytest.mark.parametrize("label", [ANON, LEV2, GEM])
def test_supplier_aanbod(access_world, label):
    world = access_world
    response = page(world, label, org_url(world, "leverancier"))
    assert response.status_code == 200
    aanbod = section(response.content.decode(), "aanbod")
    assert f'href="/applicaties/{world.uuid("lev_module")}">Zaakwijzer<' in aanbod
    assert f'href="/diensten/{world.uuid("lev_dienst")}">Functioneel beheer Zaakwijzer<' in aanbod
    # Published only: never its concept.
    assert "Zaakwijzer Next" not in aanbod
    assert "Parkeervergunningen" not in aanbod
    assert 'id="applicatielandschap"' not in response.content.decode()


def test_marktvergunningen_is_aanbod_of_acme_for_government(access_world):
    # Registered by Utrecht for Acme and published by functioneel beheer: Acme offers it;
    # visible() lets government users see it, anonymous visitors not (owner is a gemeente).
    world = access_world
    government = section(page(world, GEM, org_url(world, "leverancier")).content.decode(), "aanbod")
    assert "Marktvergunningen" in government
    visitor = section(page(world, ANON, org_url(world, "leverancier")).content.decode(), "aanbod")
    assert "Marktvergunningen" not in visitor


@pytest.mark.parametrize("label", [ANON, LEV, LEV2])
def test_gemeente_landscape_hidden_from_suppliers_and_visitors(access_world, label):
    world = access_world
    response = page(world, label, org_url(world, "gemeente"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="applicatielandschap"' not in html
    assert "/landschap" not in html
    assert 'id="aanbod"' not in html


@pytest.mark.parametrize("label", [GEM, GEM2, RPL, SAM, FB])
def test_gemeente_landscape_link_for_government(access_world, label):
    world = access_world
    html = page(world, label, org_url(world, "gemeente")).content.decode()
    landschap = section(html, "applicatielandschap")
    assert f'href="/organisaties/{world.orgs["gemeente"].uuid}/landschap"' in landschap
    # Zaakwijzer (own gebruik) and Burgerzaken Pro (as deelnemer of Dimpact).
    assert re.search(r"Utrecht gebruikt 2 applicaties", landschap)


def test_samenwerking_without_aanbod_has_only_landscape(access_world):
    world = access_world
    html = page(world, GEM, org_url(world, "samenwerking")).content.decode()
    assert 'id="aanbod"' not in html
    assert "Dimpact gebruikt 1 applicatie." in section(html, "applicatielandschap")
