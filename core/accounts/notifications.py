"""Notification e-mails, governed per user and kind: direct, in a daily digest, or off.

E-mails that carry a link someone must use (invitations, verification, password reset) are
not notifications: they are always sent. Plugins add kinds through
``register_notification_kinds`` and send through :func:`notify`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from core.accounts import mail
from core.accounts.links import absolute
from core.constants import OrganisationStatus
from core.models import Membership, Notification, NotificationPreference, User

Frequency = NotificationPreference.Frequency

CORE_KINDS = {
    "uitnodiging-geaccepteerd": "Een uitnodiging die u verstuurde is geaccepteerd",
    "toegangsverzoek": "Toegangsverzoeken en aanmeldingen om te beoordelen",
    "organisatiestatus": "Uw organisatie is geactiveerd of gedeactiveerd",
}
DEFAULT_FREQUENCY = Frequency.DIRECT


def kinds() -> dict[str, str]:
    """Every kind, core's and the plugins', with its Dutch label."""
    from core.plugins.manager import notification_kinds

    return notification_kinds()


def preferences(user: User) -> dict[str, str]:
    """The user's frequency per kind; kinds never chosen get the default."""
    chosen = dict(user.notification_prefs.values_list("kind", "frequency"))
    return {kind: chosen.get(kind, DEFAULT_FREQUENCY) for kind in kinds()}


def set_preferences(user: User, choices: dict[str, str]) -> None:
    known = kinds()
    for kind, frequency in choices.items():
        if kind not in known or frequency not in Frequency.values:
            raise ValueError(f"Onbekende meldingssoort of frequentie: {kind}={frequency}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"frequency": frequency}
        )


def notify(users: Iterable[User], kind: str, subject: str, body: str, url: str = "") -> int:
    """Tell each active user, as they chose; returns how many e-mails or digest lines result.

    Sent after the surrounding transaction commits, so a rolled-back change tells nobody.
    """
    if kind not in kinds():
        raise ValueError(f"Onbekende meldingssoort {kind!r}")
    users = [u for u in users if u.is_active]
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=kind).values_list(
            "user_id", "frequency"
        )
    )
    link = absolute(url) if url.startswith("/") else url
    count = 0
    for user in users:
        frequency = chosen.get(user.pk, DEFAULT_FREQUENCY)
        if frequency == Frequency.UIT:
            continue
        note = Notification.objects.create(
            user=user,
            kind=kind,
            subject=subject,
            body=body,
            url=link,
            digest=frequency == Frequency.DAGELIJKS,
        )
        if frequency == Frequency.DIRECT:
            transaction.on_commit(lambda note=note: _send_direct(note.pk))
        count += 1
    return count


def notify_organisation(
    organisation,
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    *,
    roles: Iterable[str] | None = None,
) -> int:
    """Tell the active members of an organisation (optionally only some roles)."""
    memberships = Membership.objects.filter(
        organisation=organisation, actief=True, user__is_active=True
    )
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    users = User.objects.filter(pk__in=memberships.values("user_id"))
    return notify(users, kind, subject, body, url)


def notify_functioneel_beheer(kind: str, subject: str, body: str, url: str = "") -> int:
    """Tell every functioneel beheerder of an active VNG organisation."""
    from core.constants import OrganisationType, Role

    memberships = Membership.objects.filter(
        role=Role.FUNCTIONEEL_BEHEERDER,
        actief=True,
        organisation__type=OrganisationType.VNG,
        organisation__status=OrganisationStatus.ACTIEF,
    )
    users = User.objects.filter(pk__in=memberships.values("user_id"))
    return notify(users, kind, subject, body, url)


def _preferences_url() -> str:
    """Every notification e-mail says where to change what one receives."""
    return absolute("/mijn-account#meldingen")


def _send_direct(notification_id: int) -> None:
    note = Notification.objects.select_related("user").get(pk=notification_id)
    context = {"melding": note, "user": note.user, "voorkeuren_url": _preferences_url()}
    mail.send_now("melding", note.user.email, context)
    Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now())


def send_digests() -> int:
    """One e-mail per user with everything gathered for the digest; returns e-mails sent."""
    pending = (
        Notification.objects.filter(digest=True, sent_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[User, list[Notification]] = defaultdict(list)
    for note in pending:
        by_user[note.user].append(note)
    sent = 0
    for user, notes in by_user.items():
        if user.is_active:
            context = {"user": user, "meldingen": notes, "voorkeuren_url": _preferences_url()}
            mail.send_now("samenvatting", user.email, context)
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(sent_at=timezone.now())
    return sent
