"""The GEMMA import as a background task, with progress the user follows on the job page."""

from __future__ import annotations

import base64
import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.tasks import task

logger = logging.getLogger(__name__)


class ProgressWriter:
    """Writes a job's progress on a connection of its own: the import is one transaction
    until it ends, and the user must see its progress meanwhile."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.connection = None

    def __call__(self, done: int, total: int) -> None:
        from core.models import Job

        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, updated_at = now() "
                "WHERE id = %s",
                [done, total, self.job_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@task
def import_gemma_release(job_id: int, content_b64: str) -> None:
    """Import an uploaded GEMMA release for the functioneel beheerder who started the job."""
    from core.models import Job
    from plugins.ameff_export.importer import import_file

    job = Job.objects.select_related("user").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.BEZIG)
    progress = ProgressWriter(job_id)
    try:
        report = import_file(base64.b64decode(content_b64), user=job.user, progress=progress)
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
    finally:
        progress.close()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.KLAAR,
        done=report.processed,
        total=report.processed,
        message="\n".join(report.lines()),
        result=report.to_json(),
    )
