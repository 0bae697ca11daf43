"""Backup and restore: a fresh installation restored from an archive has the same data, the same
files and the same figures."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections

from accounts.access import Role
from welfare.backup import table_counts
from welfare.models import Job
from welfare.selectors import agency_get

from .factories import make_user

BASE = Path(__file__).resolve().parent.parent

# Figures compared between the original and the restored installation. Apps add theirs as they
# come (registry counts, the performance summary).
FIGURES = """
import json, django
django.setup()
from welfare.backup import table_counts
from welfare.selectors import agency_get
from django.core.files.storage import default_storage
from welfare.models import Job
job = Job.objects.get(title="Laporan untuk cadangan")
print(json.dumps({
    "counts": table_counts(),
    "agency": agency_get().name,
    "file": job.result_file.read().decode(),
}))
"""


def _url(name: str) -> str:
    settings = connections["default"].settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


@pytest.mark.django_db(transaction=True)
def test_backup_restores_on_a_fresh_installation(regions, tmp_path):
    user = make_user(Role.OPERATOR, username="backup.op", bidang_code="dayasos")
    agency = agency_get()
    agency.name = "Dinas Sosial Kabupaten Lebak"
    agency.save()
    job = Job.objects.create(
        kind="report", title="Laporan untuk cadangan", created_by=user, status=Job.Status.SUCCEEDED
    )
    job.result_file.save("laporan.txt", ContentFile(b"isi laporan 2025"))

    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", "--output", str(archive), verbosity=0)
    assert archive.stat().st_size > 0
    original = table_counts()

    target = connections["default"].settings_dict["NAME"] + "_restore"
    admin = psycopg2.connect(_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        media = tmp_path / "fresh-media"
        env = {
            **os.environ,
            "DATABASE_URL": _url(target),
            "DJANGO_SETTINGS_MODULE": "welfare.settings_test",
            "WELFARE_VAR_DIR": str(tmp_path / "fresh"),
            "WELFARE_MEDIA_ROOT": str(media),
        }
        restore = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=BASE,
            env=env,
            capture_output=True,
            text=True,
        )
        assert restore.returncode == 0, restore.stderr
        assert "counts checked" in restore.stdout or "diperiksa" in restore.stdout

        again = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=BASE,
            env=env,
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0
        assert "tidak kosong" in again.stderr

        figures = subprocess.run(
            [sys.executable, "-c", FIGURES], cwd=BASE, env=env, capture_output=True, text=True
        )
        assert figures.returncode == 0, figures.stderr
        import json

        restored = json.loads(figures.stdout)
        assert restored["counts"] == original
        assert restored["agency"] == "Dinas Sosial Kabupaten Lebak"
        assert restored["file"] == "isi laporan 2025"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.close()
