"""The import's two steps as jobs the user follows: the dry run (read, match, plan) and the
import (write the plan). Small files run inline in the request, large ones as a task; both
end with the outcome in the job, shown on /mijn-landschap/importeren/<job uuid> (and, in
short, on core's job page /taken/<uuid>).

The dry run's job keeps the plan, so "Importeren" writes exactly what the user saw; it is
marked as applied, so a second click imports nothing twice."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.plugins.accounts import acting_actors
from core.plugins.jobs import report_progress
from core.plugins.site import NotAllowed
from plugins.catalogus.site.menu import changes_landscape
from plugins.catalogus.spreadsheet.columns import APPLICATIES, KOPPELINGEN
from plugins.catalogus.spreadsheet.importer import apply_plan, error_texts, plan_import
from plugins.catalogus.spreadsheet.reader import FileProblem, read_upload

logger = logging.getLogger(__name__)

KIND = "landschap-import"
DRY_RUN = "proef"
IMPORT = "import"
FAILED = gettext_lazy("De import is mislukt door een interne fout. Er is niets gewijzigd.")


def _job_model():
    from core.plugins.jobs import Job

    return Job


def start(actor, *, phase: str, bestand: str, extra: dict | None = None):
    """A job of this user for this organisation, waiting to run."""
    Job = _job_model()
    title = (
        _("Landschap importeren: proefimport van %s")
        if phase == DRY_RUN
        else _("Landschap importeren: %s")
    ) % bestand
    return Job.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        title=title[:200],
        result={"soort": KIND, "fase": phase, "bestand": bestand, **(extra or {})},
    )


def job_of(uuid, actor):
    """The actor's own import job (their user, their organisation), or None."""
    if actor.user is None or actor.organisation is None:
        return None
    return (
        _job_model()
        .objects.filter(
            uuid=uuid, user=actor.user, organisation=actor.organisation, result__soort=KIND
        )
        .first()
    )


def _actor(job):
    """The job's user acting for the job's organisation, if they still may change its
    landscape."""
    for actor in acting_actors(job.user, channel="import"):
        if actor.organisation.pk == job.organisation_id and changes_landscape(actor):
            return actor
    return None


def _finish(job, status: str, message: str, result: dict) -> None:
    Job = _job_model()
    total = result.get("rijen") or job.total
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message, result={**job.result, **result}, done=total, total=total
    )


def _counts(sheet: dict) -> str:
    return _("%(n)s nieuw, %(g)s gewijzigd, %(o)s ongewijzigd.") % {
        "n": len(sheet["nieuw"]),
        "g": len(sheet["gewijzigd"]),
        "o": sheet["ongewijzigd"],
    }


def _summary(plan: dict) -> str:
    if "koppelingen" in plan:
        lines = [
            f"{sheet}: {_counts(part)}"
            for sheet, part in ((APPLICATIES, plan), (KOPPELINGEN, plan["koppelingen"]))
            if sheet in plan["bladen"]
        ]
    else:
        lines = [_counts(plan)]
    if plan["fouten"]:
        lines.append(_("%s fouten; los ze op en upload het bestand opnieuw.") % len(plan["fouten"]))
    return "\n".join(lines)


def run_dry_run(job_id: int, content: bytes) -> None:
    """Read the file and plan the import; nothing is written to the landscape."""
    Job = _job_model()
    job = Job.objects.select_related("user", "organisation").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.BEZIG)
    actor = _actor(job)
    if actor is None:
        _finish(job, Job.Status.MISLUKT, _("U mag dit landschap niet meer wijzigen."), {})
        return
    try:
        upload = read_upload(job.result["bestand"], content)
        Job.objects.filter(pk=job_id).update(total=upload.row_count)
        plan = plan_import(
            upload,
            actor.organisation,
            actor,
            progress=lambda done, total: report_progress(job_id, done, total),
        )
    except FileProblem as problem:
        _finish(job, Job.Status.MISLUKT, str(problem), {})
        return
    except Exception:
        logger.exception("Proefimport %s mislukt", job_id)
        _finish(job, Job.Status.MISLUKT, str(FAILED), {})
        raise
    _finish(job, Job.Status.KLAAR, _summary(plan), plan)


def run_import(job_id: int) -> None:
    """Write the plan of the dry run this job was started from."""
    Job = _job_model()
    job = Job.objects.select_related("user", "organisation").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.BEZIG)
    actor = _actor(job)
    dry_run = Job.objects.filter(pk=job.result.get("proef_id"), user=job.user).first()
    if actor is None or dry_run is None:
        _finish(job, Job.Status.MISLUKT, _("U mag dit landschap niet meer wijzigen."), {})
        return
    plan = {**dry_run.result, "bestand": job.result["bestand"]}
    try:
        outcome = apply_plan(
            plan, actor, progress=lambda done, total: report_progress(job_id, done, total)
        )
    except NotAllowed as refused:
        _finish(job, Job.Status.MISLUKT, str(refused), {})
        return
    except Exception:
        logger.exception("Landschapsimport %s mislukt", job_id)
        _finish(job, Job.Status.MISLUKT, str(FAILED), {})
        raise
    result = {
        "aangemaakt": outcome.aangemaakt,
        "bijgewerkt": outcome.gewijzigd,
        "fouten": outcome.fouten,
        "rijen": dry_run.result.get("rijen", 0),
    }
    with_koppelingen = "koppelingen" in plan
    if with_koppelingen:
        result["koppelingen_aangemaakt"] = outcome.koppelingen_aangemaakt
        result["koppelingen_bijgewerkt"] = outcome.koppelingen_gewijzigd
    if outcome.fouten:
        message = "\n".join([_("Er is niets geïmporteerd."), *error_texts(outcome.fouten)[:20]])
        _finish(job, Job.Status.MISLUKT, message, result)
        return
    message = _("%(n)s gebruik toegevoegd, %(g)s gewijzigd.") % {
        "n": outcome.aangemaakt,
        "g": outcome.gewijzigd,
    }
    if with_koppelingen:
        message += " " + _("%(n)s koppelingen toegevoegd, %(g)s gewijzigd.") % {
            "n": outcome.koppelingen_aangemaakt,
            "g": outcome.koppelingen_gewijzigd,
        }
    _finish(job, Job.Status.KLAAR, message, result)


def confirm(actor, dry_run):
    """Start the import of a finished dry run, once: (the import job, whether it is new).
    A second "Importeren" gets the job of the first."""
    Job = _job_model()
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=dry_run.pk)
        applied = locked.result.get("toegepast")
        if applied:
            return Job.objects.get(uuid=applied), False
        job = start(
            actor,
            phase=IMPORT,
            bestand=locked.result.get("bestand", ""),
            extra={"proef_id": locked.pk, "proef": str(locked.uuid)},
        )
        locked.result = {**locked.result, "toegepast": str(job.uuid)}
        locked.save(update_fields=["result"])
    return job, True
