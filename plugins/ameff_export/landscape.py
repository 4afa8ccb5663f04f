"""The landscape of a gemeente or samenwerking as an AMEFF model (kinds `landschap` and
`koppelingen`).

Modelled after VNG's design of the new export ("AMEFF export epic aanbod en gebruik"):
the organisation and the suppliers are actors, each application in use is an
ApplicationComponent carrying its gebruik, every gebruik is also an Association
"is afnemer van" from the afnemer with all its properties (so a samenwerking's shared
gebruik and the own one stay apart), versions specialise their application, applications
specialise the GEMMA referentiecomponenten they are used for, and koppelingen are Flows
with Associations to their intermediair and standaardversies.

A landscape is a few hundred rows, so its indices are kept in memory; the whole catalogue
goes through `offer.py`, which streams.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.plugins.site import is_uuid, titles, visible, visible_organisations
from plugins.ameff_export import mapping as m
from plugins.ameff_export.layout import Group, grouped_view
from plugins.ameff_export.writer import Element, Model, Relationship, View

LANDSCHAP, KOPPELINGEN = "landschap", "koppelingen"
ORDER = ("title", "uuid")


def _uuids(values) -> list[str]:
    return sorted({str(v) for v in values if v and is_uuid(str(v))})


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


class LandscapeModel:
    """Reads the selection once, then yields elements, relationships and the view."""

    def __init__(self, selection, actor, kind: str, *, model_id: str, properties):
        self.actor = actor
        self.kind = kind
        self.org = selection.organisation
        self.values = m.Values(actor)
        self.model_id = model_id
        self.properties = properties
        self.gebruik = []  # (row, data)
        if kind == LANDSCHAP:
            rows = selection.gebruik(actor).order_by(*ORDER)
            self.gebruik = [(g, self.values.data(g)) for g in rows.iterator(chunk_size=500)]
        koppelingen = selection.koppelingen(actor).order_by(*ORDER)
        koppeling_rows = [(k, self.values.data(k)) for k in koppelingen.iterator(chunk_size=500)]
        self._load_modules(koppeling_rows)
        self._load_gemma(koppeling_rows)
        self.koppelingen = [
            (k, d)
            for k, d in koppeling_rows
            if d.get("moduleA") in self.modules
            and (
                d.get("moduleB") in self.modules
                or d.get("buitengemeentelijkVoorziening") in self.voorzieningen
            )
        ]
        self.titles = titles(
            [v for _row, d in self.gebruik for k in m.TITLED[m.GEBRUIK] for v in _as_list(d.get(k))]
            + [
                v
                for _row, d in self.koppelingen
                for k in m.TITLED[m.KOPPELING]
                for v in _as_list(d.get(k))
            ],
            actor,
        )
        self._load_organisations()

    # --- reading ----------------------------------------------------------------------

    def _load_modules(self, koppeling_rows) -> None:
        self.used: dict[str, list] = {}  # module uuid → its gebruik rows in this landscape
        for row, data in self.gebruik:
            self.used.setdefault(data.get("module"), []).append((row, data))
        wanted = set(self.used)
        for _row, data in koppeling_rows:
            for key in ("moduleA", "moduleB", "gerealiseerdMetIntermediairModule"):
                if data.get(key):
                    wanted.add(data[key])
        rows = visible(m.MODULE, self.actor).filter(uuid__in=_uuids(wanted)).order_by(*ORDER)
        self.modules = {str(r.uuid): (r, self.values.data(r)) for r in rows}
        versions = _uuids(d.get("moduleVersie") for _r, d in self.gebruik)
        rows = visible(m.VERSIE, self.actor).filter(uuid__in=versions).order_by(*ORDER)
        self.versions = {
            str(r.uuid): (r, data)
            for r in rows
            if (data := self.values.data(r)).get("module") in self.modules
        }

    def _load_gemma(self, koppeling_rows) -> None:
        self.uses_for: dict[str, list[str]] = {}  # module → referentiecomponenten it is used for
        for module, rows in self.used.items():
            if module not in self.modules:
                continue
            chosen = [v for _r, d in rows for v in d.get("gebruiktVoorReferentiecomponenten") or []]
            if not chosen:
                chosen = self.modules[module][1].get("referentieComponenten") or []
            self.uses_for[module] = list(dict.fromkeys(chosen))
        self.referentiecomponenten = self._gemma(
            m.REFERENTIECOMPONENT, [v for vs in self.uses_for.values() for v in vs]
        )
        self.voorzieningen = self._gemma(
            m.VOORZIENING, [d.get("buitengemeentelijkVoorziening") for _r, d in koppeling_rows]
        )
        self.compliancy = []
        if self.kind == LANDSCHAP and self.uses_for:
            rows = (
                visible(m.COMPLIANCY, self.actor)
                .filter(data__module__in=sorted(self.uses_for))
                .order_by(*ORDER)
            )
            self.compliancy = [(r, self.values.data(r)) for r in rows]
        self.standaardversies = self._gemma(
            m.STANDAARDVERSIE,
            [v for _r, d in koppeling_rows for v in d.get("standaardversies") or []]
            + [d.get("standaardversie") for _r, d in self.compliancy],
        )

    def _gemma(self, schema: str, uuids) -> dict:
        rows = visible(schema, self.actor).filter(uuid__in=_uuids(uuids)).order_by(*ORDER)
        found = {}
        for row in rows:
            data = self.values.data(row)
            found[str(row.uuid)] = (row, data, m.gemma_identifier(row, data))
        return found

    def _load_organisations(self) -> None:
        wanted = {str(self.org.uuid)}
        wanted.update(d.get("afnemer") for _r, d in self.gebruik)
        wanted.update(d.get("aanbieder") for _r, d in self.modules.values())
        rows = visible_organisations(self.actor).filter(uuid__in=_uuids(wanted))
        self.organisations = {str(o.uuid): o for o in rows.order_by("naam", "uuid")}

    # --- elements ---------------------------------------------------------------------

    def placeholder(self) -> Element:
        return m.organisation_element(self.org)

    def elements(self) -> Iterator[Element]:
        own = str(self.org.uuid)
        if self.kind == LANDSCHAP:
            yield m.organisation_element(self.org)
            for uuid, org in self.organisations.items():
                if uuid != own:
                    yield m.organisation_element(org)
        for uuid, (row, data) in self.modules.items():
            props = self.values.properties(m.MODULE, row, data)
            props += self._gebruik_summary(uuid)
            yield Element(
                m.object_id(uuid),
                "ApplicationComponent",
                row.title,
                tuple(props),
                m.documentation(data),
                m.APPLICATIES,
            )
        for uuid, (row, data) in self.versions.items():
            yield Element(
                m.object_id(uuid),
                "ApplicationComponent",
                row.title,
                tuple(self.values.properties(m.VERSIE, row, data)),
                m.documentation(data),
                m.VERSIES,
            )
        for schema, found in (
            (m.REFERENTIECOMPONENT, self.referentiecomponenten),
            (m.VOORZIENING, self.voorzieningen),
            (m.STANDAARDVERSIE, self.standaardversies),
        ):
            for row, data, _identifier in found.values():
                yield m.gemma_element(row, data, schema)

    def _gebruik_summary(self, module: str) -> list[tuple[str, str]]:
        """The gebruik on the application itself (what Archi users look at); with more than
        one gebruik of the same application (own and via a samenwerking) the distinct
        values are joined; each gebruik keeps its own values on its relationship."""
        per_name: dict[str, list[str]] = {}
        for _row, data in self.used.get(module, []):
            values = [("Afnemer", self._organisation_name(data.get("afnemer")))]
            values += self.values.fields(m.GEBRUIK, data, self.titles)
            for name, value in values:
                found = per_name.setdefault(name, [])
                if value and value not in found:
                    found.append(value)
        return [(m.GEBRUIK_PREFIX + name.lower(), "; ".join(v)) for name, v in per_name.items()]

    def _organisation_name(self, uuid) -> str:
        org = self.organisations.get(str(uuid))
        return (org.weergavenaam or org.naam) if org else ""

    # --- relationships ----------------------------------------------------------------

    def relationships(self) -> Iterator[Relationship]:
        own = str(self.org.uuid)
        for uuid, (_row, data) in self.modules.items():
            supplier = self.organisations.get(data.get("aanbieder"))
            if supplier is not None and self.kind == LANDSCHAP:
                yield Relationship(
                    m.derived_id(uuid, "aanbieder"),
                    "Association",
                    m.object_id(supplier.uuid),
                    m.object_id(uuid),
                    m.organisation_type(supplier),
                    "ApplicationComponent",
                    "is eigenaar van",
                )
        for uuid, (_row, data) in self.versions.items():
            yield Relationship(
                m.derived_id(uuid, "is versie van"),
                "Specialization",
                m.object_id(uuid),
                m.object_id(data["module"]),
                "ApplicationComponent",
                "ApplicationComponent",
                "is versie van",
            )
        for module, components in self.uses_for.items():
            for component in components:
                if component in self.referentiecomponenten:
                    yield Relationship(
                        m.derived_id("landschap", own, module, component),
                        "Specialization",
                        m.object_id(module),
                        self.referentiecomponenten[component][2],
                        "ApplicationComponent",
                        "ApplicationComponent",
                        "wordt gebruikt voor",
                    )
        yield from self._gebruik_relationships()
        yield from self._koppeling_relationships()
        yield from self._compliancy_relationships()

    def _gebruik_relationships(self) -> Iterator[Relationship]:
        own = str(self.org.uuid)
        partners = set()
        for row, data in self.gebruik:
            afnemer = self.organisations.get(data.get("afnemer"))
            module = data.get("module")
            if afnemer is None or module not in self.modules:
                continue
            props = [
                ("Object ID", str(row.uuid)),
                ("SWC uuid", str(row.uuid)),
                ("SWC type", m.SWC_TYPES[m.GEBRUIK]),
            ]
            props += self.values.fields(m.GEBRUIK, data, self.titles)
            yield Relationship(
                m.object_id(row.uuid),
                "Association",
                m.object_id(afnemer.uuid),
                m.object_id(module),
                m.organisation_type(afnemer),
                "ApplicationComponent",
                "is afnemer van",
                tuple(props),
                folder=m.GEBRUIK_RELATIES,
            )
            version = data.get("moduleVersie")
            if version in self.versions:
                yield Relationship(
                    m.derived_id(row.uuid, "met versie"),
                    "Association",
                    m.object_id(row.uuid),
                    m.object_id(version),
                    "Relationship",
                    "ApplicationComponent",
                    "met versie",
                    folder=m.GEBRUIK_RELATIES,
                )
            if str(afnemer.uuid) != own:
                partners.add(str(afnemer.uuid))
        if self.org.type == "Gemeente":
            for partner in sorted(partners):
                samenwerking = self.organisations[partner]
                if m.organisation_type(samenwerking) != "BusinessCollaboration":
                    continue
                yield Relationship(
                    m.derived_id(partner, own, "heeft deelnemers"),
                    "Aggregation",
                    m.object_id(partner),
                    m.object_id(own),
                    "BusinessCollaboration",
                    m.organisation_type(self.org),
                    "heeft deelnemers",
                )

    def _ends(self, data: dict) -> tuple[tuple[str, str], tuple[str, str]]:
        """(identifier, type) of the flow's source and target, in the data's direction."""
        a = (m.object_id(data["moduleA"]), "ApplicationComponent")
        if data.get("moduleB"):
            b = (m.object_id(data["moduleB"]), "ApplicationComponent")
        else:
            b = (
                self.voorzieningen[data["buitengemeentelijkVoorziening"]][2],
                "ApplicationComponent",
            )
        return (b, a) if data.get("gegevensuitwisselingRichting") == "BnaarA" else (a, b)

    def flows(self) -> list[tuple[str, str, str]]:
        found = []
        for row, data in self.koppelingen:
            source, target = self._ends(data)
            found.append((m.object_id(row.uuid), source[0], target[0]))
        return found

    def _koppeling_relationships(self) -> Iterator[Relationship]:
        for row, data in self.koppelingen:
            yield from koppeling_relationships(
                row,
                data,
                self._ends(data),
                self.values.properties(m.KOPPELING, row, data, self.titles),
                intermediair=data.get("gerealiseerdMetIntermediairModule")
                if data.get("gerealiseerdMetIntermediairModule") in self.modules
                else None,
                standaardversies={
                    v: self.standaardversies[v][2]
                    for v in data.get("standaardversies") or []
                    if v in self.standaardversies
                },
            )

    def _compliancy_relationships(self) -> Iterator[Relationship]:
        for row, data in self.compliancy:
            standaardversie = self.standaardversies.get(data.get("standaardversie"))
            version = data.get("moduleVersie")
            if version:
                source = version if version in self.versions else None
            else:
                source = data.get("module") if data.get("module") in self.modules else None
            if standaardversie is None or source is None:
                continue
            yield compliancy_relationship(
                row, data, m.object_id(source), standaardversie[2], self.values
            )

    # --- the view ---------------------------------------------------------------------

    def views(self) -> Iterator[View]:
        groups: list[Group] = []
        placed: set[str] = set()
        if self.kind == LANDSCHAP:
            members: dict[str, list[str]] = {}
            for module in self.modules:  # ordered by title
                for component in self.uses_for.get(module, []):
                    if component in self.referentiecomponenten:
                        members.setdefault(component, []).append(module)
            for component, (row, _data, identifier) in self.referentiecomponenten.items():
                if component in members:
                    groups.append(
                        Group(
                            component,
                            row.title,
                            identifier,
                            [m.object_id(u) for u in members[component]],
                        )
                    )
                    placed.update(members[component])
            without = [u for u in self.modules if u in self.used and u not in placed]
            if without:
                groups.append(
                    Group(
                        "zonder",
                        "Zonder referentiecomponent",
                        None,
                        [m.object_id(u) for u in without],
                    )
                )
                placed.update(without)
        ends = {d.get(k) for _r, d in self.koppelingen for k in ("moduleA", "moduleB")}
        others = [u for u in self.modules if u in ends and u not in placed]
        if others:
            label = "Andere applicaties" if self.kind == LANDSCHAP else "Applicaties"
            groups.append(Group("andere", label, None, [m.object_id(u) for u in others]))
        linked = {d.get("buitengemeentelijkVoorziening") for _r, d in self.koppelingen}
        voorzieningen = [v[2] for u, v in self.voorzieningen.items() if u in linked]
        if voorzieningen:
            groups.append(
                Group("voorzieningen", "Buitengemeentelijke voorzieningen", None, voorzieningen)
            )
        if not groups:
            return
        title = "Applicatielandschap" if self.kind == LANDSCHAP else "Koppelingen"
        name = self.org.weergavenaam or self.org.naam
        yield grouped_view(
            identifier=m.derived_id(self.model_id, "view"),
            name=f"{title} {name} per referentiecomponent"
            if self.kind == LANDSCHAP
            else f"{title} {name}",
            groups=groups,
            flows=self.flows(),
            node_id=lambda *parts: m.derived_id(self.model_id, "view", *parts),
            documentation=(
                "Gegenereerd door de Softwarecatalogus: de applicaties in gebruik, gegroepeerd "
                "naar de GEMMA-referentiecomponenten waarvoor ze worden gebruikt, met de "
                "koppelingen als flows."
                if self.kind == LANDSCHAP
                else "Gegenereerd door de Softwarecatalogus: de koppelingen als flows."
            ),
        )

    def model(self, name: str) -> Model:
        return Model(
            identifier=self.model_id,
            name=name,
            elements=self.elements(),
            relationships=self.relationships(),
            placeholder=self.placeholder(),
            views=self.views(),
            properties=self.properties,
        )


def koppeling_relationships(
    row, data, ends, props, *, intermediair: str | None, standaardversies: dict[str, str]
) -> Iterator[Relationship]:
    """The Flow of a koppeling, and the Associations from it to its intermediair
    ("gerealiseerd met") and standaardversies ("implementeert"), as VNG's design has them."""
    (source, source_type), (target, target_type) = ends
    flow = m.object_id(row.uuid)
    yield Relationship(
        flow,
        "Flow",
        source,
        target,
        source_type,
        target_type,
        row.title,
        tuple(props),
        m.documentation(data),
        m.KOPPELINGEN,
    )
    if intermediair:
        yield Relationship(
            m.derived_id(row.uuid, "gerealiseerd met", intermediair),
            "Association",
            flow,
            m.object_id(intermediair),
            "Relationship",
            "ApplicationComponent",
            "gerealiseerd met",
            folder=m.KOPPELINGEN,
        )
    for uuid, identifier in standaardversies.items():
        yield Relationship(
            m.derived_id(row.uuid, "implementeert", uuid),
            "Association",
            flow,
            identifier,
            "Relationship",
            "Constraint",
            "implementeert",
            folder=m.KOPPELINGEN,
        )


def compliancy_relationship(row, data, source: str, target: str, values) -> Relationship:
    """Support for a standaardversie: Realization "ondersteunt", or — when the supplier
    states it is not supported — an Association "ondersteunt niet" (a Realization would
    claim the opposite)."""
    supported = data.get("ondersteuning") == "Ondersteund"
    return Relationship(
        m.object_id(row.uuid),
        "Realization" if supported else "Association",
        source,
        target,
        "ApplicationComponent",
        "Constraint",
        "ondersteunt" if supported else "ondersteunt niet",
        tuple(values.properties(m.COMPLIANCY, row, data)),
    )
