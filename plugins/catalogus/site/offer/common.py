"""What the offer pages share: who may manage an offer, the own organisation's objects, and
the choices the wizards offer (own contact persons, organisations by name)."""

from __future__ import annotations

from core.plugins.site import visible, visible_organisations
from plugins.catalogus.rules import ON_PREMISES  # noqa: F401 (re-exported for the offer)
from plugins.catalogus.selection import TEMPLATE_OWNER_TYPES
from plugins.catalogus.site.menu import has_offer

OPEN_SOURCE = "Open source"
MODULE = "catalogus/module"
VERSION = "catalogus/moduleVersie"
COMPLIANCY = "catalogus/compliancy"
KOPPELING = "catalogus/koppeling"
DIENST = "catalogus/dienst"
GEBRUIK = "catalogus/gebruik"
CONTACT = "catalogus/contactpersoon"
CUSTOMER_TYPES = ("Gemeente", "Samenwerking")
SEARCH_LIMIT = 50  # choices a search step shows at once (the chosen ones come on top)


def may_offer(actor) -> bool:
    """Aanbod-beheerders of a Leverancier, Community or Samenwerking manage an offer."""
    return actor.is_authenticated and has_offer(actor)


def own(schema: str, actor):
    """The own organisation's readable objects of `schema` (not archived). Koppelingen are
    the offer's only when a publisher owns them (templates): a samenwerking's own
    koppelingen belong to its landscape, which its gebruik-beheerders keep."""
    rows = visible(schema, actor).filter(organisation=actor.organisation)
    if schema == KOPPELING:
        rows = rows.filter(organisation__type__in=TEMPLATE_OWNER_TYPES)
    return rows


def registered_for_us(actor):
    """Applications a gemeente or samenwerking registered naming us as supplier (#12);
    the supplier may take them over (claim)."""
    return visible(MODULE, actor).filter(
        data__aanbieder=str(actor.organisation.uuid),
        organisation__type__in=CUSTOMER_TYPES,
    )


def contact_choices(actor) -> list[tuple[str, str]]:
    """The own organisation's contact persons, for "Aanspreekpunt"."""
    rows = own(CONTACT, actor).order_by("title").values_list("uuid", "title")
    return [("", "—")] + [(str(uid), title) for uid, title in rows]


def organisation_names(uuids, actor) -> dict[str, str]:
    """Visible organisations' display names by uuid, in one query."""
    wanted = {str(u) for u in uuids if u}
    if not wanted:
        return {}
    rows = visible_organisations(actor).filter(uuid__in=wanted)
    return {str(org.uuid): org.display_name for org in rows}
