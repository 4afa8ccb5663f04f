"""The public surface for plugins that render site pages (the catalogue's search, detail
pages, landscape and offer): who is acting, what they may read, the one write path, the
site's form base and wizards.

Reads go through `visible` (the same `visible_to` as the API), so the site never shows
what the API would not. Rows are `core.models.Object` instances: read `uuid`, `title`,
`status`, `data`, `organisation`, `created_at`, `updated_at`; show `data` to a person
only through `visible_data`, which drops the fields of an audience they are not in.
"""

from __future__ import annotations

from django.http import Http404

from core.actors import Actor, resolve
from core.constants import ObjectStatus
from core.files import EXTENSIONS as FILE_EXTENSIONS
from core.register.validation import ValidationFailed, is_uuid
from core.services import Conflict, NotAllowed
from core.site.forms import DateInput, SiteForm
from core.site.wizard import REVIEW, Run, Step, Wizard, readable

__all__ = [
    "REVIEW",
    "Conflict",
    "DateInput",
    "FILE_EXTENSIONS",
    "NotAllowed",
    "ObjectStatus",
    "Run",
    "SiteForm",
    "Step",
    "ValidationFailed",
    "Wizard",
    "actor_of",
    "anonymous_actor",
    "archive",
    "attach_file",
    "bulk_create",
    "claim",
    "create",
    "delete",
    "editable",
    "enum_labels",
    "is_uuid",
    "may",
    "may_create",
    "open_file",
    "organisation_counts",
    "readable",
    "titles",
    "typed_column",
    "update",
    "visible",
    "visible_data",
    "visible_object",
    "visible_organisations",
]


def actor_of(request) -> Actor:
    """The request's actor: the user, for their active organisation, in its role."""
    return resolve(request.actor)


def anonymous_actor() -> Actor:
    """A visitor who is not logged in, for work done on their behalf (a task that fills a
    cache every visitor shares)."""
    from core.constants import Channel

    return Actor.anonymous(channel=Channel.SITE)


def _entry(schema: str):
    from core.register import catalog

    entry = catalog.by_key(schema)
    if entry is None:
        raise LookupError(f"Onbekend schema {schema!r}")
    return entry


def visible(schema: str, actor: Actor, *, archived: bool = False):
    """A queryset of the objects of `schema` ("<register>/<schema>") the actor may read."""
    from core.models import Object
    from core.register import access

    entry = _entry(schema)
    rows = Object.objects.filter(schema_id=entry.schema.pk)
    return access.visible_to(rows, {entry.schema.pk: entry.spec}, actor, archived=archived)


def visible_object(schema: str, uuid, actor: Actor):
    """One readable object, or Http404: a missing and a forbidden object look the same."""
    if not is_uuid(uuid):
        raise Http404
    found = visible(schema, actor).select_related("organisation").filter(uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def visible_data(obj, actor: Actor) -> dict:
    """The object's data without the fields this actor may not read (interne aantekening,
    contactpersoon for non-government users …)."""
    from core.register import catalog
    from core.register.serialize import visible_data as data_for

    return data_for(obj, catalog.spec_of(obj), actor)


def editable(schema: str, actor: Actor, action: str = "update"):
    """A queryset of the objects of `schema` the actor may change (`action` "update",
    "delete" or "claim")."""
    from core.models import Object
    from core.register import access

    entry = _entry(schema)
    rows = Object.objects.filter(schema_id=entry.schema.pk)
    return access.editable_by(rows, {entry.schema.pk: entry.spec}, actor, action=action)


def may(obj, actor: Actor, action: str = "update") -> bool:
    """Whether the actor may update/delete/claim this object (to show or hide a button;
    the write path checks again)."""
    from core.models import Object
    from core.register import access, catalog

    rows = Object.objects.filter(pk=obj.pk)
    return access.editable_by(rows, {obj.schema_id: catalog.spec_of(obj)}, actor, action).exists()


def may_create(schema: str, actor: Actor) -> bool:
    from core.register import access

    return access.may_create(_entry(schema).spec, actor)


def titles(uuids, actor: Actor) -> dict[str, str]:
    """Title of each readable object among `uuids` (any schema), in one query; an invisible
    or unknown uuid is absent, so templates can show "Onbekende applicatie" instead."""
    from core.models import Object
    from core.register import access, catalog

    wanted = {str(u) for u in uuids if u and is_uuid(u)}
    if not wanted:
        return {}
    # Only the policies of the schemas these objects have: every schema's policy in one
    # statement costs tens of milliseconds, even for a handful of uuids.
    found = Object.objects.filter(uuid__in=wanted)
    schema_ids = set(found.order_by().values_list("schema_id", flat=True).distinct())
    specs = {k: v for k, v in catalog.specs_by_schema_id().items() if k in schema_ids}
    if not specs:
        return {}
    rows = access.visible_to(found, specs, actor).values_list("uuid", "title")
    return {str(uid): title for uid, title in rows}


def visible_organisations(actor: Actor):
    """A queryset of the organisations the actor may see (as on `/organisaties/<uuid>`)."""
    from core.api.meta import visible_organisations as organisations

    return organisations(actor)


def enum_labels(schema: str, name: str) -> dict[str, str]:
    """The readable labels of a property's values (`x-enum-labels`), value → label."""
    prop = _entry(schema).spec.properties[name]
    values = prop.enum or []
    return {str(v): prop.enum_labels.get(v, str(v)) for v in values}


# --- the one write path --------------------------------------------------------------------


def create(
    actor: Actor,
    schema: str,
    data: dict,
    *,
    status: str = ObjectStatus.GEPUBLICEERD,
    organisation=None,
):
    """Create through the write path (permission, validation, history, events); raises
    NotAllowed, ValidationFailed. Wrap several writes in `transaction.atomic()`."""
    from core import services

    return services.create_object(
        _entry(schema), data, actor=actor, status=status, organisation=organisation
    )


def update(actor: Actor, obj, data: dict, *, partial: bool = True, status: str | None = None):
    """Merge-patch (or with partial=False replace) an object's data through the write path."""
    from core import services

    return services.update_object(obj, data, actor=actor, partial=partial, status=status)


def archive(actor: Actor, obj):
    """Archive ("verwijderen" on the site); refused with Conflict while others refer to it."""
    from core import services

    return services.archive_object(obj, actor=actor)


def claim(actor: Actor, obj, *, status: str | None = None):
    """Take an object over for the actor's organisation (a supplier claims a concept
    application a gemeente registered for it); the schema's "claim" rules decide."""
    from core import services

    return services.claim_object(obj, actor=actor, status=status)


def delete(actor: Actor, obj) -> None:
    """Delete for good (an own concept, e.g. a declined proposal); otherwise archive."""
    from core import services

    services.delete_object(obj, actor=actor)


def bulk_create(actor: Actor, schema: str, rows, *, status: str, progress=None):
    """Create many objects of `schema` for the actor's organisation through the bulk path:
    the same checks as `create` per row, batched writes and history, all or nothing.
    Returns (created, errors) with errors as (row number from 1, json pointer, Dutch
    message); with any error nothing is written. Raises NotAllowed as `create` does."""
    from core import services

    result = services.bulk_create(
        _entry(schema), rows, actor=actor, status=status, progress=progress
    )
    return result.created, result.errors


def attach_file(actor: Actor, obj, name: str, uploaded):
    """Store an uploaded file (Django's `UploadedFile`) in obj's `x-file` property `name`: the
    API's rules (FILE_EXTENSIONS, content matches type, settings.MAX_UPLOAD_SIZE) and the one
    write path, so a site form cannot accept what the API refuses. Raises NotAllowed when the
    actor may not change obj, ValidationFailed (pointer "/<name>") when the file is refused;
    wrap it with the object's other writes in `transaction.atomic()`."""
    from core import files

    if not may(obj, actor):
        raise NotAllowed("U mag dit object niet wijzigen.")
    try:
        files.check_size(uploaded.size)  # before reading a large file into memory
        uploaded.seek(0)
        obj, _stored = files.attach(
            obj,
            name,
            uploaded.read(),
            content_type=files.media_type(uploaded.content_type, uploaded.name),
            filename=uploaded.name,
            actor=actor,
        )
    except files.FileRefused as refused:
        raise ValidationFailed([(f"/{name}", str(refused))]) from None
    return obj


def open_file(actor: Actor, obj, name: str):
    """(open binary file, file name, media type) of obj's `x-file` property `name`, for a
    download response. Http404 when the actor may not read obj or that property, or there is
    no file: the object's read rules and the property's audience decide, as in the API."""
    from core import files
    from core.models import Object
    from core.register import access, catalog

    readable_rows = access.visible_to(
        Object.objects.filter(pk=obj.pk), {obj.schema_id: catalog.spec_of(obj)}, actor
    )
    if not readable_rows.exists():
        raise Http404
    try:
        stored = files.stored_file(obj, name, actor)
    except files.FileRefused:
        raise Http404 from None
    return stored.file.open("rb"), stored.filename, stored.content_type


def organisation_counts(
    schema: str,
    via: str,
    targets,
    organisation_props: list[str],
    actor: Actor,
    organisation_type: str | None = None,
    status: str = ObjectStatus.GEPUBLICEERD,
) -> dict[str, int]:
    """Per target object: how many distinct organisations the actor's visible objects of
    `schema` name in `organisation_props`, counting only objects with `status` (published
    by default: a proposal nobody accepted is not "in use") whose relation `via` points at
    that target. E.g. gemeenten per application: schema "catalogus/gebruik", via "module",
    props ["afnemer", "deelnemers"], type "Gemeente". One query, through the relation index."""
    from django.db.models import Count, F

    from core.models import ObjectRelation

    wanted = [str(t) for t in targets if t and is_uuid(t)]
    if not wanted:
        return {}
    named = ObjectRelation.objects.filter(
        property__in=organisation_props,
        target_organisation__isnull=False,
        source__in=visible(schema, actor).filter(status=status).values("pk"),
        source__relations_out__property=via,
        source__relations_out__target_object__uuid__in=wanted,
    )
    if organisation_type:
        named = named.filter(target_organisation__type=organisation_type)
    rows = (
        named.values(target=F("source__relations_out__target_object__uuid"))
        .annotate(n=Count("target_organisation", distinct=True))
        .order_by()
    )
    return {str(row["target"]): row["n"] for row in rows}


def typed_column(schema: str, name: str) -> str | None:
    """The stored column core keeps for a facetable property or a filterable list of strings
    (with its b-tree or GIN index), for SQL that counts without reading JSON; None when the
    property has none. Use as ``core_object.<column>``."""
    from core.register import indexes

    entry = _entry(schema)
    prop = entry.spec.properties.get(name)
    if prop is None or not indexes.has_column(prop):
        return None
    return indexes.facet_column(entry.schema.pk, prop)
