"""/mijn-landschap/export?formaat=<slug>&soort=landschap|koppelingen&<filter>: the own
landscape (or its koppelingen) as a file, with the overview's filter (klantreis gemeente
7.4–7.7). Only for those who see /mijn-landschap; what goes in is decided in
`plugins.catalogus.exports`."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from plugins.catalogus.exports import (
    ExportRefused,
    UnknownFormat,
    export_links,
    landscape_export,
)
from plugins.catalogus.landscape import InvalidFilter, LandscapeFilter
from plugins.catalogus.selection import KOPPELINGEN, LANDSCHAP
from plugins.catalogus.site.landscape.common import LoginRequired, landscape_actor, login_redirect


def export(request):
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return login_redirect(request)
    kind = request.GET.get("soort") or LANDSCHAP
    flt = LandscapeFilter()
    try:
        flt = LandscapeFilter.from_query(request.GET)
        return landscape_export(
            actor,
            actor.organisation,
            request.GET.get("formaat", ""),
            flt,
            kind,
            request.GET.get("blad", ""),
        ).response()
    except (InvalidFilter, UnknownFormat, ExportRefused) as exc:
        status = getattr(exc, "status", 400)
        links = export_links(kind, flt.querystring()) if kind in (LANDSCHAP, KOPPELINGEN) else []
        context = {
            "message": str(exc),
            "links": links if status == 400 else [],
            "back_url": "/mijn-landschap" + (f"?{flt.querystring()}" if flt.narrows else ""),
            "back_label": _("Terug naar mijn landschap"),
        }
        return render(request, "catalogus/export_fout.html", context, status=status)
