from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = "Softwarecatalogus"

    def ready(self) -> None:
        from core import checks  # noqa: F401  (registers system checks)
        from core.plugins import manager

        manager.load_plugins()
