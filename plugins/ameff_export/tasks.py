"""The GEMMA import as a background task, with progress the user follows on the job page."""

from __future__ import annotations

import base64
import logging

from django.tasks import task

from core.plugins.jobs import report_progress

logger = logging.getLogger(__name__)


@task
def import_gemma_release(job_id: int, content_b64: str) -> None:
    """Import an uploaded GEMMA release for the functioneel beheerder who started the job."""
    from core.plugins.jobs import Job
    from plugins.ameff_export.importer import import_file

    job = Job.objects.select_related("user").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.BEZIG)
    try:
        report = import_file(
            base64.b64decode(content_b64),
            user=job.user,
            progress=lambda done, total: report_progress(job_id, done, total),
        )
    except ValueError as exc:
        Job.objects.filter(pk=job_id).update(status=Job.Status.MISLUKT, message=str(exc))
        return
    except Exception:
        logger.exception("GEMMA-import %s mislukt", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.MISLUKT,
            message="De import is mislukt door een interne fout. Er is niets gewijzigd.",
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.KLAAR,
        done=report.processed,
        total=report.processed,
        message="\n".join(report.lines()),
        result=report.to_json(),
    )
