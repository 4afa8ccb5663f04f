"""`/vergelijken?applicatie=<uuid>&applicatie=<uuid>`: up to four applications side by side
(#31). Only what the actor may read: invisible applications are skipped with a message and
the number of gemeenten is shown to government users only. A fixed number of queries."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.plugins.site import actor_of, is_uuid, titles, visible, visible_data
from plugins.catalogus.site.detail_common import label, labels, organisations
from plugins.catalogus.site.facts import gemeenten_count, standards_tables

MAX_APPLICATIONS = 4
PARAM = "applicatie"


def compare(request):
    actor = actor_of(request)
    messages = []
    asked = list(dict.fromkeys(v.strip() for v in request.GET.getlist(PARAM) if v.strip()))
    if len(asked) > MAX_APPLICATIONS:
        limit = {"max": MAX_APPLICATIONS}
        messages.append(
            _("U kunt ten hoogste %(max)d applicaties vergelijken.") % limit
            + " "
            + _("Alleen de eerste %(max)d zijn getoond.") % limit
        )
        asked = asked[:MAX_APPLICATIONS]
    found = _visible_modules(asked, actor)
    skipped = [u for u in asked if u not in found]
    if skipped:
        messages.append(
            ngettext(
                "Eén applicatie is niet gevonden of niet zichtbaar voor u en is weggelaten.",
                "%(count)d applicaties zijn niet gevonden of niet zichtbaar voor u en zijn "
                "weggelaten.",
                len(skipped),
            )
            % {"count": len(skipped)}
        )
    modules = [found[u] for u in asked if u in found]
    context = {"messages_compare": messages, "columns": [], "rows": [], "standards": []}
    if modules:
        context.update(_table(modules, actor))
    return render(request, "catalogus/compare.html", context)


def _visible_modules(asked, actor) -> dict:
    wanted = [u for u in asked if is_uuid(u)]
    if not wanted:
        return {}
    rows = visible("catalogus/module", actor).filter(uuid__in=wanted)
    return {str(row.uuid): row for row in rows}


def _table(modules, actor) -> dict:
    keys = [str(m.uuid) for m in modules]
    datas = {str(m.uuid): visible_data(m, actor) for m in modules}
    suppliers = organisations({d.get("aanbieder") for d in datas.values()}, actor)
    component_names = titles(
        {u for d in datas.values() for u in d.get("referentieComponenten") or []}, actor
    )
    versions: dict[str, list[str]] = {k: [] for k in keys}
    for module_key, versie in (
        visible("catalogus/moduleVersie", actor)
        .filter(data__module__in=keys)
        .order_by("title")
        .values_list("data__module", "data__versie")
    ):
        versions[str(module_key)].append(versie or "")
    counts = gemeenten_count(keys, actor) if actor.is_government else None

    columns = []
    for module in modules:
        key = str(module.uuid)
        others = [k for k in keys if k != key]
        columns.append(
            {
                "obj": module,
                "is_concept": module.status != "gepubliceerd",
                "remove_url": "?" + urlencode([(PARAM, k) for k in others]) if others else "",
            }
        )
    rows = [
        (_("Aangeboden door"), [_supplier(datas[k], suppliers) for k in keys]),
        (_("Soort"), [datas[k].get("type") or "—" for k in keys]),
        (_("Licentie"), [_licence(datas[k]) for k in keys]),
        (
            _("Hostingvorm"),
            [
                labels(
                    "catalogus/module",
                    "cloudDienstverleningsmodel",
                    datas[k].get("cloudDienstverleningsmodel"),
                )
                or "—"
                for k in keys
            ],
        ),
        (
            _("Hostinglocatie"),
            [
                label("catalogus/module", "hostingLocatie", datas[k].get("hostingLocatie")) or "—"
                for k in keys
            ],
        ),
        (
            _("Jurisdictie"),
            [
                label("catalogus/module", "hostingJurisdictie", datas[k].get("hostingJurisdictie"))
                or "—"
                for k in keys
            ],
        ),
        (
            _("Referentiecomponenten"),
            [
                ", ".join(
                    sorted(
                        component_names[str(u)]
                        for u in datas[k].get("referentieComponenten") or []
                        if str(u) in component_names
                    )
                )
                or "—"
                for k in keys
            ],
        ),
        (_("Versies"), [", ".join(v for v in versions[k] if v) or "—" for k in keys]),
    ]
    if counts is not None:
        rows.append((_("Aantal gemeenten"), [str(counts.get(k, 0)) for k in keys]))
    return {
        "columns": columns,
        "rows": rows,
        "standards": _standards(modules, datas, actor),
        "shows_counts": counts is not None,
    }


def _supplier(data, suppliers) -> str:
    org = suppliers.get(str(data.get("aanbieder") or ""))
    return org.display_name if org else "—"


def _licence(data) -> str:
    kind, name = data.get("licentietype"), data.get("licentie")
    if kind and name:
        return f"{kind} ({name})"
    return kind or name or "—"


def _standards(modules, datas, actor) -> list[dict]:
    """One row per standaardversie in the union of the applications' tables, with each
    application's support ("" where it says nothing)."""
    union: dict[str, dict] = {}
    tables = standards_tables(
        [(m, datas[str(m.uuid)].get("referentieComponenten")) for m in modules], actor
    )
    for position, table in enumerate(tables):
        for group in table:
            for row in group.rows:
                entry = union.setdefault(
                    row.uuid,
                    {"naam": row.naam, "standaard": group.naam, "cells": [""] * len(modules)},
                )
                entry["cells"][position] = row.ondersteuning
    return sorted(union.values(), key=lambda e: (e["standaard"].lower(), e["naam"].lower()))


urlpatterns = [path("vergelijken", compare, name="catalogus-vergelijken")]
