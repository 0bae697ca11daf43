"""Background jobs on the embedded default (database queue) and on Redis (RQ)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.access import Role
from welfare.jobs import JobError, job_live_state, job_start, register_job
from welfare.models import Job

from .factories import make_user

SEEN_PROGRESS: list[int] = []


@register_job("test_count")
def _count_job(job, progress):
    total = int(job.params["n"])
    for step in range(total):
        progress(int(100 * step / total), f"langkah {step}")
        SEEN_PROGRESS.append(job.progress)
    return {"counted": total, "summary": f"{total} dihitung"}


@register_job("test_fail")
def _failing_job(job, progress):
    raise JobError("Baris 3: NIK harus 16 digit.")


@pytest.fixture
def starter(regions):
    return make_user(Role.OPERATOR, username="job.starter", bidang_code="linjamsos")


@pytest.mark.django_db(transaction=True)
def test_database_queue_runs_a_job_after_commit(starter):
    with transaction.atomic():
        job = job_start(kind="test_count", title="Hitung", created_by=starter, params={"n": 4})
        assert Job.objects.get(pk=job.pk).task_id == ""  # not queued before the commit
    job.refresh_from_db()
    assert job.task_id, "queued on commit"
    assert job.status == Job.Status.QUEUED

    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 100
    assert job.result == {"counted": 4, "summary": "4 dihitung"}
    assert job.started_at <= job.finished_at


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_keeps_its_message(starter):
    job = job_start(kind="test_fail", title="Gagal", created_by=starter)
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Baris 3: NIK harus 16 digit."


@pytest.mark.django_db
def test_progress_is_visible_from_the_cache_while_running(starter):
    job = Job.objects.create(
        kind="test_count", title="x", created_by=starter, status=Job.Status.RUNNING
    )
    from welfare.jobs import job_progress

    job_progress(job, 42, "setengah jalan")
    stale = Job.objects.get(pk=job.pk)  # the row still says 0
    assert stale.progress == 0
    state = job_live_state(stale)
    assert state["progress"] == 42
    assert state["message"] == "setengah jalan"


@pytest.mark.django_db
def test_job_page_shows_progress_to_its_owner_only(starter, client_for, users):
    job = Job.objects.create(
        kind="test_count", title="Impor data", created_by=starter, status=Job.Status.RUNNING
    )
    response = client_for(starter).get(f"/tugas/{job.pk}/")
    assert response.status_code == 200
    assert "Impor data" in response.content.decode()
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert client_for(users["operator"]).get(f"/tugas/{job.pk}/").status_code == 404
    assert client_for(users["admin"]).get(f"/tugas/{job.pk}/").status_code == 200


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_redis_queue_runs_a_job(starter, settings):
    import django_rq
    from django.conf import settings as django_settings
    from django.tasks import task_backends
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import SimpleWorker

    url = django_settings.REDIS_URL_TEST
    try:
        Redis.from_url(url).ping()
    except RedisConnectionError:
        pytest.fail(f"Redis does not answer at {url}: the Redis-backed queue cannot be tested")
    # The test settings point RQ's queue at REDIS_URL_TEST; switch the task backend to RQ.
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):
        assert type(task_backends["default"]).__name__ == "RQBackend"
        queue = django_rq.get_queue("default")
        assert (
            queue.connection.connection_pool.connection_kwargs["db"]
            == Redis.from_url(url).connection_pool.connection_kwargs["db"]
        )
        queue.empty()
        job = job_start(
            kind="test_count", title="Hitung di Redis", created_by=starter, params={"n": 3}
        )
        job.refresh_from_db()
        assert job.task_id
        assert queue.count == 1
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
        django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED
        assert job.result["counted"] == 3
        assert queue.count == 0
