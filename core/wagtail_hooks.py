"""Wagtail admin registration: the "Register" menu group and the list of loaded plugins."""

from django.urls import path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import modeladmin_register

from core.admin.modeladmins import RegisterGroup
from core.admin.permissions import is_register_staff
from core.admin.views import PluginsView

modeladmin_register(RegisterGroup)


class StaffMenuItem(MenuItem):
    """Shown to staff only: content editors with admin access do not manage the platform."""

    def is_shown(self, request):
        return is_register_staff(request.user)


@hooks.register("register_admin_urls")
def register_plugin_urls():
    return [path("plugins/", PluginsView.as_view(), name="swc_plugins")]


@hooks.register("register_admin_menu_item")
def register_plugins_menu_item():
    return StaffMenuItem(
        "Plugins", reverse_lazy("swc_plugins"), name="plugins", icon_name="cogs", order=900
    )
