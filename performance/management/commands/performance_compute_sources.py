"""Compute the realizations of every indicator that takes its figure from operational data, for
one quarter (run it after a quarter ends, e.g. from cron). Entries already submitted or approved
are left alone; the results are drafts the bidang submits."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from performance import selectors, services
from performance.models import Indicator


class Command(BaseCommand):
    help = "Compute the realizations of indicators with a data source for a quarter."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--user", required=True, help="User name the entries are made as.")

    def handle(self, *args, year, quarter, user, **options):
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise CommandError(_("Unknown user %(name)s.") % {"name": user})
        renstra = selectors.renstra_for_year(year)
        if renstra is None:
            raise CommandError(_("No Renstra covers %(year)s.") % {"year": year})
        done = 0
        for indicator in Indicator.objects.filter(renstra=renstra).exclude(source_code=""):
            try:
                row = services.realization_compute(
                    actor=actor, indicator=indicator, year=year, quarter=quarter
                )
            except (ValidationError, PermissionDenied) as exc:
                messages = getattr(exc, "messages", [str(exc)])
                self.stdout.write(f"{indicator.code}: {' '.join(messages)}")
                continue
            done += 1
            self.stdout.write(f"{indicator.code}: {row.value} ({row.provenance})")
        self.stdout.write(self.style.SUCCESS(_("%(n)s realizations computed.") % {"n": done}))
