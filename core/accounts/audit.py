"""The audit log of account and organisation actions (the register keeps its own history)."""

from __future__ import annotations

from core.actors import Actor
from core.models import AuditEntry


def record(
    action: str,
    *,
    actor: Actor | None = None,
    organisation=None,
    target: str = "",
    details: dict | None = None,
    user=None,
) -> AuditEntry:
    """Write one entry; `user` names who acted when there is no actor (e.g. an anonymous form)."""
    who = actor.user if actor and actor.user else user
    return AuditEntry.objects.create(
        action=action,
        user=who if who and who.pk else None,
        user_email=getattr(who, "email", "") or "",
        acting_organisation=actor.organisation if actor else None,
        organisation=organisation,
        target=str(target)[:300],
        details=details or {},
        channel=actor.channel if actor else "",
        request_id=actor.request_id if actor else "",
    )
