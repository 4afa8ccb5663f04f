"""Background jobs as plugins see them: progress a user follows on the job page."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


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
