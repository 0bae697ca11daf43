"""Operations: deploy checks, liveness/readiness, metrics, logs without personal data, uploads,
the read-replica router."""

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from welfare import db_router
from welfare.logging import JsonLogFormatter, PersonalDataFilter
from welfare.uploads import MB, detect_kind, strip_image_metadata, validate_upload

BASE = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WELFARE_")
        and key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        WELFARE_SECRET_KEY=secrets.token_urlsafe(50),
        WELFARE_ALLOWED_HOSTS="dinsos.lebakkab.go.id",
        DJANGO_SETTINGS_MODULE="welfare.settings",
        WELFARE_VAR_DIR=os.environ["WELFARE_VAR_DIR"],
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.core.management import execute_from_command_line as e; "
            "e(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        ],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_liveness_needs_no_database(client):
    response = client.get("/api/v1/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "up"}


@pytest.mark.django_db
def test_metrics_for_the_scraper_token_and_administrators_only(client, client_for, users, settings):
    settings.WELFARE_METRICS_TOKEN = "scraper-secret"
    client.get("/api/v1/health/")
    scraped = client.get("/api/v1/metrics/", HTTP_AUTHORIZATION="Bearer scraper-secret")
    assert scraped.status_code == 200
    text = scraped.content.decode()
    assert "welfare_http_requests_total" in text
    assert 'route="api/v1/health/"' in text
    assert "welfare_db_up 1.0" in text
    assert 'welfare_jobs{status="queued"}' in text
    assert "welfare_db_connections" in text
    assert client.get("/api/v1/metrics/", HTTP_AUTHORIZATION="Bearer wrong").status_code in (
        401,
        403,
    )
    assert client_for(users["operator"]).get("/api/v1/metrics/").status_code == 403
    assert client_for(users["admin"]).get("/api/v1/metrics/").status_code == 200


def test_logs_never_carry_a_nik_or_phone_number():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "cari NIK %s dan KK 3602 1412 0385 0003",
        ("3602141203850003",),
        None,
    )
    PersonalDataFilter().filter(record)
    message = record.getMessage()
    assert "3602141203850003" not in message and "0385" not in message
    assert "[disamarkan]" in message
    line = JsonLogFormatter().format(
        logging.LogRecord("x", logging.INFO, __file__, 1, "telepon 081234567890", (), None)
    )
    assert "081234567890" not in line
    assert json.loads(line)["message"] == "telepon [disamarkan]"


@pytest.mark.django_db
def test_request_log_names_the_route_not_the_path(client_for, users, caplog):
    with caplog.at_level(logging.INFO, logger="welfare.request"):
        client_for(users["admin"]).get("/wilayah/?q=3602141203850003")
    records = [r for r in caplog.records if r.name == "welfare.request"]
    assert records and records[-1].route == "wilayah/"
    assert "3602141203850003" not in caplog.text


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return out.getvalue()


def test_uploads_are_checked_by_content_and_size():
    image = SimpleUploadedFile("foto.png", _png(), content_type="image/png")
    assert validate_upload(image, allowed={"image"}, max_bytes=MB) == "image/png"

    disguised = SimpleUploadedFile(
        "foto.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as error:
        validate_upload(disguised, allowed={"image"}, max_bytes=MB, field_label="Foto rumah")
    assert "Foto rumah bukan berkas yang diterima" in error.value.messages[0]

    big = SimpleUploadedFile(
        "besar.pdf", b"%PDF-1.7\n" + b"0" * (2 * MB), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        validate_upload(big, allowed={"pdf"}, max_bytes=MB)
    assert "paling besar 1 MB" in error.value.messages[0]

    broken = SimpleUploadedFile("rusak.png", _png()[:60], content_type="image/png")
    with pytest.raises(ValidationError):
        validate_upload(broken, allowed={"image"}, max_bytes=MB)


def test_phone_photos_lose_their_metadata():
    from PIL import Image

    source = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (3000, 1000), "blue").save(source, format="JPEG", exif=exif)
    cleaned = strip_image_metadata(source)
    assert detect_kind(cleaned) == "image/jpeg"
    with Image.open(cleaned) as image:
        assert max(image.size) == 2000
        assert not image.getexif()


REPLICA_SCRIPT = """
import django
django.setup()
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from regions.models import District
from welfare.db_router import use_replica
from welfare.models import Agency

with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as replica:
    with use_replica():
        count = District.objects.filter(regency_id="36.02").count()
        with transaction.atomic():
            Agency.objects.create(name="tulis saat use_replica")
            transaction.set_rollback(True)
read_only = connections["replica"].cursor().connection.get_parameter_status("default_transaction_read_only")
print(count, len(primary.captured_queries) > 0, any("INSERT" in q["sql"] for q in replica.captured_queries),
      any("COUNT" in q["sql"] for q in replica.captured_queries), read_only)
"""


@pytest.mark.django_db
def test_writes_never_go_to_the_replica(regions):
    """A read-only connection plays the replica (same database, every transaction read-only):
    statistics read there, and a write inside use_replica() still goes to the primary, or
    PostgreSQL would refuse it."""
    name = connections["default"].settings_dict["NAME"]
    base = "postgres://postgres@127.0.0.1:5432/" + name
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "welfare.settings", "WELFARE_DEV": "1"}
    env["DATABASE_URL"] = base
    env["DATABASE_REPLICA_URL"] = base + "?options=-c%20default_transaction_read_only%3Don"
    result = subprocess.run(
        [sys.executable, "-c", REPLICA_SCRIPT], cwd=BASE, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    count, wrote_to_primary, wrote_to_replica, read_from_replica, read_only = result.stdout.split()
    assert count == "28"
    assert wrote_to_primary == "True" and wrote_to_replica == "False"
    assert read_from_replica == "True"
    assert read_only == "on"


def test_without_a_replica_reads_stay_on_default():
    from regions.models import District

    with db_router.use_replica():
        assert db_router.ReplicaRouter().db_for_read(District) == "default"
