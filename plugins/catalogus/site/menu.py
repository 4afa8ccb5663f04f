"""The catalogue's links in the site menu: search for everyone, the landscape for gemeenten
and samenwerkingen, the offer for those who publish applications."""

from __future__ import annotations

from django.utils.translation import gettext as _

LANDSCAPE_TYPES = ("Gemeente", "Samenwerking")
OFFER_TYPES = ("Leverancier", "Community", "Samenwerking")


def has_landscape(actor) -> bool:
    """Acting for a gemeente or samenwerking (any role: raadplegers read the landscape)."""
    return actor.organisation is not None and actor.organisation.type in LANDSCAPE_TYPES


def has_offer(actor) -> bool:
    """Acting as aanbod-beheerder for an organisation that publishes applications."""
    org = actor.organisation
    return org is not None and org.type in OFFER_TYPES and actor.role == "aanbod-beheerder"


def menu_items(actor) -> list[tuple[str, str]]:
    items = [(_("Zoeken"), "/zoeken")]
    if has_landscape(actor):
        items.append((_("Mijn landschap"), "/mijn-landschap"))
    if has_offer(actor):
        items.append((_("Mijn aanbod"), "/mijn-aanbod"))
    return items
