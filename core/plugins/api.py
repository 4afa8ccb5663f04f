"""The API as plugin routes see it: who is asking (token or session, as core's own views
read it) and how to refuse with a Dutch problem+json answer."""

from core.api.auth import actor_of
from core.api.errors import ProblemError

__all__ = ["ProblemError", "actor_of"]
