"""Streams list rows as an Excel workbook (.xlsx), with the CSV exporter's columns and rows.

openpyxl's write-only mode keeps rows on disk, not in memory; the finished file is read back
in chunks. Unlike CSV, cells are typed: numbers stay numbers, `format: date` properties
become dates, and text is always stored as text, so it is never run as a formula (no
apostrophe needed)."""

from __future__ import annotations

import tempfile
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.plugins import Exporter
from core.plugins.formats import xml_safe
from plugins.csv_export.exporter import Column, columns, line, text

CHUNK = 64 * 1024
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
    cell = WriteOnlyCell(sheet, value=xml_safe(text(value)))
    cell.data_type = "s"  # text, even when it starts with "="
    return cell


class XlsxExporter(Exporter):
    slug = "xlsx"
    naam = "Excel (.xlsx)"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def export(self, *, rows, spec, fields, actor):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=spec.collection[:SHEET_TITLE_MAX])
        sheet.freeze_panes = "A2"
        cols = columns(spec, fields)
        bold = Font(bold=True)
        header = []
        for column in cols:
            cell = WriteOnlyCell(sheet, value=column.title)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            values = line(row, spec, fields)
            sheet.append([_value(sheet, v, c) for v, c in zip(values, cols, strict=True)])
        with tempfile.TemporaryFile() as out:
            workbook.save(out)
            out.seek(0)
            while chunk := out.read(CHUNK):
                yield chunk
