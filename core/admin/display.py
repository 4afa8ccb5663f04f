"""How object data and history read in the admin: labels, relation titles, hidden fields left out.

Field audiences apply to history too: a change to a field the actor may not see is not shown,
neither its old nor its new value.
"""

from __future__ import annotations

import json
import uuid

from core.actors import Actor
from core.constants import Channel, Role
from core.models import Object, ObjectVersion
from core.register import access
from core.register.spec import Property, SchemaSpec

__all__ = ["ACTION_LABELS", "Titles", "data_rows", "history_rows", "property_order"]

ACTION_LABELS = {
    "created": "Aangemaakt",
    "updated": "Gewijzigd",
    "archived": "Gearchiveerd",
    "deleted": "Verwijderd",
}
EMPTY = "—"


def property_order(spec: SchemaSpec) -> list[Property]:
    """Properties in the order of the schema file (kept by the loader, see SchemaVersion)."""
    return list(spec.properties.values())


class Titles:
    """Names of the organisations and objects that relation values point at, in two queries."""

    def __init__(self, spec: SchemaSpec, datas: list[dict], actor: Actor):
        from core.admin.forms import organisation_choices
        from core.admin.permissions import visible_objects

        orgs, objs = set(), set()
        for data in datas:
            for prop in spec.relations:
                value = data.get(prop.name)
                values = value if isinstance(value, list) else [value] if value else []
                (orgs if prop.relation.to_organisation else objs).update(map(str, values))
        self.names: dict[str, str] = {}
        if orgs:
            for org in organisation_choices(actor).filter(uuid__in=_uuids(orgs)):
                self.names[str(org.uuid)] = org.display_name
        if objs:
            rows = visible_objects(actor, archived=True).filter(uuid__in=_uuids(objs))
            for uid, title in rows.values_list("uuid", "title"):
                self.names[str(uid)] = title or str(uid)

    def get(self, value) -> str:
        return self.names.get(str(value), str(value))


def _uuids(values: set[str]) -> list[str]:
    found = []
    for value in values:
        try:
            found.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return found


def format_value(prop: Property | None, value, titles: Titles) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(format_value(prop, v, titles) for v in value)
    if prop is not None and prop.relation is not None:
        return titles.get(value)
    if prop is not None and prop.enum_labels:
        return prop.enum_labels.get(str(value), str(value))
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def data_rows(spec: SchemaSpec, data: dict, hidden: set[str], titles: Titles) -> list[dict]:
    """Label/value rows of the current data, in schema order."""
    return [
        {"label": prop.label, "value": format_value(prop, data[prop.name], titles)}
        for prop in property_order(spec)
        if prop.name in data and prop.name not in hidden
    ]


def history_rows(obj: Object, versions: list[ObjectVersion], spec: SchemaSpec, actor: Actor):
    """One row per version with its visible changes; fields the actor may not see are left out."""
    people = access.sees_people(actor, obj.organisation_id)
    data_before = {v.version: v.data for v in versions}
    titles = _change_titles(spec, versions, actor)
    roles, channels = dict(Role.choices), dict(Channel.choices)
    order = property_order(spec)
    rows = []
    for version in versions:
        previous = data_before.get(version.version - 1, {})
        hidden = access.hidden_in_history(
            spec, actor, obj.organisation_id, obj.data, version.data, previous
        )
        changes = [
            {
                "label": prop.label,
                "old": format_value(prop, version.changes[prop.name][0], titles),
                "new": format_value(prop, version.changes[prop.name][1], titles),
            }
            for prop in order
            if prop.name in version.changes and prop.name not in hidden
        ]
        rows.append(
            {
                "version": version.version,
                "action": ACTION_LABELS.get(version.action, version.action),
                "created_at": version.created_at,
                "user": (str(version.user) if version.user else "systeem") if people else EMPTY,
                "organisation": version.organisation.display_name
                if version.organisation
                else EMPTY,
                "role": roles.get(version.role, version.role or EMPTY),
                "channel": channels.get(version.channel, version.channel),
                "changes": changes,
            }
        )
    return rows


def _change_titles(spec: SchemaSpec, versions: list[ObjectVersion], actor: Actor) -> Titles:
    """Titles for every relation value that appears in the listed changes."""
    datas = []
    for version in versions:
        for name, pair in version.changes.items():
            for value in pair:
                if value is not None:
                    datas.append({name: value})
    return Titles(spec, datas, actor)
