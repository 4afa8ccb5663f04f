"""The catalogue's detail pages: applicatie (in detail_applicatie.py), dienst,
referentiecomponent and koppeling. Missing and forbidden look the same (404); each page
reads only what `visible()` returns for the actor, in a fixed number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from core.plugins.site import actor_of, titles, visible, visible_data, visible_object
from plugins.catalogus.site.detail_applicatie import applicatie
from plugins.catalogus.site.detail_common import (
    contact,
    external_url,
    label,
    labels,
    may_add_to_landscape,
    organisations,
)
from plugins.catalogus.site.facts import gemeenten_count, row_count, standards_table

GEMMA_ONLINE = "https://www.gemmaonline.nl/wiki/GEMMA/id-{}"
APPLICATIONS_PER_PAGE = 25


def dienst(request, uuid):
    actor = actor_of(request)
    obj = visible_object("catalogus/dienst", uuid, actor)
    data = visible_data(obj, actor)
    module_uuids = data.get("modules") or []
    names = titles(module_uuids, actor)
    context = {
        "obj": obj,
        "data": data,
        "aanbieder": organisations([data.get("aanbieder")], actor).get(
            str(data.get("aanbieder") or "")
        ),
        "diensttypes": labels("catalogus/dienst", "type", data.get("type")),
        "website": external_url(data.get("website")),
        "applicaties": [
            {"uuid": str(u), "naam": names[str(u)]} for u in module_uuids if str(u) in names
        ],
        "contactpersoon": contact(data.get("contactpersoon"), actor),
        "may_add": may_add_to_landscape(actor),
    }
    return render(request, "catalogus/detail/dienst.html", context)


def gemma_link(object_id: str) -> str:
    """GEMMA Online's page of an element: one "id-" prefix, never two (#407)."""
    object_id = (object_id or "").strip()
    if not object_id:
        return ""
    return GEMMA_ONLINE.format(object_id.removeprefix("id-"))


def referentiecomponent(request, uuid):
    actor = actor_of(request)
    obj = visible_object("gemma/referentiecomponent", uuid, actor)
    data = visible_data(obj, actor)
    key = str(obj.uuid)
    standards = standards_table(None, [key], actor)
    implementing = (
        visible("catalogus/module", actor)
        .filter(data__referentieComponenten__contains=[key])
        .select_related("organisation")
        .order_by("title", "id")
    )
    page = Paginator(implementing, APPLICATIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    rows = list(page.object_list)
    suppliers = organisations({r.data.get("aanbieder") for r in rows}, actor)
    counts = gemeenten_count([r.uuid for r in rows], actor)
    context = {
        "obj": obj,
        "data": data,
        "gemma_url": gemma_link(data.get("objectId")),
        "standards": standards,
        "standards_count": row_count(standards),
        "page": page,
        "applicaties": [
            {
                "obj": r,
                "aanbieder": suppliers.get(str(r.data.get("aanbieder") or "")),
                "gemeenten": counts.get(str(r.uuid), 0),
                "is_concept": r.status != "gepubliceerd",
            }
            for r in rows
        ],
        "shows_counts": actor.is_government,
    }
    return render(request, "catalogus/detail/referentiecomponent.html", context)


def koppeling(request, uuid):
    actor = actor_of(request)
    obj = visible_object("catalogus/koppeling", uuid, actor)
    data = visible_data(obj, actor)
    refs = [
        data.get("moduleA"),
        data.get("moduleB"),
        data.get("buitengemeentelijkVoorziening"),
        data.get("gerealiseerdMetIntermediairModule"),
        *(data.get("standaardversies") or []),
    ]
    names = titles(refs, actor)

    def side(key):
        value = data.get(key)
        if not value:
            return None
        return {"uuid": str(value), "naam": names.get(str(value))}

    context = {
        "obj": obj,
        "data": data,
        "a": side("moduleA"),
        "b": side("moduleB"),
        "voorziening": side("buitengemeentelijkVoorziening"),
        "intermediair": side("gerealiseerdMetIntermediairModule"),
        "richting": label(
            "catalogus/koppeling",
            "gegevensuitwisselingRichting",
            data.get("gegevensuitwisselingRichting"),
        ),
        "type": label("catalogus/koppeling", "type", data.get("type")),
        "koppeling_type": label("catalogus/koppeling", "koppelingType", data.get("koppelingType")),
        "status": label("catalogus/koppeling", "status", data.get("status")),
        "standaardversies": sorted(
            names[str(u)] for u in data.get("standaardversies") or [] if str(u) in names
        ),
        "is_template": obj.organisation.type in ("Leverancier", "Community"),
    }
    return render(request, "catalogus/detail/koppeling.html", context)


urlpatterns = [
    path("applicaties/<str:uuid>", applicatie, name="catalogus-applicatie"),
    path("diensten/<str:uuid>", dienst, name="catalogus-dienst"),
    path(
        "referentiecomponenten/<str:uuid>",
        referentiecomponent,
        name="catalogus-referentiecomponent",
    ),
    path("koppelingen/<str:uuid>", koppeling, name="catalogus-koppeling"),
]
