from django.apps import AppConfig


class CsvExportConfig(AppConfig):
    name = "plugins.csv_export"
    label = "csv_export"
    verbose_name = "CSV- en Excel-export"
    description = "Elke lijst als CSV (UTF-8 met BOM, puntkomma of komma) of Excel (.xlsx)."
    plugin_version = "1.0.0"
