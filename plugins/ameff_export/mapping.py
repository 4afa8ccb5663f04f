"""How register objects become AMEFF elements and properties: identifiers, ArchiMate types,
folders and the Dutch property names (the mapping table of the README).

Values come from `visible_data(obj, actor)` only, so a field the reader may not see (another
organisation's interne aantekening) never reaches a file. Enumerations are written as their
readable labels, lists joined with ", ", dates as ISO dates.
"""

from __future__ import annotations

import re
import uuid as uuidlib

from core.plugins.site import enum_labels, visible_data
from plugins.ameff_export.writer import Element

# uuid5(NAMESPACE_URL, "https://softwarecatalogus.vng.nl/#ameff-export"); never change it, or
# the ids of derived relationships and view nodes change between exports.
EXPORT_NAMESPACE = uuidlib.UUID("783470f4-2e41-5d98-ad3d-5b00df5a59d1")

MODULE = "catalogus/module"
VERSIE = "catalogus/moduleVersie"
GEBRUIK = "catalogus/gebruik"
KOPPELING = "catalogus/koppeling"
DIENST = "catalogus/dienst"
COMPLIANCY = "catalogus/compliancy"
REFERENTIECOMPONENT = "gemma/referentiecomponent"
VOORZIENING = "gemma/voorziening"
STANDAARDVERSIE = "gemma/standaardversie"

# Folders (Archi's top folder first).
ORGANISATIES = ("Business", "Organisaties")
DIENSTEN = ("Business", "Diensten")
APPLICATIES = ("Application", "Applicaties")
VERSIES = ("Application", "Applicatieversies")
REFERENTIECOMPONENTEN = ("Application", "GEMMA referentiecomponenten")
VOORZIENINGEN = ("Application", "GEMMA buitengemeentelijke voorzieningen")
STANDAARDVERSIES = ("Motivation", "GEMMA standaardversies")
KOPPELINGEN = ("Relations", "Koppelingen")
GEBRUIK_RELATIES = ("Relations", "Gebruik")
RELATIES = ("Relations",)

# Per schema: data key → AMEFF property name. The order is the order in the file.
FIELDS = {
    MODULE: {
        "beschrijvingKort": "Korte beschrijving",
        "type": "Soort",
        "website": "Website",
        "cloudDienstverleningsmodel": "Hostingvormen",
        "hostingLocatie": "Hostinglocatie",
        "hostingJurisdictie": "Jurisdictie van de hosting",
        "licentietype": "Licentietype",
        "licentie": "Licentie",
        "geregistreerdDoor": "Geregistreerd door",
    },
    VERSIE: {
        "versie": "Versie",
        "status": "Status",
        "datumInOntwikkeling": "Datum in ontwikkeling",
        "datumInGebruik": "Datum in gebruik",
        "datumEindeOndersteuning": "Datum einde ondersteuning",
        "datumTeruggetrokken": "Datum teruggetrokken",
    },
    GEBRUIK: {
        "status": "Status",
        "cloudDienstverleningsmodel": "Hostingvorm",
        "hostingLocatie": "Hostinglocatie",
        "moduleVersie": "Versie",
        "startDatumVerwerving": "Start verwerving",
        "startDatumGepland": "Start gepland",
        "startDatumInProductie": "In productie sinds",
        "startDatumUitTeFaseren": "Start uitfasering",
        "startDatumUitGefaseerd": "Uitgefaseerd op",
        "gebruiktVoorReferentiecomponenten": "Gebruikt voor referentiecomponenten",
        "interneAantekening": "Interne aantekening",
    },
    KOPPELING: {
        "gegevensuitwisselingRichting": "Richting",
        "type": "Transportprotocol",
        "koppelingType": "Intern of extern",
        "status": "Status",
        "gerealiseerdMetIntermediairModule": "Intermediair",
        "standaardversies": "Standaardversies",
        "datumInOntwikkeling": "Datum in ontwikkeling",
        "datumInGebruik": "Datum in gebruik",
        "datumEindeOndersteuning": "Datum einde ondersteuning",
        "datumTeruggetrokken": "Datum teruggetrokken",
        "interneAantekening": "Interne aantekening",
    },
    DIENST: {
        "beschrijvingKort": "Korte beschrijving",
        "type": "Soort dienst",
        "website": "Website",
    },
    COMPLIANCY: {"ondersteuning": "Ondersteuning", "url": "Bewijs (URL)"},
}
# Relation fields whose value is shown as the target's title (looked up in one batch).
TITLED = {
    GEBRUIK: ("moduleVersie", "gebruiktVoorReferentiecomponenten"),
    KOPPELING: ("gerealiseerdMetIntermediairModule", "standaardversies"),
}
ENUMS = {
    MODULE: ("cloudDienstverleningsmodel", "hostingLocatie", "hostingJurisdictie"),
    VERSIE: ("status",),
    GEBRUIK: ("cloudDienstverleningsmodel", "hostingLocatie"),
    KOPPELING: ("gegevensuitwisselingRichting", "type", "koppelingType", "status"),
}
# The element of a landscape application carries its gebruik too, under these names.
GEBRUIK_PREFIX = "Gebruik "
SWC_TYPES = {
    MODULE: "Applicatie",
    VERSIE: "Applicatieversie",
    GEBRUIK: "Gebruik",
    KOPPELING: "Koppeling",
    DIENST: "Dienst",
    COMPLIANCY: "Compliancy",
}
GEMMA = {  # schema → (ArchiMate type, "GEMMA type", folder)
    REFERENTIECOMPONENT: ("ApplicationComponent", "Referentiecomponent", REFERENTIECOMPONENTEN),
    VOORZIENING: ("ApplicationComponent", "Buitengemeentelijke voorziening", VOORZIENINGEN),
    STANDAARDVERSIE: ("Constraint", "Standaardversie", STANDAARDVERSIES),
}
ORGANISATION_TYPES = {  # organisation type → ArchiMate type (VNG's design of the new export)
    "Gemeente": "BusinessActor",
    "Leverancier": "BusinessActor",
    "VNG": "BusinessActor",
    "Samenwerking": "BusinessCollaboration",
    "Community": "BusinessCollaboration",
}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


def object_id(uuid) -> str:
    """The identifier of a register object or organisation: Archi's "id-" convention."""
    return f"id-{uuid}"


def derived_id(*parts) -> str:
    """A stable identifier for what has no uuid of its own (a relationship the exporter
    derives, a view node): the same parts give the same id in every export."""
    return object_id(uuidlib.uuid5(EXPORT_NAMESPACE, "|".join(str(p) for p in parts)))


def gemma_identifier(obj, data: dict) -> str:
    """GEMMA's own identifier, so the elements line up with the GEMMA model in Archi; our
    id only when the object has none (or one AMEFF cannot carry)."""
    found = (data.get("identificatie") or "").strip()
    return found if NCNAME.match(found) else object_id(obj.uuid)


class Values:
    """Turns visible data into property values: labels for enums, titles for relations."""

    def __init__(self, actor):
        self.actor = actor
        self.labels: dict[tuple[str, str], dict[str, str]] = {}

    def data(self, obj) -> dict:
        return visible_data(obj, self.actor)

    def label(self, schema: str, key: str, value) -> str:
        labels = self.labels.get((schema, key))
        if labels is None:
            labels = self.labels[(schema, key)] = enum_labels(schema, key)
        return labels.get(str(value), str(value))

    def properties(
        self, schema: str, obj, data: dict, titles: dict[str, str] | None = None
    ) -> list[tuple[str, str]]:
        """Object ID, SWC uuid and SWC type, then the mapped fields that have a value."""
        props = [
            ("Object ID", str(obj.uuid)),
            ("SWC uuid", str(obj.uuid)),
            ("SWC type", SWC_TYPES[schema]),
            ("Publicatiestatus", obj.status),
        ]
        return props + self.fields(schema, data, titles or {})

    def fields(self, schema: str, data: dict, titles: dict[str, str]) -> list[tuple[str, str]]:
        props = []
        for key, name in FIELDS[schema].items():
            value = data.get(key)
            if value in (None, "", []):
                continue
            values = value if isinstance(value, list) else [value]
            if key in TITLED.get(schema, ()):
                values = [titles.get(str(v), "") for v in values]
            elif key in ENUMS.get(schema, ()):
                values = [self.label(schema, key, v) for v in values]
            text = ", ".join(str(v) for v in values if v not in (None, ""))
            if text:
                props.append((name, text))
        return props


def documentation(data: dict) -> str:
    return (data.get("beschrijvingLang") or data.get("beschrijvingKort") or "").strip()


def gemma_element(obj, data: dict, schema: str) -> Element:
    """A GEMMA object with GEMMA's identifier and Object ID, so Archi users can line it up
    with the GEMMA model; our uuid beside it."""
    kind, gemma_type, folder = GEMMA[schema]
    status = data.get("status") if schema == STANDAARDVERSIE else data.get("gemmaStatus")
    props = [
        ("Object ID", data.get("objectId") or str(obj.uuid)),
        ("SWC uuid", str(obj.uuid)),
        ("GEMMA type", gemma_type),
        ("GEMMA status", status or ""),
        ("Versieaanduiding", data.get("versieaanduiding") or ""),
        ("URL", data.get("url") or ""),
    ]
    return Element(
        gemma_identifier(obj, data),
        kind,
        obj.title,
        tuple(props),
        (data.get("beschrijving") or "").strip(),
        folder,
    )


def organisation_element(org) -> Element:
    props = [
        ("Object ID", str(org.uuid)),
        ("SWC uuid", str(org.uuid)),
        ("Organisatietype", org.type),
        ("CBS code", org.cbs_code or ""),
        ("Website", org.website or ""),
    ]
    return Element(
        object_id(org.uuid),
        ORGANISATION_TYPES.get(org.type, "BusinessActor"),
        org.weergavenaam or org.naam,
        tuple(props),
        (org.beschrijving_kort or "").strip(),
        ORGANISATIES,
    )


def organisation_type(org) -> str:
    return ORGANISATION_TYPES.get(org.type, "BusinessActor")
