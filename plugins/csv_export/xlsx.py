"""Streams list rows as an Excel workbook (.xlsx), with the CSV exporter's columns and rows.

openpyxl's write-only mode keeps rows on disk, not in memory; the finished file is read back
in chunks. Unlike CSV, cells are typed: numbers stay numbers, `format: date` properties
become dates, and text is always stored as text, so it is never run as a formula (no
apostrophe needed)."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from core.plugins import Exporter
from plugins.csv_export.exporter import Column, columns, line, text
from plugins.csv_export.workbook import add_sheet, text_cell, workbook_bytes

SHEET_TITLE_MAX = 31  # Excel's limit


def _value(sheet, value, column: Column):
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if column.format == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return text_cell(sheet, text(value))


class XlsxExporter(Exporter):
    slug = "xlsx"
    naam = "Excel (.xlsx)"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def export(self, *, rows, spec, fields, actor):
        workbook = Workbook(write_only=True)
        cols = columns(spec, fields)
        title = spec.collection[:SHEET_TITLE_MAX]
        sheet = add_sheet(workbook, title, [column.title for column in cols])
        for row in rows:
            values = line(row, spec, fields)
            sheet.append([_value(sheet, v, c) for v, c in zip(values, cols, strict=True)])
        yield from workbook_bytes(workbook)
