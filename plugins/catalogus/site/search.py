"""`/zoeken`: one search over applicaties, diensten and organisaties (klantreis 4.1 / 5.1,
#144, requirements §3.5), with facets whose counts match the results, sorting by name or
relevance, pages of 20 and cards per result.

Everything is a GET form, so a search is a shareable URL and works without JavaScript
(js/search.js only narrows long option lists while typing and caps the compare ticks).
The questions are in search_query.py, the cards in search_cards.py, the keys in
search_params.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from core.plugins.site import actor_of, visible, visible_organisations
from plugins.catalogus.site.search_cache import SearchCache
from plugins.catalogus.site.search_cards import build_cards
from plugins.catalogus.site.search_params import FACETS, PAGE_SIZE, SearchParams, parse
from plugins.catalogus.site.search_query import LEVERANCIER

SHOWN_OPTIONS = {"aanbieder": 10, "referentiecomponent": 10, "standaard": 15}
OPTION_SCHEMAS = {
    "referentiecomponent": "gemma/referentiecomponent",
    "standaard": "gemma/standaardversie",
}


@dataclass
class Option:
    value: str
    label: str
    count: int
    checked: bool
    id: str = ""


@dataclass
class FacetView:
    key: str
    label: str
    options: list[Option]
    narrow_key: str = ""
    narrow_text: str = ""
    hidden: int = 0  # options not shown (narrow the list to find them)
    active: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # every chosen value → label


def search(request):
    actor = actor_of(request)
    params = parse(request.GET)
    cached = SearchCache(actor)
    outcome = cached.counts(params)
    pages = max(1, ceil(outcome.total / PAGE_SIZE))
    page = params.page
    if page > pages:
        params.errors.append(
            _("Pagina %(page)s bestaat niet; u ziet de laatste pagina (%(last)s).")
            % {"page": page, "last": pages}
        )
        page = pages
    cards = build_cards(cached.page(params, outcome, page), actor)
    facets = [facet_view(facet, params, outcome, actor) for facet in FACETS]
    active = [
        {
            "facet": view.label,
            "label": view.labels.get(value, _("onbekend")),
            "url": _url(params.query_items(drop=(view.key, value))),
        }
        for view in facets
        for value in params.filters.get(view.key, [])
    ]
    context = {
        "params": params,
        "errors": params.errors,
        "total": outcome.total,
        "cards": cards,
        "facets": facets,
        "active_filters": active,
        "clear_url": _url(params.query_items(filters=False)),
        "page": page,
        "pages": pages,
        "page_links": _page_links(params, page, pages),
        "prev_url": _url(params.query_items(page=page - 1)) if page > 1 else "",
        "next_url": _url(params.query_items(page=page + 1)) if page < pages else "",
        "first": (page - 1) * PAGE_SIZE + 1 if cards else 0,
        "last": (page - 1) * PAGE_SIZE + len(cards),
        "government": actor.is_government,
        "has_applications": any(card.kind == "applicatie" for card in cards),
    }
    status = 400 if params.errors else 200
    return render(request, "catalogus/search.html", context, status=status)


def _url(items) -> str:
    return "/zoeken" + ("?" + urlencode(items) if items else "")


def _page_links(params: SearchParams, page: int, pages: int) -> list[dict]:
    """First, last and the pages around the current one; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append(None)
        links.append(
            {
                "number": number,
                "url": _url(params.query_items(page=number)),
                "current": number == page,
            }
        )
        previous = number
    return links


def facet_view(facet, params: SearchParams, outcome, actor) -> FacetView:
    """The options of one facet: fixed lists in their own order (values without results
    left out unless chosen); long lists (suppliers, referentiecomponenten, standards) the
    chosen values first, then the most frequent (standards: alphabetical), narrowed by the
    facet's text box, so the page never lists thousands of checkboxes."""
    chosen = params.filters.get(facet.key, [])
    counts = outcome.kind_counts if facet.key == "type" else outcome.facets[facet.key]
    view = FacetView(
        facet.key,
        str(facet.label),
        [],
        narrow_key=facet.narrow,
        narrow_text=params.narrow.get(facet.key, ""),
        active=bool(chosen),
    )
    if not facet.uuids:
        for value, label in facet.choices().items():
            view.labels[value] = label
            if counts.get(value) or value in chosen:
                view.options.append(Option(value, label, counts.get(value, 0), value in chosen))
    else:
        limit = max(SHOWN_OPTIONS[facet.key], len(chosen))
        complete = bool(view.narrow_text) or facet.key == "standaard"
        pool = set(counts) if complete else {v for v, _n in counts.most_common(limit)}
        labels = _labels(facet.key, pool, chosen, view.narrow_text, actor)
        view.labels = {v: labels[v] for v in chosen if v in labels}
        candidates = [v for v in labels if v in chosen or counts.get(v)]
        if facet.key == "standaard":
            candidates.sort(key=lambda v: (v not in chosen, labels[v].lower()))
        else:
            candidates.sort(key=lambda v: (v not in chosen, -counts.get(v, 0), labels[v].lower()))
        total = len(candidates) if complete else len(set(counts) | set(chosen))
        view.hidden = max(0, total - limit)
        view.options = [
            Option(v, labels[v], counts.get(v, 0), v in chosen) for v in candidates[:limit]
        ]
    for i, option in enumerate(view.options):
        option.id = f"f-{facet.key}-{i}"
    return view


def _labels(key: str, counted: set[str], chosen: list[str], narrow: str, actor) -> dict:
    """Readable names of the counted values (narrowed by `narrow`) and of the chosen ones."""
    if key == "aanbieder":
        suppliers = visible_organisations(actor).filter(type=LEVERANCIER)
        if narrow:  # by name, not by a list of thousands of counted uuids
            name = Q(naam__icontains=narrow) | Q(weergavenaam__icontains=narrow)
            found = suppliers.filter(name | Q(uuid__in=chosen))
        else:
            found = suppliers.filter(uuid__in=counted | set(chosen))
        labels = {
            str(uid): weergavenaam or naam
            for uid, naam, weergavenaam in found.values_list("uuid", "naam", "weergavenaam")
        }
        return {uid: name for uid, name in labels.items() if uid in counted or uid in chosen}
    wanted = Q(uuid__in=counted)
    if narrow:
        wanted &= Q(title__icontains=narrow)
    rows = visible(OPTION_SCHEMAS[key], actor).filter(wanted | Q(uuid__in=chosen))
    return {str(uid): title for uid, title in rows.values_list("uuid", "title")}


urlpatterns = [path("zoeken", search, name="catalogus-zoeken")]
