"""Demo credentials and organisations for `make run`; refused unless DEBUG and SWC_DEMO are on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.constants import OrganisationStatus, OrganisationType, Role

ADMIN_EMAIL = "admin@softwarecatalogus.nl"
ADMIN_PASSWORD = "demo-wachtwoord-admin"  # documented in README.md, demo only


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
    return created
