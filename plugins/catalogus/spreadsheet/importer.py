"""The import of an edited export or a filled template into a landscape (#16).

`plan_import` reads the Applicaties rows (and the Koppelingen rows, see
`koppelingen_import`) against the landscape and the catalogue (a few queries for the whole
file, never per row) and says what would change: new gebruik, changed fields of existing
gebruik, rows that change nothing, and every error by sheet, row and column. It writes
nothing: that is the dry run. `apply_plan` then writes exactly those changes through the one
write path (permission, validation, history) in one transaction; if any write is refused,
nothing is written, on any sheet.

Matching: a row with a `gebruik_id` of the landscape is that gebruik; a row without one is a
new gebruik, unless the organisation has exactly one gebruik of that application that no
other row names (so re-importing a filled template duplicates nothing). Applications, versions,
referentiecomponenten and deelnemers are found by their `_id` or, when the readable name was
changed or the id is missing, by name; an unknown or ambiguous name is an error with
suggestions, never a new object.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from core.plugins.accounts import deelnemers_of, organisation_names, record
from core.plugins.site import (
    Conflict,
    NotAllowed,
    ValidationFailed,
    bulk_create,
    editable,
    enum_labels,
    is_uuid,
    update,
    visible,
    visible_data,
    visible_organisations,
)
from plugins.catalogus.landscape import landscape_gebruik
from plugins.catalogus.rules import GEBRUIK_PHASES, ON_PREMISES, phases_in_order
from plugins.catalogus.spreadsheet import columns as c
from plugins.catalogus.spreadsheet import koppelingen_import as koppelingen
from plugins.catalogus.spreadsheet.cells import differs as _differs
from plugins.catalogus.spreadsheet.cells import iso_text as _iso
from plugins.catalogus.spreadsheet.cells import named_list, parse_date
from plugins.catalogus.spreadsheet.cells import same as _same
from plugins.catalogus.spreadsheet.reader import FileProblem, Table, Upload, normalise

GEBRUIK = "catalogus/gebruik"
MODULE = "catalogus/module"
VERSIE = "catalogus/moduleVersie"
REFERENTIECOMPONENT = "gemma/referentiecomponent"
SAAS_VERSION = "Cloud"
NOTE_MAX = 5000
SUGGESTED_NAMES = 50  # distinct unknown names that get suggestions (each compares them all)

# Field → the column that holds it, for changes and for the write path's errors.
FIELD_COLUMN = {
    "module": "Applicatie",
    "moduleVersie": "Versie",
    "status": "Status",
    "cloudDienstverleningsmodel": "Hostingvorm",
    "hostingLocatie": "Hostinglocatie",
    **c.GEBRUIK_DATE_HEADERS,
    "gebruiktVoorReferentiecomponenten": "Referentiecomponenten",
    "deelnemers": "Deelnemers",
    "interneAantekening": "Interne aantekening",
}
LIST_FIELDS = ("gebruiktVoorReferentiecomponenten", "deelnemers")


@dataclass(frozen=True)
class RowError:
    rij: int | None
    kolom: str
    bericht: str
    blad: str = c.APPLICATIES  # "" for the file as a whole

    def text(self) -> str:
        where = [_("Blad %s") % self.blad] if self.blad else []
        if self.rij:
            where.append(_("rij %s") % self.rij)
        if self.kolom:
            where.append(_("kolom %s") % self.kolom)
        return f"{', '.join(where)}: {self.bericht}" if where else self.bericht


def error_texts(errors: list[dict]) -> list[str]:
    return [
        RowError(
            e.get("rij"), e.get("kolom", ""), e["bericht"], e.get("blad", c.APPLICATIES)
        ).text()
        for e in errors
    ]


class Catalogue:
    """What the rows are matched against, loaded once per file (a few queries)."""

    def __init__(self, organisation, actor, table: Table):
        self.organisation, self.actor = organisation, actor
        self.own = str(organisation.uuid)
        self.samenwerking = organisation.type == "Samenwerking"
        self.gebruik = {str(g.uuid): g for g in landscape_gebruik(organisation, actor)}
        self.data = {u: visible_data(g, actor) for u, g in self.gebruik.items()}
        self.afnemers = organisation_names({d.get("afnemer") for d in self.data.values()})
        wanted_ids = {
            str(row.get("applicatie_id"))
            for _n, row in table.rows
            if is_uuid(str(row.get("applicatie_id") or ""))
        } | {str(d.get("module")) for d in self.data.values()}
        fields = ("uuid", "title", "data__aanbieder", "data__cloudDienstverleningsmodel")
        published = list(visible(MODULE, actor).filter(status="gepubliceerd").values_list(*fields))
        named = list(visible(MODULE, actor).filter(uuid__in=list(wanted_ids)).values_list(*fields))
        self.modules = {str(u): (t, a or "", h or []) for u, t, a, h in [*published, *named]}
        self.published = {str(u) for u, *_rest in published}
        self.by_name: dict[str, list[str]] = {}
        for uuid in sorted(self.published):
            self.by_name.setdefault(normalise(self.modules[uuid][0]), []).append(uuid)
        suppliers = {a for _t, a, _h in self.modules.values() if a}
        self.suppliers = {
            str(u): (w or n, {normalise(n), normalise(w)} - {""})
            for u, n, w in visible_organisations(actor)
            .filter(uuid__in=list(suppliers))
            .values_list("uuid", "naam", "weergavenaam")
        }
        refs = visible(REFERENTIECOMPONENT, actor).values_list("uuid", "title")
        self.refs = {str(u): t for u, t in refs}
        self.refs_by_name = {normalise(t): u for u, t in self.refs.items()}
        self.deelnemers = organisation_names(deelnemers_of(self.own)) if self.samenwerking else {}
        self.deelnemers_by_name = {normalise(n): u for u, n in self.deelnemers.items()}
        self.versions: dict[str, dict[str, str]] = {}
        self._suggested: dict[str, str] = {}
        self.status = list(enum_labels(GEBRUIK, "status"))
        self.hosting = enum_labels(GEBRUIK, "cloudDienstverleningsmodel")
        self.locatie = enum_labels(GEBRUIK, "hostingLocatie")

    def load_versions(self, modules: set[str]) -> None:
        rows = (
            visible(VERSIE, self.actor)
            .annotate(_m=KT("data__module"))
            .filter(_m__in=sorted(modules))
            .values_list("uuid", "_m", "data__versie")
        )
        for uuid, module, versie in rows:
            self.versions.setdefault(module, {})[str(uuid)] = versie or ""

    def module_label(self, uuid: str) -> str:
        naam, aanbieder, _h = self.modules.get(uuid, ("", "", []))
        supplier = self.suppliers.get(aanbieder, ("", set()))[0]
        return f"{naam} ({supplier})" if supplier else naam

    def suggestions(self, name: str) -> str:
        """Names close to an unknown application name, for the error message."""
        key = normalise(name)
        if key in self._suggested:
            return self._suggested[key]
        found = ""
        if len(self._suggested) < SUGGESTED_NAMES:
            close = difflib.get_close_matches(key, self.by_name, n=3, cutoff=0.6)
            close += [n for n in self.by_name if key and key in n and n not in close][
                : 3 - len(close)
            ]
            labels = sorted(self.module_label(u) for n in close for u in self.by_name[n])
            found = ", ".join(labels[:5])
        self._suggested[key] = found
        return found


@dataclass
class RowResult:
    number: int
    gebruik: str = ""  # the existing gebruik this row is, "" for a new one
    module: str = ""
    errors: list = field(default_factory=list)

    def error(self, kolom: str, bericht: str) -> None:
        self.errors.append({"rij": self.number, "kolom": kolom, "bericht": bericht})


class Planner:
    def __init__(self, organisation, actor, table: Table):
        self.table = table
        self.cat = Catalogue(organisation, actor, table)
        self.headers = {normalise(h) for h in table.headers}
        self.actor = actor

    def has(self, *headers: str) -> bool:
        return any(normalise(h) in self.headers for h in headers)

    # --- pass 1: which gebruik and which application each row is about ----------------------

    def find_module(self, result: RowResult, row: dict, current: str = "") -> str:
        cat = self.cat
        name, ident = row.get("applicatie"), str(row.get("applicatie_id") or "")
        current_name = cat.modules.get(current, ("",))[0]
        if current and (ident == current or (name and _same(name, current_name))):
            return current
        if ident in cat.modules and (not name or _same(name, cat.modules[ident][0])):
            return ident
        if not name:
            if ident:
                result.error("applicatie_id", _("Onbekende applicatie-id %s.") % ident)
            elif not current:
                result.error("Applicatie", _("Vul de naam van de applicatie in."))
            return current
        found = cat.by_name.get(normalise(name), [])
        supplier = row.get("leverancier")
        if found and supplier:
            narrowed = [u for u in found if normalise(supplier) in self._supplier_names(u)]
            if not narrowed:
                result.error(
                    "Leverancier",
                    _("%(app)s van %(lev)s staat niet in de catalogus; wel: %(wel)s.")
                    % {
                        "app": name,
                        "lev": supplier,
                        "wel": ", ".join(sorted(cat.module_label(u) for u in found)),
                    },
                )
                return ""
            found = narrowed
        if len(found) == 1:
            return found[0]
        if found:
            result.error(
                "Applicatie",
                _("%(app)s bestaat bij meer leveranciers (%(wie)s); vul de leverancier in.")
                % {"app": name, "wie": ", ".join(sorted(cat.module_label(u) for u in found))},
            )
            return ""
        message = _("%s staat niet in de softwarecatalogus.") % name
        close = cat.suggestions(name)
        if close:
            message += " " + _("Bedoelt u: %s?") % close
        message += " " + _(
            "Ontbreekt de applicatie, voeg hem dan toe met “Een applicatie toevoegen”."
        )
        result.error("Applicatie", message)
        return ""

    def _supplier_names(self, module: str) -> set[str]:
        return self.cat.suppliers.get(self.cat.modules[module][1], ("", set()))[1]

    def first_pass(self) -> list[tuple[RowResult, dict]]:
        cat, results, claimed = self.cat, [], {}
        for number, row in self.table.rows:
            result = RowResult(number=number)
            ident = str(row.get("gebruik_id") or "")
            current = ""
            if ident:
                if ident not in cat.gebruik:
                    result.error(
                        "gebruik_id",
                        _(
                            "Dit gebruik staat niet in uw landschap. Maak de cel leeg om een "
                            "nieuw gebruik toe te voegen."
                        ),
                    )
                elif ident in claimed:
                    result.error(
                        "gebruik_id", _("Dit gebruik staat ook in rij %s.") % claimed[ident]
                    )
                else:
                    claimed[ident] = number
                    result.gebruik = ident
                    current = str(cat.data[ident].get("module") or "")
            module = self.find_module(result, row, current)
            if current and module and module != current:
                result.error(
                    "Applicatie",
                    _(
                        "Een gebruik wisselt niet van applicatie. Maak gebruik_id leeg om "
                        "%(nieuw)s als nieuw gebruik toe te voegen."
                    )
                    % {"nieuw": cat.modules[module][0]},
                )
            result.module = module
            results.append((result, row))
        self._match_unnamed(results, set(claimed))
        return results

    def _match_unnamed(self, results, claimed: set[str]) -> None:
        """A row without gebruik_id for an application the organisation already uses once
        (and no other row names that gebruik) is that gebruik: a re-imported template
        changes nothing instead of adding everything again."""
        cat = self.cat
        unnamed = [r for r, _row in results if not r.gebruik and r.module and not r.errors]
        per_module = Counter(r.module for r in unnamed)
        existing: dict[str, list[str]] = {}
        for uuid, data in cat.data.items():
            if uuid not in claimed and data.get("afnemer") == cat.own:
                existing.setdefault(str(data.get("module")), []).append(uuid)
        for result in unnamed:
            found = existing.get(result.module, [])
            if not found:
                continue
            if len(found) == 1 and per_module[result.module] == 1:
                result.gebruik = found[0]
                continue
            result.error(
                "gebruik_id",
                _(
                    "%(app)s staat al %(n)s keer in uw landschap. Vul in de kolom gebruik_id "
                    "in welk gebruik deze rij is (zie een export van uw landschap)."
                )
                % {"app": cat.modules[result.module][0], "n": len(found)},
            )

    # --- pass 2: the values of each row ------------------------------------------------------

    def wanted(self, result: RowResult, row: dict, current: dict) -> dict:
        """The row's values per field, for the columns the file has (a missing column leaves
        its field alone; an empty cell empties it)."""
        cat, out = self.cat, {}
        module_data = cat.modules.get(result.module, ("", "", []))
        if self.has("Versie", "versie_id"):
            out["moduleVersie"] = self._version(result, row)
        if self.has("Status"):
            value = row.get("status")
            match = next((s for s in cat.status if _same(s, value)), None)
            if match is None:
                result.error(
                    "Status",
                    (_("Onbekende status '%s'; ") % value if value else "")
                    + _("kies uit %s.") % ", ".join(cat.status),
                )
            out["status"] = match
        if self.has("Hostingvorm"):
            out["cloudDienstverleningsmodel"] = self._enum(
                result, "Hostingvorm", row.get("hostingvorm"), cat.hosting
            )
            chosen, offered = out["cloudDienstverleningsmodel"], module_data[2]
            if chosen and offered and chosen not in offered:
                result.error(
                    "Hostingvorm",
                    _("De applicatie wordt niet als %(vorm)s aangeboden; kies uit %(keuze)s.")
                    % {
                        "vorm": cat.hosting.get(chosen, chosen),
                        "keuze": ", ".join(cat.hosting.get(v, v) for v in offered),
                    },
                )
        if self.has("Hostinglocatie"):
            out["hostingLocatie"] = self._enum(
                result, "Hostinglocatie", row.get("hostinglocatie"), cat.locatie
            )
        for name, header in c.GEBRUIK_DATE_HEADERS.items():
            if self.has(header):
                try:
                    out[name] = parse_date(row.get(normalise(header)))
                except ValueError:
                    result.error(header, _("Vul een datum in als dd-mm-jjjj."))
        if self.has("Referentiecomponenten", "referentiecomponenten_id"):
            out["gebruiktVoorReferentiecomponenten"] = self._named_list(
                result,
                row,
                ("Referentiecomponenten", "referentiecomponenten_id"),
                cat.refs,
                cat.refs_by_name,
                _("Onbekende referentiecomponent"),
            )
        if self.has("Deelnemers", "deelnemers_id"):
            if cat.samenwerking:
                out["deelnemers"] = self._named_list(
                    result,
                    row,
                    ("Deelnemers", "deelnemers_id"),
                    cat.deelnemers,
                    cat.deelnemers_by_name,
                    _("Geen deelnemer van uw samenwerking"),
                )
            elif row.get("deelnemers") or row.get("deelnemers_id"):
                result.error("Deelnemers", _("Alleen een samenwerking heeft deelnemers."))
        if self.has("Interne aantekening") and (
            not result.gebruik or cat.data[result.gebruik].get("afnemer") == cat.own
        ):
            note = row.get("interne aantekening")
            if note and len(note) > NOTE_MAX:
                result.error("Interne aantekening", _("Ten hoogste %s tekens.") % NOTE_MAX)
            out["interneAantekening"] = note or None
        return out

    def _enum(self, result, header: str, value, labels: dict) -> str | None:
        if value in (None, ""):
            return None
        for key, label in labels.items():
            if _same(value, key) or _same(value, label):
                return key
        result.error(
            header,
            _("Onbekende waarde '%(v)s'; kies uit %(keuze)s.")
            % {"v": value, "keuze": ", ".join(labels.values())},
        )
        return None

    def _version(self, result: RowResult, row: dict) -> str | None:
        """The version by its id while the Versie cell still names it, else by that name;
        an empty Versie cell empties the version (the id alone counts only in a file
        without a Versie column)."""
        if not result.module or (self.has("Versie") and not row.get("versie")):
            return None
        name, ident = row.get("versie"), str(row.get("versie_id") or "")
        known = self.cat.versions.get(result.module, {})
        if ident in known and (not name or _same(name, known[ident])):
            return ident
        if name:
            for uuid, versie in known.items():
                if _same(name, versie):
                    return uuid
            choices = sorted(v for v in known.values() if v != SAAS_VERSION)
            if choices:
                result.error(
                    "Versie",
                    _("Versie %(v)s bestaat niet; kies uit %(keuze)s.")
                    % {"v": name, "keuze": ", ".join(choices)},
                )
            else:
                result.error(
                    "Versie",
                    _("Van deze applicatie zijn geen versies bekend; maak de cel leeg."),
                )
        elif ident and result.module:
            result.error("versie_id", _("Deze versie hoort niet bij de applicatie."))
        return None

    def _named_list(self, result, row, headers, by_id, by_name, unknown: str) -> list[str]:
        return named_list(result.error, row, headers, by_id, by_name, unknown, self.has(headers[0]))

    # --- the whole file ---------------------------------------------------------------------

    def plan(self, progress=None) -> dict:
        cat = self.cat
        results = self.first_pass()
        cat.load_versions({r.module for r, _row in results if r.module})
        mine = {
            str(u)
            for u in editable(GEBRUIK, self.actor)
            .filter(uuid__in=[r.gebruik for r, _row in results if r.gebruik])
            .values_list("uuid", flat=True)
        }
        new, changed, unchanged, errors = [], [], 0, []
        for index, (result, row) in enumerate(results, start=1):
            current = cat.data.get(result.gebruik, {}) if result.gebruik else {}
            wanted = self.wanted(result, row, current)
            after = {**current, **wanted}
            after = {k: v for k, v in after.items() if v not in (None, "", [])}
            changes = {k: v for k, v in wanted.items() if _differs(current.get(k), v)}
            if not result.errors and (changes or not result.gebruik):
                self._check_whole(result, after)  # a row that writes nothing is not checked
            if not result.errors and result.gebruik and changes and result.gebruik not in mine:
                owner = cat.afnemers.get(str(current.get("afnemer")), "")
                result.error(
                    "",
                    _("Dit gebruik deelt %(org)s met u; alleen %(org)s wijzigt het.")
                    % {"org": owner},
                )
            if result.errors:
                errors.extend(result.errors)
            elif not result.gebruik:
                data = {"afnemer": cat.own, "module": result.module, **after}
                new.append(self._op(result, data, {}, data))
            elif changes:
                changed.append(self._op(result, changes, current, after))
            else:
                unchanged += 1
            if progress and index % 1000 == 0:
                progress(index, len(results))
        return {
            "nieuw": new,
            "gewijzigd": changed,
            "ongewijzigd": unchanged,
            "fouten": errors,
            "genegeerd": self.ignored(),
        }

    def _check_whole(self, result: RowResult, after: dict) -> None:
        """What holds for the row as a whole: the schema's rule that a version means
        on-premises hosting, the order of the dates, a status for a new gebruik."""
        if after.get("moduleVersie") and after.get("cloudDienstverleningsmodel") != ON_PREMISES:
            result.error(
                "Versie",
                _(
                    "Een versie hoort alleen bij hostingvorm %s; maak de versie leeg of kies "
                    "die hostingvorm."
                )
                % self.cat.hosting[ON_PREMISES],
            )
        for pointer, message in phases_in_order(after, GEBRUIK_PHASES):
            result.error(FIELD_COLUMN.get(pointer.strip("/"), ""), message)
        if not after.get("status") and "Status" not in {e["kolom"] for e in result.errors}:
            result.error("Status", _("Vul de status in: kies uit %s.") % ", ".join(self.cat.status))

    def _op(self, result: RowResult, data: dict, before: dict, after: dict) -> dict:
        fields = [f for f in FIELD_COLUMN if f in data and f not in ("afnemer",)]
        return {
            "rij": result.number,
            "gebruik": result.gebruik,
            "naam": self.cat.modules.get(result.module, ("",))[0],
            "data": data,
            "wijzigingen": [
                [FIELD_COLUMN[f], self.readable(f, before.get(f)), self.readable(f, after.get(f))]
                for f in fields
                if f != "module" or not result.gebruik
            ],
        }

    def readable(self, field: str, value) -> str:
        cat = self.cat
        if value in (None, "", []):
            return ""
        if field == "module":
            return cat.module_label(value)
        if field == "moduleVersie":
            return next((v.get(value) for v in cat.versions.values() if value in v), value)
        if field == "cloudDienstverleningsmodel":
            return cat.hosting.get(value, value)
        if field == "hostingLocatie":
            return cat.locatie.get(value, value)
        if field in c.GEBRUIK_DATE_HEADERS:
            return _iso(value)
        if field == "gebruiktVoorReferentiecomponenten":
            return c.LIST_SEPARATOR.join(cat.refs.get(u, u) for u in value)
        if field == "deelnemers":
            return c.LIST_SEPARATOR.join(cat.deelnemers.get(u, u) for u in value)
        return str(value)

    def ignored(self) -> list[str]:
        known = {normalise(col.header) for col in c.gebruik_columns(True)}
        return [h for h in self.table.headers if h and normalise(h) not in known]


def fingerprint(organisation, actor, with_koppelingen: bool = False) -> str:
    """Changes to the landscape's gebruik (and koppelingen, when the file has that sheet)
    since a dry run show up here; the import then asks for a new dry run instead of
    applying an outdated one."""
    own = str(organisation.uuid)
    found = (
        visible(GEBRUIK, actor)
        .filter(Q(data__afnemer=own) | Q(data__deelnemers__contains=[own]))
        .aggregate(n=Count("id"), v=Sum("version"), t=Max("updated_at"))
    )
    moment = found["t"].isoformat() if found["t"] else ""
    text = f"{found['n']}:{found['v'] or 0}:{moment}"
    if with_koppelingen:
        text += "|" + koppelingen.fingerprint(organisation, actor)
    return text


def _empty_sheet() -> dict:
    return {"nieuw": [], "gewijzigd": [], "ongewijzigd": 0, "fouten": [], "genegeerd": []}


def plan_import(upload: Upload, organisation, actor, progress=None) -> dict:
    """The dry run: what the file would change on each sheet it has, and every error;
    writes nothing. The Applicaties sheet's outcome is at the top level (`nieuw`,
    `gewijzigd` …), the Koppelingen sheet's under `koppelingen`; `fouten` holds both."""
    apps = upload.tables.get(c.APPLICATIES)
    if apps is not None:
        headers = {normalise(h) for h in apps.headers}
        if not headers & {"applicatie", "applicatie_id", "gebruik_id"}:
            raise FileProblem(
                _("Het blad %s heeft geen kolom Applicatie of gebruik_id; gebruik het sjabloon.")
                % c.APPLICATIES
            )
        plan = Planner(organisation, actor, apps).plan(progress)
    else:
        plan = _empty_sheet()
    table = upload.tables.get(c.KOPPELINGEN)
    if table is not None:
        added = [op["data"]["module"] for op in plan["nieuw"]]
        sheet = koppelingen.plan_koppelingen(table, organisation, actor, added)
        plan["fouten"] = [*plan["fouten"], *sheet.pop("fouten")]
        plan["koppelingen"] = sheet
    plan["bladen"] = list(upload.tables)
    plan["niet_ingelezen"] = list(upload.skipped)
    plan["organisatie"] = str(organisation.uuid)
    plan["vingerafdruk"] = fingerprint(organisation, actor, table is not None)
    plan["rijen"] = upload.row_count
    return plan


def _column(pointer: str) -> str:
    return FIELD_COLUMN.get(pointer.strip("/").split("/")[0], "")


@dataclass
class Outcome:
    aangemaakt: int = 0
    gewijzigd: int = 0
    fouten: list = field(default_factory=list)
    koppelingen_aangemaakt: int = 0
    koppelingen_gewijzigd: int = 0


def writes_planned(plan: dict) -> int:
    """How many objects the plan writes, on every sheet."""
    sheet = plan.get("koppelingen") or {}
    return sum(len(part.get(k, [])) for part in (plan, sheet) for k in ("nieuw", "gewijzigd"))


def apply_plan(plan: dict, actor, progress=None) -> Outcome:
    """Write the planned changes in one transaction, through the one write path; any
    refused write (or a landscape changed since the dry run) rolls everything back."""
    organisation = actor.organisation
    if organisation is None or plan.get("organisatie") != str(organisation.uuid):
        raise NotAllowed(_("Deze import hoort bij een andere organisatie."))
    if plan.get("fouten"):
        return Outcome(fouten=plan["fouten"])
    ops = sorted([*plan["nieuw"], *plan["gewijzigd"]], key=lambda op: op["rij"])
    sheet = plan.get("koppelingen")
    total = writes_planned(plan)
    errors: list[dict] = []
    outcome = Outcome(fouten=errors)
    with transaction.atomic():
        if fingerprint(organisation, actor, sheet is not None) != plan.get("vingerafdruk"):
            errors.append(
                {
                    "blad": "",
                    "rij": None,
                    "kolom": "",
                    "bericht": _(
                        "Uw landschap is na de proefimport gewijzigd. Doe de proefimport "
                        "opnieuw; er is niets geïmporteerd."
                    ),
                }
            )
            return outcome
        objects = {
            str(o.uuid): o
            for o in editable(GEBRUIK, actor).filter(
                uuid__in=[op["gebruik"] for op in plan["gewijzigd"]]
            )
        }
        changes = [op for op in ops if op["gebruik"]]
        for index, op in enumerate(changes, start=1):
            try:
                found = objects.get(op["gebruik"])
                if found is None:
                    raise NotAllowed(_("U mag dit gebruik niet wijzigen."))
                update(actor, found, op["data"])
                outcome.gewijzigd += 1
            except ValidationFailed as exc:
                errors.extend(
                    {"rij": op["rij"], "kolom": _column(p), "bericht": m} for p, m in exc.errors
                )
            except (NotAllowed, Conflict) as exc:
                errors.append({"rij": op["rij"], "kolom": "", "bericht": str(exc)})
            if progress and index % 100 == 0:
                progress(index, total)
        # New rows take the bulk path: the same checks per row, batched writes.
        new = [op for op in ops if not op["gebruik"]]
        if new:
            try:
                created, refused = bulk_create(
                    actor,
                    GEBRUIK,
                    (op["data"] for op in new),
                    status="gepubliceerd",
                    progress=(lambda done: progress(len(changes) + done, total))
                    if progress
                    else None,
                )
            except NotAllowed as exc:
                created, refused = 0, []
                errors.append({"rij": None, "kolom": "", "bericht": str(exc)})
            errors.extend(
                {"rij": new[number - 1]["rij"], "kolom": _column(p), "bericht": m}
                for number, p, m in refused
            )
            outcome.aangemaakt += created
        if sheet is not None:  # few: one write each, after the gebruik they may refer to
            made, changed = koppelingen.apply(sheet, actor, errors)
            outcome.koppelingen_aangemaakt, outcome.koppelingen_gewijzigd = made, changed
            if progress:
                progress(total, total)
        if errors:
            transaction.set_rollback(True)
            outcome.aangemaakt = outcome.gewijzigd = 0
            outcome.koppelingen_aangemaakt = outcome.koppelingen_gewijzigd = 0
            return outcome
        details = {"nieuw": outcome.aangemaakt, "gewijzigd": outcome.gewijzigd}
        if sheet is not None:
            details["koppelingen"] = {
                "nieuw": outcome.koppelingen_aangemaakt,
                "gewijzigd": outcome.koppelingen_gewijzigd,
            }
        record(
            "landschap-import",
            actor=actor,
            organisation_uuid=str(organisation.uuid),
            target=plan.get("bestand", ""),
            details=details,
        )
    return outcome
