"""/mijn-landschap: the organisation's applications in use, the gebruik suppliers proposed
(accept or decline), and the landscape's koppelingen (remove after one confirmation).

Counts and names are fetched per page in batches (one query per related schema), so the
number of queries does not grow with the landscape."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.plugins.accounts import notify_organisation, organisation_name, organisation_names
from core.plugins.site import (
    Conflict,
    NotAllowed,
    archive,
    claim,
    delete,
    enum_labels,
    is_uuid,
    titles,
    visible,
    visible_object,
)
from plugins.catalogus.notify import GEBRUIK_VOORGESTELD
from plugins.catalogus.site.landscape.common import (
    DIENSTAFNAME,
    GEBRUIK,
    KOPPELING,
    MODULE,
    LoginRequired,
    in_landscape,
    landscape_actor,
    landscape_gebruik,
    landscape_koppelingen,
    login_redirect,
    org_uuid,
    writes,
)

LANDSCAPE_URL = "/mijn-landschap"


def module_facts(module_uuids, actor) -> dict[str, dict]:
    """Per application: its name, status (concept?) and supplier name; two queries."""
    rows = list(
        visible(MODULE, actor)
        .filter(uuid__in=list(module_uuids))
        .values_list("uuid", "title", "status", "data__aanbieder")
    )
    suppliers = organisation_names(a for _u, _t, _s, a in rows if a)
    return {
        str(uid): {
            "naam": title,
            "concept": status == "concept",
            "leverancier": suppliers.get(str(aanbieder or ""), ""),
        }
        for uid, title, status, aanbieder in rows
    }


def gebruik_rows(gebruik: list, actor, own_uuid: str) -> list[dict]:
    """Table rows for a list of gebruik objects, with koppelingen and diensten counted."""
    module_uuids = {g.data.get("module") for g in gebruik}
    modules = module_facts(module_uuids, actor)
    versions = titles({g.data.get("moduleVersie") for g in gebruik}, actor)
    afnemers = organisation_names({g.data.get("afnemer") for g in gebruik})
    diensten = dict(
        visible(DIENSTAFNAME, actor)
        .filter(data__gebruik__in=[str(g.uuid) for g in gebruik])
        .values_list("data__gebruik")
        .annotate(n=Count("id"))
        .order_by()
    )
    hosting = enum_labels(GEBRUIK, "cloudDienstverleningsmodel")
    rows = []
    for g in gebruik:
        module = str(g.data.get("module"))
        facts = modules.get(module, {})
        version = versions.get(str(g.data.get("moduleVersie") or ""), "")
        afnemer = str(g.data.get("afnemer"))
        rows.append(
            {
                "obj": g,
                "module": module,
                "naam": facts.get("naam") or _("Onbekende applicatie"),
                "concept": facts.get("concept", False),
                "leverancier": facts.get("leverancier", ""),
                "status": g.data.get("status", ""),
                "versie": version.removeprefix(facts.get("naam", "")).strip(),
                "hosting": hosting.get(g.data.get("cloudDienstverleningsmodel"), ""),
                "via": afnemers.get(afnemer, "") if afnemer != own_uuid else "",
                "diensten": diensten.get(str(g.uuid), 0),
            }
        )
    return rows


def koppeling_rows(koppelingen: list, actor) -> list[dict]:
    names = titles(
        {
            k.data.get(p)
            for k in koppelingen
            for p in ("moduleA", "moduleB", "buitengemeentelijkVoorziening")
        },
        actor,
    )
    richting = enum_labels(KOPPELING, "gegevensuitwisselingRichting")
    status = enum_labels(KOPPELING, "status")
    return [
        {
            "obj": k,
            "a": names.get(str(k.data.get("moduleA")), _("Onbekende applicatie")),
            "b": names.get(
                str(k.data.get("moduleB") or k.data.get("buitengemeentelijkVoorziening")),
                _("Onbekend"),
            ),
            "voorziening": bool(k.data.get("buitengemeentelijkVoorziening")),
            "richting": richting.get(k.data.get("gegevensuitwisselingRichting"), ""),
            "status": status.get(k.data.get("status"), ""),
        }
        for k in koppelingen
    ]


def proposals(actor):
    """Gebruik suppliers proposed for the organisation: concepts owned by a Leverancier."""
    return (
        visible(GEBRUIK, actor)
        .filter(
            status="concept",
            organisation__type="Leverancier",
            data__afnemer=org_uuid(actor),
        )
        .select_related("organisation")
        .order_by("created_at")
    )


def landschap(request):
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    own = org_uuid(actor)
    gebruik = list(landscape_gebruik(own, actor).order_by("title", "id"))
    rows = gebruik_rows(gebruik, actor, own)
    koppelingen = list(landscape_koppelingen(actor.organisation, actor).order_by("title", "id"))
    per_module = Counter()
    for k in koppelingen:
        for prop in ("moduleA", "moduleB"):
            if k.data.get(prop):
                per_module[str(k.data[prop])] += 1
    for row in rows:
        row["koppelingen"] = per_module.get(row["module"], 0)
    proposed = list(proposals(actor))
    context = {
        "organisation": actor.organisation,
        "rows": rows,
        "koppelingen": koppeling_rows(koppelingen, actor),
        "proposals": [
            {**row, "leverancier": row["obj"].organisation.display_name}
            for row in gebruik_rows(proposed, actor, own)
        ],
        "writes": writes(actor),
    }
    return render(request, "catalogus/landscape/overview.html", context)


def _writer(request):
    actor = landscape_actor(request)
    if not writes(actor):
        raise NotAllowed(_("Alleen een gebruik-beheerder wijzigt het landschap."))
    return actor


def voorstel(request, uuid):
    """Accept (take over, published) or decline (delete) a supplier's proposed gebruik; the
    supplier is told either way."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        actor = _writer(request)
    except LoginRequired:
        return login_redirect(request)
    except NotAllowed as refused:
        return render_refused(request, str(refused))
    found = proposals(actor).filter(uuid=uuid).first() if is_uuid(uuid) else None
    if found is None:
        raise Http404
    supplier = str(found.organisation.uuid)
    app = titles([found.data.get("module")], actor).get(str(found.data.get("module")), "")
    me = organisation_name(org_uuid(actor))
    try:
        with transaction.atomic():
            if request.POST.get("actie") == "accepteren":
                claim(actor, found, status="gepubliceerd")
                subject = _("%(org)s heeft het gemelde gebruik van %(app)s geaccepteerd") % {
                    "org": me,
                    "app": app,
                }
                done = _("Het gebruik van %(app)s staat nu in uw landschap.") % {"app": app}
            elif request.POST.get("actie") == "afwijzen":
                delete(actor, found)
                subject = _("%(org)s heeft het gemelde gebruik van %(app)s afgewezen") % {
                    "org": me,
                    "app": app,
                }
                done = _("Het voorgestelde gebruik van %(app)s is afgewezen.") % {"app": app}
            else:
                return render_refused(request, _("Kies accepteren of afwijzen."))
            notify_organisation(
                supplier,
                GEBRUIK_VOORGESTELD,
                subject,
                subject + ".",
                f"/applicaties/{app_uuid(found)}",
                roles=["aanbod-beheerder"],
            )
    except (NotAllowed, Conflict) as refused:
        return render_refused(request, str(refused))
    messages.success(request, done)
    return redirect(LANDSCAPE_URL)


def app_uuid(gebruik) -> str:
    return str(gebruik.data.get("module") or "")


def render_refused(request, message: str, status: int = 403):
    return render(
        request,
        "catalogus/landscape/refused.html",
        {"message": message},
        status=status,
    )


def koppeling_verwijderen(request, uuid):
    """4.6: remove (archive) a koppeling of the landscape, after a confirmation page."""
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    koppeling = visible_object(KOPPELING, uuid, actor)
    if koppeling.organisation_id != actor.organisation.pk:
        raise Http404
    if not writes(actor):
        return render_refused(request, _("Alleen een gebruik-beheerder wijzigt het landschap."))
    row = koppeling_rows([koppeling], actor)[0]
    if request.method == "POST":
        try:
            archive(actor, koppeling)
        except (NotAllowed, Conflict) as refused:
            return render_refused(request, str(refused), status=409)
        messages.success(request, _("De koppeling is verwijderd."))
        return redirect(LANDSCAPE_URL)
    return render(request, "catalogus/landscape/koppeling_verwijderen.html", {"row": row})


__all__ = ["in_landscape", "koppeling_verwijderen", "landschap", "voorstel"]
