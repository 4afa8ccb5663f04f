"""API authentication: tokens bound to user + organisation + role, or the site session."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions

from core.actors import SESSION_KEY, Actor, actor_for_user
from core.constants import Channel


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` (or Bearer); the actor is the token's membership."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        parts = header.split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        from core.models import ApiToken

        token = ApiToken.objects.authenticate(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request._request.api_actor = Actor(
            user=token.user,
            organisation=token.organisation,
            role=token.role,
            channel=Channel.API,
            via_token=True,
        )
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class SessionAuthentication(authentication.SessionAuthentication):
    """The logged-in site user, acting for their active organisation (CSRF enforced)."""


def actor_of(request) -> Actor:
    """The actor behind an API request."""
    django_request = getattr(request, "_request", request)
    request_id = request.headers.get("X-Request-ID", "")[:64]
    actor = getattr(django_request, "api_actor", None)
    if actor is None:
        user = request.user
        if user is not None and user.is_authenticated:
            actor = actor_for_user(user, django_request.session.get(SESSION_KEY), Channel.API)
        else:
            actor = Actor.anonymous(Channel.API)
    if request_id:
        from dataclasses import replace

        actor = replace(actor, request_id=request_id)
    return actor
