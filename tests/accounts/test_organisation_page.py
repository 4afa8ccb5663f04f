"""The public organisation page and "Mijn organisatie" (1.3, 2.1, L2.2): privacy, profile,
logo and documents."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from lxml import html
from PIL import Image

from core.accounts import profile
from core.actors import Actor
from core.constants import OrganisationStatus, Role
from core.models import AuditEntry, OrganisationDocument
from core.services import NotAllowed
from tests.admin.conftest import logged_in
from tests.conftest import member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def doc(response):
    return html.fromstring(response.content.decode())


def page_of(org) -> str:
    return f"/organisaties/{org.uuid}"


def image_bytes(kind: str = "PNG", size=(20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def aanspreekpunt(org, email: str, telefoon: str = "06 1234 5678"):
    role = Role.GEBRUIK_BEHEERDER if org.is_government else Role.AANBOD_BEHEERDER
    membership = member(org, role, email=email)
    membership.is_aanspreekpunt = True
    membership.save()
    membership.user.voornaam, membership.user.achternaam = "Anne", "Punt"
    membership.user.telefoonnummer = telefoon
    membership.user.save()
    return membership


# --- the public page: visibility and privacy ----------------------------------------------


def test_public_page_shows_profile_and_active_beheerder_yes_no(orgs):
    org = orgs["leverancier"]
    org.beschrijving_kort = "Wij maken zaaksystemen."
    org.website = "https://acme.example"
    org.save()
    page = Client().get(page_of(org))
    assert page.status_code == 200
    tree = doc(page)
    assert tree.xpath("string(//h1)") == "Acme Software"
    assert "Wij maken zaaksystemen." in page.content.decode()
    assert tree.xpath("string(//*[@id='actieve-beheerder'])") == "nee"
    beheerder = member(org, Role.AANBOD_BEHEERDER, email="baas@acme.nl")
    tree = doc(Client().get(page_of(org)))
    assert tree.xpath("string(//*[@id='actieve-beheerder'])") == "ja"
    # Never who, to an anonymous visitor.
    assert "baas@acme.nl" not in tree.xpath("string(//main)")
    assert not tree.xpath("//*[@id='beheerders']")
    # A member sees who the beheerders are.
    own = doc(logged_in(beheerder.user).get(page_of(org)))
    assert "baas@acme.nl" in own.xpath("string(//*[@id='beheerders'])")
    # A deactivated beheerder does not count.
    beheerder.actief = False
    beheerder.save()
    tree = doc(Client().get(page_of(org)))
    assert tree.xpath("string(//*[@id='actieve-beheerder'])") == "nee"


def test_invisible_organisations_are_404_with_nothing_leaked(orgs):
    inactive = orgs["inactief"]
    response = Client().get(page_of(inactive))
    assert response.status_code == 404
    assert "Gesloten" not in response.content.decode()
    supplier = member(orgs["leverancier2"], Role.AANBOD_BEHEERDER)
    assert logged_in(supplier.user).get(page_of(inactive)).status_code == 404
    # Government users see it, marked.
    government = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER)
    page = logged_in(government.user).get(page_of(inactive))
    assert page.status_code == 200
    assert "inactief" in doc(page).xpath("string(//*[@id='status-melding'])")


def test_merged_organisation_points_to_its_target(orgs):
    source, target = orgs["gemeente2"], orgs["gemeente"]
    source.status = OrganisationStatus.SAMENGEVOEGD
    source.samengevoegd_in = target
    source.save()
    government = member(orgs["gemeente"], Role.GEBRUIK_RAADPLEGER)
    tree = doc(logged_in(government.user).get(page_of(source)))
    notice = tree.xpath("//*[@id='samengevoegd']")[0]
    assert "samengevoegd" in notice.text_content()
    assert notice.xpath(".//a/@href") == [page_of(target)]
    assert Client().get(page_of(source)).status_code == 404


def test_anonymous_never_sees_a_gemeentes_aanspreekpunt_but_a_leveranciers(orgs):
    aanspreekpunt(orgs["gemeente"], "contact@utrecht.nl")
    aanspreekpunt(orgs["leverancier"], "sales@acme.nl", telefoon="020 999")
    anonymous = Client()
    gemeente = anonymous.get(page_of(orgs["gemeente"])).content.decode()
    assert "contact@utrecht.nl" not in gemeente and "Anne Punt" not in gemeente
    leverancier = doc(anonymous.get(page_of(orgs["leverancier"])))
    contacts = leverancier.xpath("string(//*[@id='aanspreekpunten'])")
    assert "sales@acme.nl" in contacts and "Anne Punt" in contacts and "020 999" in contacts
    # Suppliers do not see a gemeente's contacts either; government users and members do.
    supplier = member(orgs["leverancier2"], Role.AANBOD_BEHEERDER)
    assert "contact@utrecht.nl" not in (
        logged_in(supplier.user).get(page_of(orgs["gemeente"])).content.decode()
    )
    den_haag = member(orgs["gemeente2"], Role.GEBRUIK_RAADPLEGER)
    seen = doc(logged_in(den_haag.user).get(page_of(orgs["gemeente"])))
    assert "contact@utrecht.nl" in seen.xpath("string(//*[@id='aanspreekpunten'])")
    # Samenwerkingen and VNG follow the gemeente rule.
    aanspreekpunt(orgs["samenwerking"], "contact@dimpact.nl")
    assert "contact@dimpact.nl" not in anonymous.get(page_of(orgs["samenwerking"])).content.decode()


# --- documents ------------------------------------------------------------------------------


def add_doc(org, naam: str, openbaar: bool, content: bytes = PDF, name: str = "cert.pdf"):
    beheerder = member(org, Role.AANBOD_BEHEERDER, email=f"docs@{org.pk}.nl")
    return profile.add_document(
        org,
        actor=Actor.for_membership(beheerder),
        naam=naam,
        upload=upload(name, content),
        openbaar=openbaar,
    )


def test_private_documents_only_for_members(orgs):
    org = orgs["leverancier"]
    public = add_doc(org, "ISO 27001", True, name="iso.pdf")
    private = add_doc(org, "Pentest 2026", False, name="pentest.pdf")
    anonymous = Client()
    tree = doc(anonymous.get(page_of(org)))
    listed = tree.xpath("string(//*[@id='documenten'])")
    assert "ISO 27001" in listed and "Pentest" not in listed
    download = anonymous.get(f"{page_of(org)}/documenten/{public.uuid}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="iso.pdf"' in download["Content-Disposition"]
    assert anonymous.get(f"{page_of(org)}/documenten/{private.uuid}").status_code == 404
    other = member(orgs["leverancier2"], Role.AANBOD_BEHEERDER)
    assert logged_in(other.user).get(f"{page_of(org)}/documenten/{private.uuid}").status_code == 404
    # A document through another organisation's page: 404.
    assert (
        anonymous.get(f"{page_of(orgs['leverancier2'])}/documenten/{public.uuid}").status_code
        == 404
    )
    colleague = member(org, Role.AANBOD_BEHEERDER, email="collega@acme.nl")
    client = logged_in(colleague.user)
    assert "Pentest 2026" in doc(client.get(page_of(org))).xpath("string(//*[@id='documenten'])")
    got = client.get(f"{page_of(org)}/documenten/{private.uuid}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF


def test_functioneel_beheer_sees_private_documents(orgs):
    from django.utils import timezone

    from core.accounts.security import VERIFIED_SESSION_KEY
    from core.models import TotpDevice

    document = add_doc(orgs["leverancier"], "Pentest", False)
    fb = member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER)
    TotpDevice.objects.create(user=fb.user, secret="x", confirmed_at=timezone.now())
    client = logged_in(fb.user)
    session = client.session
    session[VERIFIED_SESSION_KEY] = fb.user.pk  # login step 2 passed
    session.save()
    url = f"{page_of(orgs['leverancier'])}/documenten/{document.uuid}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_government_documents_are_always_private(orgs):
    org = orgs["gemeente"]
    beheerder = member(org, Role.GEBRUIK_BEHEERDER)
    actor = Actor.for_membership(beheerder)
    with pytest.raises(profile.ProfileError) as refused:
        profile.add_document(
            org, actor=actor, naam="BIO", upload=upload("b.pdf", PDF), openbaar=True
        )
    assert "altijd besloten" in str(refused.value)
    assert not OrganisationDocument.objects.exists()
    client = logged_in(beheerder.user)
    page = doc(client.get("/mijn-organisatie"))
    assert not page.xpath("//input[@name='openbaar']")
    response = client.post(
        "/mijn-organisatie/documenten",
        {"naam": "BIO-verklaring", "bestand": upload("bio.pdf", PDF), "openbaar": "ja"},
    )
    assert response.status_code == 302
    document = OrganisationDocument.objects.get()
    assert not document.openbaar
    assert Client().get(f"{page_of(org)}/documenten/{document.uuid}").status_code == 404


def test_document_upload_refuses_other_types_and_oversize(orgs):
    beheerder = member(orgs["leverancier"], Role.AANBOD_BEHEERDER)
    client = logged_in(beheerder.user)
    exe = client.post(
        "/mijn-organisatie/documenten",
        {"naam": "Virus", "bestand": upload("x.pdf", b"MZ\x90\x00 not a pdf"), "openbaar": "ja"},
    )
    assert exe.status_code == 400
    assert "niet toegestaan" in exe.content.decode()
    with override_settings(MAX_UPLOAD_SIZE=100):
        big = client.post(
            "/mijn-organisatie/documenten",
            {"naam": "Groot", "bestand": upload("g.pdf", PDF + b"0" * 200), "openbaar": "nee"},
        )
    assert big.status_code == 400
    assert "groter dan" in big.content.decode()
    assert not OrganisationDocument.objects.exists()


def test_beheerder_publishes_withdraws_and_deletes_a_document(orgs):
    org = orgs["leverancier"]
    beheerder = member(org, Role.AANBOD_BEHEERDER)
    client = logged_in(beheerder.user)
    client.post(
        "/mijn-organisatie/documenten",
        {"naam": "ISO 9001", "bestand": upload("iso.pdf", PDF), "openbaar": "nee"},
    )
    document = OrganisationDocument.objects.get()
    assert not document.openbaar
    client.post(f"/mijn-organisatie/documenten/{document.uuid}/openbaar", {"openbaar": "ja"})
    document.refresh_from_db()
    assert document.openbaar
    assert Client().get(f"{page_of(org)}/documenten/{document.uuid}").status_code == 200
    stored = document.bestand.name
    assert document.bestand.storage.exists(stored)
    response = client.post(f"/mijn-organisatie/documenten/{document.uuid}/verwijderen")
    assert response.status_code == 302
    assert not OrganisationDocument.objects.exists()
    assert AuditEntry.objects.filter(action="organisatie.document.verwijderd").exists()


def test_others_cannot_touch_a_document(orgs):
    document = add_doc(orgs["leverancier"], "ISO", True)
    other = member(orgs["leverancier2"], Role.AANBOD_BEHEERDER)
    client = logged_in(other.user)
    assert (
        client.post(f"/mijn-organisatie/documenten/{document.uuid}/verwijderen").status_code == 404
    )
    assert (
        client.post(
            f"/mijn-organisatie/documenten/{document.uuid}/openbaar", {"openbaar": "nee"}
        ).status_code
        == 404
    )
    with pytest.raises(NotAllowed):
        profile.delete_document(document, actor=Actor.for_membership(other))
    document.refresh_from_db()
    assert document.openbaar


# --- Mijn organisatie: the profile --------------------------------------------------------


def profile_form(**fields):
    data = {
        "weergavenaam": "Acme",
        "beschrijving_kort": "Zaaksystemen voor gemeenten.",
        "beschrijving_lang": "Sinds 1999.",
        "website": "https://acme.example",
        "email": "info@acme.example",
        "telefoonnummer": "020 123",
        "kvk_nummer": "12345678",
    }
    data.update(fields)
    return data


def test_beheerder_edits_profile_and_uploads_a_logo(orgs, django_capture_on_commit_callbacks):
    org = orgs["leverancier"]
    client = logged_in(member(org, Role.AANBOD_BEHEERDER).user)
    response = client.post(
        "/mijn-organisatie", profile_form(logo=upload("logo.png", image_bytes("PNG")))
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.weergavenaam == "Acme" and org.kvk_nummer == "12345678"
    assert org.website == "https://acme.example"
    assert org.logo.name.startswith("logos/") and org.logo.name.endswith(".png")
    tree = doc(Client().get(page_of(org)))
    assert tree.xpath("//img[contains(@class, 'swc-logo')]/@src") == [org.logo.url]
    entry = AuditEntry.objects.get(action="organisatie.profiel")
    assert {"weergavenaam", "logo", "kvk_nummer"} <= set(entry.details["gewijzigd"])
    # The logo can be removed again.
    old = org.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mijn-organisatie", profile_form(logo_verwijderen="on"))
    org.refresh_from_db()
    assert not org.logo
    assert not org.logo.storage.exists(old)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "geen geldige afbeelding"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"kapot" * 20, "geen geldige afbeelding"),
        ("logo.gif", None, "niet toegestaan"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024), "groter dan 1 MB"),
    ],
)
def test_bad_logos_refused_nothing_changed(orgs, name, content, message):
    org = orgs["leverancier"]
    client = logged_in(member(org, Role.AANBOD_BEHEERDER).user)
    if content is None:
        content = image_bytes("GIF")
    response = client.post("/mijn-organisatie", profile_form(logo=upload(name, content)))
    assert response.status_code == 400
    tree = doc(response)
    assert message in tree.xpath("string(//*[@id='id_logo_error'])")
    assert tree.xpath("//input[@name='logo']/@aria-invalid") == ["true"]
    org.refresh_from_db()
    assert not org.logo and org.weergavenaam == ""
    assert not AuditEntry.objects.filter(action="organisatie.profiel").exists()


def test_profile_field_errors_in_dutch_nothing_changed(orgs):
    org = orgs["leverancier"]
    client = logged_in(member(org, Role.AANBOD_BEHEERDER).user)
    response = client.post(
        "/mijn-organisatie",
        profile_form(beschrijving_kort="x" * 256, website="geen url", kvk_nummer="12-34"),
    )
    assert response.status_code == 400
    text = doc(response).xpath("string(//*[contains(@class, 'swc-error-summary')])")
    assert "255" in text and "geldig webadres" in text and "8 cijfers" in text
    org.refresh_from_db()
    assert org.beschrijving_kort == "" and org.website == ""


def test_naam_type_status_and_cbs_are_not_editable_here(orgs):
    org = orgs["gemeente"]
    beheerder = member(org, Role.GEBRUIK_BEHEERDER)
    client = logged_in(beheerder.user)
    page = doc(client.get("/mijn-organisatie"))
    for name in ("naam", "type", "status", "cbs_code", "kvk_nummer"):
        assert not page.xpath(f"//form[@action='/mijn-organisatie']//*[@name='{name}']"), name
    client.post(
        "/mijn-organisatie",
        {"naam": "Hacked", "cbs_code": "GM9999", "status": "Inactief", "weergavenaam": "Utrecht"},
    )
    org.refresh_from_db()
    assert (org.naam, org.cbs_code, org.status) == ("Utrecht", "GM0344", "Actief")
    with pytest.raises(NotAllowed):
        profile.update_profile(org, {"naam": "X"}, actor=Actor.for_membership(beheerder))


def test_members_see_beheerders_edit_others_404(orgs):
    org = orgs["gemeente"]
    member(org, Role.GEBRUIK_BEHEERDER)
    raadpleger = member(org, Role.GEBRUIK_RAADPLEGER)
    client = logged_in(raadpleger.user)
    page = client.get("/mijn-organisatie")
    assert page.status_code == 200
    assert not doc(page).xpath("//form[@action='/mijn-organisatie']")
    assert "Gebruikers" not in doc(page).xpath("string(//nav[contains(@class, 'swc-subnav')])")
    assert client.post("/mijn-organisatie", profile_form(kvk_nummer="")).status_code == 404
    docs = client.post(
        "/mijn-organisatie/documenten", {"naam": "x", "bestand": upload("x.pdf", PDF)}
    )
    assert docs.status_code == 404
    org.refresh_from_db()
    assert org.weergavenaam == ""
    with pytest.raises(NotAllowed):
        profile.update_profile(org, {"weergavenaam": "X"}, actor=Actor.for_membership(raadpleger))


def test_concept_banner_and_no_organisation_page(orgs):
    org = orgs["leverancier"]
    org.status = OrganisationStatus.CONCEPT
    org.save()
    beheerder = member(org, Role.AANBOD_BEHEERDER)
    page = doc(logged_in(beheerder.user).get("/mijn-organisatie"))
    assert "nog niet zichtbaar" in page.xpath("string(//*[@id='concept-melding'])")
    assert "functioneel beheer" in page.xpath("string(//*[@id='concept-melding'])")
    # Its public page is visible to its members only.
    assert logged_in(beheerder.user).get(page_of(org)).status_code == 200
    assert Client().get(page_of(org)).status_code == 404

    from core.models import User

    loner = User.objects.create_user("los@example.nl", "een-lang-wachtwoord")
    response = logged_in(loner).get("/mijn-organisatie")
    assert response.status_code == 200
    assert "niet namens een organisatie" in response.content.decode()
    assert logged_in(loner).get("/mijn-organisatie/gebruikers").status_code == 404


def test_profile_post_without_csrf_is_refused(orgs):
    org = orgs["leverancier"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(org, Role.AANBOD_BEHEERDER).user)
    assert client.post("/mijn-organisatie", profile_form()).status_code == 403
    org.refresh_from_db()
    assert org.weergavenaam == ""
