"""The rows of each sheet, read from a selection (plugins/catalogus/selection.py).

Every queryset starts from `visible()` and every value that goes into a file passes
`visible_data()`, so a file holds what its reader may see and nothing else (another
organisation's interne aantekening stays out; contracts only reach government users).
Rows are built per chunk of objects with one query per related kind, never per row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.db.models import Q, QuerySet, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from core.plugins.site import enum_labels, titles, visible, visible_data, visible_organisations
from plugins.catalogus.selection import AANBOD, KOPPELINGEN, LANDSCHAP
from plugins.catalogus.spreadsheet import columns as c

CHUNK = 500
GEBRUIK = "catalogus/gebruik"
MODULE = "catalogus/module"
VERSIE = "catalogus/moduleVersie"
KOPPELING = "catalogus/koppeling"
DIENST = "catalogus/dienst"
DIENSTAFNAME = "catalogus/dienstafname"
CONTRACT = "catalogus/contract"


@dataclass
class Sheet:
    """One sheet (or CSV file): its name, columns and a lazy iterator of rows (lists of
    values in column order: text, `date`, numbers or None)."""

    name: str
    columns: tuple[c.Column, ...]
    rows: Iterable[list]


def to_date(value):
    """A stored ISO date as a `date` (a spreadsheet date cell); anything else unchanged."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def joined(values) -> str:
    return c.LIST_SEPARATOR.join(str(v) for v in values if v not in (None, ""))


def chunks(rows: QuerySet, size: int = CHUNK) -> Iterator[list]:
    """Objects in chunks, streamed from the database (a server-side cursor)."""
    iterator = rows.iterator(chunk_size=size)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _uuid_text(rows: QuerySet) -> QuerySet:
    """A subquery of uuids as text, to compare with uuids stored in JSON data."""
    return rows.order_by().annotate(_u=Cast("uuid", TextField())).values("_u")


def _organisations(uuids, actor) -> dict[str, str]:
    """Display names of the organisations the actor may see, in one query."""
    wanted = list({str(u) for u in uuids if u})
    if not wanted:
        return {}
    rows = visible_organisations(actor).filter(uuid__in=wanted)
    return {str(u): w or n for u, w, n in rows.values_list("uuid", "weergavenaam", "naam")}


def _modules(uuids, actor) -> dict[str, tuple[str, str]]:
    """Per application: (name, supplier uuid), in one query."""
    wanted = list({str(u) for u in uuids if u})
    rows = (
        visible(MODULE, actor)
        .filter(uuid__in=wanted)
        .values_list("uuid", "title", "data__aanbieder")
    )
    return {str(u): (t, a or "") for u, t, a in rows}


def _label(labels: dict, value) -> str:
    return labels.get(value, value) if value else ""


# --- landscape ------------------------------------------------------------------------------


def gebruik_rows(rows: QuerySet, organisation, actor) -> Iterator[list]:
    own = str(organisation.uuid)
    samenwerking = organisation.type == "Samenwerking"
    hosting = enum_labels(GEBRUIK, "cloudDienstverleningsmodel")
    locatie = enum_labels(GEBRUIK, "hostingLocatie")
    for chunk in chunks(rows):
        datas = [visible_data(g, actor) for g in chunk]
        modules = _modules((d.get("module") for d in datas), actor)
        versions = dict(
            visible(VERSIE, actor)
            .filter(uuid__in=[d["moduleVersie"] for d in datas if d.get("moduleVersie")])
            .values_list("uuid", "data__versie")
        )
        versions = {str(u): v for u, v in versions.items()}
        refs = titles(
            (u for d in datas for u in d.get("gebruiktVoorReferentiecomponenten") or []), actor
        )
        orgs = _organisations(
            [m[1] for m in modules.values()]
            + [d.get("afnemer") for d in datas]
            + [u for d in datas for u in d.get("deelnemers") or []],
            actor,
        )
        for g, d in zip(chunk, datas, strict=True):
            module = str(d.get("module") or "")
            naam, aanbieder = modules.get(module, ("", ""))
            versie = str(d.get("moduleVersie") or "")
            ref_ids = list(d.get("gebruiktVoorReferentiecomponenten") or [])
            afnemer = str(d.get("afnemer") or "")
            deelnemers = list(d.get("deelnemers") or [])
            yield [
                naam,
                module,
                orgs.get(aanbieder, ""),
                aanbieder,
                versions.get(versie, ""),
                versie,
                d.get("status", ""),
                _label(hosting, d.get("cloudDienstverleningsmodel")),
                _label(locatie, d.get("hostingLocatie")),
                *(to_date(d.get(name)) for name in c.GEBRUIK_DATE_HEADERS),
                joined(refs.get(u, "") for u in ref_ids),
                joined(ref_ids),
                orgs.get(afnemer, "") if afnemer != own else "",
                *(
                    (joined(orgs.get(u, "") for u in deelnemers), joined(deelnemers))
                    if samenwerking
                    else ()
                ),
                d.get("interneAantekening", ""),
                str(g.uuid),
            ]


def koppeling_rows(rows: QuerySet, organisation, actor, landscape: bool) -> Iterator[list]:
    richting = enum_labels(KOPPELING, "gegevensuitwisselingRichting")
    protocol = enum_labels(KOPPELING, "type")
    soort = enum_labels(KOPPELING, "koppelingType")
    status = enum_labels(KOPPELING, "status")
    for chunk in chunks(rows.select_related("organisation")):
        datas = [visible_data(k, actor) for k in chunk]
        names = titles(
            [
                *(
                    d.get(p)
                    for d in datas
                    for p in (
                        "moduleA",
                        "moduleB",
                        "buitengemeentelijkVoorziening",
                        "gerealiseerdMetIntermediairModule",
                    )
                ),
                *(u for d in datas for u in d.get("standaardversies") or []),
            ],
            actor,
        )
        for k, d in zip(chunk, datas, strict=True):
            standaarden = list(d.get("standaardversies") or [])
            via = []
            if landscape:
                shared = k.organisation_id != organisation.pk
                via = [k.organisation.display_name if shared else ""]
            yield [
                k.title,
                names.get(str(d.get("moduleA") or ""), ""),
                d.get("moduleA", ""),
                names.get(str(d.get("moduleB") or ""), ""),
                d.get("moduleB", ""),
                names.get(str(d.get("buitengemeentelijkVoorziening") or ""), ""),
                d.get("buitengemeentelijkVoorziening", ""),
                _label(richting, d.get("gegevensuitwisselingRichting")),
                _label(protocol, d.get("type")),
                _label(soort, d.get("koppelingType")),
                _label(status, d.get("status")),
                *(to_date(d.get(name)) for name in c.LIFECYCLE_DATE_HEADERS),
                joined(names.get(u, "") for u in standaarden),
                joined(standaarden),
                names.get(str(d.get("gerealiseerdMetIntermediairModule") or ""), ""),
                d.get("gerealiseerdMetIntermediairModule", ""),
                d.get("beschrijvingKort", ""),
                *via,
                d.get("interneAantekening", ""),
                str(k.uuid),
            ]


def dienstafnames(gebruik: QuerySet, actor) -> QuerySet:
    """The dienstafnames of the selected gebruik."""
    return (
        visible(DIENSTAFNAME, actor)
        .annotate(_g=KT("data__gebruik"))
        .filter(_g__in=_uuid_text(gebruik))
        .order_by("title", "id")
    )


def dienstafname_rows(rows: QuerySet, organisation, actor) -> Iterator[list]:
    for chunk in chunks(rows.select_related("organisation")):
        datas = [visible_data(a, actor) for a in chunk]
        diensten = {
            str(u): (t, a or "")
            for u, t, a in visible(DIENST, actor)
            .filter(uuid__in=[d.get("dienst") for d in datas if d.get("dienst")])
            .values_list("uuid", "title", "data__aanbieder")
        }
        gebruik_module = {
            str(u): m or ""
            for u, m in visible(GEBRUIK, actor)
            .filter(uuid__in=[d.get("gebruik") for d in datas if d.get("gebruik")])
            .values_list("uuid", "data__module")
        }
        modules = titles(gebruik_module.values(), actor)
        orgs = _organisations((a for _t, a in diensten.values()), actor)
        for a, d in zip(chunk, datas, strict=True):
            dienst = str(d.get("dienst") or "")
            naam, aanbieder = diensten.get(dienst, ("", ""))
            gebruik = str(d.get("gebruik") or "")
            module = gebruik_module.get(gebruik, "")
            shared = a.organisation_id != organisation.pk
            yield [
                naam,
                dienst,
                orgs.get(aanbieder, ""),
                aanbieder,
                modules.get(module, ""),
                module,
                d.get("status", ""),
                to_date(d.get("startDatum")),
                a.organisation.display_name if shared else "",
                d.get("interneAantekening", ""),
                gebruik,
                str(a.uuid),
            ]


def contracts(gebruik: QuerySet, afnames: QuerySet, actor) -> QuerySet:
    """Contracts of the selected gebruik and their dienstafnames. Schema access lets only
    government users read contracts; beyond that, contract details never cross organisation
    boundaries (#20): the reader's own organisation's only, except for functioneel beheer."""
    rows = (
        visible(CONTRACT, actor)
        .annotate(_g=KT("data__gebruik"), _d=KT("data__dienstafname"))
        .filter(Q(_g__in=_uuid_text(gebruik)) | Q(_d__in=_uuid_text(afnames)))
        .order_by("title", "id")
    )
    if not actor.is_functioneel_beheerder:
        rows = rows.filter(organisation_id=actor.organisation.pk)
    return rows


def contract_rows(rows: QuerySet, actor) -> Iterator[list]:
    for chunk in chunks(rows):
        datas = [visible_data(k, actor) for k in chunk]
        names = titles(
            (d.get(p) for d in datas for p in ("gebruik", "dienstafname")),
            actor,
        )
        for k, d in zip(chunk, datas, strict=True):
            gebruik = str(d.get("gebruik") or "")
            afname = str(d.get("dienstafname") or "")
            yield [
                d.get("contractNummer", ""),
                d.get("contractType", ""),
                d.get("status", ""),
                to_date(d.get("startDatum")),
                to_date(d.get("eindDatum")),
                d.get("kosten"),
                d.get("kostenPeriode", ""),
                names.get(gebruik, ""),
                gebruik,
                names.get(afname, ""),
                afname,
                d.get("documentReferentie", ""),
                d.get("opmerkingen", ""),
                str(k.uuid),
            ]


# --- offer ----------------------------------------------------------------------------------


def module_rows(rows: QuerySet, actor) -> Iterator[list]:
    hosting = enum_labels(GEBRUIK, "cloudDienstverleningsmodel")
    locatie = enum_labels(MODULE, "hostingLocatie")
    for chunk in chunks(rows):
        datas = [visible_data(m, actor) for m in chunk]
        names = titles(
            [
                *(u for d in datas for u in d.get("referentieComponenten") or []),
                *(d.get("contactpersoon") for d in datas),
            ],
            actor,
        )
        for m, d in zip(chunk, datas, strict=True):
            refs = list(d.get("referentieComponenten") or [])
            contact = str(d.get("contactpersoon") or "")
            yield [
                m.title,
                m.status,
                d.get("type", ""),
                d.get("beschrijvingKort", ""),
                joined(_label(hosting, v) for v in d.get("cloudDienstverleningsmodel") or []),
                _label(locatie, d.get("hostingLocatie")),
                _label(locatie, d.get("hostingJurisdictie")),
                d.get("licentietype", ""),
                d.get("licentie", ""),
                d.get("website", ""),
                joined(names.get(u, "") for u in refs),
                joined(refs),
                names.get(contact, ""),
                contact if contact in names else "",
                str(m.uuid),
            ]


def versie_rows(rows: QuerySet, actor) -> Iterator[list]:
    status = enum_labels(VERSIE, "status")
    for chunk in chunks(rows):
        datas = [visible_data(v, actor) for v in chunk]
        names = titles((d.get("module") for d in datas), actor)
        for v, d in zip(chunk, datas, strict=True):
            module = str(d.get("module") or "")
            yield [
                names.get(module, ""),
                module,
                d.get("versie", ""),
                _label(status, d.get("status")),
                *(to_date(d.get(name)) for name in c.LIFECYCLE_DATE_HEADERS),
                d.get("beschrijvingKort", ""),
                str(v.uuid),
            ]


def dienst_rows(rows: QuerySet, actor) -> Iterator[list]:
    for chunk in chunks(rows):
        datas = [visible_data(s, actor) for s in chunk]
        names = titles((u for d in datas for u in d.get("modules") or []), actor)
        for s, d in zip(chunk, datas, strict=True):
            modules = list(d.get("modules") or [])
            yield [
                s.title,
                joined(d.get("type") or []),
                joined(names.get(u, "") for u in modules),
                joined(modules),
                d.get("beschrijvingKort", ""),
                d.get("website", ""),
                str(s.uuid),
            ]


def compliancy_rows(rows: QuerySet, actor) -> Iterator[list]:
    for chunk in chunks(rows):
        datas = [visible_data(s, actor) for s in chunk]
        names = titles(
            (d.get(p) for d in datas for p in ("module", "moduleVersie", "standaardversie")),
            actor,
        )
        for s, d in zip(chunk, datas, strict=True):
            yield [
                names.get(str(d.get("module") or ""), ""),
                d.get("module", ""),
                names.get(str(d.get("moduleVersie") or ""), ""),
                d.get("moduleVersie", ""),
                names.get(str(d.get("standaardversie") or ""), ""),
                d.get("standaardversie", ""),
                d.get("ondersteuning", ""),
                d.get("url", ""),
                str(s.uuid),
            ]


# --- per kind -------------------------------------------------------------------------------


def sheets(kind: str, selection, actor) -> list[Sheet]:
    """The sheets of a kind, in file order; their rows are only read when iterated (a CSV
    reads the first sheet only)."""
    if kind == KOPPELINGEN:
        org = selection.organisation
        return [
            Sheet(
                c.KOPPELINGEN,
                c.koppeling_columns(landscape=True),
                koppeling_rows(selection.koppelingen(actor), org, actor, landscape=True),
            )
        ]
    if kind == LANDSCHAP:
        org = selection.organisation
        gebruik = selection.gebruik(actor)
        afnames = dienstafnames(gebruik, actor)
        found = [
            Sheet(
                c.APPLICATIES,
                c.gebruik_columns(org.type == "Samenwerking"),
                gebruik_rows(gebruik, org, actor),
            ),
            Sheet(
                c.KOPPELINGEN,
                c.koppeling_columns(landscape=True),
                koppeling_rows(selection.koppelingen(actor), org, actor, landscape=True),
            ),
            Sheet(c.DIENSTEN, c.DIENSTAFNAME_COLUMNS, dienstafname_rows(afnames, org, actor)),
        ]
        own = actor.organisation is not None and actor.organisation.pk == org.pk
        if actor.is_government and (own or actor.is_functioneel_beheerder):  # #17, #20
            found.append(
                Sheet(
                    c.CONTRACTEN,
                    c.CONTRACT_COLUMNS,
                    contract_rows(contracts(gebruik, afnames, actor), actor),
                )
            )
        return found
    if kind == AANBOD:
        return [
            Sheet(c.APPLICATIES, c.MODULE_COLUMNS, module_rows(selection.modules(actor), actor)),
            Sheet(c.VERSIES, c.VERSIE_COLUMNS, versie_rows(selection.versies(actor), actor)),
            Sheet(
                c.KOPPELINGEN,
                c.koppeling_columns(landscape=False),
                koppeling_rows(selection.koppelingen(actor), selection.organisation, actor, False),
            ),
            Sheet(c.DIENSTEN, c.DIENST_COLUMNS, dienst_rows(selection.diensten(actor), actor)),
            Sheet(
                c.STANDAARDEN,
                c.COMPLIANCY_COLUMNS,
                compliancy_rows(selection.compliancy(actor), actor),
            ),
        ]
    raise ValueError(f"Onbekende soort export: {kind}")
