"""Facts several catalogue pages show the same way: how many gemeenten use an application,
and which standards an application should support (and does, by its supplier's word).

Both work in a fixed number of queries, whatever the number of applications or standards,
and read only what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from core.plugins.site import organisation_counts, visible

VERPLICHT = "Verplicht"
AANBEVOLEN = "Aanbevolen"
TOEGEVOEGD = "Toegevoegd"
ONDERSTEUND = "Ondersteund"
NIET_ONDERSTEUND = "Niet ondersteund"
_ORDER = {VERPLICHT: 0, AANBEVOLEN: 1, TOEGEVOEGD: 2}


def gemeenten_count(module_uuids, actor) -> dict[str, int]:
    """Per application uuid: the number of distinct gemeenten that use it (as afnemer or
    deelnemer). Only government users see usage, so others get {}."""
    if not actor.is_government:
        return {}
    return organisation_counts(
        "catalogus/gebruik", "module", module_uuids, ["afnemer", "deelnemers"], actor, "Gemeente"
    )


def dienst_gemeenten_count(dienst_uuids, actor) -> dict[str, int]:
    """Per dienst uuid: the number of distinct gemeenten that take it (dienstafname);
    government users only, like gemeenten_count."""
    if not actor.is_government:
        return {}
    return organisation_counts(
        "catalogus/dienstafname", "dienst", dienst_uuids, ["afnemer"], actor, "Gemeente"
    )


@dataclass
class StandardRow:
    """One standaardversie with the application's declared support ("" = not declared)."""

    uuid: str
    naam: str
    versie: str
    soort: str  # Verplicht | Aanbevolen | Toegevoegd
    ondersteuning: str = ""  # Ondersteund | Niet ondersteund | ""
    url: str = ""  # evidence the supplier gave

    @property
    def ondersteund(self) -> bool:
        return self.ondersteuning == ONDERSTEUND

    @property
    def niet_ondersteund(self) -> bool:
        return self.ondersteuning == NIET_ONDERSTEUND


@dataclass
class StandardGroup:
    """A standaard with its versions; `soort` is the strongest demand on it."""

    uuid: str
    naam: str
    soort: str
    rows: list[StandardRow] = field(default_factory=list)


def standards_table(module, referentiecomponent_uuids, actor) -> list[StandardGroup]:
    """The standards the given referentiecomponenten demand (Verplicht wins over Aanbevolen),
    each with all its versions and the module's support from catalogus/compliancy; support
    declared for versions outside that set is listed as "Toegevoegd". `module` may be None
    (before an application exists): then no support is filled in. Four queries at most."""
    return standards_tables([(module, referentiecomponent_uuids)], actor)[0]


def standards_tables(pairs, actor) -> list[list[StandardGroup]]:
    """`standards_table` for several (module or None, referentiecomponent uuids) pairs at
    once, in the same four queries (the compare page)."""
    demands: list[dict[str, str]] = [{} for _ in pairs]
    components = {str(u) for _, uuids in pairs for u in uuids or [] if u}
    if components:
        found = visible("gemma/referentiecomponent", actor).filter(uuid__in=components)
        by_uuid = {str(uid): data for uid, data in found.values_list("uuid", "data")}
        for demand, (_, uuids) in zip(demands, pairs, strict=True):
            for data in (by_uuid.get(str(u)) for u in uuids or []):
                if data is None:
                    continue
                for uid in data.get("aanbevolenStandaarden") or []:
                    demand.setdefault(str(uid), AANBEVOLEN)
                for uid in data.get("verplichteStandaarden") or []:
                    demand[str(uid)] = VERPLICHT

    supports: dict[str, dict[str, tuple[str, str]]] = {}
    module_keys = [str(m.uuid) for m, _ in pairs if m is not None]
    if module_keys:
        declared = (
            visible("catalogus/compliancy", actor)
            .filter(data__module__in=module_keys)
            .order_by("updated_at")
            .values_list("data", flat=True)
        )
        for data in declared:
            support = supports.setdefault(str(data.get("module")), {})
            key = str(data.get("standaardversie") or "")
            # A module-wide declaration outranks one for a single version.
            if key and (key not in support or not data.get("moduleVersie")):
                support[key] = (data.get("ondersteuning") or "", data.get("url") or "")

    all_demanded = {uid for demand in demands for uid in demand}
    all_declared = {uid for support in supports.values() for uid in support}
    if not all_demanded and not all_declared:
        return [[] for _ in pairs]
    versions = visible("gemma/standaardversie", actor).filter(
        Q(data__standaard__in=list(all_demanded)) | Q(uuid__in=list(all_declared))
    )
    version_rows = [(str(u), t, d) for u, t, d in versions.values_list("uuid", "title", "data")]
    standard_uuids = all_demanded | {str(d.get("standaard") or "") for _, _, d in version_rows}
    standard_uuids.discard("")
    standards = visible("gemma/standaard", actor).filter(uuid__in=standard_uuids)
    names = {str(uid): title for uid, title in standards.values_list("uuid", "title")}

    return [
        _groups(
            demand,
            supports.get(str(module.uuid), {}) if module is not None else {},
            version_rows,
            names,
        )
        for demand, (module, _) in zip(demands, pairs, strict=True)
    ]


def _groups(demand, support, version_rows, names) -> list[StandardGroup]:
    groups: dict[str, StandardGroup] = {
        uid: StandardGroup(uid, names[uid], soort) for uid, soort in demand.items() if uid in names
    }
    for uid, title, data in version_rows:
        standard = str(data.get("standaard") or "")
        if standard not in demand and uid not in support:
            continue
        group = groups.get(standard or uid)
        if group is None:  # support declared outside the demanded standards
            soort = demand.get(standard, TOEGEVOEGD)
            group = groups[standard or uid] = StandardGroup(
                standard, names.get(standard, title), soort
            )
        ondersteuning, url = support.get(uid, ("", ""))
        group.rows.append(
            StandardRow(
                uuid=uid,
                naam=title,
                versie=data.get("versieaanduiding") or "",
                soort=group.soort,
                ondersteuning=ondersteuning,
                url=url,
            )
        )
    for group in groups.values():
        group.rows.sort(key=lambda r: (r.versie.lower(), r.naam.lower()))
    return sorted(groups.values(), key=lambda g: (_ORDER[g.soort], g.naam.lower()))


def row_count(groups: list[StandardGroup]) -> int:
    """Rows of a standards table (the number shown in the "Standaarden" tab label)."""
    return sum(len(group.rows) for group in groups)
