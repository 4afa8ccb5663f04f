"""“Contact opnemen met VNG” (klantreis gemeente 1.4–1.7): asking for access to a gemeente.

Someone without access fills in the anonymous form and confirms their e-mail address.
Functioneel beheer then either grants access (an invitation as gebruik-beheerder) or forwards
the request to the gemeente's current beheerders, who grant or decline it from their
Gebruikers page. The form never tells the requester whether, or by whom, a gemeente is
managed: only functioneel beheer sees that.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.accounts import AccountError, audit, invitations, mail, roles
from core.accounts.links import absolute, hash_token, new_token
from core.accounts.notifications import notify, notify_functioneel_beheer
from core.accounts.roles import (
    first_beheerder_role,
    manages,
    require_functioneel_beheer,
    role_label,
    roles_for,
)
from core.accounts.signups import inbox_url
from core.actors import Actor
from core.constants import OrganisationStatus, OrganisationType
from core.models import AccessRequest, Membership, Organisation, User
from core.services import NotAllowed

REQUEST_VALID = timedelta(hours=72)
USERS_PAGE = "/mijn-organisatie/gebruikers"

Status = AccessRequest.Status


def gemeenten():
    """The gemeenten one can ask access for: the active ones (342 in production)."""
    return Organisation.objects.filter(
        type=OrganisationType.GEMEENTE, status=OrganisationStatus.ACTIEF
    ).order_by("naam")


def active_beheerders(organisation: Organisation):
    """Users who manage the organisation now (active membership, active account)."""
    memberships = roles.active_beheerders(organisation)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("pk")


def _users_page() -> str:
    try:
        return reverse("organisation-users")
    except NoReverseMatch:  # the Gebruikers page is registered by core.site.users
        return USERS_PAGE


def _open_requests():
    return AccessRequest.objects.filter(
        Q(status__in=(Status.TE_BEOORDELEN, Status.DOORGESTUURD))
        | Q(status=Status.E_MAIL_ONBEVESTIGD, expires_at__gt=timezone.now())
    )


def _clean(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


@transaction.atomic
def submit(
    *,
    organisation: Organisation,
    voornaam: str,
    achternaam: str,
    email: str,
    tussenvoegsel: str = "",
    telefoonnummer: str = "",
    functie: str = "",
    toelichting: str = "",
    actor: Actor | None = None,
) -> AccessRequest:
    """Store the request and e-mail the confirmation link (nothing is reviewed before that)."""
    if not gemeenten().filter(pk=organisation.pk).exists():
        raise AccountError("Kies een gemeente uit de lijst.")
    email = User.objects.normalize_email(email or "").strip().lower()
    voornaam, achternaam = _clean(voornaam, 100), _clean(achternaam, 150)
    if not (email and voornaam and achternaam):
        raise AccountError("Vul uw voornaam, achternaam en e-mailadres in.")
    toelichting = (toelichting or "").strip()
    if len(toelichting) > 2000:
        raise AccountError("De toelichting mag hoogstens 2000 tekens lang zijn.")
    # Serialise submissions so that a double click cannot create two requests.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('swc-toegangsverzoek'))")
    if _open_requests().filter(organisation=organisation, email__iexact=email).exists():
        raise AccountError(
            f"U heeft al een lopend verzoek om toegang tot {organisation}. Bevestig uw "
            "e-mailadres met de link uit de e-mail die u kreeg, of wacht op het antwoord."
        )
    raw, digest = new_token()
    request = AccessRequest.objects.create(
        organisation=organisation,
        voornaam=voornaam,
        tussenvoegsel=_clean(tussenvoegsel, 30),
        achternaam=achternaam,
        email=email,
        telefoonnummer=_clean(telefoonnummer, 30),
        functie=_clean(functie, 100),
        toelichting=toelichting,
        token_hash=digest,
        expires_at=timezone.now() + REQUEST_VALID,
    )
    mail.send(
        "toegangsverzoek_bevestigen",
        email,
        {
            "request": request,
            "url": absolute(reverse("access-request-verify", args=[raw])),
            "hours": int(REQUEST_VALID.total_seconds() // 3600),
        },
    )
    audit.record(
        "toegangsverzoek.ingediend",
        actor=actor,
        organisation=organisation,
        target=email,
        details={"verzoek": str(request.uuid)},
    )
    return request


def find(raw: str) -> tuple[AccessRequest | None, str]:
    """The unconfirmed request behind a link, or None and a Dutch reason it does not work."""
    request = (
        AccessRequest.objects.select_related("organisation")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if request is None:
        return None, "Deze bevestigingslink is onbekend. Controleer of u de hele link gebruikt."
    if request.status in (Status.TE_BEOORDELEN, Status.DOORGESTUURD):
        return None, (
            "Deze bevestigingslink is al gebruikt. Uw verzoek is ontvangen; u krijgt bericht "
            "zodra erover is besloten."
        )
    if request.status != Status.E_MAIL_ONBEVESTIGD:
        return None, "Deze bevestigingslink is al gebruikt; over het verzoek is besloten."
    if request.expires_at <= timezone.now():
        return None, (
            "Deze bevestigingslink is verlopen (een link is 72 uur geldig). Dien uw verzoek "
            "opnieuw in."
        )
    return request, ""


@transaction.atomic
def verify(raw: str, *, actor: Actor | None = None) -> AccessRequest:
    """Confirm the e-mail address: the request goes to functioneel beheer."""
    found, reason = find(raw)
    if found is None:
        raise AccountError(reason)
    request = AccessRequest.objects.select_for_update().get(pk=found.pk)
    if request.status != Status.E_MAIL_ONBEVESTIGD:
        raise AccountError("Deze bevestigingslink is al gebruikt.")
    request.status = Status.TE_BEOORDELEN
    request.email_verified_at = timezone.now()
    request.save(update_fields=["status", "email_verified_at"])
    audit.record(
        "toegangsverzoek.bevestigd",
        actor=actor,
        organisation=found.organisation,
        target=request.email,
        details={"verzoek": str(request.uuid)},
    )
    mail.send("toegangsverzoek_bevestigd", request.email, {"request": found})
    notify_functioneel_beheer(
        "toegangsverzoek",
        f"Toegangsverzoek voor {found.organisation}",
        f"{request.naam} ({request.email}) vraagt toegang tot {found.organisation}. Beoordeel "
        "het verzoek bij “Te beoordelen” in de beheeromgeving.",
        url=inbox_url(),
    )
    return request


# --- decisions ----------------------------------------------------------------------


def _lock(request: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=request.pk)
    )


def _require_status(request: AccessRequest, *statuses: str) -> None:
    if request.status not in statuses:
        if request.status == Status.E_MAIL_ONBEVESTIGD:
            raise AccountError("De aanvrager heeft het e-mailadres nog niet bevestigd.")
        raise AccountError("Dit toegangsverzoek is al afgehandeld.")


def _require_forwarded_beheerder(request: AccessRequest, actor: Actor) -> None:
    """The gemeente's own beheerder may decide only requests forwarded to the gemeente."""
    if actor.is_functioneel_beheerder:
        return
    if not manages(actor, request.organisation):
        raise NotAllowed("Alleen een beheerder van deze organisatie mag dit doen.")
    if request.status == Status.DOORGESTUURD:
        return
    if request.forwarded_to_id and request.status in (Status.TOEGEKEND, Status.AFGEWEZEN):
        raise AccountError("Dit toegangsverzoek is al afgehandeld.")
    raise NotAllowed("Dit toegangsverzoek is niet aan uw organisatie doorgestuurd.")


def _decided(request: AccessRequest, status: str, actor: Actor) -> None:
    request.status = status
    request.decided_by = actor.user
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])


def _invite(request: AccessRequest, role: str, actor: Actor):
    return invitations.invite(
        actor=actor,
        organisation=request.organisation,
        email=request.email,
        role=role,
        voornaam=request.voornaam,
        tussenvoegsel=request.tussenvoegsel,
        achternaam=request.achternaam,
        telefoonnummer=request.telefoonnummer,
        functie=request.functie,
        requested=True,  # the requester asked for it from the address they confirmed
    )


def _granted(request: AccessRequest, role: str, actor: Actor, result) -> None:
    _decided(request, Status.TOEGEKEND, actor)
    audit.record(
        "toegangsverzoek.toegekend",
        actor=actor,
        organisation=request.organisation,
        target=request.email,
        details={"rol": role, "verzoek": str(request.uuid)},
    )
    mail.send(
        "toegangsverzoek_toegekend",
        request.email,
        {
            "request": request,
            "role": role_label(role),
            # An existing account got the membership at once; others get an invitation.
            "invited": not isinstance(result, Membership),
            "url": absolute("/"),
        },
    )


@transaction.atomic
def grant(request: AccessRequest, *, actor: Actor) -> AccessRequest:
    """Functioneel beheer grants access: the requester becomes gebruik-beheerder (1.6)."""
    require_functioneel_beheer(actor, "dit toegangsverzoek behandelen")
    request = _lock(request)
    _require_status(request, Status.TE_BEOORDELEN, Status.DOORGESTUURD)
    role = first_beheerder_role(request.organisation.type)
    result = _invite(request, role, actor)
    _granted(request, role, actor, result)
    return request


@transaction.atomic
def forward(request: AccessRequest, *, actor: Actor) -> AccessRequest:
    """Functioneel beheer puts the requester in touch with the current beheerders (1.7)."""
    require_functioneel_beheer(actor, "dit toegangsverzoek behandelen")
    request = _lock(request)
    _require_status(request, Status.TE_BEOORDELEN)
    beheerders = list(active_beheerders(request.organisation))
    if not beheerders:
        raise AccountError(
            f"{request.organisation} heeft geen actieve beheerder. Ken de toegang zelf toe."
        )
    request.status = Status.DOORGESTUURD
    request.forwarded_to = beheerders[0]
    request.save(update_fields=["status", "forwarded_to"])
    audit.record(
        "toegangsverzoek.doorgestuurd",
        actor=actor,
        organisation=request.organisation,
        target=request.email,
        details={"verzoek": str(request.uuid), "beheerders": [u.email for u in beheerders]},
    )
    notify(
        beheerders,
        "toegangsverzoek",
        f"Toegangsverzoek voor {request.organisation}",
        f"{request.naam} ({request.email}"
        + (f", {request.functie}" if request.functie else "")
        + f") vraagt toegang tot {request.organisation}. Functioneel beheer van VNG heeft het "
        "verzoek aan u doorgestuurd: ken de toegang toe of wijs het verzoek af op de pagina "
        "Gebruikers.",
        url=_users_page(),
    )
    mail.send("toegangsverzoek_doorgestuurd", request.email, {"request": request})
    return request


def pending_for(organisation: Organisation):
    """Requests forwarded to this organisation's beheerders, oldest first (for its Gebruikers
    page)."""
    return AccessRequest.objects.filter(
        organisation=organisation, status=Status.DOORGESTUURD
    ).order_by("created_at")


@transaction.atomic
def grant_by_beheerder(request: AccessRequest, *, actor: Actor, role: str) -> AccessRequest:
    """The gemeente's own beheerder grants a forwarded request in a role of their choosing."""
    request = _lock(request)
    _require_forwarded_beheerder(request, actor)
    _require_status(request, Status.DOORGESTUURD)
    if role not in roles_for(request.organisation.type):
        raise AccountError(
            f"De rol “{role_label(role)}” bestaat niet voor een organisatie van type "
            f"{request.organisation.type}."
        )
    result = _invite(request, role, actor)
    _granted(request, role, actor, result)
    return request


@transaction.atomic
def decline(request: AccessRequest, *, actor: Actor, reason: str = "") -> AccessRequest:
    """Refuse: functioneel beheer (waiting or forwarded) or the gemeente's beheerder
    (forwarded only)."""
    request = _lock(request)
    if actor.is_functioneel_beheerder:
        _require_status(request, Status.TE_BEOORDELEN, Status.DOORGESTUURD)
    else:
        _require_forwarded_beheerder(request, actor)
        _require_status(request, Status.DOORGESTUURD)
    reason = (reason or "").strip()
    _decided(request, Status.AFGEWEZEN, actor)
    audit.record(
        "toegangsverzoek.afgewezen",
        actor=actor,
        organisation=request.organisation,
        target=request.email,
        details={"reden": reason, "verzoek": str(request.uuid)},
    )
    mail.send(
        "toegangsverzoek_afgewezen",
        request.email,
        {"request": request, "reason": reason, "by_beheerder": not actor.is_functioneel_beheerder},
    )
    return request


__all__ = [
    "REQUEST_VALID",
    "active_beheerders",
    "decline",
    "find",
    "forward",
    "gemeenten",
    "grant",
    "grant_by_beheerder",
    "pending_for",
    "submit",
    "verify",
]
