"""The import's reader refuses damaged and hostile files with a Dutch message, before they
cost memory or time (zip bombs, broken XML inside an .xlsx, endless empty rows)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from plugins.catalogus.site.landscape.importeren import short_name
from plugins.catalogus.spreadsheet.reader import FileProblem, read_upload


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, data in members.items():
            packed.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_unpacks():
    bomb = zipped({"xl/worksheets/sheet1.xml": b"0" * (5 * 1024 * 1024)})
    with pytest.raises(FileProblem, match="uitgepakt te groot"):
        read_upload("landschap.xlsx", bomb)


def test_broken_xml_inside_an_xlsx_is_a_file_problem():
    broken = zipped({"[Content_Types].xml": b"<Types><oops", "xl/workbook.xml": b"<x"})
    with pytest.raises(FileProblem, match="geen geldig Excel-bestand"):
        read_upload("landschap.xlsx", broken)


def test_a_long_run_of_empty_rows_ends_the_sheet():
    book = Workbook()
    sheet = book.active
    sheet.title = "Applicaties"
    sheet.append(["Applicatie", "Status"])
    sheet.append(["Zaakwijzer", "In productie"])
    sheet.cell(row=5000, column=1, value="ver weg")  # after 4 997 empty rows
    out = io.BytesIO()
    book.save(out)
    upload = read_upload("landschap.xlsx", out.getvalue())
    assert [row for _number, row in upload.tables["Applicaties"].rows] == [
        {"applicatie": "Zaakwijzer", "status": "In productie"}
    ]


def test_a_csv_that_cannot_be_read_gets_a_dutch_message():
    huge = b'Applicatie\n"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(FileProblem, match="niet te lezen"):
        read_upload("landschap.csv", huge)


def test_long_file_names_keep_their_extension():
    name = "a" * 200 + ".csv"
    assert len(short_name(name)) == 150 and short_name(name).endswith(".csv")
    assert short_name("landschap.xlsx") == "landschap.xlsx"
