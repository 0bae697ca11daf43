"""Load test: 50 concurrent users against gunicorn on PostgreSQL with a Lebak-sized registry.

    make install                                  # locust comes with the test tools
    .venv/bin/python benchmarks/load_test.py      # set-up, seed, serve, run, report, stop
    .venv/bin/python benchmarks/load_test.py --users 50 --run-time 120 --workers 4

Steps, each bounded in time:

1. the database (``--database-url``, default ``postgres://postgres@127.0.0.1:5432/welfare_load_bench``;
   its name must contain ``bench``) is created when missing and migrated;
2. the demo (users, field work, performance) is seeded, and the registry is filled set-based
   with 312,000 households and 1.2 million persons over Lebak's 345 real villages
   (``benchmarks/registry_data.py``; skipped when already there), and the national programs at
   Lebak size are drawn from it (``benchmarks/programs_data.py``: PKH 73,000 KPM, BPNT 70,000,
   ASPD, ASLUT, the district's disability aid; about 1.1 million disbursements), their figures
   built (``programs_refresh_figures``) and checked against the data;
3. gunicorn serves the production settings with ``--workers`` sync workers on a free loopback
   port;
4. locust runs headless (``benchmarks/locustfile.py``) with ``--users`` users spawned at
   ``--spawn-rate`` per second for ``--run-time`` seconds, writing its CSV statistics to
   ``--out`` (default ``var/load``), and the locustfile writes the per-kind figures to
   ``kinds.json`` there;
5. gunicorn is stopped, the table of figures is printed (Markdown), and the exit status is 1 when
   any request failed.

Everything runs on this one machine: the load generator takes CPU from the server, so the figures
are a floor for a real deployment, and compare runs of the same machine only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/welfare_load_bench"
PASSWORD = "Demo-Lebak-2026"  # noqa: S105 - the demo password (accounts/demo.py)
API_TOKEN = "demo0api0token0lebak00000000000000000000"  # noqa: S105 - the demo token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"The database name must contain 'bench' (got {name!r}): it is filled with data.")
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def prepare(env: dict, *, households: int, persons: int) -> None:
    """Migrate, seed the demo, fill the registry and the programs, build the program figures
    (in a child process: Django set up there)."""
    code = f"""
import django, time
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("migrate", "--noinput", verbosity=0)
call_command("seed_demo")
from django.db import connection
from django.utils import timezone
from benchmarks.programs_data import fill_programs
from benchmarks.registry_data import BULK_NOTE, fill_regency
fill_regency("36.02", households={households}, persons={persons})
with connection.cursor() as cur:  # as the registry import does after a district's first load
    cur.execute("VACUUM ANALYZE beneficiaries_household, beneficiaries_person,"
                " beneficiaries_categoryplacement")
if fill_programs(year=timezone.localdate().year, rows=f"notes = '{{BULK_NOTE}}'"):
    call_command("programs_refresh_figures")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE programs_enrollment, programs_disbursement,"
                    " programs_enrollmentsummary, programs_disbursementsummary")
from programs import targeting
targeting.refresh_stale()  # what a migration marked out of date, before the run, not in it
call_command("programs_refresh_figures", "--check")
print(f"prepared in {{time.perf_counter() - started:.0f}} s", flush=True)
"""
    subprocess.run([sys.executable, "-c", code], cwd=BASE, env=env, check=True, timeout=3600)


SESSIONS_CODE = """
import json, sys, django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
sessions = {}
for user in User.objects.filter(is_active=True, username__in=json.loads(sys.argv[1])):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(settings.SESSION_COOKIE_AGE)
    store.create()
    sessions[user.username] = store.session_key
print(json.dumps(sessions))
"""


SAMPLES_CODE = """
import json, django
django.setup()
from benchmarks.load_samples import draw_samples
print(json.dumps(draw_samples()))
"""


def _django_json(env: dict, code: str, *args: str):
    """Run ``code`` in a fresh Python process of the project (Django set up by ``code``) and
    read the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=BASE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def draw_samples(env: dict) -> dict:
    """The NIK, names, households and kecamatan the users type and open
    (``benchmarks/load_samples.py``)."""
    return _django_json(env, SAMPLES_CODE)


def make_sessions(env: dict, usernames: list[str]) -> dict[str, str]:
    """Sessions made directly (as a log-in would): 50 log-ins at once would measure password
    hashing (PBKDF2, deliberately slow) instead of the pages; one log-in is timed apart."""
    return _django_json(env, SESSIONS_CODE, json.dumps(usernames))


def time_login(host: str, username: str) -> float:
    """Seconds of one log-in through the form on the idle server."""
    import http.cookiejar
    import re
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{host}/akun/masuk/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the loopback server started here
        f"{host}/akun/masuk/", data=data, headers={"Referer": f"{host}/akun/masuk/"}
    )
    started = time.perf_counter()
    response = opener.open(request)
    elapsed = time.perf_counter() - started
    if "/akun/masuk/" in response.url:
        raise RuntimeError(f"log-in of {username} failed")
    return elapsed


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"The server did not answer at {url}")


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def markdown(kinds: dict, rows: list[dict], seconds: float) -> str:
    out = [
        "| Request kind | Requests | Failures | Throughput (req/s) | p50 | p95 | p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, k in kinds.items():
        out.append(
            f"| {name} | {k['count']:,} | {k['failures']} | {k['count'] / seconds:.1f} |"
            f" {k['p50']:.0f} ms | {k['p95']:.0f} ms | {k['p99']:.0f} ms |"
        )
    out += [
        "",
        "| Request | Requests | Failures | Median | p95 | p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        out.append(
            f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} |"
            f" {row['Failure Count']} | {row['50%']} ms | {row['95%']} ms | {row['99%']} ms |"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=int, default=120, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--households", type=int, default=312_000)
    parser.add_argument("--persons", type=int, default=1_200_000)
    parser.add_argument("--out", type=Path, default=BASE / "var" / "load")
    parser.add_argument(
        "--wait", default="5,15", help="think time between a user's requests, min,max seconds"
    )
    parser.add_argument("--skip-prepare", action="store_true", help="database already prepared")
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="welfare-load-"))
    (scratch / "prom").mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "welfare.settings",
        "WELFARE_DEV": "1",  # loopback http: no secure cookies, a local key
        "DATABASE_URL": args.database_url,
        "WELFARE_VAR_DIR": str(scratch),
        "WELFARE_MEDIA_ROOT": str(scratch / "media"),
        "WELFARE_STATIC_ROOT": str(BASE / "var" / "staticfiles"),
        "PROMETHEUS_MULTIPROC_DIR": str(scratch / "prom"),
        "WELFARE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(BASE),
    }
    env.pop("REDIS_URL", None)
    ensure_database(args.database_url)
    if not args.skip_prepare:
        prepare(env, households=args.households, persons=args.persons)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log = open(args.out / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "welfare.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
        ],
        cwd=BASE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    prefix = args.out / "locust"
    sessions_file = args.out / "sessions.json"
    from benchmarks.load_accounts import STAFF_ACCOUNTS, TKSK_ACCOUNTS

    sessions_file.write_text(
        json.dumps(make_sessions(env, [*STAFF_ACCOUNTS, *TKSK_ACCOUNTS])), encoding="utf-8"
    )
    samples_file = args.out / "samples.json"
    samples_file.write_text(json.dumps(draw_samples(env)), encoding="utf-8")
    try:
        wait_for(f"{host}/api/v1/health/live/")
        for _ in range(args.workers * 2):  # every worker has loaded the app
            wait_for(f"{host}/akun/masuk/")
        login_seconds = statistics.median(time_login(host, "kadis") for _ in range(3))
        loads: list[float] = []
        stop_sampling = threading.Event()

        def sample_load() -> None:  # the 1-minute load average every 5 s of the run
            while not stop_sampling.wait(5):
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample_load, daemon=True)
        sampler.start()
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(BASE / "benchmarks" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.run_time}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=BASE,
            env={
                **env,
                "LOAD_SESSIONS_FILE": str(sessions_file),
                "LOAD_SAMPLES_FILE": str(samples_file),
                "LOAD_API_TOKEN": API_TOKEN,
                "LOAD_KINDS_FILE": str(args.out / "kinds.json"),
                "LOAD_WAIT": args.wait,
            },
            timeout=args.run_time + 180,
        )
        elapsed = time.monotonic() - started
        stop_sampling.set()
        load_at_end = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()

    kinds = json.loads((args.out / "kinds.json").read_text(encoding="utf-8"))
    seconds = kinds.pop("_seconds", None) or elapsed
    rows = sorted(
        (row for row in read_stats(prefix) if row["Name"] != "Aggregated"),
        key=lambda row: -float(row["50%"] or 0),
    )
    report = markdown(kinds, rows, seconds)
    (args.out / "report.md").write_text(report + "\n", encoding="utf-8")
    print(
        f"\n{args.users} users, {seconds:.0f} s of load, think time {args.wait} s, "
        f"{args.workers} gunicorn workers; one log-in on the idle server: {login_seconds:.2f} s"
    )
    print(
        f"load average during the run (1 min, every 5 s): mean {statistics.mean(loads or [0]):.2f},"
        f" max {max(loads or [0]):.2f}; at the end {load_at_end[0]:.2f} / {load_at_end[1]:.2f} /"
        f" {load_at_end[2]:.2f} (1/5/15 min), {os.cpu_count()} cores\n"
    )
    print(report)
    failures = sum(k["failures"] for k in kinds.values())
    if failures or result.returncode:
        print(
            f"\n{failures} failed requests (locust exit status {result.returncode}); see "
            f"{prefix}_failures.csv and {args.out / 'gunicorn.log'}"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
