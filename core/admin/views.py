"""Admin views outside the object life cycle: schema inspection and the loaded plugins."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail_modeladmin.views import InspectView

from core.admin.display import property_order
from core.admin.permissions import is_register_staff
from core.plugins.manager import loaded_plugins
from core.register.spec import SchemaError, parse

__all__ = ["PluginsView", "SchemaInspectView"]


class SchemaInspectView(InspectView):
    """A schema with all its published versions; definitions are file-managed, so read-only."""

    page_title = "Schema"
    template_name = "swc_admin/schema_inspect.html"

    def get_template_names(self):
        return [self.template_name]

    def get_fields_dict(self):
        schema = self.instance
        current = schema.current_version
        return [
            {"label": "Naam", "value": schema.naam},
            {"label": "Register", "value": schema.register.naam},
            {"label": "Sleutel", "value": f"{schema.register.slug}/{schema.slug}"},
            {"label": "API-collectie", "value": f"/api/v1/{schema.collection}"},
            {"label": "Huidige versie", "value": current.number if current else "—"},
        ]

    def get_context_data(self, **kwargs):
        schema = self.instance
        current = schema.current_version
        return super().get_context_data(
            versions=schema.versions.order_by("-number"),
            properties=_property_rows(current.definition, str(schema)) if current else [],
            definition=json.dumps(current.definition, ensure_ascii=False, indent=2)
            if current
            else "",
            **kwargs,
        )


def _property_rows(definition: dict, name: str) -> list[dict]:
    """What an administrator wants to know per property, read through our keyword parser."""
    try:
        spec = parse(definition, name)
    except SchemaError:
        return []
    rows = []
    for prop in property_order(spec):
        kind = prop.type
        if prop.relation:
            kind = f"relatie naar {prop.relation.target}" + (" (meerdere)" if prop.many else "")
        elif prop.definition.get("format"):
            kind = f"{kind} ({prop.definition['format']})"
        rows.append(
            {
                "name": prop.name,
                "label": prop.label,
                "kind": kind,
                "required": prop.name in spec.required,
                "audience": prop.audience,
                "derived": prop.server_only,
            }
        )
    return rows


class PluginsView(WagtailAdminTemplateMixin, TemplateView):
    """What the plugin manager loaded, so a developer can see whether their hooks are active."""

    page_title = "Plugins"
    header_icon = "cogs"
    template_name = "swc_admin/plugins.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_register_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Plugins"}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(plugins=loaded_plugins(), **kwargs)
