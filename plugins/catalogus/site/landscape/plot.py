"""7.3 (#68): the organisation's landscape plotted on a GEMMA view.

`/mijn-landschap/views` lists the views GEMMA publishes for the Softwarecatalogus;
`/mijn-landschap/views/<uuid>` draws one as inline SVG from the view's own node coordinates
(absolute, as the GEMMA import stores them) and writes into every referentiecomponent node
the applications the landscape uses for it; `…/<uuid>.svg` is the same drawing as a file.

A gebruik counts for the components in its `gebruiktVoorReferentiecomponenten`; only when
that is empty for the application's own `referentieComponenten`. The landscape filter
narrows the gebruik, so a filtered plot shows the gaps of that selection.

Four queries whatever the size: the view, the landscape's gebruik, its applications and the
GEMMA elements named in the nodes. Everything starts from `visible()`. GEMMA text is data:
the SVG is built with lxml (escaped, well-formed), never from markup strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import CharField, Q, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree
from lxml.builder import ElementMaker

from core.plugins.formats import xml_safe
from core.plugins.site import is_uuid, visible, visible_data
from plugins.catalogus.landscape import InvalidFilter, LandscapeFilter, landscape_gebruik
from plugins.catalogus.site.landscape.common import (
    MODULE,
    LoginRequired,
    landscape_actor,
    login_redirect,
)

VIEW = "gemma/view"
REFCOMP = "gemma/referentiecomponent"
VOORZIENING = "gemma/voorziening"

SVG_NS = "http://www.w3.org/2000/svg"
S = ElementMaker(namespace=SVG_NS, nsmap={None: SVG_NS})
FONT = "system-ui, 'Segoe UI', Arial, Helvetica, sans-serif"

# Sizes in view units (GEMMA's components are mostly 220 × 80).
PAD = 6
MARGIN = 12
NAME_SIZE, NAME_LINE = 12, 15
APP_SIZE, APP_LINE = 11, 13
LABEL_SIZE, LABEL_LINE = 14, 17
GLYPH = 0.6  # generous average glyph width (em): wrap without font metrics, rarely overflow
LEGEND_HEIGHT = 64

# Colours from core/static/css/theme.css; text on every fill is ≥ 4.5:1.
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
LINK = "#004a8f"
BORDER = "#767676"
SUBTLE = "#d4dbe3"
SURFACE = "#ffffff"
SURFACE_ALT = "#f3f6fa"
USED_FILL = "#e6eef7"
USED_LINE = "#004a8f"
GAP_FILL = "#fff4e0"
GAP_HATCH = "#e3b873"
GAP_LINE = "#7a4d00"


@dataclass
class App:
    naam: str
    gebruik: str


@dataclass
class Node:
    id: str
    x: int
    y: int
    w: int
    h: int
    kind: str  # "referentiecomponent", "voorziening", "label" or "element"
    naam: str = ""
    refcomp: str = ""
    depth: int = 0
    apps: list[App] = field(default_factory=list)

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass
class Component:
    uuid: str
    naam: str
    apps: list[App]


@dataclass
class Plot:
    uuid: str
    titel: str
    naam: str
    beschrijving: str
    ingetrokken: bool
    organisatie: str
    gefilterd: bool
    nodes: list[Node]
    lines: list[tuple[Node, Node]]
    components: list[Component]
    box: tuple[int, int, int, int]

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.components if not c.apps)


# --- reading ------------------------------------------------------------------------------


def catalogue_views(actor):
    """The views marked Publiceren "Softwarecatalogus …" that are still in GEMMA, by title."""
    return (
        visible(VIEW, actor)
        .filter(data__contains={"softwarecatalogus": True})
        .exclude(data__contains={"ingetrokken": True})
        .annotate(
            _titel=Coalesce(
                NullIf(KT("data__titelViewSwc"), Value("")), "title", output_field=TextField()
            )
        )
        .order_by(Lower("_titel"), "title", "id")
    )


def _view_object(uuid: str, actor):
    """A catalogue view by uuid (a withdrawn one still draws, with a notice), or 404."""
    if not is_uuid(uuid):
        raise Http404
    found = (
        visible(VIEW, actor).filter(uuid=uuid, data__contains={"softwarecatalogus": True}).first()
    )
    if found is None:
        raise Http404
    return found


def _gemma_elements(knopen: list[dict], actor) -> dict[str, tuple[str, str, str]]:
    """Referentiecomponenten and voorzieningen named by the nodes, keyed by Object ID and by
    AMEFF identifier: (kind, uuid, name). One query (a UNION of the two schemas)."""
    object_ids = sorted({str(n["objectId"]) for n in knopen if n.get("objectId")})
    identifiers = sorted({str(n["element"]) for n in knopen if n.get("element")})
    if not object_ids and not identifiers:
        return {}
    named = Q(data__objectId__in=object_ids) | Q(data__identificatie__in=identifiers)

    def rows(schema: str, kind: str):
        return (
            visible(schema, actor)
            .filter(named)
            .order_by()
            .annotate(
                _kind=Value(kind, output_field=CharField()),
                _oid=KT("data__objectId"),
                _ident=KT("data__identificatie"),
            )
            .values_list("_kind", "uuid", "title", "_oid", "_ident")
        )

    found: dict[str, tuple[str, str, str]] = {}
    for kind, uuid, title, object_id, identifier in rows(REFCOMP, "referentiecomponent").union(
        rows(VOORZIENING, "voorziening"), all=True
    ):
        element = (kind, str(uuid), title or "")
        if object_id:
            found[f"o:{object_id}"] = element
        if identifier:
            found.setdefault(f"i:{identifier}", element)
    return found


def _apps_per_component(organisation, actor, flt: LandscapeFilter) -> dict[str, list[App]]:
    """Referentiecomponent uuid → the landscape's applications used for it (two queries)."""
    gebruik = list(
        landscape_gebruik(organisation, actor, flt)
        .order_by()
        .values_list("uuid", "_module", "data__gebruiktVoorReferentiecomponenten")
    )
    module_ids = sorted({m for _g, m, _r in gebruik if m and is_uuid(m)})
    modules = {
        str(uuid): (title or "", own or [])
        for uuid, title, own in visible(MODULE, actor)
        .filter(uuid__in=module_ids)
        .values_list("uuid", "title", "data__referentieComponenten")
    }
    per_component: dict[str, list[App]] = {}
    for gebruik_uuid, module, chosen in gebruik:
        if module not in modules:
            continue
        naam, own = modules[module]
        for component in dict.fromkeys(str(c) for c in (chosen or own)):
            per_component.setdefault(component, []).append(App(naam, str(gebruik_uuid)))
    for apps in per_component.values():
        apps.sort(key=lambda a: (a.naam.casefold(), a.gebruik))
    return per_component


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _in_drawing_order(knopen: list[dict]) -> list[tuple[dict, int]]:
    """Nodes with their depth, every parent before its children (stored order otherwise);
    a node whose parent is missing is drawn as a top-level node."""
    ids = {n["id"] for n in knopen}
    children: dict[str | None, list[dict]] = {}
    for node in knopen:
        parent = node.get("ouder") if node.get("ouder") in ids else None
        children.setdefault(parent, []).append(node)
    ordered: list[tuple[dict, int]] = []
    stack = [(node, 0) for node in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        node, depth = stack.pop()
        if node["id"] in seen:
            continue
        seen.add(node["id"])
        ordered.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(node["id"], [])))
    return ordered


def build_plot(view, organisation, actor, flt: LandscapeFilter) -> Plot:
    """Everything the page, the table and the SVG file need, from the stored view."""
    data = visible_data(view, actor)
    knopen = [n for n in data.get("knopen") or [] if isinstance(n, dict) and n.get("id")]
    elements = _gemma_elements(knopen, actor)
    per_component = _apps_per_component(organisation, actor, flt)
    nodes: list[Node] = []
    by_id: dict[str, Node] = {}
    components: dict[str, Component] = {}
    for raw, depth in _in_drawing_order(knopen):
        element = elements.get(f"o:{raw.get('objectId')}") or elements.get(
            f"i:{raw.get('element')}"
        )
        kind = element[0] if element else ("label" if raw.get("type") == "Label" else "element")
        node = Node(
            id=str(raw["id"]),
            x=_int(raw.get("x")),
            y=_int(raw.get("y")),
            w=max(_int(raw.get("breedte")), 0),
            h=max(_int(raw.get("hoogte")), 0),
            kind=kind,
            naam=element[2] if element else str(raw.get("label") or ""),
            depth=depth,
        )
        if kind == "referentiecomponent":
            node.refcomp = element[1]
            node.apps = per_component.get(node.refcomp, [])
            components.setdefault(node.refcomp, Component(node.refcomp, node.naam, node.apps))
        nodes.append(node)
        by_id[node.id] = node
    lines = [
        (by_id[c["bron"]], by_id[c["doel"]])
        for c in data.get("verbindingen") or []
        if isinstance(c, dict) and c.get("bron") in by_id and c.get("doel") in by_id
    ]
    if nodes:
        left = min(n.x for n in nodes)
        top = min(n.y for n in nodes)
        right = max(n.x + n.w for n in nodes)
        bottom = max(n.y + n.h for n in nodes)
        box = (left - MARGIN, top - MARGIN, right - left + 2 * MARGIN, bottom - top + 2 * MARGIN)
    else:
        box = (0, 0, 400, 60)
    naam = str(data.get("naam") or view.title or "")
    return Plot(
        uuid=str(view.uuid),
        titel=str(data.get("titelViewSwc") or naam),
        naam=naam,
        beschrijving=str(data.get("beschrijving") or ""),
        ingetrokken=bool(data.get("ingetrokken")),
        organisatie=organisation.display_name,
        gefilterd=flt.narrows,
        nodes=nodes,
        lines=lines,
        components=sorted(components.values(), key=lambda c: (c.naam.casefold(), c.uuid)),
        box=box,
    )


# --- drawing ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """GEMMA and catalogue text as XML character data (lxml refuses control characters)."""
    return xml_safe(text)


def _fits(width: float, size: int) -> int:
    return max(int(width / (size * GLYPH)), 1)


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 0)].rstrip() + "…"


def _pieces(text: str, chars: int) -> list[tuple[str, str]]:
    """Words with the separator before them; a word too long for a line also breaks after
    its hyphens ("Producten-en-dienstencataloguscomponent")."""
    out: list[tuple[str, str]] = []
    for word in text.split():
        parts = re.split(r"(?<=-)(?=.)", word) if len(word) > chars else [word]
        out.extend((part, " " if index == 0 else "") for index, part in enumerate(parts))
    return out


def wrap(text: str, width: float, size: int, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines`; the last line ends in "…" when cut."""
    chars = _fits(width, size)
    pieces = _pieces(_clean(text), chars)
    lines: list[str] = []
    current = ""
    for index, (piece, separator) in enumerate(pieces):
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= chars:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = piece
        if len(lines) == max_lines:
            rest = lines.pop() + "".join(sep + part for part, sep in pieces[index:])
            lines.append(_cut(rest, chars))
            return lines
    if current:
        lines.append(current)
    return [_cut(line, chars) for line in lines]


def _text(x, y, content: str, size: int, *, bold=False, italic=False, colour=TEXT, halo=False):
    attrs = {"x": f"{x:g}", "y": f"{y:g}", "font-size": str(size), "fill": colour}
    if bold:
        attrs["font-weight"] = "600"
    if italic:
        attrs["font-style"] = "italic"
    if halo:  # readable on the hatched fill of a gap
        attrs.update(
            {
                "stroke": SURFACE,
                "stroke-width": "3",
                "stroke-linejoin": "round",
                "paint-order": "stroke",
            }
        )
    return S.text(_clean(content), **attrs)


def _rect(node: Node, fill: str, stroke: str, width: str = "1", **extra):
    return S.rect(
        x=str(node.x),
        y=str(node.y),
        width=str(node.w),
        height=str(node.h),
        fill=fill,
        stroke=stroke,
        **{"stroke-width": width},
        **extra,
    )


def _tooltip(node: Node) -> str:
    if node.kind != "referentiecomponent":
        return node.naam
    if not node.apps:
        return f"{node.naam}: " + _("geen applicatie")
    return f"{node.naam}: " + ", ".join(a.naam for a in node.apps)


def _component(node: Node, links: bool) -> list:
    """A referentiecomponent: its name, then as many applications as fit and "+N"."""
    gap = not node.apps
    width = node.w - 2 * PAD
    parts = [
        _rect(node, "url(#plot-gat)" if gap else USED_FILL, GAP_LINE if gap else USED_LINE, "1.5")
    ]
    if gap:
        parts[0].set("stroke-dasharray", "6 3")
    two_lines = node.h >= 2 * PAD + NAME_SIZE + NAME_LINE + APP_LINE
    y = node.y + PAD + NAME_SIZE
    for line in wrap(node.naam, width, NAME_SIZE, 2 if two_lines else 1):
        parts.append(_text(node.x + PAD, y, line, NAME_SIZE, bold=True, halo=gap))
        y += NAME_LINE
    bottom = node.y + node.h - PAD  # the last baseline that still fits
    fit = max(int((bottom - y) // APP_LINE) + 1, 0) if y <= bottom else 0
    if gap:
        if fit:
            parts.append(
                _text(node.x + PAD, y, _("geen applicatie"), APP_SIZE, italic=True, halo=True)
            )
        return parts
    shown = node.apps if len(node.apps) <= fit else node.apps[: max(fit - 1, 0)]
    chars = _fits(width - APP_SIZE, APP_SIZE)
    for app in shown:
        label = _text(node.x + PAD, y, "▪ " + _cut(_clean(app.naam), chars), APP_SIZE)
        if links:
            label.set("fill", LINK)
            label.set("text-decoration", "underline")
            label = S.a(label, href=f"/mijn-landschap/gebruik/{app.gebruik}", tabindex="-1")
        parts.append(label)
        y += APP_LINE
    rest = len(node.apps) - len(shown)
    if rest and fit:
        more = (
            ngettext("+%(n)d applicatie", "+%(n)d applicaties", rest)
            if shown
            else ngettext("%(n)d applicatie", "%(n)d applicaties", rest)
        ) % {"n": rest}
        parts.append(_text(node.x + PAD, y, more, APP_SIZE, colour=MUTED))
    return parts


def _plain(node: Node) -> list:
    """Groups, labels, voorzieningen and other GEMMA elements: a box with its name, if any."""
    if node.kind == "label":
        parts = [_rect(node, SURFACE_ALT, SUBTLE)]
        size, line_height, bold = LABEL_SIZE, LABEL_LINE, True
    elif node.kind == "voorziening":
        parts = [_rect(node, SURFACE_ALT, BORDER)]
        size, line_height, bold = NAME_SIZE, NAME_LINE, False
    else:
        parts = [_rect(node, SURFACE if node.depth % 2 == 0 else SURFACE_ALT, BORDER, "0.75")]
        size, line_height, bold = NAME_SIZE, NAME_LINE, False
    if node.naam:
        room = max(int((node.h - PAD) // line_height), 1)
        y = node.y + PAD + size
        for line in wrap(node.naam, node.w - 2 * PAD, size, min(room, 3)):
            parts.append(_text(node.x + PAD, y, line, size, bold=bold))
            y += line_height
    return parts


def _border_point(node: Node, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the node's centre to `towards` leaves the node's box."""
    cx, cy = node.centre
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (node.w / 2) / abs(dx) if dx else float("inf"),
        (node.h / 2) / abs(dy) if dy else float("inf"),
        1.0,
    )
    return cx + dx * scale, cy + dy * scale


def _legend(plot: Plot, top: float, left: float) -> list:
    """Title and key of the standalone file (the page has them in HTML)."""
    title = _("%(view)s — landschap van %(org)s") % {"view": plot.titel, "org": plot.organisatie}
    if plot.gefilterd:
        title += " " + _("(gefilterd)")
    y = top + 20
    parts = [_text(left, y, title, 16, bold=True)]
    y += 14
    swatch = Node("", int(left), int(y), 28, 16, "")
    parts += [
        _rect(swatch, USED_FILL, USED_LINE, "1.5"),
        _text(left + 36, y + 12, _("Referentiecomponent met applicaties"), APP_SIZE),
    ]
    swatch.x = int(left) + 300
    gap = _rect(swatch, "url(#plot-gat)", GAP_LINE, "1.5")
    gap.set("stroke-dasharray", "6 3")
    parts += [
        gap,
        _text(
            swatch.x + 36,
            y + 12,
            _("Referentiecomponent zonder applicatie (gearceerd, “geen applicatie”)"),
            APP_SIZE,
        ),
    ]
    return parts


def draw(plot: Plot, *, standalone: bool = False) -> str:
    """The plot as SVG markup: inline for the page (with links to the gebruik), or a
    standalone file (XML declaration, embedded style, legend, no links)."""
    x, y, w, h = plot.box
    if standalone:
        y -= LEGEND_HEIGHT
        h += LEGEND_HEIGHT
    gaps, total = plot.gaps, len(plot.components)
    description = _(
        "%(total)d referentiecomponenten in deze view; %(used)d met een applicatie uit het "
        "landschap, %(gaps)d zonder (gearceerd, met de tekst “geen applicatie”)."
    ) % {"total": total, "used": total - gaps, "gaps": gaps}
    if not standalone:
        description += " " + _("De tabel onder de afbeelding bevat dezelfde gegevens.")
    hatch = S.pattern(
        S.rect(width="8", height="8", fill=GAP_FILL),
        S.line(x1="0", y1="0", x2="0", y2="8", stroke=GAP_HATCH, **{"stroke-width": "3"}),
        id="plot-gat",
        width="8",
        height="8",
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    title = _("%(view)s: landschap van %(org)s") % {"view": plot.titel, "org": plot.organisatie}
    # The file has no links: an image. On the page the application names are links, which
    # role="img" would hide (axe: nested-interactive), so there it is a graphics document.
    svg = S.svg(
        S.title(_clean(title), id="plot-titel"),
        S.desc(_clean(description), id="plot-beschrijving"),
        S.defs(hatch),
        viewBox=f"{x} {y} {w} {h}",
        width=str(w),
        height=str(h),
        role="img" if standalone else "graphics-document",
        **{
            "aria-labelledby": "plot-titel",
            "aria-describedby": "plot-beschrijving",
            "font-family": FONT,
            "class": "swc-plot__svg",
        },
    )
    if standalone:
        svg.insert(2, S.style(f"text {{ font-family: {FONT}; }}", type="text/css"))
        svg.append(S.rect(x=str(x), y=str(y), width=str(w), height=str(h), fill=SURFACE))
        svg.extend(_legend(plot, y, x + MARGIN))
    if not plot.nodes:
        svg.append(_text(x + MARGIN, y + h - 24, _("Deze view heeft geen elementen."), 14))
    for node in plot.nodes:
        group = S.g(S.title(_clean(_tooltip(node))), **{"class": f"swc-plot__node--{node.kind}"})
        if node.kind == "referentiecomponent":
            group.set("data-referentiecomponent", node.refcomp)
            group.set("class", group.get("class") + (" swc-plot__gap" if not node.apps else ""))
            group.extend(_component(node, links=not standalone))
        else:
            group.extend(_plain(node))
        svg.append(group)
    if plot.lines:
        lines = S.g(stroke=BORDER, **{"stroke-width": "1.5", "class": "swc-plot__lines"})
        for source, target in plot.lines:
            x1, y1 = _border_point(source, target.centre)
            x2, y2 = _border_point(target, source.centre)
            lines.append(S.line(x1=f"{x1:g}", y1=f"{y1:g}", x2=f"{x2:g}", y2=f"{y2:g}"))
        svg.append(lines)
    if standalone:
        return etree.tostring(svg, xml_declaration=True, encoding="UTF-8").decode()
    return etree.tostring(svg, encoding="unicode")


# --- pages --------------------------------------------------------------------------------


def _filter(request) -> LandscapeFilter:
    return LandscapeFilter.from_query(request.GET)


def _refused_filter(request, problem: InvalidFilter):
    return render(
        request, "catalogus/landscape/refused.html", {"message": str(problem)}, status=400
    )


def views(request):
    """The GEMMA views to plot the landscape on; links keep the landscape filter."""
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    try:
        flt = _filter(request)
    except InvalidFilter as problem:
        return _refused_filter(request, problem)
    rows = catalogue_views(actor).values_list("uuid", "title", "_titel", KT("data__beschrijving"))
    found = [
        {"uuid": uuid, "naam": naam, "titel": titel, "beschrijving": beschrijving}
        for uuid, naam, titel, beschrijving in rows
    ]
    context = {
        "organisation": actor.organisation,
        "views": found,
        "query": flt.querystring(),
        "gefilterd": flt.narrows,
    }
    return render(request, "catalogus/landscape/plot_list.html", context)


def plot(request, uuid):
    """One view with the landscape on it, the table alternative and the download link."""
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    try:
        flt = _filter(request)
    except InvalidFilter as problem:
        return _refused_filter(request, problem)
    result = build_plot(_view_object(uuid, actor), actor.organisation, actor, flt)
    context = {
        "plot": result,
        "svg": mark_safe(draw(result)),  # built and escaped by lxml, see draw()
        "query": flt.querystring(),
        "used": len(result.components) - result.gaps,
    }
    return render(request, "catalogus/landscape/plot.html", context)


def plot_svg(request, uuid):
    """The same drawing as a standalone SVG attachment."""
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    try:
        flt = _filter(request)
    except InvalidFilter as problem:
        return HttpResponseBadRequest(str(problem), content_type="text/plain; charset=utf-8")
    result = build_plot(_view_object(uuid, actor), actor.organisation, actor, flt)
    response = HttpResponse(draw(result, standalone=True), content_type="image/svg+xml")
    name = "-".join(p for p in (slugify(result.organisatie), slugify(result.titel)) if p)
    response["Content-Disposition"] = f'attachment; filename="{name or "view"}.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("mijn-landschap/views", views, name="landschap-views"),
    path("mijn-landschap/views/<str:uuid>.svg", plot_svg, name="landschap-view-svg"),
    path("mijn-landschap/views/<str:uuid>", plot, name="landschap-view"),
]
