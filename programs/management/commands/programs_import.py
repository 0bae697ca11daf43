"""manage.py programs_import {hasil|penerima} FILE --user NAME [--program CODE] [--commit]
[--valid-only]: a program import from the command line, run in this process with the same
checks, record, report and refused-rows files as the page and the API (which queue a job)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programs import imports
from programs.models import Program, ProgramImport
from welfare.tabular import TabularError

# The kinds by their Indonesian names (as the page's templates: ?jenis=hasil|penerima) or the
# stored values.
KINDS = {
    "hasil": ProgramImport.Kind.DISBURSEMENTS,
    "penerima": ProgramImport.Kind.ENROLLMENTS,
    ProgramImport.Kind.DISBURSEMENTS.value: ProgramImport.Kind.DISBURSEMENTS,
    ProgramImport.Kind.ENROLLMENTS.value: ProgramImport.Kind.ENROLLMENTS,
}
SHOWN = 20


class Command(BaseCommand):
    help = (
        "Check (and with --commit save) a program file: 'hasil' (disbursement results from a "
        "bank or Pos) or 'penerima' (recipients to enroll in --program). Exits with an error "
        "when the file is refused or, checked only, has problems."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="hasil (disbursement results) or penerima (recipients)")
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--user", required=True, help="user name the import acts as")
        parser.add_argument("--program", default="", help="program code (for penerima)")
        parser.add_argument("--commit", action="store_true", help="save (default: check only)")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="save the valid rows and write the others to the file of refused rows",
        )

    def handle(self, *args, **options):
        kind = KINDS.get(options["kind"].lower())
        if kind is None:
            raise CommandError(
                _(
                    "Unknown kind of import %(kind)s: use hasil (disbursement results) or "
                    "penerima (recipients to enroll)."
                )
                % {"kind": options["kind"]}
            )
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("Unknown user %(name)s.") % {"name": options["user"]})
        program = None
        if kind == ProgramImport.Kind.ENROLLMENTS:
            if not options["program"]:
                raise CommandError(
                    _("Give the program to enroll the recipients in: --program CODE.")
                )
            program = Program.objects.filter(code=options["program"]).first()
            if program is None:
                raise CommandError(
                    _("Unknown program code %(code)s.") % {"code": options["program"]}
                )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": path})
        mode = imports.Mode.VALID_ONLY if options["valid_only"] else imports.Mode.ALL_OR_NOTHING
        try:
            record = imports.import_create(
                actor=user,
                kind=kind,
                file_name=path.name,
                program=program,
                mode=mode,
                commit=options["commit"],
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", None) or [str(exc)])) from exc
        record = self._run(record, path)
        self._print(record)
        if not record.saved and record.problems:
            raise CommandError(
                _("Nothing was saved.") if record.commit else _("The file has problems.")
            )

    def _run(self, record: ProgramImport, path: Path) -> ProgramImport:
        try:
            with path.open("rb") as handle:
                return imports.run_import(
                    record=record,
                    file=handle,
                    progress=lambda percent, message="": self.stdout.write(
                        f"{percent:3d}% {message}"
                    ),
                )
        except (TabularError, OSError, PermissionDenied, ValidationError) as exc:
            message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            imports.import_failed(record=record, message=message)
            raise CommandError(message) from exc
        except Exception:
            imports.import_failed(
                record=record, message=_("An unexpected error stopped this job. Nothing was saved.")
            )
            raise

    def _print(self, record: ProgramImport) -> None:
        summary = f"{record.get_status_display()}: {imports.import_summary(record)}"
        self.stdout.write(self.style.SUCCESS(summary) if record.saved else summary)
        for row, column, message in record.first_problems[:SHOWN]:
            self.stdout.write(
                "  "
                + _("row %(row)s, column %(column)s: %(message)s")
                % {"row": row or "-", "column": column or "-", "message": message}
            )
        if record.problems > SHOWN:
            self.stdout.write(
                "  "
                + _("... and %(count)s more in the report.") % {"count": record.problems - SHOWN}
            )
        if record.report_file:
            self.stdout.write(_("Report: %(path)s") % {"path": _where(record.report_file)})
        if record.rejected_file:
            self.stdout.write(_("Refused rows: %(path)s") % {"path": _where(record.rejected_file)})
        self.stdout.write(_("Import page: %(url)s") % {"url": record.get_absolute_url()})


def _where(field) -> str:
    """The file's path on this host, or its name in the storage (a remote storage has no path)."""
    try:
        return field.path
    except NotImplementedError:
        return field.name
