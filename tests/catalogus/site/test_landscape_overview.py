"""/mijn-landschap as a sortable, filtered, paginated table with saved filters (issue 6,
klantreis gemeente 7.1–7.2), on the shared access world (tests/catalogus/conftest.py).

Utrecht's landscape there: Zaakwijzer (Acme, own, 4.2, on-premises, In productie) and
Burgerzaken Pro (Beta, shared by Dimpact). The `landscape` fixture adds GEMMA
referentiecomponenten and a koppeling to DigiD so that every filter has something to find."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from core import services
from core.actors import Actor
from core.plugins import bundle_exporters
from core.register import catalog
from plugins.catalogus.models import SavedFilter
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db

URL = "/mijn-landschap"
FILTERS = "/mijn-landschap/filters"


def actor(world, org_key, role):
    return Actor.for_membership(member(world.orgs[org_key], role))


def client_for(world, org_key="gemeente", role="gebruik-beheerder", email=None):
    return logged_in(member(world.orgs[org_key], role, email=email).user)


def create(key, data, by, **kwargs):
    return services.create_object(
        catalog.by_key(key), data, actor=by, status="gepubliceerd", **kwargs
    )


def gemma(world, naam, key="gemma/referentiecomponent"):
    vng = world.orgs["vng"]
    return create(key, {"naam": naam, "objectId": naam}, Actor.for_system(), organisation=vng)


@pytest.fixture
def landscape(access_world):
    """Referentiecomponenten: Utrecht states Zaakregistratie for its Zaakwijzer (so the
    application's own "Documentbeheer" does not count), Burgerzaken Pro implements
    Burgerzaken; and Utrecht links Zaakwijzer to the voorziening DigiD."""
    w = access_world
    zaak, burger, document = (
        gemma(w, naam)
        for naam in ("Zaakregistratiecomponent", "Burgerzakencomponent", "Documentbeheer")
    )
    services.update_object(
        w.objects["gem_gebruik"],
        {"gebruiktVoorReferentiecomponenten": [str(zaak.uuid)]},
        actor=actor(w, "gemeente", "gebruik-beheerder"),
        partial=True,
    )
    services.update_object(
        w.objects["lev_module"],
        {"referentieComponenten": [str(document.uuid)]},
        actor=actor(w, "leverancier", "aanbod-beheerder"),
        partial=True,
    )
    services.update_object(
        w.objects["lev2_module"],
        {"referentieComponenten": [str(burger.uuid)]},
        actor=actor(w, "leverancier2", "aanbod-beheerder"),
        partial=True,
    )
    digid_link = create(
        "catalogus/koppeling",
        {
            "moduleA": w.uuid("lev_module"),
            "buitengemeentelijkVoorziening": w.uuid("digid"),
            "gegevensuitwisselingRichting": "AnaarB",
            "status": "in gebruik",
        },
        actor(w, "gemeente", "gebruik-beheerder"),
        organisation=w.orgs["gemeente"],
    )
    return SimpleNamespace(
        zaak=str(zaak.uuid),
        burger=str(burger.uuid),
        document=str(document.uuid),
        digid=w.uuid("digid"),
        digid_link=str(digid_link.uuid),
        acme=str(w.orgs["leverancier"].uuid),
        beta=str(w.orgs["leverancier2"].uuid),
        own=w.uuid("gem_gebruik"),
        shared=w.uuid("sam_gebruik"),
        client=client_for(w),
    )


def rows(response) -> list[str]:
    """The gebruik uuids of the applications table, in order."""
    return re.findall(r'id="gebruik-([0-9a-f-]{36})"', response.content.decode())


def koppelingen(response) -> list[str]:
    return re.findall(r'id="koppeling-([0-9a-f-]{36})"', response.content.decode())


def fieldset(page: str, key: str) -> str:
    return page.split(f'id="filter-{key}"')[1].split("</fieldset>")[0]


def options(page: str, key: str) -> dict[str, str]:
    """value → label text (with its count) of one filter's options."""
    found = re.findall(
        rf'name="{key}" value="([^"]*)"[^>]*>\s*<label[^>]*>([^<]*<span[^>]*>[^<]*)',
        fieldset(page, key),
    )
    return {value: re.sub(r"<[^>]+>", "", label).strip() for value, label in found}


# --- each filter, through the page -------------------------------------------------------


def test_unfiltered_lists_both_by_name_with_totals(landscape):
    response = landscape.client.get(URL)
    assert response.status_code == 200
    assert rows(response) == [landscape.shared, landscape.own]  # Burgerzaken, Zaakwijzer
    page = response.content.decode()
    assert ">2 applicaties<" in page
    assert "pagina 1 van" not in page  # one page: no page count, no page links
    assert 'class="swc-pagination"' not in page
    assert "Actieve filters" not in page


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"status": "In productie"}, ["shared", "own"]),
        ({"status": "Gepland"}, []),
        ({"hosting": "On-premises (self-managed)"}, ["shared", "own"]),
        ({"hosting": "SaaS"}, []),
        ({"herkomst": "eigen"}, ["own"]),
        ({"herkomst": "samenwerking"}, ["shared"]),
        ({"zoek": "zaakw"}, ["own"]),
        ({"zoek": "beta"}, ["shared"]),  # the supplier's name
        ({"leverancier": "@acme"}, ["own"]),
        ({"leverancier": "@beta"}, ["shared"]),
        ({"referentiecomponent": "@zaak"}, ["own"]),  # stated by the gebruik
        ({"referentiecomponent": "@burger"}, ["shared"]),  # from the application
        ({"referentiecomponent": "@document"}, []),  # the gebruik states another one
        ({"voorziening": "@digid"}, ["own"]),
    ],
)
def test_each_filter(landscape, query, expected):
    query = {k: getattr(landscape, v[1:]) if v[0] == "@" else v for k, v in query.items()}
    response = landscape.client.get(URL, query)
    assert response.status_code == 200
    assert rows(response) == [getattr(landscape, key) for key in expected]
    page = response.content.decode()
    assert 'id="actieve-filters"' in page and "Alle filters wissen" in page
    if not expected:
        assert "Geen applicaties in uw landschap voldoen aan dit filter." in page


def test_values_within_a_filter_add_up_and_filters_combine(landscape):
    client = landscape.client
    both = client.get(URL, {"leverancier": [landscape.acme, landscape.beta]})
    assert rows(both) == [landscape.shared, landscape.own]
    combined = client.get(URL, {"leverancier": landscape.beta, "herkomst": "eigen"})
    assert rows(combined) == []
    combined = client.get(
        URL, {"status": "In productie", "hosting": "On-premises (self-managed)", "zoek": "pro"}
    )
    assert rows(combined) == [landscape.shared]


def test_options_come_from_the_landscape_with_counts_under_the_other_filters(landscape):
    page = landscape.client.get(URL, {"herkomst": "eigen"}).content.decode()
    suppliers = options(page, "leverancier")
    # Only the suppliers in Utrecht's landscape, counted under herkomst=eigen.
    assert suppliers == {landscape.acme: "Acme Software (1)", landscape.beta: "Beta Systems (0)"}
    refcomps = options(page, "referentiecomponent")
    assert refcomps == {
        landscape.burger: "Burgerzakencomponent (0)",
        landscape.zaak: "Zaakregistratiecomponent (1)",
    }
    assert options(page, "voorziening") == {landscape.digid: "DigiD (1)"}
    # herkomst itself counts under the other filters (none): both rows
    assert options(page, "herkomst") == {
        "": "Alle (2)",
        "eigen": "Eigen gebruik (1)",
        "samenwerking": "Via een samenwerking (1)",
    }
    assert 'value="eigen" checked' in fieldset(page, "herkomst")
    statuses = options(page, "status")
    assert statuses["In productie"] == "In productie (1)" and statuses["Gepland"] == "Gepland (0)"
    assert options(page, "hosting")["On-premises (self-managed)"] == (
        "On-premises (zelf beheerd) (1)"
    )


def test_chips_remove_one_value_and_clear_keeps_the_sort(landscape):
    query = {"status": "In productie", "herkomst": "eigen", "sorteer": "-naam"}
    page = landscape.client.get(URL, query).content.decode()
    chips = page.split('id="actieve-filters"')[1].split("</ul>")[0]
    assert "Status: In productie" in chips and "Herkomst: Eigen gebruik" in chips
    assert 'href="/mijn-landschap?herkomst=eigen&amp;sorteer=-naam"' in chips
    assert 'href="/mijn-landschap?status=In+productie&amp;sorteer=-naam"' in chips
    assert 'id="filters-wissen" href="/mijn-landschap?sorteer=-naam"' in page
    # the form keeps the sort order when filters are applied
    assert '<input type="hidden" name="sorteer" value="-naam">' in page


def test_narrow_box_for_many_referentiecomponenten_only(landscape):
    page = landscape.client.get(URL).content.decode()
    assert "data-narrow-box" not in page  # two options: no box
    assert "catalogus/js/overview.js" in page


# --- sorting and pagination ---------------------------------------------------------------


def add_gebruik(world, module_key, status="Gepland", hosting=None):
    data = {"afnemer": str(world.orgs["gemeente"].uuid), "module": world.uuid(module_key)}
    data["status"] = status
    if hosting:
        data["cloudDienstverleningsmodel"] = hosting
    return create("catalogus/gebruik", data, actor(world, "gemeente", "gebruik-beheerder"))


@pytest.mark.parametrize(
    "sorteer,expected",
    [
        ("naam", ["shared", "own"]),
        ("-naam", ["own", "shared"]),
        ("leverancier", ["own", "shared"]),  # Acme, Beta
        ("-leverancier", ["shared", "own"]),
    ],
)
def test_sorting_both_ways(landscape, sorteer, expected):
    response = landscape.client.get(URL, {"sorteer": sorteer})
    assert rows(response) == [getattr(landscape, key) for key in expected]


def test_sort_by_status_and_hosting_and_headers(access_world, landscape):
    planned = str(add_gebruik(access_world, "gem_published_module", "Gepland").uuid)
    response = landscape.client.get(URL, {"sorteer": "status"})
    assert rows(response)[0] == planned  # Gepland before In productie
    response = landscape.client.get(URL, {"sorteer": "-status"})
    assert rows(response)[-1] == planned
    response = landscape.client.get(URL, {"sorteer": "hosting"})
    assert rows(response)[-1] == planned  # no hosting: last
    page = landscape.client.get(URL, {"sorteer": "leverancier", "herkomst": "eigen"})
    head = page.content.decode().split("<thead")[1].split("</thead>")[0]
    sorted_head = re.findall(r'<th scope="col"[^>]*aria-sort="([a-z]+)"[^>]*>(.*?)</th>', head)
    assert len(sorted_head) == 1
    direction, cell = sorted_head[0]
    assert direction == "ascending" and "Leverancier" in cell and "(oplopend)" in cell
    # the sorted column links to descending, the others to ascending; the filter is kept
    assert 'href="/mijn-landschap?herkomst=eigen&amp;sorteer=-leverancier"' in head
    assert 'href="/mijn-landschap?herkomst=eigen"' in head  # naam, the default order
    descending = landscape.client.get(URL, {"sorteer": "-naam"}).content.decode()
    assert 'aria-sort="descending"' in descending and "(aflopend)" in descending


def test_pagination_adds_up_to_the_total(access_world, landscape):
    for _ in range(53):  # 2 + 53 = 55 rows: 50 on page 1, 5 on page 2
        add_gebruik(access_world, "gem_published_module", "Gepland")
    client = landscape.client
    first = client.get(URL, {"status": "Gepland"})
    page = first.content.decode()
    assert ">53 applicaties · pagina 1 van 2<" in page
    assert len(rows(first)) == 50
    second = client.get(URL, {"status": "Gepland", "pagina": "2"})
    assert len(rows(second)) == 3 and ">53 applicaties · pagina 2 van 2<" in second.content.decode()
    assert not set(rows(first)) & set(rows(second))
    nav = page.split('aria-label="Paginering applicaties"')[1].split("</nav>")[0]
    assert 'href="/mijn-landschap?status=Gepland&amp;pagina=2"' in nav and 'rel="next"' in nav
    everything = client.get(URL)
    assert ">55 applicaties · pagina 1 van 2<" in everything.content.decode()
    all_rows = rows(everything) + rows(client.get(URL, {"pagina": "2"}))
    assert len(all_rows) == len(set(all_rows)) == 55
    # a page that does not exist: the last one; not a number: the first
    assert rows(client.get(URL, {"pagina": "99"})) == rows(client.get(URL, {"pagina": "2"}))
    assert rows(client.get(URL, {"pagina": "abc"})) == rows(everything)
    assert client.get(URL, {"pagina": "-1"}).status_code == 200


# --- invalid filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,message",
    [
        ({"status": "Kapot"}, "Onbekende waarde &#x27;Kapot&#x27; voor filter status"),
        ({"leverancier": "acme"}, "Filter leverancier verwacht een uuid"),
        (
            {"herkomst": "elders"},
            "Filter herkomst is &#x27;eigen&#x27; of &#x27;samenwerking&#x27;",
        ),
        ({"sorteer": "prijs"}, "Sorteren kan op"),
    ],
)
def test_invalid_filter_is_400_with_message_and_whole_landscape(landscape, query, message):
    response = landscape.client.get(URL, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="filterfout"' in page and message in page
    assert rows(response) == [landscape.shared, landscape.own]


# --- koppelingen follow the filter --------------------------------------------------------


def test_koppelingen_section_follows_the_filter(access_world, landscape):
    both = koppelingen(landscape.client.get(URL))
    assert set(both) == {access_world.uuid("gem_koppeling"), landscape.digid_link}
    beta = landscape.client.get(URL, {"leverancier": landscape.beta})
    assert koppelingen(beta) == [access_world.uuid("gem_koppeling")]  # touches Burgerzaken
    assert "Alleen de koppelingen van de applicaties" in beta.content.decode()
    none = landscape.client.get(URL, {"status": "Gepland"})
    assert koppelingen(none) == []
    assert "Geen koppelingen bij de applicaties die aan dit filter voldoen." in (
        none.content.decode()
    )
    # the count column counts the application's koppelingen in the whole landscape
    own_row = (
        landscape.client.get(URL, {"herkomst": "eigen"})
        .content.decode()
        .split(f'id="gebruik-{landscape.own}"')[1]
        .split("</tr>")[0]
    )
    assert [c.split("</td>")[0] for c in own_row.split('--numeric">')[1:]] == ["2", "1"]


# --- links: exports, views, import --------------------------------------------------------


def test_export_and_view_links_carry_the_filter(landscape):
    query = {"herkomst": "eigen", "status": "In productie"}
    page = landscape.client.get(URL, query).content.decode()
    canonical = urlencode([("status", "In productie"), ("herkomst", "eigen")])
    assert f'href="{escape("/mijn-landschap/views?" + canonical)}"' in page
    assert "Bekijk op GEMMA-views" in page
    assert 'href="/mijn-landschap/importeren"' in page  # a gebruik-beheerder imports
    assert 'href="/gemma/model.xml"' in page  # the model the AMEFF export refers to
    for kind in ("landschap", "koppelingen"):
        for slug in bundle_exporters(kind):
            url = "/mijn-landschap/export?" + urlencode({"formaat": slug, "soort": kind})
            assert f'href="{escape(url + "&" + canonical)}"' in page, (kind, slug)


# --- access -------------------------------------------------------------------------------


def test_raadpleger_reads_filters_and_saves_but_does_not_import(access_world, landscape):
    client = client_for(access_world, role="gebruik-raadpleger")
    response = client.get(URL, {"herkomst": "eigen"})
    assert response.status_code == 200 and rows(response) == [landscape.own]
    page = response.content.decode()
    assert "Importeren uit Excel/CSV" not in page and "Een applicatie toevoegen" not in page
    assert "Filter bewaren" in page
    response = client.post(FILTERS, {"naam": "Eigen", "query": "herkomst=eigen"})
    assert response.status_code == 302
    assert SavedFilter.objects.filter(naam="Eigen", user__email__startswith="gebruik-raad").exists()


@pytest.mark.parametrize(
    "org_key,role", [("leverancier", "aanbod-beheerder"), ("vng", "vng-raadpleger")]
)
def test_no_landscape_or_saved_filters_for_suppliers_and_vng(access_world, org_key, role):
    client = client_for(access_world, org_key, role)
    assert client.get(URL, {"herkomst": "eigen"}).status_code == 404
    assert client.post(FILTERS, {"naam": "X", "query": "herkomst=eigen"}).status_code == 404
    assert not SavedFilter.objects.exists()


def test_anonymous_is_sent_to_login(client, access_world):
    for response in (
        client.get(URL, {"status": "In productie"}),
        client.post(FILTERS, {"naam": "X", "query": "herkomst=eigen"}),
    ):
        assert response.status_code == 302 and "inloggen" in response["Location"]
    assert not SavedFilter.objects.exists()


def test_other_gemeente_sees_its_own_landscape_only(access_world, landscape):
    den_haag = client_for(access_world, "gemeente2")
    response = den_haag.get(URL, {"leverancier": landscape.acme})
    assert response.status_code == 200 and rows(response) == []
    page = response.content.decode()
    table = page.split('id="applicaties"')[1]  # Acme's proposal is listed above it
    assert koppelingen(response) == [] and "Zaakwijzer" not in table
    assert options(page, "leverancier") == {landscape.acme: "Acme Software (0)"}  # chosen only


# --- saved filters ------------------------------------------------------------------------


def test_save_filter_canonical_listed_and_opened(access_world, landscape):
    client = landscape.client
    query = f"herkomst=eigen&status=In+productie&leverancier={landscape.acme}&pagina=3"
    response = client.post(FILTERS, {"actie": "bewaren", "naam": " Eigen Acme ", "query": query})
    canonical = f"status=In+productie&leverancier={landscape.acme}&herkomst=eigen"
    assert response.status_code == 302 and response["Location"] == f"{URL}?{canonical}"
    saved = SavedFilter.objects.get()
    assert (saved.naam, saved.query) == ("Eigen Acme", canonical)
    assert saved.organisation == access_world.orgs["gemeente"]
    page = client.get(URL, {"herkomst": "eigen"}).content.decode()
    listed = page.split('id="bewaarde-filters"')[1].split("</section>")[0]
    assert f'href="{URL}?{canonical.replace("&", "&amp;")}"' in listed and "Eigen Acme" in listed
    opened = client.get(f"{URL}?{canonical}")
    assert rows(opened) == [landscape.own]
    assert 'aria-current="true"' in opened.content.decode()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"naam": "", "query": "herkomst=eigen"}, "Geef het filter een naam."),
        ({"naam": "x" * 101, "query": "herkomst=eigen"}, "ten hoogste 100 tekens"),
        ({"naam": "Leeg", "query": ""}, "Kies eerst een of meer filters om te bewaren."),
        ({"naam": "Fout", "query": "status=Kapot"}, "Onbekende waarde"),
        (
            {
                "naam": "Lang",
                "query": "&".join(
                    f"referentiecomponent=00000000-0000-4000-8000-{i:012d}" for i in range(80)
                ),
            },
            "Dit filter is te lang om te bewaren",
        ),
    ],
)
def test_save_filter_validation(landscape, data, message):
    response = landscape.client.post(FILTERS, {"actie": "bewaren", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="bewaarfout"' in page and message in page
    assert not SavedFilter.objects.exists()


def test_duplicate_name_is_refused(landscape):
    client = landscape.client
    client.post(FILTERS, {"naam": "Eigen", "query": "herkomst=eigen"})
    response = client.post(FILTERS, {"naam": "eigen", "query": "status=Gepland"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "U heeft al een filter met de naam ‘eigen’" in page
    assert 'value="eigen"' in page  # the name typed stays in the field
    assert SavedFilter.objects.count() == 1
    # the page behind the message is the filter that was being saved
    assert rows(response) == []  # status=Gepland


def test_at_most_fifty_saved_filters(access_world, landscape):
    landscape.client.post(FILTERS, {"naam": "Eerste", "query": "herkomst=eigen"})
    first = SavedFilter.objects.get()
    SavedFilter.objects.bulk_create(
        SavedFilter(user=first.user, organisation=first.organisation, naam=f"F{i}", query="")
        for i in range(49)
    )
    response = landscape.client.post(FILTERS, {"naam": "Nog een", "query": "herkomst=eigen"})
    assert response.status_code == 400
    assert "U kunt ten hoogste 50 filters bewaren" in response.content.decode()
    assert SavedFilter.objects.count() == 50


def test_saved_filters_are_per_user_and_organisation(access_world, landscape):
    landscape.client.post(FILTERS, {"naam": "Van mij", "query": "herkomst=eigen"})
    mine = SavedFilter.objects.get()
    SavedFilter.objects.create(
        user=mine.user, organisation=access_world.orgs["samenwerking"], naam="Elders", query=""
    )
    colleague = client_for(access_world, email="collega@utrecht.example.nl")
    page = colleague.get(URL).content.decode()
    assert "Van mij" not in page and "U heeft nog geen filters bewaard." in page
    # a colleague may use the same name, and cannot delete someone else's filter
    assert (
        colleague.post(FILTERS, {"naam": "Van mij", "query": "status=Gepland"}).status_code == 302
    )
    delete = {"actie": "verwijderen", "filter": str(mine.pk)}
    assert colleague.post(FILTERS, delete).status_code == 404
    assert SavedFilter.objects.filter(pk=mine.pk).exists()
    own_page = landscape.client.get(URL).content.decode()
    assert "Van mij" in own_page and "Elders" not in own_page  # another organisation's


def test_delete_saved_filter_keeps_the_current_filter(landscape):
    client = landscape.client
    client.post(FILTERS, {"naam": "Weg", "query": "herkomst=eigen"})
    saved = SavedFilter.objects.get()
    page = client.get(URL, {"herkomst": "eigen"}).content.decode()
    assert f'name="filter" value="{saved.pk}"' in page
    response = client.post(
        FILTERS, {"actie": "verwijderen", "filter": str(saved.pk), "query": "herkomst=eigen"}
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}?herkomst=eigen"
    assert not SavedFilter.objects.exists()
    for wrong in ("abc", "9" * 30):
        assert client.post(FILTERS, {"actie": "verwijderen", "filter": wrong}).status_code == 404
    assert client.get(FILTERS).status_code == 405


def test_saving_needs_the_csrf_token(landscape):
    landscape.client.handler.enforce_csrf_checks = True
    response = landscape.client.post(FILTERS, {"naam": "X", "query": "herkomst=eigen"})
    assert response.status_code == 403
    assert not SavedFilter.objects.exists()


# --- speed --------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_landscape(access_world, landscape):
    """3 rows or 60 (two pages), many suppliers' and referentiecomponenten options: the same
    number of queries, with and without an active filter."""
    w = access_world
    utrecht = str(w.orgs["gemeente"].uuid)
    gem = actor(w, "gemeente", "gebruik-beheerder")
    suppliers = {key: actor(w, key, "aanbod-beheerder") for key in ("leverancier", "leverancier2")}
    add_gebruik(w, "gem_published_module", "In productie")
    query = {"status": ["In productie", "Gepland"], "herkomst": "eigen"}
    client = landscape.client

    def count(params) -> int:
        client.get(URL, params)  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params)
        assert response.status_code == 200
        return len(queries.captured_queries)

    small = {"all": count({}), "filtered": count(query)}
    for i in range(20):
        refcomp = gemma(w, f"Component {i:02}")
        supplier = "leverancier" if i % 2 else "leverancier2"
        module = create(
            "catalogus/module",
            {
                "naam": f"Applicatie {i:02}",
                "aanbieder": str(w.orgs[supplier].uuid),
                "referentieComponenten": [str(refcomp.uuid)],
            },
            suppliers[supplier],
        )
        for status in ("In productie", "Gepland", "Gepland"):
            data = {"afnemer": utrecht, "module": str(module.uuid), "status": status}
            create("catalogus/gebruik", data, gem)
        create(
            "catalogus/koppeling",
            {
                "moduleA": str(module.uuid),
                "moduleB": w.uuid("lev_module"),
                "gegevensuitwisselingRichting": "AnaarB",
            },
            gem,
            organisation=w.orgs["gemeente"],
        )
    big = {"all": count({}), "filtered": count(query)}
    page = client.get(URL).content.decode()
    assert ">63 applicaties · pagina 1 van 2<" in page
    assert len(options(page, "referentiecomponent")) == 22
    assert "data-narrow-box hidden" in page  # the type-to-filter box for long lists
    # +1: the schema cache checks for new versions at most once a second, whatever the page
    assert big["all"] <= small["all"] + 1, (small, big)
    assert big["filtered"] <= small["filtered"] + 1, (small, big)
