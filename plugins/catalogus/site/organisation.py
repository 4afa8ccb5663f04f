"""The catalogue's sections on `/organisaties/<uuid>` (the `organisation_sections` hook):
a supplier's or community's published aanbod for everyone, and for a gemeente or
samenwerking, to government users only, a link to its landscape with the number of
applications in use (#20, #105: never for suppliers or anonymous visitors)."""

from __future__ import annotations

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.plugins import PageSection
from core.plugins.site import visible
from plugins.catalogus.site.detail_common import GOVERNMENT_TYPES, PUBLISHER_TYPES

PUBLISHED = "gepubliceerd"


def sections(organisation, actor) -> list[PageSection] | None:
    found = []
    aanbod = _aanbod(organisation, actor)
    if aanbod is not None:
        found.append(aanbod)
    if organisation.type in GOVERNMENT_TYPES and actor.is_government:
        found.append(_landschap(organisation, actor))
    return found or None


def _aanbod(organisation, actor) -> PageSection | None:
    """Published applications and diensten it offers. A samenwerking may offer too; it gets
    the section only when it actually does."""
    key = str(organisation.uuid)
    if organisation.type not in (*PUBLISHER_TYPES, "Samenwerking"):
        return None
    applicaties = list(
        visible("catalogus/module", actor)
        .filter(status=PUBLISHED, data__aanbieder=key)
        .order_by("title")
        .only("uuid", "title")
    )
    diensten = list(
        visible("catalogus/dienst", actor)
        .filter(status=PUBLISHED)
        .filter(Q(data__aanbieder=key) | Q(organisation=organisation))
        .order_by("title")
        .only("uuid", "title")
    )
    if organisation.type not in PUBLISHER_TYPES and not (applicaties or diensten):
        return None
    html = render_to_string(
        "catalogus/organisation/aanbod.html",
        {"applicaties": applicaties, "diensten": diensten, "organisation": organisation},
    )
    return PageSection(id="aanbod", title=_("Aanbod"), html=html)


def _landschap(organisation, actor) -> PageSection:
    """How many applications the organisation uses (as afnemer or deelnemer) and a link to
    its landscape; counted from what visible() returns for this government user."""
    key = str(organisation.uuid)
    in_use = (
        visible("catalogus/gebruik", actor)
        .filter(status=PUBLISHED)
        .filter(Q(data__afnemer=key) | Q(data__deelnemers__contains=[key]))
        .values("data__module")
        .distinct()
        .count()
    )
    html = render_to_string(
        "catalogus/organisation/landschap.html", {"organisation": organisation, "in_use": in_use}
    )
    return PageSection(id="applicatielandschap", title=_("Applicatielandschap"), html=html)
