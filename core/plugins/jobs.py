"""Background jobs as plugins see them: the `Job` a user follows on the job page
(`/taken/<uuid>`: title, status, progress, message, a JSON `result` the plugin owns), and
progress written on a connection of its own."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from core.models import Job  # the public model: plugins create, read and finish their jobs

__all__ = ["Job", "report_progress"]


def report_progress(job_id: int, done: int, total: int | None = None) -> None:
    """Write progress on a connection of its own: an import is one transaction until it
    ends, and the user must see its progress meanwhile."""
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_job SET done = %s, total = COALESCE(%s, total), updated_at = now() "
                "WHERE id = %s",
                [done, total, job_id],
            )
    finally:
        connection.close()
