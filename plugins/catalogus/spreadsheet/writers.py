"""Sheets into bytes: CSV (UTF-8 with BOM so Excel reads the accents, comma or semicolon,
ISO dates) and Excel (.xlsx through openpyxl's write-only mode: rows go to disk as they
come, real date cells, text that looks like a formula stays text).

The CSV guard against formula injection is the list exporter's (plugins/csv_export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from plugins.catalogus.spreadsheet.sheets import Sheet
from plugins.csv_export.exporter import csv_cell
from plugins.csv_export.workbook import add_sheet, text_cell, workbook_bytes

BOM = "\ufeff"
DATE_FORMAT = "DD-MM-YYYY"
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
    """A value as a cell: dates with a Dutch date format, text as text (`text_cell`)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        return text_cell(ws, value)
    return value


def write_sheet(wb: Workbook, sheet: Sheet) -> None:
    headers = [column.header for column in sheet.columns]
    ws = add_sheet(wb, sheet.name, headers, [column.width for column in sheet.columns])
    for row in sheet.rows:
        ws.append([_xlsx_cell(ws, v) for v in row])


def xlsx_bytes(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """A workbook with one sheet per kind, streamed (`workbook_bytes`)."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        write_sheet(wb, sheet)
    yield from workbook_bytes(wb)
