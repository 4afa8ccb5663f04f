"""What every .xlsx the catalogue writes shares (list exports here, the catalogue's
landscape and offer workbooks in plugins/catalogus/spreadsheet): openpyxl's write-only mode,
a bold frozen header row, text that stays text, and the finished file read back in chunks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.plugins.formats import xml_safe

CHUNK = 64 * 1024


def text_cell(sheet, value: str):
    """Text as Excel must keep it: never run as a formula ("=…") or read as an error code,
    without the characters XML cannot carry."""
    value = xml_safe(value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def add_sheet(workbook: Workbook, title: str, headers: Iterable[str], widths=()):
    """A new write-only sheet with a bold header row that stays in view. Column widths (in
    characters) must be known here: a write-only sheet fixes its layout at the first row."""
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    return sheet


def workbook_bytes(workbook: Workbook) -> Iterator[bytes]:
    """The workbook as a file, in chunks: openpyxl keeps the rows in temporary files while
    writing and zips them at the end; nothing holds the whole file in memory."""
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk
