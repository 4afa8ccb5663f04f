"""Which roles exist per organisation type, and who counts as an organisation's beheerder."""

from __future__ import annotations

from core.actors import Actor
from core.constants import OrganisationType, Role

ROLES_BY_TYPE: dict[str, tuple[str, ...]] = {
    OrganisationType.LEVERANCIER: (Role.AANBOD_BEHEERDER,),
    OrganisationType.COMMUNITY: (Role.AANBOD_BEHEERDER,),
    OrganisationType.GEMEENTE: (Role.GEBRUIK_BEHEERDER, Role.GEBRUIK_RAADPLEGER),
    OrganisationType.SAMENWERKING: (
        Role.GEBRUIK_BEHEERDER,
        Role.GEBRUIK_RAADPLEGER,
        Role.AANBOD_BEHEERDER,
    ),
    OrganisationType.VNG: (Role.FUNCTIONEEL_BEHEERDER, Role.VNG_RAADPLEGER),
}
# "Beheerder of an organisation": manages its users, profile and deelnemingen.
BEHEERDER_ROLES = (Role.AANBOD_BEHEERDER, Role.GEBRUIK_BEHEERDER, Role.FUNCTIONEEL_BEHEERDER)
# Types that may take part in a samenwerking or community, and the types one takes part in.
DEELNEMER_TYPES = (OrganisationType.GEMEENTE, OrganisationType.LEVERANCIER)
SAMENWERKING_TYPES = (OrganisationType.SAMENWERKING, OrganisationType.COMMUNITY)


def roles_for(org_type: str) -> tuple[str, ...]:
    return ROLES_BY_TYPE.get(org_type, ())


def first_beheerder_role(org_type: str) -> str:
    """The role of an organisation's first beheerder (invited by functioneel beheer)."""
    if org_type in (OrganisationType.LEVERANCIER, OrganisationType.COMMUNITY):
        return Role.AANBOD_BEHEERDER
    if org_type == OrganisationType.VNG:
        return Role.FUNCTIONEEL_BEHEERDER
    return Role.GEBRUIK_BEHEERDER


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def manages(actor: Actor, organisation) -> bool:
    """May the actor manage this organisation's users, profile and deelnemingen?"""
    if actor.is_functioneel_beheerder:
        return True
    return (
        actor.organisation is not None
        and actor.organisation.pk == organisation.pk
        and actor.role in BEHEERDER_ROLES
    )


def reads_beheer(actor: Actor) -> bool:
    """Functioneel beheer and VNG-raadplegers see the admin's organisation views (the latter
    read-only)."""
    if actor.is_functioneel_beheerder:
        return True
    org = actor.organisation
    return actor.role == Role.VNG_RAADPLEGER and org is not None and org.type == "VNG"


def require_functioneel_beheer(actor: Actor, what: str = "dit doen") -> None:
    """Refuse (403) unless the actor is functioneel beheer; `what` completes the message."""
    from core.services import NotAllowed

    if not actor.is_functioneel_beheerder:
        raise NotAllowed(f"Alleen functioneel beheer mag {what}.")


def require_manager(actor: Actor, organisation, what: str = "dit doen") -> None:
    """Refuse (403) unless the actor manages this organisation (or is functioneel beheer)."""
    from core.services import NotAllowed

    if not manages(actor, organisation):
        raise NotAllowed(f"Alleen een beheerder van deze organisatie mag {what}.")


def active_beheerders(organisation=None):
    """Active beheer memberships of active users (of one organisation, or all of them)."""
    from core.models import Membership

    found = Membership.objects.filter(actief=True, role__in=BEHEERDER_ROLES, user__is_active=True)
    return found if organisation is None else found.filter(organisation=organisation)


def single_line(value: str) -> str:
    """Names and other one-line fields: no line breaks (they end up in e-mail subjects)."""
    return " ".join((value or "").split())
