from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from welfare.jobs import job_mark_interrupted


class Command(BaseCommand):
    help = "Mark background jobs whose worker died as interrupted (run it every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--heartbeat-timeout", type=int, default=30, help="minutes without progress"
        )

    def handle(self, *args, heartbeat_timeout, **options):
        count = job_mark_interrupted(heartbeat_timeout_minutes=heartbeat_timeout)
        self.stdout.write(_("%(count)d interrupted job(s) marked.") % {"count": count})
