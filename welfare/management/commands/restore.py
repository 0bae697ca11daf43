from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from welfare.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and the media directory, then check the row counts."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="restore over a database that is not empty"
        )

    def handle(self, *args, archive, force=False, **options):
        if not Path(archive).is_file():
            raise CommandError(_("No archive at %(path)s.") % {"path": archive})
        try:
            result = backup_restore(archive_path=Path(archive), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored %(tables)d tables (%(rows)d rows, counts checked) and %(files)d files.")
            % {"tables": result.tables, "rows": result.rows, "files": result.media_files}
        )
