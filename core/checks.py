"""System checks: plugin hooks match their specs; demo credentials never in production."""

from django.conf import settings
from django.core import checks
from pluggy import PluginValidationError


@checks.register()
def plugin_hooks(app_configs, **kwargs):
    from django.core.exceptions import ImproperlyConfigured

    from core.plugins.manager import pm, registries

    try:
        pm.check_pending()
    except PluginValidationError as exc:
        return [checks.Error(f"Plugin-hook zonder specificatie: {exc}", id="swc.E001")]
    try:
        registries.cache_clear()
        registries()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="swc.E003")]
    return []


@checks.register(deploy=False)
def demo_only_in_debug(app_configs, **kwargs):
    if getattr(settings, "DEMO", False) and not settings.DEBUG:
        return [
            checks.Critical(
                "Democredentials (SWC_DEMO=1) zijn niet toegestaan als DEBUG uit staat.",
                hint="Zet SWC_DEMO uit in productie.",
                id="swc.E002",
            )
        ]
    return []
