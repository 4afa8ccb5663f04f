"""The "Te beoordelen" inbox: every review queue (core's and the plugins') on one page.

The inbox knows nothing of sign-ups or access requests: it lists each queue's undecided
items and hands a decision to the queue. The queue carries it out (and mails and audits its
own domain action); the inbox records the decision once, so an item is never decided twice,
not even by two people at the same moment (the unique constraint on ReviewDecision).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.accounts import AccountError, audit
from core.admin.permissions import (
    admin_actor,
    decides_beheer,
    is_register_staff,
    reads_admin_beheer,
)
from core.models import ReviewDecision
from core.plugins.base import ReviewItem, ReviewQueue
from core.plugins.manager import review_queues
from core.services import NotAllowed

__all__ = [
    "InboxMenuItem",
    "InboxPanel",
    "InboxView",
    "add_inbox_panel",
    "decide",
    "pending",
    "waiting",
]

logger = logging.getLogger(__name__)

ACCEPT, DECLINE = "accept", "decline"
DECISIONS = {ACCEPT: "geaccepteerd", DECLINE: "afgewezen"}
KEY_MAX = ReviewDecision._meta.get_field("key").max_length


@dataclass
class Section:
    """One queue as the inbox shows it."""

    queue: ReviewQueue
    items: list[ReviewItem]
    error: str = ""

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


@dataclass
class Waiting:
    """How much one queue has waiting, for the dashboard panel."""

    queue: ReviewQueue
    count: int
    overdue: int


def _section(queue: ReviewQueue, actor) -> Section:
    """The queue's undecided items, oldest first: the queue's own look-up plus one query
    for the decisions already taken."""
    items = list(queue.items(actor=actor))
    decided = set(
        ReviewDecision.objects.filter(
            queue=queue.slug, key__in=[item.key for item in items]
        ).values_list("key", flat=True)
    )
    items = sorted((i for i in items if i.key not in decided), key=lambda i: i.submitted_at)
    return Section(queue, items)


def pending(actor) -> list[Section]:
    """Every queue with its undecided items; a failing queue shows an error instead of
    taking the whole inbox down."""
    sections = []
    for queue in review_queues().values():
        try:
            sections.append(_section(queue, actor))
        except Exception:  # a plugin's queue must not break the inbox
            logger.exception("Beoordelingsrij %s kon niet worden geladen", queue.slug)
            sections.append(Section(queue, [], "Deze lijst kon niet worden geladen."))
    return sections


def waiting(actor) -> list[Waiting]:
    """Per queue how many undecided items wait and how many too long. A queue that can
    count (`count(actor=...) -> (waiting, overdue)`, as core's queues do in SQL) is not
    asked for its items; others are listed and counted. A failing queue counts nothing."""
    result = []
    for queue in review_queues().values():
        try:
            counter = getattr(queue, "count", None)
            if callable(counter):
                total, overdue = counter(actor=actor)
            else:
                section = _section(queue, actor)
                total, overdue = len(section.items), section.overdue
        except Exception:  # the dashboard must not break either
            logger.exception("Beoordelingsrij %s kon niet worden geteld", queue.slug)
            total, overdue = 0, 0
        result.append(Waiting(queue, total, overdue))
    return result


def decide(queue: ReviewQueue, key: str, action: str, note: str, *, actor) -> str:
    """Carry out one decision and record it; returns the queue's Dutch confirmation.

    Raises AccountError/NotAllowed with a Dutch message; then nothing is recorded, and the
    queue's own changes are rolled back with the decision when it was taken twice.
    """
    if not actor.is_functioneel_beheerder:
        raise NotAllowed("Alleen functioneel beheer beslist over wat te beoordelen is.")
    note = note.strip()
    if not key or len(key) > KEY_MAX:
        raise AccountError("Onbekend item.")
    if action not in DECISIONS and action not in queue.extra_actions:
        raise AccountError("Onbekende actie.")
    if action == DECLINE and not note:
        raise AccountError("Geef een reden op om af te wijzen; de aanvrager krijgt die te zien.")
    earlier = ReviewDecision.objects.filter(queue=queue.slug, key=key).first()
    if earlier is not None:
        raise AccountError(_already(earlier))
    try:
        with transaction.atomic():
            if action == ACCEPT:
                message = queue.accept(key=key, actor=actor, note=note)
            elif action == DECLINE:
                message = queue.decline(key=key, actor=actor, note=note)
            else:
                message = queue.run_action(action=action, key=key, actor=actor, note=note)
            if action in DECISIONS:
                ReviewDecision.objects.create(
                    queue=queue.slug,
                    key=key,
                    decision=DECISIONS[action],
                    note=note,
                    decided_by=actor.user,
                )
            audit.record(
                f"beoordeling.{DECISIONS.get(action, action)}"[:60],
                actor=actor,
                target=f"{queue.slug}/{key}",
                details={"rij": queue.slug, "sleutel": key, "toelichting": note},
            )
    except IntegrityError:
        earlier = ReviewDecision.objects.filter(queue=queue.slug, key=key).first()
        raise AccountError(
            _already(earlier) if earlier else "Over dit item is intussen al besloten."
        ) from None
    return message or "Uitgevoerd."


def _already(decision: ReviewDecision) -> str:
    who = decision.decided_by.email if decision.decided_by else "iemand anders"
    return (
        f"Over dit item is al besloten: {decision.decision} door {who} op "
        f"{decision.decided_at:%d-%m-%Y %H:%M}. Er is niets gewijzigd."
    )


class InboxView(WagtailAdminTemplateMixin, TemplateView):
    """Lists every queue; functioneel beheer decides, VNG-raadplegers only look."""

    page_title = "Te beoordelen"
    header_icon = "tasks"
    template_name = "swc_admin/inbox.html"

    def dispatch(self, request, *args, **kwargs):
        if is_register_staff(request.user):
            self.actor = admin_actor(request)
        if not reads_admin_beheer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        sections = pending(self.actor)
        return super().get_context_data(
            sections=sections,
            total=sum(len(s.items) for s in sections),
            may_decide=decides_beheer(self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """Reached only by functioneel beheer: `refuse_readonly_posts` guards the URL."""
        slug = request.POST.get("queue", "")
        queue = review_queues().get(slug)
        url = reverse("swc_inbox")
        if queue is None:
            messages.error(request, "Deze lijst bestaat niet (meer).")
            return redirect(url)
        try:
            message = decide(
                queue,
                request.POST.get("key", ""),
                request.POST.get("action", ""),
                request.POST.get("note", ""),
                actor=self.actor,
            )
        except (AccountError, NotAllowed) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect(f"{url}#rij-{queue.slug}")


class InboxMenuItem(MenuItem):
    """Shown to those who may read the inbox (after the session's actor is resolved)."""

    def is_shown(self, request):
        if not is_register_staff(request.user):
            return False
        admin_actor(request)
        return reads_admin_beheer(request.user)


class InboxPanel(Component):
    """On the admin dashboard: how much waits, per queue (Wagtail's menu has no badges)."""

    name = "te_beoordelen"
    order = 50
    template_name = "swc_admin/inbox_panel.html"

    def __init__(self, queues: list[Waiting]):
        self.queues = queues

    def get_context_data(self, parent_context=None):
        return {
            "queues": self.queues,
            "total": sum(w.count for w in self.queues),
            "overdue": sum(w.overdue for w in self.queues),
            "url": reverse("swc_inbox"),
        }


def add_inbox_panel(request, panels) -> None:
    """The `construct_homepage_panels` hook: the panel for those who may read the inbox;
    counts only, the items themselves are loaded on the inbox page."""
    if is_register_staff(request.user):
        actor = admin_actor(request)
        if reads_admin_beheer(request.user):
            panels.append(InboxPanel(waiting(actor)))
