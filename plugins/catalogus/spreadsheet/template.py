"""The Excel template for a first fill of a landscape (#16: 271 applications must not mean
271 wizards): the Applicaties and Koppelingen sheets of the export, empty, with pick lists
for the values that have a fixed choice and date checks, and a Toelichting sheet that
explains each column."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.plugins.accounts import deelnemers_of, organisation_names
from core.plugins.site import enum_labels
from plugins.catalogus.spreadsheet import columns as c

GEBRUIK = "catalogus/gebruik"
ROWS = 2000  # how far down the pick lists and date checks reach
PICK_LISTS = ("Status", "Hostingvorm", "Hostinglocatie")

EXPLANATION = {
    "Applicatie": (
        "Ja, bij een nieuwe rij",
        "De naam van de applicatie zoals in de softwarecatalogus. Staat dezelfde naam er bij "
        "meer leveranciers, vul dan ook de leverancier in. Een onbekende naam wordt niet "
        "aangemaakt: de proefimport noemt namen die erop lijken.",
    ),
    "applicatie_id": (
        "Nee",
        "De uuid van de applicatie (in een export al ingevuld). Wijzigt u de naam, dan geldt "
        "de naam.",
    ),
    "Leverancier": (
        "Nee",
        "De naam van de leverancier, om gelijke applicatienamen te onderscheiden.",
    ),
    "leverancier_id": ("Nee", "Alleen ter informatie; wordt niet ingelezen."),
    "Versie": ("Nee", "Het versienummer, alleen bij on-premises hosting."),
    "versie_id": (
        "Nee",
        "De uuid van de versie (in een export al ingevuld). Maakt u de versie leeg, dan "
        "vervalt de versie.",
    ),
    "Status": ("Ja, bij een nieuwe rij", "De fase van het gebruik."),
    "Hostingvorm": ("Nee", "Een van de vormen die de applicatie biedt."),
    "Hostinglocatie": ("Nee", "Waar de applicatie draait."),
    "Referentiecomponenten": (
        "Nee",
        "Waarvoor u de applicatie gebruikt: namen van GEMMA-referentiecomponenten, "
        "gescheiden door een puntkomma.",
    ),
    "referentiecomponenten_id": ("Nee", "De uuids van die referentiecomponenten."),
    "Via samenwerking": ("Nee", "Alleen ter informatie (gebruik dat een samenwerking deelt)."),
    "Deelnemers": (
        "Nee",
        "Deelnemers van uw samenwerking die deze applicatie via u gebruiken, gescheiden door "
        "een puntkomma.",
    ),
    "deelnemers_id": ("Nee", "De uuids van die deelnemers."),
    "Interne aantekening": ("Nee", "Alleen leesbaar voor medewerkers van uw eigen organisatie."),
    "gebruik_id": (
        "Nee",
        "Leeg bij een nieuwe rij. In een export al ingevuld: dan wijzigt de import dat gebruik.",
    ),
}
DATE_TEXT = ("Nee", "Een datum (dd-mm-jjjj); een latere fase begint niet vóór een eerdere.")
KOPPELING = "catalogus/koppeling"
KOPPELING_PICK_LISTS = {  # header → property with a fixed choice
    "Richting": "gegevensuitwisselingRichting",
    "Transportprotocol": "type",
    "Status": "status",
}
KOPPELING_EXPLANATION = {
    "Naam": ("Nee", "Leeg: de catalogus noemt de koppeling naar haar applicaties."),
    "Applicatie A": (
        "Ja, bij een nieuwe rij",
        "Een applicatie uit uw landschap (ook een die u op het blad Applicaties toevoegt).",
    ),
    "Applicatie B": (
        "Applicatie B of Voorziening",
        "De andere applicatie uit uw landschap; of vul Voorziening in.",
    ),
    "Voorziening": (
        "Applicatie B of Voorziening",
        "Een landelijke voorziening uit GEMMA, zoals DigiD of MijnOverheid.",
    ),
    "Richting": ("Ja, bij een nieuwe rij", "Van A naar B, van B naar A, of beide kanten op."),
    "Intern of extern": ("Nee", "Alleen ter informatie; de catalogus leidt het af."),
    "Standaardversies": (
        "Nee",
        "Namen van GEMMA-standaardversies, gescheiden door een puntkomma.",
    ),
    "Intermediair": ("Nee", "De applicatie waarlangs de koppeling loopt, als die er is."),
    "Transportprotocol": ("Nee", "Hoe de gegevens worden uitgewisseld."),
    "Status": ("Nee", "De fase van de koppeling; leeg bij een nieuwe rij: in gebruik."),
    "Korte beschrijving": ("Nee", "Wat de koppeling uitwisselt, in een zin."),
    "Via samenwerking": ("Nee", "Alleen ter informatie (gedeeld door een samenwerking)."),
    "koppeling_id": (
        "Nee",
        "Leeg bij een nieuwe rij. In een export al ingevuld: dan wijzigt de import die koppeling.",
    ),
}


def allowed_values(samenwerking_uuid: str | None = None) -> dict[str, list[str]]:
    """The values a column accepts, as people read them."""
    allowed = {
        "Status": list(enum_labels(GEBRUIK, "status")),
        "Hostingvorm": list(enum_labels(GEBRUIK, "cloudDienstverleningsmodel").values()),
        "Hostinglocatie": list(enum_labels(GEBRUIK, "hostingLocatie").values()),
    }
    if samenwerking_uuid:
        names = organisation_names(deelnemers_of(samenwerking_uuid))
        allowed["Deelnemers"] = sorted(names.values(), key=str.lower)
    return allowed


def _pick_list(ws, column: int, values: list[str], title: str) -> None:
    letter = get_column_letter(column)
    check = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error="Kies een waarde uit de lijst.",
    )
    check.add(f"{letter}2:{letter}{ROWS}")
    ws.add_data_validation(check)


def _date_check(ws, column: int) -> None:
    letter = get_column_letter(column)
    check = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1950,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Datum",
        error="Vul een datum in (dd-mm-jjjj).",
    )
    check.add(f"{letter}2:{letter}{ROWS}")
    ws.add_data_validation(check)
    ws.column_dimensions[letter].number_format = "DD-MM-YYYY"


def _header(ws, columns, allowed: dict[str, list[str]], pick_lists) -> None:
    """Bold, frozen headers; pick lists where a column has a fixed choice; date checks."""
    ws.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        ws.cell(row=1, column=index).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
        if column.kind == c.DATE:
            _date_check(ws, index)
        # One value from a list (Deelnemers may hold several: only explained); a pick list
        # holds at most 255 characters.
        values = allowed.get(column.header) if column.header in pick_lists else None
        if values and len(",".join(values)) <= 250 and "," not in "".join(values):
            _pick_list(ws, index, values, column.header)
    ws.freeze_panes = "A2"


def template_bytes(organisation) -> bytes:
    samenwerking = organisation.type == "Samenwerking"
    columns = c.gebruik_columns(samenwerking)
    allowed = allowed_values(str(organisation.uuid) if samenwerking else None)
    wb = Workbook()
    ws = wb.active
    ws.title = c.APPLICATIES
    bold = Font(bold=True)
    _header(ws, columns, allowed, PICK_LISTS)
    koppelingen = c.koppeling_columns(landscape=True)
    koppeling_values = {
        header: list(enum_labels(KOPPELING, prop).values())
        for header, prop in KOPPELING_PICK_LISTS.items()
    }
    _header(wb.create_sheet(c.KOPPELINGEN), koppelingen, koppeling_values, KOPPELING_PICK_LISTS)

    info = wb.create_sheet("Toelichting")
    info.append(["Landschap vullen met dit sjabloon"])
    info["A1"].font = Font(bold=True, size=14)
    info.append(
        [
            "Eén rij per applicatie in gebruik. Upload het bestand op Mijn landschap → "
            "Importeren: de proefimport laat zien wat er verandert; pas na uw bevestiging "
            "wordt het landschap bijgewerkt. Een ingevulde export kunt u op dezelfde manier "
            "weer inlezen."
        ]
    )
    info.append([])
    info.append(["Kolom", "Verplicht", "Uitleg", "Toegestane waarden"])
    for cell in info[4]:
        cell.font = bold
    for column in columns:
        verplicht, uitleg = EXPLANATION.get(column.header, DATE_TEXT)
        info.append(
            [
                column.header,
                verplicht,
                uitleg,
                c.LIST_SEPARATOR.join(allowed.get(column.header, [])),
            ]
        )
    info.append([])
    info.append([f"Blad {c.KOPPELINGEN}: één rij per koppeling (mag leeg blijven)"])
    info.cell(row=info.max_row, column=1).font = bold
    for column in koppelingen:
        verplicht, uitleg = KOPPELING_EXPLANATION.get(column.header) or (
            DATE_TEXT if column.kind == c.DATE else EXPLANATION.get(column.header, ("Nee", ""))
        )
        values = koppeling_values.get(column.header, [])
        info.append([column.header, verplicht, uitleg, c.LIST_SEPARATOR.join(values)])
    for letter, width in zip("ABCD", (26, 22, 70, 50), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in wb.worksheets:  # names are data: "=…" (a deelnemer, say) is text here
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
