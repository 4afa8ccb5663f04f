"""The account holder's own security and profile: 2FA, login throttling, sessions, tokens.

Views call these functions; each checks who may, changes the database in one transaction and
writes the audit log. Errors are `AccountError` (400) or `NotAllowed` (403) with a Dutch message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.accounts import AccountError, audit, mail, totp
from core.accounts.links import absolute
from core.actors import ACTING_STATUSES, Actor, acting_memberships
from core.constants import OrganisationType, Role
from core.models import (
    ApiToken,
    LoginFailure,
    Membership,
    RecoveryCode,
    TotpDevice,
    User,
)
from core.services import NotAllowed

# Session keys. The pending login holds only the user id between the password and the code.
VERIFIED_SESSION_KEY = "tweestaps_geverifieerd"
PENDING_SESSION_KEY = "inloggen_wacht_op_code"
PENDING_VALID = timedelta(minutes=10)

THROTTLE_LIMIT = 5
THROTTLE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
LOCKED_MESSAGE = (
    "Er is te vaak geprobeerd met dit e-mailadres in te loggen. Om uw account te beschermen "
    "kunt u het over 15 minuten opnieuw proberen. Wachtwoord vergeten? Vraag een nieuw aan."
)

TAKEN_EMAIL = "Dit e-mailadres hoort al bij een ander account. Kies een ander e-mailadres."
PROFILE_FIELDS = ("voornaam", "tussenvoegsel", "achternaam", "email", "telefoonnummer", "functie")


# --- who needs what ----------------------------------------------------------------------


def requires_two_factor(user: User) -> bool:
    """Superusers and functioneel beheerders (an active FB membership of a VNG organisation)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user,
        role=Role.FUNCTIONEEL_BEHEERDER,
        actief=True,
        organisation__type=OrganisationType.VNG,
        organisation__status__in=ACTING_STATUSES,
    ).exists()


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_two_factor(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def mark_session_verified(session, user: User) -> None:
    """This session proved possession of the user's authenticator (login step 2 or setup)."""
    session[VERIFIED_SESSION_KEY] = user.pk


def session_verified(session, user: User) -> bool:
    return session.get(VERIFIED_SESSION_KEY) == user.pk


# --- login throttling --------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def locked_until(email: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock on this address ends, or None when it may try now.

    Five failures within 15 minutes lock it for 15 minutes after the fifth. The address need
    not exist: the answer is the same either way, so it tells nobody who has an account.
    """
    now = now or timezone.now()
    email = normalise_email(email)
    recent = list(
        LoginFailure.objects.filter(
            email=email, at__gt=now - THROTTLE_WINDOW - LOCK_DURATION
        ).values_list("at", flat=True)
    )
    recent.sort()
    until = None
    for index in range(THROTTLE_LIMIT - 1, len(recent)):
        if recent[index] - recent[index - THROTTLE_LIMIT + 1] <= THROTTLE_WINDOW:
            end = recent[index] + LOCK_DURATION
            if end > now and (until is None or end > until):
                until = end
    return until


def is_locked(email: str) -> bool:
    return locked_until(email) is not None


def begin_attempt(email: str, ip: str | None = None) -> LoginFailure | None:
    """Count a login attempt before the password or code is checked; None when locked.

    The attempt is stored as a failure first and taken back by `attempt_passed`. The
    check and the insert run under a per-address lock, so attempts that arrive at the same
    moment are counted one after the other: however many run in parallel, at most
    THROTTLE_LIMIT passwords are tried per window (checking first and counting after the
    password would let every parallel request through the check).
    """
    email = normalise_email(email)
    if not email:
        return None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('swc-inloggen'), hashtext(%s))", [email]
            )
        if is_locked(email):
            return None
        return LoginFailure.objects.create(email=email, ip=ip or None)


def attempt_failed(attempt: LoginFailure) -> bool:
    """The counted attempt was wrong: it stays counted. Returns True (and audits) when it
    is the attempt that locked the address."""
    until = locked_until(attempt.email)
    locking = until is not None and until == attempt.at + LOCK_DURATION
    if locking:
        audit.record(
            "inloggen.geblokkeerd",
            user=User.objects.filter(email__iexact=attempt.email).first(),
            target=attempt.email,
            details={"ip": attempt.ip or "", "pogingen": THROTTLE_LIMIT},
        )
    return locking


def attempt_passed(attempt: LoginFailure) -> None:
    """The password or code was right: this attempt was no failure. Earlier failures still
    count until the login is complete (`clear_failures`), so a right password does not
    reset the count for guessing the second factor."""
    LoginFailure.objects.filter(pk=attempt.pk).delete()


def clear_failures(email: str) -> None:
    LoginFailure.objects.filter(email=normalise_email(email)).delete()


# --- second factor -----------------------------------------------------------------------


def verify_totp(device: TotpDevice, code: str) -> bool:
    """A right code whose time step was not used before; marks the step used (race-safe)."""
    step = totp.matching_step(device.secret, code, last_step=device.last_step)
    if step is None:
        return False
    updated = TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
    if updated:
        device.last_step = step
    return bool(updated)


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code; a second use of the same code fails."""
    if len(totp.normalise_recovery_code(code)) != totp.RECOVERY_CODE_LENGTH:
        return False
    used = RecoveryCode.objects.filter(
        user=user, code_hash=totp.hash_recovery_code(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return bool(used)


def verify_second_factor(user: User, code: str) -> str | None:
    """Which factor `code` is ("totp" or "herstelcode", now spent), or None when wrong."""
    device = confirmed_device(user)
    if device is None:
        return None
    if verify_totp(device, code):
        return "totp"
    with transaction.atomic():
        if use_recovery_code(user, code):
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            audit.record(
                "tweestaps.herstelcode-gebruikt",
                user=user,
                target=user.email,
                details={"over": left},
            )
            return "herstelcode"
    return None


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=totp.hash_recovery_code(code)) for code in codes
    )
    return codes


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def confirm_device(user: User, secret: str, code: str, *, actor: Actor | None = None) -> list:
    """Switch 2FA on once the first code from the app is right; returns the recovery codes."""
    if has_two_factor(user):
        raise AccountError("Tweestapsverificatie staat al aan.")
    step = totp.matching_step(secret, code)
    if step is None:
        raise AccountError(
            "De code is niet juist. Controleer of de tijd op uw telefoon klopt en voer de "
            "code in die uw app nu toont."
        )
    TotpDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step},
    )
    codes = _new_recovery_codes(user)
    audit.record("tweestaps.ingeschakeld", actor=actor, user=user, target=user.email)
    return codes


@transaction.atomic
def regenerate_recovery_codes(user: User, *, actor: Actor | None = None) -> list[str]:
    """New codes replace all old ones (used or not)."""
    if not has_two_factor(user):
        raise AccountError("Schakel eerst tweestapsverificatie in.")
    codes = _new_recovery_codes(user)
    audit.record("tweestaps.herstelcodes", actor=actor, user=user, target=user.email)
    return codes


@transaction.atomic
def disable_two_factor(user: User, code: str, *, actor: Actor | None = None) -> None:
    """Switch 2FA off with a current code; never for those who must use it."""
    if requires_two_factor(user):
        raise NotAllowed(
            "Voor functioneel beheerders en superusers is tweestapsverificatie verplicht; "
            "u kunt het niet uitschakelen."
        )
    device = confirmed_device(user)
    if device is None:
        raise AccountError("Tweestapsverificatie staat niet aan.")
    if not verify_totp(device, code):
        raise AccountError("De code is niet juist. Voer de code in die uw app nu toont.")
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit.record("tweestaps.uitgeschakeld", actor=actor, user=user, target=user.email)


# --- sessions and passwords --------------------------------------------------------------


@transaction.atomic
def logout_everywhere(user: User, *, actor: Actor | None = None) -> None:
    """End every session of this user: the generation is part of each session's hash."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    audit.record("sessies.uitgelogd", actor=actor, user=user, target=user.email)


def password_reset_hours() -> float:
    return settings.PASSWORD_RESET_TIMEOUT / 3600


def password_changed(user: User, *, how: str, actor: Actor | None = None) -> None:
    """Audit a new password and tell the owner, so a change they did not make stands out."""
    audit.record(
        "wachtwoord.hersteld" if how == "herstel" else "wachtwoord.gewijzigd",
        actor=actor,
        user=user,
        target=user.email,
    )
    mail.send(
        "wachtwoord_gewijzigd",
        user.email,
        {"user": user, "herstel_url": absolute("/wachtwoord-vergeten")},
    )


# --- profile ---------------------------------------------------------------------------


@transaction.atomic
def update_profile(user: User, data: dict, *, actor: Actor | None = None) -> list[str]:
    """Save name, e-mail, phone and function; plugins follow (contactpersonen, #352).

    Returns the names of the fields that changed. A taken e-mail address changes nothing.
    """
    from core.plugins.manager import pm

    user = User.objects.select_for_update().get(pk=user.pk)
    previous = {field: getattr(user, field) for field in PROFILE_FIELDS}
    values = {field: (data.get(field, previous[field]) or "").strip() for field in PROFILE_FIELDS}
    values["email"] = User.objects.normalize_email(values["email"]).lower()
    if not values["email"]:
        raise AccountError("Vul een e-mailadres in.")
    if (
        values["email"] != previous["email"].lower()
        and User.objects.filter(email__iexact=values["email"]).exclude(pk=user.pk).exists()
    ):
        raise AccountError(TAKEN_EMAIL)
    changed = [field for field in PROFILE_FIELDS if values[field] != previous[field]]
    if not changed:
        return []
    for field in changed:
        setattr(user, field, values[field])
    try:
        with transaction.atomic():
            user.save(update_fields=changed)
    except IntegrityError:  # the same address taken at the same moment by someone else
        raise AccountError(TAKEN_EMAIL) from None
    pm.hook.account_changed(user=user, previous=previous)
    audit.record(
        "account.gewijzigd",
        actor=actor,
        user=user,
        target=user.email,
        details={field: {"van": previous[field], "naar": values[field]} for field in changed},
    )
    return changed


EMAIL_CHANGE_VALID = timedelta(hours=72)
EMAIL_CHANGE_SALT = "swc-e-mailadres-wijzigen"
EMAIL_LINK_INVALID = "Deze bevestigingslink is ongeldig of verlopen. Wijzig uw e-mailadres opnieuw."


def request_profile_change(user: User, data: dict, *, actor: Actor | None = None) -> list[str]:
    """Save the profile now, unless the e-mail address changes: an address is a way into
    invitations, access requests and password resets, so nobody takes one they cannot read.

    Then the whole change waits for a signed link (72 h) sent to the new address, and the
    old address hears of it; returns ``["email"]`` while it waits, else the changed fields.
    """
    new = User.objects.normalize_email((data.get("email") or "").strip()).lower()
    if not new or new == user.email.lower():
        return update_profile(user, data, actor=actor)
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise AccountError(TAKEN_EMAIL)
    payload = {
        "u": user.pk,
        "van": user.email,
        "data": {field: (data.get(field) or "").strip() for field in PROFILE_FIELDS},
    }
    token = signing.dumps(payload, salt=EMAIL_CHANGE_SALT, compress=True)
    hours = int(EMAIL_CHANGE_VALID.total_seconds() // 3600)
    url = absolute(reverse("account-email-confirm", args=[token]))
    mail.send("e_mailadres_bevestigen", new, {"user": user, "url": url, "hours": hours})
    mail.send("e_mailadres_aangevraagd", user.email, {"user": user, "nieuw": new})
    return ["email"]


def confirm_profile_change(user: User, token: str, *, actor: Actor | None = None) -> list[str]:
    """Apply a change confirmed from the new address, by the account that asked for it."""
    try:
        payload = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_VALID)
    except signing.BadSignature:  # also expired
        raise AccountError(EMAIL_LINK_INVALID) from None
    if payload["u"] != user.pk:
        raise AccountError(
            "Deze link hoort bij een ander account. Log in met het account dat de wijziging "
            "vroeg en open de link opnieuw."
        )
    if payload["van"].lower() != user.email.lower():  # used, or overtaken by a newer change
        raise AccountError(EMAIL_LINK_INVALID)
    with transaction.atomic():
        return update_profile(user, payload["data"], actor=actor)


# --- API tokens ------------------------------------------------------------------------


@transaction.atomic
def issue_token(
    user: User, membership: Membership, naam: str, *, actor: Actor | None = None
) -> tuple[ApiToken, str]:
    """A token for one of the user's own memberships; only with 2FA switched on."""
    if not has_two_factor(user):
        raise NotAllowed(
            "Een API-token geeft toegang zonder wachtwoord. Schakel daarom eerst "
            "tweestapsverificatie in."
        )
    if not acting_memberships(user).filter(pk=membership.pk).exists():
        raise NotAllowed("U kunt alleen een token aanmaken namens uw eigen organisaties.")
    naam = (naam or "").strip()
    if not naam:
        raise AccountError("Geef het token een naam.")
    token, raw = ApiToken.objects.issue(membership, naam)
    audit.record(
        "token.uitgegeven",
        actor=actor,
        user=user,
        organisation=membership.organisation,
        target=f"{naam} ({token.prefix}…)",
        details={"rol": membership.role},
    )
    return token, raw


@transaction.atomic
def revoke_token(user: User, token: ApiToken, *, actor: Actor | None = None) -> None:
    if token.user_id != user.pk:
        raise NotAllowed("Dit is niet uw token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            "token.ingetrokken",
            actor=actor,
            user=user,
            organisation=token.organisation,
            target=f"{token.naam} ({token.prefix}…)",
        )


# --- anonymous forms -------------------------------------------------------------------

SUBMISSION_LIMIT = 5
SUBMISSION_WINDOW = timedelta(hours=1)
TOO_MANY_SUBMISSIONS = (
    "Er zijn vanaf dit adres te veel aanvragen verstuurd. Probeer het over een uur opnieuw."
)


def allow_submission(form: str, ip: str | None) -> bool:
    """Anonymous forms that send e-mail (sign-up, access request): at most 5 an hour per IP
    address, so nobody uses them to flood mailboxes. Counted in the cache, not stored."""
    key = f"swc-inzending:{form}:{ip or 'onbekend'}"
    timeout = int(SUBMISSION_WINDOW.total_seconds())
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        count = 1
    return count <= SUBMISSION_LIMIT
