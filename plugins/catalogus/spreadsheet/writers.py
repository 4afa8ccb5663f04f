"""Sheets into bytes: CSV (UTF-8 with BOM so Excel reads the accents, comma or semicolon,
ISO dates) and Excel (.xlsx through openpyxl's write-only mode: rows go to disk as they
come, real date cells, text that looks like a formula stays text).

The CSV guard against formula injection is the list exporter's (plugins/csv_export)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.plugins.formats import xml_safe
from plugins.catalogus.spreadsheet.sheets import Sheet
from plugins.csv_export.exporter import csv_cell

BOM = "\ufeff"
DATE_FORMAT = "DD-MM-YYYY"
FILE_CHUNK = 64 * 1024
CSV_CHUNK_ROWS = 200


def csv_value(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return csv_cell(value)


def csv_bytes(sheet: Sheet, delimiter: str = ",") -> Iterator[bytes]:
    """The sheet as CSV, in chunks of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([column.header for column in sheet.columns])
    for number, row in enumerate(sheet.rows, start=1):
        writer.writerow([csv_value(v) for v in row])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _xlsx_cell(ws, value):
    """A value as a cell: dates with a Dutch date format, text always as text (openpyxl
    would store "=…" as a formula), control characters Excel refuses removed."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        text = xml_safe(value)
        if text.startswith("="):
            cell = WriteOnlyCell(ws, value=text)
            cell.data_type = "s"
            return cell
        return text
    return value


def write_sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in sheet.rows:
        ws.append([_xlsx_cell(ws, v) for v in row])


def xlsx_bytes(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """A workbook with one sheet per kind. openpyxl keeps each sheet's rows in a temporary
    file while writing and zips them at the end; the result is read back in chunks."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        write_sheet(wb, sheet)
    with tempfile.TemporaryFile() as out:
        wb.save(out)
        out.seek(0)
        while chunk := out.read(FILE_CHUNK):
            yield chunk
