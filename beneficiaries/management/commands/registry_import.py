"""manage.py registry_import FILE --user NAME [--commit] [--valid-only]: the district import
from the command line (the same checks and saving as the page and the API)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beneficiaries.importer import run_import
from beneficiaries.jobs import import_summary
from beneficiaries.models import ImportBatch, Source
from welfare.tabular import TabularError


class Command(BaseCommand):
    help = "Check (and with --commit save) a registry file in the documented CSV/XLSX format."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="user name recorded as the importer")
        parser.add_argument("--commit", action="store_true", help="save (default: check only)")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="save the valid rows and write the others to the file of refused rows",
        )
        parser.add_argument("--source", default=Source.DTSEN, choices=Source.values)

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"no file {path}")
        mode = (
            ImportBatch.Mode.VALID_ONLY
            if options["valid_only"]
            else ImportBatch.Mode.ALL_OR_NOTHING
        )
        with path.open("rb") as handle:
            try:
                batch = run_import(
                    file=handle,
                    actor=user,
                    file_name=path.name,
                    commit=options["commit"],
                    mode=mode,
                    source=options["source"],
                    progress=lambda percent, message="": self.stdout.write(
                        f"{percent:3d}% {message}"
                    ),
                )
            except TabularError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"{batch.get_status_display()}: {import_summary(batch)}")
        for item in batch.error_items[:20]:
            self.stdout.write(f"  baris {item.row}, {item.column}: {item.message}")
        if batch.report_file:
            self.stdout.write(f"report: {batch.report_file.path}")
        if batch.rejected_file:
            self.stdout.write(f"refused rows: {batch.rejected_file.path}")
