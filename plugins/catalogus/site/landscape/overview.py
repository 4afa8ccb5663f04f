"""/mijn-landschap (klantreis gemeente 7.1–7.2): the organisation's applications in use as
a sortable, filtered, paginated table with its koppelingen, saved filters and export
buttons; the gebruik suppliers proposed (accept or decline); removing a koppeling.

Filtering and sorting happen in SQL (plugins.catalogus.landscape); the page then fetches
names and counts for its own rows in batches, so the number of queries does not grow with
the landscape."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, UUIDField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.plugins.accounts import notify_organisation, organisation_name, organisation_names
from core.plugins.site import (
    Conflict,
    NotAllowed,
    SiteForm,
    archive,
    claim,
    delete,
    enum_labels,
    is_uuid,
    titles,
    visible,
    visible_object,
)
from plugins.catalogus.exports import export_links
from plugins.catalogus.landscape import (
    HERKOMST,
    SORTS,
    InvalidFilter,
    LandscapeFilter,
    landscape_gebruik,
    landscape_koppelingen,
)
from plugins.catalogus.models import SavedFilter
from plugins.catalogus.notify import GEBRUIK_VOORGESTELD
from plugins.catalogus.selection import KOPPELINGEN, LANDSCHAP
from plugins.catalogus.site.landscape.common import (
    DIENSTAFNAME,
    GEBRUIK,
    KOPPELING,
    MODULE,
    LoginRequired,
    in_landscape,
    landscape_actor,
    login_redirect,
    org_uuid,
    writes,
)

LANDSCAPE_URL = "/mijn-landschap"
VIEWS_URL = "/mijn-landschap/views"
PER_PAGE = 50
PAGE_KEY = "pagina"
KOPPELINGEN_PAGE_KEY = "koppelingen-pagina"
# The filter form's fieldsets, in this order; "zoek" is the text box above them.
FACET_KEYS = ("status", "hosting", "leverancier", "referentiecomponent", "herkomst", "voorziening")
# Filters whose options are what occurs in the landscape (the others list fixed values).
OPEN_KEYS = ("leverancier", "referentiecomponent", "voorziening")
NARROW_FROM = 8  # more referentiecomponenten than this get a type-to-filter box
MAX_SAVED = 50
REFERENTIECOMPONENT = "gemma/referentiecomponent"
VOORZIENING = "gemma/voorziening"


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
    """Table rows for koppelingen: the applications' and voorzieningen's names, two queries."""
    modules = {k.data.get(p) for k in koppelingen for p in ("moduleA", "moduleB")}
    voorzieningen = {k.data.get("buitengemeentelijkVoorziening") for k in koppelingen}
    names = names_of(MODULE, modules, actor) | names_of(VOORZIENING, voorzieningen, actor)
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
    """7.1–7.2: the landscape as a sortable, filtered, paginated table. The filter is the
    URL (shareable, savable); an unknown filter value shows the whole landscape with a
    Dutch message and status 400."""
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    try:
        flt = LandscapeFilter.from_query(request.GET)
    except InvalidFilter as invalid:
        return render_overview(request, actor, LandscapeFilter(), errors=[str(invalid)], status=400)
    return render_overview(request, actor, flt)


def render_overview(request, actor, flt, *, errors=(), save_form=None, status=200):
    org = actor.organisation
    own = org_uuid(actor)
    query = flt.querystring()
    pages = {key: request.GET.get(key) for key in (PAGE_KEY, KOPPELINGEN_PAGE_KEY)}

    def url(target=flt, **page):
        return overview_url(target, **{k: v for k, v in {**pages, **page}.items() if v})

    gebruik = Paginator(landscape_gebruik(org, actor, flt), PER_PAGE).get_page(pages[PAGE_KEY])
    rows = gebruik_rows(list(gebruik.object_list), actor, own)
    counts = koppeling_counts({row["module"] for row in rows}, org, actor)
    for row in rows:
        row["koppelingen"] = counts.get(row["module"], 0)
    koppelingen = Paginator(landscape_koppelingen(org, actor, flt), PER_PAGE).get_page(
        pages[KOPPELINGEN_PAGE_KEY]
    )
    for key, page in ((PAGE_KEY, gebruik), (KOPPELINGEN_PAGE_KEY, koppelingen)):
        pages[key] = str(page.number) if page.number > 1 else ""  # what was asked → what is shown
    proposed = list(proposals(actor))
    facet_list, chips = facets(org, actor, flt)
    saved = list(own_filters(actor))
    context = {
        "organisation": org,
        "filter": flt,
        "query": query,
        "errors": list(errors),
        "rows": rows,
        "page": gebruik,
        "pager": pager(gebruik, lambda n: url(**{PAGE_KEY: str(n)})),
        "headers": sort_headers(flt, url),
        "facets": facet_list,
        "chips": chips,
        "clear_url": overview_url(LandscapeFilter(sorteer=flt.sorteer)),
        "koppelingen": koppeling_rows(list(koppelingen.object_list), actor),
        "koppelingen_page": koppelingen,
        "koppelingen_pager": pager(
            koppelingen, lambda n: url(**{KOPPELINGEN_PAGE_KEY: str(n)}) + "#koppelingen"
        ),
        "proposals": [
            {**row, "leverancier": row["obj"].organisation.display_name}
            for row in gebruik_rows(proposed, actor, own)
        ],
        "writes": writes(actor),
        "exports": export_links(LANDSCHAP, query),
        "koppeling_exports": export_links(KOPPELINGEN, query),
        "views_url": VIEWS_URL + (f"?{query}" if query else ""),
        "saved_filters": [
            {"obj": item, "url": overview_url_for(item.query), "current": item.query == query}
            for item in saved
        ],
        "save_form": save_form or SaveFilterForm(initial={"query": query}),
        "may_save": bool(flt.pairs()) or save_form is not None,
    }
    return render(request, "catalogus/landscape/overview.html", context, status=status)


def overview_url(flt, **extra) -> str:
    pairs = flt.pairs() + [(key, value) for key, value in extra.items() if value]
    return LANDSCAPE_URL + (f"?{urlencode(pairs)}" if pairs else "")


def overview_url_for(query: str) -> str:
    return LANDSCAPE_URL + (f"?{query}" if query else "")


def pager(page, url_for) -> dict:
    """Previous and next, the first, the last and the pages around the current one; None
    marks a gap."""
    total, current = page.paginator.num_pages, page.number
    shown = sorted({1, total, *range(max(1, current - 2), min(total, current + 2) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append(None)
        links.append({"number": number, "url": url_for(number), "current": number == current})
        previous = number
    return {
        "links": links,
        "prev": url_for(current - 1) if page.has_previous() else "",
        "next": url_for(current + 1) if page.has_next() else "",
    }


def sort_headers(flt, url) -> list[dict]:
    """The table's column heads; sortable ones link to their order (ascending first, then
    descending where the selection offers it), keeping the filter but not the page."""
    columns = [
        ("naam", _("Applicatie"), False),
        ("leverancier", _("Leverancier"), False),
        ("", _("Versie"), False),
        ("status", _("Status"), False),
        ("hosting", _("Hostingvorm"), False),
        ("", _("Koppelingen"), True),
        ("", _("Diensten"), True),
    ]
    current = flt.sorteer.lstrip("-")
    descending = flt.sorteer.startswith("-")
    headers = []
    for key, label, numeric in columns:
        head = {"label": label, "numeric": numeric, "url": "", "sort": ""}
        if key:
            sorted_here = key == current
            head["sort"] = ("descending" if descending else "ascending") if sorted_here else ""
            following = key
            if sorted_here and not descending and f"-{key}" in SORTS:
                following = f"-{key}"
            head["url"] = url(replace(flt, sorteer=following), **{PAGE_KEY: ""})
        headers.append(head)
    return headers


def koppeling_counts(modules, organisation, actor) -> dict[str, int]:
    """Per application of the page: its koppelingen in the landscape; one query."""
    wanted = [m for m in modules if m]
    if not wanted:
        return {}
    counted = Counter()
    rows = landscape_koppelingen(organisation, actor).filter(
        Q(data__moduleA__in=wanted) | Q(data__moduleB__in=wanted)
    )
    for a, b in rows.order_by().values_list("data__moduleA", "data__moduleB"):
        for module in (a, b):
            if module in wanted:
                counted[module] += 1
    return counted


# --- filter options ------------------------------------------------------------------------


def facets(organisation, actor, flt) -> tuple[list[dict], list[dict]]:
    """The filter form's options and the active filters as removable chips.

    The options of suppliers, referentiecomponenten and voorzieningen are those that occur
    in the whole landscape (plus any chosen value); each option counts the rows it gives
    under the other active filters. One query per distinct "filter without this key"
    (usually one to three), one for the koppelingen to voorzieningen, one per kind of name."""
    whole = LandscapeFilter()
    bases: dict[LandscapeFilter, list[str]] = {whole: []}
    for key in FACET_KEYS:
        bases.setdefault(replace(flt.without(key), sorteer="naam"), []).append(key)
    own = str(organisation.uuid)
    linked = voorziening_links(organisation, actor)
    counts: dict[str, Counter] = {}
    occurring: dict[str, set] = {}
    for base, keys in bases.items():
        facts = gebruik_facts(organisation, actor, base)
        for key in keys if base != whole else (*keys, *OPEN_KEYS):
            found = Counter(v for fact in facts for v in fact_values(key, fact, linked, own))
            if base == whole and key in OPEN_KEYS:
                occurring[key] = set(found) | set(getattr(flt, key))
            if key in keys:
                counts[key] = found
    labels = facet_labels(occurring, actor)
    titles_of = facet_titles()
    listed = []
    for key in FACET_KEYS:
        values = list(labels[key])  # the schema's order
        if key in OPEN_KEYS:
            values = sorted(occurring[key], key=lambda v: (labels[key].get(v, "").casefold(), v))
        chosen = getattr(flt, key)
        options = [
            {
                "value": value,
                "label": labels[key].get(value) or _("Onbekend"),
                "count": counts[key].get(value, 0),
                "checked": value in chosen if isinstance(chosen, tuple) else value == chosen,
                "id": f"filter-{key}-{index}",
            }
            for index, value in enumerate(values)
        ]
        if key == "herkomst":  # one choice: "Alle" undoes it, also without JavaScript
            everything = {"value": "", "label": _("Alle"), "id": f"filter-{key}-alle"}
            everything.update(count=counts[key].total(), checked=not flt.herkomst)
            options.insert(0, everything)
        listed.append(
            {
                "key": key,
                "label": titles_of[key],
                "options": options,
                "radio": key == "herkomst",
                "narrow": key == "referentiecomponent" and len(options) > NARROW_FROM,
            }
        )
    chips = [
        {
            "label": titles_of[key],
            "value": value if key == "zoek" else labels[key].get(value) or _("Onbekend"),
            "url": overview_url(flt.without(key, value)),
        }
        for key, value in flt.pairs()
        if key != "sorteer"
    ]
    return listed, chips


def facet_labels(occurring: dict[str, set], actor) -> dict[str, dict]:
    """Readable labels per filter key: fixed lists from the schema, names in two queries."""
    return {
        "status": enum_labels(GEBRUIK, "status"),
        "hosting": enum_labels(GEBRUIK, "cloudDienstverleningsmodel"),
        "herkomst": {key: _(text) for key, text in HERKOMST.items()},
        "leverancier": organisation_names(occurring["leverancier"]),
        "referentiecomponent": names_of(
            REFERENTIECOMPONENT, occurring["referentiecomponent"], actor
        ),
        "voorziening": names_of(VOORZIENING, occurring["voorziening"], actor),
    }


def names_of(schema: str, uuids, actor) -> dict[str, str]:
    """Titles of one schema's readable objects; cheaper than `titles()`, which checks the
    access rules of every schema."""
    wanted = [str(u) for u in uuids if u and is_uuid(u)]
    if not wanted:
        return {}
    rows = visible(schema, actor).filter(uuid__in=wanted).values_list("uuid", "title")
    return {str(uuid): title for uuid, title in rows}


def facet_titles() -> dict[str, str]:
    return {
        "zoek": _("Zoekterm"),
        "status": _("Status"),
        "hosting": _("Hostingvorm"),
        "leverancier": _("Leverancier"),
        "referentiecomponent": _("Referentiecomponent"),
        "herkomst": _("Herkomst"),
        "voorziening": _("Koppeling met voorziening"),
    }


def gebruik_facts(organisation, actor, flt) -> list[tuple]:
    """Per gebruik of the filtered landscape what the filters look at: status, hosting,
    afnemer, application, stated referentiecomponenten, and the application's supplier and
    referentiecomponenten; one query."""
    module = visible(MODULE, actor).filter(uuid=Cast(OuterRef("_module"), UUIDField()))
    rows = landscape_gebruik(organisation, actor, flt).order_by()
    return list(
        rows.annotate(
            _aanbieder=Subquery(module.values(a=KT("data__aanbieder"))[:1]),
            _refs=Subquery(module.values(r=F("data__referentieComponenten"))[:1]),
        ).values_list(
            "data__status",
            "data__cloudDienstverleningsmodel",
            "data__afnemer",
            "_module",
            "data__gebruiktVoorReferentiecomponenten",
            "_aanbieder",
            "_refs",
        )
    )


def fact_values(key: str, fact: tuple, voorzieningen: dict[str, set], own: str) -> set:
    status, hosting, afnemer, module, stated, aanbieder, implemented = fact
    if key == "status":
        return {status} if status else set()
    if key == "hosting":
        return {hosting} if hosting else set()
    if key == "herkomst":
        return {"eigen" if afnemer == own else "samenwerking"}
    if key == "leverancier":
        return {aanbieder} if aanbieder else set()
    if key == "referentiecomponent":
        return set(_as_list(stated) or _as_list(implemented))
    return voorzieningen.get(module, set())


def _as_list(value) -> list:
    if isinstance(value, str):  # a JSON array from a subquery may come back as text
        value = json.loads(value)
    return [str(v) for v in value or []]


def voorziening_links(organisation, actor) -> dict[str, set]:
    """Application → the voorzieningen the landscape's koppelingen connect it to."""
    linked: dict[str, set] = {}
    rows = landscape_koppelingen(organisation, actor).filter(
        data__buitengemeentelijkVoorziening__isnull=False
    )
    for a, b, voorziening in rows.order_by().values_list(
        "data__moduleA", "data__moduleB", "data__buitengemeentelijkVoorziening"
    ):
        for module in (a, b):
            if module and voorziening:
                linked.setdefault(str(module), set()).add(str(voorziening))
    return linked


# --- saved filters -------------------------------------------------------------------------


def own_filters(actor):
    """The filters the user saved while acting for this organisation; nobody else's."""
    return SavedFilter.objects.filter(user=actor.user, organisation=actor.organisation)


QUERY_LENGTH = SavedFilter._meta.get_field("query").max_length


class SaveFilterForm(SiteForm, forms.Form):
    naam = forms.CharField(
        label=_lazy("Naam van het filter"),
        max_length=100,
        error_messages={
            "required": _lazy("Geef het filter een naam."),
            "max_length": _lazy("Een naam is ten hoogste 100 tekens."),
        },
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, saved=None, **kwargs):
        kwargs.setdefault("auto_id", "bewaar-%s")
        super().__init__(*args, **kwargs)
        self.saved = saved

    def clean(self):
        data = super().clean()
        try:
            flt = LandscapeFilter.from_query(QueryDict(data.get("query") or ""))
        except InvalidFilter as invalid:
            raise forms.ValidationError(str(invalid)) from None
        if not flt.pairs():
            raise forms.ValidationError(_("Kies eerst een of meer filters om te bewaren."))
        if len(flt.querystring()) > QUERY_LENGTH:
            raise forms.ValidationError(
                _("Dit filter is te lang om te bewaren; kies minder waarden.")
            )
        data["filter"] = flt
        naam = data.get("naam")
        if naam and self.saved is not None:
            if self.saved.filter(naam__iexact=naam).exists():
                self.add_error(
                    "naam",
                    _("U heeft al een filter met de naam ‘%(naam)s’; kies een andere naam.")
                    % {"naam": naam},
                )
            elif self.saved.count() >= MAX_SAVED:
                self.add_error(
                    None,
                    _("U kunt ten hoogste %(max)s filters bewaren; verwijder er eerst een.")
                    % {"max": MAX_SAVED},
                )
        return data


def bewaarde_filters(request):
    """Save the current filter under a name, or delete one of the user's own."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    saved = own_filters(actor)
    if request.POST.get("actie") == "verwijderen":
        pk = request.POST.get("filter", "")
        found = saved.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 19 else None
        if found is None:
            raise Http404
        found.delete()
        messages.success(request, _("Het filter ‘%(naam)s’ is verwijderd.") % {"naam": found.naam})
        return redirect(overview_url_for(_canonical(request.POST.get("query", ""))))
    form = SaveFilterForm(request.POST, saved=saved)
    if form.is_valid():
        flt = form.cleaned_data["filter"]
        try:
            with transaction.atomic():
                SavedFilter.objects.create(
                    user=actor.user,
                    organisation=actor.organisation,
                    naam=form.cleaned_data["naam"],
                    query=flt.querystring(),
                )
        except IntegrityError:  # saved at the same moment in another tab
            form.add_error("naam", _("U heeft al een filter met deze naam."))
        else:
            messages.success(
                request,
                _("Het filter ‘%(naam)s’ is bewaard.") % {"naam": form.cleaned_data["naam"]},
            )
            return redirect(overview_url(flt))
    current = _canonical(request.POST.get("query", ""))
    flt = LandscapeFilter.from_query(QueryDict(current))
    return render_overview(request, actor, flt, save_form=form, status=400)


def _canonical(query: str) -> str:
    """A querystring as the canonical filter, or "" when it is not a valid filter."""
    try:
        return LandscapeFilter.from_query(QueryDict(query)).querystring()
    except InvalidFilter:
        return ""


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


__all__ = [
    "bewaarde_filters",
    "in_landscape",
    "koppeling_verwijderen",
    "landschap",
    "voorstel",
]
