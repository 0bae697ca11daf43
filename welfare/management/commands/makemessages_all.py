"""Update every .po catalogue: one per app (``<app>/locale``) and one for the project
(``locale/``: welfare, templates/ at the top level)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

APPS = ["accounts", "regions", "beneficiaries", "programs", "fieldwork", "performance", "reports"]
IGNORE = ["static/vendor/*", ".venv/*", "node_modules/*", "var/*", "tests/*", "benchmarks/*"]


class Command(BaseCommand):
    help = "Run makemessages (django and djangojs) for the project and every app, language id."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        cwd = os.getcwd()
        try:
            for app in APPS:
                app_dir = base / app
                (app_dir / "locale").mkdir(exist_ok=True)
                os.chdir(app_dir)
                call_command("makemessages", locale=["id"], no_obsolete=True, verbosity=0)
            os.chdir(base)
            ignore = IGNORE + [f"{app}/*" for app in APPS]
            call_command(
                "makemessages", locale=["id"], ignore_patterns=ignore, no_obsolete=True, verbosity=0
            )
            call_command(
                "makemessages",
                locale=["id"],
                domain="djangojs",
                ignore_patterns=ignore,
                no_obsolete=True,
                verbosity=0,
            )
        finally:
            os.chdir(cwd)
        self.stdout.write("OK")
