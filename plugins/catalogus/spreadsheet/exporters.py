"""The bundle formats CSV, CSV with semicolons and Excel, for a landscape (`landschap`), its
koppelingen (`koppelingen`) and a supplier's offer (`aanbod`).

Excel holds one sheet per kind of object. A CSV file holds one table: the sheet the
selection's `blad` names (`?blad=Versies`), by default the first (Applicaties); a
landscape's koppelingen also have their own kind (`soort=koppelingen`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.plugins import BundleExporter
from plugins.catalogus.exports import UnknownSheet
from plugins.catalogus.selection import AANBOD, KOPPELINGEN, LANDSCHAP
from plugins.catalogus.spreadsheet import columns as c
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
    # the other tables a one-table file can hold, per kind (`blad=`; the first is the default)
    tables = {
        LANDSCHAP: (c.DIENSTEN, c.CONTRACTEN),
        AANBOD: (c.VERSIES, c.KOPPELINGEN, c.DIENSTEN, c.STANDAARDEN),
    }

    def export(self, *, kind, selection, actor):
        """Not a generator: an unknown `blad` is refused before the response starts."""
        found = sheets(kind, selection, actor)
        wanted = getattr(selection, "blad", "") or found[0].name
        sheet = next((s for s in found if s.name.lower() == wanted.lower()), None)
        if sheet is None:
            raise UnknownSheet(
                _("Onbekend blad '%(blad)s'; kies uit: %(known)s.")
                % {"blad": wanted, "known": ", ".join(s.name for s in found)}
            )
        return csv_bytes(sheet, self.delimiter)


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
