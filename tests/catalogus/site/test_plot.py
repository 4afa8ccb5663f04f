"""7.3 (#68): the landscape plotted on a GEMMA view: the list of views, the SVG with the
applications per referentiecomponent and the gaps, the table alternative, the filter, the
SVG download, access and escaping. The GEMMA view is built here, through core.services as
the system actor (as the import writes it), on top of the shared access world."""

from __future__ import annotations

import re
import time

import pytest
from lxml import etree, html

from core import services
from core.actors import Actor
from core.constants import ObjectStatus
from core.models import Object
from core.register import catalog
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def client_for(world, org_key: str, role: str):
    return logged_in(member(world.orgs[org_key], role).user)


def as_system(world, schema: str, data: dict) -> Object:
    return services.create_object(
        catalog.by_key(schema),
        data,
        actor=Actor.for_system(),
        status=ObjectStatus.GEPUBLICEERD,
        organisation=world.orgs["vng"],
    )


def change(obj: Object, data: dict) -> Object:
    fresh = Object.objects.get(pk=obj.pk)
    return services.update_object(fresh, data, actor=Actor.for_system(), partial=True)


def view_data(naam: str, knopen: list[dict], verbindingen=(), **extra) -> dict:
    return {
        "naam": naam,
        "objectId": naam.lower().replace(" ", "-"),
        "publiceren": "Softwarecatalogus en GEMMA Online",
        "softwarecatalogus": True,
        "knopen": knopen,
        "verbindingen": list(verbindingen),
        **extra,
    }


def node(id_, x, y, w=220, h=80, **extra) -> dict:
    return {"id": id_, "x": x, "y": y, "breedte": w, "hoogte": h, **extra}


@pytest.fixture
def plotted(access_world):
    """Two referentiecomponenten in a group on one view, with a connection between them;
    Utrecht's Zaakwijzer is used for the Zaakregistratiecomponent only."""
    world = access_world
    zaak = as_system(
        world,
        "gemma/referentiecomponent",
        {"naam": "Zaakregistratiecomponent", "objectId": "rc-zaak", "identificatie": "id-rc-zaak"},
    )
    archief = as_system(
        world,
        "gemma/referentiecomponent",
        {"naam": "Archiefcomponent", "objectId": "rc-archief", "identificatie": "id-rc-archief"},
    )
    view = as_system(
        world,
        "gemma/view",
        view_data(
            "ZA01 Zaakgericht werken met referentiecomponenten",
            [
                node("n-groep", 0, 0, 600, 200, type="Label", label="Zaakgericht werken"),
                node("n-zaak", 20, 60, ouder="n-groep", element="id-rc-zaak", objectId="rc-zaak"),
                node("n-archief", 320, 60, ouder="n-groep", element="id-x", objectId="rc-archief"),
            ],
            [{"id": "c-1", "type": "Relationship", "bron": "n-zaak", "doel": "n-archief"}],
            titelViewSwc="Zaakgericht werken",
            beschrijving="Toont de componenten voor zaakgericht werken.",
        ),
    )
    change(world.objects["gem_gebruik"], {"gebruiktVoorReferentiecomponenten": [str(zaak.uuid)]})
    return {"view": view, "zaak": zaak, "archief": archief}


@pytest.fixture
def gem(access_world):
    return client_for(access_world, "gemeente", "gebruik-beheerder")


def plot_url(plotted, suffix="") -> str:
    return f"/mijn-landschap/views/{plotted['view'].uuid}{suffix}"


def svg_of(page: str):
    """The inline SVG of the page as an XML tree (it must be well-formed on its own)."""
    markup = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    return etree.fromstring(markup.encode())


def component_group(svg, component: Object):
    found = svg.findall(f".//{SVG}g[@data-referentiecomponent='{component.uuid}']")
    assert len(found) == 1
    return found[0]


def texts(element) -> list[str]:
    return [t.text for t in element.iter(f"{SVG}text")]


def table_row(page: str, component: Object):
    return html.fromstring(page).get_element_by_id(f"component-{component.uuid}")


# --- the list of views --------------------------------------------------------------------


def test_views_lists_catalogue_views_by_title_and_keeps_the_filter(access_world, plotted, gem):
    hidden = as_system(
        access_world,
        "gemma/view",
        view_data("Intern overzicht", [], publiceren="GEMMA Online", softwarecatalogus=False),
    )
    withdrawn = as_system(access_world, "gemma/view", view_data("Oude plaat", [], ingetrokken=True))
    other = as_system(access_world, "gemma/view", view_data("Archivering (A)", []))
    response = gem.get("/mijn-landschap/views?herkomst=eigen")
    assert response.status_code == 200
    page = response.content.decode()
    items = html.fromstring(page).get_element_by_id("view-lijst").findall(".//li")
    links = [li.find("a") for li in items]
    assert [a.text for a in links] == ["Archivering (A)", "Zaakgericht werken"]
    assert links[1].get("href") == f"{plot_url(plotted)}?herkomst=eigen"
    assert links[0].get("href") == f"/mijn-landschap/views/{other.uuid}?herkomst=eigen"
    assert "GEMMA-view: ZA01 Zaakgericht werken met referentiecomponenten" in page
    assert str(hidden.uuid) not in page and str(withdrawn.uuid) not in page
    assert gem.get(f"/mijn-landschap/views/{hidden.uuid}").status_code == 404
    # A bookmarked view that left GEMMA still draws, with a notice.
    old = gem.get(f"/mijn-landschap/views/{withdrawn.uuid}")
    assert old.status_code == 200 and 'id="ingetrokken"' in old.content.decode()


def test_invalid_filter_is_refused_in_dutch(plotted, gem):
    response = gem.get("/mijn-landschap/views?status=verzonnen")
    assert response.status_code == 400
    assert "Onbekende waarde" in response.content.decode()
    assert gem.get(plot_url(plotted, "?herkomst=iedereen")).status_code == 400
    download = gem.get(plot_url(plotted, ".svg?leverancier=geen-uuid"))
    assert download.status_code == 400 and "uuid" in download.content.decode()


# --- the plot -----------------------------------------------------------------------------


def test_component_lists_the_application_and_the_other_is_a_gap(access_world, plotted, gem):
    response = gem.get(plot_url(plotted))
    assert response.status_code == 200
    page = response.content.decode()
    svg = svg_of(page)
    # Named and described; not role="img", which would hide the application links inside.
    assert svg.get("role") == "graphics-document"
    assert svg.get("aria-labelledby") == "plot-titel"
    assert svg.get("aria-describedby") == "plot-beschrijving"
    assert svg.find(f"{SVG}title").text == "Zaakgericht werken: landschap van Utrecht"
    assert "1 met een applicatie" in svg.find(f"{SVG}desc").text
    assert svg.get("viewBox") == "-12 -12 624 224"  # the nodes' bounding box plus a margin

    zaak = component_group(svg, plotted["zaak"])
    assert "Zaakregistratiecomponent" in texts(zaak) and "▪ Zaakwijzer" in texts(zaak)
    link = zaak.find(f".//{SVG}a")
    assert link.get("href") == f"/mijn-landschap/gebruik/{access_world.uuid('gem_gebruik')}"
    assert "swc-plot__gap" not in zaak.get("class")

    archief = component_group(svg, plotted["archief"])
    assert "geen applicatie" in texts(archief)  # not colour only: hatched and in words
    assert archief.find(f"{SVG}rect").get("fill") == "url(#plot-gat)"
    assert "swc-plot__gap" in archief.get("class")
    assert archief.find(f".//{SVG}a") is None
    # Burgerzaken Pro (via Dimpact) names no referentiecomponent: it is on no node.
    assert "Burgerzaken Pro" not in " ".join(t for t in svg.itertext())

    groups = [g.get("class") for g in svg.iter(f"{SVG}g")]
    assert groups.index("swc-plot__node--label") < groups.index(
        "swc-plot__node--referentiecomponent"
    )  # the group is drawn before (under) its children
    assert "Zaakgericht werken" in texts(svg.find(f"{SVG}g[@class='swc-plot__node--label']"))
    line = svg.find(f".//{SVG}g[@class='swc-plot__lines']/{SVG}line")
    assert (line.get("x1"), line.get("x2"), line.get("y1")) == ("240", "320", "100")

    # The table alternative: every component with its applications, gaps in words.
    assert "Referentiecomponenten in deze view" in page
    row = table_row(page, plotted["zaak"])
    assert [a.text for a in row.findall(".//td//a")] == ["Zaakwijzer"]
    assert "Geen applicatie" in table_row(page, plotted["archief"]).text_content()
    assert "1 van 2 referentiecomponenten in deze view hebben een applicatie" in page
    assert "data-plot-controls hidden" in page  # zoom buttons only with JavaScript
    assert "catalogus/js/plot.js" in page
    assert f'href="{plot_url(plotted, ".svg")}"' in page


def test_without_a_choice_the_applications_own_components_count(access_world, plotted, gem):
    zaak, archief = str(plotted["zaak"].uuid), str(plotted["archief"].uuid)
    # Zaakwijzer implements both, but Utrecht chose the Zaakregistratiecomponent: that wins.
    change(access_world.objects["lev_module"], {"referentieComponenten": [zaak, archief]})
    # Burgerzaken Pro (Dimpact's gebruik, shared with Utrecht) has no choice: its own counts.
    change(access_world.objects["lev2_module"], {"referentieComponenten": [archief]})
    svg = svg_of(gem.get(plot_url(plotted)).content.decode())
    assert "▪ Zaakwijzer" in texts(component_group(svg, plotted["zaak"]))
    shown = texts(component_group(svg, plotted["archief"]))
    assert "▪ Burgerzaken Pro" in shown and "▪ Zaakwijzer" not in shown
    link = component_group(svg, plotted["archief"]).find(f".//{SVG}a")
    assert link.get("href") == f"/mijn-landschap/gebruik/{access_world.uuid('sam_gebruik')}"


def test_filter_narrows_the_plot_and_stays_in_the_links(access_world, plotted, gem):
    change(
        access_world.objects["lev2_module"],
        {"referentieComponenten": [str(plotted["archief"].uuid)]},
    )
    response = gem.get(plot_url(plotted, "?herkomst=samenwerking"))
    assert response.status_code == 200
    page = response.content.decode()
    svg = svg_of(page)
    assert "geen applicatie" in texts(component_group(svg, plotted["zaak"]))
    assert "▪ Burgerzaken Pro" in texts(component_group(svg, plotted["archief"]))
    assert 'id="filter-actief"' in page
    assert f'href="{plot_url(plotted, ".svg?herkomst=samenwerking")}"' in page
    assert 'href="/mijn-landschap?herkomst=samenwerking"' in page
    assert 'href="/mijn-landschap/views?herkomst=samenwerking"' in page
    unfiltered = gem.get(plot_url(plotted)).content.decode()
    assert 'id="filter-actief"' not in unfiltered


def test_many_applications_show_the_first_few_and_a_count(access_world, plotted, gem):
    lev = Actor.for_membership(member(access_world.orgs["leverancier"], "aanbod-beheerder"))
    beheerder = Actor.for_membership(member(access_world.orgs["gemeente"], "gebruik-beheerder"))
    for number in range(5):
        module = services.create_object(
            catalog.by_key("catalogus/module"),
            {
                "naam": f"Archiefpakket {number}",
                "aanbieder": str(access_world.orgs["leverancier"].uuid),
            },
            actor=lev,
            status=ObjectStatus.GEPUBLICEERD,
        )
        services.create_object(
            catalog.by_key("catalogus/gebruik"),
            {
                "afnemer": str(access_world.orgs["gemeente"].uuid),
                "module": str(module.uuid),
                "status": "In productie",
                "gebruiktVoorReferentiecomponenten": [str(plotted["archief"].uuid)],
            },
            actor=beheerder,
            status=ObjectStatus.GEPUBLICEERD,
        )
    page = gem.get(plot_url(plotted)).content.decode()
    shown = texts(component_group(svg_of(page), plotted["archief"]))
    # A 220 × 80 node holds a one-line name and four lines: three applications and "+2".
    assert shown == [
        "Archiefcomponent",
        "▪ Archiefpakket 0",
        "▪ Archiefpakket 1",
        "▪ Archiefpakket 2",
        "+2 applicaties",
    ]
    row = table_row(page, plotted["archief"])
    assert len(row.findall(".//td//a")) == 5  # the table lists them all


def test_plot_query_count_does_not_grow(access_world, plotted, gem, django_assert_max_num_queries):
    gem.get(plot_url(plotted))  # warm the session and caches
    with django_assert_max_num_queries(30) as before:
        assert gem.get(plot_url(plotted)).status_code == 200
    knopen = list(plotted["view"].data["knopen"])
    for number in range(8):
        extra = as_system(
            access_world,
            "gemma/referentiecomponent",
            {"naam": f"Component {number}", "objectId": f"rc-{number}"},
        )
        knopen.append(node(f"n-{number}", 700 + number * 240, 60, objectId=f"rc-{number}"))
        if number % 2:
            gebruik = Object.objects.get(pk=access_world.objects["gem_gebruik"].pk)
            chosen = [*gebruik.data["gebruiktVoorReferentiecomponenten"], str(extra.uuid)]
            change(gebruik, {"gebruiktVoorReferentiecomponenten": chosen})
    change(plotted["view"], {"knopen": knopen})
    with django_assert_max_num_queries(30) as after:
        page = gem.get(plot_url(plotted)).content.decode()
    assert "Component 7" in page
    assert len(after.captured_queries) == len(before.captured_queries)


# --- the download -------------------------------------------------------------------------


def test_svg_download_is_a_standalone_well_formed_file(access_world, plotted, gem):
    response = gem.get(plot_url(plotted, ".svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        response["Content-Disposition"] == 'attachment; filename="utrecht-zaakgericht-werken.svg"'
    )
    body = response.content
    assert body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    svg = etree.fromstring(body)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"  # no links in the file
    assert svg.get("aria-labelledby") == "plot-titel"
    assert svg.find(f"{SVG}style") is not None
    words = " ".join(svg.itertext())
    for expected in (
        "Zaakregistratiecomponent",
        "Zaakwijzer",
        "Archiefcomponent",
        "geen applicatie",
    ):
        assert expected in words
    assert "landschap van Utrecht" in words  # the legend names the view and the organisation
    # No links or other references out of the file; only the hatch pattern inside it.
    refs = [v for el in svg.iter() for k, v in el.attrib.items() if "href" in k or "url(" in v]
    assert refs and set(refs) == {"url(#plot-gat)"}
    filtered = etree.fromstring(gem.get(plot_url(plotted, ".svg?herkomst=samenwerking")).content)
    assert "Zaakwijzer" not in " ".join(filtered.itertext())
    assert "(gefilterd)" in " ".join(filtered.itertext())


# --- access and escaping ------------------------------------------------------------------


def test_anonymous_visitors_log_in_first(client, plotted):
    for url in ("/mijn-landschap/views", plot_url(plotted), plot_url(plotted, ".svg")):
        response = client.get(url)
        assert response.status_code == 302 and "inloggen" in response["Location"]


@pytest.mark.parametrize(
    "org_key,role", [("leverancier", "aanbod-beheerder"), ("vng", "vng-raadpleger")]
)
def test_suppliers_and_vng_get_a_404(access_world, plotted, org_key, role):
    client = client_for(access_world, org_key, role)
    for url in ("/mijn-landschap/views", plot_url(plotted), plot_url(plotted, ".svg")):
        assert client.get(url).status_code == 404


def test_raadpleger_and_samenwerking_see_their_own_landscape(access_world, plotted):
    raadpleger = client_for(access_world, "gemeente", "gebruik-raadpleger")
    svg = svg_of(raadpleger.get(plot_url(plotted)).content.decode())
    assert "▪ Zaakwijzer" in texts(component_group(svg, plotted["zaak"]))
    assert raadpleger.get(plot_url(plotted, ".svg")).status_code == 200
    # Dimpact's landscape is its own: Utrecht's Zaakwijzer is not on it.
    dimpact = client_for(access_world, "samenwerking", "gebruik-beheerder")
    svg = svg_of(dimpact.get(plot_url(plotted)).content.decode())
    assert "geen applicatie" in texts(component_group(svg, plotted["zaak"]))


def test_unknown_and_malformed_views_are_404(plotted, gem):
    assert gem.get("/mijn-landschap/views/geen-uuid").status_code == 404
    assert gem.get("/mijn-landschap/views/geen-uuid.svg").status_code == 404
    missing = "/mijn-landschap/views/00000000-0000-4000-8000-000000000000"
    assert gem.get(missing).status_code == 404
    # A referentiecomponent is not a view.
    assert gem.get(f"/mijn-landschap/views/{plotted['zaak'].uuid}").status_code == 404


def test_gemma_text_is_data_never_markup(access_world, plotted, gem):
    evil = '<script>alert("x")</script>"><img src=x onerror=alert(1)>\x07&amp;'
    change(plotted["archief"], {"naam": evil})
    knopen = [dict(n) for n in plotted["view"].data["knopen"]]
    knopen[0]["label"] = "</svg><script>alert(2)</script>"
    change(plotted["view"], {"knopen": knopen, "titelViewSwc": "<b>Vet</b>"})
    response = gem.get(plot_url(plotted))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Vet" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)" in page or '&lt;script&gt;alert("x")' in page
    svg = svg_of(page)  # still one well-formed SVG
    assert "</svg><script>alert(2)</script>" in texts(svg)
    shown = texts(component_group(svg, plotted["archief"]))
    assert any(line.startswith('<script>alert("x")') for line in shown)
    assert not re.search(r"[\x00-\x08]", "".join(shown))
    download = gem.get(plot_url(plotted, ".svg"))
    assert etree.fromstring(download.content).find(f"{SVG}title").text.startswith("<b>Vet</b>")


# --- the bundled GEMMA release ------------------------------------------------------------


def test_every_catalogue_view_of_the_bundled_release_renders(access_world, gem):
    """The 20 Softwarecatalogus views of the release we ship, with their components."""
    from pathlib import Path

    from plugins.ameff_export import xml as ameff
    from plugins.ameff_export.importer import import_release, read_release

    started = time.monotonic()
    bundled = Path(ameff.__file__).parent / "data" / "GEMMA_2026-06-30.xml.gz"
    content = bundled.read_bytes()
    release = read_release(ameff.parse(content))
    release.items = [
        item
        for item in release.items
        if item.schema in ("gemma/referentiecomponent", "gemma/voorziening")
        or (item.schema == "gemma/view" and item.data.get("softwarecatalogus"))
    ]
    import_release(release, xml=ameff.decompress(content), packed=content)
    views = html.fromstring(gem.get("/mijn-landschap/views").content).get_element_by_id(
        "view-lijst"
    )
    links = [a.get("href") for a in views.iter("a")]
    assert len(links) == 20
    for href in links:
        response = gem.get(href)
        assert response.status_code == 200, href
        svg = svg_of(response.content.decode())
        assert svg.findall(f".//{SVG}g[@data-referentiecomponent]"), href
        assert (
            gem.get(href.replace("?", ".svg?") if "?" in href else href + ".svg").status_code == 200
        )
    assert time.monotonic() - started < 15


def test_names_wrap_at_spaces_and_hyphens_and_end_in_an_ellipsis():
    from plugins.catalogus.site.landscape.plot import wrap

    width = 220 - 2 * 6  # a GEMMA component node less its padding
    assert wrap("Producten-en-dienstencataloguscomponent", width, 12, 2) == [
        "Producten-en-",
        "dienstencataloguscomponent",
    ]
    assert wrap("Bestuurlijk activiteiten bewakingcomponent van de gemeente", width, 12, 2) == [
        "Bestuurlijk activiteiten",
        "bewakingcomponent van de ge…",
    ]
    assert wrap("Zaak\x00registratie\x1fcomponent", width, 12, 1) == ["Zaakregistratiecomponent"]
