from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="archive path (default var/backups/welfare-<time>.tar.gz)"
        )

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        path = (
            Path(output)
            if output
            else Path(settings.VAR_DIR)
            / "backups"
            / f"welfare-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        try:
            manifest = backup_create(output=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            _("Backup written to %(path)s (%(tables)d tables, %(rows)d rows).")
            % {"path": path, "tables": len(manifest["counts"]), "rows": rows}
        )
