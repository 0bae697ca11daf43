"""Faults: a worker killed in the middle of a job (SIGKILL) leaves no partial rows, the job shows
as interrupted, and it can be started again."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from accounts.access import Role
from accounts.models import Bidang
from welfare.jobs import job_live_state, job_retry, job_start
from welfare.models import Job

from . import fault_jobs
from .factories import make_user

BASE = Path(__file__).resolve().parent.parent
WORKER = (
    "import django; django.setup(); import tests.fault_jobs; "
    "from django.core.management import call_command; "
    "call_command('db_worker', '--queue-name', 'default', '--interval', '0.2')"
)


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_nothing_and_can_run_again(regions, client_for):
    starter = make_user(Role.OPERATOR, username="fault.op", bidang_code="linjamsos")
    job = job_start(
        kind="test_slow_write",
        title="Impor yang terputus",
        created_by=starter,
        params={"delay": 0.3},
    )
    prefix = f"tmp-{job.pk.hex[:8]}-"

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "welfare.settings_test",
    }
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=BASE, env=env)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            job.refresh_from_db()
            if job.status == Job.Status.RUNNING and job_live_state(job)["progress"] >= 30:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the worker did not start the job")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()

    assert not Bidang.objects.filter(code__startswith=prefix).exists(), "partial rows were left"
    state = job_live_state(Job.objects.get(pk=job.pk))
    assert state["status"] == Job.Status.INTERRUPTED
    page = client_for(starter).get(f"/tugas/{job.pk}/").content.decode()
    assert "Terputus" in page and "Jalankan lagi" in page

    retry = job_retry(job=Job.objects.get(pk=job.pk), actor=starter)
    retry.params["delay"] = 0
    retry.save(update_fields=["params"])
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    retry.refresh_from_db()
    assert retry.status == Job.Status.SUCCEEDED
    assert retry.retry_of_id == job.pk
    assert (
        Bidang.objects.filter(code__startswith=f"tmp-{retry.pk.hex[:8]}-").count()
        == fault_jobs.ROWS
    )


def _database_url() -> str:
    settings = connections["default"].settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_gives_a_clear_page_and_the_app_recovers(regions):
    import urllib.error
    import urllib.request

    from .tcp_proxy import TcpProxy

    settings = connections["default"].settings_dict
    proxy = TcpProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{settings['USER']}@127.0.0.1:{proxy.port}/{settings['NAME']}",
        "DJANGO_SETTINGS_MODULE": "welfare.settings_test",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--nothreading",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    try:
        deadline = time.time() + 30
        while True:
            try:
                status, _body = get("/akun/masuk/")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        assert status == 200

        proxy.cut()
        status, body = get("/akun/masuk/")
        assert status == 503
        assert "Basis data tidak dapat dihubungi" in body
        status, body = get("/api/v1/health/")
        assert status == 503

        proxy.restore()
        status, body = get("/akun/masuk/")
        assert status == 200, body[:500]
        assert "Masuk" in body
        assert get("/api/v1/health/")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
        proxy.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
