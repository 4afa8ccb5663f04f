"""Objects as the API shows them to one actor: hidden fields removed, relations expanded.

Expansion and relation titles are fetched for a whole page at once (one query per
target schema), through the same `visible_to`, so an invisible target is never shown.
"""

from __future__ import annotations

from core.actors import Actor
from core.models import Object, Organisation
from core.plugins.manager import pm
from core.register import access, catalog
from core.register.spec import SchemaSpec
from core.register.validation import is_uuid


def organisation_summary(org: Organisation) -> dict:
    return {"uuid": str(org.uuid), "naam": org.display_name, "type": org.type, "status": org.status}


def visible_data(obj: Object, spec: SchemaSpec, actor: Actor, velden=None) -> dict:
    hidden = access.hidden_fields(spec, actor, obj.organisation_id, obj.data)
    return {
        k: v
        for k, v in obj.data.items()
        if k not in hidden and k in spec.properties and (not velden or k in velden)
    }


def represent(obj: Object, spec: SchemaSpec, actor: Actor, velden=None) -> dict:
    entry = catalog.by_schema_id(obj.schema_id)
    return {
        "uuid": str(obj.uuid),
        "url": f"/api/v1/{spec.collection}/{obj.uuid}",
        "schema": entry.key if entry else "",
        "status": obj.status,
        "titel": obj.title,
        "eigenaar": organisation_summary(obj.organisation),
        "versie": obj.version,
        "aangemaakt": obj.created_at.isoformat(),
        "gewijzigd": obj.updated_at.isoformat(),
        "data": visible_data(obj, spec, actor, velden),
    }


def _targets(objs: list[Object], spec: SchemaSpec, names: list[str], actor: Actor):
    """Visible related objects and organisations of a page, keyed by uuid string."""
    wanted: dict[str, set[str]] = {}
    for obj in objs:
        data = visible_data(obj, spec, actor)
        for name in names:
            prop = spec.properties[name]
            value = data.get(name)
            values = value if isinstance(value, list) else [value] if value else []
            wanted.setdefault(prop.relation.target, set()).update(str(v) for v in values)
    found: dict[str, object] = {}
    for target, uuids in wanted.items():
        if target == "organisatie":
            orgs = Organisation.objects.filter(uuid__in=[v for v in uuids if is_uuid(v)])
            if not actor.is_government:
                orgs = orgs.filter(status="Actief") | orgs.filter(
                    pk=actor.organisation.pk if actor.organisation else -1
                )
            found.update({str(o.uuid): o for o in orgs})
            continue
        entry = catalog.by_key(target)
        if entry is None:
            continue
        qs = access.visible_to(
            Object.objects.filter(schema=entry.schema, uuid__in=[v for v in uuids if is_uuid(v)]),
            {entry.schema.pk: entry.spec},
            actor,
        ).select_related("organisation")
        found.update({str(o.uuid): o for o in qs})
    return found


def _expanded(target, actor: Actor) -> dict:
    if isinstance(target, Organisation):
        return organisation_summary(target)
    return represent(target, catalog.spec_of(target), actor)


def represent_page(
    objs: list[Object],
    spec: SchemaSpec,
    actor: Actor,
    *,
    uitbreiden=(),
    velden=(),
    titles: bool = False,
    extra: bool = True,
) -> list[dict]:
    """A page of objects, with `_uitgebreid` for expanded relations and `_extra` from plugins."""
    names = list(uitbreiden)
    title_names = [p.name for p in spec.relations] if titles else []
    targets = (
        _targets(objs, spec, sorted(set(names) | set(title_names)), actor)
        if (names or title_names)
        else {}
    )
    items = []
    for obj in objs:
        item = represent(obj, spec, actor, velden)
        data = visible_data(obj, spec, actor)
        if names:
            item["_uitgebreid"] = {}
            for name in names:
                value = data.get(name)
                if isinstance(value, list):
                    item["_uitgebreid"][name] = [
                        _expanded(targets[v], actor) for v in value if v in targets
                    ]
                else:
                    hit = targets.get(value) if value else None
                    item["_uitgebreid"][name] = _expanded(hit, actor) if hit else None
        if titles:
            item["_titels"] = {}
            for name in title_names:
                value = data.get(name)
                values = value if isinstance(value, list) else [value] if value else []
                item["_titels"][name] = [str(targets[v]) for v in values if v in targets]
        if extra:
            extras = {}
            for plugin_name, result in _extra_results(obj, actor):
                if result:
                    extras[plugin_name] = result
            if extras:
                item["_extra"] = extras
        items.append(item)
    return items


def _extra_results(obj: Object, actor: Actor):
    kwargs = {"obj": obj, "actor": actor}
    for impl in reversed(pm.hook.object_extra_data.get_hookimpls()):
        yield impl.plugin_name, impl.function(**{k: kwargs[k] for k in impl.argnames})
