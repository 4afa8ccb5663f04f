"""Issue 4's access rules, walked once: every role at every organisation type × every journey,
through the site, the admin and the API, with the expected outcome written out by hand.

Outcomes: "ok" (done, or shown), "geweigerd" (refused, and nothing changed), "login" (sent to
the login page), "zichtbaar" / "verborgen" (a detail appears on a page or not).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from core import services
from core.actors import Actor
from core.constants import ObjectStatus, OrganisationStatus, OrganisationType, Role
from core.models import (
    ApiToken,
    Deelneming,
    Invitation,
    Membership,
    Organisation,
    OrganisationDocument,
    SignUp,
)
from core.register import catalog
from tests.admin.conftest import admin_access, logged_in
from tests.conftest import Api, make_org, member

pytestmark = pytest.mark.django_db

# Who acts: (organisation in `orgs`, role); None is an anonymous visitor.
ACTORS = {
    "anoniem": None,
    "gemeente-beheerder": ("gemeente", Role.GEBRUIK_BEHEERDER),
    "gemeente-raadpleger": ("gemeente", Role.GEBRUIK_RAADPLEGER),
    "leverancier": ("leverancier", Role.AANBOD_BEHEERDER),
    "samenwerking-beheerder": ("samenwerking", Role.GEBRUIK_BEHEERDER),
    "community-beheerder": ("community", Role.AANBOD_BEHEERDER),
    "functioneel-beheerder": ("vng", Role.FUNCTIONEEL_BEHEERDER),
    "vng-raadpleger": ("vng", Role.VNG_RAADPLEGER),
}
A, GB, GR, L, SB, CB, FB, VR = ACTORS

# journey → {actor: expected outcome}, by hand from the issue and the requirements (§3.4, §8.2).
EXPECTED = {
    # 3.1: the beheerder sees the organisation's users; a raadpleger never.
    "gebruikers-bekijken": {
        A: "login",
        GB: "ok",
        GR: "geweigerd",
        L: "ok",
        SB: "ok",
        CB: "ok",
        FB: "ok",
        VR: "geweigerd",
    },
    # 3.2: add a colleague in a role of the own organisation type.
    "collega-uitnodigen": {
        A: "login",
        GB: "ok",
        GR: "geweigerd",
        L: "ok",
        SB: "ok",
        CB: "ok",
        FB: "ok",
        VR: "geweigerd",
    },
    # Role escalation: only VNG has the functioneel-beheerder role, so only its beheer grants it.
    "rol-functioneel-beheerder-toekennen": {
        A: "login",
        GB: "geweigerd",
        GR: "geweigerd",
        L: "geweigerd",
        SB: "geweigerd",
        CB: "geweigerd",
        FB: "ok",
        VR: "geweigerd",
    },
    # A beheerder of A cannot act on B by changing an id (the site acts for the own org only).
    "rol-wijzigen-bij-andere-organisatie": {
        A: "login",
        GB: "geweigerd",
        GR: "geweigerd",
        L: "geweigerd",
        SB: "geweigerd",
        CB: "geweigerd",
        FB: "geweigerd",
        VR: "geweigerd",
    },
    # 2.1: the beheerder edits the organisation profile.
    "profiel-bewerken": {
        A: "login",
        GB: "ok",
        GR: "geweigerd",
        L: "ok",
        SB: "ok",
        CB: "ok",
        FB: "ok",
        VR: "geweigerd",
    },
    # 2.2: a gemeente or leverancier joins a samenwerking itself; others cannot.
    "deelnemen-aan-samenwerking": {
        A: "login",
        GB: "ok",
        GR: "geweigerd",
        L: "ok",
        SB: "geweigerd",
        CB: "geweigerd",
        FB: "geweigerd",
        VR: "geweigerd",
    },
    # Nothing of another organisation's users is visible (not even to government).
    "gebruiker-van-andere-organisatie": {
        A: "verborgen",
        GB: "verborgen",
        GR: "verborgen",
        L: "verborgen",
        SB: "verborgen",
        CB: "verborgen",
        FB: "verborgen",
        VR: "verborgen",
    },
    # Municipal contact persons: government users only, never anonymous visitors or suppliers.
    "aanspreekpunt-gemeente": {
        A: "verborgen",
        GB: "zichtbaar",
        GR: "zichtbaar",
        L: "verborgen",
        SB: "zichtbaar",
        CB: "verborgen",
        FB: "zichtbaar",
        VR: "verborgen",
    },
    # A supplier's point of contact is public.
    "aanspreekpunt-leverancier": {
        A: "zichtbaar",
        GB: "zichtbaar",
        GR: "zichtbaar",
        L: "zichtbaar",
        SB: "zichtbaar",
        CB: "zichtbaar",
        FB: "zichtbaar",
        VR: "zichtbaar",
    },
    # 1.3: whether an organisation has an active beheerder is public; who it is is not.
    "heeft-beheerder": {
        A: "ok",
        GB: "ok",
        GR: "ok",
        L: "ok",
        SB: "ok",
        CB: "ok",
        FB: "ok",
        VR: "ok",
    },
    # A direct URL to another organisation's private document: 404, nothing leaked.
    "prive-document-andere-organisatie": {
        A: "geweigerd",
        GB: "geweigerd",
        GR: "geweigerd",
        L: "geweigerd",
        SB: "geweigerd",
        CB: "geweigerd",
        FB: "ok",
        VR: "geweigerd",
    },
    # The "Te beoordelen" inbox: functioneel beheer decides, VNG-raadplegers read.
    "inbox-bekijken": {
        A: "login",
        GB: "geweigerd",
        GR: "geweigerd",
        L: "geweigerd",
        SB: "geweigerd",
        CB: "geweigerd",
        FB: "ok",
        VR: "ok",
    },
    "aanmelding-accepteren": {
        A: "geweigerd",
        GB: "geweigerd",
        GR: "geweigerd",
        L: "geweigerd",
        SB: "geweigerd",
        CB: "geweigerd",
        FB: "ok",
        VR: "geweigerd",
    },
    # API: a Concept organisation is known to government users only (and its own members).
    "api-concept-organisatie": {
        A: "geweigerd",
        GB: "ok",
        GR: "ok",
        L: "geweigerd",
        SB: "ok",
        CB: "geweigerd",
        FB: "ok",
        VR: "geweigerd",
    },
    # API: a gemeente's contactpersonen are for government users only.
    "api-contactpersoon-gemeente": {
        A: "verborgen",
        GB: "zichtbaar",
        GR: "zichtbaar",
        L: "verborgen",
        SB: "zichtbaar",
        CB: "verborgen",
        FB: "zichtbaar",
        VR: "verborgen",
    },
}
CASES = [(journey, who) for journey, outcomes in EXPECTED.items() for who in outcomes]

DEN_HAAG_USER = "medewerker@denhaag.example"
DEN_HAAG_CONTACT = "aanspreekpunt@denhaag.example"
ACME_CONTACT = "verkoop@acme.example"


@pytest.fixture
def world(orgs):
    """The organisations of `orgs`, plus what the journeys look at in Den Haag and Acme."""
    den_haag = orgs["gemeente2"]
    beheerder = member(den_haag, Role.GEBRUIK_BEHEERDER, email="beheer@denhaag.example")
    staff = member(den_haag, Role.GEBRUIK_RAADPLEGER, email=DEN_HAAG_USER)
    contact = member(den_haag, Role.GEBRUIK_RAADPLEGER, email=DEN_HAAG_CONTACT)
    Membership.objects.filter(pk=contact.pk).update(is_aanspreekpunt=True)
    supplier_contact = member(orgs["leverancier2"], Role.AANBOD_BEHEERDER, email=ACME_CONTACT)
    Membership.objects.filter(pk=supplier_contact.pk).update(is_aanspreekpunt=True)
    document = OrganisationDocument(
        organisation=den_haag,
        naam="Interne verklaring",
        filename="verklaring.pdf",
        content_type="application/pdf",
        openbaar=False,
    )
    document.bestand.save("verklaring.pdf", ContentFile(b"%PDF-1.4 intern"))
    concept = make_org("Nieuw BV", OrganisationType.LEVERANCIER, status=OrganisationStatus.CONCEPT)
    sign_up = SignUp.objects.create(
        organisatienaam=concept.naam,
        beschrijving_kort="Nieuw",
        website="https://nieuw.example",
        voornaam="Nina",
        achternaam="Nieuw",
        email="nina@nieuw.example",
        consent_at=timezone.now(),
        status=SignUp.Status.TE_BEOORDELEN,
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(hours=72),
        email_verified_at=timezone.now(),
        organisation=concept,
    )
    contactpersonen = catalog.by_collection("contactpersonen")
    services.create_object(
        contactpersonen,
        {"voornaam": "Gea", "achternaam": "Gemeentelijk", "emailadres": "gea@denhaag.example"},
        actor=Actor.for_membership(beheerder),
        status=ObjectStatus.GEPUBLICEERD,
    )
    return {
        "orgs": orgs,
        "den_haag": den_haag,
        "staff": staff,
        "document": document,
        "concept": concept,
        "sign_up": sign_up,
    }


def membership_of(world, who: str) -> Membership | None:
    if ACTORS[who] is None:
        return None
    org_key, role = ACTORS[who]
    return member(world["orgs"][org_key], role, email=f"{who}@journey.example")


def site_client(world, who: str) -> Client:
    membership = membership_of(world, who)
    if membership is None:
        return Client()
    if who in (FB, VR):
        admin_access(membership.user)
        membership.user.is_staff = True
        membership.user.save(update_fields=["is_staff"])
    return logged_in(membership.user)


def refused_or_login(response) -> str:
    """An anonymous visitor is sent to log in; anyone logged in who may not is refused (Wagtail
    sends them to its login page too, which counts as refused: they are already logged in)."""
    assert response.status_code in (302, 400, 403, 404), response.status_code
    login = response.status_code == 302 and response["Location"].startswith("/inloggen")
    return "login" if login and not response.wsgi_request.user.is_authenticated else "geweigerd"


def page_shows(response, text: str) -> str:
    assert response.status_code == 200, response.status_code
    return "zichtbaar" if text in response.content.decode() else "verborgen"


# --- journeys: each returns the observed outcome ------------------------------------------


def users_page(client, world, who):
    response = client.get("/mijn-organisatie/gebruikers")
    return "ok" if response.status_code == 200 else refused_or_login(response)


def _invite(client, world, who, role: str | None):
    membership = membership_of(world, who)
    if role is None:  # the first role of the own organisation type
        from core.accounts.roles import roles_for

        role = (
            roles_for(membership.organisation.type)[-1] if membership else Role.GEBRUIK_RAADPLEGER
        )
    response = client.post(
        "/mijn-organisatie/gebruikers/toevoegen",
        {"voornaam": "Cor", "achternaam": "Collega", "email": "cor@journey.example", "rol": role},
    )
    created = Invitation.objects.filter(email="cor@journey.example", role=role)
    if response.status_code == 302 and created.exists():
        return "ok"
    assert not created.exists()
    return refused_or_login(response)


def invite_colleague(client, world, who):
    return _invite(client, world, who, None)


def grant_functioneel_beheer(client, world, who):
    return _invite(client, world, who, Role.FUNCTIONEEL_BEHEERDER)


def change_role_elsewhere(client, world, who):
    staff = world["staff"]
    response = client.post(
        "/mijn-organisatie/gebruikers/rol",
        {"lidmaatschap": staff.pk, "rol": Role.GEBRUIK_BEHEERDER},
    )
    staff.refresh_from_db()
    assert staff.role == Role.GEBRUIK_RAADPLEGER
    return refused_or_login(response)


def edit_profile(client, world, who):
    membership = membership_of(world, who)
    response = client.post(
        "/mijn-organisatie",
        {"weergavenaam": "Nieuwe naam", "beschrijving_kort": "Bijgewerkt", "website": ""},
    )
    if membership is not None:
        org = Organisation.objects.get(pk=membership.organisation_id)
        if org.weergavenaam == "Nieuwe naam":
            assert response.status_code == 302
            return "ok"
    return refused_or_login(response)


def join_samenwerking(client, world, who):
    target = world["orgs"]["samenwerking"]
    response = client.post("/mijn-organisatie/deelnemingen", {"samenwerking": target.pk})
    membership = membership_of(world, who)
    joined = membership and Deelneming.objects.filter(
        organisation=membership.organisation, samenwerking=target
    )
    if joined and joined.exists():
        return "ok"
    return refused_or_login(response)


def other_users(client, world, who):
    return page_shows(client.get(f"/organisaties/{world['den_haag'].uuid}"), DEN_HAAG_USER)


def gemeente_contact(client, world, who):
    return page_shows(client.get(f"/organisaties/{world['den_haag'].uuid}"), DEN_HAAG_CONTACT)


def leverancier_contact(client, world, who):
    return page_shows(
        client.get(f"/organisaties/{world['orgs']['leverancier2'].uuid}"), ACME_CONTACT
    )


def has_beheerder(client, world, who):
    page = client.get(f"/organisaties/{world['den_haag'].uuid}").content.decode()
    # Who the beheerder is stays within the organisation (and functioneel beheer, managing all).
    assert ("beheer@denhaag.example" in page) == (who == FB)
    return "ok" if "actieve beheerder" in page else "geweigerd"


def private_document(client, world, who):
    document = world["document"]
    url = f"/organisaties/{world['den_haag'].uuid}/documenten/{document.uuid}"
    response = client.get(url)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 intern"
        return "ok"
    assert response.status_code == 404
    return "geweigerd"


def inbox(client, world, who):
    response = client.get("/admin/te-beoordelen/")
    if response.status_code == 200:
        assert "Nieuw BV" in response.content.decode()
        return "ok"
    return refused_or_login(response)


def accept_sign_up(client, world, who):
    sign_up = world["sign_up"]
    client.post(
        "/admin/te-beoordelen/",
        {"queue": "aanmeldingen", "key": str(sign_up.uuid), "action": "accept", "note": ""},
    )
    world["concept"].refresh_from_db()
    if world["concept"].status == OrganisationStatus.ACTIEF:
        return "ok"
    assert world["concept"].status == OrganisationStatus.CONCEPT
    return "geweigerd"


def _api(world, who) -> Api:
    membership = membership_of(world, who)
    if membership is None:
        return Api()
    _token, raw = ApiToken.objects.issue(membership, "journey")
    return Api(raw)


def api_concept(client, world, who):
    response = _api(world, who).get(f"/api/v1/organisaties/{world['concept'].uuid}")
    assert response.status_code in (200, 404)
    return "ok" if response.status_code == 200 else "geweigerd"


def api_contact(client, world, who):
    response = _api(world, who).get(
        "/api/v1/contactpersonen", {"organisatie": str(world["den_haag"].uuid)}
    )
    assert response.status_code == 200
    return "zichtbaar" if response.json()["total"] else "verborgen"


JOURNEYS = {
    "gebruikers-bekijken": users_page,
    "collega-uitnodigen": invite_colleague,
    "rol-functioneel-beheerder-toekennen": grant_functioneel_beheer,
    "rol-wijzigen-bij-andere-organisatie": change_role_elsewhere,
    "profiel-bewerken": edit_profile,
    "deelnemen-aan-samenwerking": join_samenwerking,
    "gebruiker-van-andere-organisatie": other_users,
    "aanspreekpunt-gemeente": gemeente_contact,
    "aanspreekpunt-leverancier": leverancier_contact,
    "heeft-beheerder": has_beheerder,
    "prive-document-andere-organisatie": private_document,
    "inbox-bekijken": inbox,
    "aanmelding-accepteren": accept_sign_up,
    "api-concept-organisatie": api_concept,
    "api-contactpersoon-gemeente": api_contact,
}


def test_every_journey_has_a_walker_and_every_actor_an_expectation():
    assert set(JOURNEYS) == set(EXPECTED)
    assert all(set(outcomes) == set(ACTORS) for outcomes in EXPECTED.values())


@pytest.mark.parametrize("journey, who", CASES, ids=[f"{j}-{w}" for j, w in CASES])
def test_access(world, journey, who):
    client = site_client(world, who)
    assert JOURNEYS[journey](client, world, who) == EXPECTED[journey][who]
