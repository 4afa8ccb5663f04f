"""The "Register" menu: organisations, registers, schemas and objects (wagtail-modeladmin)."""

from __future__ import annotations

from django.contrib.admin import SimpleListFilter, display
from django.contrib.auth.models import Permission
from django.db.models import Count
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

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
    FunctioneelBeheerPermissionHelper,
    ObjectButtonHelper,
    ObjectPermissionHelper,
    ReadOnlyPermissionHelper,
    admin_actor,
    visible_objects,
)
from core.admin.views import SchemaInspectView
from core.constants import ObjectStatus
from core.models import Object, Organisation, Register, Schema
from core.register import catalog

__all__ = [
    "ObjectAdmin",
    "OrganisationAdmin",
    "RegisterAdmin",
    "RegisterGroup",
    "SchemaAdmin",
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


class OrganisationAdmin(BaseAdmin):
    model = Organisation
    menu_label = "Organisaties"
    menu_icon = "group"
    list_display = ("naam", "type", "status", "provincie")
    list_filter = ("type", "status")
    search_fields = ("naam", "weergavenaam", "cbs_code", "kvk_nummer")
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["id", "uuid", "logo"]
    permission_helper_class = FunctioneelBeheerPermissionHelper


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
