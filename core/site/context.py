"""Template context for the site shell: the actor and the organisations they may switch to."""

from core.actors import acting_memberships, resolve


def shell(request) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    actor = resolve(actor)
    memberships = []
    if actor.user is not None:
        memberships = list(acting_memberships(actor.user))
    return {"actor": actor, "switchable_memberships": memberships}
