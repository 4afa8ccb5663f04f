"""Who may do what in the register admin: the request's actor, not Django model permissions.

modeladmin's permission helpers only see the user, so the views resolve the actor from the
session once per request and leave it on the user object for the helpers to find.
"""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpResponseForbidden
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.menus import ModelAdminMenuItem

from core.accounts.roles import reads_beheer
from core.actors import SESSION_KEY, Actor, actor_for_user
from core.constants import Channel, ObjectStatus
from core.models import Object
from core.register import access, catalog

__all__ = [
    "ActorMenuItem",
    "BeheerPermissionHelper",
    "NobodyWritesPermissionHelper",
    "ObjectButtonHelper",
    "ObjectPermissionHelper",
    "ReadOnlyPermissionHelper",
    "admin_actor",
    "decides_beheer",
    "is_register_staff",
    "reads_admin_beheer",
    "refuse_readonly_posts",
    "row_permissions",
    "user_actor",
    "visible_objects",
]

_ATTR = "_swc_admin_actor"


def admin_actor(request) -> Actor:
    """The actor of an admin request: the user, for the organisation chosen in the session."""
    actor = getattr(request, _ATTR, None)
    if actor is None:
        actor = actor_for_user(request.user, request.session.get(SESSION_KEY), Channel.ADMIN)
        request_id = request.headers.get("X-Request-ID", "")
        if request_id:
            actor = replace(actor, request_id=request_id[:64])
        setattr(request, _ATTR, actor)
        setattr(request.user, _ATTR, actor)
    return actor


def user_actor(user) -> Actor:
    """The actor primed by `admin_actor`, or (outside our views) the user's first membership."""
    actor = getattr(user, _ATTR, None)
    if actor is None:
        actor = actor_for_user(user, None, Channel.ADMIN)
        setattr(user, _ATTR, actor)
    return actor


def is_register_staff(user) -> bool:
    """The register back-office is for staff ("toegang tot beheer"); superusers always."""
    return bool(user.is_active and (user.is_superuser or user.is_staff))


class ActorMenuItem(ModelAdminMenuItem):
    """Resolves the actor from the request before the helper decides whether to show the item."""

    def is_shown(self, request):
        if not is_register_staff(request.user):
            return False
        admin_actor(request)
        return super().is_shown(request)


class ReadOnlyPermissionHelper(PermissionHelper):
    """File-managed definitions (registers, schemas): staff may look, nobody edits here."""

    def user_can_list(self, user):
        return is_register_staff(user)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and is_register_staff(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


def reads_admin_beheer(user) -> bool:
    """Organisations, accounts, the inbox and the audit log: functioneel beheer, and
    VNG-raadplegers (read-only)."""
    return is_register_staff(user) and reads_beheer(user_actor(user))


def decides_beheer(user) -> bool:
    """Only functioneel beheer changes organisations and accounts or decides in the inbox."""
    return is_register_staff(user) and user_actor(user).is_functioneel_beheerder


READ_ONLY_MESSAGE = "U kunt hier alleen meekijken; wijzigen is voorbehouden aan functioneel beheer."


def refuse_readonly_posts(view):
    """A POST from someone who may not change anything here is refused with 403 at once.

    Wagtail turns a PermissionDenied into a redirect to the dashboard; a forged form post
    deserves a plain refusal, before any view code runs.
    """

    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if is_register_staff(request.user):
                admin_actor(request)  # the session's organisation, not the first membership
            if not decides_beheer(request.user):
                return HttpResponseForbidden(READ_ONLY_MESSAGE)
        return view(request, *args, **kwargs)

    return wrapped


class BeheerPermissionHelper(PermissionHelper):
    """Lists and inspect pages for `reads_admin_beheer`; changes for functioneel beheer.

    Nothing is deleted here: organisations are deactivated or merged, accounts deactivated.
    """

    def user_can_list(self, user):
        return reads_admin_beheer(user)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and reads_admin_beheer(user)

    def user_can_create(self, user):
        return decides_beheer(user)

    def user_can_edit_obj(self, user, obj):
        return decides_beheer(user)

    def user_can_delete_obj(self, user, obj):
        return False


class NobodyWritesPermissionHelper(BeheerPermissionHelper):
    """The audit log: read by `reads_admin_beheer`, written only by the services."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False


def _allowed_ids(ids, actor: Actor, action: str) -> set[int]:
    """Which of these objects the actor may update or delete, in one query."""
    qs = Object.objects.filter(pk__in=ids).exclude(status=ObjectStatus.GEARCHIVEERD)
    return set(
        access.editable_by(qs, catalog.specs_by_schema_id(), actor, action=action).values_list(
            "pk", flat=True
        )
    )


class ObjectPermissionHelper(PermissionHelper):
    """Delegates every decision to the schema's access policy for the request's actor."""

    def user_can_list(self, user):
        return is_register_staff(user)

    def user_can_create(self, user):
        if not is_register_staff(user):
            return False
        actor = user_actor(user)
        return any(access.may_create(e.spec, actor) for e in catalog.all_entries())

    def user_can_inspect_obj(self, user, obj):
        if not is_register_staff(user):
            return False
        qs = Object.objects.filter(pk=obj.pk)
        return access.visible_to(
            qs, catalog.specs_by_schema_id(), user_actor(user), archived=True
        ).exists()

    def user_can_edit_obj(self, user, obj):
        return is_register_staff(user) and obj.pk in _allowed_ids(
            [obj.pk], user_actor(user), "update"
        )

    def user_can_delete_obj(self, user, obj):
        return is_register_staff(user) and obj.pk in _allowed_ids(
            [obj.pk], user_actor(user), "delete"
        )


class ObjectButtonHelper(ButtonHelper):
    """Row buttons from permissions the index view computed for the whole page at once."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        rows = getattr(self.view, "row_permissions", None)
        if rows is None:
            return super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        exclude = exclude or []
        buttons = []
        if "inspect" not in exclude:
            buttons.append(self.inspect_button(obj.pk, classnames_add, classnames_exclude))
        if "edit" not in exclude and obj.pk in rows["update"]:
            buttons.append(self.edit_button(obj.pk, classnames_add, classnames_exclude))
        if "delete" not in exclude and obj.pk in rows["delete"]:
            buttons.append(self.delete_button(obj.pk, classnames_add, classnames_exclude))
        return buttons

    def get_primary_button(self, obj):
        """The link on the title: edit when allowed, else inspect (from the page's permissions)."""
        rows = getattr(self.view, "row_permissions", None)
        if rows is None:
            return super().get_primary_button(obj)
        if obj.pk in rows["update"]:
            return self.edit_button(obj.pk)
        return self.inspect_button(obj.pk)

    def delete_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().delete_button(pk, classnames_add, classnames_exclude)
        button.update(label="Archiveren", title="Dit object archiveren")
        return button


def row_permissions(ids, actor: Actor) -> dict[str, set[int]]:
    """Update/delete permission for a page of objects: two queries, not two per row."""
    return {
        "update": _allowed_ids(ids, actor, "update"),
        "delete": _allowed_ids(ids, actor, "delete"),
    }


def visible_objects(actor: Actor, archived: bool = False):
    return access.visible_to(Object.objects.all(), catalog.specs_by_schema_id(), actor, archived)
