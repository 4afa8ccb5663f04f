"""6.3 gluren bij de buren (#20): a government user reads another gemeente's or
samenwerking's landscape and compares it with their own: shared, only theirs, only ours.

Only for government actors (others get a 404, #105). Data goes through `visible_data`, so the
other organisation's interne aantekening never shows; contracts are not shown at all (#20:
no contract details of the other gemeente) and documents only when their doelgroep is
overheid (which `visible()` already decides)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from core.plugins.site import actor_of, is_uuid, visible, visible_data, visible_organisations
from plugins.catalogus.site.landscape.common import (
    DOCUMENT,
    landscape_gebruik,
    landscape_koppelingen,
    login_redirect,
)
from plugins.catalogus.site.landscape.overview import gebruik_rows, koppeling_rows, module_facts
from plugins.catalogus.site.menu import LANDSCAPE_TYPES


def buren(request, uuid):
    actor = actor_of(request)
    if not actor.is_authenticated:
        return login_redirect(request)
    if not actor.is_government or not is_uuid(uuid):
        raise Http404
    other = visible_organisations(actor).filter(uuid=uuid, type__in=LANDSCAPE_TYPES).first()
    if other is None:
        raise Http404
    theirs = list(landscape_gebruik(other, actor).order_by("title", "id"))
    rows = gebruik_rows(theirs, actor, str(other.uuid))
    for row in rows:
        row["data"] = visible_data(row["obj"], actor)
    ours: set[str] = set()
    compare = actor.organisation is not None and actor.organisation.type in LANDSCAPE_TYPES
    if compare:
        ours = {
            str(m)
            for m in landscape_gebruik(actor.organisation, actor).values_list(
                "data__module", flat=True
            )
        }
    their_modules = {row["module"] for row in rows}
    only_ours = sorted(ours - their_modules)
    our_facts = module_facts(only_ours, actor)
    documents = list(
        visible(DOCUMENT, actor)
        .filter(data__gebruik__in=[str(g.uuid) for g in theirs])
        .exclude(organisation_id=getattr(actor.organisation, "pk", None))
        .order_by("title")
    )
    context = {
        "other": other,
        "rows": rows,
        "shared": [r for r in rows if r["module"] in ours],
        "only_theirs": [r for r in rows if r["module"] not in ours],
        "only_ours": [{"module": m, **our_facts[m]} for m in only_ours if m in our_facts],
        "compare": compare,
        "koppelingen": koppeling_rows(
            list(landscape_koppelingen(other, actor).order_by("title", "id")), actor
        ),
        "documents": documents,
    }
    return render(request, "catalogus/landscape/buren.html", context)
