"""The task the queue runs. Thin: it fetches the job by id and calls the service."""

from django.tasks import task


@task()
def run_job(job_id: str) -> None:
    from .jobs import job_run

    job_run(job_id=job_id)
