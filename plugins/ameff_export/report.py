"""What a GEMMA import did and what it found odd, as JSON (kept with the release) and as text.

Quirks of the source model are reported, never silently repaired, so functioneel beheer can
ask VNG's architects to fix them in GEMMA itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ACTIONS = ("aangemaakt", "bijgewerkt", "ongewijzigd", "ingetrokken")

# Labels of the quirk lists, in the order the text report shows them.
QUIRK_LABELS = {
    "koppelingZonderVerbindingsrol": "Koppeling referentiecomponent → standaard zonder "
    "Verbindingsrol (alleen in 'standaarden' opgenomen)",
    "dubbeleVerbindingsrol": "Koppeling met meer dan één Verbindingsrol-eigenschap",
    "tegenstrijdigeVerbindingsrol": "Koppeling met tegenstrijdige Verbindingsrollen "
    "(alleen in 'standaarden' opgenomen)",
    "onbekendeVerbindingsrol": "Koppeling met een onbekende Verbindingsrol "
    "(alleen in 'standaarden' opgenomen)",
    "standaardversieZonderStandaard": "Standaardversie zonder Specialization naar een standaard",
    "standaardversieMetMeerStandaarden": "Standaardversie met meer dan één standaard "
    "(de eerste is genomen)",
    "standaardversieZonderStatus": "Standaardversie zonder Status",
    "onbekendeWaarde": "Eigenschap met een waarde buiten de lijst (alleen in 'eigenschappen')",
    "dubbeleEigenschap": "Element met een eigenschap die meer dan eens voorkomt "
    "(waarden samengevoegd)",
    "zonderObjectId": "Element of view zonder Object ID (niet geïmporteerd)",
    "zonderNaam": "Element of view zonder naam",
    "soortGewijzigd": "Object ID hoort bij een object van een andere soort (niet bijgewerkt)",
    "gearchiveerd": "Element is in de catalogus gearchiveerd (niet bijgewerkt)",
    "verwijzingWeggelaten": "Verwijzing naar een element dat niet geïmporteerd kon worden",
}


@dataclass
class ImportReport:
    """Counts per schema, the links found, the quirks and the withdrawn elements."""

    release: str = ""
    model: str = ""
    dry_run: bool = False
    processed: int = 0  # elements and views written or checked, withdrawn ones included
    in_file: dict[str, int] = field(default_factory=dict)
    per_kind: dict[str, int] = field(default_factory=dict)
    counts: dict[str, Counter] = field(default_factory=dict)
    returned: int = 0
    still_withdrawn: int = 0
    links: Counter = field(default_factory=Counter)
    statuses: dict[str, Counter] = field(default_factory=dict)
    views: Counter = field(default_factory=Counter)
    quirks: dict[str, list[dict]] = field(default_factory=dict)
    withdrawn: list[dict] = field(default_factory=list)

    def count(self, schema: str, action: str) -> None:
        self.counts.setdefault(schema, Counter())[action] += 1

    def quirk(self, kind: str, **details) -> None:
        self.quirks.setdefault(kind, []).append(details)

    def total(self, action: str) -> int:
        return sum(c[action] for c in self.counts.values())

    def to_json(self) -> dict:
        return {
            "release": self.release,
            "model": self.model,
            "proefimport": self.dry_run,
            "verwerkt": self.processed,
            "inBestand": dict(self.in_file),
            "perSoort": dict(self.per_kind),
            "aantallen": {
                schema: {action: counts[action] for action in ACTIONS}
                for schema, counts in sorted(self.counts.items())
            },
            "totaal": {action: self.total(action) for action in ACTIONS},
            "teruggekeerd": self.returned,
            "nogIngetrokken": self.still_withdrawn,
            "koppelingen": dict(self.links),
            "statussen": {k: dict(v) for k, v in sorted(self.statuses.items())},
            "views": dict(self.views),
            "bijzonderheden": {k: v for k, v in self.quirks.items() if v},
            "ingetrokken": self.withdrawn,
        }

    def lines(self) -> list[str]:
        """The report as Dutch text, for the command line and the job page."""
        title = "Proefimport (niets opgeslagen)" if self.dry_run else "Import"
        out = [f"{title} van {self.model or 'GEMMA'} release {self.release}."]
        total = {action: self.total(action) for action in ACTIONS}
        out.append(
            "Totaal: {aangemaakt} aangemaakt, {bijgewerkt} bijgewerkt, {ongewijzigd} ongewijzigd, "
            "{ingetrokken} ingetrokken.".format(**total)
        )
        for schema, counts in sorted(self.counts.items()):
            out.append(
                f"  {schema}: "
                + ", ".join(f"{counts[action]} {action}" for action in ACTIONS)
                + f" (in bestand: {self.per_kind.get(schema, 0)})"
            )
        if self.returned:
            out.append(f"Teruggekeerd na intrekking: {self.returned}.")
        if self.still_withdrawn:
            out.append(f"Al eerder ingetrokken en nog steeds afwezig: {self.still_withdrawn}.")
        if self.links:
            out.append(
                "Koppelingen referentiecomponent → standaard: {totaal} (verplicht {verplicht}, "
                "aanbevolen {aanbevolen}, zonder rol {zonderRol}).".format(
                    **{k: self.links.get(k, 0) for k in ("totaal", "verplicht", "aanbevolen")},
                    zonderRol=self.links.get("zonderRol", 0),
                )
            )
        if self.views:
            out.append(
                f"Views: {self.views.get('totaal', 0)}, waarvan "
                f"{self.views.get('softwarecatalogus', 0)} voor de Softwarecatalogus."
            )
        for kind, label in QUIRK_LABELS.items():
            items = self.quirks.get(kind)
            if items:
                out.append(f"{label}: {len(items)}")
                out.extend(f"  - {_describe(item)}" for item in items)
        if self.withdrawn:
            out.append(f"Ingetrokken (niet meer in deze release): {len(self.withdrawn)}")
            for item in self.withdrawn:
                out.append(f"  - {item['schema']} {item['naam']} ({item['uuid']})")
                for ref in item["verwijzingen"]:
                    out.append(
                        f"      gebruikt door {ref['schema']} {ref['titel']} ({ref['uuid']})"
                    )
        return out


def _describe(item: dict) -> str:
    return "; ".join(
        f"{key}: {', '.join(map(repr, value)) if isinstance(value, list) else value}"
        for key, value in item.items()
    )
