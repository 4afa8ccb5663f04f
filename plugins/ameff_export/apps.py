from django.apps import AppConfig


class AmeffExportConfig(AppConfig):
    name = "plugins.ameff_export"
    label = "ameff_export"
    verbose_name = "AMEFF (ArchiMate)"
    description = "Importeert GEMMA-releases uit AMEFF en exporteert landschappen als AMEFF."
    plugin_version = "1.0.0"
