"""Helpers for the CSV/Excel tests: actors of the access world, and files read back with the
standard readers (openpyxl, csv), never with the product's own reader."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from core.actors import Actor
from plugins.catalogus.selection import LandscapeSelection, OfferSelection
from tests.conftest import member


def actor(world, org_key: str, role: str = "gebruik-beheerder") -> Actor:
    return Actor.for_membership(member(world.orgs[org_key], role))


def landscape(world, org_key: str = "gemeente", flt=None) -> LandscapeSelection:
    if flt is None:
        return LandscapeSelection(world.orgs[org_key])
    return LandscapeSelection(world.orgs[org_key], flt)


def offer(world, org_key: str = "leverancier") -> OfferSelection:
    return OfferSelection(world.orgs[org_key])


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def sheet_rows(content: bytes) -> dict[str, list[dict]]:
    """Every sheet of an .xlsx as a list of {header: value}."""
    wb = workbook(content)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = list(rows[0]) if rows else []
        out[ws.title] = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return out


def csv_table(content: bytes, delimiter: str = ",") -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "CSV zonder BOM"
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def csv_rows(content: bytes, delimiter: str = ",") -> list[dict]:
    table = csv_table(content, delimiter)
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


def xlsx_file(rows: list[list], sheet: str = "Applicaties") -> bytes:
    """A workbook written with openpyxl itself: the first row is the header."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edited(content: bytes, change, sheet: str = "Applicaties") -> bytes:
    """An exported workbook after `change(worksheet)` edited one sheet (by default
    Applicaties), as a person would in Excel."""
    wb = workbook(content)
    change(wb[sheet])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_file(table: list[list], delimiter: str = ",") -> bytes:
    """A CSV as Excel saves it "as CSV UTF-8": BOM, CRLF."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return out.getvalue().encode("utf-8")


def column(ws, header: str) -> int:
    """The 1-based column number of a header in the first row."""
    return next(c.column for c in ws[1] if c.value == header)


def row_of(ws, header: str, value) -> int:
    index = column(ws, header)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, index).value == value)
