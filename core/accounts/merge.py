"""Merging organisations (herindeling, a supplier taken over): everything moves at once.

`preview` counts what a merge would move, so functioneel beheer can check it first; `merge`
moves all of it in one transaction: the register objects the source owns, every reference
to the source in other objects' data (found through the relation index), memberships,
deelnemingen and open access requests; open invitations and API tokens of the source are
revoked, and a sign-up still waiting for review is closed (e.g. a duplicate sign-up merged
into the existing supplier). The source is never deleted: it becomes Samengevoegd and
points to the target, so old links still lead somewhere. Running a finished merge again
changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from core import services
from core.accounts import AccountError, audit
from core.accounts.notifications import notify
from core.accounts.roles import require_functioneel_beheer
from core.actors import Actor
from core.constants import ObjectStatus, OrganisationStatus, OrganisationType
from core.models import (
    AccessRequest,
    ApiToken,
    Deelneming,
    Invitation,
    Membership,
    Object,
    ObjectRelation,
    ObjectVersion,
    Organisation,
    OrganisationDocument,
    Schema,
    SignUp,
    User,
)
from core.register import catalog

__all__ = ["COUNT_KEYS", "blockers", "merge", "preview"]

Status = OrganisationStatus
# A merge moves into an organisation that can act: not one that is itself gone or stopped.
TARGET_STATUSES = (Status.ACTIEF, Status.CONCEPT)
OPEN_ACCESS_REQUESTS = (
    AccessRequest.Status.E_MAIL_ONBEVESTIGD,
    AccessRequest.Status.TE_BEOORDELEN,
    AccessRequest.Status.DOORGESTUURD,
)
HISTORY_ACTION = "samengevoegd"
# Derived titles may depend on titles that themselves changed ("X bij Y" inside "Z (X bij Y)");
# this many passes settles any chain the catalogue has, with room to spare.
MAX_PASSES = 5
# The numbers `preview` promises and `merge` reports, in the same keys.
COUNT_KEYS = (
    "objects_total",
    "references_total",
    "memberships",
    "memberships_in_target",
    "deelnemingen",
    "deelnemingen_duplicate",
    "invitations",
    "access_requests",
    "api_tokens",
    "sign_ups",
    "documents",
)


def blockers(source: Organisation, target: Organisation) -> list[str]:
    """Why this merge cannot be done (Dutch, safe to show); empty when it can."""
    found = []
    if source.pk == target.pk:
        found.append("Een organisatie kan niet met zichzelf worden samengevoegd.")
        return found
    if source.status == Status.SAMENGEVOEGD:
        where = f" in {source.samengevoegd_in}" if source.samengevoegd_in_id else ""
        found.append(f"{source} is al samengevoegd{where}.")
    if target.status == Status.SAMENGEVOEGD:
        where = f" in {target.samengevoegd_in}" if target.samengevoegd_in_id else ""
        found.append(
            f"{target} is zelf al samengevoegd{where}; kies de organisatie waarin die opging."
        )
    elif target.status not in TARGET_STATUSES:
        found.append(
            f"{target} heeft status {target.status}; voeg alleen samen met een actieve "
            "organisatie of een concept."
        )
    if source.type != target.type:
        found.append(
            f"{source} is een {source.type.lower()} en {target} een {target.type.lower()}: "
            "alleen organisaties van hetzelfde type kunnen worden samengevoegd (de rollen "
            "van de gebruikers verschillen per type)."
        )
    if OrganisationType.VNG in (source.type, target.type):
        found.append("VNG zelf wordt niet samengevoegd.")
    return found


def _schema_names(ids) -> dict[int, str]:
    names = {e.schema.pk: e.schema.naam for e in catalog.all_entries()}
    missing = set(ids) - set(names)
    if missing:
        names.update(Schema.objects.filter(pk__in=missing).values_list("pk", "naam"))
    return names


def _property_label(schema_id: int, name: str) -> str:
    entry = catalog.by_schema_id(schema_id)
    prop = entry.spec.properties.get(name) if entry else None
    return prop.label if prop else name


def preview(source: Organisation, target: Organisation) -> dict:
    """What a merge of source into target would move, counted, with the blockers.

    Counts per schema (owned objects) and per schema and property (references in other
    objects' data, from the relation index); the totals use the keys of `COUNT_KEYS`, which
    `merge` reports back with what actually moved.
    """
    owned = (
        Object.objects.filter(organisation=source)
        .values("schema_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    refs = (
        ObjectRelation.objects.filter(target_organisation=source)
        .values("source__schema_id", "property")
        .annotate(n=Count("id"))
        .order_by()
    )
    owned, refs = list(owned), list(refs)
    names = _schema_names({r["schema_id"] for r in owned} | {r["source__schema_id"] for r in refs})
    objects = sorted(
        ({"schema": names.get(r["schema_id"], "?"), "count": r["n"]} for r in owned),
        key=lambda row: row["schema"],
    )
    references = sorted(
        (
            {
                "schema": names.get(r["source__schema_id"], "?"),
                "property": _property_label(r["source__schema_id"], r["property"]),
                "count": r["n"],
            }
            for r in refs
        ),
        key=lambda row: (row["schema"], row["property"]),
    )
    target_users = Membership.objects.filter(organisation=target).values("user_id")
    memberships = Membership.objects.filter(organisation=source)
    in_target = memberships.filter(user_id__in=target_users).count()
    moving, duplicate = _deelneming_counts(source, target)
    return {
        "source": source,
        "target": target,
        "objects": objects,
        "objects_total": sum(r["count"] for r in objects),
        "references": references,
        "references_total": sum(r["count"] for r in references),
        "referring_objects": ObjectRelation.objects.filter(target_organisation=source)
        .exclude(source__organisation=source)
        .values("source_id")
        .distinct()
        .count(),
        "memberships": memberships.count() - in_target,
        "memberships_in_target": in_target,
        "deelnemingen": moving,
        "deelnemingen_duplicate": duplicate,
        "invitations": Invitation.objects.filter(organisation=source).usable().count(),
        "access_requests": AccessRequest.objects.filter(
            organisation=source, status__in=OPEN_ACCESS_REQUESTS
        ).count(),
        "api_tokens": ApiToken.objects.filter(organisation=source, revoked_at__isnull=True).count(),
        "sign_ups": SignUp.objects.filter(
            organisation=source, status=SignUp.Status.TE_BEOORDELEN
        ).count(),
        "documents": OrganisationDocument.objects.filter(organisation=source).count(),
        "blockers": blockers(source, target),
    }


def _deelneming_counts(source: Organisation, target: Organisation) -> tuple[int, int]:
    """(moving, dropped): deelnemingen of the source in either direction; those the target
    already has, or that would make the target take part in itself, are dropped."""
    as_member = Deelneming.objects.filter(organisation=source)
    dup_member = as_member.filter(
        samenwerking_id__in=[
            target.pk,
            *Deelneming.objects.filter(organisation=target).values_list(
                "samenwerking_id", flat=True
            ),
        ]
    ).count()
    as_group = Deelneming.objects.filter(samenwerking=source)
    dup_group = as_group.filter(
        organisation_id__in=[
            target.pk,
            *Deelneming.objects.filter(samenwerking=target).values_list(
                "organisation_id", flat=True
            ),
        ]
    ).count()
    dropped = dup_member + dup_group
    return as_member.count() + as_group.count() - dropped, dropped


# --- the merge ------------------------------------------------------------------


@transaction.atomic
def merge(source: Organisation, target: Organisation, *, actor: Actor) -> dict:
    """Merge source into target (functioneel beheer only), all or nothing.

    Returns {"already_merged", "message", "counts", "changed_objects"}; `counts` has the
    keys of `COUNT_KEYS`. A merge that was already done returns already_merged=True and
    changes nothing; any other blocker raises AccountError with every reason.
    """
    require_functioneel_beheer(actor, "organisaties samenvoegen")
    locked = {
        org.pk: org
        for org in Organisation.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.status == Status.SAMENGEVOEGD and source.samengevoegd_in_id == target.pk:
        return {
            "already_merged": True,
            "message": f"{source} is al samengevoegd in {target}; er is niets gewijzigd.",
            "counts": dict.fromkeys(COUNT_KEYS, 0),
            "changed_objects": 0,
        }
    problems = blockers(source, target)
    if problems:
        raise AccountError(" ".join(problems))

    former_members = list(
        User.objects.filter(memberships__organisation=source, memberships__actief=True)
    )
    counts: dict[str, int] = {}
    moved = _move_objects(source, target, actor)
    counts["objects_total"] = moved.owned
    counts["references_total"] = moved.references
    counts.update(_move_memberships(source, target))
    counts.update(_move_deelnemingen(source, target))
    now = timezone.now()
    counts["invitations"] = (
        Invitation.objects.filter(organisation=source).usable().update(revoked_at=now)
    )
    counts["access_requests"] = AccessRequest.objects.filter(
        organisation=source, status__in=OPEN_ACCESS_REQUESTS
    ).update(organisation=target)
    counts["api_tokens"] = ApiToken.objects.filter(
        organisation=source, revoked_at__isnull=True
    ).update(revoked_at=now)
    # A sign-up still waiting for review can no longer be accepted: the organisation is gone.
    counts["sign_ups"] = SignUp.objects.filter(
        organisation=source, status=SignUp.Status.TE_BEOORDELEN
    ).update(status=SignUp.Status.AFGEWEZEN, decided_by=actor.user, decided_at=now)
    # Certificates and statements move too, keeping their public/private choice.
    counts["documents"] = OrganisationDocument.objects.filter(organisation=source).update(
        organisation=target
    )

    source.status = Status.SAMENGEVOEGD
    source.samengevoegd_in = target
    source.save(update_fields=["status", "samengevoegd_in", "updated_at"])
    details = {
        "bron": str(source.uuid),
        "doel": str(target.uuid),
        "gewijzigde_objecten": moved.changed,
        **counts,
    }
    audit.record(
        "organisatie.samengevoegd",
        actor=actor,
        organisation=source,
        target=f"{source.naam} → {target.naam}",
        details=details,
    )
    audit.record(
        "organisatie.samenvoeging-ontvangen",
        actor=actor,
        organisation=target,
        target=f"{source.naam} → {target.naam}",
        details=details,
    )
    notify(
        former_members,
        "organisatiestatus",
        f"{source} is samengevoegd met {target}",
        f"Functioneel beheer heeft {source} samengevoegd met {target}. Uw toegang, de "
        f"applicaties, het gebruik en de andere gegevens van {source} staan nu bij {target}.",
        url="/mijn-account",
    )
    return {
        "already_merged": False,
        "message": f"{source} is samengevoegd in {target}.",
        "counts": counts,
        "changed_objects": moved.changed,
    }


@dataclass
class _Work:
    """One object the merge touches: the row as it was, and its data being rewritten."""

    obj: Object
    spec: object
    previous: dict
    data: dict
    owned: bool
    title: str = ""


@dataclass
class _Moved:
    owned: int = 0
    references: int = 0
    changed: int = 0


def _replace(value, old: str, new: str):
    """A relation value with `old` (any spelling) replaced by `new`; lists keep one `new`."""
    if isinstance(value, list):
        result = []
        for item in value:
            item = new if services._canonical(item) == old else item
            if not (item == new and new in result):
                result.append(item)
        return result
    return new if services._canonical(value) == old else value


def _move_objects(source: Organisation, target: Organisation, actor: Actor) -> _Moved:
    """Owned objects change owner, references change uuid, derived titles follow; each
    changed object gets one new version and one history row, written in bulk."""
    old, new = str(source.uuid), str(target.uuid)
    owned_ids = set(Object.objects.filter(organisation=source).values_list("pk", flat=True))
    referring = set(
        ObjectRelation.objects.filter(target_organisation=source).values_list(
            "source_id", flat=True
        )
    )
    result = _Moved(owned=len(owned_ids))
    work: dict[int, _Work] = {}
    rows = (
        Object.objects.select_for_update(of=("self",))
        .filter(pk__in=owned_ids | referring)
        .select_related("organisation")
        .order_by("pk")
    )
    for obj in rows:
        spec = catalog.spec_of(obj)
        data = dict(obj.data)
        for prop in spec.relations:
            if prop.relation.to_organisation and prop.name in data:
                data[prop.name] = _replace(data[prop.name], old, new)
        owned = obj.pk in owned_ids
        if owned:  # as in claim_object: fields derived from the owner follow it
            for prop in spec.derived:
                if prop.derived["kind"] == "actorOrganisation":
                    data[prop.name] = new
        work[obj.pk] = _Work(obj, spec, obj.data, data, owned, obj.title)

    _rederive(work)

    now = timezone.now()
    changed, versions = [], []
    for item in work.values():
        obj = item.obj
        if item.data == item.previous and not item.owned:
            continue
        obj.data = item.data
        obj.title = item.title
        obj.search_text = services._search_text(item.spec, item.data)
        obj.version += 1
        obj.updated_at = now
        extra = {}
        if item.owned:
            extra = {"eigenaar": [old, new]}
            obj.organisation = target
        changed.append(obj)
        versions.append(
            ObjectVersion(
                object=obj,
                object_uuid=obj.uuid,
                version=obj.version,
                action=HISTORY_ACTION,
                status=obj.status,
                data=obj.data,
                changes={**services._changes(item.previous, obj.data), **extra},
                user=actor.user,
                organisation=actor.organisation,
                role=actor.role or "",
                channel=actor.channel,
                request_id=actor.request_id,
            )
        )
    fields = ["organisation", "data", "title", "search_text", "version", "updated_at"]
    Object.objects.bulk_update(changed, fields, batch_size=500)
    ObjectVersion.objects.bulk_create(versions, batch_size=500)
    result.changed = len(changed)

    result.references = ObjectRelation.objects.filter(target_organisation=source).update(
        target_organisation=target
    )
    _drop_duplicate_relations(target)

    for obj in changed:
        entry = catalog.by_schema_id(obj.schema_id)
        if entry is not None:
            services._emit_event(
                "updated", str(obj.uuid), str(obj.organisation.uuid), obj.version, entry, actor
            )
    return result


def _relation_targets(work: dict[int, _Work], ids) -> dict[str, set[str]]:
    by_target: dict[str, set[str]] = defaultdict(set)
    for pk in ids:
        item = work[pk]
        for _name, target, value in services._relation_values(item.spec, item.data):
            if isinstance(value, str):
                by_target[target].add(value)
    return by_target


def _rederive(work: dict[int, _Work]) -> None:
    """Derived template fields of the touched objects, and of the objects whose templates
    show a title that changed, computed as the write path does but in a few queries."""
    system = Actor.for_system()
    templated = {
        sid
        for sid, spec in catalog.specs_by_schema_id().items()
        if any(p.derived["kind"] == "template" for p in spec.derived)
    }
    found = services._find_targets(_relation_targets(work, work), system)
    keys = {
        pk: (catalog.by_schema_id(item.obj.schema_id), str(item.obj.uuid))
        for pk, item in work.items()
    }
    for _ in range(MAX_PASSES):
        for item in work.values():
            if any(p.derived["kind"] in ("template", "ifPresent") for p in item.spec.derived):
                _errors, _rows, titles = services._resolve_relations(
                    item.spec, item.data, system, found=found
                )
                services._derive_templates(item.spec, item.data, titles)
            item.title = services._title(item.spec, item.data, str(item.obj.uuid))
        # Other touched objects see the new titles, as they would after the write.
        settled = True
        for pk, item in work.items():
            entry, uid = keys[pk]
            hit = found.get((entry.key, uid)) if entry else None
            if hit is not None and hit[2] != item.title:
                found[(entry.key, uid)] = (hit[0], hit[1], item.title, hit[3])
                settled = False
        renamed = [pk for pk, item in work.items() if item.title != item.obj.title]
        referrers = (
            Object.objects.select_for_update(of=("self",))
            .filter(
                pk__in=ObjectRelation.objects.filter(target_object_id__in=renamed).values(
                    "source_id"
                ),
                schema_id__in=templated,
            )
            .exclude(status=ObjectStatus.GEARCHIVEERD)
            .exclude(pk__in=list(work))
            .select_related("organisation")
            .order_by("pk")
            if renamed
            else []
        )
        added = []
        for obj in referrers:
            work[obj.pk] = _Work(obj, catalog.spec_of(obj), obj.data, dict(obj.data), False)
            keys[obj.pk] = (catalog.by_schema_id(obj.schema_id), str(obj.uuid))
            added.append(obj.pk)
        if added:
            settled = False
            wanted = _relation_targets(work, added)
            missing = {
                target: {v for v in values if (target, v.lower()) not in found}
                for target, values in wanted.items()
            }
            found.update(services._find_targets({t: v for t, v in missing.items() if v}, system))
            for pk, item in work.items():  # titles already recomputed in this merge win
                entry, uid = keys[pk]
                hit = found.get((entry.key, uid)) if entry else None
                if hit is not None and item.title and hit[2] != item.title:
                    found[(entry.key, uid)] = (hit[0], hit[1], item.title, hit[3])
        if settled:
            return


def _drop_duplicate_relations(target: Organisation) -> None:
    """An array that named both organisations now names the target once: one index row."""
    table = ObjectRelation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {table} r USING {table} d
            WHERE r.target_organisation_id = %s AND d.target_organisation_id = %s
              AND r.source_id = d.source_id AND r.property = d.property AND r.id > d.id
            """,
            [target.pk, target.pk],
        )


def _move_memberships(source: Organisation, target: Organisation) -> dict[str, int]:
    """A user already in the target keeps that membership; the source's one goes."""
    in_target = Membership.objects.filter(organisation=target).values("user_id")
    dropped, _ = Membership.objects.filter(organisation=source, user_id__in=in_target).delete()
    moved = Membership.objects.filter(organisation=source).update(organisation=target)
    return {"memberships": moved, "memberships_in_target": dropped}


def _move_deelnemingen(source: Organisation, target: Organisation) -> dict[str, int]:
    """Deelnemingen in both directions, without duplicates and never the target in itself."""
    own_groups = [
        target.pk,
        *Deelneming.objects.filter(organisation=target).values_list("samenwerking_id", flat=True),
    ]
    own_members = [
        target.pk,
        *Deelneming.objects.filter(samenwerking=target).values_list("organisation_id", flat=True),
    ]
    dropped = Deelneming.objects.filter(
        organisation=source, samenwerking_id__in=own_groups
    ).delete()[0]
    dropped += Deelneming.objects.filter(
        samenwerking=source, organisation_id__in=own_members
    ).delete()[0]
    moved = Deelneming.objects.filter(organisation=source).update(organisation=target)
    moved += Deelneming.objects.filter(samenwerking=source).update(samenwerking=target)
    return {"deelnemingen": moved, "deelnemingen_duplicate": dropped}
