"""A report generation killed in the middle (SIGKILL of the worker while it renders) leaves no
version marked done and no file; the version shows as failed and a new one can be generated."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connections

from performance import demo
from reports import services
from reports.models import ReportVersion
from welfare.jobs import job_live_state
from welfare.models import Job

BASE = Path(__file__).resolve().parent.parent
WORKER = (
    "import django; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('db_worker', '--queue-name', 'default', '--interval', '0.2')"
)


def _database_url() -> str:
    s = connections["default"].settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_killed_generation_leaves_no_version_done(regions, users, client_for):
    demo.seed(stdout=io.StringIO())
    version = services.report_generate(
        actor=users["operator"], kind="lkjip", year=2025, allow_draft=True
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "welfare.settings_test",
    }
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=BASE, env=env)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            job = Job.objects.get(pk=version.job_id)
            if job.status == Job.Status.RUNNING and job_live_state(job)["progress"] >= 60:
                break  # rendering the PDF
            time.sleep(0.2)
        else:
            pytest.fail("the worker did not reach the rendering")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()

    version.refresh_from_db()
    assert version.status == ReportVersion.Status.PENDING
    assert not version.file and not version.fingerprint
    assert not ReportVersion.objects.filter(status=ReportVersion.Status.DONE).exists()
    state = job_live_state(Job.objects.get(pk=version.job_id))
    assert state["status"] == Job.Status.INTERRUPTED
    assert ReportVersion.objects.get(pk=version.pk).state == ReportVersion.Status.FAILED
    page = client_for(users["operator"]).get("/laporan/lkjip/2025/").content.decode()
    assert "Gagal" in page
    again = services.report_generate(
        actor=users["operator"], kind="lkjip", year=2025, allow_draft=True
    )
    assert again.number == 2
