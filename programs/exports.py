"""Exports of the programs: the BNBA list and the per-desa recap as XLSX (openpyxl) and PDF
(WeasyPrint), built from the same selectors as the pages. Personal data is masked for roles
that may not see it (``can_view_personal``), exactly as on the pages."""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.access import can_view_personal
from welfare.formatting import mask_identity_number, mask_name, mask_text
from welfare.pdf import html_to_pdf

from . import selectors

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
PDF_ROW_LIMIT = 5000


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _sheet(workbook, title, heading, columns):
    sheet = workbook.create_sheet(title[:31])
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([str(c[0]) for c in columns])
    for index, (_label, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    return sheet


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _masker(user):
    if can_view_personal(user):
        return lambda value, _kind: value
    masks = {"nik": mask_identity_number, "name": mask_name, "text": mask_text}
    return lambda value, kind: masks[kind](value)


def bnba_rows(queryset, *, user, order: str = "name"):
    mask = _masker(user)
    for number, row in enumerate(
        selectors.bnba(queryset, order=order).iterator(chunk_size=2000), 1
    ):
        yield {
            "no": number,
            "name": mask(row.recipient_name, "name"),
            "nik": mask(row.recipient_nik, "nik"),
            "no_kk": mask(row.no_kk, "nik"),
            "address": mask(row.address, "text"),
            "rt": mask(row.rt, "text"),
            "rw": mask(row.rw, "text"),
            "village": row.village_name,
            "district": row.district_name,
            "program": row.program_code,
            "status": row.get_status_display(),
            "decree": row.decree_number,
        }


BNBA_COLUMNS = [
    ("no", "No.", 6),
    ("name", "Name", 30),
    ("nik", "NIK", 20),
    ("no_kk", "No. KK", 20),
    ("address", "Address", 30),
    ("rt", "RT", 6),
    ("rw", "RW", 6),
    ("village", "Desa/kelurahan", 22),
    ("district", "Kecamatan", 20),
    ("program", "Program", 12),
    ("status", "Status", 14),
    ("decree", "Decree (SK)", 26),
]


def _bnba_labels():
    return {
        "no": _("No."),
        "name": _("Name"),
        "nik": _("NIK"),
        "no_kk": _("No. KK"),
        "address": _("Address"),
        "rt": _("RT"),
        "rw": _("RW"),
        "village": _("Desa/kelurahan"),
        "district": _("Kecamatan"),
        "program": _("Program"),
        "status": _("Status"),
        "decree": _("Decree (SK)"),
    }


def bnba_xlsx(queryset, *, user, order: str = "name", title: str = "") -> bytes:
    labels = _bnba_labels()
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = title or _("Recipients by name, by address (BNBA)")
    sheet = _sheet(workbook, "BNBA", heading, [(labels[k], w) for k, _l, w in BNBA_COLUMNS])
    for row in bnba_rows(queryset, user=user, order=order):
        sheet.append([row[k] for k, _l, _w in BNBA_COLUMNS])
    return _save(workbook)


def bnba_pdf(queryset, *, user, order: str = "name", title: str = "") -> bytes:
    rows = []
    truncated = False
    for row in bnba_rows(queryset, user=user, order=order):
        if len(rows) >= PDF_ROW_LIMIT:
            truncated = True
            break
        rows.append(row)
    html = render_to_string(
        "programs/pdf/bnba.html",
        {
            "title": title or _("Recipients by name, by address (BNBA)"),
            "rows": rows,
            "labels": _bnba_labels(),
            "truncated": truncated,
            "limit": PDF_ROW_LIMIT,
            "printed": timezone.localtime(),
        },
    )
    return html_to_pdf(html)[0]


def recap_xlsx(stats: selectors.ProgramStats, realization: list) -> bytes:
    """Two sheets: the figures of point 5 per area, and the LKjIP table per desa per tahap."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    program = stats.program
    heading = _("%(program)s %(year)s: recipients and realization") % {
        "program": program.name,
        "year": stats.year,
    }
    area = _("Kecamatan") if stats.group_by == "district" else _("Desa/kelurahan")
    columns = [(_("Code"), 16), (area, 26)]
    if stats.group_by == "village":
        columns.append((_("Kecamatan"), 22))
    columns += [
        (_("Quota"), 10),
        (_("Enrolled"), 10),
        (_("Active"), 10),
        (_("Recipients"), 11),
        (_("Paid"), 10),
        (_("Paid (Rp)"), 16),
        (_("Planned (Rp)"), 16),
        (_("% realized"), 11),
    ]
    sheet = _sheet(workbook, _("Figures"), heading, columns)
    for row in [*stats.rows, stats.total]:
        values = [row.code, row.name or _("Total")]
        if stats.group_by == "village":
            values.append(row.district_name)
        values += [
            row.quota,
            row.enrolled,
            row.active,
            row.recipients,
            row.paid_count,
            row.paid_amount,
            row.planned_amount,
            row.pct_paid,
        ]
        sheet.append([_number(v) for v in values])
    if realization:
        stages = realization[-1].stages
        columns = [(_("Kecamatan"), 22), (_("Desa/kelurahan"), 24), (_("Recipients"), 11)]
        for s in stages:
            columns += [(f"{s.name}: {_('paid')}", 12), (f"{s.name}: %", 10)]
        sheet = _sheet(workbook, _("Per desa per tahap"), heading, columns)
        for row in realization:
            if row.is_subtotal:
                values = [
                    row.district_name or _("Total"),
                    _("Sub total") if row.code else "",
                    row.recipients,
                ]
            else:
                values = [row.district_name, row.name, row.recipients]
            for figure in row.stages:
                values += [figure.paid, figure.pct]
            sheet.append([_number(v) for v in values])
    return _save(workbook)


def recap_pdf(stats: selectors.ProgramStats, realization: list) -> bytes:
    html = render_to_string(
        "programs/pdf/recap.html",
        {
            "stats": stats,
            "realization": realization,
            "printed": timezone.localtime(),
            "stages": realization[-1].stages if realization else [],
        },
    )
    return html_to_pdf(html)[0]
