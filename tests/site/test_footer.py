"""The footer and the analytics slot: one site setting that VNG edits in the CMS (#406, #409)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.views.defaults import server_error
from lxml import etree, html
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from core.constants import Role
from core.models import ContentPage, User
from core.models.pages import SiteSettings
from core.site.setup import ensure_home_page
from tests.admin.conftest import admin_access, is_denied, logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db

LEGAL_TITLES = ["Algemene voorwaarden", "Privacyverklaring", "Disclaimer", "Veelgestelde vragen"]


def doc(response):
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content.decode())


def footer_of(response) -> str:
    footer = doc(response).xpath("//footer")
    assert len(footer) == 1
    return etree.tostring(footer[0], encoding="unicode")


def footer_links(response) -> list[tuple[str, str]]:
    tree = html.fromstring(footer_of(response))
    return [(" ".join(a.text_content().split()), a.get("href")) for a in tree.xpath("//a")]


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def footer(home):
    return SiteSettings.objects.get(site=Site.objects.get(is_default_site=True))


def test_default_footer_links_to_the_four_legal_pages(client, footer):
    response = client.get("/")
    assert footer_links(response) == [
        ("Algemene voorwaarden", "/algemene-voorwaarden/"),
        ("Privacyverklaring", "/privacyverklaring/"),
        ("Disclaimer", "/disclaimer/"),
        ("Veelgestelde vragen", "/veelgestelde-vragen/"),
    ]
    tree = html.fromstring(footer_of(response))
    assert tree.xpath("//nav[@aria-label='Voettekstmenu']//h2[.='Over deze website']")
    assert "Een voorziening van VNG Realisatie." in tree.text_content()
    for _title, href in footer_links(response):
        assert client.get(href).status_code == 200


def test_footer_is_identical_logged_in_and_logged_out(client, home, orgs):
    """#409: the same footer for every visitor, whatever their organisation or role."""
    anonymous = footer_of(client.get("/"))
    users = [
        member(orgs["gemeente"], Role.GEBRUIK_BEHEERDER).user,
        member(orgs["leverancier"], Role.AANBOD_BEHEERDER).user,
        member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER).user,
    ]
    for user in users:
        client_of_user = logged_in(user)
        assert footer_of(client_of_user.get("/")) == anonymous, user.email
        assert footer_of(client_of_user.get("/mijn-account")) == anonymous, user.email
    assert "Mijn account" not in anonymous and "Home" not in anonymous, "no main menu copy"


def test_footer_follows_the_setting(client, footer, home):
    hidden = home.add_child(instance=ContentPage(title="Verborgen", slug="verborgen", live=False))
    privacy = ContentPage.objects.get(slug="privacyverklaring")
    footer.over_titel = "Over ons"
    footer.over_tekst = "Eerste alinea.\n\nTweede <alinea>."
    footer.kolommen = [
        {
            "type": "kolom",
            "value": {
                "titel": "Hulp",
                "links": [
                    {"titel": "Uw privacy", "pagina": privacy.pk, "url": ""},
                    {"titel": "", "pagina": hidden.pk, "url": ""},
                    {"titel": "VNG", "pagina": None, "url": "https://vng.nl/"},
                ],
            },
        },
        {"type": "kolom", "value": {"titel": "Contact", "links": []}},
    ]
    footer.save()
    response = client.get("/")
    assert footer_links(response) == [
        ("Uw privacy", "/privacyverklaring/"),
        ("VNG", "https://vng.nl/"),
    ]
    tree = html.fromstring(footer_of(response))
    assert [h.text_content() for h in tree.xpath("//h2")] == ["Over ons", "Hulp", "Contact"]
    assert [p.text_content() for p in tree.xpath("//div[@class='swc-footer__text']/p")] == [
        "Eerste alinea.",
        "Tweede <alinea>.",
    ], "editor text is escaped, paragraphs kept"


def test_footer_without_a_setting_row_uses_the_defaults_and_writes_nothing(client, home):
    SiteSettings.objects.all().delete()
    response = client.get("/")
    tree = html.fromstring(footer_of(response))
    assert tree.xpath("//h2[.='Softwarecatalogus']")
    assert "Een voorziening van VNG Realisatie." in tree.text_content()
    assert not tree.xpath("//nav"), "no links, no empty navigation"
    assert not SiteSettings.objects.exists(), "reading a page never creates the row"


def test_server_error_page_has_the_built_in_footer(home):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    tree = html.fromstring(response.content.decode())
    assert tree.xpath("//footer//h2[.='Softwarecatalogus']")
    assert not tree.xpath("//script")


# --- analytics -------------------------------------------------------------------------------


def test_no_analytics_until_configured(client, footer):
    assert "_paq" not in client.get("/").content.decode()
    footer.matomo_url = "https://statistiek.example.nl"
    footer.save()  # an address without a site id is not enough
    assert "_paq" not in client.get("/").content.decode()


def test_analytics_renders_the_matomo_snippet_from_address_and_site_id(client, footer):
    footer.matomo_url = "https://statistiek.example.nl/piwik"
    footer.matomo_site_id = 7
    footer.full_clean()
    footer.save()
    tree = doc(client.get("/"))
    scripts = [s.text for s in tree.xpath("//head/script") if s.text and "_paq" in s.text]
    assert len(scripts) == 1
    assert 'var u = "https://statistiek.example.nl/piwik/";' in scripts[0]
    assert '_paq.push(["setSiteId", "7"]);' in scripts[0]
    assert '"disableCookies"' in scripts[0]
    assert not tree.xpath("//body//script[contains(., '_paq')]")


def test_analytics_values_are_escaped(client, footer):
    """Even a value that bypassed validation cannot break out of the script."""
    SiteSettings.objects.filter(pk=footer.pk).update(
        matomo_url='https://x.nl/"</script><script>alert(1)//', matomo_site_id=1
    )
    body = client.get("/").content.decode()
    assert "_paq" in body
    assert "<script>alert(1)" not in body
    assert '"</script>' not in body
    assert "\\u0022\\u003C/script\\u003E" in body


@pytest.mark.parametrize(
    ("url", "site_id", "field"),
    [
        ("http://statistiek.example.nl/", 1, "matomo_url"),
        ("javascript:alert(1)", 1, "matomo_url"),
        ("https://statistiek.example.nl/", None, "matomo_site_id"),
        ("", 3, "matomo_site_id"),
    ],
)
def test_analytics_settings_are_validated(footer, url, site_id, field):
    footer.matomo_url, footer.matomo_site_id = url, site_id
    with pytest.raises(ValidationError) as refused:
        footer.full_clean()
    assert field in refused.value.message_dict


# --- editing in the Wagtail admin ------------------------------------------------------------


def edit_url(site: Site) -> str:
    return f"/admin/settings/core/sitesettings/{site.pk}/"


def form(**fields) -> dict:
    data = {
        "over_titel": "Softwarecatalogus",
        "over_tekst": "Tekst",
        "kolommen": streamfield([]),
        "matomo_url": "",
        "matomo_site_id": "",
    }
    return nested_form_data({**data, **fields})


@pytest.fixture
def functioneel_beheerder(orgs):
    """VNG's functioneel beheerder: staff, in Wagtail's Moderators group like other editors."""
    user = member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name="Moderators"))
    return admin_access(user)


def test_editors_groups_may_change_the_footer(db):
    permission = Permission.objects.get(
        content_type__app_label="core", codename="change_sitesettings"
    )
    for name in ("Editors", "Moderators"):
        assert permission in Group.objects.get(name=name).permissions.all(), name


def test_superuser_edits_the_footer_in_the_admin(client, footer):
    superuser = User.objects.create_superuser("beheer@vng.nl", "een-lang-wachtwoord")
    admin = logged_in(superuser)
    assert admin.get("/admin/settings/core/sitesettings/").status_code == 302
    response = admin.get(edit_url(footer.site))
    assert response.status_code == 200
    assert 'name="matomo_url"' in response.content.decode()

    response = admin.post(edit_url(footer.site), form(over_titel="Over de softwarecatalogus"))
    assert response.status_code == 302, response.content.decode()[:2000]
    footer.refresh_from_db()
    assert footer.over_titel == "Over de softwarecatalogus"
    assert list(footer.kolommen) == []
    public = html.fromstring(footer_of(client.get("/")))
    assert public.xpath("//h2[.='Over de softwarecatalogus']")
    assert not public.xpath("//a")


def test_functioneel_beheerder_edits_the_footer_and_analytics(
    client, footer, functioneel_beheerder
):
    admin = logged_in(functioneel_beheerder)
    assert admin.get(edit_url(footer.site)).status_code == 200
    response = admin.post(
        edit_url(footer.site),
        form(matomo_url="https://statistiek.vng.nl/", matomo_site_id="12"),
    )
    assert response.status_code == 302
    footer.refresh_from_db()
    assert (footer.matomo_url, footer.matomo_site_id) == ("https://statistiek.vng.nl/", 12)
    assert '_paq.push(["setSiteId", "12"]);' in client.get("/").content.decode()


def test_invalid_analytics_in_the_admin_saves_nothing(footer, functioneel_beheerder):
    admin = logged_in(functioneel_beheerder)
    response = admin.post(
        edit_url(footer.site), form(over_titel="Nieuw", matomo_url="https://statistiek.vng.nl/")
    )
    assert response.status_code == 200
    assert "Vul het adres én het site-id in" in response.content.decode()
    footer.refresh_from_db()
    assert footer.over_titel == "Softwarecatalogus"
    assert footer.matomo_url == ""


def test_staff_without_the_permission_cannot_edit_the_footer(footer, orgs):
    user = member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER, email="zonder@vng.nl").user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    admin = logged_in(admin_access(user))
    assert is_denied(admin.get(edit_url(footer.site)))
    assert is_denied(admin.post(edit_url(footer.site), form(over_titel="Gehackt")))
    footer.refresh_from_db()
    assert footer.over_titel == "Softwarecatalogus"
