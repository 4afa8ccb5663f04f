"""The catalogue's links in the site menu: search for everyone, the landscape for gemeenten
and samenwerkingen, the offer for those who publish applications."""

from __future__ import annotations

from django.utils.translation import gettext as _

LANDSCAPE_TYPES = ("Gemeente", "Samenwerking")
OFFER_TYPES = ("Leverancier", "Community", "Samenwerking")


def has_landscape(actor) -> bool:
    """Acting for an active gemeente or samenwerking (any role: raadplegers read the
    landscape); an organisation not yet verified (Concept) is not government yet."""
    org = actor.organisation
    return actor.is_government and org is not None and org.type in LANDSCAPE_TYPES


def changes_landscape(actor) -> bool:
    """Only gebruik-beheerders change a landscape (add applications, koppelingen, diensten)."""
    return has_landscape(actor) and actor.role == "gebruik-beheerder"


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
