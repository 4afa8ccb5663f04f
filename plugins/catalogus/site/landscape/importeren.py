"""/mijn-landschap/importeren (#16): upload an edited export or the filled template, see in
a dry run what would change (and every error by sheet, row and column), then "Importeren".
/mijn-landschap/sjabloon.xlsx is the template for a first fill. The Applicaties and
Koppelingen sheets are read (a CSV is one of the two); Diensten and Contracten are
export-only and the dry run says so.

Only gebruik-beheerders import (raadplegers get 403; suppliers and VNG, who have no
landscape, a 404). Small files are planned and written within the request; larger ones run
as a task, whose progress this page shows."""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.site import SiteForm, is_uuid
from plugins.catalogus.site.landscape.common import (
    LoginRequired,
    landscape_actor,
    login_redirect,
    writes,
)
from plugins.catalogus.spreadsheet import jobs
from plugins.catalogus.spreadsheet.columns import APPLICATIES, KOPPELINGEN
from plugins.catalogus.spreadsheet.exporters import XLSX_MEDIA_TYPE
from plugins.catalogus.spreadsheet.importer import error_texts, writes_planned
from plugins.catalogus.spreadsheet.tasks import dry_run_task, import_task
from plugins.catalogus.spreadsheet.template import template_bytes

SHOWN = 500  # rows of changes or errors on the page; the counts cover all


def short_name(name: str, limit: int = 150) -> str:
    """The file name as the job keeps it: at most `limit` characters, the extension kept
    (the import reads the format from it)."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:limit]
    return stem[: limit - len(extension) - 1] + "." + extension


def max_bytes() -> int:
    return int(getattr(settings, "CATALOGUS_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def inline_bytes() -> int:
    """Files up to this size are read and planned within the request."""
    return int(getattr(settings, "CATALOGUS_IMPORT_INLINE_BYTES", 200 * 1024))


def inline_writes() -> int:
    """Imports of up to this many writes run within the request."""
    return int(getattr(settings, "CATALOGUS_IMPORT_INLINE_WRITES", 100))


class UploadForm(SiteForm, forms.Form):
    bestand = forms.FileField(
        label=gettext_lazy("Bestand"),
        help_text=gettext_lazy(
            "Een Excel-bestand (.xlsx) of CSV-bestand (.csv): een export van uw landschap of "
            "het ingevulde sjabloon."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Kies een .xlsx- of .csv-bestand."))
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("Het bestand is te groot (meer dan %s MB).") % (max_bytes() // (1024 * 1024))
            )
        return upload


def render_refused(request, message: str, status: int = 403):
    return render(request, "catalogus/landscape/refused.html", {"message": message}, status=status)


def _importer(request):
    """(actor, None) for a gebruik-beheerder; otherwise (None, the response to give)."""
    try:
        actor = landscape_actor(request)
    except LoginRequired:
        return None, login_redirect(request)
    if not writes(actor):
        return None, render_refused(
            request, _("Alleen een gebruik-beheerder importeert in het landschap.")
        )
    return actor, None


def upload(request):
    actor, refused = _importer(request)
    if refused:
        return refused
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload_ = form.cleaned_data["bestand"]
            content = upload_.read()
            job = jobs.start(actor, phase=jobs.DRY_RUN, bestand=short_name(upload_.name))
            if len(content) <= inline_bytes():
                jobs.run_dry_run(job.pk, content)
            else:
                dry_run_task.enqueue(job.pk, base64.b64encode(content).decode("ascii"))
            return redirect("landschap-import", uuid=job.uuid)
        status = 400
    else:
        status = 200
    return render(request, "catalogus/landscape/import.html", {"form": form}, status=status)


def _rows(plan: dict) -> list[dict]:
    rows = [{"soort": _("Nieuw"), **op} for op in plan.get("nieuw", [])]
    rows += [{"soort": _("Gewijzigd"), **op} for op in plan.get("gewijzigd", [])]
    return sorted(rows, key=lambda row: row["rij"])[:SHOWN]


def _sheets(plan: dict) -> list[dict]:
    """Per sheet read: its counts, rows that change something and columns not read. The
    Applicaties sheet keeps the ids `aantal-…`, `rij-…`, `genegeerd`; Koppelingen's are
    prefixed `koppelingen-`."""
    found = []
    for name in plan.get("bladen", [APPLICATIES]):
        part = plan if name == APPLICATIES else plan.get("koppelingen", {})
        found.append(
            {
                "naam": name,
                "id": "aantal" if name == APPLICATIES else KOPPELINGEN.lower(),
                "rij_id": "rij" if name == APPLICATIES else "koppeling-rij",
                "genegeerd_id": "genegeerd" if name == APPLICATIES else "koppelingen-genegeerd",
                "nieuw": len(part.get("nieuw", [])),
                "gewijzigd": len(part.get("gewijzigd", [])),
                "ongewijzigd": part.get("ongewijzigd", 0),
                "rows": _rows(part),
                "row_count": len(part.get("nieuw", [])) + len(part.get("gewijzigd", [])),
                "ignored": part.get("genegeerd", []),
                "applicaties": name == APPLICATIES,
            }
        )
    return found


def result(request, uuid):
    actor, refused = _importer(request)
    if refused:
        return refused
    job = jobs.job_of(uuid, actor) if is_uuid(uuid) else None
    if job is None:
        raise Http404
    outcome = job.result
    dry_run = outcome.get("fase") == jobs.DRY_RUN
    done = job.status == "klaar"
    errors = outcome.get("fouten") or []
    planned = writes_planned(outcome) if dry_run else 0
    may_confirm = dry_run and done and not errors and planned > 0
    if request.method == "POST":
        if not may_confirm:
            return render_refused(request, _("Deze proefimport kan niet worden geïmporteerd."), 400)
        started, new = jobs.confirm(actor, job)
        if new:
            if planned <= inline_writes():
                jobs.run_import(started.pk)
            else:
                import_task.enqueue(started.pk)
        return redirect("landschap-import", uuid=started.uuid)
    context = {
        "job": job,
        "dry_run": dry_run,
        "running": job.status in ("wachtend", "bezig"),
        "failed": job.status == "mislukt",
        "done": done,
        "counts": {
            "aangemaakt": outcome.get("aangemaakt", 0),
            "bijgewerkt": outcome.get("bijgewerkt", 0),
            "koppelingen_aangemaakt": outcome.get("koppelingen_aangemaakt"),
            "koppelingen_bijgewerkt": outcome.get("koppelingen_bijgewerkt", 0),
        },
        "errors": error_texts(errors[:SHOWN]),
        "error_count": len(errors),
        "sheets": _sheets(outcome) if dry_run else [],
        "read": outcome.get("bladen", [APPLICATIES]),
        "skipped": outcome.get("niet_ingelezen", []),
        "shown": SHOWN,
        "may_confirm": may_confirm and not outcome.get("toegepast"),
        "applied": outcome.get("toegepast", ""),
        "dry_run_uuid": outcome.get("proef", ""),
    }
    return render(request, "catalogus/landscape/import_result.html", context)


def sjabloon(request):
    actor, refused = _importer(request)
    if refused:
        return refused
    response = HttpResponse(template_bytes(actor.organisation), content_type=XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = 'attachment; filename="sjabloon-landschap.xlsx"'
    return response


urlpatterns = [
    path("mijn-landschap/importeren", upload, name="landschap-importeren"),
    path("mijn-landschap/importeren/<str:uuid>", result, name="landschap-import"),
    path("mijn-landschap/sjabloon.xlsx", sjabloon, name="landschap-sjabloon"),
]
