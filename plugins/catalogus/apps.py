from django.apps import AppConfig


class CatalogusConfig(AppConfig):
    name = "plugins.catalogus"
    label = "catalogus"
    verbose_name = "Softwarecatalogus"
    description = (
        "Regels van het catalogusregister over objecten heen (versie hoort bij applicatie, "
        "hostingvorm uit het aanbod, fasedata op volgorde) en een standaardversie voor SaaS."
    )
    plugin_version = "1.0.0"
