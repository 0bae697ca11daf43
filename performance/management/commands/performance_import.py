"""Check (and with --commit save) an XLSX workbook of the plan, the budget or realizations:
the same steps and rules as the Import page and the API, run in this process."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from performance.spreadsheets import IMPORTERS, run_import


class Command(BaseCommand):
    help = "Import a performance workbook (plan, budget or realization); a check unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="User name the import acts as.")
        parser.add_argument("--commit", action="store_true", help="Save when there is no problem.")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("Unknown user %(name)s.") % {"name": options["user"]})
        try:
            handle = open(options["path"], "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        with handle:
            report = run_import(
                kind=options["kind"],
                file=handle,
                actor=user,
                commit=options["commit"],
                progress=lambda percent, message="": self.stdout.write(f"  {percent}% {message}"),
            )
        for problem in report.problems:
            self.stdout.write(f"{problem.sheet}!{problem.row} [{problem.column}] {problem.message}")
        if report.problems:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
