"""Admin registration: the GEMMA import screen, for functioneel beheer only."""

from django.urls import path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plugins.ameff_export.views import GemmaImportView, may_import


class FunctioneelBeheerMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request)


@hooks.register("register_admin_urls")
def register_gemma_import_url():
    return [path("gemma-import/", GemmaImportView.as_view(), name="ameff_export_import")]


@hooks.register("register_admin_menu_item")
def register_gemma_import_menu_item():
    return FunctioneelBeheerMenuItem(
        "GEMMA-import",
        reverse_lazy("ameff_export_import"),
        name="gemma-import",
        icon_name="upload",
        order=910,
    )
