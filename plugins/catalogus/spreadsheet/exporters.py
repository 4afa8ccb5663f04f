"""The bundle formats CSV, CSV with semicolons and Excel, for a landscape (`landschap`), its
koppelingen (`koppelingen`) and a supplier's offer (`aanbod`).

Excel holds one sheet per kind of object. A CSV file holds one table, so it is the first
sheet of the kind: the Applicaties sheet for a landscape or an offer; a landscape's
koppelingen have their own CSV (`soort=koppelingen`)."""

from __future__ import annotations

from core.plugins import BundleExporter
from plugins.catalogus.selection import AANBOD, KOPPELINGEN, LANDSCHAP
from plugins.catalogus.spreadsheet.sheets import sheets
from plugins.catalogus.spreadsheet.writers import csv_bytes, xlsx_bytes

KINDS = (LANDSCHAP, KOPPELINGEN, AANBOD)
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CsvBundleExporter(BundleExporter):
    slug = "csv"
    naam = "CSV"
    media_type = "text/csv; charset=utf-8"
    extension = "csv"
    kinds = KINDS
    delimiter = ","

    def export(self, *, kind, selection, actor):
        yield from csv_bytes(sheets(kind, selection, actor)[0], self.delimiter)


class SemicolonCsvBundleExporter(CsvBundleExporter):
    """Dutch Excel opens a CSV with semicolons in columns (its list separator is ";")."""

    slug = "csv-puntkomma"
    naam = "CSV (puntkomma, voor Excel)"
    delimiter = ";"


class XlsxBundleExporter(BundleExporter):
    slug = "xlsx"
    naam = "Excel"
    media_type = XLSX_MEDIA_TYPE
    extension = "xlsx"
    kinds = KINDS

    def export(self, *, kind, selection, actor):
        yield from xlsx_bytes(sheets(kind, selection, actor))


def bundle_exporters() -> list[BundleExporter]:
    return [CsvBundleExporter(), SemicolonCsvBundleExporter(), XlsxBundleExporter()]
