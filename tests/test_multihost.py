"""Beyond one machine (issue 8 point 8): two app servers behind a round-robin load balancer,
sharing the database, the media directory and Redis; background workers in separate processes
("hosts") taking jobs from the Redis queue.

Proves: a session started on one server is valid on the other; a job queued by one server is
run by any worker; the file a worker writes is downloaded through either server."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connections

from accounts.access import Role

from .factories import TEST_PASSWORD, make_user
from .tcp_proxy import TcpProxy

BASE = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class RoundRobin:
    """A TCP load balancer: each new connection goes to the next backend."""

    def __init__(self, ports):
        self.ports = ports
        self.next = 0
        self.served = dict.fromkeys(ports, 0)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            port = self.ports[self.next % len(self.ports)]
            self.next += 1
            self.served[port] += 1
            upstream = socket.create_connection(("127.0.0.1", port))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=TcpProxy._pipe, args=(a, b), daemon=True).start()

    def close(self):
        self.listener.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, deadline: float = 30) -> None:
    end = time.time() + deadline
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


START_JOBS = """
import django, sys
django.setup()
import tests.fault_jobs
from accounts.models import User
from welfare.jobs import job_start
user = User.objects.get(username="multi.op")
for n in range(int(sys.argv[1])):
    job = job_start(kind="test_report_file", title=f"Laporan {n}", created_by=user)
    print(job.pk)
"""

WORKER = (
    "import django; django.setup(); import tests.fault_jobs; "
    "from django.core.management import call_command; call_command('rqworker', 'default', '--burst', '--worker-class', 'rq.worker.SimpleWorker')"
)


def test_two_app_servers_and_two_workers_share_the_work(regions, tmp_path, settings):
    import redis

    redis_url = settings.REDIS_URL_TEST
    redis.Redis.from_url(redis_url).flushdb()
    user = make_user(Role.ADMIN, username="multi.op")
    # The servers run the production settings, whose hashers the fast test hasher is not among.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(TEST_PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    db = connections["default"].settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "welfare.settings",
        "WELFARE_DEV": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "WELFARE_MEDIA_ROOT": str(tmp_path / "shared-media"),
        "WELFARE_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(BASE),
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "welfare.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--pythonpath",
                str(BASE),
            ],
            cwd=BASE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    balancer = None
    try:
        for port in ports:
            _wait_for(port)
        balancer = RoundRobin(ports)
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{balancer.port}"

        # Log in through the balancer: the form comes from one server, the POST goes to the other.
        html = opener.open(f"{base}/akun/masuk/").read().decode()
        token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        data = urllib.parse.urlencode(
            {"username": "multi.op", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{base}/akun/masuk/", data=data, headers={"Referer": f"{base}/akun/masuk/"}
        )
        response = opener.open(request)
        assert response.url == f"{base}/", response.read().decode()[-3000:]
        for _ in range(4):  # alternately on both servers, still logged in
            assert "Selamat datang" in opener.open(f"{base}/").read().decode()
        assert all(count >= 2 for count in balancer.served.values()), balancer.served

        # One "app server" queues jobs; two worker "hosts" run them from Redis.
        started = subprocess.run(
            [sys.executable, "-c", START_JOBS, "6"],
            cwd=BASE,
            env=env,
            capture_output=True,
            text=True,
        )
        assert started.returncode == 0, started.stderr
        job_ids = started.stdout.split()
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                cwd=BASE,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for worker in workers:
            assert worker.wait(timeout=120) == 0, worker.stderr.read().decode()[-2000:]

        from welfare.models import Job

        jobs = list(Job.objects.filter(pk__in=job_ids))
        assert [job.status for job in jobs] == [Job.Status.SUCCEEDED] * 6
        assert len({job.worker for job in jobs}) == 2, "both workers took jobs"
        assert {int(job.worker.rsplit(":", 1)[1]) for job in jobs} == {
            worker.pid for worker in workers
        }

        # The file a worker wrote is downloaded through whichever server answers.
        for job in jobs:
            body = opener.open(f"{base}/tugas/{job.pk}/unduh/").read().decode()
            assert body == f"laporan {job.title}"
    finally:
        if balancer:
            balancer.close()
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
