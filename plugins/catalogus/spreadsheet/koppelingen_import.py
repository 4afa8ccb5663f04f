"""The Koppelingen sheet of a landscape import (#16): the same steps as the Applicaties
sheet, for the landscape's koppelingen.

A row with the `koppeling_id` of a koppeling in the landscape is that koppeling; one of the
organisation's own changes in the fields whose cells changed, one a samenwerking shares may
only stay as it is. A row without id adds a koppeling, unless the organisation has exactly
one koppeling between the same ends that no other row names (so a file imported twice adds
nothing twice). The ends are found by their `_id` while the name cell is empty or still
names it, else by name: applications among the landscape's own (including those the
Applicaties sheet of the same file adds), a voorziening among GEMMA's; an unknown or
ambiguous name is an error with suggestions, never a new object.

Planning takes a fixed number of queries for the whole sheet; nothing here writes except
`apply`, inside the import's one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from core.plugins.site import (
    Conflict,
    NotAllowed,
    ValidationFailed,
    create,
    editable,
    enum_labels,
    is_uuid,
    update,
    visible,
    visible_data,
)
from plugins.catalogus.landscape import landscape_gebruik, landscape_koppelingen
from plugins.catalogus.rules import LIFECYCLE_PHASES, phases_in_order
from plugins.catalogus.spreadsheet import cells
from plugins.catalogus.spreadsheet import columns as c
from plugins.catalogus.spreadsheet.reader import FileProblem, Table, normalise

KOPPELING = "catalogus/koppeling"
MODULE = "catalogus/module"
VOORZIENING = "gemma/voorziening"
STANDAARDVERSIE = "gemma/standaardversie"

# Field → the column that holds it, for changes and for the write path's errors.
FIELD_COLUMN = {
    "naam": "Naam",
    "moduleA": "Applicatie A",
    "moduleB": "Applicatie B",
    "buitengemeentelijkVoorziening": "Voorziening",
    "gegevensuitwisselingRichting": "Richting",
    "type": "Transportprotocol",
    "status": "Status",
    **c.LIFECYCLE_DATE_HEADERS,
    "standaardversies": "Standaardversies",
    "gerealiseerdMetIntermediairModule": "Intermediair",
    "beschrijvingKort": "Korte beschrijving",
    "interneAantekening": "Interne aantekening",
}
ENDS = ("moduleA", "moduleB", "buitengemeentelijkVoorziening")
MAX_LENGTH = {"naam": 500, "beschrijvingKort": 256, "interneAantekening": 5000}
ARROWS = (("<->", "↔"), ("->", "→"), ("<-", "←"))  # typed arrows, as Excel users write them
REVERSED = {"a←b": "BnaarA", "b←a": "AnaarB", "b↔a": "bi-directioneel"}
REQUIRED_HEADERS = {"applicatie a", "applicatie_a_id", "koppeling_id"}
ID_COLUMNS = {
    "Applicatie A": "applicatie_a_id",
    "Applicatie B": "applicatie_b_id",
    "Intermediair": "intermediair_id",
}


def error_of(number: int, kolom: str, bericht: str) -> dict:
    return {"blad": c.KOPPELINGEN, "rij": number, "kolom": kolom, "bericht": bericht}


@dataclass
class RowResult:
    number: int
    koppeling: str = ""  # the existing koppeling this row is, "" for a new one
    errors: list = field(default_factory=list)

    def error(self, kolom: str, bericht: str) -> None:
        self.errors.append(error_of(self.number, kolom, bericht))


class Landscape:
    """What the rows are matched against, loaded once per sheet."""

    def __init__(self, organisation, actor, table: Table, new_modules=()):
        self.organisation, self.actor = organisation, actor
        rows = list(landscape_koppelingen(organisation, actor).select_related("organisation"))
        self.koppelingen = {str(k.uuid): k for k in rows}
        self.data = {u: visible_data(k, actor) for u, k in self.koppelingen.items()}
        self.mine = {
            str(u)
            for u in editable(KOPPELING, actor)
            .filter(pk__in=[k.pk for k in rows if k.organisation_id == organisation.pk])
            .values_list("uuid", flat=True)
        }
        used = landscape_gebruik(organisation, actor).order_by().values_list("_module", flat=True)
        self.landscape = set(used) | {m for m in new_modules if m}
        wanted = set(self.landscape)
        for _n, row in table.rows:
            wanted |= {str(row.get(k) or "").lower() for k in ID_COLUMNS.values()}
        for data in self.data.values():
            wanted |= {data.get(k) for k in ("moduleA", "moduleB")}
            wanted.add(data.get("gerealiseerdMetIntermediairModule"))
        found = visible(MODULE, actor).filter(uuid__in=[u for u in wanted if u and is_uuid(u)])
        self.modules = {str(u): t for u, t in found.values_list("uuid", "title")}
        self.apps = {u: self.modules[u] for u in self.landscape if u in self.modules}
        self.apps_by_name = _by_name(self.apps)
        self.voorzieningen = {
            str(u): t for u, t in visible(VOORZIENING, actor).values_list("uuid", "title")
        }
        self.voorzieningen_by_name = _by_name(self.voorzieningen)
        self.standaarden = {
            str(u): t for u, t in visible(STANDAARDVERSIE, actor).values_list("uuid", "title")
        }
        self.standaarden_by_name = {normalise(t): u for u, t in self.standaarden.items()}
        self.richting = enum_labels(KOPPELING, "gegevensuitwisselingRichting")
        self.protocol = enum_labels(KOPPELING, "type")
        self.status = enum_labels(KOPPELING, "status")

    def name(self, uuid) -> str:
        return self.modules.get(uuid) or self.voorzieningen.get(uuid) or ""

    def default_name(self, data: dict) -> str:
        """The name the register gives a koppeling without one (its schema's template)."""
        arrow = {"AnaarB": "→", "BnaarA": "←", "bi-directioneel": "↔"}.get(
            data.get("gegevensuitwisselingRichting"), ""
        )
        b = data.get("moduleB") or data.get("buitengemeentelijkVoorziening")
        return " ".join(f"{self.name(data.get('moduleA'))} {arrow} {self.name(b)}".split())


def _by_name(names: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for uuid, title in sorted(names.items()):
        found.setdefault(normalise(title), []).append(uuid)
    return found


class Planner:
    def __init__(self, organisation, actor, table: Table, new_modules=()):
        self.table = table
        self.land = Landscape(organisation, actor, table, new_modules)
        self.headers = {normalise(h) for h in table.headers}

    def has(self, *headers: str) -> bool:
        return any(normalise(h) in self.headers for h in headers)

    # --- which koppeling each row is ------------------------------------------------------

    def identify(self) -> list[tuple[RowResult, dict]]:
        land, results, claimed = self.land, [], {}
        for number, row in self.table.rows:
            result = RowResult(number=number)
            ident = str(row.get("koppeling_id") or "").strip().lower()
            if ident:
                if ident not in land.koppelingen:
                    result.error(
                        "koppeling_id",
                        _(
                            "Deze koppeling staat niet in uw landschap. Maak de cel leeg om "
                            "een nieuwe koppeling toe te voegen."
                        ),
                    )
                elif ident in claimed:
                    result.error(
                        "koppeling_id", _("Deze koppeling staat ook in rij %s.") % claimed[ident]
                    )
                else:
                    claimed[ident] = number
                    result.koppeling = ident
            results.append((result, row))
        self.claimed = set(claimed)
        return results

    def match_unnamed(self, result: RowResult, wanted: dict, seen: dict) -> None:
        """A new row between the same ends as exactly one own koppeling no row names is
        that koppeling."""
        land = self.land
        ends = tuple(wanted.get(k) or "" for k in ENDS)
        found = [
            u
            for u in sorted(land.mine)
            if u not in self.claimed and tuple(land.data[u].get(k) or "" for k in ENDS) == ends
        ]
        if not found:
            return
        if len(found) > 1:
            result.error(
                "koppeling_id",
                _(
                    "Tussen deze applicaties staan al %s koppelingen in uw landschap. Vul in "
                    "de kolom koppeling_id in welke deze rij is (zie een export van uw "
                    "koppelingen)."
                )
                % len(found),
            )
        elif found[0] in seen:
            result.error(
                "koppeling_id",
                _(
                    "De koppeling tussen deze applicaties staat ook in rij %s. Een tweede "
                    "koppeling tussen dezelfde applicaties voegt u toe met de wizard."
                )
                % seen[found[0]],
            )
        else:
            seen[found[0]] = result.number
            result.koppeling = found[0]

    # --- the values of each row -----------------------------------------------------------

    def wanted(self, result: RowResult, row: dict, current: dict) -> dict:
        """The row's values per field, for the columns the file has (a missing column
        leaves its field alone; an empty cell empties it)."""
        land, out = self.land, {}
        if self.has("Applicatie A", "applicatie_a_id"):
            out["moduleA"] = self.end(result, row, "Applicatie A", current.get("moduleA"))
        if self.has("Applicatie B", "applicatie_b_id"):
            out["moduleB"] = self.end(result, row, "Applicatie B", current.get("moduleB"))
        if self.has("Voorziening", "voorziening_id"):
            out["buitengemeentelijkVoorziening"] = self.voorziening(
                result, row, current.get("buitengemeentelijkVoorziening")
            )
        if isinstance(out.get("moduleB"), tuple):  # a voorziening named in Applicatie B
            if out.get("buitengemeentelijkVoorziening"):
                result.error(
                    "Applicatie B", _("Kies applicatie B of een voorziening, niet allebei.")
                )
            out["buitengemeentelijkVoorziening"] = out["moduleB"][1]
            out["moduleB"] = None
        if self.has("Richting"):
            out["gegevensuitwisselingRichting"] = self.enum(
                result, "Richting", row.get("richting"), land.richting, _richting
            )
        if self.has("Transportprotocol"):
            out["type"] = self.enum(
                result, "Transportprotocol", row.get("transportprotocol"), land.protocol
            )
        if self.has("Status"):
            out["status"] = self.enum(result, "Status", row.get("status"), land.status)
        for name, header in c.LIFECYCLE_DATE_HEADERS.items():
            if self.has(header):
                try:
                    out[name] = cells.parse_date(row.get(normalise(header)))
                except ValueError:
                    result.error(header, _("Vul een datum in als dd-mm-jjjj."))
        if self.has("Standaardversies", "standaardversies_id"):
            out["standaardversies"] = cells.named_list(
                result.error,
                row,
                ("Standaardversies", "standaardversies_id"),
                land.standaarden,
                land.standaarden_by_name,
                _("Onbekende standaardversie"),
                self.has("Standaardversies"),
            )
        if self.has("Intermediair", "intermediair_id"):
            out["gerealiseerdMetIntermediairModule"] = self.end(
                result, row, "Intermediair", current.get("gerealiseerdMetIntermediairModule")
            )
        if self.has("Korte beschrijving"):
            out["beschrijvingKort"] = row.get("korte beschrijving")
        if self.has("Interne aantekening") and (
            not result.koppeling or result.koppeling in land.mine
        ):
            out["interneAantekening"] = row.get("interne aantekening")
        if self.has("Naam"):
            out["naam"] = self.naam(row, current, out)
        for name, limit in MAX_LENGTH.items():
            if out.get(name) and len(out[name]) > limit:
                result.error(FIELD_COLUMN[name], _("Ten hoogste %s tekens.") % limit)
        return out

    def naam(self, row: dict, current: dict, wanted: dict):
        """The Naam cell. None (the register names it again) when the cell is empty, or when
        it still holds the name the register gave and the ends or richting change; an
        empty cell beside such a name changes nothing."""
        name, old = row.get("naam"), current.get("naam")
        given = bool(old) and cells.same(old, self.land.default_name(current))
        after = {**current, **wanted}
        moved = any(
            cells.differs(current.get(k), after.get(k))
            for k in (*ENDS, "gegevensuitwisselingRichting")
        )
        if not name:
            return old if given and not moved else None
        if given and moved and cells.same(name, old):
            return None
        return name

    def end(self, result: RowResult, row: dict, header: str, current):
        """An application at one end: the id while the name cell is empty or still names
        it, else the name among the landscape's applications. A name that is no
        application but a voorziening comes back as ("voorziening", uuid)."""
        land = self.land
        name = row.get(normalise(header))
        id_header = ID_COLUMNS[header]
        ident = str(row.get(id_header) or "").strip().lower()
        if ident and ident == current and (not name or cells.same(name, land.name(ident))):
            return current  # unchanged, even when it left the landscape since
        if ident in land.apps and (not name or cells.same(name, land.apps[ident])):
            return ident
        if not name:
            if ident:
                result.error(id_header, _("Deze applicatie staat niet in uw landschap."))
            return None
        found = land.apps_by_name.get(normalise(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            result.error(
                header,
                _("%(app)s staat meer dan eens in uw landschap; vul %(kolom)s in.")
                % {"app": name, "kolom": id_header},
            )
            return None
        voorzieningen = land.voorzieningen_by_name.get(normalise(name), [])
        if header == "Applicatie B" and len(voorzieningen) == 1:
            return ("voorziening", voorzieningen[0])
        close = cells.close_names(name, land.apps_by_name)
        hint = (
            " " + _("Bedoelt u: %s?") % ", ".join(land.apps[land.apps_by_name[n][0]] for n in close)
            if close
            else ""
        )
        result.error(
            header,
            _("%(app)s staat niet in uw landschap.") % {"app": name}
            + hint
            + " "
            + _("Voeg een applicatie eerst toe (op het blad Applicaties of met de wizard)."),
        )
        return None

    def voorziening(self, result: RowResult, row: dict, current):
        land = self.land
        name = row.get("voorziening")
        ident = str(row.get("voorziening_id") or "").strip().lower()
        if ident and ident == current and not name:
            return current
        if ident in land.voorzieningen and (
            not name or cells.same(name, land.voorzieningen[ident])
        ):
            return ident
        if not name:
            if ident:
                result.error("voorziening_id", _("Onbekende voorziening-id %s.") % ident)
            return None
        found = land.voorzieningen_by_name.get(normalise(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            result.error(
                "Voorziening", _("Er zijn meer voorzieningen %s; vul voorziening_id in.") % name
            )
            return None
        close = cells.close_names(name, land.voorzieningen_by_name)
        hint = (
            " "
            + _("Bedoelt u: %s?")
            % ", ".join(land.voorzieningen[land.voorzieningen_by_name[n][0]] for n in close)
            if close
            else ""
        )
        result.error("Voorziening", _("Onbekende voorziening: %s.") % name + hint)
        return None

    def enum(self, result: RowResult, header: str, value, labels: dict, choose=cells.choose):
        if value in (None, ""):
            return None
        found = choose(value, labels)
        if found is None:
            result.error(
                header,
                _("Onbekende waarde '%(v)s'; kies uit %(keuze)s.")
                % {"v": value, "keuze": ", ".join(labels.values())},
            )
        return found

    def check_whole(self, result: RowResult, after: dict) -> None:
        """What the write path checks across fields, with the sheet's column names."""
        if not after.get("moduleA"):
            result.error("Applicatie A", _("Vul applicatie A in."))
        b, v = after.get("moduleB"), after.get("buitengemeentelijkVoorziening")
        if b and v:
            result.error("Voorziening", _("Kies applicatie B of een voorziening, niet allebei."))
        elif not b and not v:
            result.error("Applicatie B", _("Vul applicatie B of een voorziening in."))
        if b and b == after.get("moduleA"):
            result.error(
                "Applicatie B", _("Een koppeling verbindt twee verschillende applicaties.")
            )
        if not after.get("gegevensuitwisselingRichting"):
            result.error(
                "Richting",
                _("Vul de richting in: kies uit %s.") % ", ".join(self.land.richting.values()),
            )
        for pointer, message in phases_in_order(after, LIFECYCLE_PHASES):
            result.error(FIELD_COLUMN.get(pointer.strip("/"), ""), message)

    # --- the whole sheet ------------------------------------------------------------------

    def plan(self) -> dict:
        land = self.land
        results = self.identify()
        new, changed, unchanged, errors, seen = [], [], 0, [], {}
        for result, row in results:
            current = land.data.get(result.koppeling, {}) if result.koppeling else {}
            wanted = self.wanted(result, row, current)
            if not result.koppeling and not result.errors:
                self.match_unnamed(result, wanted, seen)
                if result.koppeling:
                    current = land.data[result.koppeling]
                    wanted = self.wanted(result, row, current)
            after = {**current, **wanted}
            after = {k: v for k, v in after.items() if v not in (None, "", [])}
            changes = {k: v for k, v in wanted.items() if cells.differs(current.get(k), v)}
            if not result.errors and (changes or not result.koppeling):
                self.check_whole(result, after)  # a row that writes nothing is not checked
            if not result.errors and changes and result.koppeling not in (land.mine | {""}):
                self.refuse(result, changes)
            if result.errors:
                errors.extend(result.errors)
            elif not result.koppeling:
                new.append(self.op(result, after, {}, after))
            elif changes:
                changed.append(self.op(result, changes, current, after))
            else:
                unchanged += 1
        return {
            "nieuw": new,
            "gewijzigd": changed,
            "ongewijzigd": unchanged,
            "fouten": errors,
            "genegeerd": self.ignored(),
        }

    def refuse(self, result: RowResult, changes: dict) -> None:
        """A change to a koppeling the organisation may not change: a samenwerking's shared
        one (named), or its own without the right."""
        land = self.land
        first = next(f for f in FIELD_COLUMN if f in changes)
        found = land.koppelingen[result.koppeling]
        if found.organisation_id == land.organisation.pk:
            message = _("U mag deze koppeling niet wijzigen.")
        else:
            owner = found.organisation.display_name
            message = _("Deze koppeling is van %(org)s; alleen %(org)s wijzigt haar.") % {
                "org": owner
            }
        result.error(FIELD_COLUMN[first], message)

    def op(self, result: RowResult, data: dict, before: dict, after: dict) -> dict:
        land = self.land
        b = after.get("moduleB") or after.get("buitengemeentelijkVoorziening")
        return {
            "rij": result.number,
            "koppeling": result.koppeling,
            "naam": after.get("naam") or land.default_name(after) or land.name(b),
            "data": data,
            "wijzigingen": [
                [FIELD_COLUMN[f], self.readable(f, before.get(f)), self.readable(f, after.get(f))]
                for f in FIELD_COLUMN
                if f in data
            ],
        }

    def readable(self, name: str, value) -> str:
        land = self.land
        if value in (None, "", []):
            return ""
        if name in ("moduleA", "moduleB", "gerealiseerdMetIntermediairModule"):
            return land.name(value) or value
        if name == "buitengemeentelijkVoorziening":
            return land.voorzieningen.get(value, value)
        if name == "gegevensuitwisselingRichting":
            return land.richting.get(value, value)
        if name == "type":
            return land.protocol.get(value, value)
        if name == "status":
            return land.status.get(value, value)
        if name in c.LIFECYCLE_DATE_HEADERS:
            return cells.iso_text(value)
        if name == "standaardversies":
            return c.LIST_SEPARATOR.join(land.standaarden.get(u, u) for u in value)
        return str(value)

    def ignored(self) -> list[str]:
        known = {normalise(col.header) for col in c.koppeling_columns(landscape=True)}
        return [h for h in self.table.headers if h and normalise(h) not in known]


def _richting(value, labels: dict) -> str | None:
    """A richting by value or label, also typed ("A -> B", "A<->B") or the other way
    round ("A ← B")."""
    text = "".join(str(value).split()).lower()
    for typed, arrow in ARROWS:
        text = text.replace(typed, arrow)
    for key, label in labels.items():
        if text in (key.lower(), "".join(label.split()).lower()):
            return key
    return REVERSED.get(text)


def plan_koppelingen(table: Table, organisation, actor, new_modules=()) -> dict:
    """The dry run of the Koppelingen sheet; `new_modules`: applications the Applicaties
    sheet of the same file adds to the landscape."""
    if not {normalise(h) for h in table.headers} & REQUIRED_HEADERS:
        raise FileProblem(
            _("Het blad %s heeft geen kolom Applicatie A of koppeling_id; gebruik een export.")
            % c.KOPPELINGEN
        )
    return Planner(organisation, actor, table, new_modules).plan()


def fingerprint(organisation, actor) -> str:
    """Changes to the landscape's koppelingen since the dry run show up here."""
    found = (
        landscape_koppelingen(organisation, actor)
        .order_by()
        .aggregate(n=Count("id"), v=Sum("version"), t=Max("updated_at"))
    )
    moment = found["t"].isoformat() if found["t"] else ""
    return f"{found['n']}:{found['v'] or 0}:{moment}"


def apply(plan: dict, actor, errors: list) -> tuple[int, int]:
    """Write the planned koppelingen through the write path, in the caller's transaction;
    refused writes go to `errors`. Returns (created, changed)."""
    ops = sorted([*plan["nieuw"], *plan["gewijzigd"]], key=lambda op: op["rij"])
    objects = {
        str(o.uuid): o
        for o in editable(KOPPELING, actor).filter(
            uuid__in=[op["koppeling"] for op in plan["gewijzigd"]]
        )
    }
    created = changed = 0
    for op in ops:
        try:
            if op["koppeling"]:
                found = objects.get(op["koppeling"])
                if found is None:
                    raise NotAllowed(_("U mag deze koppeling niet wijzigen."))
                update(actor, found, op["data"])
                changed += 1
            else:
                create(actor, KOPPELING, op["data"])
                created += 1
        except ValidationFailed as exc:
            errors.extend(
                error_of(op["rij"], FIELD_COLUMN.get(p.strip("/").split("/")[0], ""), m)
                for p, m in exc.errors
            )
        except (NotAllowed, Conflict) as exc:
            errors.append(error_of(op["rij"], "", str(exc)))
    return created, changed
