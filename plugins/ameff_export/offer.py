"""A supplier's offer (kind `aanbod`) or the whole published catalogue as an AMEFF model,
streamed: rows come from `.iterator()` querysets in batches and are written as they come.

Applications and versions are ApplicationComponents (version --Specialization "is versie
van"--> application), applications specialise the referentiecomponenten they are fit for
("is geschikt voor"), koppeling templates are Flows, diensten BusinessServices
("aangeboden voor" the application), standards support Realizations ("ondersteunt") to the
standaardversie, and the supplier owns ("is eigenaar van") its applications and diensten.
No gemeente's gebruik is read at all.

Memory stays flat: per row nothing is kept but what is bounded by reference data (the
GEMMA objects and organisations met, the few applications of others that a koppeling or
dienst points at); membership of other rows is asked per batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from core.plugins.site import is_uuid, titles, visible, visible_organisations
from plugins.ameff_export import mapping as m
from plugins.ameff_export.landscape import compliancy_relationship, koppeling_relationships
from plugins.ameff_export.layout import Group, grouped_view
from plugins.ameff_export.writer import Element, Model, Relationship, View
from plugins.catalogus.selection import TEMPLATE_OWNER_TYPES

ORDER = ("title", "uuid")
BATCH = 500
MODULE_REFS = ("moduleA", "moduleB", "gerealiseerdMetIntermediairModule")


@dataclass(frozen=True)
class CatalogueSelection:
    """Every published application with its versions, koppeling templates, diensten and
    standards support, as the actor may read them (the catalogue-wide export)."""

    organisation: object = None

    def _published(self, schema: str, actor):
        return visible(schema, actor).filter(status="gepubliceerd")

    def modules(self, actor):
        return self._published(m.MODULE, actor)

    def versies(self, actor):
        return self._published(m.VERSIE, actor)

    def koppelingen(self, actor):
        return self._published(m.KOPPELING, actor).filter(
            organisation__type__in=TEMPLATE_OWNER_TYPES
        )

    def diensten(self, actor):
        return self._published(m.DIENST, actor)

    def compliancy(self, actor):
        return self._published(m.COMPLIANCY, actor)


def batches(rows, size: int = BATCH) -> Iterator[list]:
    batch = []
    for row in rows.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _uuids(values) -> list[str]:
    return sorted({str(v) for v in values if v and is_uuid(str(v))})


def _text_uuids(rows):
    return rows.order_by().annotate(_u=Cast("uuid", TextField())).values("_u")


class OfferModel:
    def __init__(self, selection, actor, *, model_id, properties, placeholder, with_view):
        self.selection = selection
        self.actor = actor
        self.values = m.Values(actor)
        self.model_id = model_id
        self.properties = properties
        self.placeholder = placeholder
        self.with_view = with_view
        # Bounded by reference data: GEMMA objects and organisations met on the way.
        self.gemma: dict[str, dict[str, str]] = {
            m.REFERENTIECOMPONENT: {},
            m.VOORZIENING: {},
            m.STANDAARDVERSIE: {},
        }
        self.extra: set[str] = set()  # others' applications a koppeling or dienst names

    # --- querysets --------------------------------------------------------------------

    def main(self):
        return self.selection.modules(self.actor).order_by(*ORDER)

    def versies(self):
        return (
            self.selection.versies(self.actor)
            .annotate(_m=KT("data__module"))
            .filter(_m__in=_text_uuids(self.main()))
            .order_by(*ORDER)
        )

    def compliancy(self):
        return (
            self.selection.compliancy(self.actor)
            .annotate(_m=KT("data__module"))
            .filter(_m__in=_text_uuids(self.main()))
            .order_by(*ORDER)
        )

    def koppelingen(self):
        return self.selection.koppelingen(self.actor).order_by(*ORDER)

    def diensten(self):
        return self.selection.diensten(self.actor).order_by(*ORDER)

    def _visible_modules(self, uuids) -> set[str]:
        rows = visible(m.MODULE, self.actor).filter(uuid__in=_uuids(uuids))
        return {str(u) for u in rows.values_list("uuid", flat=True)}

    # --- elements ---------------------------------------------------------------------

    def elements(self) -> Iterator[Element]:
        wanted = {m.REFERENTIECOMPONENT: set(), m.VOORZIENING: set(), m.STANDAARDVERSIE: set()}
        for batch in batches(self.main()):
            for row in batch:
                data = self.values.data(row)
                wanted[m.REFERENTIECOMPONENT].update(data.get("referentieComponenten") or [])
                yield self._module(row, data)
        for batch in batches(self.versies()):
            for row in batch:
                data = self.values.data(row)
                yield Element(
                    m.object_id(row.uuid),
                    "ApplicationComponent",
                    row.title,
                    tuple(self.values.properties(m.VERSIE, row, data)),
                    m.documentation(data),
                    m.VERSIES,
                )
        for batch in batches(self.diensten()):
            refs = []
            for row in batch:
                data = self.values.data(row)
                refs += data.get("modules") or []
                yield Element(
                    m.object_id(row.uuid),
                    "BusinessService",
                    row.title,
                    tuple(self.values.properties(m.DIENST, row, data)),
                    m.documentation(data),
                    m.DIENSTEN,
                )
            yield from self._extra_modules(refs)
        for batch in batches(self.koppelingen()):
            refs = []
            for row in batch:
                data = self.values.data(row)
                refs += [data.get(key) for key in MODULE_REFS]
                wanted[m.VOORZIENING].add(data.get("buitengemeentelijkVoorziening"))
                wanted[m.STANDAARDVERSIE].update(data.get("standaardversies") or [])
            yield from self._extra_modules(refs)
        for batch in batches(self.compliancy()):
            wanted[m.STANDAARDVERSIE].update(
                self.values.data(r).get("standaardversie") for r in batch
            )
        for schema, uuids in wanted.items():
            rows = visible(schema, self.actor).filter(uuid__in=_uuids(uuids)).order_by(*ORDER)
            for row in rows.iterator(chunk_size=BATCH):
                data = self.values.data(row)
                element = m.gemma_element(row, data, schema)
                self.gemma[schema][str(row.uuid)] = element.identifier
                yield element
        fields = ("uuid", "type", "naam", "weergavenaam", "beschrijving_kort", "cbs_code")
        suppliers = self._suppliers().order_by("naam", "uuid").only(*fields, "website")
        for org in suppliers.iterator(BATCH):
            yield m.organisation_element(org)

    def _suppliers(self):
        """The organisations that supply what the file holds, as a subquery: a set of them
        in memory would grow with the catalogue."""
        named = [self.main(), self.diensten()]
        if self.extra:
            named.append(visible(m.MODULE, self.actor).filter(uuid__in=sorted(self.extra)))
        condition = Q()
        for rows in named:
            condition |= Q(_u__in=rows.order_by().values(a=KT("data__aanbieder")))
        return (
            visible_organisations(self.actor)
            .annotate(_u=Cast("uuid", TextField()))
            .filter(condition)
        )

    def _supplier_types(self, rows) -> dict[str, str]:
        """ArchiMate type of the suppliers of one batch (one query per batch)."""
        wanted = _uuids(self.values.data(row).get("aanbieder") for row in rows)
        found = self._suppliers().filter(uuid__in=wanted).only("uuid", "type")
        return {str(org.uuid): m.organisation_type(org) for org in found}

    def _module(self, row, data) -> Element:
        return Element(
            m.object_id(row.uuid),
            "ApplicationComponent",
            row.title,
            tuple(self.values.properties(m.MODULE, row, data)),
            m.documentation(data),
            m.APPLICATIES,
        )

    def _extra_modules(self, refs) -> Iterator[Element]:
        """Others' applications a koppeling or dienst of this batch names, each once."""
        wanted = [u for u in _uuids(refs) if u not in self.extra]
        if not wanted:
            return
        rows = (
            visible(m.MODULE, self.actor)
            .filter(uuid__in=wanted)
            .exclude(pk__in=self.main().order_by().values("pk"))
            .order_by(*ORDER)
        )
        for row in rows:
            data = self.values.data(row)
            self.extra.add(str(row.uuid))
            yield self._module(row, data)

    # --- relationships ----------------------------------------------------------------

    def relationships(self) -> Iterator[Relationship]:
        components = self.gemma[m.REFERENTIECOMPONENT]
        for batch in batches(self.main()):
            types = self._supplier_types(batch)
            for row in batch:
                data = self.values.data(row)
                yield from self._owner(row, data.get("aanbieder"), "ApplicationComponent", types)
                for component in dict.fromkeys(data.get("referentieComponenten") or []):
                    if component in components:
                        yield Relationship(
                            m.derived_id(row.uuid, "is geschikt voor", component),
                            "Specialization",
                            m.object_id(row.uuid),
                            components[component],
                            "ApplicationComponent",
                            "ApplicationComponent",
                            "is geschikt voor",
                        )
        extra = visible(m.MODULE, self.actor).filter(uuid__in=sorted(self.extra)).order_by(*ORDER)
        for batch in batches(extra):
            types = self._supplier_types(batch)
            for row in batch:
                supplier = self.values.data(row).get("aanbieder")
                yield from self._owner(row, supplier, "ApplicationComponent", types)
        for batch in batches(self.versies()):
            for row in batch:
                yield Relationship(
                    m.derived_id(row.uuid, "is versie van"),
                    "Specialization",
                    m.object_id(row.uuid),
                    m.object_id(self.values.data(row)["module"]),
                    "ApplicationComponent",
                    "ApplicationComponent",
                    "is versie van",
                )
        yield from self._dienst_relationships()
        yield from self._koppeling_relationships()
        yield from self._compliancy_relationships()

    def _owner(self, row, supplier, target_type: str, types: dict) -> Iterator[Relationship]:
        if supplier in types:
            yield Relationship(
                m.derived_id(row.uuid, "aanbieder"),
                "Association",
                m.object_id(supplier),
                m.object_id(row.uuid),
                types[supplier],
                target_type,
                "is eigenaar van",
            )

    def _dienst_relationships(self) -> Iterator[Relationship]:
        for batch in batches(self.diensten()):
            datas = [(row, self.values.data(row)) for row in batch]
            known = self._visible_modules(u for _r, d in datas for u in d.get("modules") or [])
            types = self._supplier_types(batch)
            for row, data in datas:
                yield from self._owner(row, data.get("aanbieder"), "BusinessService", types)
                for module in dict.fromkeys(data.get("modules") or []):
                    if module in known:
                        yield Relationship(
                            m.derived_id(row.uuid, "aangeboden voor", module),
                            "Association",
                            m.object_id(row.uuid),
                            m.object_id(module),
                            "BusinessService",
                            "ApplicationComponent",
                            "aangeboden voor",
                        )

    def _koppeling_relationships(self) -> Iterator[Relationship]:
        voorzieningen = self.gemma[m.VOORZIENING]
        standaardversies = self.gemma[m.STANDAARDVERSIE]
        for batch in batches(self.koppelingen()):
            datas = [(row, self.values.data(row)) for row in batch]
            known = self._visible_modules(d.get(k) for _r, d in datas for k in MODULE_REFS)
            names = titles(
                [d.get("gerealiseerdMetIntermediairModule") for _r, d in datas]
                + [v for _r, d in datas for v in d.get("standaardversies") or []],
                self.actor,
            )
            for row, data in datas:
                ends = self._ends(data, known, voorzieningen)
                if ends is None:
                    continue
                intermediair = data.get("gerealiseerdMetIntermediairModule")
                yield from koppeling_relationships(
                    row,
                    data,
                    ends,
                    self.values.properties(m.KOPPELING, row, data, names),
                    intermediair=intermediair if intermediair in known else None,
                    standaardversies={
                        v: standaardversies[v]
                        for v in data.get("standaardversies") or []
                        if v in standaardversies
                    },
                )

    @staticmethod
    def _ends(data, known: set[str], voorzieningen: dict[str, str]):
        if data.get("moduleA") not in known:
            return None
        a = (m.object_id(data["moduleA"]), "ApplicationComponent")
        if data.get("moduleB") in known:
            b = (m.object_id(data["moduleB"]), "ApplicationComponent")
        elif data.get("buitengemeentelijkVoorziening") in voorzieningen:
            b = (voorzieningen[data["buitengemeentelijkVoorziening"]], "ApplicationComponent")
        else:
            return None
        return (b, a) if data.get("gegevensuitwisselingRichting") == "BnaarA" else (a, b)

    def _compliancy_relationships(self) -> Iterator[Relationship]:
        standaardversies = self.gemma[m.STANDAARDVERSIE]
        for batch in batches(self.compliancy()):
            datas = [(row, self.values.data(row)) for row in batch]
            versions = {
                str(u)
                for u in self.versies()
                .filter(uuid__in=_uuids(d.get("moduleVersie") for _r, d in datas))
                .values_list("uuid", flat=True)
            }
            for row, data in datas:
                target = standaardversies.get(data.get("standaardversie"))
                version = data.get("moduleVersie")
                source = (version if version in versions else None) if version else data["module"]
                if target and source:
                    yield compliancy_relationship(
                        row, data, m.object_id(source), target, self.values
                    )

    # --- the view (an offer is small; the whole catalogue gets none) ------------------

    def views(self) -> Iterator[View]:
        if not self.with_view:
            return
        components = self.gemma[m.REFERENTIECOMPONENT]
        members: dict[str, list[str]] = {}
        without = []
        for row in self.main():
            fit = [
                c
                for c in self.values.data(row).get("referentieComponenten") or []
                if c in components
            ]
            for component in fit:
                members.setdefault(component, []).append(m.object_id(row.uuid))
            if not fit:
                without.append(m.object_id(row.uuid))
        names = titles(list(members), self.actor)
        groups = [
            Group(c, names.get(c, ""), components[c], members[c])
            for c in sorted(members, key=lambda c: (names.get(c, ""), c))
        ]
        if without:
            groups.append(Group("zonder", "Zonder referentiecomponent", None, without))
        flows, others, voorzieningen = [], [], []
        for batch in batches(self.koppelingen()):
            datas = [(row, self.values.data(row)) for row in batch]
            known = self._visible_modules(d.get(k) for _r, d in datas for k in MODULE_REFS)
            for row, data in datas:
                ends = self._ends(data, known, self.gemma[m.VOORZIENING])
                if ends is None:
                    continue
                flows.append((m.object_id(row.uuid), ends[0][0], ends[1][0]))
                for uuid in (data.get("moduleA"), data.get("moduleB")):
                    if uuid in self.extra:
                        others.append(m.object_id(uuid))
                voorziening = self.gemma[m.VOORZIENING].get(
                    data.get("buitengemeentelijkVoorziening")
                )
                if voorziening and not data.get("moduleB"):
                    voorzieningen.append(voorziening)
        if others:
            groups.append(Group("andere", "Applicaties van anderen", None, others))
        if voorzieningen:
            groups.append(
                Group("voorzieningen", "Buitengemeentelijke voorzieningen", None, voorzieningen)
            )
        if not groups:
            return
        yield grouped_view(
            identifier=m.derived_id(self.model_id, "view"),
            name="Aanbod per referentiecomponent",
            groups=groups,
            flows=flows,
            node_id=lambda *parts: m.derived_id(self.model_id, "view", *parts),
            documentation=(
                "Gegenereerd door de Softwarecatalogus: de applicaties van het aanbod, "
                "gegroepeerd naar de GEMMA-referentiecomponenten waarvoor ze geschikt zijn, "
                "met de koppelingen als flows."
            ),
        )

    def model(self, name: str) -> Model:
        return Model(
            identifier=self.model_id,
            name=name,
            elements=self.elements(),
            relationships=self.relationships(),
            placeholder=self.placeholder,
            views=self.views(),
            properties=self.properties,
        )
