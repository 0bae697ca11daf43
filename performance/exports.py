"""Every table of the performance pages as XLSX, built from the same selectors as the pages.

Numbers are written as numbers with a number format (Excel shows them in the reader's own
notation); percentages are the rounded figures the pages show.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import calculations as calc
from . import selectors
from .spreadsheets import budget_template, plan_template, realization_template

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
PERCENT = "0.00"
MONEY = "#,##0"
VALUE = "#,##0.####"


def _number(value):
    if isinstance(value, Decimal):
        normalized = value.normalize()
        return int(normalized) if normalized == normalized.to_integral_value() else normalized
    return value


class Table:
    """A sheet: a title row, a header row, then rows; numbers keep their format."""

    def __init__(self, workbook: Workbook, title: str, heading: str, columns: Sequence[tuple]):
        self.sheet = workbook.create_sheet(title[:31])
        self.formats = [c[2] if len(c) > 2 else None for c in columns]
        self.sheet.append([heading])
        self.sheet["A1"].font = Font(bold=True, size=12)
        self.sheet.append([str(c[0]) for c in columns])
        for index, column in enumerate(columns, start=1):
            cell = self.sheet.cell(row=2, column=index)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            self.sheet.column_dimensions[get_column_letter(index)].width = column[1]
        self.sheet.freeze_panes = "A3"

    def add(self, *values) -> None:
        self.sheet.append([_number(v) for v in values])
        row = self.sheet.max_row
        for index, number_format in enumerate(self.formats, start=1):
            if number_format:
                self.sheet.cell(row=row, column=index).number_format = number_format


def _workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _band(band) -> str:
    return band.label if band else ""


def _reason(percent: calc.Percent) -> str:
    return percent.message if not percent.computed or percent.reason else ""


# --- The year ----------------------------------------------------------------------------------


def _indicator_sheet(workbook, heading: str, results, *, title: str) -> None:
    table = Table(
        workbook,
        title,
        heading,
        [
            (_("Level"), 12),
            (_("Owner"), 30),
            (_("Code"), 14),
            (_("Indicator"), 50),
            (_("Unit"), 10),
            (_("IKU"), 6),
            (_("Division"), 14),
            (_("Target"), 12, VALUE),
            (_("Target from"), 10),
            (_("Realization"), 12, VALUE),
            (_("Achievement (%)"), 12, PERCENT),
            (_("Rating"), 14),
            (_("Note"), 40),
            (_("Budget absorption (%)"), 12, PERCENT),
            (_("Efficiency"), 10, PERCENT),
            (_("Target %(year)s") % {"year": _("previous year")}, 12, VALUE),
            (_("Realization %(year)s") % {"year": _("previous year")}, 12, VALUE),
            (_("Achievement %(year)s (%%)") % {"year": _("previous year")}, 12, PERCENT),
            (_("Renstra end target"), 12, VALUE),
            (_("Achievement against the end target (%)"), 14, PERCENT),
        ],
    )
    for r in results:
        indicator = r.indicator
        table.add(
            indicator.get_level_display(),
            str(indicator.owner),
            indicator.code,
            indicator.name,
            indicator.unit,
            _("yes") if indicator.is_iku else "",
            indicator.bidang.short_name,
            r.target,
            r.target_source.upper(),
            r.realization.value,
            r.capaian.value,
            _band(r.rating),
            _reason(r.capaian),
            r.budget.absorption.value if r.budget and r.budget.absorption.computed else None,
            r.efisiensi,
            r.previous.target if r.previous else None,
            r.previous.realization if r.previous else None,
            r.previous.capaian.value if r.previous and r.previous.target is not None else None,
            r.end_target,
            r.capaian_vs_end_target.value,
        )


def _quarter_sheet(workbook, heading: str, results) -> None:
    table = Table(
        workbook,
        _("Quarters"),
        heading,
        [
            (_("Code"), 14),
            (_("Indicator"), 50),
            (_("Unit"), 10),
            (_("Yearly target"), 12, VALUE),
            (_("Quarter"), 8),
            (_("Quarter target"), 12, VALUE),
            (_("Quarter realization"), 12, VALUE),
            (_("Quarter achievement (%)"), 12, PERCENT),
            (_("Target so far"), 12, VALUE),
            (_("Realization so far"), 12, VALUE),
            (_("Achievement so far (%)"), 12, PERCENT),
            (_("Status"), 18),
            (_("Note"), 40),
        ],
    )
    for r in results:
        for q in r.quarters:
            table.add(
                r.indicator.code,
                r.indicator.name,
                r.indicator.unit,
                r.target,
                q.quarter,
                q.target,
                q.value,
                q.capaian.value if q.value is not None else None,
                q.cumulative.target,
                q.cumulative.realization.value,
                q.cumulative.capaian.value if q.cumulative.realization.value is not None else None,
                q.status_label,
                q.row.unavailable_reason if q.row else "",
            )


def _budget_sheet(workbook, title: str, heading: str, rows: list[tuple[str, str, object]]) -> None:
    table = Table(
        workbook,
        title,
        heading,
        [
            (_("Code"), 18),
            (_("Name"), 60),
            (_("Budget ceiling before revision (Rp)"), 18, MONEY),
            (_("Budget ceiling after revision (Rp)"), 18, MONEY),
            (_("Budget ceiling used (Rp)"), 18, MONEY),
            (_("Realization (Rp)"), 18, MONEY),
            (_("Absorption (%)"), 12, PERCENT),
            (_("Effectiveness"), 18),
        ],
    )
    for code, name, figures in rows:
        if figures is None:
            continue
        table.add(
            code,
            name,
            figures.pagu_murni,
            figures.pagu_perubahan,
            figures.pagu,
            figures.realization,
            figures.absorption.value,
            _band(figures.effectiveness),
        )


def _spm_sheet(workbook, spm: selectors.SpmSummary) -> None:
    table = Table(
        workbook,
        "SPM",
        _("Minimum service standards (SPM) %(year)s") % {"year": spm.year},
        [
            (_("Code"), 8),
            (_("Service"), 60),
            (_("Target group"), 30),
            (_("People in the target group"), 14, MONEY),
            (_("People served"), 14, MONEY),
            (_("Achievement (%)"), 12, PERCENT),
            (_("Previous year (%)"), 12, PERCENT),
        ],
    )
    for row in spm.rows:
        table.add(
            row.service.code,
            row.service.name,
            row.service.target_group,
            row.target_group,
            row.served,
            row.percent.value if row.achievement else None,
            row.previous_percent.value if row.previous_percent else None,
        )
    table.add(
        "",
        _("Total"),
        "",
        spm.total_target_group,
        spm.total_served,
        spm.total.value if spm.total_target_group else None,
        None,
    )


def _trend_sheet(workbook, trend: selectors.Trend) -> None:
    table = Table(
        workbook,
        _("Five years"),
        _("The last five years"),
        [
            (_("Year"), 8),
            (_("Achievement of the year (%)"), 14, PERCENT),
            (_("Rating"), 14),
            (_("Budget ceiling (Rp)"), 18, MONEY),
            (_("Realization (Rp)"), 18, MONEY),
            (_("Absorption (%)"), 12, PERCENT),
        ],
    )
    for point in trend.points:
        table.add(
            point.year,
            point.capaian.value if point.capaian else None,
            _band(point.rating),
            point.budget.pagu,
            point.budget.realization,
            point.budget.absorption.value if point.budget.pagu else None,
        )
    table = Table(
        workbook,
        _("Five years per IKU"),
        _("Each IKU over the last five years"),
        [
            (_("Code"), 12),
            (_("Indicator"), 50),
            (_("Year"), 8),
            (_("Target"), 12, VALUE),
            (_("Realization"), 12, VALUE),
            (_("Achievement (%)"), 12, PERCENT),
        ],
    )
    for result in trend.indicators:
        for point in result.history:
            table.add(
                result.indicator.code,
                result.indicator.name,
                point.year,
                point.target,
                point.realization,
                point.capaian.value if point.target is not None else None,
            )


def summary_workbook(*, year: int, basis: str, user=None) -> bytes:
    summary = selectors.year_summary(year=year, basis=basis)
    workbook = _workbook()
    if summary is None:
        Table(workbook, str(year), _("No Renstra covers %(year)s.") % {"year": year}, [("", 10)])
        return _save(workbook)
    label = selectors.BASIS_LABELS[summary.basis]
    table = Table(
        workbook,
        _("Summary"),
        _("Performance %(year)s (%(basis)s)") % {"year": year, "basis": label},
        [
            (_("Code"), 10),
            (_("Objective (sasaran)"), 60),
            (_("Achievement (%)"), 12, PERCENT),
            (_("Rating"), 14),
            (_("Budget ceiling (Rp)"), 18, MONEY),
            (_("Realization (Rp)"), 18, MONEY),
            (_("Absorption (%)"), 12, PERCENT),
            (_("Effectiveness"), 16),
        ],
    )
    for s in summary.sasaran:
        budget = s.budget
        table.add(
            s.sasaran.code,
            s.sasaran.name,
            s.capaian.value if s.indicators else None,
            _band(s.rating),
            budget.pagu if budget else None,
            budget.realization if budget else None,
            budget.absorption.value if budget else None,
            _band(budget.effectiveness) if budget else "",
        )
    total = summary.budget.total
    table.add(
        "",
        _("The year"),
        summary.capaian.value,
        _band(summary.rating),
        total.pagu,
        total.realization,
        total.absorption.value,
        _band(total.effectiveness),
    )
    heading = _("Indicators %(year)s") % {"year": year}
    _indicator_sheet(
        workbook, heading, summary.tujuan_indicators + summary.indicators, title=_("Indicators")
    )
    _quarter_sheet(workbook, _("Quarters %(year)s") % {"year": year}, summary.indicators)
    _budget_sheet(
        workbook,
        _("Budget per program"),
        _("Budget per program %(year)s") % {"year": year},
        [(p.code, p.name, f) for p, f in summary.program_budgets()],
    )
    _spm_sheet(workbook, summary.spm)
    _trend_sheet(workbook, selectors.trend(end_year=year, basis=basis))
    return _save(workbook)


def indicators_workbook(*, year: int, basis: str, level: str | None = None, user=None) -> bytes:
    workbook = _workbook()
    results = selectors.indicator_results(year=year, basis=basis, level=level or None)
    _indicator_sheet(
        workbook, _("Indicators %(year)s") % {"year": year}, results, title=_("Indicators")
    )
    _quarter_sheet(workbook, _("Quarters %(year)s") % {"year": year}, results)
    return _save(workbook)


def agreement_workbook(*, year: int, basis: str = "", user=None) -> bytes:
    table_data = selectors.agreement_table(year=year)
    workbook = _workbook()
    columns = [(_("Level"), 12), (_("Code"), 16), (_("Indicator"), 50), (_("Unit"), 10)]
    for agreement in table_data["agreements"]:
        columns.append((_("%(label)s target") % {"label": agreement.label}, 12, VALUE))
        columns += [(f"{agreement.label} TW{q}", 10, VALUE) for q in calc.QUARTERS]
    table = Table(
        workbook,
        _("Agreement"),
        _("Performance agreement %(year)s: original and revisions") % {"year": year},
        columns,
    )
    for row in table_data["rows"]:
        indicator = row["indicator"]
        values = []
        for target in row["columns"]:
            if target is None:
                values += [None] * 5
            else:
                values += [target.target, *target.quarter_targets]
        table.add(
            indicator.get_level_display(), indicator.code, indicator.name, indicator.unit, *values
        )
    return _save(workbook)


def budget_workbook(*, year: int, basis: str, user=None) -> bytes:
    tree = selectors.budget_tree(year=year, basis=basis)
    workbook = _workbook()
    rows = []
    for program in tree:
        rows.append((program.item.code, program.item.name, program.budget))
        for kegiatan in program.children:
            rows.append((kegiatan.item.code, kegiatan.item.name, kegiatan.budget))
            for sub in kegiatan.children:
                rows.append((sub.item.code, sub.item.name, sub.budget))
    _budget_sheet(workbook, _("Budget"), _("Budget %(year)s") % {"year": year}, rows)
    months = Table(
        workbook,
        _("Monthly realization"),
        _("Realization per month %(year)s") % {"year": year},
        [(_("Code"), 18), (_("Name"), 50)] + [(str(m), 14, MONEY) for m in range(1, 13)],
    )
    for program in tree:
        for kegiatan in program.children:
            for sub in kegiatan.children:
                if sub.budget is not None:
                    months.add(sub.item.code, sub.item.name, *sub.budget.months)
    return _save(workbook)


def spm_workbook(*, year: int, basis: str = "", user=None) -> bytes:
    workbook = _workbook()
    _spm_sheet(workbook, selectors.spm_summary(year=year))
    return _save(workbook)


def realizations_workbook(*, year: int, basis: str = "", user=None) -> bytes:
    return realization_template(user=user, year=year, quarter=None)


def plan_workbook(*, year: int, basis: str = "", user=None) -> bytes:
    return plan_template(selectors.renstra_for_year(year))


def budget_template_workbook(*, year: int, basis: str = "", user=None) -> bytes:
    return budget_template(year)


EXPORTS: dict[str, tuple[object, Callable[..., bytes]]] = {
    "ringkasan": (gettext_lazy("Summary of the year"), summary_workbook),
    "indikator": (gettext_lazy("Indicators of every level"), indicators_workbook),
    "pk": (gettext_lazy("Performance agreement"), agreement_workbook),
    "anggaran": (gettext_lazy("Budget tree"), budget_workbook),
    "spm": (gettext_lazy("SPM"), spm_workbook),
    "realisasi": (gettext_lazy("Realizations (import format)"), realizations_workbook),
    "rencana": (gettext_lazy("Plan (import format)"), plan_workbook),
    "anggaran-impor": (gettext_lazy("Budget (import format)"), budget_template_workbook),
}
