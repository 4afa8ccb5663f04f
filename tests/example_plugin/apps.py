from django.apps import AppConfig


class ExamplePluginConfig(AppConfig):
    name = "tests.example_plugin"
    label = "example_plugin"
    verbose_name = "Voorbeeldplugin"
    description = "Laat elke hook zien; alleen geladen in de tests."
    plugin_version = "0.1.0"
