"""manage.py programs_refresh_figures [--program CODE] [--check]: rebuild the figures the
statistics read (``programs.summary``) and the targeting figures (``programs.targeting``), after
data was changed by SQL typed by hand; ``--check`` only says whether they are true (the targeting
rows of the desa not marked out of date against ``targeting.compute()``)."""

from django.core.management.base import BaseCommand, CommandError

from programs import summary, targeting
from programs.models import Program


class Command(BaseCommand):
    help = "Rebuild (or with --check verify) the program figures kept per desa and kecamatan."

    def add_arguments(self, parser):
        parser.add_argument("--program", help="one program code (default: all)")
        parser.add_argument(
            "--check", action="store_true", help="compare with the data, change nothing"
        )

    def handle(self, *args, **options):
        programs = Program.objects.order_by("code")
        if options["program"]:
            programs = programs.filter(code=options["program"])
            if not programs.exists():
                raise CommandError(f"no program {options['program']!r}")
        if options["check"]:
            problems = [
                f"{program.code}: {problem}"
                for program in programs
                for problem in summary.differences(program.pk)
            ]
            problems += targeting.differences(
                list(programs.values_list("pk", flat=True)) if options["program"] else None
            )
            for problem in problems[:50]:
                self.stdout.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} figures differ from the data")
            self.stdout.write("The figures agree with the data.")
            return
        summary.refresh_all(program_ids=list(programs.values_list("pk", flat=True)))
        targeting.mark(None)
        targeting.refresh_stale()
        self.stdout.write(f"Figures rebuilt for {programs.count()} programs.")
