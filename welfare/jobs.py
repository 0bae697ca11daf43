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

import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Protocol

from django.core.cache import cache
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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


def _heartbeat_key(job_id) -> str:
    return f"job-heartbeat:{job_id}"


def _worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_is_gone(job: Job) -> bool:
    """True when the job's worker ran on this host and its process no longer exists."""
    host, _sep, pid = job.worker.rpartition(":")
    if not pid.isdigit() or host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


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
    cache.set(_heartbeat_key(job.pk), time.time(), timeout=24 * 3600)


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
        if _worker_is_gone(job):
            job_mark_interrupted(job_ids=[job.pk])
            job.refresh_from_db()
            return job_live_state(job)
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
    job.worker = _worker_identity()
    job.save(update_fields=["status", "started_at", "worker"])
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


INTERRUPTED_MESSAGE = _lazy(
    "The worker stopped while this job ran. Nothing was saved; start it again."
)


def job_mark_interrupted(*, job_ids=None, heartbeat_timeout_minutes: int = 30) -> int:
    """Mark running jobs whose worker is gone as interrupted, so that the user sees it and can
    start them again (``job_retry``). Their writes were rolled back with their transaction.

    A job is gone when its worker process no longer exists on this host, or, for a worker on
    another host, when it has not reported progress for ``heartbeat_timeout_minutes``."""
    running = Job.objects.filter(status=Job.Status.RUNNING)
    if job_ids is not None:
        running = running.filter(pk__in=job_ids)
    limit = time.time() - heartbeat_timeout_minutes * 60
    gone = []
    for job in running:
        heartbeat = cache.get(_heartbeat_key(job.pk))
        started = job.started_at.timestamp() if job.started_at else 0
        if _worker_is_gone(job) or max(heartbeat or 0, started) < limit:
            gone.append(job.pk)
    if not gone:
        return 0
    return Job.objects.filter(pk__in=gone, status=Job.Status.RUNNING).update(
        status=Job.Status.INTERRUPTED, finished_at=timezone.now(), error=str(INTERRUPTED_MESSAGE)
    )


@transaction.atomic
def job_retry(*, job: Job, actor) -> Job:
    """Start a failed or interrupted job again with the same parameters and input file."""
    if job.status not in (Job.Status.FAILED, Job.Status.INTERRUPTED):
        raise JobError(_("Only a failed or interrupted job can be started again."))
    retry = job_start(kind=job.kind, title=job.title, created_by=actor, params=job.params)
    if job.input_file:
        retry.input_file.name = job.input_file.name  # the same stored file, not a copy
    retry.retry_of = job
    retry.save(update_fields=["input_file", "retry_of"])
    return retry
