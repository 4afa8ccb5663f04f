"""/mijn-aanbod: a supplier's applications, versions, diensten and koppeling templates with
Bewerken and Archiveren; applications gemeenten registered for it (Overnemen); and which
gemeenten use its applications (names and status only, never their landscapes).

Every list is one query, whatever its length; names come in one batch per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Count
from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.plugins.site import (
    Conflict,
    NotAllowed,
    ObjectStatus,
    actor_of,
    archive,
    claim,
    enum_labels,
    may_create,
    titles,
    update,
    visible,
)
from plugins.catalogus.site.offer.common import (
    COMPLIANCY,
    DIENST,
    GEBRUIK,
    KOPPELING,
    MODULE,
    VERSION,
    may_offer,
    organisation_names,
    own,
    registered_for_us,
)

KINDS = {  # URL segment → (schema, readable kind)
    "applicaties": (MODULE, gettext_lazy("applicatie")),
    "versies": (VERSION, gettext_lazy("versie")),
    "diensten": (DIENST, gettext_lazy("dienst")),
    "koppelingen": (KOPPELING, gettext_lazy("koppeling")),
}
STATUS_LABELS = {
    ObjectStatus.CONCEPT: "Concept",
    ObjectStatus.GEPUBLICEERD: "Gepubliceerd",
    ObjectStatus.GEARCHIVEERD: "Gearchiveerd",
}


def guarded(view):
    """Anonymous → login; logged in but not an aanbod-beheerder of a publishing
    organisation → 403 with a page that says why and what to do."""

    def wrapper(request, *args, **kwargs):
        actor = actor_of(request)
        if not actor.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_offer(actor):
            return render(request, "catalogus/offer/no_access.html", {"actor": actor}, status=403)
        return view(request, actor, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@guarded
def aanbod(request, actor):
    """The offer in tables; each row links to its edit wizard and its archive page."""
    modules = list(own(MODULE, actor).order_by("title", "id"))
    keys = [str(m.uuid) for m in modules]
    counts = dict(
        visible(VERSION, actor)
        .filter(data__module__in=keys)
        .annotate(m=KT("data__module"))
        .order_by()
        .values("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
    )
    hosting = enum_labels(MODULE, "cloudDienstverleningsmodel")
    for module in modules:
        module.versies = counts.get(str(module.uuid), 0)
        module.hosting = ", ".join(
            hosting.get(v, v) for v in module.data.get("cloudDienstverleningsmodel") or []
        )
        module.status_label = STATUS_LABELS.get(module.status, module.status)

    versions = list(own(VERSION, actor).order_by("title", "id"))
    version_status = enum_labels(VERSION, "status")
    diensten = list(own(DIENST, actor).order_by("title", "id"))
    koppelingen = list(own(KOPPELING, actor).order_by("title", "id"))
    directions = enum_labels(KOPPELING, "gegevensuitwisselingRichting")
    names = titles(
        {v.data.get("module") for v in versions}
        | {m for d in diensten for m in d.data.get("modules") or []}
        | {
            k.data.get(p) for k in koppelingen for p in ("moduleB", "buitengemeentelijkVoorziening")
        },
        actor,
    )
    for version in versions:
        version.module_naam = names.get(str(version.data.get("module")), "")
        version.status_label = version_status.get(version.data.get("status"), "")
    for dienst in diensten:
        dienst.applicaties = [names[m] for m in dienst.data.get("modules") or [] if m in names]
    for link in koppelingen:
        other = link.data.get("moduleB") or link.data.get("buitengemeentelijkVoorziening")
        link.doel = names.get(str(other), "")
        link.richting = directions.get(link.data.get("gegevensuitwisselingRichting"), "")

    registered = list(registered_for_us(actor).select_related("organisation").order_by("title"))
    for module in registered:
        module.status_label = STATUS_LABELS.get(module.status, module.status)

    usage = list(visible(GEBRUIK, actor).filter(data__module__in=keys).order_by("title", "id"))
    customers = organisation_names({g.data.get("afnemer") for g in usage}, actor)
    module_names = {str(m.uuid): m.title for m in modules}
    for row in usage:
        row.klant = customers.get(str(row.data.get("afnemer")), _("Onbekende organisatie"))
        row.applicatie = module_names.get(str(row.data.get("module")), "")
        row.wacht = row.status == ObjectStatus.CONCEPT
    context = {
        "modules": modules,
        "versions": versions,
        "diensten": diensten,
        "koppelingen": koppelingen,
        "registered": registered,
        "usage": usage,
        "may_report_usage": may_create(GEBRUIK, actor),
    }
    return render(request, "catalogus/offer/aanbod.html", context)


def _own_object(actor, soort: str, uuid):
    if soort not in KINDS:
        raise Http404
    schema, _kind = KINDS[soort]
    found = own(schema, actor).filter(uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def _archive_plan(actor, obj, soort: str) -> dict:
    """What the archive page says: who uses the application (names of the klanten, as the
    supplier may see them), what goes with it, and others' diensten that name it."""
    key = str(obj.uuid)
    plan = {"gebruikers": [], "mee": [], "andere_diensten": []}
    if soort == "applicaties":
        usage = visible(GEBRUIK, actor).filter(data__module=key)
        plan["gebruikers"] = sorted(
            organisation_names(usage.values_list(KT("data__afnemer"), flat=True), actor).values()
        )
        plan["mee"] = [o.title for o in _companions(actor, key)]
        plan["andere_diensten"] = list(
            visible(DIENST, actor)
            .filter(data__modules__contains=[key])
            .exclude(organisation=actor.organisation)
            .values_list("title", flat=True)
        )
    elif soort == "versies":
        usage = visible(GEBRUIK, actor).filter(data__moduleVersie=key)
        plan["gebruikers"] = sorted(
            organisation_names(usage.values_list(KT("data__afnemer"), flat=True), actor).values()
        )
    return plan


def _companions(actor, key: str) -> list:
    """The own rows that only exist for this application: declared standards, koppeling
    templates and versions (archived with it, in this order)."""
    return [
        *own(COMPLIANCY, actor).filter(data__module=key).order_by("id"),
        *own(KOPPELING, actor).filter(data__moduleA=key).order_by("id"),
        *own(KOPPELING, actor).filter(data__moduleB=key).order_by("id"),
        *own(VERSION, actor).filter(data__module=key).order_by("id"),
    ]


def _archive(actor, obj, soort: str) -> None:
    """Archive through the write path; an application takes its own rows along and is
    dropped from the own diensten. Refused (Conflict) while anything else uses it."""
    key = str(obj.uuid)
    with transaction.atomic():
        if soort == "applicaties":
            for dienst in own(DIENST, actor).filter(data__modules__contains=[key]):
                kept = [m for m in dienst.data.get("modules") or [] if m != key]
                update(actor, dienst, {"modules": kept or None})
            for row in _companions(actor, key):
                archive(actor, row)
        elif soort == "versies":
            for row in own(COMPLIANCY, actor).filter(data__moduleVersie=key):
                archive(actor, row)
        archive(actor, obj)


@guarded
def archiveren(request, actor, soort: str, uuid):
    """A confirmation page naming the object; the POST archives it or shows why not."""
    obj = _own_object(actor, soort, uuid)
    error = ""
    if request.method == "POST":
        try:
            _archive(actor, obj, soort)
        except (Conflict, NotAllowed) as refused:
            error = str(refused)
        else:
            messages.success(
                request, _("“%(naam)s” is verwijderd uit uw aanbod.") % {"naam": obj.title}
            )
            return redirect(reverse("aanbod") + f"#{soort}")
    context = {
        "obj": obj,
        "soort": soort,
        "kind": KINDS[soort][1],
        "plan": _archive_plan(actor, obj, soort),
        "error": error,
    }
    return render(request, "catalogus/offer/archiveren.html", context, status=409 if error else 200)


@require_POST
@guarded
def overnemen(request, actor, uuid):
    """Take over an application a gemeente registered for us, then complete it."""
    obj = registered_for_us(actor).filter(uuid=uuid).first()
    if obj is None:
        raise Http404
    try:
        claim(actor, obj)
    except (NotAllowed, Conflict) as refused:
        messages.error(request, str(refused))
        return redirect(reverse("aanbod") + "#geregistreerd")
    messages.success(
        request,
        _("U beheert “%(naam)s” nu. Vul de gegevens aan en meld de applicatie aan.")
        % {"naam": obj.title},
    )
    return redirect(reverse("applicatie-bewerken", kwargs={"uuid": obj.uuid}))
