"""What the programs contribute to other apps, registered from ``ProgramsConfig.ready()``:

* performance sources ``programs.recipients_paid`` (all programs) and
  ``programs.recipients_paid.<CODE>`` (one per program listed in
  ``settings.PROGRAMS_PERFORMANCE_SOURCES``): the % of a program's recipients paid, cumulative
  through the end of the quarter (numerator paid, denominator recipients);
* the field work workload column "active recipients" (``WORKLOAD_ACTIVE_RECIPIENTS``);
* the registry's household panel "Programs" and its list filter ``program`` (persons and
  households enrolled in a program, through ``selectors.filter_by_program``);
* the report kind ``program_stats`` of the reports app (``programs/report.py``).
"""

from __future__ import annotations

import calendar
import datetime
from functools import partial

from django.apps import apps
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_SOURCE_PROGRAMS = ("PKH", "BPNT", "ASPD", "BSPD-KAB")


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter * 3
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def recipients_paid(year: int, quarter: int, code: str | None = None):
    from performance.sources import SourceValue

    from . import selectors
    from .models import Program

    through = quarter_end(year, quarter)
    programs = Program.objects.filter(code=code) if code else Program.objects.all()
    paid = recipients = 0
    for program in programs:
        share = selectors.paid_share(program=program, year=year, through=through)
        paid += share.paid
        recipients += share.recipients
    label = code or _("all programs")
    if not recipients:
        return SourceValue(
            provenance=_("No disbursement of %(program)s planned in %(year)s by %(date)s.")
            % {"program": label, "year": year, "date": through.isoformat()}
        )
    return SourceValue(
        numerator=paid,
        denominator=recipients,
        provenance=_(
            "%(paid)s of %(recipients)s recipients of %(program)s paid by the end of quarter "
            "%(q)s %(year)s (stages planned by then)."
        )
        % {"paid": paid, "recipients": recipients, "program": label, "q": quarter, "year": year},
        details={"program": code or "*", "paid": paid, "recipients": recipients},
    )


def register() -> None:
    if apps.is_installed("performance"):
        from performance.sources import register_source

        description = gettext_lazy(
            "Recipients paid by the end of the quarter as a percentage of the recipients of the "
            "stages planned by then (cumulative; numerator and denominator)."
        )
        register_source(
            "programs.recipients_paid",
            gettext_lazy("Share of program recipients paid (all programs)"),
            recipients_paid,
            unit="%",
            description=description,
        )
        for code in getattr(settings, "PROGRAMS_PERFORMANCE_SOURCES", DEFAULT_SOURCE_PROGRAMS):
            register_source(
                f"programs.recipients_paid.{code}",
                format_lazy("{}: {}", gettext_lazy("Share of program recipients paid"), code),
                partial(recipients_paid, code=code),
                unit="%",
                description=description,
            )
    if apps.is_installed("fieldwork"):
        from fieldwork import extensions

        from .selectors import active_recipients_by_district

        extensions.register_workload_column(
            extensions.WorkloadColumn(
                key=extensions.WORKLOAD_ACTIVE_RECIPIENTS,
                label=gettext_lazy("Active aid recipients"),
                counts=active_recipients_by_district,
            )
        )
    register_registry_extensions()
    if apps.is_installed("reports"):
        from .report import register_report_kind

        register_report_kind()


# --- The registry's household page and list filter -------------------------------------------


def program_choices() -> list[tuple[str, str]]:
    from .models import Program

    return [
        (code, f"{code} - {name}") for code, name in Program.objects.values_list("code", "name")
    ]


def household_programs_panel(request, household) -> str | None:
    """The household's programs (its own, its members', its KUBE group's) on the registry's
    household page, for users who may see program enrollments."""
    from django.template.loader import render_to_string

    from accounts.access import Action, Domain, has_permission

    from . import selectors

    if not has_permission(request.user, Domain.PROGRAMS, Action.VIEW):
        return None
    memberships = selectors.household_programs([household.pk])[household.pk]
    return render_to_string(
        "programs/_household_panel.html",
        {"memberships": memberships, "household": household},
        request=request,
    )


def register_registry_extensions() -> None:
    from beneficiaries import extensions

    from . import selectors

    extensions.register_household_panel(
        "programs",
        title=gettext_lazy("Programs"),
        render=household_programs_panel,
        order=10,
    )
    extensions.register_list_filter(
        "program",
        label=gettext_lazy("Program"),
        choices=program_choices,
        apply=selectors.filter_by_program,
        models=("person", "household"),
    )
