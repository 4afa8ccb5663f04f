"""Wagtail admin registration: the "Register" and "Gebruikersbeheer" menus, the "Te
beoordelen" inbox and the list of loaded plugins."""

from django.urls import path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import modeladmin_register

from core.admin.inbox import InboxMenuItem, InboxView, add_inbox_panel
from core.admin.modeladmins import AccountsGroup, RegisterGroup
from core.admin.permissions import is_register_staff, refuse_readonly_posts
from core.admin.views import PluginsView
from core.models import WizardText

modeladmin_register(RegisterGroup)
modeladmin_register(AccountsGroup)
hooks.register("construct_homepage_panels", add_inbox_panel)


class StaffMenuItem(MenuItem):
    """Shown to staff only: content editors with admin access do not manage the platform."""

    def is_shown(self, request):
        return is_register_staff(request.user)


@hooks.register("register_admin_urls")
def register_plugin_urls():
    return [path("plugins/", PluginsView.as_view(), name="swc_plugins")]


@hooks.register("register_admin_urls")
def register_inbox_urls():
    return [path("te-beoordelen/", refuse_readonly_posts(InboxView.as_view()), name="swc_inbox")]


@hooks.register("register_admin_menu_item")
def register_plugins_menu_item():
    return StaffMenuItem(
        "Plugins", reverse_lazy("swc_plugins"), name="plugins", icon_name="cogs", order=900
    )


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(
        "Te beoordelen",
        reverse_lazy("swc_inbox"),
        name="te-beoordelen",
        icon_name="tasks",
        order=150,
    )


class WizardTextViewSet(SnippetViewSet):
    """Editors change the wizards' titles, texts and info boxes; rows come from `prepare`."""

    model = WizardText
    icon = "form"
    menu_label = "Wizardteksten"
    menu_order = 300
    add_to_admin_menu = False
    list_display = ["wizard", "step", "titel"]
    list_filter = ["wizard"]
    search_fields = ["titel", "tekst"]
    inspect_view_enabled = False


register_snippet(WizardTextViewSet)
