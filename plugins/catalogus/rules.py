"""Checks across objects for the catalogue register; each returns (pointer, message) pairs."""

from __future__ import annotations

from core.plugins.register import objects_by_uuid, organisation_types

ON_PREMISES = "On-premises (self-managed)"
GEBRUIK_PHASES = (
    "startDatumVerwerving",
    "startDatumGepland",
    "startDatumInProductie",
    "startDatumUitTeFaseren",
    "startDatumUitGefaseerd",
)
LIFECYCLE_PHASES = (
    "datumInOntwikkeling",
    "datumInGebruik",
    "datumEindeOndersteuning",
    "datumTeruggetrokken",
)


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


def version_of_module(data: dict) -> list[tuple[str, str]]:
    """A chosen version must be a version of the chosen application."""
    version = data.get("moduleVersie")
    if not version:
        return []
    found = objects_by_uuid("catalogus/moduleVersie", [version]).get(version)
    if found is not None and found.get("module") != data.get("module"):
        return [("/moduleVersie", "Deze versie hoort niet bij de gekozen applicatie.")]
    return []


def gebruik(data: dict) -> list[tuple[str, str]]:
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
    deelnemers = data.get("deelnemers") or []
    if deelnemers:
        afnemer = data.get("afnemer")
        if organisation_types([afnemer]).get(afnemer) != "Samenwerking":
            problems.append(("/deelnemers", "Alleen een samenwerking heeft deelnemers."))
        elif afnemer in deelnemers:
            problems.append(("/deelnemers", "De samenwerking zelf is geen deelnemer."))
    return problems


def koppeling(data: dict) -> list[tuple[str, str]]:
    problems = phases_in_order(data, LIFECYCLE_PHASES)
    if data.get("moduleB") and data.get("moduleB") == data.get("moduleA"):
        problems.append(("/moduleB", "Een koppeling verbindt twee verschillende applicaties."))
    return problems


def module_versie(data: dict) -> list[tuple[str, str]]:
    return phases_in_order(data, LIFECYCLE_PHASES)


CHECKS = {
    "catalogus/gebruik": gebruik,
    "catalogus/koppeling": koppeling,
    "catalogus/moduleVersie": module_versie,
    "catalogus/compliancy": version_of_module,
}
