"""Leverancier sign-up ("Aanmelden"): choice of type, form, e-mail confirmation, review by
functioneel beheer, activation with the contact as first aanbod-beheerder, and refusals."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html
from PIL import Image

from core.accounts import AccountError, invitations, signups, uploads
from core.accounts.queues import SignUpQueue
from core.actors import Actor
from core.constants import OrganisationStatus, OrganisationType, Role
from core.models import AuditEntry, Invitation, Membership, Notification, Organisation, SignUp
from core.plugins.manager import review_queues
from core.services import NotAllowed
from tests.conftest import make_org, member

pytestmark = pytest.mark.django_db


def image_bytes(fmt: str = "PNG", size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def logo_file(content: bytes | None = None, name: str = "logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type)


def form_data(**overrides) -> dict:
    data = {
        "organisatienaam": "Zeta Solutions",
        "beschrijving_kort": "Zaaksystemen voor gemeenten.",
        "website": "https://zeta.example",
        "kvk_nummer": "8765 4321",
        "voornaam": "Jan",
        "tussenvoegsel": "de",
        "achternaam": "Vries",
        "email": "Jan@Zeta.example",
        "telefoonnummer": "030 123 45 67",
        "akkoord": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def doc(response):
    return html.fromstring(response.content.decode())


def link_path(message, route: str) -> str:
    match = re.search(rf"https?://\S+?(/{route}/\S+)", message.body)
    assert match, message.body
    return urlparse(match.group(1)).path


def invitation_token(message) -> str:
    """The raw token of the activation link in an invitation e-mail."""
    prefix = reverse("invitation-accept", args=["TOKEN"]).split("TOKEN")[0]
    match = re.search(re.escape(prefix) + r"([A-Za-z0-9_-]+)", message.body)
    assert match, message.body
    return match.group(1)


def fb_actor(orgs) -> Actor:
    return Actor.for_membership(member(orgs["vng"], Role.FUNCTIONEEL_BEHEERDER))


def submit(client=None, **overrides):
    client = client or Client()
    data = form_data(**overrides)
    return client.post("/aanmelden", data)


def submitted_and_verified(**overrides) -> SignUp:
    """A sign-up through the site, confirmed through the e-mailed link."""
    before = len(mail.outbox)
    response = submit(**overrides)
    assert response.status_code == 302, response.content.decode()[:2000]
    path = link_path(mail.outbox[before], "aanmelden/bevestigen")
    assert Client().post(path).status_code == 302
    return SignUp.objects.filter(email=form_data(**overrides)["email"].lower()).latest("pk")


def errors_of(response) -> str:
    return " ".join(doc(response).xpath("string(//*[@id='foutmelding'])").split())


# --- the choice of organisation type ---------------------------------------------------


def section_hidden(tree, section_id: str) -> bool:
    (section,) = tree.xpath(f"//section[@id='{section_id}']")
    return section.get("hidden") is not None


def test_signup_page_first_asks_the_organisation_type(db):
    response = Client().get("/aanmelden")
    assert response.status_code == 200
    tree = doc(response)
    labels = [" ".join(label.text_content().split()) for label in tree.xpath("//fieldset//label")]
    assert labels[:4] == ["Leverancier", "Gemeente", "Samenwerking", "Community"]
    assert tree.xpath("//input[@name='type'][@checked]") == []
    for section in ("aanmeldformulier", "uitleg-gemeente", "uitleg-samenwerking"):
        assert section_hidden(tree, section)
    # Without JavaScript the choice is sent with a button as a GET parameter.
    assert tree.xpath("//form[@id='type-keuze']/@method") == ["get"]


def test_type_leverancier_preset_by_link_shows_the_form(db):
    tree = doc(Client().get("/aanmelden?type=leverancier"))
    assert tree.xpath("//input[@name='type'][@checked]/@value") == ["leverancier"]
    assert not section_hidden(tree, "aanmeldformulier")
    assert section_hidden(tree, "uitleg-gemeente")
    (textarea,) = tree.xpath("//textarea[@name='beschrijving_kort']")
    assert textarea.get("maxlength") == "255"
    assert tree.xpath("//*[@id='id_beschrijving_kort_teller']/@data-max") == ["255"]
    # Every input has a label.
    for field in tree.xpath("//form[@method='post']//*[self::input or self::textarea]"):
        if field.get("type") in ("hidden", "submit"):
            continue
        assert tree.xpath(f"//label[@for='{field.get('id')}']"), field.get("name")


@pytest.mark.parametrize(
    "chosen, visible, expected",
    [
        ("gemeente", "uitleg-gemeente", "/toegang-aanvragen"),
        ("samenwerking", "uitleg-samenwerking", "mailto:softwarecatalogus@vng.nl"),
        ("community", "uitleg-samenwerking", "mailto:softwarecatalogus@vng.nl"),
    ],
)
def test_other_types_get_an_explanation_instead_of_the_form(db, chosen, visible, expected):
    tree = doc(Client().get(f"/aanmelden?type={chosen}"))
    assert not section_hidden(tree, visible)
    assert section_hidden(tree, "aanmeldformulier")
    assert expected in tree.xpath(f"//section[@id='{visible}']//a/@href")


# --- the whole journey ----------------------------------------------------------------------


def test_leverancier_signs_up_confirms_and_becomes_first_aanbod_beheerder(orgs, committed):
    fb = fb_actor(orgs)
    client = Client()
    assert client.get("/aanmelden?type=leverancier").status_code == 200
    response = client.post("/aanmelden", {**form_data(), "logo": logo_file()}, follow=True)
    assert response.redirect_chain == [("/aanmelden/verzonden", 302)]
    assert "Aanmelding succesvol!" in response.content.decode()

    sign_up = SignUp.objects.get()
    assert sign_up.status == SignUp.Status.E_MAIL_ONBEVESTIGD
    assert sign_up.email == "jan@zeta.example"
    assert sign_up.kvk_nummer == "87654321"
    assert sign_up.consent_at is not None
    assert timedelta(hours=71) < sign_up.expires_at - timezone.now() <= timedelta(hours=72)
    assert not Organisation.objects.filter(naam="Zeta Solutions").exists()

    (message,) = mail.outbox
    assert message.to == ["jan@zeta.example"]
    assert "Bevestig" in message.subject
    path = link_path(message, "aanmelden/bevestigen")
    raw = path.rsplit("/", 1)[-1]
    assert raw not in sign_up.token_hash  # only the hash is stored

    # Opening the link asks for a click; it changes nothing yet.
    page = client.get(path)
    assert page.status_code == 200
    assert "Zeta Solutions" in page.content.decode()
    assert SignUp.objects.get().status == SignUp.Status.E_MAIL_ONBEVESTIGD

    response = client.post(path, follow=True)
    assert response.redirect_chain == [("/aanmelden/bevestigd", 302)]
    sign_up.refresh_from_db()
    assert sign_up.status == SignUp.Status.TE_BEOORDELEN
    assert sign_up.email_verified_at is not None
    org = sign_up.organisation
    assert (org.type, org.status) == (OrganisationType.LEVERANCIER, OrganisationStatus.CONCEPT)
    assert org.naam == "Zeta Solutions"
    assert org.beschrijving_kort == "Zaaksystemen voor gemeenten."
    assert org.website == "https://zeta.example"
    assert org.kvk_nummer == "87654321"
    with org.logo.open("rb") as stored:
        assert stored.read() == image_bytes()
    to_contact = [m.subject for m in mail.outbox if m.to == ["jan@zeta.example"]]
    assert to_contact[-1].startswith("Uw aanmelding van Zeta Solutions")

    # Functioneel beheer is told and finds it in the inbox, with no warnings.
    assert Notification.objects.filter(user=fb.user, kind="toegangsverzoek").exists()
    queue = review_queues()["aanmeldingen"]
    (item,) = queue.items(actor=fb)
    assert item.key == str(sign_up.uuid)
    assert item.title == "Zeta Solutions"
    assert "jan@zeta.example" in item.description
    assert item.warnings == ()
    assert item.url.endswith(f"/{org.pk}/")

    sent = len(mail.outbox)
    with committed():
        confirmation = queue.accept(key=item.key, actor=fb, note="")
    assert "geactiveerd" in confirmation
    org.refresh_from_db()
    sign_up.refresh_from_db()
    assert org.status == OrganisationStatus.ACTIEF
    assert sign_up.status == SignUp.Status.GEACTIVEERD
    assert sign_up.decided_by == fb.user
    assert queue.items(actor=fb) == []

    invitation = Invitation.objects.get(organisation=org)
    assert invitation.email == "jan@zeta.example"
    assert invitation.role == Role.AANBOD_BEHEERDER
    assert (invitation.voornaam, invitation.tussenvoegsel) == ("Jan", "de")
    (invite_mail,) = [m for m in mail.outbox[sent:] if m.to == ["jan@zeta.example"]]
    found, _reason = invitations.find(invitation_token(invite_mail))
    assert found == invitation

    user = invitations.accept(found, password="een-heel-lang-wachtwoord-42")
    membership = Membership.objects.get(user=user, organisation=org)
    assert membership.role == Role.AANBOD_BEHEERDER and membership.actief
    assert user.get_full_name() == "Jan de Vries"

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"aanmelding.ingediend", "aanmelding.bevestigd", "organisatie.geactiveerd"} <= actions


def test_functioneel_beheer_declines_and_the_concept_organisation_is_kept_inactive(orgs, committed):
    sign_up = submitted_and_verified()
    org = sign_up.organisation
    fb = fb_actor(orgs)
    queue = SignUpQueue()
    sent = len(mail.outbox)

    with committed():
        queue.decline(key=str(sign_up.uuid), actor=fb, note="Geen softwareleverancier.")

    sign_up.refresh_from_db()
    org.refresh_from_db()
    assert sign_up.status == SignUp.Status.AFGEWEZEN
    assert sign_up.decided_by == fb.user
    assert org.status == OrganisationStatus.INACTIEF  # never deleted
    (message,) = mail.outbox[sent:]
    assert message.to == ["jan@zeta.example"]
    assert "afgewezen" in message.subject
    assert "Geen softwareleverancier." in message.body
    entry = AuditEntry.objects.get(action="aanmelding.afgewezen")
    assert entry.details["reden"] == "Geen softwareleverancier."
    assert entry.organisation == org
    assert not Invitation.objects.filter(organisation=org).exists()
    assert queue.items(actor=fb) == []

    # A second decision is refused, and nothing changes.
    with pytest.raises(AccountError):
        queue.decline(key=str(sign_up.uuid), actor=fb, note="")
    with pytest.raises(AccountError):
        signups.accept(sign_up, actor=fb)
    org.refresh_from_db()
    assert org.status == OrganisationStatus.INACTIEF


@pytest.mark.parametrize(
    "org_key, role",
    [
        ("leverancier", Role.AANBOD_BEHEERDER),
        ("gemeente", Role.GEBRUIK_BEHEERDER),
        ("vng", Role.VNG_RAADPLEGER),
    ],
)
def test_only_functioneel_beheer_sees_and_decides_sign_ups(orgs, org_key, role):
    sign_up = submitted_and_verified()
    other = Actor.for_membership(member(orgs[org_key], role))
    queue = SignUpQueue()
    # VNG-raadplegers read the inbox (read-only); nobody else sees it.
    shown = [item.key for item in queue.items(actor=other)]
    assert shown == ([str(sign_up.uuid)] if role == Role.VNG_RAADPLEGER else [])
    sent = len(mail.outbox)
    with pytest.raises(NotAllowed):
        queue.accept(key=str(sign_up.uuid), actor=other, note="")
    with pytest.raises(NotAllowed):
        queue.decline(key=str(sign_up.uuid), actor=other, note="")
    with pytest.raises(NotAllowed):
        signups.decline(sign_up, actor=other, reason="")
    sign_up.refresh_from_db()
    assert sign_up.status == SignUp.Status.TE_BEOORDELEN
    assert sign_up.organisation.status == OrganisationStatus.CONCEPT
    assert len(mail.outbox) == sent
    assert not Invitation.objects.exists()


def test_queue_refuses_unknown_keys(orgs):
    fb = fb_actor(orgs)
    with pytest.raises(AccountError):
        SignUpQueue().accept(key="geen-uuid", actor=fb, note="")
    with pytest.raises(AccountError):
        SignUpQueue().decline(key="00000000-0000-0000-0000-000000000000", actor=fb, note="")


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, logo, expected",
    [
        ({"akkoord": None}, None, "Ga akkoord met de richtlijnen"),
        ({"beschrijving_kort": "x" * 256}, None, "hoogstens 255 tekens"),
        ({"beschrijving_kort": ""}, None, "Vul een korte beschrijving in"),
        ({"website": ""}, None, "Vul het adres van uw website in"),
        ({"website": "geen website"}, None, "Vul een geldig webadres in"),
        ({"website": "javascript:alert(1)"}, None, "Vul een geldig webadres in"),
        ({"website": "ftp://zeta.example"}, None, "Vul een geldig webadres in"),
        ({"kvk_nummer": "1234"}, None, "8 cijfers"),
        ({"email": "geen-adres"}, None, "Vul een geldig e-mailadres in"),
        ({"organisatienaam": ""}, None, "Vul de naam van uw organisatie in"),
        ({"telefoonnummer": "bel me"}, None, "geldig telefoonnummer"),
        ({}, ("logo.png", b"dit is tekst, geen afbeelding"), "PNG-, JPEG- of WebP"),
        (
            {},
            ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            "PNG-, JPEG- of WebP",
        ),
        ({}, ("logo.gif", image_bytes("GIF")), "PNG-, JPEG- of WebP"),
        ({}, ("logo.png", image_bytes()[:40]), "PNG-, JPEG- of WebP"),
        ({}, ("logo.png", image_bytes() + b"\0" * (1024 * 1024)), "groter dan 1 MB"),
    ],
)
def test_bad_input_is_refused_with_a_dutch_message_and_nothing_is_stored(
    db, overrides, logo, expected
):
    data = form_data(**overrides)
    if logo:
        data["logo"] = logo_file(logo[1], name=logo[0])
    response = Client().post("/aanmelden", data)
    assert response.status_code == 400
    assert expected in errors_of(response)
    tree = doc(response)
    assert not section_hidden(tree, "aanmeldformulier")  # the form stays open with the input
    (name,) = tree.xpath("//input[@name='organisatienaam']")
    assert name.get("value", "") == data["organisatienaam"]
    assert not SignUp.objects.exists()
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_invalid_field_is_marked_and_linked_to_its_message(db):
    response = submit(website="geen website")
    (field,) = doc(response).xpath("//input[@name='website']")
    assert field.get("aria-invalid") == "true"
    assert "id_website_error" in field.get("aria-describedby")
    assert doc(response).xpath("//*[@id='id_website_error']")
    assert doc(response).xpath("//*[@id='foutmelding']//a/@href") == ["#id_website"]


def test_service_refuses_without_consent_or_with_a_long_description(db):
    base = {k: v for k, v in form_data().items() if k != "akkoord"}
    with pytest.raises(AccountError, match="akkoord"):
        signups.submit(**base, consent=False)
    with pytest.raises(AccountError, match="korte beschrijving"):
        signups.submit(**{**base, "beschrijving_kort": "x" * 256}, consent=True)
    with pytest.raises(AccountError, match="8 cijfers"):
        signups.submit(**{**base, "kvk_nummer": "12ab5678"}, consent=True)
    assert not SignUp.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"organisatienaam": "Andere Naam BV"}, "al een aanmelding met dit e-mailadres"),
        ({"email": "iemand@anders.example"}, "al een aanmelding voor “ZETA SOLUTIONS”"),
    ],
)
def test_duplicate_sign_up_is_refused_while_the_first_runs(db, overrides, expected):
    assert submit().status_code == 302
    if "email" in overrides:
        overrides = {**overrides, "organisatienaam": "ZETA SOLUTIONS"}
    response = submit(**overrides)
    assert response.status_code == 400
    assert expected in errors_of(response)
    assert SignUp.objects.count() == 1
    assert len(mail.outbox) == 1


def test_duplicate_of_a_sign_up_waiting_for_review_is_refused_too(db):
    submitted_and_verified()
    sent = len(mail.outbox)
    response = submit(organisatienaam="Zeta Solutions", email="ander@zeta.example")
    assert response.status_code == 400
    assert SignUp.objects.count() == 1
    assert Organisation.objects.filter(naam="Zeta Solutions").count() == 1
    assert len(mail.outbox) == sent


def test_an_expired_unconfirmed_sign_up_does_not_block_a_new_one(db):
    assert submit().status_code == 302
    SignUp.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert submit().status_code == 302
    assert SignUp.objects.count() == 2


def test_post_without_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/aanmelden", form_data())
    assert response.status_code == 403
    assert not SignUp.objects.exists()
    assert mail.outbox == []


def test_confirming_without_csrf_token_is_refused(db):
    assert submit().status_code == 302
    path = link_path(mail.outbox[0], "aanmelden/bevestigen")
    response = Client(enforce_csrf_checks=True).post(path)
    assert response.status_code == 403
    assert SignUp.objects.get().status == SignUp.Status.E_MAIL_ONBEVESTIGD
    assert not Organisation.objects.filter(type=OrganisationType.LEVERANCIER).exists()


# --- confirmation links -----------------------------------------------------------------


def test_expired_link_is_refused_and_changes_nothing(db):
    assert submit().status_code == 302
    path = link_path(mail.outbox[0], "aanmelden/bevestigen")
    SignUp.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "verlopen" in response.content.decode()
    assert SignUp.objects.get().status == SignUp.Status.E_MAIL_ONBEVESTIGD
    assert not Organisation.objects.exists()
    assert len(mail.outbox) == 1


def test_reused_link_is_refused_and_creates_no_second_organisation(db):
    assert submit().status_code == 302
    path = link_path(mail.outbox[0], "aanmelden/bevestigen")
    assert Client().post(path).status_code == 302
    sent = len(mail.outbox)
    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "al gebruikt" in response.content.decode()
    assert Organisation.objects.filter(naam="Zeta Solutions").count() == 1
    assert len(mail.outbox) == sent
    with pytest.raises(AccountError):
        signups.verify(path.rsplit("/", 1)[-1])
    assert AuditEntry.objects.filter(action="aanmelding.bevestigd").count() == 1


def test_unknown_link_is_refused(db):
    response = Client().get("/aanmelden/bevestigen/niet-bestaand-token")
    assert response.status_code == 400
    assert "onbekend" in response.content.decode()
    assert Client().post("/aanmelden/bevestigen/niet-bestaand-token").status_code == 400


# --- warnings for the reviewer ----------------------------------------------------------


def test_similar_flags_same_kvk_and_similar_names(orgs):
    orgs["leverancier2"].kvk_nummer = "87654321"
    orgs["leverancier2"].save()
    make_org("Acme", OrganisationType.LEVERANCIER)
    sign_up = submitted_and_verified(organisatienaam="ACME-software B.V.")
    warnings = signups.similar(sign_up)
    assert any("KvK" in w and "Beta Systems" in w for w in warnings)
    assert any("“Acme Software”" in w for w in warnings)  # same letters, other punctuation
    assert any("“Acme”" in w for w in warnings)  # the existing name inside the new one
    assert not any("Utrecht" in w or "Dimpact" in w for w in warnings)
    assert not any(sign_up.organisatienaam in w for w in warnings)  # not its own concept org
    (item,) = SignUpQueue().items(actor=fb_actor(orgs))
    assert item.warnings == tuple(warnings)


def test_similar_stays_quiet_for_an_unrelated_name_and_short_names(orgs):
    make_org("IT", OrganisationType.LEVERANCIER)
    sign_up = submitted_and_verified(organisatienaam="Zeta Solutions", kvk_nummer="")
    assert signups.similar(sign_up) == []


def test_similar_mentions_an_earlier_declined_sign_up(orgs):
    first = submitted_and_verified()
    signups.decline(first, actor=fb_actor(orgs), reason="Onvolledig")
    second = submitted_and_verified(organisatienaam="Zeta Solutions Nederland")
    warnings = signups.similar(second)
    assert any("eerdere aanmelding" in w and "afgewezen" in w for w in warnings)
    assert any("“Zeta Solutions” (Leverancier, inactief)" in w for w in warnings)


def test_similar_uses_trigrams_when_pg_trgm_is_installed(orgs):
    sign_up = submitted_and_verified(organisatienaam="Acme Sofware", kvk_nummer="")
    assert signups.similar(sign_up) == []  # no equality, no containment
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            pytest.skip("pg_trgm is not available on this PostgreSQL server")
    assert signups.similar(sign_up) == [
        "Lijkt op de bestaande organisatie “Acme Software” (Leverancier, actief)."
    ]


# --- logo validation --------------------------------------------------------------------


@pytest.mark.parametrize("fmt, extension", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_logo_formats_accepted_by_content(fmt, extension):
    content, ext = uploads.check_logo(logo_file(image_bytes(fmt), name="x.bin"))
    assert (content, ext) == (image_bytes(fmt), extension)


def test_logo_renamed_text_file_is_refused():
    with pytest.raises(AccountError, match="PNG-, JPEG- of WebP"):
        uploads.check_logo(logo_file(b"MZ\x90\x00 niet echt", name="logo.jpg"))


@pytest.mark.parametrize("fmt, expected", [("PNG", "PNG"), ("JPEG", "JPEG"), ("WEBP", "WEBP")])
def test_magic_bytes_recognise_the_accepted_formats(fmt, expected):
    assert uploads.sniff_image(image_bytes(fmt)[:16]) == expected


def test_magic_bytes_refuse_other_content():
    assert uploads.sniff_image(image_bytes("GIF")[:16]) is None
    assert uploads.sniff_image(b"<svg xmlns='http://www.w3.org/2000/svg'>") is None


def test_anonymous_forms_are_throttled_per_address_nothing_stored_beyond_the_limit(orgs):
    """Five sign-ups an hour from one address; the sixth is refused and sends no e-mail."""
    from core.accounts.security import SUBMISSION_LIMIT

    client = Client()
    for n in range(SUBMISSION_LIMIT):
        data = form_data(organisatienaam=f"Leverancier {n}", email=f"c{n}@example.nl")
        assert client.post("/aanmelden", data).status_code == 302
    data = form_data(organisatienaam="Nummer zes", email="zes@example.nl")
    refused = client.post("/aanmelden", data)
    assert refused.status_code == 400
    assert "te veel aanvragen" in refused.content.decode()
    assert SignUp.objects.count() == SUBMISSION_LIMIT
    assert len(mail.outbox) == SUBMISSION_LIMIT
