"""Demo credentials and organisations for `make run`; refused unless DEBUG and SWC_DEMO are on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.constants import OrganisationStatus, OrganisationType, Role

ADMIN_EMAIL = "admin@softwarecatalogus.nl"
ADMIN_PASSWORD = "demo-wachtwoord-admin"  # documented in README.md, demo only
USER_PASSWORD = "demo-wachtwoord"
# (e-mail, organisation, type, role) — documented in README.md
DEMO_USERS = [
    (
        "leverancier@example.nl",
        "Acme Software",
        OrganisationType.LEVERANCIER,
        Role.AANBOD_BEHEERDER,
    ),
    ("gemeente@example.nl", "Utrecht", OrganisationType.GEMEENTE, Role.GEBRUIK_BEHEERDER),
    ("raadpleger@example.nl", "Utrecht", OrganisationType.GEMEENTE, Role.GEBRUIK_RAADPLEGER),
]


def ensure_demo_data() -> list[str]:
    """Idempotently create the demo admin and VNG; returns what was created."""
    if not (settings.DEBUG and getattr(settings, "DEMO", False)):
        raise ImproperlyConfigured("Demodata alleen met DEBUG=1 en SWC_DEMO=1.")
    from core.models import Membership, Organisation, User

    created = []
    vng, new = Organisation.objects.get_or_create(
        naam="VNG Realisatie",
        type=OrganisationType.VNG,
        defaults={"status": OrganisationStatus.ACTIEF, "website": "https://vng.nl"},
    )
    if new:
        created.append("organisatie VNG Realisatie")
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_superuser(
            ADMIN_EMAIL, ADMIN_PASSWORD, voornaam="Demo", achternaam="Beheerder"
        )
        created.append(f"gebruiker {ADMIN_EMAIL}")
    Membership.objects.get_or_create(
        user=admin, organisation=vng, defaults={"role": Role.FUNCTIONEEL_BEHEERDER}
    )
    for email, org_name, org_type, role in DEMO_USERS:
        org, _ = Organisation.objects.get_or_create(
            naam=org_name, type=org_type, defaults={"status": OrganisationStatus.ACTIEF}
        )
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, USER_PASSWORD)
            created.append(f"gebruiker {email}")
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
    created += _demo_objects()
    return created


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
    supplier = Membership.objects.get(user__email="leverancier@example.nl")
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
