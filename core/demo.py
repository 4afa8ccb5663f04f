"""Demo credentials and organisations for `make run`; refused unless DEBUG and SWC_DEMO are on.

There is a demo user for every role at every kind of organisation. `make run` creates them
before it generates the catalogue, and the generator fills their organisations too, so each
login shows content. Users created after a catalogue was generated join the generated
organisation of their type with the most content.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count

from core.constants import OrganisationStatus, OrganisationType, Role

ADMIN_EMAIL = "admin@softwarecatalogus.nl"
ADMIN_PASSWORD = "demo-wachtwoord-admin"  # documented in README.md, demo only
USER_PASSWORD = "demo-wachtwoord"
VNG_NAME = "VNG Realisatie"
UTRECHT_CBS = "0344"
# The organisation each demo user acts for, by type: (name, CBS code); documented in README.md.
DEMO_ORGANISATIONS = {
    OrganisationType.LEVERANCIER: ("Acme Software", ""),
    OrganisationType.GEMEENTE: ("Utrecht", UTRECHT_CBS),
    OrganisationType.SAMENWERKING: ("Demosamenwerking Midden-Nederland", ""),
    OrganisationType.COMMUNITY: ("Democommunity Open Source", ""),
    OrganisationType.VNG: (VNG_NAME, ""),
}
# (e-mail, organisation type, role) — documented in README.md
DEMO_USERS = [
    ("leverancier@example.nl", OrganisationType.LEVERANCIER, Role.AANBOD_BEHEERDER),
    ("gemeente@example.nl", OrganisationType.GEMEENTE, Role.GEBRUIK_BEHEERDER),
    ("raadpleger@example.nl", OrganisationType.GEMEENTE, Role.GEBRUIK_RAADPLEGER),
    ("samenwerking@example.nl", OrganisationType.SAMENWERKING, Role.GEBRUIK_BEHEERDER),
    ("community@example.nl", OrganisationType.COMMUNITY, Role.AANBOD_BEHEERDER),
    ("beheerder@example.nl", OrganisationType.VNG, Role.FUNCTIONEEL_BEHEERDER),
    ("vng@example.nl", OrganisationType.VNG, Role.VNG_RAADPLEGER),
]


def ensure_demo_data() -> list[str]:
    """Idempotently create the demo admin, users and organisations; returns what was created."""
    if not (settings.DEBUG and getattr(settings, "DEMO", False)):
        raise ImproperlyConfigured("Demodata alleen met DEBUG=1 en SWC_DEMO=1.")
    from core.models import Membership, User

    created: list[str] = []
    vng = demo_organisation(OrganisationType.VNG, created)
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_superuser(
            ADMIN_EMAIL, ADMIN_PASSWORD, voornaam="Demo", achternaam="Beheerder"
        )
        created.append(f"gebruiker {ADMIN_EMAIL}")
    Membership.objects.get_or_create(
        user=admin, organisation=vng, defaults={"role": Role.FUNCTIONEEL_BEHEERDER}
    )
    for email, org_type, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, USER_PASSWORD)
            created.append(f"gebruiker {email}")
        if not user.memberships.exists():  # a user moved elsewhere in the admin stays there
            org = demo_organisation(org_type, created)
            Membership.objects.create(user=user, organisation=org, role=role)
    created += _demo_objects()
    created += _demo_account_journeys(vng)
    return created


def _demo_account_journeys(vng) -> list[str]:
    """Something in functioneel beheer's inbox, and a supplier contact on a public page.

    Written as they stand after the e-mail confirmation (the links of the real journey go
    out by e-mail, which a demo cannot click)."""
    from datetime import timedelta

    from django.utils import timezone

    from core.accounts.links import new_token
    from core.models import AccessRequest, Membership, Organisation, SignUp

    Membership.objects.filter(user__email="leverancier@example.nl").update(is_aanspreekpunt=True)
    if SignUp.objects.exists() or AccessRequest.objects.exists():
        return []
    now = timezone.now()
    concept = Organisation.objects.create(
        naam="Demo Nieuwe Leverancier BV",
        type=OrganisationType.LEVERANCIER,
        status=OrganisationStatus.CONCEPT,
        website="https://nieuwe-leverancier.example.nl",
        beschrijving_kort="Een aanmelding die op beoordeling wacht.",
    )
    SignUp.objects.create(
        organisatienaam=concept.naam,
        beschrijving_kort=concept.beschrijving_kort,
        website=concept.website,
        voornaam="Nina",
        achternaam="Nieuwkomer",
        email="nina@nieuwe-leverancier.example.nl",
        consent_at=now,
        status=SignUp.Status.TE_BEOORDELEN,
        token_hash=new_token()[1],
        expires_at=now + timedelta(hours=72),
        email_verified_at=now,
        organisation=concept,
    )
    gemeente = (
        Organisation.objects.filter(type=OrganisationType.GEMEENTE, status="Actief")
        .exclude(cbs_code=UTRECHT_CBS)
        .order_by("naam")
        .first()
    )
    if gemeente is not None:
        AccessRequest.objects.create(
            organisation=gemeente,
            voornaam="Ahmed",
            achternaam="Aanvrager",
            email="ahmed@gemeente.example.nl",
            functie="Informatiemanager",
            toelichting="Ik wil ons applicatielandschap bijhouden.",
            status=AccessRequest.Status.TE_BEOORDELEN,
            token_hash=new_token()[1],
            expires_at=now + timedelta(hours=72),
            email_verified_at=now,
        )
    return ["een aanmelding en een toegangsverzoek in Te beoordelen"]


def demo_organisation(org_type: str, created: list[str]):
    """The demo organisation of a type: the named one (a gemeente by its CBS code); else,
    once a catalogue was generated, the one of that type with the most content; else a new
    one with the demo name."""
    from core.models import Organisation

    naam, cbs_code = DEMO_ORGANISATIONS[org_type]
    found = Organisation.objects.filter(type=org_type)
    org = (found.filter(cbs_code=cbs_code) if cbs_code else found.filter(naam=naam)).first()
    if org is None and cbs_code:
        org = found.filter(naam=naam).first()
    if org is None and org_type != OrganisationType.VNG:
        org = (
            found.filter(status=OrganisationStatus.ACTIEF)
            .annotate(content=Count("register_objects"))
            .filter(content__gt=0)
            .order_by("-content", "naam")
            .first()
        )
    if org is None:
        org = Organisation.objects.create(
            naam=naam,
            type=org_type,
            status=OrganisationStatus.ACTIEF,
            cbs_code=cbs_code,
            website="https://vng.nl" if org_type == OrganisationType.VNG else "",
        )
        created.append(f"organisatie {naam}")
    return org


def _demo_objects() -> list[str]:
    """A few objects of the example register, written through the one write path."""
    from core import services
    from core.actors import Actor
    from core.constants import Channel, ObjectStatus
    from core.models import Membership, Object
    from core.register import catalog

    products = catalog.by_collection("producten")
    if products is None or Object.objects.filter(schema=products.schema).exists():
        return []
    supplier = Membership.objects.filter(user__email="leverancier@example.nl").first()
    if supplier is None or supplier.organisation.type != "Leverancier":
        return []
    actor = Actor.for_membership(supplier, channel=Channel.SYSTEM)
    aanbieder = str(supplier.organisation.uuid)
    for naam, categorie, labels in [
        ("Zaaksysteem Plus", "software", ["cloud"]),
        ("Burgerzaken Compleet", "software", ["on-premises"]),
        ("Hosting en beheer", "dienst", []),
    ]:
        services.create_object(
            products,
            {
                "naam": naam,
                "aanbieder": aanbieder,
                "categorie": categorie,
                "labels": labels,
                "beschrijving": f"{naam}: een voorbeeldproduct van de demo.",
            },
            actor=actor,
            status=ObjectStatus.GEPUBLICEERD,
        )
    return ["3 voorbeeldproducten"]
