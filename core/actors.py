"""Who is acting: a user, for one organisation, in one role, through one channel.

Every read and write takes an Actor; the request's actor is resolved once by the
middleware from the session (active organisation) or from an API token.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.constants import GOVERNMENT_TYPES, Channel, OrganisationStatus, Role

if TYPE_CHECKING:
    from core.models import Membership, Organisation, User

SESSION_KEY = "actieve_organisatie"
# Members of these organisations cannot act for them (they keep their other memberships).
ACTING_STATUSES = (OrganisationStatus.ACTIEF, OrganisationStatus.CONCEPT)


@dataclass(frozen=True)
class Actor:
    """The subject of every permission decision."""

    user: User | None = None
    organisation: Organisation | None = None
    role: str | None = None
    channel: str = Channel.API
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    system: bool = False  # imports and maintenance commands
    via_token: bool = False  # a token acts in its own role only, never as superuser

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_superuser(self) -> bool:
        if self.system:
            return True
        return not self.via_token and bool(self.user and self.user.is_superuser)

    @property
    def is_functioneel_beheerder(self) -> bool:
        if self.is_superuser:
            return True
        org = self.organisation  # the role counts only within VNG itself
        return self.role == Role.FUNCTIONEEL_BEHEERDER and org is not None and org.type == "VNG"

    @property
    def is_government(self) -> bool:
        """`overheid`: acting for a gemeente or samenwerking, or functioneel beheer."""
        if self.is_functioneel_beheerder:
            return True
        org = self.organisation  # an unverified (Concept) gemeente is not yet government
        return org is not None and org.type in GOVERNMENT_TYPES and org.is_public

    @property
    def organisation_type(self) -> str | None:
        return self.organisation.type if self.organisation else None

    def with_channel(self, channel: str) -> Actor:
        return replace(self, channel=channel)

    @classmethod
    def anonymous(cls, channel: str = Channel.API) -> Actor:
        return cls(channel=channel)

    @classmethod
    def for_system(cls, channel: str = Channel.SYSTEM) -> Actor:
        return cls(channel=channel, system=True)

    @classmethod
    def for_membership(cls, membership: Membership, channel: str = Channel.API) -> Actor:
        return cls(
            user=membership.user,
            organisation=membership.organisation,
            role=membership.role,
            channel=channel,
        )


def acting_memberships(user: User):
    """The memberships a user may act through (not for inactive or merged organisations)."""
    return (
        user.memberships.select_related("organisation")
        .filter(organisation__status__in=ACTING_STATUSES, actief=True)
        .order_by("organisation__naam")
    )


def actor_for_user(user: User, organisation_id: int | None, channel: str) -> Actor:
    """The actor for a logged-in user and the organisation chosen in their session."""
    memberships = acting_memberships(user)
    chosen = None
    if organisation_id is not None:
        chosen = next((m for m in memberships if m.organisation_id == organisation_id), None)
    if chosen is None:
        chosen = memberships.first()
    if chosen is None:
        return Actor(user=user, channel=channel)
    return Actor.for_membership(chosen, channel=channel)


class ActorMiddleware:
    """Puts `request.actor` on every site request (the API resolves tokens itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = _lazy_actor(request)
        return self.get_response(request)


class _LazyActor:
    def __init__(self, request):
        self._request = request
        self._actor: Actor | None = None

    def _resolve(self) -> Actor:
        if self._actor is None:
            request = self._request
            request_id = request.headers.get("X-Request-ID", "") or uuid.uuid4().hex
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                actor = actor_for_user(user, request.session.get(SESSION_KEY), Channel.SITE)
            else:
                actor = Actor.anonymous(Channel.SITE)
            self._actor = replace(actor, request_id=request_id[:64])
        return self._actor

    def __getattr__(self, name):
        return getattr(self._resolve(), name)


def _lazy_actor(request) -> _LazyActor:
    return _LazyActor(request)


def resolve(actor_or_lazy) -> Actor:
    """The concrete Actor behind `request.actor`."""
    if isinstance(actor_or_lazy, _LazyActor):
        return actor_or_lazy._resolve()
    return actor_or_lazy
