"""The catalogue's four journeys of issue 5 in a real browser, with axe-core on every page.

Each journey clicks through the site as its user would (role and label selectors, so the
names screen readers hear are tested too) and checks what the register then holds. Only
serious and critical axe violations fail a journey (the issue's "Done means").
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from core.constants import Role
from core.models import Object
from core.register import catalog
from tests.browser.conftest import describe, log_in, run_axe
from tests.browser.test_site_browser import assert_styled
from tests.conftest import member

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def check_page(tab, axe_source) -> None:
    """The page is styled and axe finds no serious or critical WCAG 2.1 AA violation."""
    assert_styled(tab)
    violations = [v for v in run_axe(tab, axe_source) if v["impact"] in BLOCKING]
    assert not violations, f"{tab.url}\n{describe(violations)}"


def open_tab(browser, site):
    """Another user's browser: a context of its own, so sessions do not mix."""
    context = browser.new_context(locale="nl-NL", base_url=site.url)
    tab = context.new_page()
    tab.responses = []
    tab.on("response", lambda response: tab.responses.append(response))
    return tab


def next_step(tab, axe_source, title: str) -> None:
    """Press Volgende and land on the step called `title` (checked with axe)."""
    tab.get_by_role("button", name="Volgende").click()
    tab.wait_for_load_state()
    errors = tab.locator(".swc-error-summary, .utrecht-form-field-error-message")
    assert errors.count() == 0, f"{tab.url}: {errors.all_inner_texts()}"
    expect(tab.get_by_role("heading", level=2, name=title)).to_be_visible()
    check_page(tab, axe_source)


def schema(key: str):
    return catalog.by_key(key).schema


def gebruik_of(afnemer, module) -> Object | None:
    return Object.objects.filter(
        schema=schema("catalogus/gebruik"),
        data__afnemer=str(afnemer.uuid),
        data__module=str(module.uuid),
    ).first()


def test_gemeente_adds_an_application_and_a_koppeling_to_digid(page, site, axe_source):
    from tests.catalogus.conftest import build_world

    world = build_world()
    den_haag = world.orgs["gemeente2"]
    burgerzaken, digid = world.objects["lev2_module"], world.objects["digid"]
    log_in(page, site, member(den_haag, Role.GEBRUIK_BEHEERDER).user)

    page.goto("/mijn-landschap")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn landschap")
    check_page(page, axe_source)
    page.get_by_role("link", name="Een applicatie toevoegen").click()

    expect(page.get_by_role("heading", level=2, name="Toevoegen applicatie")).to_be_visible()
    check_page(page, axe_source)
    search = page.get_by_role("search", name="Applicatie zoeken")
    search.get_by_label("Naam van de applicatie of leverancier").fill("Burgerzaken")
    search.get_by_role("button", name="Zoeken").click()
    page.get_by_role("radio", name=re.compile("Burgerzaken Pro")).check()
    check_page(page, axe_source)
    next_step(page, axe_source, "Gebruiksinformatie")
    # Burgerzaken Pro is only offered on-premises: that hosting is chosen already
    expect(page.get_by_role("radio", name="On-premises (zelf beheerd)")).to_be_checked()
    next_step(page, axe_source, "Koppel de applicatie aan referentiecomponenten")
    next_step(page, axe_source, "Controleer uw gegevens")
    expect(page.locator(".swc-review").first).to_contain_text("Burgerzaken Pro")
    page.get_by_role("button", name="Gebruik registreren").click()

    expect(page).to_have_url(re.compile(r"/mijn-landschap$"))
    expect(page.get_by_role("status")).to_contain_text("Gebruik succesvol geregistreerd!")
    applications = page.locator("#applicaties")
    expect(applications.get_by_role("row", name=re.compile("Burgerzaken Pro"))).to_be_visible()
    check_page(page, axe_source)
    saved = gebruik_of(den_haag, burgerzaken)
    assert saved is not None and saved.data["cloudDienstverleningsmodel"] == (
        "On-premises (self-managed)"
    )

    page.get_by_role("link", name="Een koppeling toevoegen").click()
    expect(page.get_by_role("heading", level=2, name="Een koppeling zoeken")).to_be_visible()
    check_page(page, axe_source)
    page.get_by_role("button", name="Ik kan de gewenste koppeling niet vinden").click()
    expect(page.get_by_role("heading", level=2, name="De koppeling beschrijven")).to_be_visible()
    check_page(page, axe_source)
    page.get_by_label("Applicatie A").select_option(label="Burgerzaken Pro")
    page.get_by_role("radio", name="A → B").check()
    page.get_by_label("Applicatie B of buitengemeentelijke voorziening").select_option(
        label="DigiD"
    )
    next_step(page, axe_source, "Gebruiksinformatie")
    next_step(page, axe_source, "Controleer uw gegevens")
    expect(page.locator(".swc-review").first).to_contain_text("DigiD")
    page.get_by_role("button", name="Opslaan").click()

    expect(page).to_have_url(re.compile(r"/mijn-landschap$"))
    expect(page.get_by_role("status")).to_contain_text("Koppelingen succesvol opgeslagen!")
    row = page.locator("#koppelingen").get_by_role("row", name=re.compile("DigiD"))
    expect(row).to_contain_text("Burgerzaken Pro")
    check_page(page, axe_source)
    koppeling = Object.objects.get(
        schema=schema("catalogus/koppeling"),
        organisation=den_haag,
        data__moduleA=str(burgerzaken.uuid),
    )
    assert koppeling.data["buitengemeentelijkVoorziening"] == str(digid.uuid)
    assert koppeling.data["gegevensuitwisselingRichting"] == "AnaarB"


def test_samenwerking_adds_a_gebruik_for_two_deelnemers(browser, page, site, axe_source):
    from tests.catalogus.conftest import build_world

    world = build_world()
    dimpact = world.orgs["samenwerking"]
    utrecht, den_haag = world.orgs["gemeente"], world.orgs["gemeente2"]
    zaakwijzer = world.objects["lev_module"]
    log_in(page, site, member(dimpact, Role.GEBRUIK_BEHEERDER).user)

    page.goto("/mijn-landschap")
    check_page(page, axe_source)
    page.get_by_role("link", name="Een applicatie toevoegen").click()
    search = page.get_by_role("search", name="Applicatie zoeken")
    search.get_by_label("Naam van de applicatie of leverancier").fill("Zaakwijzer")
    search.get_by_role("button", name="Zoeken").click()
    page.get_by_role("radio", name=re.compile(r"^Zaakwijzer\b(?! Next)")).check()
    check_page(page, axe_source)
    next_step(page, axe_source, "Gebruiksinformatie")
    page.get_by_role("radio", name="SaaS").check()
    page.get_by_label("Interne aantekening").fill("Alleen voor Dimpact.")
    next_step(page, axe_source, "Koppel de applicatie aan referentiecomponenten")
    next_step(page, axe_source, "Deelnemers toevoegen")
    deelnemers = page.get_by_role("group", name="Deelnemers")
    deelnemers.get_by_role("checkbox", name="Utrecht").check()
    deelnemers.get_by_role("checkbox", name="Den Haag").check()
    next_step(page, axe_source, "Controleer uw gegevens")
    expect(page.locator(".swc-review").last).to_contain_text("Den Haag, Utrecht")
    page.get_by_role("button", name="Gebruik registreren").click()

    expect(page.get_by_role("status")).to_contain_text("Gebruik succesvol geregistreerd!")
    check_page(page, axe_source)
    saved = gebruik_of(dimpact, zaakwijzer)
    assert saved is not None
    assert sorted(saved.data["deelnemers"]) == sorted([str(utrecht.uuid), str(den_haag.uuid)])

    for deelnemer in (den_haag, utrecht):
        tab = open_tab(browser, site)
        try:
            log_in(tab, site, member(deelnemer, Role.GEBRUIK_BEHEERDER).user)
            tab.goto("/mijn-landschap")
            row = tab.locator(f"#gebruik-{saved.uuid}")
            expect(row).to_contain_text("Zaakwijzer")
            expect(row).to_contain_text("via Dimpact")
            # the samenwerking's interne aantekening stays inside Dimpact
            expect(tab.get_by_text("Alleen voor Dimpact.")).to_have_count(0)
            check_page(tab, axe_source)
        finally:
            tab.context.close()


def test_leverancier_publishes_an_application_and_a_dienst(page, site, axe_source):
    from tests.catalogus.conftest import build_world

    world = build_world()
    acme = world.orgs["leverancier"]
    log_in(page, site, member(acme, Role.AANBOD_BEHEERDER).user)

    page.goto("/mijn-aanbod")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn aanbod")
    check_page(page, axe_source)
    page.get_by_role("link", name="Applicatie publiceren").click()

    expect(page.get_by_role("heading", level=2, name="Applicatie-informatie")).to_be_visible()
    check_page(page, axe_source)
    page.get_by_label("Naam", exact=True).fill("Zaaksysteem Plus")
    page.get_by_label("Korte beschrijving").fill("Zaken afhandelen in de cloud.")
    next_step(page, axe_source, "Licentie & hosting")
    page.get_by_role("checkbox", name="SaaS").check()
    next_step(page, axe_source, "Referentiecomponenten")
    next_step(page, axe_source, "Standaarden")
    next_step(page, axe_source, "Koppelingen")
    page.get_by_label("Applicatie B of voorziening (rij 1)").select_option(label="DigiD")
    next_step(page, axe_source, "Controleer uw gegevens")
    expect(page.locator("main")).to_contain_text("Zaaksysteem Plus")
    page.get_by_role("button", name="Applicatie aanmelden").click()

    expect(page).to_have_url(re.compile(r"/mijn-aanbod$"))
    expect(page.get_by_role("status")).to_contain_text("Applicatie succesvol aangemeld!")
    expect(page.locator("#applicaties-tabel")).to_contain_text("Zaaksysteem Plus")
    check_page(page, axe_source)
    module = Object.objects.get(schema=schema("catalogus/module"), title="Zaaksysteem Plus")
    assert module.status == "gepubliceerd" and module.organisation == acme
    assert module.data["aanbieder"] == str(acme.uuid)
    assert Object.objects.filter(
        schema=schema("catalogus/koppeling"),
        data__moduleA=str(module.uuid),
        data__buitengemeentelijkVoorziening=world.uuid("digid"),
    ).exists()

    page.get_by_role("link", name="Dienst registreren", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Registreer uw dienst")).to_be_visible()
    check_page(page, axe_source)
    page.get_by_label("Zoek applicaties op naam").fill("Zaaksysteem")
    page.get_by_role("button", name="Zoeken", exact=True).last.click()
    page.get_by_role("checkbox", name="Zaaksysteem Plus").check()
    check_page(page, axe_source)
    next_step(page, axe_source, "Informatie over uw dienst")
    page.get_by_label("Naam", exact=True).fill("Implementatie Zaaksysteem Plus")
    page.get_by_role("checkbox", name="Implementatieondersteuning").check()
    next_step(page, axe_source, "Controleer uw gegevens")
    page.get_by_role("button", name="Dienst registreren").click()

    expect(page.get_by_role("status")).to_contain_text("Dienst succesvol aangemeld!")
    expect(page.locator("#diensten-tabel")).to_contain_text("Implementatie Zaaksysteem Plus")
    check_page(page, axe_source)
    dienst = Object.objects.get(
        schema=schema("catalogus/dienst"),
        organisation=acme,
        status="gepubliceerd",
        title="Implementatie Zaaksysteem Plus",
    )
    assert dienst.data["modules"] == [str(module.uuid)]
    assert dienst.data["type"] == ["Implementatieondersteuning"]

    page.locator("#applicaties-tabel").get_by_role(
        "link", name="Zaaksysteem Plus", exact=True
    ).click()
    expect(page).to_have_url(re.compile(f"/applicaties/{module.uuid}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zaaksysteem Plus")
    check_page(page, axe_source)

    # the public page, as a visitor: the application and its new dienst are there
    page.context.clear_cookies()
    page.goto(f"/applicaties/{module.uuid}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zaaksysteem Plus")
    expect(page.locator("main")).to_contain_text("Implementatie Zaaksysteem Plus")
    check_page(page, axe_source)


def test_bezoeker_searches_with_two_facets_and_compares(page, site, axe_source):
    from tests.catalogus.conftest import build_world

    world = build_world()
    page.goto("/zoeken")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, axe_source)

    page.get_by_role("group", name="Type").get_by_role(
        "checkbox", name=re.compile("^Applicatie")
    ).check()
    page.get_by_role("group", name="Hosting").get_by_role(
        "checkbox", name=re.compile("^On-premises")
    ).check()
    page.get_by_role("button", name="Filters toepassen").click()

    expect(page).to_have_url(re.compile(r"type=applicatie"))
    expect(page).to_have_url(re.compile(r"hosting=On-premises"))
    results = page.locator("#vergelijkformulier")
    titles = results.get_by_role("heading", level=3)
    expect(titles).to_have_text(["Burgerzaken Pro", "Zaakwijzer"])
    # anonymous visitors never see how many gemeenten use an application
    expect(page.locator(".swc-result__gemeenten")).to_have_count(0)
    check_page(page, axe_source)

    results.get_by_role("checkbox", name="Vergelijk Zaakwijzer").check()
    results.get_by_role("checkbox", name="Vergelijk Burgerzaken Pro").check()
    page.get_by_role("button", name="Vergelijk geselecteerde").click()

    expect(page).to_have_url(re.compile(r"/vergelijken\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Applicaties vergelijken")
    headers = page.get_by_role("columnheader")
    expect(headers.filter(has_text="Zaakwijzer")).to_have_count(1)
    expect(headers.filter(has_text="Burgerzaken Pro")).to_have_count(1)
    assert world.uuid("lev_module") in page.url and world.uuid("lev2_module") in page.url
    check_page(page, axe_source)


def test_landscape_date_fields_show_their_default(page, site):
    from tests.catalogus.conftest import build_world

    world = build_world()
    log_in(page, site, member(world.orgs["gemeente2"], Role.GEBRUIK_BEHEERDER).user)
    page.goto(f"/mijn-landschap/applicatie-toevoegen?applicatie={world.uuid('lev2_module')}")
    expect(page.get_by_role("heading", level=2, name="Gebruiksinformatie")).to_be_visible()
    expect(page.get_by_label("Startdatum status")).to_have_value(date.today().isoformat())


def test_gemeente_filters_saves_a_filter_and_plots_its_landscape(page, site, axe_source):
    """Issue 6 (7.1–7.3): filter and sort the landscape, save the filter, see it on a view."""
    from tests.catalogus.conftest import build_world
    from tests.catalogus.site.test_plot import as_system, change, node, view_data

    world = build_world()
    zaak = as_system(
        world,
        "gemma/referentiecomponent",
        {"naam": "Zaakregistratiecomponent", "objectId": "rc-zaak", "identificatie": "id-rc"},
    )
    as_system(
        world,
        "gemma/view",
        view_data(
            "ZA01 Zaakgericht werken",
            [node("n-zaak", 20, 60, element="id-rc", objectId="rc-zaak")],
            titelViewSwc="Zaakgericht werken",
        ),
    )
    change(world.objects["gem_gebruik"], {"gebruiktVoorReferentiecomponenten": [str(zaak.uuid)]})
    log_in(page, site, member(world.orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user)

    page.goto("/mijn-landschap")
    check_page(page, axe_source)
    page.get_by_role("radio", name=re.compile("^Eigen")).check()
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_load_state()
    assert "herkomst=eigen" in page.url
    expect(page.locator("table").first).not_to_contain_text("via Dimpact")
    check_page(page, axe_source)
    page.get_by_role("link", name=re.compile("^Leverancier")).first.click()
    page.wait_for_load_state()
    assert "sorteer=leverancier" in page.url and "herkomst=eigen" in page.url
    check_page(page, axe_source)

    page.locator("#filter-bewaren input[name=naam]").fill("Eigen applicaties")
    page.get_by_role("button", name="Filter bewaren").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Eigen applicaties")).to_be_visible()
    check_page(page, axe_source)

    page.get_by_role("link", name="Bekijk op GEMMA-views").click()
    page.wait_for_load_state()
    check_page(page, axe_source)
    page.get_by_role("link", name=re.compile("Zaakgericht werken")).first.click()
    page.wait_for_load_state()
    expect(page.locator("table")).to_contain_text("Zaakwijzer")
    check_page(page, axe_source)
