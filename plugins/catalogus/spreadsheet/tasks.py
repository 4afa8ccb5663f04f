"""The landscape import's steps as background tasks, for files too large for a request."""

from __future__ import annotations

import base64

from django.tasks import task


@task
def dry_run_task(job_id: int, content_b64: str) -> None:
    from plugins.catalogus.spreadsheet.jobs import run_dry_run

    run_dry_run(job_id, base64.b64decode(content_b64))


@task
def import_task(job_id: int) -> None:
    from plugins.catalogus.spreadsheet.jobs import run_import

    run_import(job_id)
