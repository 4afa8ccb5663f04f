"""Functioneel beheer's organisation actions: create (1.2), activate and deactivate.

Inactief stops members from acting for the organisation (they keep their login and other
memberships, see `core.actors.ACTING_STATUSES`) and withdraws its published content from
public view (`core.constants.PUBLIC_ORGANISATION_STATUSES`). Samengevoegd is reached only
through a merge (`core.accounts.merge`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.accounts import AccountError, audit, invitations
from core.accounts.notifications import notify_organisation
from core.accounts.roles import first_beheerder_role, require_functioneel_beheer, single_line
from core.actors import Actor
from core.constants import OrganisationStatus, OrganisationType
from core.models import Organisation, SignUp

Status = OrganisationStatus
# Allowed status changes by hand; Samengevoegd is final.
TRANSITIONS = {
    Status.CONCEPT: (Status.ACTIEF, Status.INACTIEF),
    Status.ACTIEF: (Status.INACTIEF,),
    Status.INACTIEF: (Status.ACTIEF,),
    Status.SAMENGEVOEGD: (),
}
STATUS_ACTIONS = {
    Status.ACTIEF: "organisatie.geactiveerd",
    Status.INACTIEF: "organisatie.gedeactiveerd",
}


@transaction.atomic
def create_organisation(
    *,
    actor: Actor,
    naam: str,
    type: str,
    beheerder_email: str = "",
    beheerder: dict | None = None,
    **fields,
) -> Organisation:
    """A new, active organisation (gemeenten, samenwerkingen and communities do not sign up
    themselves), with its first beheerder invited when an e-mail address is given (#63)."""
    require_functioneel_beheer(actor)
    if type not in OrganisationType.values:
        raise AccountError(f"Onbekend organisatietype “{type}”.")
    naam = single_line(naam)
    if not naam:
        raise AccountError("Vul de naam van de organisatie in.")
    if Organisation.objects.filter(naam__iexact=naam, type=type).exists():
        raise AccountError(f"Er bestaat al een {type.lower()} met de naam “{naam}”.")
    org = Organisation.objects.create(naam=naam, type=type, status=Status.ACTIEF, **fields)
    audit.record("organisatie.aangemaakt", actor=actor, organisation=org, target=naam)
    if beheerder_email:
        invitations.invite(
            actor=actor,
            organisation=org,
            email=beheerder_email,
            role=first_beheerder_role(type),
            **(beheerder or {}),
        )
    return org


@transaction.atomic
def set_status(org: Organisation, status: str, *, actor: Actor) -> Organisation:
    """Activate or deactivate; activating a signed-up leverancier invites its contact person."""
    require_functioneel_beheer(actor)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if status == org.status:
        return org
    if status not in TRANSITIONS.get(org.status, ()):
        raise AccountError(
            f"Een organisatie met status {org.status} kan niet naar status {status}."
        )
    if org.type == OrganisationType.VNG and status == Status.INACTIEF:
        raise AccountError("VNG zelf kan niet worden gedeactiveerd: dan kan niemand meer beheren.")
    previous = org.status
    org.status = status
    org.save(update_fields=["status", "updated_at"])
    audit.record(
        STATUS_ACTIONS[status],
        actor=actor,
        organisation=org,
        target=org.naam,
        details={"van": previous, "naar": status},
    )
    sign_up = SignUp.objects.filter(organisation=org, status=SignUp.Status.TE_BEOORDELEN).first()
    if status == Status.ACTIEF and sign_up is not None:
        _welcome_signed_up(sign_up, org, actor)
    word = "geactiveerd" if status == Status.ACTIEF else "gedeactiveerd"
    notify_organisation(
        org,
        "organisatiestatus",
        f"{org} is {word}",
        f"Functioneel beheer heeft {org} {word}."
        + (
            ""
            if status == Status.ACTIEF
            else " U kunt niet meer namens deze organisatie handelen en haar gepubliceerde "
            "gegevens zijn niet meer openbaar."
        ),
        url="/mijn-account",
    )
    return org


def _welcome_signed_up(sign_up: SignUp, org: Organisation, actor: Actor) -> None:
    """The contact person of the sign-up becomes the first aanbod-beheerder (#63)."""
    sign_up.status = SignUp.Status.GEACTIVEERD
    sign_up.decided_by = actor.user
    sign_up.decided_at = timezone.now()
    sign_up.save(update_fields=["status", "decided_by", "decided_at"])
    invitations.invite(
        actor=actor,
        organisation=org,
        email=sign_up.email,
        role=first_beheerder_role(org.type),
        voornaam=sign_up.voornaam,
        tussenvoegsel=sign_up.tussenvoegsel,
        achternaam=sign_up.achternaam,
        telefoonnummer=sign_up.telefoonnummer,
        requested=True,  # the contact person signed up and confirmed the address
    )
