"""/vergelijken: up to four applications side by side, only what the actor may read (#31)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalogus.conftest import ANON, GEM, LEV
from tests.catalogus.site import test_detail
from tests.catalogus.site.test_detail import actor_for, client_for, page, register_reads, write

pytestmark = pytest.mark.django_db
standards = test_detail.standards  # the shared fixture


def url(*uuids) -> str:
    return "/vergelijken?" + "&".join(f"applicatie={u}" for u in uuids)


def header(html: str) -> str:
    return re.search(r"<thead.*?</thead>", html, re.S).group(0)


def row_cells(html: str, name: str) -> list[str]:
    found = re.search(
        rf'<th[^>]*scope="row">{re.escape(name)}(?:<span[^>]*>[^<]*</span>)?</th>(.*?)</tr>',
        html,
        re.S,
    )
    assert found, f"geen rij {name}"
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    ]


def test_empty_state_points_to_search(access_world):
    response = page(access_world, ANON, "/vergelijken")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="niets-te-vergelijken"' in html and 'href="/zoeken"' in html
    assert 'id="vergelijking"' not in html


def test_two_applications_for_anonymous(access_world):
    world = access_world
    a, b = world.uuid("lev_module"), world.uuid("lev2_module")
    html = page(world, ANON, url(a, b)).content.decode()
    head = header(html)
    assert "Zaakwijzer" in head and "Burgerzaken Pro" in head
    assert row_cells(html, "Aangeboden door") == ["Acme Software", "Beta Systems"]
    assert row_cells(html, "Hostingvorm") == [
        "SaaS, On-premises (zelf beheerd)",
        "On-premises (zelf beheerd)",
    ]
    assert row_cells(html, "Hostinglocatie") == ["Nederland", "—"]
    assert row_cells(html, "Versies")[0] in {"4.2, Cloud", "Cloud, 4.2"}
    # Usage counts are for government users only (#31).
    assert "Aantal gemeenten" not in html
    # Remove links keep the other application.
    assert f'href="/vergelijken?applicatie={b}"' in html
    assert f'href="/vergelijken?applicatie={a}"' in html


def test_government_sees_number_of_gemeenten(access_world):
    world = access_world
    html = page(
        world, GEM, url(world.uuid("lev_module"), world.uuid("lev2_module"))
    ).content.decode()
    assert row_cells(html, "Aantal gemeenten") == ["1", "1"]


def test_supplier_sees_no_counts(access_world):
    world = access_world
    html = page(world, LEV, url(world.uuid("lev_module"))).content.decode()
    assert "Aantal gemeenten" not in html


def test_invisible_and_unknown_are_skipped_with_message(access_world):
    world = access_world
    asked = url(world.uuid("lev_module"), world.uuid("lev_concept_module"), uuid.uuid4(), "kapot")
    html = page(world, ANON, asked).content.decode()
    assert "3 applicaties zijn niet gevonden of niet zichtbaar" in html
    assert "Zaakwijzer Next" not in html
    assert "Zaakwijzer" in header(html)


def test_more_than_four_shows_first_four(access_world):
    world = access_world
    lev = actor_for(world, LEV)
    extra = [
        str(
            write(
                "catalogus/module",
                {"naam": f"Extra {n}", "aanbieder": str(world.orgs["leverancier"].uuid)},
                lev,
            ).uuid
        )
        for n in range(4)
    ]
    html = page(world, ANON, url(world.uuid("lev_module"), *extra)).content.decode()
    assert "U kunt ten hoogste 4 applicaties vergelijken." in html
    head = header(html)
    assert head.count('scope="col"') == 4
    assert "Extra 2" in head and "Extra 3" not in head


def test_standards_support_across_the_union(access_world, standards):
    world = access_world
    html = page(
        world, ANON, url(world.uuid("lev_module"), world.uuid("lev2_module"))
    ).content.decode()
    assert row_cells(html, "StUF-ZKN 3.01")[0] == "Ondersteund"
    cells = row_cells(html, "NEN 2082:2008")
    assert cells == ["Niet ondersteund", "—niet opgegeven"]  # a dash, spoken as words
    assert '<span class="swc-support swc-support--nee">Niet ondersteund</span>' in html
    assert row_cells(html, "Referentiecomponenten") == ["Zaakregistratiecomponent", "—"]


def test_query_count_does_not_grow_with_applications(access_world, standards):
    world = access_world
    client = client_for(world, GEM)
    one = url(world.uuid("lev_module"))
    four = url(
        world.uuid("lev_module"),
        world.uuid("lev2_module"),
        world.uuid("gem_published_module"),
        world.uuid("gem_concept_module"),
    )
    client.get(one)
    with CaptureQueriesContext(connection) as few:
        client.get(one)
    with CaptureQueriesContext(connection) as many:
        response = client.get(four)
    assert header(response.content.decode()).count('scope="col"') == 4
    assert register_reads(many) == register_reads(few)
    assert len(many) <= 35
