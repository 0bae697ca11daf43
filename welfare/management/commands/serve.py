"""Serve the app and run the background worker beside it (what `make run` uses).

The embedded default needs no extra server: the worker takes jobs from the database queue."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Run the web server on 127.0.0.1:PORT together with a background worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        worker_cmd = [sys.executable, "manage.py", "db_worker", "--queue-name", "default"]
        if settings.TASKS["default"]["BACKEND"].endswith("RQBackend"):
            worker_cmd = [sys.executable, "manage.py", "rqworker", "default"]
        worker = subprocess.Popen(worker_cmd)  # noqa: S603 - our own interpreter and manage.py
        self.stdout.write(_("Background worker started (pid %(pid)s).") % {"pid": worker.pid})
        self.stdout.write(
            self.style.SUCCESS(
                _("Open http://%(host)s:%(port)s/ in a browser.") % {"host": host, "port": port}
            )
        )
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
