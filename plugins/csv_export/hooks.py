"""Registers the CSV and Excel exporters."""

from core.plugins import hookimpl
from plugins.csv_export.exporter import CsvExporter, SemicolonCsvExporter
from plugins.csv_export.xlsx import XlsxExporter


@hookimpl
def register_exporters():
    return [CsvExporter(), SemicolonCsvExporter(), XlsxExporter()]
