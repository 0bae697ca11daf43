"""The load test's locustfile runs against a live server for a few seconds with a few users,
with no failed request (the real run is benchmarks/load_test.py: 50 users, minutes, not a test).

locust comes with the test tools (the "test" dependency group). It runs in its own process: it
patches the standard library with gevent, which must not happen inside the test process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token

from benchmarks.load_accounts import STAFF_ACCOUNTS, TKSK_ACCOUNTS
from benchmarks.load_samples import draw_samples

from .factories.performance import small_plan
from .factories.programs import make_household, place
from .test_programs_stats import world  # noqa: F401  (fixture: a program with figures)

BASE = Path(__file__).resolve().parent.parent


def _session(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(settings.SESSION_COOKIE_AGE)
    store.create()
    return store.session_key


@pytest.mark.django_db(transaction=True)
def test_locustfile_runs_without_failures(live_server, users, world, tmp_path):  # noqa: F811
    small_plan()
    household = make_household(
        world["a1"],
        members=(("kepala", 45, "L", ""), ("pasangan", 40, "P", ""), ("anak", 9, "P", "")),
    )
    place("fakir_miskin", household=household)
    samples = draw_samples()
    assert samples["programs"] == ["UJI"] and samples["people"], samples
    (tmp_path / "samples.json").write_text(json.dumps(samples), encoding="utf-8")
    staff, tksk = _session(users["kepala_dinas"]), _session(users["tksk"])
    sessions = {
        **dict.fromkeys(STAFF_ACCOUNTS, staff),
        **dict.fromkeys(TKSK_ACCOUNTS, tksk),
    }
    (tmp_path / "sessions.json").write_text(json.dumps(sessions), encoding="utf-8")
    token = Token.objects.create(user=users["api_client"]).key
    kinds_file = tmp_path / "kinds.json"
    env = {
        **os.environ,
        "LOAD_SESSIONS_FILE": str(tmp_path / "sessions.json"),
        "LOAD_SAMPLES_FILE": str(tmp_path / "samples.json"),
        "LOAD_API_TOKEN": token,
        "LOAD_KINDS_FILE": str(kinds_file),
        "LOAD_WAIT": "0.1,0.3",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(BASE / "benchmarks" / "locustfile.py"),
            "--headless",
            "--host",
            live_server.url,
            "--users",
            "6",
            "--spawn-rate",
            "6",
            "--run-time",
            "8s",
            "--stop-timeout",
            "5",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    kinds = json.loads(kinds_file.read_text(encoding="utf-8"))
    kinds.pop("_seconds")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert set(kinds) == {"staff pages", "TKSK submissions", "API statistics"}, kinds
    assert all(k["count"] > 0 and k["failures"] == 0 for k in kinds.values()), kinds
