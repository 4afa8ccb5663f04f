"""An uploaded spreadsheet (.xlsx, or .csv with commas or semicolons) as rows of the
Applicaties sheet: each row's number as people see it (the header is row 1) and its cells
by normalised header. Reading never writes; problems with the file as a whole raise
`FileProblem` with a Dutch message."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from plugins.catalogus.spreadsheet.columns import APPLICATIES
from plugins.csv_export.exporter import FORMULA_START

MAX_ROWS = 20_000


class FileProblem(ValueError):
    """The file cannot be read as a landscape (wrong type, no Applicaties sheet …)."""


@dataclass
class Table:
    sheet: str
    headers: list[str]  # as written in the file
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


def normalise(header) -> str:
    return " ".join(str(header or "").split()).lower()


def _text(value):
    """A cell as the import sees it: text stripped (the export's formula guard undone),
    dates as `date`, numbers as they are, empty as None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text or None


def _table(sheet: str, lines) -> Table:
    """Rows (iterables of cells) into a Table; the first non-empty row is the header."""
    headers: list[str] = []
    table = Table(sheet=sheet, headers=headers)
    for number, line in enumerate(lines, start=1):
        cells = [_text(v) for v in line]
        if not headers:
            if any(v is not None for v in cells):
                headers.extend(str(v or "") for v in cells)
                keys = [normalise(h) for h in headers]
            continue
        if all(v is None for v in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileProblem(
                _("Het bestand heeft meer dan %(max)s rijen; splits het in delen.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        row = {key: value for key, value in zip(keys, cells, strict=False) if key}
        table.rows.append((number, row))
    if not headers:
        raise FileProblem(_("Het blad %(blad)s is leeg.") % {"blad": sheet})
    return table


def read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("Dit is geen geldig Excel-bestand (.xlsx).")) from exc
    try:
        names = {normalise(name): name for name in wb.sheetnames}
        name = names.get(normalise(APPLICATIES))
        if name is None:
            raise FileProblem(
                _("Het bestand heeft geen blad %(blad)s; de bladen zijn: %(bladen)s.")
                % {"blad": APPLICATIES, "bladen": ", ".join(wb.sheetnames)}
            )
        ws = wb[name]
        ws.reset_dimensions()  # trust the rows, not a stored (often wrong) dimension
        return _table(APPLICATIES, ws.iter_rows(values_only=True))
    finally:
        wb.close()


def read_csv(content: bytes) -> Table:
    """A CSV: UTF-8 (with or without BOM), else Windows-1252 as older Excel saves it; the
    separator is whichever of ; and , the header line uses most."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return _table(APPLICATIES, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem(_("Het CSV-bestand is niet te lezen: %s") % exc) from exc


def read_upload(name: str, content: bytes) -> Table:
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(content)
    if lower.endswith(".csv"):
        return read_csv(content)
    raise FileProblem(_("Kies een Excel-bestand (.xlsx) of een CSV-bestand (.csv)."))
