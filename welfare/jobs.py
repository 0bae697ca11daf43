"""Background jobs: start one, report its progress, run it.

An app registers a handler for a kind of job::

    @register_job("registry_import")
    def run_registry_import(job: Job, progress: Progress) -> dict:
        progress(10, _("Reading the file"))
        ...
        return {"created": 10}          # stored in job.result

and starts it from a service with ``job_start(kind=..., created_by=..., params=...)``. The job
is queued once the surrounding transaction commits; the worker calls ``job_run``. A handler
does its writes in its own transaction, so that a failed or killed job leaves nothing half done.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Protocol

from django.core.cache import cache
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def __call__(self, percent: int, message: str = "") -> None: ...


JobHandler = Callable[[Job, Progress], dict | None]
_HANDLERS: dict[str, JobHandler] = {}


class JobError(Exception):
    """A failure with a message for the user (Bahasa Indonesia), stored on the job."""


def register_job(kind: str) -> Callable[[JobHandler], JobHandler]:
    def decorator(handler: JobHandler) -> JobHandler:
        _HANDLERS[kind] = handler
        return handler

    return decorator


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)


def _cache_key(job_id) -> str:
    return f"job-progress:{job_id}"


def job_start(
    *,
    kind: str,
    title: str,
    created_by,
    params: dict | None = None,
    input_file: File | None = None,
    input_name: str | None = None,
) -> Job:
    """Create the job record and queue it when the current transaction commits."""
    if kind not in _HANDLERS:
        raise ValueError(f"no job handler registered for {kind!r}")
    job = Job(kind=kind, title=title, created_by=created_by, params=params or {})
    if input_file is not None:
        job.input_file.save(
            input_name or getattr(input_file, "name", "input"), input_file, save=False
        )
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id) -> None:
    from .tasks import run_job

    result = run_job.enqueue(str(job_id))
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:100])


def job_progress(job: Job, percent: int, message: str = "") -> None:
    """Record progress where every process sees it at once (the cache), even while the job's
    own database transaction is still open."""
    percent = max(0, min(100, int(percent)))
    job.progress = percent
    job.message = message[:300]
    cache.set(_cache_key(job.pk), {"progress": percent, "message": job.message}, timeout=24 * 3600)


def job_live_state(job: Job) -> dict:
    """The job's state for a status page or the API: the database row, with the live progress
    from the cache while it runs."""
    state = {
        "id": str(job.pk),
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "message": job.message,
        "error": job.error,
        "result": job.result,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "has_result_file": bool(job.result_file),
    }
    if job.status == Job.Status.RUNNING:
        live = cache.get(_cache_key(job.pk))
        if live:
            state.update(live)
    return state


def job_run(*, job_id: str) -> None:
    """Run a queued job (called by the worker through ``welfare.tasks.run_job``)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("job %s vanished before it ran", job_id)
        return
    if job.is_finished:
        return
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    job_progress(job, 0, _("Started"))
    handler = _HANDLERS[job.kind]
    try:
        result = handler(job, lambda percent, message="": job_progress(job, percent, message))
    except JobError as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Job.Status.FAILED,
            error=_("An unexpected error stopped this job. Nothing was saved."),
        )
        raise
    else:
        job.result = result or {}
        _finish(job, Job.Status.SUCCEEDED)


def _finish(job: Job, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    if status == Job.Status.SUCCEEDED:
        job.progress = 100
        job.message = _("Finished")
    job.save(
        update_fields=[
            "status",
            "error",
            "finished_at",
            "progress",
            "message",
            "result",
            "result_file",
        ]
    )
    cache.delete(_cache_key(job.pk))


def job_mark_interrupted(*, older_than_minutes: int = 60) -> int:
    """Mark jobs whose worker died (status still running long after their start) so that the
    user sees it and can start them again. Their writes were rolled back with their
    transaction."""
    limit = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    return Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=limit).update(
        status=Job.Status.INTERRUPTED,
        finished_at=timezone.now(),
        error=_("The worker stopped while this job ran. Nothing was saved; start it again."),
    )
