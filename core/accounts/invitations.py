"""Inviting colleagues (3.2–3.4, #60, #63, #65) and managing memberships.

An invitation is a single-use link valid for 72 hours. Nobody becomes a member of an
organisation without saying yes: someone who already has an account gets the same link and
becomes a member only when they accept it, logged in as that account (#60). The only
exception is a membership the person asked for themselves from a verified address (an
access request, a leverancier sign-up). Nobody gets a password from a beheerder: a newcomer
sets it through the link.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.accounts import AccountError, audit, mail
from core.accounts.links import absolute, hash_token, new_token
from core.accounts.notifications import notify
from core.accounts.roles import (
    BEHEERDER_ROLES,
    active_beheerders,
    require_manager,
    role_label,
    roles_for,
)
from core.actors import Actor
from core.models import Invitation, Membership, Organisation, User

INVITATION_VALID = timedelta(hours=72)
PROFILE_FIELDS = ("voornaam", "tussenvoegsel", "achternaam", "telefoonnummer", "functie")


def _check_role(organisation: Organisation, role: str) -> None:
    if role not in roles_for(organisation.type):
        raise AccountError(
            f"De rol “{role_label(role)}” bestaat niet voor een organisatie van type "
            f"{organisation.type}."
        )


@transaction.atomic
def invite(
    *,
    actor: Actor,
    organisation: Organisation,
    email: str,
    role: str,
    is_aanspreekpunt: bool = False,
    requested: bool = False,
    **profile,
) -> Invitation | Membership:
    """Invite someone by e-mail; returns the invitation, or the membership when granted at once.

    `requested` means the person asked for this membership themselves and proved the address
    (a granted access request, an activated sign-up): an existing account then becomes a
    member straight away. Otherwise an existing account is invited like anyone else, because
    a beheerder may not put someone in their organisation without consent (#60).
    `is_aanspreekpunt` makes the membership the organisation's point of contact (#65), now
    or when the invitation is accepted."""
    require_manager(actor, organisation)
    _check_role(organisation, role)
    email = User.objects.normalize_email(email).strip().lower()
    if not email:
        raise AccountError("Vul een e-mailadres in.")
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.memberships.filter(organisation=organisation).exists():
        raise AccountError(f"{email} is al lid van {organisation}.")
    if user is not None and requested:
        return _grant(actor, organisation, user, role, is_aanspreekpunt)
    Invitation.objects.filter(organisation=organisation, email=email).usable().update(
        revoked_at=timezone.now()
    )
    raw, digest = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor.user,
        token_hash=digest,
        expires_at=timezone.now() + INVITATION_VALID,
        is_aanspreekpunt=is_aanspreekpunt,
        **{k: (profile.get(k) or "").strip() for k in PROFILE_FIELDS},
    )
    _send_invitation(invitation, raw, existing_account=user is not None)
    audit.record(
        "uitnodiging.verstuurd",
        actor=actor,
        organisation=organisation,
        target=email,
        details={"rol": role, "bestaand_account": user is not None},
    )
    return invitation


def _grant(
    actor: Actor, organisation: Organisation, user: User, role: str, is_aanspreekpunt: bool
) -> Membership:
    """The membership someone asked for themselves, for their existing account."""
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, is_aanspreekpunt=is_aanspreekpunt
    )
    audit.record(
        "lidmaatschap.toegevoegd",
        actor=actor,
        organisation=organisation,
        target=user.email,
        details={"rol": role, "op_verzoek": True},
    )
    mail.send(
        "toegang_gekregen",
        user.email,
        {"organisation": organisation, "role": role_label(role), "url": absolute("/")},
    )
    return membership


def _send_invitation(invitation: Invitation, raw: str, *, existing_account: bool) -> None:
    mail.send(
        "uitnodiging",
        invitation.email,
        {
            "invitation": invitation,
            "existing_account": existing_account,
            "role": role_label(invitation.role),
            "url": absolute(reverse("invitation-accept", args=[raw])),
            "hours": int(INVITATION_VALID.total_seconds() // 3600),
        },
    )


@transaction.atomic
def reinvite(invitation: Invitation, *, actor: Actor) -> Invitation:
    """A new link (the old one stops working) with a fresh 72 hours."""
    require_manager(actor, invitation.organisation)
    if invitation.used_at:
        raise AccountError("Deze uitnodiging is al geaccepteerd.")
    raw, digest = new_token()
    invitation.token_hash = digest
    invitation.expires_at = timezone.now() + INVITATION_VALID
    invitation.revoked_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "revoked_at"])
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    _send_invitation(invitation, raw, existing_account=existing)
    audit.record(
        "uitnodiging.opnieuw",
        actor=actor,
        organisation=invitation.organisation,
        target=invitation.email,
    )
    return invitation


@transaction.atomic
def revoke(invitation: Invitation, *, actor: Actor) -> None:
    require_manager(actor, invitation.organisation)
    if invitation.used_at:
        raise AccountError("Deze uitnodiging is al geaccepteerd; schakel de gebruiker uit.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        "uitnodiging.ingetrokken",
        actor=actor,
        organisation=invitation.organisation,
        target=invitation.email,
    )


def find(raw: str) -> tuple[Invitation | None, str]:
    """The invitation behind a link, or None and a Dutch reason it no longer works."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=hash_token(raw)).first()
    )
    if invitation is None:
        return None, "Deze uitnodigingslink is onbekend of vervangen door een nieuwere."
    reasons = {
        "geaccepteerd": "Deze uitnodiging is al gebruikt. Log in met uw e-mailadres.",
        "ingetrokken": "Deze uitnodiging is ingetrokken.",
        "verlopen": "Deze uitnodiging is verlopen (een link is 72 uur geldig). Vraag de "
        "beheerder om een nieuwe.",
    }
    if invitation.status in reasons:
        return None, reasons[invitation.status]
    return invitation, ""


@transaction.atomic
def accept(invitation: Invitation, *, user: User | None = None, password: str = "") -> User:
    """Turn an invitation into a membership; without `user`, a new account with `password`.

    A logged-in user accepts for their own account only when the e-mail addresses match.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "openstaand":
        raise AccountError("Deze uitnodiging is niet meer geldig.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AccountError("Er is al een account met dit e-mailadres; log eerst in.")
        user = User(email=invitation.email, **{k: getattr(invitation, k) for k in PROFILE_FIELDS})
        validate_password(password, user)
        user.set_password(password)
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise AccountError(
            "Deze uitnodiging is voor een ander e-mailadres. Log uit en open de link opnieuw."
        )
    Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={"role": invitation.role, "is_aanspreekpunt": invitation.is_aanspreekpunt},
    )
    invitation.used_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["used_at", "accepted_by"])
    audit.record(
        "uitnodiging.geaccepteerd",
        user=user,
        organisation=invitation.organisation,
        target=invitation.email,
        details={"rol": invitation.role},
    )
    if invitation.invited_by_id:
        notify(
            [invitation.invited_by],
            "uitnodiging-geaccepteerd",
            f"{invitation.email} heeft uw uitnodiging geaccepteerd",
            f"{invitation.email} is nu {role_label(invitation.role).lower()} van "
            f"{invitation.organisation}.",
            url=reverse("organisation-users"),
        )
    return user


# --- memberships ----------------------------------------------------------------


def _keep_a_beheerder(membership: Membership, new_role: str | None, active: bool) -> None:
    """An organisation never loses its last active beheerder through its own beheer."""
    stays = active and new_role in BEHEERDER_ROLES
    if membership.role in BEHEERDER_ROLES and membership.actief and not stays:
        # All of them locked in one order: two beheerders switching each other off at once
        # are served one after the other, and the second sees the first's change.
        beheerders = active_beheerders(membership.organisation).order_by("pk")
        locked = beheerders.select_for_update().values_list("pk", flat=True)
        if not [pk for pk in locked if pk != membership.pk]:
            raise AccountError(
                "Dit is de laatste actieve beheerder van de organisatie. Maak eerst iemand "
                "anders beheerder."
            )


def _revoke_tokens(membership: Membership) -> None:
    membership.user.swc_tokens.filter(
        organisation=membership.organisation, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@transaction.atomic
def change_role(membership: Membership, role: str, *, actor: Actor) -> Membership:
    require_manager(actor, membership.organisation)
    _check_role(membership.organisation, role)
    if role == membership.role:
        return membership
    _keep_a_beheerder(membership, role, membership.actief)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _revoke_tokens(membership)  # tokens carry the role they were issued for
    audit.record(
        "lidmaatschap.rol",
        actor=actor,
        organisation=membership.organisation,
        target=membership.user.email,
        details={"van": previous, "naar": role},
    )
    return membership


@transaction.atomic
def set_active(membership: Membership, active: bool, *, actor: Actor) -> Membership:
    """ "Gebruiker uitschakelen" (or back on): the account stays, only this membership stops."""
    require_manager(actor, membership.organisation)
    if membership.actief == active:
        return membership
    if not active:
        _keep_a_beheerder(membership, membership.role, False)
    membership.actief = active
    membership.save(update_fields=["actief"])
    if not active:  # switching back on must not revive old tokens
        _revoke_tokens(membership)
    audit.record(
        "lidmaatschap.ingeschakeld" if active else "lidmaatschap.uitgeschakeld",
        actor=actor,
        organisation=membership.organisation,
        target=membership.user.email,
    )
    return membership


@transaction.atomic
def set_aanspreekpunt(membership: Membership, value: bool, *, actor: Actor) -> Membership:
    require_manager(actor, membership.organisation)
    membership.is_aanspreekpunt = value
    membership.save(update_fields=["is_aanspreekpunt"])
    audit.record(
        "lidmaatschap.aanspreekpunt",
        actor=actor,
        organisation=membership.organisation,
        target=membership.user.email,
        details={"aanspreekpunt": value},
    )
    return membership
