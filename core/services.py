"""The one write path for register objects.

API, admin, site forms, imports and plugins all call these functions. Each write:
checks permission, applies a JSON merge patch (RFC 7396) for partial updates,
refuses client-supplied server-derived fields, derives them, validates (JSON Schema,
relation targets, the plugin hook), locks optimistically, saves, writes history and
the relation index, and emits an event after commit.
"""

from __future__ import annotations

import json
import logging
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from core.actors import Actor
from core.constants import ObjectStatus, OrganisationStatus
from core.models import Object, ObjectRelation, ObjectVersion, Organisation
from core.plugins.events import ObjectEvent
from core.plugins.manager import pm
from core.register import access, catalog
from core.register.spec import SchemaSpec
from core.register.validation import ValidationFailed, is_uuid, validate, validator_for

__all__ = [
    "Conflict",
    "NotAllowed",
    "ValidationFailed",
    "archive_object",
    "bulk_create",
    "create_object",
    "delete_object",
    "merge_patch",
    "update_object",
]

logger = logging.getLogger(__name__)
NOT_PUBLIC = "(niet openbaar)"
UNKNOWN_TARGET = "Onbekend object, of een object dat u niet mag zien."


class NotAllowed(Exception):
    """The actor may not do this (403); the message is Dutch and safe to show."""


class Conflict(Exception):
    """Stale version (412) or still referred to (409); the message is safe to show."""

    def __init__(self, message: str, status: int = 412):
        super().__init__(message)
        self.status = status


def merge_patch(target, patch):
    """RFC 7396: objects merge recursively, `null` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


# --- derivation and checks -------------------------------------------------------


def _strictly_derived(spec: SchemaSpec) -> list:
    """Derived fields a client may not set (a template with `default` only fills a gap)."""
    return [p for p in spec.derived if p.server_only]


def _refuse_derived(spec: SchemaSpec, data: dict, previous: dict | None) -> list:
    errors = []
    for prop in _strictly_derived(spec):
        if prop.name in data and (previous is None or data[prop.name] != previous.get(prop.name)):
            errors.append((f"/{prop.name}", "Dit veld wordt door de server bepaald."))
    return errors


def _derive_from_owner(spec: SchemaSpec, data: dict, owner: Organisation) -> None:
    for prop in spec.derived:
        kind = prop.derived["kind"]
        if kind == "actorOrganisation":
            data.setdefault(prop.name, str(owner.uuid))
        elif kind == "actorOrganisationType":
            data.setdefault(prop.name, owner.type)


def _derive_templates(spec: SchemaSpec, data: dict, titles: dict) -> None:
    """Fields computed from the object's own data (after relations are resolved)."""
    for prop in spec.derived:
        rule = prop.derived
        if rule["kind"] == "ifPresent":
            data[prop.name] = rule["then"] if data.get(rule["property"]) else rule["else"]
        elif rule["kind"] == "template" and not (rule.get("default") and data.get(prop.name)):
            values = {name: _display(name, data.get(name), titles) for name in spec.properties}
            for name, texts in rule.get("values", {}).items():
                values[name] = texts.get(data.get(name), values[name])
            data[prop.name] = " ".join(rule["template"].format_map(_Blank(values)).split())


def _display(name: str, value, titles: dict) -> str:
    """A value as text for templates: relation targets by their title."""
    if isinstance(value, list):
        return ", ".join(_display(name, v, titles) for v in value)
    if value is None:
        return ""
    return str(titles.get((name, value), value))


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _relation_values(spec: SchemaSpec, data: dict) -> list[tuple[str, str, str]]:
    """(property, target, uuid) for every relation value in data."""
    found = []
    for prop in spec.relations:
        value = data.get(prop.name)
        for item in value if isinstance(value, list) else [value] if value else []:
            found.append((prop.name, prop.relation.target, item))
    return found


def _find_targets(by_target: dict[str, set], actor: Actor) -> dict[tuple[str, str], tuple]:
    """One query per target: the existing targets the actor may see, keyed (target, uuid)."""
    found: dict[tuple[str, str], tuple] = {}
    for target, values in by_target.items():
        valid = {v for v in values if is_uuid(v)}
        if target == "organisatie":
            orgs = Organisation.objects.filter(uuid__in=valid)
            if not actor.is_government:
                own = Q(pk=actor.organisation.pk) if actor.organisation else Q(pk__in=[])
                orgs = orgs.filter(Q(status=OrganisationStatus.ACTIEF) | own)
            for pk, uid, naam, weergave, status in orgs.values_list(
                "pk", "uuid", "naam", "weergavenaam", "status"
            ):
                public = status == OrganisationStatus.ACTIEF
                found[(target, str(uid))] = (None, pk, weergave or naam, public)
        else:
            entry = catalog.by_key(target)
            if entry is None:
                continue
            objs = access.visible_to(
                Object.objects.filter(schema=entry.schema, uuid__in=valid),
                {entry.schema.pk: entry.spec},
                actor,
            ).annotate(_public=_publicly_visible(entry.spec))
            for pk, uid, title, public in objs.values_list("pk", "uuid", "title", "_public"):
                found[(target, str(uid))] = (pk, None, title, public)
    return found


def _publicly_visible(spec: SchemaSpec):
    """Whether an anonymous visitor may read the row (in the same query as the lookup)."""
    anonymous = access.policy_q(spec, "read", Actor.anonymous())
    return Case(
        When(anonymous, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _resolve_relations(
    spec: SchemaSpec,
    data: dict,
    actor: Actor,
    found: dict | None = None,
    previous: dict | None = None,
):
    """Check every relation target exists, is the right schema and visible to the actor.

    Returns (errors, index rows as (property, object_id, organisation_id), titles).
    A missing and an invisible target get the same message, so nothing leaks.
    `found` is `_find_targets` of a whole batch (the bulk path); without it the
    targets of this one object are looked up here. Values kept from `previous` need only
    still exist: a target that became invisible does not block unrelated edits.
    Titles (for templates) are those of publicly visible targets only, since a derived
    title is read by everyone who may read the object.
    """
    errors, rows, titles = [], [], {}
    wanted = _relation_values(spec, data)
    if found is None:
        kept = {(t, v) for _n, t, v in _relation_values(spec, previous or {})}
        new: dict[str, set[str]] = {}
        old: dict[str, set[str]] = {}
        for _name, target, value in wanted:
            (old if (target, value) in kept else new).setdefault(target, set()).add(value)
        found = {**_find_targets(old, Actor.for_system()), **_find_targets(new, actor)}
    for name, target, value in wanted:
        hit = found.get((target, str(value).lower()))
        if hit is None:
            prop = spec.properties[name]
            where = f"/{name}" + (f"/{_position(data[name], value)}" if prop.many else "")
            errors.append((where, UNKNOWN_TARGET))
            continue
        rows.append((name, hit[0], hit[1]))
        titles[(name, value)] = hit[2] if hit[3] else NOT_PUBLIC
    return errors, rows, titles


def _canonical_relations(spec: SchemaSpec, data: dict) -> dict:
    """Relation uuids in one spelling (lowercase, hyphenated), as the index and filters use."""
    data = dict(data)
    for prop in spec.relations:
        value = data.get(prop.name)
        if isinstance(value, list):
            data[prop.name] = [_canonical(v) for v in value]
        elif value is not None:
            data[prop.name] = _canonical(value)
    return data


def _canonical(value):
    if isinstance(value, str) and len(value) == 36 and value.islower():
        return value  # already canonical (the common case): no parse
    try:
        return str(uuidlib.UUID(value)) if isinstance(value, str) else value
    except ValueError:
        return value


def _position(values: list, value) -> int:
    return values.index(value)


def _title(spec: SchemaSpec, data: dict, fallback: str) -> str:
    if spec.title_property and data.get(spec.title_property):
        return str(data[spec.title_property])[:500]
    return fallback


def _search_text(spec: SchemaSpec, data: dict) -> str:
    parts = []
    for prop in spec.by_flag("searchable"):
        value = data.get(prop.name)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value is not None:
            parts.append(str(value))
    return " ".join(parts)


def _with_derived(spec: SchemaSpec, data: dict, previous: dict | None, owner: Organisation):
    """(errors, data): client values of server-derived fields refused, then derived again."""
    errors = _refuse_derived(spec, data, previous)
    derived = {p.name for p in _strictly_derived(spec)}
    data = {k: v for k, v in data.items() if k not in derived}
    if previous:
        data.update(
            {
                p.name: previous[p.name]
                for p in spec.derived
                if p.name in derived and p.name in previous
            }
        )
    _derive_from_owner(spec, data, owner)
    return errors, data


@dataclass
class _Checked:
    """A write's data after the checks that may query, with their errors so far."""

    data: dict
    rows: list  # relation index rows
    refused: list  # client values of server-derived fields
    relation_errors: list
    hook_errors: list


def _check(
    entry,
    data: dict,
    previous: dict | None,
    actor: Actor,
    owner: Organisation,
):
    """Everything that validates one write; raises ValidationFailed with all errors."""
    checked = _start_check(entry, data, previous, actor, owner)
    return _finish_check(checked, validator_for(entry.version.pk))


def _start_check(entry, data, previous, actor: Actor, owner: Organisation, found=None):
    """The checks that may query: derived fields, relation targets, the plugin hook."""
    spec = entry.spec
    if not isinstance(data, dict):
        raise ValidationFailed([("", "Het verzoek moet een JSON-object zijn.")])
    refused, data = _with_derived(spec, data, previous, owner)
    data = _canonical_relations(spec, data)
    rel_errors, rows, titles = _resolve_relations(spec, data, actor, found, previous)
    _derive_templates(spec, data, titles)
    hook_errors = []
    for result in pm.hook.validate_object(
        schema=entry.key, data=data, previous=previous, actor=actor
    ):
        hook_errors.extend(result or [])
    return _Checked(data, rows, refused, rel_errors, hook_errors)


def _finish_check(checked: _Checked, validator) -> tuple[dict, list]:
    """JSON Schema validation (pure Python, no queries), then every error at once."""
    errors = checked.refused + validate(validator, checked.data)
    errors += [e for e in checked.relation_errors if e[0] not in {x[0] for x in errors}]
    errors += checked.hook_errors
    if errors:
        raise ValidationFailed(sorted(set(errors)))
    return checked.data, checked.rows


# --- writes ---------------------------------------------------------------------


def _write_relations(obj: Object, rows: list[tuple]) -> None:
    ObjectRelation.objects.filter(source=obj).delete()
    ObjectRelation.objects.bulk_create(
        [
            ObjectRelation(
                source=obj, property=name, target_object_id=oid, target_organisation_id=gid
            )
            for name, oid, gid in rows
        ]
    )


def _changes(old: dict, new: dict) -> dict:
    keys = set(old) | set(new)
    return {k: [old.get(k), new.get(k)] for k in sorted(keys) if old.get(k) != new.get(k)}


def _history(
    obj: Object, action: str, previous: dict, actor: Actor, changes: dict | None = None
) -> None:
    ObjectVersion.objects.create(
        object=obj,
        object_uuid=obj.uuid,
        version=obj.version,
        action=action,
        status=obj.status,
        data=obj.data,
        changes={**_changes(previous, obj.data), **(changes or {})},
        user=actor.user,
        organisation=actor.organisation,
        role=actor.role or "",
        channel=actor.channel,
        request_id=actor.request_id,
    )


def _emit(action: str, obj: Object, entry, actor: Actor) -> None:
    _emit_event(action, str(obj.uuid), str(obj.organisation.uuid), obj.version, entry, actor)


def _emit_event(action: str, uuid: str, organisation: str, version: int, entry, actor: Actor):
    """Queue `object_changed` for after the commit (nothing is told about a rollback)."""
    event = ObjectEvent(
        action=action,
        uuid=uuid,
        schema=entry.key,
        organisation=organisation,
        version=version,
        user_id=actor.user.pk if actor.user else None,
        acting_organisation=str(actor.organisation.uuid) if actor.organisation else None,
        role=actor.role,
        channel=actor.channel,
        request_id=actor.request_id,
    )
    transaction.on_commit(lambda: _notify(event))


def _notify(event: ObjectEvent) -> None:
    """Each plugin hears about the committed change; one failing plugin fails no write."""
    for impl in reversed(pm.hook.object_changed.get_hookimpls()):
        try:
            impl.function(event=event)
        except Exception:
            logger.exception("object_changed van plugin %s faalde", impl.plugin_name)


def _require_row(obj: Object, q: Q, message: str) -> None:
    if not Object.objects.filter(pk=obj.pk).filter(q).exists():
        raise NotAllowed(message)


def _check_status(status: str) -> None:
    if status not in {ObjectStatus.CONCEPT, ObjectStatus.GEPUBLICEERD}:
        raise ValidationFailed([("/status", "Kies concept of gepubliceerd.")])


@transaction.atomic
def create_object(
    entry,
    data: dict,
    *,
    actor: Actor,
    status: str = ObjectStatus.CONCEPT,
    organisation: Organisation | None = None,
    uuid: uuidlib.UUID | None = None,
) -> Object:
    """Create an object owned by the actor's organisation (or `organisation` for FB/system).

    `uuid` is for importers whose objects have a stable key elsewhere (a GEMMA Object ID),
    so links survive a re-import; only the system actor may choose it.
    """
    if uuid is not None and not actor.system:
        raise NotAllowed("Alleen imports kiezen zelf een uuid.")
    if not access.may_create(entry.spec, actor):
        raise NotAllowed(f"U mag geen {entry.schema.naam.lower()} aanmaken.")
    if organisation and organisation != actor.organisation and not actor.is_functioneel_beheerder:
        raise NotAllowed("Alleen functioneel beheer maakt objecten voor een andere organisatie.")
    owner = organisation or actor.organisation
    if owner is None:
        raise NotAllowed("Kies eerst een organisatie om namens te handelen.")
    _check_status(status)
    data, rows = _check(entry, data, None, actor, owner)
    obj = Object(
        schema=entry.schema,
        schema_version=entry.version,
        organisation=owner,
        status=status,
        data=data,
        **({"uuid": uuid} if uuid else {}),
    )
    obj.title = _title(entry.spec, data, str(obj.uuid))
    obj.search_text = _search_text(entry.spec, data)
    obj.save()
    _write_relations(obj, rows)
    _require_row(
        obj,
        access.create_q(entry.spec, actor),
        f"U mag deze {entry.schema.naam.lower()} niet aanmaken.",
    )
    _history(obj, "created", {}, actor)
    _emit("created", obj, entry, actor)
    return obj


def _without_hidden(errors: list, hidden: set[str]) -> list:
    """Errors about fields the actor may not see must not reveal them."""
    visible = [(p, m) for p, m in errors if (p.split("/") + ["", ""])[1] not in hidden]
    if len(visible) < len(errors):
        visible.append(("", "Het object is niet geldig; neem contact op met de eigenaar."))
    return visible


def _locked(obj: Object, expected_version: int | None) -> Object:
    current = Object.objects.select_for_update().select_related("organisation").get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict("Het object is intussen gewijzigd; haal het opnieuw op.")
    return current


@transaction.atomic
def update_object(
    obj: Object,
    data: dict,
    *,
    actor: Actor,
    partial: bool = False,
    expected_version: int | None = None,
    status: str | None = None,
) -> Object:
    """Replace (PUT) or merge-patch (PATCH) an object's data, optionally its status."""
    entry = catalog.by_schema_id(obj.schema_id)
    editable = access.editable_by(
        Object.objects.filter(pk=obj.pk), {obj.schema_id: entry.spec}, actor
    )
    if not editable.exists():
        raise NotAllowed("U mag dit object niet wijzigen.")
    obj = _locked(obj, expected_version)
    previous = obj.data
    if not isinstance(data, dict):
        raise ValidationFailed([("", "Het verzoek moet een JSON-object zijn.")])
    hidden = access.hidden_fields(entry.spec, actor, obj.organisation_id, previous)
    incoming = merge_patch(previous, data) if partial else dict(data)
    for name in hidden:  # fields the actor cannot see are kept as they were
        if name in previous:
            incoming[name] = previous[name]
        else:
            incoming.pop(name, None)
    if status is not None:
        _check_status(status)
        obj.status = status
    try:
        new_data, rows = _check(entry, incoming, previous, actor, obj.organisation)
    except ValidationFailed as exc:
        raise ValidationFailed(_without_hidden(exc.errors, hidden)) from None
    old_title = obj.title
    obj.data = new_data
    obj.schema_version = entry.version
    obj.title = _title(entry.spec, new_data, str(obj.uuid))
    obj.search_text = _search_text(entry.spec, new_data)
    obj.version += 1
    obj.save()
    _write_relations(obj, rows)
    _require_row(
        obj,
        access.policy_q(entry.spec, "update", actor),
        "Na deze wijziging zou u het object niet meer mogen beheren.",
    )
    _history(obj, "updated", previous, actor)
    _emit("updated", obj, entry, actor)
    if obj.title != old_title and not actor.system:  # one level: derived-from-derived
        _refresh_referrers_later(obj.pk)  # titles could otherwise chase each other
    return obj


def _refresh_referrers_later(object_id: int) -> None:
    """Titles derived from this object's title (e.g. "A → B") follow a rename, in a task."""
    from core import tasks

    transaction.on_commit(lambda: tasks.refresh_derived.enqueue(object_id))


def refresh_derived(object_id: int) -> int:
    """Re-derive template fields of the objects that refer to this one; returns how many
    changed. Written by the system through the one write path, so history shows it."""
    changed = 0
    templated = {
        sid
        for sid, spec in catalog.specs_by_schema_id().items()
        if any(p.derived["kind"] == "template" for p in spec.derived)
    }
    referring = (
        Object.objects.filter(relations_out__target_object_id=object_id, schema_id__in=templated)
        .exclude(status=ObjectStatus.GEARCHIVEERD)
        .distinct()
    )
    system = Actor.for_system()
    for ref in referring:
        entry = catalog.by_schema_id(ref.schema_id)
        data = _canonical_relations(entry.spec, ref.data)
        _errors, _rows, titles = _resolve_relations(entry.spec, data, system)
        _derive_templates(entry.spec, data, titles)
        if data != ref.data:
            update_object(ref, {}, actor=system, partial=True)
            changed += 1
    return changed


def referrers(obj: Object, actor: Actor) -> tuple[list[Object], bool]:
    """Objects (not archived) referring to obj: up to 20 the actor may see, and whether
    others exist that the actor may not see."""
    incoming = (
        Object.objects.filter(relations_out__target_object=obj)
        .exclude(status=ObjectStatus.GEARCHIVEERD)
        .distinct()
    )
    visible = access.visible_to(incoming, catalog.specs_by_schema_id(), actor)
    return list(visible[:20]), incoming.count() > visible.count()


def _refuse_if_referred(obj: Object, actor: Actor, verb: str) -> None:
    visible, more = referrers(obj, actor)
    if visible or more:
        names = ", ".join(sorted(o.title for o in visible))
        message = f"Kan niet worden {verb}: nog in gebruik"
        message += f" door {names}" if names else ""
        message += (
            " en door objecten die u niet kunt zien"
            if more and names
            else (" door objecten die u niet kunt zien" if more else "")
        )
        raise Conflict(message + ".", status=409)


@transaction.atomic
def archive_object(obj: Object, *, actor: Actor, expected_version: int | None = None) -> Object:
    """Removing is archiving: the object leaves lists, counts, exports and in-use checks."""
    entry = catalog.by_schema_id(obj.schema_id)
    allowed = access.editable_by(
        Object.objects.filter(pk=obj.pk), {obj.schema_id: entry.spec}, actor, action="delete"
    )
    if not allowed.exists():
        raise NotAllowed("U mag dit object niet verwijderen.")
    obj = _locked(obj, expected_version)
    _refuse_if_referred(obj, actor, "gearchiveerd")
    obj.status = ObjectStatus.GEARCHIVEERD
    obj.version += 1
    obj.save(update_fields=["status", "version", "updated_at"])
    _history(obj, "archived", obj.data, actor)
    _emit("archived", obj, entry, actor)
    return obj


@transaction.atomic
def claim_object(
    obj: Object,
    *,
    actor: Actor,
    organisation: Organisation | None = None,
    status: str | None = None,
    expected_version: int | None = None,
) -> Object:
    """Take over an object: its owner becomes the actor's organisation.

    Who may is the schema's `claim` rule (a supplier claims the application a gemeente
    registered naming it; a gemeente accepts the gebruik a supplier proposed). Functioneel
    beheer may hand an object to any `organisation`. Fields derived as `actorOrganisation`
    follow the new owner; `actorOrganisationType` keeps recording who registered it.
    """
    entry = catalog.by_schema_id(obj.schema_id)
    new_owner = organisation if actor.is_functioneel_beheerder and organisation else None
    if new_owner is None:
        allowed = access.editable_by(
            Object.objects.filter(pk=obj.pk), {obj.schema_id: entry.spec}, actor, action="claim"
        )
        if actor.organisation is None or not allowed.exists():
            raise NotAllowed("U mag dit object niet overnemen.")
        new_owner = actor.organisation
    obj = _locked(obj, expected_version)
    if status is not None:
        _check_status(status)
        obj.status = status
    previous_owner, previous_data = obj.organisation, obj.data
    owner_fields = [p.name for p in entry.spec.derived if p.derived["kind"] == "actorOrganisation"]
    obj.data = {**obj.data, **{name: str(new_owner.uuid) for name in owner_fields}}
    obj.organisation = new_owner
    obj.version += 1
    obj.save(update_fields=["organisation", "status", "data", "version", "updated_at"])
    ObjectRelation.objects.filter(source=obj, property__in=owner_fields).delete()
    ObjectRelation.objects.bulk_create(
        ObjectRelation(source=obj, property=name, target_organisation=new_owner)
        for name in owner_fields
    )
    eigenaar = {"eigenaar": [str(previous_owner.uuid), str(new_owner.uuid)]}
    _history(obj, "overgenomen", previous_data, actor, eigenaar)
    _emit("updated", obj, entry, actor)
    return obj


@transaction.atomic
def delete_object(obj: Object, *, actor: Actor) -> None:
    """Hard delete: functioneel beheer, or a concept nothing refers to (by who may delete it)."""
    entry = catalog.by_schema_id(obj.schema_id)
    if not actor.is_functioneel_beheerder:
        allowed = access.editable_by(
            Object.objects.filter(pk=obj.pk), {obj.schema_id: entry.spec}, actor, action="delete"
        )
        if obj.status != ObjectStatus.CONCEPT or not allowed.exists():
            raise NotAllowed(
                "Alleen functioneel beheer verwijdert definitief; anderen alleen concepten."
            )
    obj = _locked(obj, None)
    _refuse_if_referred(obj, actor, "verwijderd")
    _emit("deleted", obj, entry, actor)
    obj.delete()


# --- bulk path ------------------------------------------------------------------


@dataclass
class BulkResult:
    created: int
    errors: list[tuple[int, str, str]]  # (row number, pointer, message)


def bulk_create(
    entry,
    rows: Iterable[dict],
    *,
    actor: Actor,
    status: str = ObjectStatus.CONCEPT,
    batch_size: int = 1000,
    progress=None,
) -> BulkResult:
    """Import many objects with the same guarantees as create_object, in batches.

    All or nothing: the batches (validation with one reused validator, relation checks in
    one query per target, COPY of objects, relations and history) run in one transaction
    that is rolled back when any row is invalid, after every row was checked.
    """
    if not access.may_create(entry.spec, actor):
        raise NotAllowed(f"U mag geen {entry.schema.naam.lower()} aanmaken.")
    if actor.organisation is None:
        raise NotAllowed("Kies eerst een organisatie om namens te handelen.")
    _check_status(status)
    created, errors, batch, number = 0, [], [], 0
    found: dict = {}  # relation targets found so far, reused by later batches
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=1):
                batch.append((number, row))
                if len(batch) >= batch_size:
                    created += _bulk_batch(entry, batch, actor, status, errors, found)
                    batch = []
                    if progress:
                        progress(number)
            if batch:
                created += _bulk_batch(entry, batch, actor, status, errors, found)
                if progress:
                    progress(number)
            if errors:
                raise _ImportInvalid
    except _ImportInvalid:
        return BulkResult(created=0, errors=errors)
    return BulkResult(created=created, errors=[])


class _ImportInvalid(Exception):
    """Rolls the whole import back once every row has been checked."""


class _BatchInvalid(Exception):
    """Rolls a batch back when any of its rows is invalid (the errors are collected)."""


def _batch_targets(spec: SchemaSpec, batch, owner: Organisation) -> dict[str, set[str]]:
    """Every relation value of a batch (derived ones included), per target."""
    by_target: dict[str, set[str]] = {}
    for _number, row in batch:
        if isinstance(row, dict):
            derived = _with_derived(spec, row, None, owner)[1]
            for _name, target, value in _relation_values(spec, derived):
                if isinstance(value, str):
                    by_target.setdefault(target, set()).add(value)
    return by_target


def _bulk_batch(entry, batch, actor: Actor, status: str, errors: list, found: dict) -> int:
    owner = actor.organisation
    spec = entry.spec
    validator = validator_for(entry.version.pk)
    # Relation targets of the whole batch at once: one query per target, not per row;
    # targets found for an earlier batch are not looked up again (those not found are).
    wanted = {
        target: {v for v in values if (target, v.lower()) not in found}
        for target, values in _batch_targets(spec, batch, owner).items()
    }
    found.update(_find_targets({t: v for t, v in wanted.items() if v}, actor))
    started, batch_errors = [], []
    for number, row in batch:
        try:
            started.append((number, _start_check(entry, row, None, actor, owner, found)))
        except ValidationFailed as exc:
            batch_errors.extend((number, p, m) for p, m in exc.errors)
    now = timezone.now()
    written = []  # (id, uuid, data, index rows, data as JSON) of the rows sent to COPY

    def objects(ids):
        """Finish each row's validation and stream it to COPY at once, so PostgreSQL
        writes while Python validates the next row (nothing here may query: the
        connection is busy with the COPY); one invalid row rolls the batch back."""
        for (number, checked), oid in zip(started, ids, strict=True):
            try:
                data, rows = _finish_check(checked, validator)
            except ValidationFailed as exc:
                batch_errors.extend((number, p, m) for p, m in exc.errors)
                continue
            if batch_errors:
                continue  # keep validating, for all errors at once, but write no more
            uid = uuidlib.uuid4()
            text = json.dumps(data)
            written.append((oid, uid, data, rows, text))
            yield (oid, uid, entry.schema.pk, entry.version.pk, owner.pk, status, text) + (
                _title(spec, data, str(uid)),
                _search_text(spec, data),
                1,
                now,
                now,
            )
        if batch_errors:
            raise _BatchInvalid

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Object._meta.db_table, len(started)],
            )
            _copy(
                cursor,
                Object,
                ["id", "uuid", "schema", "schema_version", "organisation", "status", "data"]
                + ["title", "search_text", "version", "created_at", "updated_at"],
                objects([row[0] for row in cursor.fetchall()]),
            )
            _copy(
                cursor,
                ObjectRelation,
                ["source", "property", "target_object", "target_organisation"],
                (
                    (oid, name, target_id, organisation_id)
                    for oid, _uid, _data, rows, _text in written
                    for name, target_id, organisation_id in rows
                ),
            )
            condition = access.create_q(spec, actor)
            if condition != Q():  # rules with row conditions: check the written rows
                ids = [oid for oid, *_rest in written]
                if Object.objects.filter(pk__in=ids).filter(condition).count() != len(ids):
                    raise NotAllowed(f"U mag deze {entry.schema.naam.lower()} niet aanmaken.")
            user_id = actor.user.pk if actor.user else None
            acting_id = actor.organisation.pk if actor.organisation else None

            def versions():
                """History rows; each object's event is queued for after the commit (which
                does not query) while PostgreSQL writes the rows before it."""
                who = (user_id, acting_id, actor.role or "", actor.channel, actor.request_id, now)
                for oid, uid, data, _rows, text in written:
                    changes = json.dumps(_changes({}, data))
                    yield (oid, uid, 1, "created", status, text, changes, *who)
                    _emit_event("created", str(uid), str(owner.uuid), 1, entry, actor)

            _copy(
                cursor,
                ObjectVersion,
                ["object", "object_uuid", "version", "action", "status", "data", "changes"]
                + ["user", "organisation", "role", "channel", "request_id", "created_at"],
                versions(),
            )
    except _BatchInvalid:
        errors.extend(sorted(batch_errors, key=lambda error: error[0]))  # in row order
        return 0
    return len(written)


def _copy(cursor, model, fields: list[str], rows) -> None:
    """COPY rows (values in database form) into a model's table: the bulk path's writes."""
    columns = ", ".join(model._meta.get_field(name).column for name in fields)
    with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
