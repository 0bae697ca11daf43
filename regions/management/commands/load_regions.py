from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.services import regions_load


class Command(BaseCommand):
    help = (
        "Load Indonesia's provinces, regencies, kecamatan and villages (Kemendagri codes, ODbL) "
        "from regions/data. Idempotent. Villages of every regency by default."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--regency",
            action="append",
            dest="regencies",
            metavar="CODE",
            help="Load villages of this regency only (e.g. 36.02); may be repeated.",
        )

    def handle(self, *args, regencies=None, **options):
        for code in regencies or []:
            if len(code) != 5 or code[2] != ".":
                raise CommandError(
                    _("Invalid regency code: %(code)r (example: 36.02)") % {"code": code}
                )
        started = timezone.now()
        result = regions_load(regency_codes=regencies)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            _(
                "Loaded %(provinces)d provinces, %(regencies)d regencies, %(districts)d districts "
                "and %(villages)d villages in %(seconds).1f s."
            )
            % {**asdict(result), "seconds": seconds}
        )
