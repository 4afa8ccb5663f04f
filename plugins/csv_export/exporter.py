"""Streams list rows as CSV: readable columns in schema order, relations as titles plus `_id`.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) gets a leading apostrophe (OWASP "CSV injection"); numbers are written as they are.
`columns` and `line` are shared with the Excel exporter (`plugins.csv_export.xlsx`), so both
files have the same columns and rows.
"""

import csv
import io
import json
from typing import NamedTuple

from core.plugins import Exporter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Column(NamedTuple):
    title: str
    format: str | None = None  # the JSON Schema `format` of the property ("date", …)


def columns(spec, fields: list[str]) -> list[Column]:
    """uuid, titel, status, then one column per field in the given order; a relation gets a
    second column `<field>_id` with the uuids."""
    found = [Column("uuid"), Column("titel"), Column("status")]
    for name in fields:
        prop = spec.properties[name]
        found.append(Column(prop.label, prop.definition.get("format")))
        if prop.relation:
            found.append(Column(f"{name}_id"))
    return found


def line(row: dict, spec, fields: list[str]) -> list:
    """One row's raw values, column by column as `columns` names them."""
    data = row["data"]
    titles = row.get("_titels", {})
    values = [row["uuid"], row["titel"], row["status"]]
    for name in fields:
        value = data.get(name)
        if spec.properties[name].relation:
            values += [titles.get(name, value), value]
        else:
            values.append(value)
    return values


def text(value) -> str:
    """A value as readable text: lists joined with ", ", booleans ja/nee, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def csv_cell(value) -> str:
    """A value as a CSV cell: `text`, with a leading ' where a spreadsheet would see a
    formula. Public: the catalogue's landscape CSV uses the same guard."""
    if isinstance(value, list):
        return ", ".join(csv_cell(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return text(value)


class CsvExporter(Exporter):
    slug = "csv"
    naam = "CSV (komma)"
    media_type = "text/csv; charset=utf-8"
    extension = "csv"
    delimiter = ","

    def export(self, *, rows, spec, fields, actor):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter)
        writer.writerow([column.title for column in columns(spec, fields)])
        yield "\ufeff".encode() + buffer.getvalue().encode()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([csv_cell(value) for value in line(row, spec, fields)])
            yield buffer.getvalue().encode()


class SemicolonCsvExporter(CsvExporter):
    slug = "csv-puntkomma"
    naam = "CSV (puntkomma, voor Excel)"
    delimiter = ";"
