"""Access policies from `x-access`, evaluated in SQL, and field audiences.

A policy is a list of rules; an object is allowed when any rule matches. A rule's
`actor` part is decided here in Python (it is the same for every row); the rest
becomes a Q over `core.Object`:

- ``status`` / ``ownerStatus`` / ``ownerType``: object status, owning organisation's
  status and type;
- ``data: {p: [values]}``: the object's own (single, non-relation) property p has one of
  the values;
- ``relatedStatus: {p: [statuses]}``: the object that relation p points at has one of
  these statuses (a version is public only while its application is);
- ``referenced: {status: [...]}``: another object of the same owner, with one of these
  statuses, refers to this one (a supplier's contact person is public as the aanspreekpunt
  of its own published application);
- ``owner: true``: owned by the actor's active organisation;
- ``organisationAt: [p1, …, pn]``: following relations p1…pn through the relation
  index ends at the actor's active organisation, so a change of owner elsewhere
  takes effect without rewriting this object;
- ``ownedAt: [p1, …, pn]``: the same path ends at an object the actor's active
  organisation owns (versions only for the application's owner, not its named supplier);

Platform rules on top of every schema: functioneel beheer and the system see all;
raadplegers never write; content of organisations that are not Actief is withdrawn
from anyone but government users and the organisation itself.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from core.actors import Actor
from core.constants import (
    PUBLIC_ORGANISATION_STATUSES,
    Audience,
    ObjectStatus,
    Role,
)
from core.register.spec import Property, SchemaSpec

NOTHING = Q(pk__in=[])
# A rule without row conditions matches every row; an empty Q() would vanish inside an OR.
EVERYTHING = Q(pk__isnull=False)
READ_ONLY_ROLES = {Role.GEBRUIK_RAADPLEGER, Role.VNG_RAADPLEGER}


def _actor_matches(condition: dict, actor: Actor) -> bool:
    if condition.get("authenticated") and not actor.is_authenticated:
        return False
    if "government" in condition and bool(condition["government"]) != actor.is_government:
        return False
    types = condition.get("organisationType")
    if types is not None and actor.organisation_type not in types:
        return False
    roles = condition.get("role")
    return roles is None or actor.role in roles


def relation_path_exists(path: list[str], organisation_id: int, owned: bool = False) -> Q:
    """Rows from which following p1…pn through the relation index reaches the organisation.

    Written as `id IN (SELECT source_id …)`, not a correlated EXISTS: PostgreSQL runs
    both hashed, but costs an EXISTS under OR as if it ran per row, which hides the
    index-only plans (benchmarks/README.md).
    """
    from core.models import ObjectRelation

    lookup: dict = {"property": path[0]}
    prefix = ""
    for hop in path[1:]:
        prefix += "target_object__relations_out__"
        lookup[prefix + "property"] = hop
    end = "target_object__organisation_id" if owned else "target_organisation_id"
    lookup[prefix + end] = organisation_id
    return Q(pk__in=ObjectRelation.objects.filter(**lookup).values("source_id"))


def referenced_by(statuses: list[str]) -> Q:
    """Rows another object of the same owner, with one of these statuses, points at.

    Correlated (EXISTS), unlike organisation paths: it is asked for a few rows at a time
    (relation targets of a write), where hashing the whole relation index cost 100 ms.
    """
    from core.models import ObjectRelation

    sources = ObjectRelation.objects.filter(
        target_object_id=OuterRef("pk"),
        source__status__in=statuses,
        source__organisation_id=OuterRef("organisation_id"),
    )
    return Q(Exists(sources))


def related_with_status(prop: str, statuses: list[str]) -> Q:
    """Rows whose relation `prop` points at an object with one of these statuses."""
    from core.models import ObjectRelation

    targets = ObjectRelation.objects.filter(
        source_id=OuterRef("pk"), property=prop, target_object__status__in=statuses
    )
    return Q(Exists(targets))


def rule_q(rule: dict, actor: Actor) -> Q | None:
    """The SQL condition of one rule for this actor, or None when it cannot apply."""
    if "actor" in rule and not _actor_matches(rule["actor"], actor):
        return None
    q = Q()
    if "status" in rule:
        q &= Q(status__in=rule["status"])
    if "ownerStatus" in rule:
        q &= Q(organisation__status__in=rule["ownerStatus"])
    if "ownerType" in rule:
        q &= Q(organisation__type__in=rule["ownerType"])
    for name, values in rule.get("data", {}).items():
        q &= Q(**{f"data__{name}__in": values})
    if "referenced" in rule:
        q &= referenced_by(rule["referenced"]["status"])
    for name, statuses in rule.get("relatedStatus", {}).items():
        q &= related_with_status(name, statuses)
    if rule.get("owner"):
        if actor.organisation is None:
            return None
        q &= Q(organisation_id=actor.organisation.pk)
    for name in ("organisationAt", "ownedAt"):
        if name in rule:
            if actor.organisation is None:
                return None
            q &= relation_path_exists(rule[name], actor.organisation.pk, owned=name == "ownedAt")
    return q if q else EVERYTHING


def policy_q(spec: SchemaSpec, action: str, actor: Actor) -> Q:
    """Rows of this schema `actor` may `action` (read/update/delete), as one Q."""
    if actor.is_functioneel_beheerder:
        return Q()
    if action != "read" and (actor.role in READ_ONLY_ROLES or not actor.is_authenticated):
        return NOTHING
    combined = None
    for rule in spec.access[action]:
        q = rule_q(rule, actor)
        if q is not None:
            combined = q if combined is None else combined | q
    if combined is None:
        return NOTHING
    if not actor.is_government:
        own = Q(organisation_id=actor.organisation.pk) if actor.organisation else NOTHING
        combined &= Q(organisation__status__in=PUBLIC_ORGANISATION_STATUSES) | own
    return combined


def visible_to(queryset, spec_by_schema: dict[int, SchemaSpec], actor: Actor, archived=False):
    """Filter any Object queryset to what `actor` may read, in SQL."""
    q = None
    for schema_id, spec in spec_by_schema.items():
        part = Q(schema_id=schema_id) & policy_q(spec, "read", actor)
        q = part if q is None else q | part
    queryset = queryset.filter(q if q is not None else NOTHING)
    if not archived:
        queryset = queryset.exclude(status=ObjectStatus.GEARCHIVEERD)
    return queryset


def editable_by(queryset, spec_by_schema: dict[int, SchemaSpec], actor: Actor, action="update"):
    """Rows the actor may change; archived objects are never edited (restore is not a PATCH)."""
    queryset = queryset.exclude(status=ObjectStatus.GEARCHIVEERD)
    q = None
    for schema_id, spec in spec_by_schema.items():
        part = Q(schema_id=schema_id) & policy_q(spec, action, actor)
        q = part if q is None else q | part
    return queryset.filter(q if q is not None else NOTHING)


def may_create(spec: SchemaSpec, actor: Actor) -> bool:
    """Whether any create rule can apply; row conditions are re-checked after the write."""
    if actor.is_functioneel_beheerder:
        return True
    if not actor.is_authenticated or actor.organisation is None or actor.role in READ_ONLY_ROLES:
        return False
    return any(rule_q(rule, actor) is not None for rule in spec.access.get("create", []))


def create_q(spec: SchemaSpec, actor: Actor) -> Q:
    if actor.is_functioneel_beheerder:
        return Q()
    combined = None
    for rule in spec.access.get("create", []):
        q = rule_q(rule, actor)
        if q is not None:
            combined = q if combined is None else combined | q
    return combined if combined is not None else NOTHING


# --- field audiences -------------------------------------------------------------


def named_organisation_uuids(spec: SchemaSpec, data: dict) -> set[str]:
    found: set[str] = set()
    for prop in spec.relations:
        if prop.relation.to_organisation:
            value = data.get(prop.name)
            found.update(value if isinstance(value, list) else [value] if value else [])
    return found


def field_visible(prop: Property, actor: Actor, owner_id: int, data: dict, spec) -> bool:
    """Whether one field of one object may be shown to the actor."""
    if prop.audience == Audience.OPENBAAR or actor.system:
        return True
    if prop.audience == Audience.OVERHEID:
        return actor.is_government
    org = actor.organisation
    if org is None:
        return False
    if prop.audience == Audience.EIGEN_ORGANISATIE:
        return org.pk == owner_id
    return org.pk == owner_id or str(org.uuid) in named_organisation_uuids(spec, data)


def field_condition(prop: Property, spec: SchemaSpec, actor: Actor) -> Q | None:
    """Rows on which this field is visible to the actor (None: on none at all)."""
    from core.models import ObjectRelation

    if prop.audience == Audience.OPENBAAR or actor.system:
        return Q()
    if prop.audience == Audience.OVERHEID:
        return Q() if actor.is_government else None
    org = actor.organisation
    if org is None:
        return None
    own = Q(organisation_id=org.pk)
    if prop.audience == Audience.EIGEN_ORGANISATIE:
        return own
    named = [p.name for p in spec.relations if p.relation.to_organisation]
    listed = ObjectRelation.objects.filter(property__in=named, target_organisation_id=org.pk)
    return own | Q(pk__in=listed.values("source_id"))


def hidden_fields(spec: SchemaSpec, actor: Actor, owner_id: int, data: dict) -> set[str]:
    return {
        name
        for name, prop in spec.properties.items()
        if not field_visible(prop, actor, owner_id, data, spec)
    }


def hidden_in_history(spec: SchemaSpec, actor: Actor, owner_id: int, *datas: dict) -> set[str]:
    """A field is hidden in a history entry if it is hidden in any state involved, so an
    organisation named only later never sees values from before it was named."""
    hidden: set[str] = set()
    for data in datas:
        hidden |= hidden_fields(spec, actor, owner_id, data or {})
    return hidden


def sees_people(actor: Actor, owner_id: int) -> bool:
    """Who changed something is shown to functioneel beheer and the owning organisation only."""
    return actor.is_functioneel_beheerder or (
        actor.organisation is not None and actor.organisation.pk == owner_id
    )
