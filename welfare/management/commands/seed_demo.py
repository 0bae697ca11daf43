"""Load the deterministic demo for Kabupaten Lebak (what `make run` calls).

Each app contributes through ``<app>/demo.py``, a module with ``seed(*, stdout) -> None``,
called in INSTALLED_APPS order (regions and users first). Every step is idempotent, so running
the command again changes nothing."""

import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Load the demo data for Kabupaten Lebak (idempotent)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            step = time.perf_counter()
            with transaction.atomic():
                module.seed(stdout=self.stdout)
            self.stdout.write(f"  {config.label}: {time.perf_counter() - step:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data ready in %(s).1f s.") % {"s": time.perf_counter() - started}
            )
        )
        from accounts.demo import print_logins

        print_logins(self.stdout)
