"""Registers the CSV exporter."""

from core.plugins import hookimpl
from plugins.csv_export.exporter import CsvExporter, SemicolonCsvExporter


@hookimpl
def register_exporters():
    return [CsvExporter(), SemicolonCsvExporter()]
