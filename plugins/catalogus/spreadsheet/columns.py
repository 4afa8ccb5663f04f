"""The sheets and their columns: Dutch headers people read, plus `_id` columns that let an
edited file find its objects again. Headers are a file format, not UI text: they are not
translated, and the import reads exactly these."""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"
DATE = "date"
NUMBER = "number"
ID = "id"

APPLICATIES = "Applicaties"
KOPPELINGEN = "Koppelingen"
DIENSTEN = "Diensten"
CONTRACTEN = "Contracten"
VERSIES = "Versies"
STANDAARDEN = "Standaarden"

LIST_SEPARATOR = "; "  # several names or ids in one cell


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT

    @property
    def width(self) -> int:
        """A readable column width in Excel (characters)."""
        if self.kind == ID:
            return 38
        if self.kind == DATE:
            return 14
        return max(14, min(40, len(self.header) + 6))


def _cols(*spec) -> tuple[Column, ...]:
    return tuple(Column(*item) if isinstance(item, tuple) else Column(item) for item in spec)


# Gebruik: the dates of its status (rules.GEBRUIK_DATES), in the schema's words.
GEBRUIK_DATE_HEADERS = {
    "startDatumVerwerving": "Start verwerving",
    "startDatumGepland": "Start gepland",
    "startDatumInProductie": "In productie sinds",
    "startDatumUitTeFaseren": "Start uitfasering",
    "startDatumUitGefaseerd": "Uitgefaseerd op",
}
LIFECYCLE_DATE_HEADERS = {
    "datumInOntwikkeling": "Datum in ontwikkeling",
    "datumInGebruik": "Datum in gebruik",
    "datumEindeOndersteuning": "Datum einde ondersteuning",
    "datumTeruggetrokken": "Datum teruggetrokken",
}


def gebruik_columns(samenwerking: bool) -> tuple[Column, ...]:
    """One row per gebruik; a samenwerking also says with which deelnemers it shares it."""
    return _cols(
        "Applicatie",
        ("applicatie_id", ID),
        "Leverancier",
        ("leverancier_id", ID),
        "Versie",
        ("versie_id", ID),
        "Status",
        "Hostingvorm",
        "Hostinglocatie",
        *((header, DATE) for header in GEBRUIK_DATE_HEADERS.values()),
        "Referentiecomponenten",
        ("referentiecomponenten_id", ID),
        "Via samenwerking",
        *(("Deelnemers", ("deelnemers_id", ID)) if samenwerking else ()),
        "Interne aantekening",
        ("gebruik_id", ID),
    )


def koppeling_columns(landscape: bool) -> tuple[Column, ...]:
    """A landscape's koppelingen say which samenwerking shares them; a supplier's templates
    have no such thing."""
    return _cols(
        "Naam",
        "Applicatie A",
        ("applicatie_a_id", ID),
        "Applicatie B",
        ("applicatie_b_id", ID),
        "Voorziening",
        ("voorziening_id", ID),
        "Richting",
        "Transportprotocol",
        "Intern of extern",
        "Status",
        *((header, DATE) for header in LIFECYCLE_DATE_HEADERS.values()),
        "Standaardversies",
        ("standaardversies_id", ID),
        "Intermediair",
        ("intermediair_id", ID),
        "Korte beschrijving",
        *(("Via samenwerking",) if landscape else ()),
        "Interne aantekening",
        ("koppeling_id", ID),
    )


DIENSTAFNAME_COLUMNS = _cols(
    "Dienst",
    ("dienst_id", ID),
    "Leverancier",
    ("leverancier_id", ID),
    "Applicatie",
    ("applicatie_id", ID),
    "Status",
    ("Startdatum", DATE),
    "Via samenwerking",
    "Interne aantekening",
    ("gebruik_id", ID),
    ("dienstafname_id", ID),
)

CONTRACT_COLUMNS = _cols(
    "Contractnummer",
    "Soort contract",
    "Status",
    ("Ingangsdatum", DATE),
    ("Einddatum", DATE),
    ("Kosten (euro)", NUMBER),
    "Per",
    "Gebruik",
    ("gebruik_id", ID),
    "Dienstafname",
    ("dienstafname_id", ID),
    "Documentreferentie",
    "Opmerkingen",
    ("contract_id", ID),
)

MODULE_COLUMNS = _cols(
    "Applicatie",
    "Publicatie",
    "Soort",
    "Korte beschrijving",
    "Hostingvorm",
    "Hostinglocatie",
    "Jurisdictie van de hosting",
    "Licentietype",
    "Licentie",
    "Website",
    "Referentiecomponenten",
    ("referentiecomponenten_id", ID),
    "Aanspreekpunt",
    ("aanspreekpunt_id", ID),
    ("applicatie_id", ID),
)

VERSIE_COLUMNS = _cols(
    "Applicatie",
    ("applicatie_id", ID),
    "Versie",
    "Status",
    *((header, DATE) for header in LIFECYCLE_DATE_HEADERS.values()),
    "Wat is er nieuw",
    ("versie_id", ID),
)

DIENST_COLUMNS = _cols(
    "Dienst",
    "Soort dienst",
    "Applicaties",
    ("applicaties_id", ID),
    "Korte beschrijving",
    "Website",
    ("dienst_id", ID),
)

COMPLIANCY_COLUMNS = _cols(
    "Applicatie",
    ("applicatie_id", ID),
    "Versie",
    ("versie_id", ID),
    "Standaardversie",
    ("standaardversie_id", ID),
    "Ondersteuning",
    "Bewijs (URL)",
    ("compliancy_id", ID),
)
