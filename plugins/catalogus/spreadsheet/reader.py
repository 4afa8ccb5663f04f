"""An uploaded spreadsheet (.xlsx, or .csv with commas or semicolons) as the tables the
import reads: the Applicaties and Koppelingen sheets of a workbook, or the one table of a
CSV (an Applicaties or a Koppelingen CSV, told apart by its header row). Each row has its
number as people see it (the header is row 1) and its cells by normalised header. Other
sheets (Diensten, Contracten of an export) are named as not read. Reading never writes;
problems with the file as a whole raise `FileProblem` with a Dutch message."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from plugins.catalogus.spreadsheet.columns import APPLICATIES, KOPPELINGEN
from plugins.csv_export.exporter import FORMULA_START

MAX_ROWS = 20_000
MAX_EMPTY_RUN = 1_000  # that many empty rows in a row end a sheet (Excel pads sheets)
MAX_UNZIPPED = 50 * 1024 * 1024  # an .xlsx is a zip: what it may unpack to
MAX_RATIO = 100  # unpacked / packed; a higher ratio is a zip bomb, not a spreadsheet
READ = (APPLICATIES, KOPPELINGEN)  # the sheets the import reads, in this order
EXPLANATION = "Toelichting"  # the template's explanation: not data, not worth a mention
KOPPELING_HEADERS = {"koppeling_id", "applicatie a", "applicatie_a_id"}


class FileProblem(ValueError):
    """The file cannot be read as a landscape (wrong type, no Applicaties sheet …)."""


@dataclass
class Table:
    sheet: str
    headers: list[str]  # as written in the file
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


@dataclass
class Upload:
    """The tables read from one file, by sheet (Applicaties and/or Koppelingen), and the
    sheets the file has that the import does not read."""

    tables: dict[str, Table]
    skipped: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(table.rows) for table in self.tables.values())


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


def _table(sheet: str, lines, counted: int = 0) -> Table:
    """Rows (iterables of cells) into a Table; the first non-empty row is the header. An
    empty sheet has no headers. `counted`: rows already read from other sheets."""
    headers: list[str] = []
    table = Table(sheet=sheet, headers=headers)
    empty_run = 0
    for number, line in enumerate(lines, start=1):
        cells = [_text(v) for v in line]
        if all(v is None for v in cells):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        if not headers:
            headers.extend(str(v or "") for v in cells)
            keys = [normalise(h) for h in headers]
            continue
        if counted + len(table.rows) >= MAX_ROWS:
            raise FileProblem(
                _("Het bestand heeft meer dan %(max)s rijen; splits het in delen.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        row = {key: value for key, value in zip(keys, cells, strict=False) if key}
        table.rows.append((number, row))
    return table


def _empty(sheet: str) -> FileProblem:
    return FileProblem(_("Het blad %(blad)s is leeg.") % {"blad": sheet})


def _check_zip(content: bytes) -> None:
    """Refuse what would unpack far beyond its size (a zip bomb) before anything unpacks."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as packed:
            unpacked = sum(info.file_size for info in packed.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(_("Dit is geen geldig Excel-bestand (.xlsx).")) from exc
    if unpacked > MAX_UNZIPPED or unpacked > MAX_RATIO * max(len(content), 1):
        raise FileProblem(
            _("Dit Excel-bestand is uitgepakt te groot (meer dan %(mb)s MB); splits het in delen.")
            % {"mb": MAX_UNZIPPED // (1024 * 1024)}
        )


def read_xlsx(content: bytes) -> Upload:
    """The workbook's Applicaties and Koppelingen sheets; any damage inside the file (bad
    XML, a broken part) is a FileProblem, never an error page."""
    _check_zip(content)
    try:
        return _read_workbook(content)
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl and lxml raise many kinds for a damaged file
        raise FileProblem(_("Dit is geen geldig Excel-bestand (.xlsx).")) from exc


def _read_workbook(content: bytes) -> Upload:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        names = {normalise(name): name for name in wb.sheetnames}
        found = [sheet for sheet in READ if normalise(sheet) in names]
        if not found:
            raise FileProblem(
                _("Het bestand heeft geen blad %(blad)s; de bladen zijn: %(bladen)s.")
                % {
                    "blad": _("%(a)s of %(b)s") % {"a": APPLICATIES, "b": KOPPELINGEN},
                    "bladen": ", ".join(wb.sheetnames),
                }
            )
        tables = {}
        for sheet in found:
            ws = wb[names[normalise(sheet)]]
            ws.reset_dimensions()  # trust the rows, not a stored (often wrong) dimension
            counted = sum(len(t.rows) for t in tables.values())
            table = _table(sheet, ws.iter_rows(values_only=True), counted)
            if table.headers:  # an emptied sheet beside another one is left alone
                tables[sheet] = table
        if not tables:
            raise _empty(found[0])
        read = {normalise(sheet) for sheet in found}
        skipped = [
            name
            for name in wb.sheetnames
            if normalise(name) not in read and normalise(name) != normalise(EXPLANATION)
        ]
        return Upload(tables=tables, skipped=skipped)
    finally:
        wb.close()


def read_csv(content: bytes) -> Upload:
    """A CSV: UTF-8 (with or without BOM), else Windows-1252 as older Excel saves it; the
    separator is whichever of ; and , the header line uses most. A CSV holds one table: a
    Koppelingen table when its header names the koppeling's columns, else Applicaties."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        table = _table("", csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem(
            _(
                "Het CSV-bestand is niet te lezen: een cel is te lang of de "
                "aanhalingstekens kloppen niet."
            )
        ) from exc
    headers = {normalise(h) for h in table.headers}
    table.sheet = KOPPELINGEN if headers & KOPPELING_HEADERS else APPLICATIES
    if not table.headers:
        raise _empty(table.sheet)
    return Upload(tables={table.sheet: table})


def read_upload(name: str, content: bytes) -> Upload:
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(content)
    if lower.endswith(".csv"):
        return read_csv(content)
    raise FileProblem(_("Kies een Excel-bestand (.xlsx) of een CSV-bestand (.csv)."))
