"""Our `x-` keywords, read once per schema version into a SchemaSpec.

Everything the platform derives from a schema (API filters, facets, indexes,
admin forms, access, audiences) reads this object, never the raw JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from core.constants import Audience, ObjectStatus, OrganisationStatus, OrganisationType, Role

ORGANISATION_TARGET = "organisatie"
AUDIENCES = {a.value for a in Audience}
ACCESS_ACTIONS = ("read", "create", "update", "delete", "claim")
RULE_KEYS = {
    "actor",
    "status",
    "ownerStatus",
    "ownerType",
    "owner",
    "organisationAt",
    "ownedAt",
    "referenced",
    "relatedStatus",
    "data",
}
ACTOR_KEYS = {"organisationType", "role", "government", "authenticated"}
# Used for actions a schema's x-access does not mention.
DEFAULT_ACCESS = {
    "read": [{"status": ["gepubliceerd"]}, {"owner": True}],
    "create": [],
    "update": [{"owner": True}],
    "delete": [{"owner": True}],
    "claim": [],
}
DERIVED_KINDS = {"actorOrganisation", "actorOrganisationType", "template", "ifPresent"}


class SchemaError(ValueError):
    """A schema file uses our keywords wrongly; the message is Dutch and names the place."""


@dataclass(frozen=True)
class Relation:
    target: str  # "organisatie" or "<register>/<schema>"
    many: bool

    @property
    def to_organisation(self) -> bool:
        return self.target == ORGANISATION_TARGET


@dataclass(frozen=True)
class Property:
    name: str
    definition: dict
    relation: Relation | None = None
    filterable: bool = False
    facetable: bool = False
    searchable: bool = False
    sortable: bool = False
    derived: dict | None = None
    audience: str = Audience.OPENBAAR
    enum_labels: dict = field(default_factory=dict)
    file: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        t = self.definition.get("type", "string")
        return t[0] if isinstance(t, list) else t

    @property
    def many(self) -> bool:
        return self.type == "array"

    @property
    def enum(self) -> list | None:
        return self.definition.get("enum") or self.definition.get("items", {}).get("enum")

    @property
    def server_only(self) -> bool:
        """Derived and not merely a default: clients may not set it."""
        return bool(self.derived) and not self.derived.get("default")

    @property
    def label(self) -> str:
        return self.definition.get("title", self.name)


@dataclass(frozen=True)
class SchemaSpec:
    collection: str
    title_property: str | None
    properties: dict[str, Property]
    access: dict[str, list[dict]]
    required: tuple[str, ...]

    def by_flag(self, flag: str) -> list[Property]:
        return [p for p in self.properties.values() if getattr(p, flag)]

    # Cached: the write path asks for these several times per row (bulk imports).
    @cached_property
    def relations(self) -> list[Property]:
        return [p for p in self.properties.values() if p.relation]

    @cached_property
    def derived(self) -> list[Property]:
        """Fields the server fills in; a client may not set them (unless only a default)."""
        return [p for p in self.properties.values() if p.derived]

    @cached_property
    def alias_map(self) -> dict[str, str]:
        """Older keys (VNG register 2.0.0, 2.4.3) → ours, for imports from either generation."""
        return {alias: p.name for p in self.properties.values() for alias in p.aliases}

    def with_our_keys(self, row: dict) -> dict:
        """A row read by an import source, with alias keys renamed to ours (ours win)."""
        if not self.alias_map or not isinstance(row, dict):
            return row
        renamed = {self.alias_map.get(k, k): v for k, v in row.items() if k in self.alias_map}
        return {**renamed, **{k: v for k, v in row.items() if k not in self.alias_map}}


def _fail(where: str, message: str) -> None:
    raise SchemaError(f"{where}: {message}")


def _check_rule(rule: Any, where: str) -> None:
    if not isinstance(rule, dict) or not rule:
        _fail(where, "een toegangsregel moet een niet-leeg object zijn")
    unknown = set(rule) - RULE_KEYS
    if unknown:
        _fail(where, f"onbekende sleutel(s) in toegangsregel: {', '.join(sorted(unknown))}")
    unknown_actor = set(rule.get("actor", {})) - ACTOR_KEYS
    if unknown_actor:
        _fail(where, f"onbekende actor-sleutel(s): {', '.join(sorted(unknown_actor))}")
    for key, allowed in (
        ("status", ObjectStatus.values),
        ("ownerStatus", OrganisationStatus.values),
    ):
        _check_values(rule.get(key), allowed, f"{where}.{key}")
    actor = rule.get("actor", {})
    _check_values(
        actor.get("organisationType"), OrganisationType.values, f"{where}.actor.organisationType"
    )
    _check_values(actor.get("role"), Role.values, f"{where}.actor.role")
    _check_values(rule.get("ownerType"), OrganisationType.values, f"{where}.ownerType")
    referenced = rule.get("referenced")
    if referenced is not None:
        if not isinstance(referenced, dict) or set(referenced) != {"status"}:
            _fail(where, 'referenced moet {"status": [...]} zijn')
        _check_values(referenced["status"], ObjectStatus.values, f"{where}.referenced.status")
    for name, statuses in (rule.get("relatedStatus") or {}).items():
        _check_values(statuses, ObjectStatus.values, f"{where}.relatedStatus.{name}")
    data = rule.get("data")
    if data is not None and (
        not isinstance(data, dict)
        or not data
        or not all(isinstance(v, list) and v for v in data.values())
    ):
        _fail(where, 'data moet {"<eigenschap>": [waarden, …]} zijn')
    for key in ("owner", "authenticated"):
        value = rule.get(key) if key == "owner" else actor.get(key)
        if value is not None and value is not True:
            _fail(where, f"{key} kan alleen true zijn (laat de sleutel anders weg)")
    for name in ("organisationAt", "ownedAt"):
        path = rule.get(name)
        if path is not None and (not isinstance(path, list) or not path):
            _fail(where, f"{name} moet een niet-lege lijst van relatie-eigenschappen zijn")


def _check_values(values, allowed, where: str) -> None:
    if values is None:
        return
    if not isinstance(values, list) or not values:
        _fail(where, "verwacht een niet-lege lijst")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        _fail(where, f"onbekende waarde(n) {unknown}; kies uit {sorted(allowed)}")


def _check_derived(derived: Any, where: str) -> None:
    if not isinstance(derived, dict) or derived.get("kind") not in DERIVED_KINDS:
        _fail(where, f"x-derived heeft een 'kind' nodig uit {sorted(DERIVED_KINDS)}")
    kind = derived["kind"]
    if kind == "template":
        if not isinstance(derived.get("template"), str):
            _fail(where, "een template heeft een 'template'-tekst nodig")
        values = derived.get("values", {})
        if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
            _fail(where, "'values' koppelt per eigenschap waarden aan tekst")
    if kind == "ifPresent" and not (
        isinstance(derived.get("property"), str) and {"then", "else"} <= set(derived)
    ):
        _fail(where, "ifPresent heeft 'property', 'then' en 'else' nodig")
    if "default" in derived and (derived["default"] is not True or kind != "template"):
        _fail(where, "'default': true kan alleen bij een template")


def _relation(name: str, definition: dict, where: str) -> Relation | None:
    raw = definition.get("x-relation")
    if raw is None:
        return None
    target = raw.get("target") if isinstance(raw, dict) else raw
    if not isinstance(target, str) or not target:
        _fail(where, "x-relation heeft een doel nodig ('organisatie' of '<register>/<schema>')")
    many = definition.get("type") == "array"
    item_type = (definition.get("items") or {}).get("type") if many else definition.get("type")
    if item_type != "string":
        _fail(where, "een relatie is een uuid-tekenreeks of een lijst daarvan")
    return Relation(target=target, many=many)


def _property(name: str, definition: dict, schema_name: str) -> Property:
    where = f"{schema_name}.{name}"
    audience = definition.get("x-audience", Audience.OPENBAAR)
    if audience not in AUDIENCES:
        _fail(where, f"x-audience moet een van {sorted(AUDIENCES)} zijn, niet {audience!r}")
    derived = definition.get("x-derived")
    if derived is not None:
        _check_derived(derived, where)
    aliases = definition.get("x-aliases", {})
    if not isinstance(aliases, dict) or not all(isinstance(a, str) and a for a in aliases.values()):
        _fail(where, 'x-aliases moet {"<generatie>": "<oudere sleutel>"} zijn')
    prop = Property(
        name=name,
        definition=definition,
        relation=_relation(name, definition, where),
        filterable=bool(definition.get("x-filterable")),
        facetable=bool(definition.get("x-facetable")),
        searchable=bool(definition.get("x-searchable")),
        sortable=bool(definition.get("x-sortable")),
        derived=derived,
        audience=audience,
        enum_labels=definition.get("x-enum-labels", {}),
        file=bool(definition.get("x-file")),
        aliases=tuple(aliases.values()),
    )
    if prop.searchable and audience != Audience.OPENBAAR:
        _fail(where, "alleen openbare velden kunnen x-searchable zijn (de zoekindex is gedeeld)")
    if prop.facetable and prop.type not in {"string", "array", "boolean", "integer"}:
        _fail(where, "x-facetable werkt alleen op tekst, getallen, booleans of lijsten")
    if prop.enum_labels and prop.enum and set(prop.enum_labels) - set(prop.enum):
        _fail(where, "x-enum-labels noemt waarden die niet in de enum staan")
    return prop


def parse(definition: dict, schema_name: str = "schema") -> SchemaSpec:
    """Read and check our keywords; raises SchemaError with a Dutch message."""
    collection = definition.get("x-collection")
    if (
        not isinstance(collection, str)
        or not collection.replace("-", "").isalpha()
        or (collection != collection.lower())
    ):
        _fail(schema_name, "x-collection moet een meervoud in kebab-case zijn, bijv. 'applicaties'")
    properties = {
        name: _property(name, prop, schema_name)
        for name, prop in (definition.get("properties") or {}).items()
    }
    title_property = definition.get("x-title-property")
    if title_property is not None and title_property not in properties:
        _fail(schema_name, f"x-title-property {title_property!r} is geen eigenschap")
    access = definition.get("x-access") or {}
    unknown = set(access) - set(ACCESS_ACTIONS)
    if unknown:
        _fail(schema_name, f"x-access kent geen actie(s) {', '.join(sorted(unknown))}")
    for action, rules in access.items():
        if not isinstance(rules, list):
            _fail(schema_name, f"x-access.{action} moet een lijst regels zijn")
        for index, rule in enumerate(rules):
            _check_rule(rule, f"{schema_name}.x-access.{action}[{index}]")
    first_hops = {
        (name, r[name][0])
        for rs in access.values()
        for r in rs
        for name in ("organisationAt", "ownedAt")
        if name in r
    }
    for name, hop in first_hops:
        if hop not in properties or properties[hop].relation is None:
            _fail(schema_name, f"{name} begint bij {hop!r}, maar dat is geen relatie")
    _check_references(properties, access, schema_name)
    return SchemaSpec(
        collection=collection,
        title_property=title_property,
        properties=properties,
        access={
            action: list(access.get(action, DEFAULT_ACCESS[action])) for action in ACCESS_ACTIONS
        },
        required=tuple(definition.get("required", [])),
    )


def _check_references(properties: dict, access: dict, schema_name: str) -> None:
    """Names used inside keywords (data rules, derived fields, aliases) must be real."""
    for rules in access.values():
        for rule in rules:
            for name in rule.get("data", {}):
                if name not in properties or properties[name].relation or properties[name].many:
                    _fail(schema_name, f"data-regel op {name!r}: geen enkelvoudige eigenschap")
            for name in rule.get("relatedStatus", {}):
                relation = properties.get(name) and properties[name].relation
                if not relation or relation.to_organisation:
                    _fail(schema_name, f"relatedStatus op {name!r}: geen relatie naar een object")
    for prop in properties.values():
        derived = prop.derived or {}
        named = [derived.get("property")] if derived.get("kind") == "ifPresent" else []
        named += list(derived.get("values", {}))
        for name in named:
            if name not in properties:
                _fail(schema_name, f"x-derived van {prop.name!r} noemt onbekende {name!r}")
    aliases = [alias for prop in properties.values() for alias in prop.aliases]
    for alias in aliases:
        if alias in properties or aliases.count(alias) > 1:
            _fail(schema_name, f"alias {alias!r} is ook een eigenschap of een andere alias")


@lru_cache(maxsize=512)
def spec_for_version(version_id: int) -> SchemaSpec:
    """Cached spec of a published (immutable) schema version."""
    from core.models import SchemaVersion

    version = SchemaVersion.objects.select_related("schema").get(pk=version_id)
    definition = version.definition
    properties = definition.get("properties") or {}
    if version.property_order:
        ordered = {k: properties[k] for k in version.property_order if k in properties}
        definition = {**definition, "properties": {**ordered, **properties}}
    return parse(definition, str(version.schema))
