"""Admin views for register objects; every write goes through `core.services`.

The modeladmin base views are kept for their URLs, headers and buttons; what they would do
with a ModelForm (`form.save()`, `instance.delete()`) is replaced by the service calls.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail_modeladmin.views import IndexView, InspectView, InstanceSpecificView, WMABaseView

from core import services
from core.admin.display import Titles, data_rows, history_rows
from core.admin.forms import VERSION_FIELD, ObjectForm
from core.admin.permissions import admin_actor, row_permissions
from core.constants import ObjectStatus
from core.models import ObjectVersion
from core.register import access, catalog

__all__ = [
    "ObjectArchiveView",
    "ObjectCreateView",
    "ObjectEditView",
    "ObjectHistoryView",
    "ObjectIndexView",
    "ObjectInspectView",
]

INVALID = "Het object is niet opgeslagen: controleer de gemarkeerde velden."
RECENT_VERSIONS = 10


class ActorMixin:
    """Resolves the request's actor before modeladmin asks its permission helper anything."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.actor = admin_actor(request)


class SafeIndexView(IndexView):
    """Only the declared list filters: modeladmin would apply any other URL parameter as an
    ORM lookup, which could probe hidden fields, invisible objects or password hashes."""

    def get_filters(self, request):
        filter_specs, has_filters, leftover, use_distinct = super().get_filters(request)
        if leftover:
            raise BadRequest("Onbekende filterparameter(s): " + ", ".join(sorted(leftover)))
        return filter_specs, has_filters, leftover, use_distinct


class ObjectIndexView(ActorMixin, SafeIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = [obj.pk for obj in context["object_list"]]
        self.row_permissions = row_permissions(ids, self.actor)
        return context


class ObjectCreateView(ActorMixin, WMABaseView):
    """Two steps: choose a schema (`?schema=` absent), then fill the form generated from it."""

    page_title = "Nieuw object"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_create(user)

    def get_template_names(self):
        if self.entry is None:
            return ["swc_admin/object_choose_schema.html"]
        return ["swc_admin/object_form.html"]

    @cached_property
    def entry(self):
        collection = self.request.GET.get("schema")
        return catalog.by_collection(collection) if collection else None

    def get_page_subtitle(self):
        return self.entry.schema.naam if self.entry else "Kies een soort"

    def get(self, request, *args, **kwargs):
        if request.GET.get("schema") and self.entry is None:
            messages.error(request, "Dit schema bestaat niet (meer).")
            return redirect(self.create_url)
        if self.entry is None:
            return self.render_to_response(self.get_context_data(choices=self.creatable()))
        if not access.may_create(self.entry.spec, self.actor):
            messages.error(request, f"U mag geen {self.entry.schema.naam.lower()} aanmaken.")
            return redirect(self.create_url)
        return self.render_form(ObjectForm(self.entry, self.actor))

    def creatable(self) -> list:
        return [e for e in catalog.all_entries() if access.may_create(e.spec, self.actor)]

    def post(self, request, *args, **kwargs):
        if self.entry is None:
            raise Http404("Onbekend schema")
        form = ObjectForm(self.entry, self.actor, data=request.POST)
        if form.is_valid():
            try:
                obj = services.create_object(
                    self.entry,
                    form.to_data(),
                    actor=self.actor,
                    status=form.status,
                    organisation=form.owner,
                )
            except services.ValidationFailed as exc:
                form.add_service_errors(exc.errors)
            except services.NotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"{self.entry.schema.naam} '{obj}' is aangemaakt.",
                    buttons=[
                        messages.button(self.url_helper.get_action_url("edit", obj.pk), "Bewerken")
                    ],
                )
                return redirect(self.index_url)
        messages.validation_error(request, INVALID, form)
        return self.render_form(form)

    def render_form(self, form):
        action = f"{self.create_url}?schema={self.entry.spec.collection}"
        return self.render_to_response(
            self.get_context_data(form=form, entry=self.entry, form_action=action, creating=True)
        )


class ObjectInstanceMixin(ActorMixin):
    """An object the actor cannot see does not exist for them (404, not 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_inspect_obj(request.user, self.instance):
            raise Http404("Onbekend object")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def entry(self):
        entry = catalog.by_schema_id(self.instance.schema_id)
        if entry is None:
            raise Http404("Het schema van dit object is niet geladen.")
        return entry

    def get_page_subtitle(self):
        return str(self.instance)


class ObjectEditView(ObjectInstanceMixin, InstanceSpecificView):
    """Edits through update_object with the version the form was opened at (optimistic lock)."""

    page_title = "Bewerken"
    template_name = "swc_admin/object_form.html"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_edit_obj(user, self.instance)

    def get(self, request, *args, **kwargs):
        return self.render_form(ObjectForm(self.entry, self.actor, obj=self.instance))

    def post(self, request, *args, **kwargs):
        form = ObjectForm(self.entry, self.actor, obj=self.instance, data=request.POST)
        if form.is_valid():
            try:
                obj = services.update_object(
                    self.instance,
                    form.to_data(),
                    actor=self.actor,
                    expected_version=form.expected_version,
                    status=form.status,
                )
            except services.ValidationFailed as exc:
                form.add_service_errors(exc.errors)
            except (services.NotAllowed, services.Conflict) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Object '{obj}' is bijgewerkt.")
                return redirect(self.index_url)
        messages.validation_error(request, INVALID, form)
        return self.render_form(form)

    def render_form(self, form):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                entry=self.entry,
                form_action=self.edit_url,
                owner=self.instance.organisation,
                history_url=self.url_helper.get_action_url("history", self.instance.pk),
            )
        )


class ObjectArchiveView(ObjectInstanceMixin, InstanceSpecificView):
    """Removing an object in the admin archives it; references still in use refuse it."""

    page_title = "Archiveren"
    template_name = "swc_admin/object_archive.html"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_delete_obj(user, self.instance)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(version_field=VERSION_FIELD))

    def post(self, request, *args, **kwargs):
        raw = request.POST.get(VERSION_FIELD, "")
        expected = int(raw) if raw.isdigit() else None
        try:
            services.archive_object(self.instance, actor=self.actor, expected_version=expected)
        except (services.Conflict, services.NotAllowed) as exc:
            messages.error(request, str(exc))
            context = self.get_context_data(version_field=VERSION_FIELD, error=str(exc))
            return self.render_to_response(context)
        messages.success(request, f"Object '{self.instance}' is gearchiveerd.")
        return redirect(self.index_url)


def _versions(obj):
    return ObjectVersion.objects.filter(object=obj).select_related("user", "organisation")


class ObjectInspectView(ObjectInstanceMixin, InspectView):
    """The current data as the actor may see it, and the most recent history."""

    page_title = "Object"
    template_name = "swc_admin/object_inspect.html"

    def get_template_names(self):
        return [self.template_name]

    def get_context_data(self, **kwargs):
        obj, spec = self.instance, catalog.spec_of(self.instance)
        hidden = access.hidden_fields(spec, self.actor, obj.organisation_id, obj.data)
        versions = list(_versions(obj).order_by("-version")[:RECENT_VERSIONS])
        return super().get_context_data(
            rows=data_rows(spec, obj.data, hidden, Titles(spec, [obj.data], self.actor)),
            history=history_rows(obj, versions, spec, self.actor),
            history_url=self.url_helper.get_action_url("history", obj.pk),
            archived=obj.status == ObjectStatus.GEARCHIVEERD,
            **kwargs,
        )

    def get_fields_dict(self):
        obj = self.instance
        return [
            {"label": "Schema", "value": obj.schema.naam},
            {"label": "Eigenaar", "value": obj.organisation.display_name},
            {"label": "Status", "value": obj.get_status_display()},
            {"label": "Versie", "value": obj.version},
            {"label": "UUID", "value": obj.uuid},
            {"label": "Gewijzigd", "value": obj.updated_at},
        ]


class ObjectHistoryView(ObjectInstanceMixin, InstanceSpecificView):
    """Every ObjectVersion of the object, newest first, without fields the actor may not see."""

    page_title = "Geschiedenis"
    template_name = "swc_admin/object_history.html"
    per_page = 50

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)

    def get_context_data(self, **kwargs):
        paginator = Paginator(_versions(self.instance).order_by("-version"), self.per_page)
        page = paginator.get_page(self.request.GET.get("p"))
        spec = catalog.spec_of(self.instance)
        return super().get_context_data(
            page=page,
            history=history_rows(self.instance, list(page.object_list), spec, self.actor),
            inspect_url=self.url_helper.get_action_url("inspect", self.instance.pk),
            **kwargs,
        )
