"""Deelnemingen (2.2 / 2.3): a gemeente or leverancier joins or leaves a samenwerking or
community itself, effective at once — no approval, but the samenwerking's beheerders are told.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse

from core.accounts import AccountError, audit, mail
from core.accounts.links import absolute
from core.accounts.roles import (
    DEELNEMER_TYPES,
    SAMENWERKING_TYPES,
    active_beheerders,
    manages,
)
from core.actors import Actor
from core.constants import OrganisationStatus
from core.models import Deelneming, Organisation
from core.services import NotAllowed


def _beheerder_emails(organisation: Organisation) -> list[str]:
    """Active beheerders of the samenwerking: they hear about every deelneming (always)."""
    return list(
        active_beheerders(organisation)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def _tell_samenwerking(template: str, deelneming: Deelneming, actor: Actor) -> None:
    recipients = _beheerder_emails(deelneming.samenwerking)
    if not recipients:
        return
    context = {
        "organisation": deelneming.organisation,
        "samenwerking": deelneming.samenwerking,
        "door": actor.user,
        "url": absolute(reverse("organisation-detail", args=[deelneming.organisation.uuid])),
        "deelnemers_url": absolute(reverse("organisation-deelnemers")),
    }
    mail.send(template, recipients, context)  # after the commit, like every e-mail


def joinable_samenwerkingen(organisation: Organisation):
    """Active samenwerkingen and communities the organisation does not yet take part in."""
    return (
        Organisation.objects.filter(type__in=SAMENWERKING_TYPES, status=OrganisationStatus.ACTIEF)
        .exclude(pk=organisation.pk)
        .exclude(deelnemers__organisation=organisation)
        .order_by("naam")
    )


@transaction.atomic
def join(*, actor: Actor, organisation: Organisation, samenwerking: Organisation) -> Deelneming:
    """`organisation` takes part in `samenwerking` from now on."""
    if not manages(actor, organisation):
        raise NotAllowed("Alleen een beheerder van de organisatie mag deelnemingen beheren.")
    if organisation.type not in DEELNEMER_TYPES:
        raise AccountError(
            "Alleen gemeenten en leveranciers kunnen deelnemen aan een samenwerking of community."
        )
    if samenwerking.type not in SAMENWERKING_TYPES:
        raise AccountError(f"{samenwerking} is geen samenwerking of community.")
    if samenwerking.status != OrganisationStatus.ACTIEF:
        raise AccountError(f"{samenwerking} is niet actief; deelnemen kan nu niet.")
    if Deelneming.objects.filter(organisation=organisation, samenwerking=samenwerking).exists():
        raise AccountError(f"{organisation} neemt al deel aan {samenwerking}.")
    try:
        with transaction.atomic():
            deelneming = Deelneming.objects.create(
                organisation=organisation, samenwerking=samenwerking, created_by=actor.user
            )
    except IntegrityError:  # a simultaneous request won the race
        raise AccountError(f"{organisation} neemt al deel aan {samenwerking}.") from None
    audit.record(
        "deelneming.toegevoegd",
        actor=actor,
        organisation=organisation,
        target=samenwerking.naam,
        details={"samenwerking": str(samenwerking.uuid)},
    )
    _tell_samenwerking("deelneming_nieuw", deelneming, actor)
    return deelneming


@transaction.atomic
def leave(deelneming: Deelneming, *, actor: Actor) -> None:
    """The organisation stops taking part (its own beheerder or functioneel beheer)."""
    if not manages(actor, deelneming.organisation):
        raise NotAllowed("Alleen een beheerder van de organisatie mag deelnemingen beheren.")
    audit.record(
        "deelneming.beeindigd",
        actor=actor,
        organisation=deelneming.organisation,
        target=deelneming.samenwerking.naam,
        details={"samenwerking": str(deelneming.samenwerking.uuid)},
    )
    _tell_samenwerking("deelneming_beeindigd", deelneming, actor)
    deelneming.delete()


def deelnemers_of(org: Organisation, *, visible_to: Actor | None = None):
    """The deelnemingen in a samenwerking or community, with the participating organisation.

    With `visible_to`, only organisations that actor may see (filtered in the database).
    """
    qs = Deelneming.objects.filter(samenwerking=org).select_related("organisation")
    if visible_to is not None:
        qs = qs.filter(organisation__in=_visible(visible_to))
    return qs.order_by("organisation__naam")


def deelnemingen_of(org: Organisation, *, visible_to: Actor | None = None):
    """The samenwerkingen and communities an organisation takes part in."""
    qs = Deelneming.objects.filter(organisation=org).select_related("samenwerking")
    if visible_to is not None:
        qs = qs.filter(samenwerking__in=_visible(visible_to))
    return qs.order_by("samenwerking__naam")


def _visible(actor: Actor):
    from core.api.meta import visible_organisations

    return visible_organisations(actor)
