"""Streams list rows as CSV: readable columns in schema order, relations as titles plus `_id`.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) gets a leading apostrophe (OWASP "CSV injection"); numbers are written as they are.
"""

import csv
import io
import json

from core.plugins import Exporter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return str(value)


class CsvExporter(Exporter):
    slug = "csv"
    naam = "CSV (komma)"
    media_type = "text/csv; charset=utf-8"
    extension = "csv"
    delimiter = ","

    def export(self, *, rows, spec, fields, actor):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter)
        header = ["uuid", "titel", "status"]
        for name in fields:
            prop = spec.properties[name]
            header.append(prop.label)
            if prop.relation:
                header.append(f"{name}_id")
        writer.writerow(header)
        yield "\ufeff".encode() + buffer.getvalue().encode()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            data = row["data"]
            titles = row.get("_titels", {})
            line = [row["uuid"], _cell(row["titel"]), row["status"]]
            for name in fields:
                value = data.get(name)
                if spec.properties[name].relation:
                    line.append(_cell(titles.get(name, value)))
                    line.append(_cell(value))
                else:
                    line.append(_cell(value))
            writer.writerow(line)
            yield buffer.getvalue().encode()


class SemicolonCsvExporter(CsvExporter):
    slug = "csv-puntkomma"
    naam = "CSV (puntkomma, voor Excel)"
    delimiter = ";"
