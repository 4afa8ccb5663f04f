"""Template context for the site shell: the actor, the organisations they may switch to, menu."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.models import Site

from core.accounts.roles import manages
from core.actors import acting_memberships, resolve
from core.plugins.manager import pm


def site_menu(request) -> list[dict]:
    """The home page and its live children marked "show in menus" (editors control the menu)."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    root = site.root_page
    items = [{"title": _("Home"), "url": root.get_url(request=request) or "/"}]
    for page in root.get_children().live().in_menu().order_by("path"):
        url = page.get_url(request=request)
        if url:
            items.append({"title": page.title, "url": url})
    actor = resolve(request.actor) if getattr(request, "actor", None) else None
    if actor is not None:
        for labels in pm.hook.site_menu_items(actor=actor):
            items.extend({"title": label, "url": url} for label, url in labels or [])
    for item in items:
        item["current"] = item["url"] == request.path
    return items


def shell(request) -> dict:
    # Lazy: every template rendered with a request (also Wagtail's admin) runs this processor.
    context = {
        "site_menu": SimpleLazyObject(lambda: site_menu(request)),
        # Where the header forms (language, organisation) return to: never a POST-only URL.
        "return_path": request.get_full_path() if request.method == "GET" else "/",
    }
    actor = getattr(request, "actor", None)
    if actor is None:
        return context
    actor = resolve(actor)
    user = actor.user
    memberships = SimpleLazyObject(lambda: list(acting_memberships(user)) if user else [])
    manages_own = actor.organisation is not None and manages(actor, actor.organisation)
    return {
        **context,
        "actor": actor,
        "switchable_memberships": memberships,
        "manages_organisation": manages_own,
    }
