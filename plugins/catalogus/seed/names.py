"""Dutch-sounding names for generated demo content; nothing here refers to a real company."""

from __future__ import annotations

import random
import re
import unicodedata

SURNAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
    "de Bruijn", "de Jong", "Schouten", "van Beek", "Willems", "van Dijk", "Hoekstra", "Koster",
    "Prins", "Huisman", "Kuipers", "van der Heijden", "Postma", "Wouters", "Verhoeven",
    "Timmermans", "Groen", "Maas", "Sanders", "Gerritsen", "Boersma", "Veenstra", "Kramer",
    "van Wijk", "Hermans", "Scholten", "Molenaar", "Haverkamp", "Terpstra", "Zwart",
]  # fmt: skip
FIRST_NAMES = [
    "Eva", "Sanne", "Lisa", "Anna", "Emma", "Julia", "Sophie", "Lotte", "Femke", "Iris",
    "Marieke", "Anouk", "Noor", "Fleur", "Ingrid", "Petra", "Esther", "Karin", "Mirjam", "Yvonne",
    "Daan", "Bram", "Lucas", "Sem", "Jesse", "Thijs", "Ruben", "Jeroen", "Maarten", "Pieter",
    "Jan", "Kees", "Wouter", "Bas", "Tim", "Niels", "Martijn", "Erik", "Hans", "Joost", "Mark",
    "Rick", "Stefan", "Koen", "Sander", "Mohamed", "Fatima", "Yusuf", "Aylin", "Priya",
]  # fmt: skip
COMPANY_KINDS = [
    "Software", "ICT", "Automatisering", "Informatisering", "Informatica", "Systemen", "Data",
    "IT Services", "Digitaal", "Solutions", "Groep", "Advies",
]  # fmt: skip
STEMS = [
    "Polder", "Dijk", "Molen", "Gracht", "Duin", "Kade", "Stads", "Burger", "Raad", "Tulp",
    "Oranje", "Noorder", "Zuider", "Ooster", "Wester", "Delta", "Kompas", "Haven", "Brug",
    "Sluis", "Lelie", "Klaver", "Eik", "Linde", "Wind", "Veen", "Heide", "Terp", "Wad", "Rivier",
]  # fmt: skip
ENDINGS = [
    "data", "soft", "logic", "ware", "net", "link", "punt", "werk", "loket", "lab", "tech",
    "stroom", "wijzer", "base", "plein", "sys", "code", "flow",
]  # fmt: skip
LEGAL = ["", "", "", " B.V.", " B.V.", " N.V.", " V.O.F."]
EDITIONS = [
    "Online", "Suite", "Pro", "Plus", "Compleet", "Connect", "360", "Express", "Cloud",
    "Enterprise", "Basis", "Next",
]  # fmt: skip
SUPPLIER_FUNCTIONS = [
    "Accountmanager gemeenten", "Productmanager", "Salesmanager overheid", "Consultant",
    "Servicedeskcoördinator", "Implementatieconsultant",
]  # fmt: skip
GEMEENTE_FUNCTIONS = [
    "Informatiemanager", "Applicatiebeheerder", "Functioneel beheerder", "Contractmanager",
    "Informatieadviseur", "CISO", "Privacy officer", "Enterprise-architect",
]  # fmt: skip
SAMENWERKING_KINDS = [
    "ICT-samenwerking {}", "Samenwerking {} e.o.", "Werkorganisatie {}", "Servicecentrum {}",
    "Regio {} Digitaal", "Gemeenschappelijke regeling {}",
]  # fmt: skip
COMMUNITY_NAMES = [
    "Community Zaakgericht Werken", "Open Source Gemeenten", "Common Ground Community",
    "Community Informatiebeveiliging", "Gebruikersgroep Burgerzaken", "Community Sociaal Domein",
    "Community Datagedreven Werken", "Gebruikersgroep Omgevingswet", "Community Archiefbeheer",
    "Gebruikersgroep Belastingen", "Community API's en Standaarden",
    "Community Digitale Toegankelijkheid", "Gebruikersgroep Financiën", "Community Geo-informatie",
    "Community Dienstverlening",
]  # fmt: skip
NOTES = [
    "Contract loopt af; verlengen bespreken in het volgende kwartaal.",
    "Aanbesteding samen met de buurgemeenten overwegen.",
    "Koppeling met het zaaksysteem nog handmatig.",
    "Beheer belegd bij het regionale servicecentrum.",
    "Vervanging gepland na de migratie naar de cloud.",
]  # fmt: skip


def slug(text: str) -> str:
    """Lowercase letters and digits only, for made-up domains and addresses."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def capitalised(name: str) -> str:
    """A surname at the start of a company name: "van Dijk" → "Van Dijk"."""
    return name[:1].upper() + name[1:]


def split_surname(name: str) -> tuple[str, str]:
    """("van den", "Berg") from "van den Berg": tussenvoegsel and achternaam."""
    parts = name.split(" ")
    return " ".join(parts[:-1]), parts[-1]


def supplier_name(rng: random.Random, places: list[str]) -> tuple[str, str]:
    """(naam, brand): the brand prefixes the supplier's application names."""
    pattern = rng.random()
    if pattern < 0.3:
        surname = capitalised(rng.choice(SURNAMES))
        naam, brand = f"{surname} {rng.choice(COMPANY_KINDS)}", split_surname(surname)[1]
    elif pattern < 0.5:
        first, second = rng.sample(SURNAMES, 2)
        naam = f"{split_surname(first)[1]} & {split_surname(second)[1]}"
        brand = naam.split(" & ")[0]
        if rng.random() < 0.5:
            naam += f" {rng.choice(COMPANY_KINDS)}"
    elif pattern < 0.85:
        brand = rng.choice(STEMS) + rng.choice(ENDINGS)
        naam = brand
    else:
        place = rng.choice(places)
        naam, brand = f"{place} {rng.choice(COMPANY_KINDS)}", place
    return naam + rng.choice(LEGAL), brand


def unique(name: str, taken: set[str], rng: random.Random, qualifiers: list[str]) -> str:
    """The name, or the name with a place or number added until nobody has it yet."""
    candidate = name
    while candidate.lower() in taken:
        candidate = f"{name} {rng.choice(qualifiers)}"
        if candidate.lower() in taken:
            candidate = f"{name} {rng.randint(2, 99)}"
    taken.add(candidate.lower())
    return candidate


def domain_word(referentiecomponent: str) -> str:
    """What an application of a reference component does: "Zaakregistratiecomponent" →
    "Zaakregistratie"."""
    text = re.sub(r"[- ]?component\b", "", referentiecomponent, flags=re.IGNORECASE)
    text = " ".join(text.replace("( ", "(").split()).strip(" -")
    return capitalised(text) or referentiecomponent


def person(rng: random.Random) -> tuple[str, str, str]:
    """(voornaam, tussenvoegsel, achternaam)."""
    tussenvoegsel, achternaam = split_surname(rng.choice(SURNAMES))
    return rng.choice(FIRST_NAMES), tussenvoegsel, achternaam


def email(voornaam: str, tussenvoegsel: str, achternaam: str, organisation: str) -> str:
    local = f"{slug(voornaam)}.{slug(tussenvoegsel)}{slug(achternaam)}"
    return f"{local}@{slug(organisation)[:40] or 'organisatie'}.example.nl"


def phone(rng: random.Random) -> str:
    return f"+31 {rng.randint(10, 79)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
