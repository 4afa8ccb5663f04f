"""The "Register" menu: organisations, registers, schemas and objects (wagtail-modeladmin)."""

from __future__ import annotations

from django.contrib.admin import SimpleListFilter, display
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef
from django.urls import re_path
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from core.accounts.roles import active_beheerders, role_label
from core.admin import accounts
from core.admin.object_views import (
    ObjectArchiveView,
    ObjectCreateView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectIndexView,
    ObjectInspectView,
    SafeIndexView,
)
from core.admin.permissions import (
    ActorMenuItem,
    BeheerPermissionHelper,
    NobodyWritesPermissionHelper,
    ObjectButtonHelper,
    ObjectPermissionHelper,
    ReadOnlyPermissionHelper,
    admin_actor,
    decides_beheer,
    refuse_readonly_posts,
    user_actor,
    visible_objects,
)
from core.admin.views import SchemaInspectView
from core.constants import ObjectStatus, OrganisationStatus
from core.models import AuditEntry, Membership, Object, Organisation, Register, Schema, User
from core.register import catalog

__all__ = [
    "AccountsGroup",
    "AuditEntryAdmin",
    "MembershipAdmin",
    "ObjectAdmin",
    "OrganisationAdmin",
    "RegisterAdmin",
    "RegisterGroup",
    "SchemaAdmin",
    "UserAdmin",
]


def with_actor(view):
    """Resolve the session's actor before modeladmin's views ask their permission helper."""

    def wrapped(request, *args, **kwargs):
        admin_actor(request)
        return view(request, *args, **kwargs)

    return wrapped


class BaseAdmin(ModelAdmin):
    """Actor-aware views and menu items; no Wagtail reference index (the register has its own)."""

    index_view_class = SafeIndexView

    def get_menu_item(self, order=None):
        return ActorMenuItem(self, order or self.get_menu_order())

    def get_permissions_for_registration(self):
        """None to assign in Wagtail's group settings: access follows the actor's role."""
        return Permission.objects.none()

    def get_admin_urls_for_registration(self):
        return tuple(decorate_urlpatterns(super().get_admin_urls_for_registration(), with_actor))

    def register_indexing(self):
        """Skipped: Wagtail would add a post-save task to every write of these models."""


class OrganisationPermissionHelper(BeheerPermissionHelper):
    """A merged organisation is history: it opens, but is no longer edited."""

    def user_can_edit_obj(self, user, obj):
        return (
            super().user_can_edit_obj(user, obj) and obj.status != OrganisationStatus.SAMENGEVOEGD
        )


class BeheerAdmin(BaseAdmin):
    """Organisations and accounts: functioneel beheer changes, VNG-raadplegers look.

    Every URL refuses a POST from anyone else with 403 before the view runs.
    """

    permission_helper_class = BeheerPermissionHelper
    extra_instance_views: dict = {}

    def get_admin_urls_for_registration(self):
        urls = tuple(super().get_admin_urls_for_registration())
        for action, view_class in self.extra_instance_views.items():

            def view(request, instance_pk, view_class=view_class):
                return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

            urls += (
                re_path(
                    self.url_helper.get_action_url_pattern(action),
                    with_actor(view),
                    name=self.url_helper.get_action_url_name(action),
                ),
            )
        return tuple(decorate_urlpatterns(urls, refuse_readonly_posts))


class OrganisationAdmin(BeheerAdmin):
    model = Organisation
    menu_label = "Organisaties"
    menu_icon = "group"
    list_display = ("naam", "type", "status", "provincie", "beheerder")
    list_filter = ("type", "status")
    search_fields = ("naam", "weergavenaam", "cbs_code", "kvk_nummer")
    list_per_page = 50
    inspect_view_enabled = True
    permission_helper_class = OrganisationPermissionHelper
    create_view_class = accounts.OrganisationCreateView
    edit_view_class = accounts.OrganisationEditView
    inspect_view_class = accounts.OrganisationInspectView
    extra_instance_views = {
        "status": accounts.OrganisationStatusView,
        "samenvoegen": accounts.OrganisationMergeView,
    }

    def get_queryset(self, request):
        """Merged organisations leave the list unless asked for by the status filter."""
        qs = (
            super()
            .get_queryset(request)
            .annotate(has_beheerder=Exists(active_beheerders().filter(organisation=OuterRef("pk"))))
        )
        if request.GET.get("status__exact") != OrganisationStatus.SAMENGEVOEGD:
            qs = qs.exclude(status=OrganisationStatus.SAMENGEVOEGD)
        return qs

    @display(description="Actieve beheerder", boolean=True, ordering="has_beheerder")
    def beheerder(self, obj):
        return obj.has_beheerder


class RegisterAdmin(BaseAdmin):
    model = Register
    menu_label = "Registers"
    menu_icon = "folder-open-inverse"
    list_display = ("naam", "slug", "schema_count")
    inspect_view_enabled = True
    inspect_view_fields = ["naam", "slug", "beschrijving"]
    history_view_enabled = False
    permission_helper_class = ReadOnlyPermissionHelper

    @display(description="Schema's", ordering="n_schemas")
    def schema_count(self, obj):
        return obj.n_schemas

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_schemas=Count("schemas"))


class SchemaAdmin(BaseAdmin):
    model = Schema
    menu_label = "Schema's"
    menu_icon = "form"
    list_display = ("naam", "register", "collection", "versie")
    list_filter = ("register",)
    list_select_related = ("register", "current_version")
    search_fields = ("naam", "slug", "collection")
    inspect_view_enabled = True
    inspect_view_class = SchemaInspectView
    history_view_enabled = False
    permission_helper_class = ReadOnlyPermissionHelper

    @display(description="Versie", ordering="current_version__number")
    def versie(self, obj):
        return obj.current_version.number if obj.current_version else None


class SchemaFilter(SimpleListFilter):
    """Schemas from the catalog (no query, names rather than register/slug)."""

    title = "schema"
    parameter_name = "schema"

    def lookups(self, request, model_admin):
        return [(str(e.schema.pk), e.schema.naam) for e in catalog.all_entries()]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(schema_id=int(value)) if value and value.isdigit() else queryset


class ObjectAdmin(BaseAdmin):
    model = Object
    menu_label = "Objecten"
    menu_icon = "doc-full"
    list_display = ("titel", "schema_naam", "eigenaar", "status_label", "gewijzigd")
    list_filter = (SchemaFilter, "status")
    search_fields = ("title",)
    ordering = ("-updated_at",)
    list_per_page = 50
    inspect_view_enabled = True
    index_view_class = ObjectIndexView
    create_view_class = ObjectCreateView
    edit_view_class = ObjectEditView
    delete_view_class = ObjectArchiveView
    inspect_view_class = ObjectInspectView
    history_view_class = ObjectHistoryView
    permission_helper_class = ObjectPermissionHelper
    button_helper_class = ObjectButtonHelper

    def get_queryset(self, request):
        """Only what the actor may read, filtered in SQL; archived ones only on request."""
        archived = request.GET.get("status__exact") == ObjectStatus.GEARCHIVEERD
        qs = visible_objects(admin_actor(request), archived=archived)
        return qs.select_related("schema", "organisation").order_by(*self.ordering)

    @display(description="Titel", ordering="title")
    def titel(self, obj):
        return str(obj)

    @display(description="Schema", ordering="schema__naam")
    def schema_naam(self, obj):
        return obj.schema.naam

    @display(description="Eigenaar", ordering="organisation__naam")
    def eigenaar(self, obj):
        return obj.organisation.display_name

    @display(description="Status", ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @display(description="Gewijzigd", ordering="updated_at")
    def gewijzigd(self, obj):
        return obj.updated_at


class RegisterGroup(ModelAdminGroup):
    menu_label = "Register"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (OrganisationAdmin, RegisterAdmin, SchemaAdmin, ObjectAdmin)


# --- accounts: users, memberships, the audit log ------------------------------------


class UserPermissionHelper(BeheerPermissionHelper):
    """Accounts arrive by invitation, never created here; a superuser's account is changed
    only by a superuser."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        if obj.is_superuser and not user_actor(user).is_superuser:
            return False
        return decides_beheer(user)


class TwoFactorFilter(SimpleListFilter):
    title = "tweestapsverificatie"
    parameter_name = "tweestaps"

    def lookups(self, request, model_admin):
        return [("aan", "Aan"), ("uit", "Uit")]

    def queryset(self, request, queryset):
        if self.value() in ("aan", "uit"):
            return queryset.filter(has_2fa=self.value() == "aan")
        return queryset


class UserAdmin(BeheerAdmin):
    model = User
    menu_label = "Gebruikers"
    menu_icon = "user"
    list_display = ("email", "naam", "actief", "laatst_ingelogd", "tweestaps", "superuser")
    list_filter = ("is_active", "is_superuser", TwoFactorFilter)
    search_fields = ("email", "voornaam", "achternaam")
    ordering = ("email",)
    list_per_page = 50
    inspect_view_enabled = True
    permission_helper_class = UserPermissionHelper
    edit_view_class = accounts.UserEditView
    inspect_view_class = accounts.UserInspectView

    def get_queryset(self, request):
        return accounts.with_two_factor(super().get_queryset(request))

    @display(description="Naam", ordering="achternaam")
    def naam(self, obj):
        return obj.get_full_name() or "—"

    @display(description="Actief", boolean=True, ordering="is_active")
    def actief(self, obj):
        return obj.is_active

    @display(description="Laatst ingelogd", ordering="last_login")
    def laatst_ingelogd(self, obj):
        return obj.last_login

    @display(description="2FA", boolean=True, ordering="has_2fa")
    def tweestaps(self, obj):
        return obj.has_2fa

    @display(description="Superuser", boolean=True, ordering="is_superuser")
    def superuser(self, obj):
        return obj.is_superuser


class MembershipAdmin(BeheerAdmin):
    model = Membership
    menu_label = "Lidmaatschappen"
    menu_icon = "link"
    list_display = ("gebruiker", "organisatie", "organisatietype", "rol", "actief", "aanspreekpunt")
    list_filter = ("role", "organisation__type", "actief")
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "user__achternaam", "organisation__naam")
    ordering = ("organisation__naam", "user__email")
    list_per_page = 50
    inspect_view_enabled = True
    create_view_class = accounts.MembershipCreateView
    edit_view_class = accounts.MembershipEditView
    inspect_view_class = accounts.MembershipInspectView

    @display(description="Gebruiker", ordering="user__email")
    def gebruiker(self, obj):
        return obj.user.email

    @display(description="Organisatie", ordering="organisation__naam")
    def organisatie(self, obj):
        return obj.organisation.display_name

    @display(description="Type", ordering="organisation__type")
    def organisatietype(self, obj):
        return obj.organisation.get_type_display()

    @display(description="Rol", ordering="role")
    def rol(self, obj):
        return role_label(obj.role)

    @display(description="Actief", boolean=True, ordering="actief")
    def actief(self, obj):
        return obj.actief

    @display(description="Aanspreekpunt", boolean=True, ordering="is_aanspreekpunt")
    def aanspreekpunt(self, obj):
        return obj.is_aanspreekpunt


class ActionFilter(SimpleListFilter):
    """The actions that occur in the log (one indexed query), not a fixed list."""

    title = "actie"
    parameter_name = "actie"

    def lookups(self, request, model_admin):
        actions = AuditEntry.objects.order_by("action").values_list("action", flat=True)
        return [(a, a) for a in actions.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class AuditOrganisationFilter(SimpleListFilter):
    """Only organisations that occur in the log; the id also comes from an organisation page."""

    title = "organisatie"
    parameter_name = "organisation"

    def lookups(self, request, model_admin):
        ids = AuditEntry.objects.filter(organisation__isnull=False).values("organisation_id")
        return [
            (str(pk), naam)
            for pk, naam in Organisation.objects.filter(pk__in=ids)
            .order_by("naam")
            .values_list("pk", "naam")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        return (
            queryset.filter(organisation_id=int(value)) if value and value.isdigit() else queryset
        )


class AuditEntryAdmin(BeheerAdmin):
    model = AuditEntry
    menu_label = "Auditlog"
    menu_icon = "list-ul"
    list_display = ("at", "action", "user_email", "organisatie", "target", "channel")
    list_filter = (ActionFilter, AuditOrganisationFilter, "at")
    list_select_related = ("organisation",)
    search_fields = ("user_email", "target", "action")
    ordering = ("-at", "-id")
    list_per_page = 100
    inspect_view_enabled = True
    inspect_view_class = accounts.AuditInspectView
    permission_helper_class = NobodyWritesPermissionHelper

    @display(description="Organisatie", ordering="organisation__naam")
    def organisatie(self, obj):
        return obj.organisation.display_name if obj.organisation else "—"


class AccountsGroup(ModelAdminGroup):
    menu_label = "Gebruikersbeheer"
    menu_icon = "user"
    menu_order = 210
    items = (UserAdmin, MembershipAdmin, AuditEntryAdmin)
