"""Notifications of the catalogue: a supplier proposed gebruik for your organisation, and
functioneel beheer decided on something of yours.

Both go through core's notification preferences (direct, daily digest or off, per kind).
"""

from __future__ import annotations

from core.plugins.accounts import notify_organisation, organisation_name
from core.plugins.register import object_summary, objects_by_uuid, organisation_types

GEBRUIK_VOORGESTELD = "gebruik-voorgesteld"
BEOORDELING = "catalogus-beoordeling"
KINDS = {
    GEBRUIK_VOORGESTELD: "Een leverancier meldt gebruik van een applicatie door uw organisatie",
    BEOORDELING: (
        "Functioneel beheer besliste over een applicatie, overname of voorgesteld gebruik "
        "van uw organisatie"
    ),
}
# Who may propose gebruik for someone else: an organisation that offers applications.
OFFERING_TYPES = ("Leverancier", "Community")
AANBOD_BEHEERDER = "aanbod-beheerder"
GEBRUIK_BEHEERDER = "gebruik-beheerder"


def offers_applications(organisation_type: str | None, role: str | None) -> bool:
    """A leverancier or community, or a samenwerking acting as aanbieder."""
    if organisation_type in OFFERING_TYPES:
        return True
    return organisation_type == "Samenwerking" and role == AANBOD_BEHEERDER


def application_name(gebruik_data: dict) -> str:
    module = gebruik_data.get("module")
    found = objects_by_uuid("catalogus/module", [module]).get(module) if module else None
    return (found or {}).get("naam") or "een applicatie"


def gebruik_proposed(event) -> int:
    """A supplier recorded, as a concept, that another organisation uses its application: tell
    the afnemer's gebruik-beheerders, who accept (take it over) or decline (delete) it.

    Skipped for the system channel: the demo generator is not a supplier talking to anyone.
    Returns how many notifications were made.
    """
    if event.action != "created" or event.channel == "system":
        return 0
    acting = event.acting_organisation
    gebruik = object_summary(event.uuid)
    if gebruik is None or gebruik.status != "concept" or not acting:
        return 0
    afnemer = gebruik.data.get("afnemer")
    if not afnemer or afnemer == acting:
        return 0
    if not offers_applications(organisation_types([acting]).get(acting), event.role):
        return 0
    supplier = organisation_name(acting)
    app = application_name(gebruik.data)
    subject = f"{supplier} meldt dat uw organisatie {app} gebruikt"
    body = (
        f"{supplier} heeft gemeld dat {organisation_name(afnemer)} de applicatie {app} "
        'gebruikt. Het voorstel staat onder "Voorgesteld door leveranciers" in Mijn landschap '
        "en is pas definitief als u het accepteert (overneemt). Klopt het niet, wijs het dan "
        "af: het concept wordt dan verwijderd."
    )
    return notify_organisation(
        afnemer, GEBRUIK_VOORGESTELD, subject, body, "/mijn-landschap", roles=[GEBRUIK_BEHEERDER]
    )


def tell_beheerders(organisation_uuid: str, subject: str, body: str, url: str = "") -> int:
    """Functioneel beheer's decision, to the beheerders of an organisation it concerns."""
    return notify_organisation(
        organisation_uuid,
        BEOORDELING,
        subject,
        body,
        url,
        roles=[AANBOD_BEHEERDER, GEBRUIK_BEHEERDER],
    )
