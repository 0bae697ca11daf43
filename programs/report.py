"""The program statistics report (issue 7, point 6): for a year and one program (or every
program: one chapter each), the figures per kecamatan and per desa, a chart and a sentence, as
a PDF and, table by table or as one workbook, as XLSX. A report kind of ``reports``
(registered from ``integrations.register``) whose parameter form
(``forms.ProgramStatsReportParams``) chooses the program: each program and year is a report of
its own (versions, approval), next to the all-programs report of the year. The report pages,
the background job, the versions with their fingerprint, the approval and the API work for it
as for the LKjIP.

Every figure comes from ``programs.selectors.program_stats``, the selector behind the program
pages and ``/api/v1/programs/{code}/stats/``, with the user who generates the report (region
scope, small counts suppressed for API clients)."""

from __future__ import annotations

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from . import selectors


def _programs_of(year: int, user):
    """Programs the user may see with an enrollment in the year, in code order."""
    from .models import EnrollmentSummary

    active = EnrollmentSummary.objects.filter(selectors.summary_in_year(year)).values("program_id")
    return selectors.program_list(user=user).filter(pk__in=active).order_by("code")


def _stats_table(stats, *, key: str, title: str, area_label: str):
    from reports.tables import TableData, num, pct, rp, span, text

    table = TableData(
        key=key,
        title=title,
        header=[
            [
                span(text(_("No."))),
                span(text(area_label)),
                span(text(_("Quota"))),
                span(text(_("Enrolled"))),
                span(text(_("Active"))),
                span(text(_("Recipients"))),
                span(text(_("Paid"))),
                span(text(_("Amount paid (Rp)"))),
                span(text(_("% paid"))),
            ]
        ],
        orientation="landscape",
        source=_("Source: enrollments and disbursements recorded in the application"),
    )
    for number, row in enumerate(stats.rows, 1):
        name = row.name.title()
        if stats.group_by == "village" and row.district_name:
            name = f"{name} ({row.district_name.title()})"
        table.add(
            text(number),
            text(name),
            num(row.quota),
            num(row.enrolled),
            num(row.active),
            num(row.recipients),
            num(row.paid_count),
            rp(row.paid_amount),
            pct(row.pct_paid),
        )
    total = stats.total
    if total is not None:
        table.add(
            span(text(_("Total")), cols=2),
            num(total.quota),
            num(total.enrolled),
            num(total.active),
            num(total.recipients),
            num(total.paid_count),
            rp(total.paid_amount),
            pct(total.pct_paid),
            style="total",
        )
    return table


def build_program_stats(year: int, user, progress, params: dict | None = None) -> dict:
    from reports.charts import chart
    from reports.document import DocumentBuilder
    from reports.lkjip import _agency_meta

    code = str((params or {}).get("program") or "")
    with translation.override("id"):
        if code:
            # One program's report: the one chosen, whether or not it had a recipient that
            # year, read again through the user's access (it may have changed since the
            # request was checked).
            try:
                programs = [selectors.program_get(user=user, code=code)]
            except Http404 as exc:
                from welfare.jobs import JobError

                raise JobError(
                    _("Program: %(value)s is unknown or outside your access.") % {"value": code}
                ) from exc
        else:
            programs = list(_programs_of(year, user))
        meta = {
            **_agency_meta(),
            "title": _("Social Assistance Program Statistics"),
            "cover_heading": _("PROGRAM STATISTICS"),
            "year": year,
            "cover_year": year,
        }
        if code:
            meta["subtitle"] = f"{programs[0].code} - {programs[0].name}"
        doc = DocumentBuilder(kind="program_stats", year=year, meta=meta)
        doc.front("toc", _("Table of Contents"))
        doc.front("lot", _("List of Tables"))
        doc.front("loc", _("List of Charts"))
        if not programs:
            doc.chapter_start("I", 1, _("Programs"))
            doc.p(_("No program had a recipient in %(year)s.") % {"year": year})
        for index, program in enumerate(programs, 1):
            progress(10 + 80 * (index - 1) // len(programs), program.code)
            doc.chapter_start(str(index), index, f"{program.code} - {program.name}")
            by_district = selectors.program_stats(
                user=user, program=program, year=year, group_by="district"
            )
            total = by_district.total
            if total is None or not total.recipients:
                doc.p(
                    _("%(program)s had no recipient in %(year)s.")
                    % {"program": program.code, "year": year}
                )
            else:
                doc.p(
                    _(
                        "In %(year)s, %(paid)s of %(recipients)s recipients of %(program)s "
                        "were paid (%(pct)s), for a total of %(amount)s."
                    )
                    % {
                        "year": year,
                        "paid": _fmt_num(total.paid_count),
                        "recipients": _fmt_num(total.recipients),
                        "program": program.code,
                        "pct": _fmt_pct(total.pct_paid),
                        "amount": _fmt_rp(total.paid_amount),
                    }
                )
            doc.heading(2, _("Per kecamatan"))
            doc.table(
                _stats_table(
                    by_district,
                    key=f"{program.code.lower()}_kecamatan",
                    title=_("%(program)s per Kecamatan %(year)s")
                    % {"program": program.name, "year": year},
                    area_label=_("Kecamatan"),
                )
            )
            doc.chart(
                chart(
                    f"{program.code.lower()}_chart",
                    _("%(program)s: recipients and paid per kecamatan %(year)s")
                    % {"program": program.code, "year": year},
                    "bar",
                    [row.name.title() for row in by_district.rows],
                    [
                        (_("Recipients"), [row.recipients for row in by_district.rows]),
                        (_("Paid"), [row.paid_count for row in by_district.rows]),
                    ],
                    decimals=0,
                )
            )
            doc.heading(2, _("Per desa"))
            by_village = selectors.program_stats(
                user=user, program=program, year=year, group_by="village"
            )
            by_village.rows = [r for r in by_village.rows if r.enrolled or r.quota]
            doc.table(
                _stats_table(
                    by_village,
                    key=f"{program.code.lower()}_desa",
                    title=_("%(program)s per Desa %(year)s (desa with a quota or a recipient)")
                    % {"program": program.name, "year": year},
                    area_label=_("Desa (kecamatan)"),
                )
            )
        progress(90, _("Document assembled"))
        return doc.doc


def _fmt_num(value) -> str:
    from welfare.formatting import format_number

    return format_number(value or 0)


def _fmt_pct(value) -> str:
    from welfare.formatting import format_percent

    return format_percent(value) if value is not None else "-"


def _fmt_rp(value) -> str:
    from welfare.formatting import format_rupiah

    return format_rupiah(value or 0)


def register_report_kind() -> None:
    from django.utils.translation import gettext_lazy

    from reports.kinds import ReportKind, register_kind

    from .forms import ProgramStatsReportParams

    register_kind(
        ReportKind(
            key="program_stats",
            label=gettext_lazy("Program statistics"),
            build=build_program_stats,
            template="reports/lkjip_pdf.html",
            params_form=ProgramStatsReportParams,
            scope_param="program",
            filename="Statistik-Program-{year}",
        )
    )
