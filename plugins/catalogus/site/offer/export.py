"""/mijn-aanbod/export?formaat=<slug>: the own offer as a file (klantreis leverancier 4.5):
applications, versions, koppeling templates, diensten and standards support, never a
gemeente's gebruik. Only for the aanbod-beheerders who see /mijn-aanbod."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from plugins.catalogus.exports import ExportRefused, UnknownFormat, export_links, offer_export
from plugins.catalogus.selection import AANBOD
from plugins.catalogus.site.offer.views import guarded


@guarded
def export(request, actor):
    try:
        return offer_export(
            actor, request.GET.get("formaat", ""), request.GET.get("blad", "")
        ).response()
    except (UnknownFormat, ExportRefused) as exc:
        status = getattr(exc, "status", 400)
        context = {
            "message": str(exc),
            "links": export_links(AANBOD) if status == 400 else [],
            "back_url": "/mijn-aanbod",
            "back_label": _("Terug naar mijn aanbod"),
        }
        return render(request, "catalogus/export_fout.html", context, status=status)
