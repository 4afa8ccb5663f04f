"""The catalogue's detail pages: /applicaties, /diensten, /referentiecomponenten and
/koppelingen, per actor kind, with the privacy rules of #19, #105 and #12.

`clients(world, label)` and the `standards` fixture are shared with the compare, facts and
organisation-section tests (imported from here)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import services
from core.actors import Actor
from core.models import Object
from core.register import catalog
from tests.admin.conftest import logged_in
from tests.catalogus.conftest import ANON, FB, GEM, GEM2, LEV, LEV2, RPL, SAM
from tests.conftest import member

pytestmark = pytest.mark.django_db

PUB = "gepubliceerd"


def client_for(world, label: str) -> Client:
    """A site session for "<role>@<org key>" (the world's actors), or an anonymous one."""
    if label == ANON:
        return Client()
    role, org_key = label.split("@")
    return logged_in(member(world.orgs[org_key], role).user)


def actor_for(world, label: str) -> Actor:
    if label == ANON:
        return Actor.anonymous()
    role, org_key = label.split("@")
    return Actor.for_membership(member(world.orgs[org_key], role))


def write(schema: str, data: dict, by: Actor, status=PUB, **kwargs) -> Object:
    return services.create_object(catalog.by_key(schema), data, actor=by, status=status, **kwargs)


def page(world, label: str, url: str):
    return client_for(world, label).get(url)


@dataclass
class Standards:
    """GEMMA standards around one referentiecomponent "Zaakregistratiecomponent":
    StUF-ZKN (verplicht and aanbevolen: verplicht wins) with versions 3.01 and 3.20,
    NEN 2082 (aanbevolen) with 2008, and "Open Raadsinformatie" (demanded by nobody) whose
    version 1.0 Acme declares anyway ("Toegevoegd"). Acme's Zaakwijzer implements the
    component and declares StUF-ZKN 3.01 Ondersteund (with evidence) and NEN 2082 2008
    Niet ondersteund; StUF-ZKN 3.20 it leaves open."""

    component: Object
    stuf: Object
    stuf_310: Object
    stuf_320: Object
    nen: Object
    nen_2008: Object
    ori_10: Object
    module: Object


@pytest.fixture
def standards(access_world) -> Standards:
    world = access_world
    system = Actor.for_system()
    vng = {"organisation": world.orgs["vng"]}
    stuf = write("gemma/standaard", {"naam": "StUF-ZKN", "objectId": "id-stuf"}, system, **vng)
    nen = write("gemma/standaard", {"naam": "NEN 2082", "objectId": "nen"}, system, **vng)
    ori = write(
        "gemma/standaard", {"naam": "Open Raadsinformatie", "objectId": "ori"}, system, **vng
    )

    def version(standard, naam, versie):
        data = {
            "naam": naam,
            "objectId": f"id-{naam}",
            "versieaanduiding": versie,
            "standaard": str(standard.uuid),
        }
        return write("gemma/standaardversie", data, system, **vng)

    stuf_310 = version(stuf, "StUF-ZKN 3.01", "3.01")
    stuf_320 = version(stuf, "StUF-ZKN 3.20", "3.20")
    nen_2008 = version(nen, "NEN 2082:2008", "2008")
    ori_10 = version(ori, "Open Raadsinformatie 1.0", "1.0")
    component = write(
        "gemma/referentiecomponent",
        {
            "naam": "Zaakregistratiecomponent",
            "objectId": "id-a1b2c3",
            "beschrijving": "Registreert zaken.",
            "verplichteStandaarden": [str(stuf.uuid)],
            "aanbevolenStandaarden": [str(stuf.uuid), str(nen.uuid)],
        },
        system,
        **vng,
    )
    lev = actor_for(world, LEV)
    module = services.update_object(
        Object.objects.get(pk=world.objects["lev_module"].pk),
        {"referentieComponenten": [str(component.uuid)]},
        actor=lev,
        partial=True,
    )
    for sv, support, url in [
        (stuf_310, "Ondersteund", "www.example.nl/testrapport"),
        (nen_2008, "Niet ondersteund", None),
        (ori_10, "Ondersteund", None),
    ]:
        data = {
            "module": str(module.uuid),
            "standaardversie": str(sv.uuid),
            "ondersteuning": support,
        }
        if url:
            data["url"] = url
        write("catalogus/compliancy", data, lev)
    return Standards(component, stuf, stuf_310, stuf_320, nen, nen_2008, ori_10, module)


def app_url(world, key: str) -> str:
    return f"/applicaties/{world.uuid(key)}"


# --- /applicaties/<uuid> -------------------------------------------------------------------


def test_application_for_anonymous_visitor(access_world):
    world = access_world
    response = page(world, ANON, app_url(world, "lev_module"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Zaakwijzer</h1>' in html
    assert f'href="/organisaties/{world.orgs["leverancier"].uuid}"' in html
    assert "Zaakgericht werken voor middelgrote gemeenten." in html
    assert "SaaS" in html and "On-premises (zelf beheerd)" in html  # labels, not values
    assert "Nederland" in html
    # The supplier's public aanspreekpunt; never a person of a gemeente.
    assert "Eva de Boer" in html and "Jan Visser" not in html
    # Tabs that work without JavaScript: links to the sections.
    for anchor in ("beschrijving", "versies", "standaarden", "diensten", "koppelingen"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    # #19 / #263: no Gebruik tab and no count of gemeenten for visitors.
    assert 'id="gebruik"' not in html and 'href="#gebruik"' not in html
    assert 'id="aantal-gemeenten"' not in html
    # Only the supplier's template koppeling, never Utrecht's.
    assert world.uuid("lev_koppeling") in html
    assert world.uuid("gem_koppeling") not in html
    assert "Sjabloon van de leverancier" in html
    # Buttons: compare for everyone; no adding to a landscape, no editing.
    assert f'href="/vergelijken?applicatie={world.uuid("lev_module")}"' in html
    assert "applicatie-toevoegen" not in html and 'id="bewerken"' not in html
    # Versions: 4.2 and the server's "Cloud".
    assert "4.2" in html and "Cloud" in html
    # The dienst for this application.
    assert f'href="/diensten/{world.uuid("lev_dienst")}"' in html
    assert 'id="concept"' not in html


@pytest.mark.parametrize(
    "key", ["lev_concept_module", "gem_concept_module", "gem_published_module"]
)
def test_application_anonymous_cannot_see_is_404(access_world, key):
    # A supplier's concept, a gemeente's concept and a gemeente-owned application.
    assert page(access_world, ANON, app_url(access_world, key)).status_code == 404


@pytest.mark.parametrize("value", [str(uuid.uuid4()), "geen-uuid"])
def test_application_unknown_is_404(access_world, value):
    assert page(access_world, ANON, f"/applicaties/{value}").status_code == 404


def test_application_for_gemeente_shows_gebruik_without_notes(access_world):
    world = access_world
    response = page(world, GEM, app_url(world, "lev_module"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#gebruik"' in html
    gebruik = section(html, "gebruik")
    assert "Utrecht" in gebruik and "In productie" in gebruik
    assert re.search(r"<td[^>]*>4.2</td>", gebruik)
    # Den Haag was only proposed (concept) by the supplier: it does not use it.
    assert "Den Haag" not in gebruik
    # Interne aantekening never leaves its organisation, not even on its own page.
    assert "Verlengen bespreken" not in html
    assert "Kosten verdelen" not in html
    # Government users also see the gemeente's own koppeling, labelled as such.
    koppelingen = section(html, "koppelingen")
    assert world.uuid("gem_koppeling") in koppelingen
    assert "Landschap van Utrecht" in koppelingen
    assert "Burgerzaken Pro" in koppelingen
    assert re.search(r'id="aantal-gemeenten">1<', html)
    expected = f'href="/mijn-landschap/applicatie-toevoegen?applicatie={world.uuid("lev_module")}"'
    assert expected in html
    assert 'id="bewerken"' not in html


def test_application_gebruik_lists_samenwerking_with_deelnemers(access_world):
    world = access_world
    html = page(world, GEM2, app_url(world, "lev2_module")).content.decode()
    gebruik = section(html, "gebruik")
    assert "Dimpact" in gebruik and "Deelnemers: Utrecht" in gebruik


def test_raadpleger_reads_gebruik_but_cannot_add(access_world):
    world = access_world
    html = page(world, RPL, app_url(world, "lev_module")).content.decode()
    assert 'id="gebruik"' in html
    assert "applicatie-toevoegen" not in html


def test_samenwerking_beheerder_may_add(access_world):
    world = access_world
    html = page(world, SAM, app_url(world, "lev_module")).content.decode()
    assert "/mijn-landschap/applicatie-toevoegen?applicatie=" in html


def test_supplier_sees_names_of_users_of_own_application(access_world):
    world = access_world
    html = page(world, LEV, app_url(world, "lev_module")).content.decode()
    gebruik = section(html, "gebruik")
    assert "Utrecht" in gebruik
    # Names only: no status, no version, no link into a landscape; no proposal.
    assert "In productie" not in gebruik and "<table" not in gebruik
    assert "Den Haag" not in gebruik
    assert "Verlengen bespreken" not in html
    # #105: never a gemeente's koppeling.
    assert world.uuid("gem_koppeling") not in html
    assert "Landschap van" not in html
    # The owner edits it in its aanbod.
    assert f'href="/mijn-aanbod/applicaties/{world.uuid("lev_module")}/bewerken"' in html
    assert 'id="aantal-gemeenten"' not in html


def test_other_supplier_gets_no_gebruik_tab(access_world):
    world = access_world
    html = page(world, LEV2, app_url(world, "lev_module")).content.decode()
    assert 'id="gebruik"' not in html and 'href="#gebruik"' not in html
    assert "Utrecht" not in html
    assert world.uuid("gem_koppeling") not in html
    assert 'id="bewerken"' not in html


def test_functioneel_beheer_sees_gebruik(access_world):
    world = access_world
    html = page(world, FB, app_url(world, "lev_module")).content.decode()
    assert "Utrecht" in section(html, "gebruik")


def test_concept_application_is_marked_and_not_supplier_verified(access_world):
    world = access_world
    url = app_url(world, "gem_concept_module")
    html = page(world, GEM, url).content.decode()
    assert 'id="concept"' in html and 'id="niet-bevestigd"' in html
    assert "nog niet door de leverancier bevestigd" in html
    # The named supplier sees it too (to claim it), another supplier does not.
    assert page(world, LEV, url).status_code == 200
    assert page(world, LEV2, url).status_code == 404


def test_published_application_registered_by_gemeente_says_so(access_world):
    world = access_world
    html = page(world, GEM2, app_url(world, "gem_published_module")).content.decode()
    assert 'id="concept"' not in html
    assert "geregistreerd door een gemeente of samenwerking" in html


def test_contact_person_of_a_gemeente_never_reaches_anonymous(access_world):
    world = access_world
    fb = actor_for(world, FB)
    services.update_object(
        Object.objects.get(pk=world.objects["lev_module"].pk),
        {"contactpersoon": world.uuid("gem_contact")},
        actor=fb,
        partial=True,
    )
    anonymous = page(world, ANON, app_url(world, "lev_module")).content.decode()
    assert "Jan Visser" not in anonymous and "j.visser@" not in anonymous
    government = page(world, GEM2, app_url(world, "lev_module")).content.decode()
    assert "Jan Visser" in government


def test_application_standards_tab(access_world, standards):
    world = access_world
    html = page(world, ANON, app_url(world, "lev_module")).content.decode()
    # 2 StUF versions + NEN 2008, and as "Toegevoegd" ORI 1.0 and the world's StUF-ZKN 3.10
    # (a version without a standaard, declared for version 4.2): 5 rows, counted in the tab.
    assert re.search(r'href="#standaarden">Standaarden <span class="swc-tabs__count">\(5\)', html)
    table = section(html, "standaarden")
    assert table.count('scope="row"') == 5
    assert "Toegevoegd" in row(table, access_world.objects["stuf"])
    row_310 = row(table, standards.stuf_310)
    assert "Verplicht" in row_310 and "Ondersteund" in row_310
    # Evidence without a scheme still links externally, in a new tab.
    assert 'href="https://www.example.nl/testrapport" target="_blank"' in row_310
    row_nen = row(table, standards.nen_2008)
    assert "Aanbevolen" in row_nen
    assert '<span class="swc-support swc-support--nee">Niet ondersteund</span>' in row_nen
    assert "Niet opgegeven" in row(table, standards.stuf_320)
    assert "Toegevoegd" in row(table, standards.ori_10)
    # Referentiecomponent linked; a similar application appears once another shares it.
    assert f'href="/referentiecomponenten/{standards.component.uuid}"' in html


def test_similar_applications_share_a_referentiecomponent(access_world, standards):
    world = access_world
    lev2 = actor_for(world, LEV2)
    services.update_object(
        Object.objects.get(pk=world.objects["lev2_module"].pk),
        {"referentieComponenten": [str(standards.component.uuid)]},
        actor=lev2,
        partial=True,
    )
    html = page(world, ANON, app_url(world, "lev_module")).content.decode()
    similar = section(html, "vergelijkbaar")
    assert "Burgerzaken Pro" in similar and "Zaakwijzer<" not in similar


def test_application_query_count_does_not_grow(access_world, standards):
    """More versions, diensten, koppelingen and gebruik: the same number of queries."""
    world = access_world
    client = client_for(world, GEM)
    url = app_url(world, "lev_module")
    client.get(url)  # warm caches (schemas, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    lev, gem2 = actor_for(world, LEV), actor_for(world, GEM2)
    module = world.uuid("lev_module")
    for n in range(3):
        write("catalogus/moduleVersie", {"module": module, "versie": f"5.{n}"}, lev)
        write(
            "catalogus/dienst",
            {"naam": f"Dienst {n}", "modules": [module], "type": ["Opleidingen"]},
            lev,
        )
        write(
            "catalogus/koppeling",
            {
                "moduleA": module,
                "moduleB": world.uuid("lev2_module"),
                "naam": f"K{n}",
                "gegevensuitwisselingRichting": "AnaarB",
            },
            lev,
        )
    write(
        "catalogus/gebruik",
        {"afnemer": str(world.orgs["gemeente2"].uuid), "module": module, "status": "Gepland"},
        gem2,
    )
    client.get(url)  # the catalogue notices the writes once (a schema freshness check)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert "Den Haag" in section(response.content.decode(), "gebruik")
    # The register reads must not grow with the rows; the site shell's own queries (session,
    # memberships, menu) are not this page's business and may vary with the session.
    assert register_reads(many) == register_reads(few)
    assert len(many) <= 35


# --- /diensten/<uuid> ----------------------------------------------------------------------


def test_dienst_page(access_world):
    world = access_world
    lev = actor_for(world, LEV)
    services.update_object(
        Object.objects.get(pk=world.objects["lev_dienst"].pk),
        {"type": ["Functioneel beheer", "Applicatiebeheer"], "website": "acme.example.nl"},
        actor=lev,
        partial=True,
    )
    url = f"/diensten/{world.uuid('lev_dienst')}"
    response = page(world, ANON, url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Functioneel beheer, Applicatiebeheer" in html  # never ["a", "b"]
    assert "[" not in re.search(r'id="diensttypes">(.*?)<', html).group(1)
    assert f'href="/applicaties/{world.uuid("lev_module")}">Zaakwijzer<' in html
    assert 'href="https://acme.example.nl"' in html
    assert "Eva de Boer" in html
    assert "dienst-toevoegen" not in html
    gemeente = page(world, GEM, url).content.decode()
    assert f'href="/mijn-landschap/dienst-toevoegen?dienst={world.uuid("lev_dienst")}"' in gemeente
    assert "dienst-toevoegen" not in page(world, LEV2, url).content.decode()


def test_dienst_unknown_is_404(access_world):
    assert page(access_world, ANON, f"/diensten/{uuid.uuid4()}").status_code == 404


# --- /referentiecomponenten/<uuid> ---------------------------------------------------------


def test_referentiecomponent_page(access_world, standards):
    world = access_world
    url = f"/referentiecomponenten/{standards.component.uuid}"
    response = page(world, ANON, url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zaakregistratiecomponent" in html and "Registreert zaken." in html
    # One "id-" prefix (#407).
    assert 'href="https://www.gemmaonline.nl/wiki/GEMMA/id-a1b2c3"' in html
    assert "StUF-ZKN 3.01" in html and "NEN 2082:2008" in html
    assert "Open Raadsinformatie" not in html  # only what the component demands
    assert "Ondersteuning</th>" not in html  # no application, no support column
    apps = section(html, "applicaties")
    assert "Zaakwijzer" in apps and "(1)" in apps
    assert "Aantal gemeenten" not in apps
    government = page(world, GEM, url).content.decode()
    assert "Aantal gemeenten" in section(government, "applicaties")


def test_referentiecomponent_applications_are_paged(access_world, standards, monkeypatch):
    from plugins.catalogus.site import detail

    world = access_world
    lev2 = actor_for(world, LEV2)
    services.update_object(
        Object.objects.get(pk=world.objects["lev2_module"].pk),
        {"referentieComponenten": [str(standards.component.uuid)]},
        actor=lev2,
        partial=True,
    )
    monkeypatch.setattr(detail, "APPLICATIONS_PER_PAGE", 1)
    url = f"/referentiecomponenten/{standards.component.uuid}"
    first = section(page(world, ANON, url).content.decode(), "applicaties")
    second = section(page(world, ANON, url + "?pagina=2").content.decode(), "applicaties")
    assert "(2)" in first and "Pagina 1 van 2" in first
    assert "Burgerzaken Pro" in first and "Zaakwijzer" not in first  # sorted by name
    assert "Zaakwijzer" in second and "Burgerzaken Pro" not in second


# --- /koppelingen/<uuid> -------------------------------------------------------------------


def test_template_koppeling_is_public(access_world):
    world = access_world
    response = page(world, ANON, f"/koppelingen/{world.uuid('lev_koppeling')}")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="applicatie-a"><a [^>]*>Zaakwijzer</a>', html)
    assert 'id="voorziening">DigiD<' in html
    assert 'id="richting">A → B<' in html
    assert 'id="type">API<' in html
    assert "Sjabloon van de leverancier" in html


@pytest.mark.parametrize("label,status", [(ANON, 404), (LEV, 404), (LEV2, 404), (GEM, 200)])
def test_gemeente_koppeling_only_for_government(access_world, label, status):
    world = access_world
    response = page(world, label, f"/koppelingen/{world.uuid('gem_koppeling')}")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Zaakwijzer" in html and "Burgerzaken Pro" in html
        assert 'id="richting">A ↔ B<' in html
        assert 'id="eigenaar">Utrecht<' in html


def test_koppeling_to_invisible_application_shows_placeholder(access_world):
    world = access_world
    lev = actor_for(world, LEV)
    koppeling = write(
        "catalogus/koppeling",
        {
            "moduleA": world.uuid("lev_module"),
            "moduleB": world.uuid("lev_concept_module"),
            "standaardversies": [world.uuid("stuf")],
            "status": "in gebruik",
            "gegevensuitwisselingRichting": "AnaarB",
        },
        lev,
    )
    html = page(world, ANON, f"/koppelingen/{koppeling.uuid}").content.decode()
    assert 'id="applicatie-b">Onbekende applicatie' in html
    assert world.uuid("lev_concept_module") not in html
    assert "None" not in html and "null" not in html
    assert 'id="standaardversies">StUF-ZKN 3.10<' in html
    assert 'id="status">In gebruik<' in html


# --- helpers -------------------------------------------------------------------------------


def register_reads(captured) -> int:
    """Queries that read register objects (core_object), as the catalogue pages make them."""
    return sum('FROM "core_object' in q["sql"] for q in captured.captured_queries)


def section(html: str, anchor: str) -> str:
    """The HTML of the <section id=anchor> (up to its closing tag)."""
    found = re.search(rf'<section[^>]*id="{anchor}".*?</section>', html, re.S)
    assert found, f"geen sectie {anchor}"
    return found.group(0)


def row(html: str, obj: Object) -> str:
    found = re.search(rf'<tr[^>]*id="standaardversie-{obj.uuid}".*?</tr>', html, re.S)
    assert found, f"geen rij voor {obj.title}"
    return found.group(0)
