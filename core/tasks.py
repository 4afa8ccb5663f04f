"""Background work on Django's task framework (database backend, `db_worker` beside the server).

Periodic jobs are tasks that enqueue their next run with `run_after`; no scheduler service.
Long work started by a user records its progress in a `Job` they can follow.
"""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

from django.tasks import task, task_backends
from django.utils import timezone

from core.constants import Channel
from core.plugins.jobs import report_progress

logger = logging.getLogger(__name__)
CLEANUP_INTERVAL = timedelta(days=1)
KEEP_JOBS = timedelta(days=30)
DIGEST_HOUR = 7


def _schedule(task_obj, delay: timedelta, **kwargs) -> bool:
    """Enqueue the next run, when the backend can defer (the immediate test backend cannot)."""
    backend = task_backends[task_obj.backend]
    if not backend.supports_defer:
        return False
    task_obj.using(run_after=timezone.now() + delay).enqueue(**kwargs)
    return True


@task
def cleanup() -> dict:
    """Daily: remove finished jobs and task results older than 30 days, then re-enqueue."""
    from core.models import Job

    cutoff = timezone.now() - KEEP_JOBS
    jobs, _ = Job.objects.filter(
        updated_at__lt=cutoff, status__in=[Job.Status.KLAAR, Job.Status.MISLUKT]
    ).delete()
    results = 0
    if "django_tasks_db" in task_backends["default"].__class__.__module__:
        from django_tasks_db.models import DBTaskResult

        results, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    _schedule(cleanup, CLEANUP_INTERVAL)
    return {"jobs": jobs, "taakresultaten": results}


@task
def send_digests() -> dict:
    """Daily: the digest e-mails of notifications users chose to receive once a day."""
    from core.accounts.notifications import send_digests as send

    try:
        sent = send()
    finally:  # one failing mail server must not end the digests for good
        _schedule(send_digests, _until_next_digest())
    return {"samenvattingen": sent}


def _until_next_digest() -> timedelta:
    """Digests go out at 07:00 local time, so a day's notifications arrive the next morning."""
    now = timezone.localtime()
    next_run = now.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if next_run <= now:
        next_run += timedelta(days=1)
    return next_run - now


def ensure_periodic_tasks() -> None:
    """Make sure each periodic task has one pending run (called on start-up)."""
    backend = task_backends["default"]
    if "django_tasks_db" not in backend.__class__.__module__:
        return
    from django_tasks_db.models import DBTaskResult

    for periodic, first_run in ((cleanup, timedelta(0)), (send_digests, _until_next_digest())):
        pending = DBTaskResult.objects.filter(
            task_path=f"{periodic.func.__module__}.{periodic.func.__qualname__}",
            status__in=["READY", "RUNNING"],
        )
        if not pending.exists():
            periodic.using(run_after=timezone.now() + first_run).enqueue()


@task
def refresh_derived(object_id: int) -> int:
    """After a rename: titles derived from it elsewhere follow (see services)."""
    from core import services

    return services.refresh_derived(object_id)


@task
def import_objects(job_id: int, collection: str, source: str, content_b64: str, status: str):
    """Bulk import of an uploaded file for the user who started the job."""
    from core import services
    from core.actors import Actor
    from core.models import Job, Membership
    from core.plugins.manager import import_sources
    from core.register import catalog

    job = Job.objects.select_related("user", "organisation").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.BEZIG)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(user=job.user, organisation=job.organisation)
        .first()
    )
    if membership is None:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.MISLUKT, message="U bent geen lid meer van deze organisatie."
        )
        return
    actor = Actor.for_membership(membership, channel=Channel.IMPORT)
    entry = catalog.by_collection(collection)
    try:
        content = base64.b64decode(content_b64)
        rows = [
            entry.spec.with_our_keys(row)
            for row in import_sources()[source].read(content=content, spec=entry.spec)
        ]
        Job.objects.filter(pk=job_id).update(total=len(rows))
        result = services.bulk_create(
            entry,
            rows,
            actor=actor,
            status=status,
            progress=lambda done: report_progress(job_id, done),
        )
    except (ValueError, services.NotAllowed) as exc:
        Job.objects.filter(pk=job_id).update(status=Job.Status.MISLUKT, message=str(exc))
        return
    except Exception:
        logger.exception("Import %s mislukt", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.MISLUKT, message="De import is mislukt door een interne fout."
        )
        raise
    if result.errors:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.MISLUKT,
            message="Niets geïmporteerd: er zijn ongeldige rijen.",
            result={"fouten": [{"rij": n, "pointer": p, "reden": m} for n, p, m in result.errors]},
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.KLAAR,
        done=result.created,
        message=f"{result.created} objecten geïmporteerd.",
        result={"aangemaakt": result.created},
    )
