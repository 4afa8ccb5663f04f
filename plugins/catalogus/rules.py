"""Checks across objects for the catalogue register; each takes the new data and the data
before the write (``None`` on create) and returns (pointer, message) pairs."""

from __future__ import annotations

from core.plugins.accounts import deelnemers_of, organisation_names
from core.plugins.register import objects_by_uuid, organisation_types

ON_PREMISES = "On-premises (self-managed)"
# Each status has its own start date (#59), in order: the next status' start ends the previous.
GEBRUIK_DATES = {
    "Verwerving": "startDatumVerwerving",
    "Gepland": "startDatumGepland",
    "In productie": "startDatumInProductie",
    "Uit te faseren": "startDatumUitTeFaseren",
    "Uitgefaseerd": "startDatumUitGefaseerd",
}
LIFECYCLE_DATES = {  # versions and koppelingen
    "in ontwikkeling": "datumInOntwikkeling",
    "in gebruik": "datumInGebruik",
    "einde ondersteuning": "datumEindeOndersteuning",
    "teruggetrokken": "datumTeruggetrokken",
}
GEBRUIK_PHASES = tuple(GEBRUIK_DATES.values())
LIFECYCLE_PHASES = tuple(LIFECYCLE_DATES.values())


def phases_in_order(data: dict, phases: tuple[str, ...]) -> list[tuple[str, str]]:
    """A phase starts when the previous one ends, so its date may not come earlier."""
    problems, latest = [], None
    for name in phases:
        value = data.get(name)
        if not isinstance(value, str):
            continue
        if latest and value < latest:
            problems.append((f"/{name}", "Deze datum ligt vóór de start van de vorige fase."))
        latest = max(latest or value, value)
    return problems


def version_of_module(data: dict, previous: dict | None = None) -> list[tuple[str, str]]:
    """A chosen version must be a version of the chosen application."""
    version = data.get("moduleVersie")
    if not version:
        return []
    found = objects_by_uuid("catalogus/moduleVersie", [version]).get(version)
    if found is not None and found.get("module") != data.get("module"):
        return [("/moduleVersie", "Deze versie hoort niet bij de gekozen applicatie.")]
    return []


def _strings(value) -> list[str]:
    """The strings of a list value (the data may not match the schema yet)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def deelnemers(data: dict, previous: dict | None) -> list[tuple[str, str]]:
    """Only a samenwerking shares a gebruik, and only with its own deelnemers.

    A deelnemer already listed before this write may stay after its deelneming ended, so an
    unrelated edit of the gebruik is not refused; removing it is the samenwerking's choice.
    """
    listed = _strings(data.get("deelnemers"))
    if not listed:
        return []
    afnemer = data.get("afnemer")
    if organisation_types([afnemer]).get(afnemer) != "Samenwerking":
        return [("/deelnemers", "Alleen een samenwerking heeft deelnemers.")]
    if afnemer in listed:
        return [("/deelnemers", "De samenwerking zelf is geen deelnemer.")]
    kept = set()
    if previous and previous.get("afnemer") == afnemer:
        kept = set(_strings(previous.get("deelnemers")))
    strangers = [u for u in listed if u not in kept]
    if strangers:
        known = deelnemers_of(afnemer)
        strangers = [u for u in strangers if u not in known]
    if not strangers:
        return []
    names = organisation_names([afnemer, *strangers])
    return [
        ("/deelnemers", f"{names[u]} is geen deelnemer van {names.get(afnemer, '')}.")
        for u in strangers
        if u in names  # an unknown organisation is already refused as a relation
    ]


def gebruik(data: dict, previous: dict | None = None) -> list[tuple[str, str]]:
    problems = version_of_module(data) + phases_in_order(data, GEBRUIK_PHASES)
    module = objects_by_uuid("catalogus/module", [data.get("module")]).get(data.get("module"))
    offered = (module or {}).get("cloudDienstverleningsmodel") or []
    chosen = data.get("cloudDienstverleningsmodel")
    if chosen and offered and chosen not in offered:
        problems.append(
            (
                "/cloudDienstverleningsmodel",
                f"De applicatie wordt niet als {chosen} aangeboden; kies uit {', '.join(offered)}.",
            )
        )
    return problems + deelnemers(data, previous)


def koppeling(data: dict, previous: dict | None = None) -> list[tuple[str, str]]:
    problems = phases_in_order(data, LIFECYCLE_PHASES)
    if data.get("moduleB") and data.get("moduleB") == data.get("moduleA"):
        problems.append(("/moduleB", "Een koppeling verbindt twee verschillende applicaties."))
    return problems


def module_versie(data: dict, previous: dict | None = None) -> list[tuple[str, str]]:
    return phases_in_order(data, LIFECYCLE_PHASES)


CHECKS = {
    "catalogus/gebruik": gebruik,
    "catalogus/koppeling": koppeling,
    "catalogus/moduleVersie": module_versie,
    "catalogus/compliancy": version_of_module,
}
