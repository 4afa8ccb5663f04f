"""Import of a GEMMA release (AMEFF) into the `gemma` register.

Reading (`read_release`) is pure: it turns the parsed file into object data and quirks.
Writing (`import_release`) goes through the one write path as the system actor, in one
transaction. An object's uuid is uuid5(GEMMA_NAMESPACE, Object ID), so links from the
catalogue survive every re-import; elements that leave GEMMA are marked `ingetrokken`,
never archived or deleted.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import connection, transaction
from django.utils import timezone

from plugins.ameff_export import xml as ameff
from plugins.ameff_export.report import ImportReport

# uuid5(NAMESPACE_URL, "https://www.gemmaonline.nl/#gemma-object-id"); never change it, or
# every link from the catalogue to GEMMA breaks.
GEMMA_NAMESPACE = uuidlib.UUID("429a477d-4af7-5092-95fc-53ff2a634075")

# Property "GEMMA type" → schema. Other elements stay in the kept file only.
KINDS = {
    "Standaard": "gemma/standaard",
    "Standaardversie": "gemma/standaardversie",
    "Referentiecomponent": "gemma/referentiecomponent",
    "Buitengemeentelijke voorziening": "gemma/voorziening",
}
VIEW = "gemma/view"
# Relation targets are written before the objects that point at them.
WRITE_ORDER = [
    "gemma/standaard",
    "gemma/standaardversie",
    "gemma/referentiecomponent",
    "gemma/voorziening",
    VIEW,
]
STATUSES = ("In gebruik", "In ontwikkeling", "Einde ondersteuning", "Teruggetrokken")
ROLES = {"Verplicht": "verplichteStandaarden", "Aanbevolen": "aanbevolenStandaarden"}
RELATIONS = {  # relation properties per schema, and their target schema
    "gemma/standaardversie": {"standaard": "gemma/standaard"},
    "gemma/referentiecomponent": {
        "standaarden": "gemma/standaard",
        "verplichteStandaarden": "gemma/standaard",
        "aanbevolenStandaarden": "gemma/standaard",
    },
}
# Mapped fields: AMEFF property → data key, per schema (all properties also go to eigenschappen).
TEXT_FIELDS = {
    "*": {"Toelichting": "toelichting"},
    "gemma/referentiecomponent": {"BBN": "bbn"},
    "gemma/standaard": {
        "Afkorting": "afkorting",
        "Beheerder": "beheerder",
        "Compliancy": "compliancy",
    },
    "gemma/standaardversie": {"Versieaanduiding": "versieaanduiding"},
    VIEW: {"Publiceren": "publiceren", "Viewtype": "viewtype", "Titel view SWC": "titelViewSwc"},
}
URL_FIELDS = {
    "*": {"URL": "url"},
    "gemma/standaard": {"URL": "url", "Compliancy URL": "compliancyUrl"},
    VIEW: {"GEMMA URL": "url"},
}
BIV = {"Beschikbaarheid": "beschikbaarheid", "Integriteit": "integriteit"}
BIV["Vertrouwelijkheid"] = "vertrouwelijkheid"
PROGRESS_EVERY = 50


class GemmaImportError(ValueError):
    """The release cannot be imported; nothing was changed. The message is Dutch."""


def element_uuid(object_id: str) -> uuidlib.UUID:
    """The register uuid of a GEMMA element or view: stable for as long as its Object ID."""
    return uuidlib.uuid5(GEMMA_NAMESPACE, object_id.strip().lower())


@dataclass
class Item:
    """One register object to be, from the file."""

    schema: str
    object_id: str
    uuid: str
    data: dict


@dataclass
class Release:
    """The result of reading a file: objects in write order, and what was odd about it."""

    release: str
    name: str
    items: list[Item] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)


# --- reading --------------------------------------------------------------------------


def read_release(tree) -> Release:
    """Turn a parsed, valid AMEFF tree into register data; raises GemmaImportError."""
    root = tree.getroot()
    definitions = ameff.property_definitions(root)
    model_props = dict(ameff.properties(root, definitions))
    release = _release_date(model_props.get("Release", ""))
    report = ImportReport(release=release, model=_name(ameff.text(root, "name")))
    result = Release(release=release, name=report.model, report=report)
    elements = root.find(ameff.q("elements"))
    relationships = root.find(ameff.q("relationships"))
    views = root.find(ameff.q("views"))
    element_list = list(elements) if elements is not None else []
    relationship_list = list(relationships) if relationships is not None else []
    view_list = list(views.iter(ameff.q("view"))) if views is not None else []
    report.in_file = {
        "elementen": len(element_list),
        "relaties": len(relationship_list),
        "views": len(view_list),
    }
    by_identifier: dict[str, Item] = {}
    object_ids: dict[str, str] = {}  # identifier → Object ID of every element, for view nodes
    names: dict[str, str] = {}  # identifier → name of elements that are no register object
    for element in element_list:
        props = ameff.properties(element, definitions)
        object_id = (_first(props, "Object ID") or "").strip()
        if object_id:
            object_ids[element.get("identifier")] = object_id
        schema = KINDS.get(_first(props, "GEMMA type"))
        if schema is None:
            names[element.get("identifier")] = ameff.text(element, "name").strip()
            continue
        item = _element_item(schema, element, props, release, report)
        if item is not None:
            by_identifier[element.get("identifier")] = item
            result.items.append(item)
    _read_relationships(relationship_list, definitions, by_identifier, report)
    for view in view_list:
        item = _view_item(view, definitions, object_ids, names, release, report)
        if item is not None:
            result.items.append(item)
    _refuse_duplicates(result.items)
    if not result.items:
        raise GemmaImportError(
            "Dit is geen GEMMA-release: er staan geen referentiecomponenten, standaarden, "
            "voorzieningen of views in."
        )
    result.items.sort(key=lambda i: WRITE_ORDER.index(i.schema))
    report.per_kind = dict(Counter(i.schema for i in result.items))
    for item in result.items:
        status = item.data.get(
            "status" if item.schema == "gemma/standaardversie" else "gemmaStatus"
        )
        if item.schema != VIEW:
            report.statuses.setdefault(item.schema, Counter())[status or "(geen)"] += 1
    return result


def _release_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise GemmaImportError(
            "Dit is geen GEMMA-release: de modeleigenschap 'Release' (een datum als "
            f"2026-06-30) ontbreekt of is ongeldig ({value!r})."
        ) from None


def _name(value: str) -> str:
    """Names are whitespace-normalised, as Archi does."""
    return " ".join(value.split())


def _first(props: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in props if k == name), None)


def _properties_dict(props, name: str, object_id: str, report: ImportReport) -> dict[str, str]:
    """Every property by name; a repeated name keeps all its values (joined) and is reported."""
    values: dict[str, list[str]] = {}
    for key, value in props:
        values.setdefault(key, []).append(value)
    for key, found in values.items():
        if len(found) > 1:
            report.quirk("dubbeleEigenschap", naam=name, objectId=object_id, eigenschap=key)
    return {k: "\n\n".join(v for v in found if v) or found[0] for k, found in values.items()}


def _common(schema: str, element, props, release: str, report: ImportReport):
    """(object id, data) shared by elements and views, or None when there is no Object ID."""
    name = _name(ameff.text(element, "name"))
    identifier = element.get("identifier")
    object_id = (_first(props, "Object ID") or "").strip()
    if not object_id:
        report.quirk("zonderObjectId", soort=schema, naam=name, identificatie=identifier)
        return None
    properties = _properties_dict(props, name, object_id, report)
    if not name:
        report.quirk("zonderNaam", soort=schema, objectId=object_id, identificatie=identifier)
        name = f"(zonder naam) {object_id}"
    data = {
        "naam": name,
        "objectId": object_id,
        "identificatie": identifier,
        "eigenschappen": properties,
        "release": release,
        "ingetrokken": False,
    }
    documentation = ameff.text(element, "documentation").strip()
    if documentation:
        data["beschrijving"] = documentation
    for source, key in {**TEXT_FIELDS["*"], **TEXT_FIELDS.get(schema, {})}.items():
        value = (properties.get(source) or "").strip()
        if value:
            data[key] = value
    for source, key in (URL_FIELDS.get(schema) or URL_FIELDS["*"]).items():
        value = (properties.get(source) or "").strip()
        if value.startswith(("http://", "https://")) and " " not in value:
            data[key] = value
        elif value:
            report.quirk(
                "onbekendeWaarde", naam=name, objectId=object_id, eigenschap=source, waarde=value
            )
    return object_id, data


def _element_item(schema: str, element, props, release: str, report: ImportReport):
    common = _common(schema, element, props, release, report)
    if common is None:
        return None
    object_id, data = common
    properties = data["eigenschappen"]
    status = (properties.get("GEMMA status") or "").strip()
    if schema == "gemma/standaardversie":
        status_prop = (properties.get("Status") or "").strip()
        if not status_prop:
            report.quirk("standaardversieZonderStatus", naam=data["naam"], objectId=object_id)
        elif status_prop in STATUSES:
            data["status"] = status_prop
        else:
            report.quirk(
                "onbekendeWaarde",
                naam=data["naam"],
                objectId=object_id,
                eigenschap="Status",
                waarde=status_prop,
            )
    if status in STATUSES:
        data["gemmaStatus"] = status
    elif status:
        report.quirk(
            "onbekendeWaarde",
            naam=data["naam"],
            objectId=object_id,
            eigenschap="GEMMA status",
            waarde=status,
        )
    if schema == "gemma/referentiecomponent":
        for source, key in BIV.items():
            value = (properties.get(source) or "").strip()
            if value in {"1", "2", "3"}:
                data[key] = int(value)
            elif value:
                report.quirk(
                    "onbekendeWaarde",
                    naam=data["naam"],
                    objectId=object_id,
                    eigenschap=source,
                    waarde=value,
                )
    return Item(schema, object_id, str(element_uuid(object_id)), data)


def _read_relationships(relationships, definitions, by_identifier, report: ImportReport) -> None:
    """Referentiecomponent → standaard (Realization, by Verbindingsrol) and
    standaardversie → standaard (Specialization)."""
    versions: dict[str, list[Item]] = {}
    reversed_spec: set[str] = set()
    for rel in relationships:
        source = by_identifier.get(rel.get("source"))
        target = by_identifier.get(rel.get("target"))
        if source is None or target is None:
            continue
        kind = rel.get(ameff.XSI_TYPE)
        pair = (source.schema, target.schema)
        if kind == "Specialization" and pair == ("gemma/standaardversie", "gemma/standaard"):
            versions.setdefault(source.uuid, []).append(target)
        elif kind == "Specialization" and pair == ("gemma/standaard", "gemma/standaardversie"):
            reversed_spec.add(target.uuid)
        elif kind == "Realization" and pair == ("gemma/referentiecomponent", "gemma/standaard"):
            props = ameff.properties(rel, definitions)
            _link_standard(source, target, props, report)
    for item in by_identifier.values():
        if item.schema != "gemma/standaardversie":
            continue
        targets = versions.get(item.uuid, [])
        if targets:
            item.data["standaard"] = targets[0].uuid
            if len({t.uuid for t in targets}) > 1:
                report.quirk(
                    "standaardversieMetMeerStandaarden",
                    naam=item.data["naam"],
                    objectId=item.object_id,
                    standaarden=[t.data["naam"] for t in targets],
                )
        else:
            details = {"naam": item.data["naam"], "objectId": item.object_id}
            if item.uuid in reversed_spec:
                details["toelichting"] = (
                    "er is wel een Specialization van de standaard naar deze versie "
                    "(omgekeerde richting); die is niet overgenomen"
                )
            report.quirk("standaardversieZonderStandaard", **details)


def _link_standard(component: Item, standard: Item, props, report: ImportReport) -> None:
    roles = [v for k, v in props if k == "Verbindingsrol"]
    filled = {r.strip() for r in roles if r.strip()}
    where = {
        "referentiecomponent": component.data["naam"],
        "standaard": standard.data["naam"],
        "relatieObjectId": _first(props, "Object ID") or "",
    }
    report.links["totaal"] += 1
    _add(component.data, "standaarden", standard.uuid)
    if len(roles) > 1:
        report.quirk("dubbeleVerbindingsrol", **where, waarden=roles)
    if not filled:
        report.links["zonderRol"] += 1
        report.quirk("koppelingZonderVerbindingsrol", **where)
    elif len(filled) > 1:
        report.links["tegenstrijdig"] += 1
        report.quirk("tegenstrijdigeVerbindingsrol", **where, waarden=sorted(filled))
    elif (role := filled.pop()) in ROLES:
        report.links[role.lower()] += 1
        _add(component.data, ROLES[role], standard.uuid)
    else:
        report.links["onbekend"] += 1
        report.quirk("onbekendeVerbindingsrol", **where, waarde=role)


def _add(data: dict, key: str, value: str) -> None:
    values = data.setdefault(key, [])
    if value not in values:
        values.append(value)


def _view_item(view, definitions, object_ids: dict[str, str], names: dict, release: str, report):
    props = ameff.properties(view, definitions)
    common = _common(VIEW, view, props, release, report)
    if common is None:
        return None
    object_id, data = common
    if view.get("viewpoint"):
        data["viewpoint"] = view.get("viewpoint")
    data["softwarecatalogus"] = "Softwarecatalogus" in data.get("publiceren", "")
    nodes: list[dict] = []
    for node in view.findall(ameff.q("node")):
        _flatten(node, None, nodes)
    for node in nodes:  # the Object ID matches the register even where the identifier differs
        if node.get("element") in object_ids:
            node["objectId"] = object_ids[node["element"]]
        if not node.get("label") and names.get(node.get("element")):
            node["label"] = names[node["element"]]  # a box the register has no object for
    data["knopen"] = nodes
    data["verbindingen"] = [_connection(c) for c in view.findall(ameff.q("connection"))]
    report.views["totaal"] += 1
    if data["softwarecatalogus"]:
        report.views["softwarecatalogus"] += 1
    return Item(VIEW, object_id, str(element_uuid(object_id)), data)


def _flatten(node, parent: str | None, out: list[dict]) -> None:
    """Nested nodes become a flat list with `ouder`; coordinates stay absolute (AMEFF)."""
    item = {"id": node.get("identifier"), "type": node.get(ameff.XSI_TYPE) or "Element"}
    if parent:
        item["ouder"] = parent
    if node.get("elementRef"):
        item["element"] = node.get("elementRef")
    label = ameff.text(node, "label").strip()
    if label:
        item["label"] = label
    view_ref = node.find(ameff.q("viewRef"))
    if view_ref is not None and view_ref.get("ref"):
        item["view"] = view_ref.get("ref")
    for key, attribute in (("x", "x"), ("y", "y"), ("breedte", "w"), ("hoogte", "h")):
        item[key] = int(node.get(attribute))
    out.append(item)
    for child in node.findall(ameff.q("node")):
        _flatten(child, item["id"], out)


def _connection(connection_el) -> dict:
    item = {
        "id": connection_el.get("identifier"),
        "type": connection_el.get(ameff.XSI_TYPE) or "Relationship",
        "bron": connection_el.get("source"),
        "doel": connection_el.get("target"),
    }
    if connection_el.get("relationshipRef"):
        item["relatie"] = connection_el.get("relationshipRef")
    return item


def _refuse_duplicates(items: list[Item]) -> None:
    counts = Counter(i.uuid for i in items)
    double = sorted({i.object_id for i in items if counts[i.uuid] > 1})
    if double:
        raise GemmaImportError(
            "Dit GEMMA-bestand is niet consistent: deze Object ID's komen meer dan eens voor: "
            + ", ".join(double[:10])
            + (f" (en nog {len(double) - 10})" if len(double) > 10 else "")
            + "."
        )


# --- writing --------------------------------------------------------------------------


class _DryRun(Exception):
    """Rolls a trial import back after the report is complete."""


def import_file(
    content: bytes,
    *,
    dry_run: bool = False,
    user=None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate, read and import an AMEFF file (.xml or .xml.gz bytes); all or nothing.

    Raises `InvalidAmeff` or `GemmaImportError` (both ValueError, Dutch messages).
    """
    tree = ameff.parse(content)
    release = read_release(tree)
    xml = ameff.decompress(content)
    packed = content if content[:2] == b"\x1f\x8b" else None
    return import_release(
        release, xml=xml, packed=packed, dry_run=dry_run, user=user, progress=progress
    )


def import_release(
    release: Release,
    *,
    xml: bytes,
    packed: bytes | None = None,
    dry_run: bool = False,
    user=None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Write a read release through core.services in one transaction; see the module doc.

    `xml` is the file's XML (kept, and its SHA-256 identifies it); `packed` the same as gzip
    when the upload already was one.
    """
    report = release.report
    report.dry_run = dry_run
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # one GEMMA import at a time
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GEMMA_NAMESPACE.int >> 65])
            _Writer(release, user, progress).run()
            if dry_run:
                raise _DryRun
            _keep_file(release, xml, packed, user)
    except _DryRun:
        pass
    return report


def _keep_file(release: Release, xml: bytes, packed: bytes | None, user) -> None:
    """The whole file, gzipped (an uploaded .gz as it came), for the AMEFF export."""
    from plugins.ameff_export.models import GemmaRelease

    digest = hashlib.sha256(xml).hexdigest()
    GemmaRelease.objects.update_or_create(
        sha256=digest,
        defaults={
            "release": datetime.date.fromisoformat(release.release),
            "name": release.name,
            "content": packed or gzip.compress(xml, compresslevel=6, mtime=0),
            "report": release.report.to_json(),
            "imported_at": timezone.now(),
            "imported_by": user,
        },
    )


class _Writer:
    """Creates, updates and withdraws the register objects of one release."""

    def __init__(self, release: Release, user, progress):
        from core.actors import Actor
        from core.constants import Channel

        self.release = release
        self.report = release.report
        self.progress = progress
        self.actor = replace(Actor.for_system(Channel.IMPORT), user=user)
        self.written: dict[str, set[str]] = {key: set() for key in WRITE_ORDER}
        self.done = 0

    def run(self) -> None:
        from core.models import Object

        self._refuse_older()
        self.entries = _entries()
        self.owner = vng_organisation()
        schema_ids = {entry.schema.pk: key for key, entry in self.entries.items()}
        existing = {
            str(obj.uuid): obj
            for obj in Object.objects.filter(schema_id__in=schema_ids).select_related(
                "organisation"
            )
        }
        in_release = {item.uuid for item in self.release.items}
        absent = [
            obj
            for uid, obj in existing.items()
            if uid not in in_release and obj.status != "gearchiveerd"
        ]
        self.total = self.report.processed = len(self.release.items) + len(absent)
        self._tick(force=True)
        for key in WRITE_ORDER:
            self.report.counts.setdefault(key, Counter())
        for item in self.release.items:
            self._write(item, existing.get(item.uuid))
        self._withdraw(absent, schema_ids)
        self._tick(force=True)

    def _refuse_older(self) -> None:
        from plugins.ameff_export.models import GemmaRelease

        newest = GemmaRelease.objects.order_by("-release").values_list("release", flat=True).first()
        if newest and newest.isoformat() > self.release.release:
            raise GemmaImportError(
                f"Release {self.release.release} is ouder dan de al geïmporteerde release "
                f"{newest:%Y-%m-%d}; een oudere release zou nieuwere gegevens terugdraaien."
            )

    def _tick(self, force: bool = False) -> None:
        if self.progress and (force or self.done % PROGRESS_EVERY == 0):
            self.progress(self.done, self.total)

    def _write(self, item: Item, obj) -> None:
        from core import services

        entry = self.entries[item.schema]
        self.done += 1
        self._tick()
        if obj is not None and obj.schema_id != entry.schema.pk:
            self.report.quirk(
                "soortGewijzigd",
                naam=item.data["naam"],
                objectId=item.object_id,
                was=_key(obj),
                nu=item.schema,
            )
            return
        if obj is not None and obj.status == "gearchiveerd":
            self.report.quirk(
                "gearchiveerd",
                soort=item.schema,
                naam=item.data["naam"],
                objectId=item.object_id,
                uuid=item.uuid,
            )
            return
        data = self._known_targets(item)
        try:
            if obj is None:
                services.create_object(
                    entry,
                    data,
                    actor=self.actor,
                    status="gepubliceerd",
                    organisation=self.owner,
                    uuid=uuidlib.UUID(item.uuid),
                )
                self.report.count(item.schema, "aangemaakt")
            elif _same(obj.data, data) and obj.status == "gepubliceerd":
                self.report.count(item.schema, "ongewijzigd")
            else:
                if obj.data.get("ingetrokken") is True:
                    self.report.returned += 1
                services.update_object(obj, data, actor=self.actor, status="gepubliceerd")
                self.report.count(item.schema, "bijgewerkt")
        except services.ValidationFailed as exc:
            raise GemmaImportError(_invalid(item, exc.errors)) from None
        self.written[item.schema].add(item.uuid)

    def _known_targets(self, item: Item) -> dict:
        """Relations only to objects written in this import; others are reported, not sent
        (a write with an unknown target would refuse the whole release)."""
        data = item.data
        for prop, target in RELATIONS.get(item.schema, {}).items():
            value = data.get(prop)
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            kept = [v for v in values if v in self.written[target]]
            for missing in (v for v in values if v not in self.written[target]):
                self.report.quirk(
                    "verwijzingWeggelaten",
                    naam=data["naam"],
                    objectId=item.object_id,
                    eigenschap=prop,
                    uuid=missing,
                )
            if len(kept) != len(values):
                data = dict(data)
                if isinstance(value, list):
                    data[prop] = kept
                elif kept:
                    data[prop] = kept[0]
                else:
                    data.pop(prop)
        return data

    def _withdraw(self, absent: list, schema_ids: dict[int, str]) -> None:
        from core import services

        newly = []
        for obj in absent:
            self.done += 1
            self._tick()
            key = schema_ids[obj.schema_id]
            if obj.data.get("ingetrokken") is True:
                self.report.still_withdrawn += 1
                continue
            try:
                services.update_object(obj, {"ingetrokken": True}, actor=self.actor, partial=True)
            except services.ValidationFailed as exc:
                item = Item(key, obj.data.get("objectId", ""), str(obj.uuid), obj.data)
                raise GemmaImportError(_invalid(item, exc.errors)) from None
            self.report.count(key, "ingetrokken")
            newly.append((obj, key))
        referrers = _referrers([obj.pk for obj, _key in newly], set(schema_ids))
        self.report.withdrawn = [
            {
                "schema": key,
                "uuid": str(obj.uuid),
                "naam": obj.title,
                "objectId": obj.data.get("objectId", ""),
                "verwijzingen": referrers.get(obj.pk, []),
            }
            for obj, key in newly
        ]


def _entries() -> dict:
    """The register entries of the GEMMA schemas (core's catalogue, read-only use)."""
    from core.register import catalog

    entries = {key: catalog.by_key(key) for key in WRITE_ORDER}
    missing = sorted(key for key, entry in entries.items() if entry is None)
    if missing:
        raise GemmaImportError(
            "De GEMMA-schema's zijn niet geladen (" + ", ".join(missing) + "); voer eerst "
            "'manage.py load_schemas' uit."
        )
    return entries


def vng_organisation():
    """The owner of all GEMMA objects: the (first) VNG organisation, created when missing."""
    from core.models import Organisation

    owner = Organisation.objects.filter(type="VNG").order_by("status", "pk")
    found = owner.filter(status="Actief").first() or owner.first()
    if found is None:
        found = Organisation.objects.create(naam="VNG Realisatie", type="VNG", status="Actief")
    return found


def _referrers(object_ids: list[int], gemma_schema_ids: set[int]) -> dict[int, list[dict]]:
    """Catalogue objects (not archived, not GEMMA's own) that point at these objects."""
    from core.models import ObjectRelation

    found: dict[int, dict[str, dict]] = {}
    rows = (
        ObjectRelation.objects.filter(target_object_id__in=object_ids)
        .exclude(source__schema_id__in=gemma_schema_ids)
        .exclude(source__status="gearchiveerd")
        .values_list(
            "target_object_id",
            "source__uuid",
            "source__title",
            "source__schema__register__slug",
            "source__schema__slug",
        )
        .order_by("source__schema__register__slug", "source__schema__slug", "source__title")
    )
    for target, uid, title, register, schema in rows:
        found.setdefault(target, {})[str(uid)] = {
            "schema": f"{register}/{schema}",
            "uuid": str(uid),
            "titel": title,
        }
    return {target: list(refs.values()) for target, refs in found.items()}


def _key(obj) -> str:
    return f"{obj.schema.register.slug}/{obj.schema.slug}"


def _without_release(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "release"}


def _same(old: dict, new: dict) -> bool:
    """Equal apart from the release date: an element that did not change keeps the release
    its data came from, so "ongewijzigd" means exactly that."""
    return _without_release(old) == _without_release(new)


def _invalid(item: Item, errors: list[tuple[str, str]]) -> str:
    details = "; ".join(f"{pointer or '/'}: {message}" for pointer, message in errors[:5])
    return (
        f"{item.schema} '{item.data.get('naam', '')}' (Object ID {item.object_id}) kon niet "
        f"worden opgeslagen: {details}. Er is niets gewijzigd."
    )
