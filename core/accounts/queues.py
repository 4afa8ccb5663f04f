"""Core's queues in the "Te beoordelen" inbox: leverancier sign-ups and access requests.

Functioneel beheer decides them and VNG-raadplegers read them; every decision goes through
the services in `signups` and `access_requests`, which check permission again, send the
e-mails and audit.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from core.accounts import AccountError, access_requests, signups
from core.accounts.roles import (
    active_beheerders,
    reads_beheer,
    require_functioneel_beheer,
)
from core.actors import Actor
from core.models import AccessRequest, ReviewDecision, SignUp
from core.plugins.base import ReviewItem, ReviewQueue

# Waiting longer than this marks an item as overdue in the inbox.
PATIENCE = timedelta(days=5)


def _uuid(key: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(key))
    except ValueError as exc:
        raise AccountError("Onbekend item.") from exc


def _overdue(since) -> bool:
    return since is not None and timezone.now() - since > PATIENCE


def _count(queryset, slug: str) -> tuple[int, int]:
    """(waiting, overdue) of a queue's rows in one query, leaving out decided ones; waiting
    time counts from the confirmed e-mail address, as in the items."""
    decided = ReviewDecision.objects.filter(
        queue=slug, key=Cast(OuterRef("uuid"), output_field=CharField())
    )
    counts = (
        queryset.exclude(Exists(decided))
        .annotate(since=Coalesce("email_verified_at", "created_at"))
        .aggregate(
            waiting=Count("pk"),
            overdue=Count("pk", filter=Q(since__lt=timezone.now() - PATIENCE)),
        )
    )
    return counts["waiting"], counts["overdue"]


class SignUpQueue(ReviewQueue):
    """Leveranciers that confirmed their e-mail address and wait for activation."""

    slug = "aanmeldingen"
    naam = "Aanmeldingen van leveranciers"

    def _waiting(self):
        return SignUp.objects.filter(status=SignUp.Status.TE_BEOORDELEN).select_related(
            "organisation"
        )

    def _get(self, key: str) -> SignUp:
        sign_up = self._waiting().filter(uuid=_uuid(key)).first()
        if sign_up is None:
            raise AccountError("Deze aanmelding is niet (meer) te beoordelen.")
        return sign_up

    def count(self, *, actor: Actor) -> tuple[int, int]:
        return _count(self._waiting(), self.slug) if reads_beheer(actor) else (0, 0)

    def items(self, *, actor: Actor) -> list[ReviewItem]:
        """Every waiting sign-up with its warnings, in a fixed number of queries."""
        if not reads_beheer(actor):
            return []
        sign_ups = list(self._waiting().order_by("email_verified_at", "created_at"))
        result = []
        for sign_up, warnings in zip(sign_ups, signups.similar_many(sign_ups), strict=True):
            since = sign_up.email_verified_at or sign_up.created_at
            kvk = f" KvK {sign_up.kvk_nummer}." if sign_up.kvk_nummer else ""
            result.append(
                ReviewItem(
                    key=str(sign_up.uuid),
                    title=sign_up.organisatienaam,
                    description=(
                        f"Leverancier, website {sign_up.website}.{kvk} Contactpersoon "
                        f"{sign_up.contact_naam} ({sign_up.email}"
                        + (f", {sign_up.telefoonnummer}" if sign_up.telefoonnummer else "")
                        + f"). {sign_up.beschrijving_kort}"
                    ),
                    submitted_at=since,
                    url=signups.admin_url(sign_up.organisation),
                    overdue=_overdue(since),
                    warnings=tuple(warnings),
                )
            )
        return result

    def accept(self, *, key: str, actor: Actor, note: str = "") -> str:
        require_functioneel_beheer(actor, "dit beoordelen")
        sign_up = self._get(key)
        org = signups.accept(sign_up, actor=actor)
        return (
            f"{org.naam} is geactiveerd; {sign_up.email} is uitgenodigd als eerste "
            "aanbod-beheerder."
        )

    def decline(self, *, key: str, actor: Actor, note: str = "") -> str:
        require_functioneel_beheer(actor, "dit beoordelen")
        sign_up = self._get(key)
        signups.decline(sign_up, actor=actor, reason=note)
        return (
            f"De aanmelding van {sign_up.organisatienaam} is afgewezen; {sign_up.email} "
            "heeft bericht gekregen."
        )


class AccessRequestQueue(ReviewQueue):
    """Confirmed requests for access to a gemeente (klantreis 1.5)."""

    slug = "toegangsverzoeken"
    naam = "Toegangsverzoeken van gemeenten"
    extra_actions = {"doorsturen": "Doorsturen naar de huidige beheerder"}

    def _waiting(self):
        return AccessRequest.objects.filter(
            status=AccessRequest.Status.TE_BEOORDELEN
        ).select_related("organisation")

    def _get(self, key: str) -> AccessRequest:
        request = self._waiting().filter(uuid=_uuid(key)).first()
        if request is None:
            raise AccountError("Dit toegangsverzoek is niet (meer) te beoordelen.")
        return request

    def count(self, *, actor: Actor) -> tuple[int, int]:
        return _count(self._waiting(), self.slug) if reads_beheer(actor) else (0, 0)

    def items(self, *, actor: Actor) -> list[ReviewItem]:
        """Every waiting request in one query (organisation joined, beheerder as EXISTS)."""
        if not reads_beheer(actor):
            return []
        beheerder = active_beheerders().filter(organisation=OuterRef("organisation"))
        waiting = (
            self._waiting()
            .annotate(has_beheerder=Exists(beheerder))
            .order_by("email_verified_at", "created_at")
        )
        result = []
        for request in waiting:
            since = request.email_verified_at or request.created_at
            who = request.naam + (f", {request.functie}" if request.functie else "")
            contact = request.email + (
                f", {request.telefoonnummer}" if request.telefoonnummer else ""
            )
            state = (
                "heeft een actieve beheerder (doorsturen kan)"
                if request.has_beheerder
                else "heeft geen actieve beheerder (alleen zelf toekennen kan)"
            )
            description = f"{who} ({contact}) vraagt toegang tot {request.organisation}. "
            description += f"{request.organisation} {state}."
            if request.toelichting:
                description += f" Toelichting: {request.toelichting}"
            result.append(
                ReviewItem(
                    key=str(request.uuid),
                    title=f"{request.naam} voor {request.organisation}",
                    description=description,
                    submitted_at=since,
                    url=signups.admin_url(request.organisation),
                    overdue=_overdue(since),
                )
            )
        return result

    def accept(self, *, key: str, actor: Actor, note: str = "") -> str:
        require_functioneel_beheer(actor, "dit beoordelen")
        request = self._get(key)
        access_requests.grant(request, actor=actor)
        return f"{request.email} krijgt toegang als gebruik-beheerder van {request.organisation}."

    def decline(self, *, key: str, actor: Actor, note: str = "") -> str:
        require_functioneel_beheer(actor, "dit beoordelen")
        request = self._get(key)
        access_requests.decline(request, actor=actor, reason=note)
        return f"Het verzoek van {request.email} is afgewezen; de aanvrager heeft bericht gekregen."

    def run_action(self, *, action: str, key: str, actor: Actor, note: str = "") -> str:
        require_functioneel_beheer(actor, "dit beoordelen")
        if action not in self.extra_actions:
            raise AccountError(f"Onbekende actie “{action}”.")
        request = self._get(key)
        access_requests.forward(request, actor=actor)
        return (
            f"Het verzoek van {request.email} is doorgestuurd naar de beheerder van "
            f"{request.organisation}."
        )


CORE_QUEUES = [SignUpQueue, AccessRequestQueue]
