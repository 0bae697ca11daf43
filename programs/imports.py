"""Imports of the programs: the results a bank or Pos returns (disbursements) and lists of
recipients to enroll. Validate -> report -> commit: every row is checked first; the file is
saved only when no row has a problem (all or nothing, one transaction), and the report names
each problem by row, column and message in Bahasa Indonesia.

Files are read by ``welfare.tabular`` (shared with the registry import): CSV with ``;``, ``,``
or tab separators in UTF-8 (with or without BOM) or Windows-1252, or XLSX (first sheet).
Headers are matched loosely (case and punctuation ignored), with Indonesian and English names
(``HEADERS``).
"""

from __future__ import annotations

import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import Action, Domain, check_bidang, require
from beneficiaries.models import Household, Person
from welfare import tabular

from . import eligibility, services
from .models import Disbursement, Enrollment, Program, Unit

HEADERS = {
    "nik": ("nik",),
    "no_kk": ("no_kk", "nomor_kk", "kk", "no kk"),
    "program": ("program", "kode_program"),
    "tahun": ("tahun", "year"),
    "tahap": ("tahap", "stage", "bulan"),
    "status": ("status", "status_salur", "keterangan_salur"),
    "jumlah": ("jumlah", "nominal", "nilai", "amount"),
    "tanggal": ("tanggal", "tgl_salur", "tanggal_salur", "date"),
    "saluran": ("saluran", "channel", "penyalur"),
    "keterangan": ("keterangan", "alasan", "reason"),
    "referensi": ("referensi", "no_transaksi", "reference"),
    "mulai": ("mulai", "tanggal_mulai", "start_date"),
    "nomor_sk": ("nomor_sk", "no_sk", "sk"),
    "tanggal_sk": ("tanggal_sk", "tgl_sk"),
}
STATUS_WORDS = {
    "disalurkan": Disbursement.Status.PAID,
    "berhasil": Disbursement.Status.PAID,
    "sukses": Disbursement.Status.PAID,
    "tersalur": Disbursement.Status.PAID,
    "gagal": Disbursement.Status.FAILED,
    "ditunda": Disbursement.Status.POSTPONED,
    "tunda": Disbursement.Status.POSTPONED,
}
CHANNEL_WORDS = {
    "bank": "bank",
    "himbara": "bank",
    "pos": "pos",
    "pt pos": "pos",
    "e-warong": "e_warong",
    "e_warong": "e_warong",
    "ewarong": "e_warong",
    "tunai": "tunai",
    "cash": "tunai",
}


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    saved: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


COLUMNS = [
    tabular.Column(key=key, header=aliases[0], aliases=aliases) for key, aliases in HEADERS.items()
]


def read_rows(content: bytes, filename: str) -> list[dict]:
    """Rows as dicts keyed by the canonical column names, with ``_row`` the row number as in
    the file. Reading (format, separator, encoding, headers) is ``welfare.tabular``'s, shared
    with the registry import; ``filename`` is kept for the callers, the content decides."""
    try:
        table = tabular.read_table(io.BytesIO(content), COLUMNS)
        return [{"_row": number, **values} for number, values in table.rows()]
    except tabular.TabularError as exc:
        raise ValidationError(str(exc)) from exc


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_amount(value) -> Decimal:
    """Rp in Indonesian notation (1.234.567,50) or a plain number."""
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = _text(value).replace("Rp", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text) or "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


# --- Disbursement results ------------------------------------------------------------------------


def disbursement_results_import(
    *, actor, content: bytes, filename: str, commit: bool
) -> ImportReport:
    """Apply a bank's or Pos's results to the planned disbursements. Each row names the
    recipient (``nik`` for a person program, ``no_kk`` for a household program), ``program``,
    ``tahun`` and ``tahap``, the ``status`` and, when paid, ``jumlah``, ``tanggal`` and
    ``saluran``; ``keterangan`` is required for gagal/ditunda."""
    require(actor, Domain.PROGRAMS, Action.IMPORT)
    rows = read_rows(content, filename)
    report = ImportReport(rows=len(rows))
    problems = report.problems
    programs = {p.code: p for p in Program.objects.all()}
    needed = defaultdict(set)  # (program id, unit) -> numbers
    for row in rows:
        program = programs.get(_text(row.get("program")))
        if program is not None:
            needed[program.pk].add(
                _text(row.get("nik" if program.unit == Unit.PERSON else "no_kk"))
            )
    # One query per program for every disbursement the file may name.
    index: dict[tuple, Disbursement] = {}
    for program_id, numbers in needed.items():
        program = next(p for p in programs.values() if p.pk == program_id)
        path = (
            "enrollment__person__nik"
            if program.unit == Unit.PERSON
            else "enrollment__household__no_kk"
        )
        rows_found = Disbursement.objects.filter(
            program_id=program_id, **{f"{path}__in": numbers}
        ).values_list("pk", path, "stage__year", "stage__number")
        for d in rows_found:
            index[(program_id, d[1], d[2], d[3])] = d[0]
    updates: dict[int, dict] = {}
    seen = set()
    for row in rows:
        n = row["_row"]
        program = programs.get(_text(row.get("program")))
        if program is None:
            problems.append(
                Problem(
                    n,
                    "program",
                    _("Unknown program code %(code)s.")
                    % {"code": _text(row.get("program")) or "-"},
                )
            )
            continue
        try:
            check_bidang(actor, program.bidang_id)
        except PermissionDenied:
            problems.append(
                Problem(n, "program", _("This program belongs to another division (bidang)."))
            )
            continue
        column = "nik" if program.unit == Unit.PERSON else "no_kk"
        number = _text(row.get(column))
        if not (number.isdigit() and len(number) == 16):
            problems.append(Problem(n, column, _("Enter 16 digits.")))
            continue
        try:
            year, stage = int(_text(row.get("tahun"))), int(_text(row.get("tahap")))
        except ValueError:
            problems.append(Problem(n, "tahap", _("Give the year and the stage as numbers.")))
            continue
        pk = index.get((program.pk, number, year, stage))
        if pk is None:
            problems.append(
                Problem(
                    n,
                    column,
                    _(
                        "No disbursement of %(program)s tahap %(stage)s %(year)s is planned for %(number)s."
                    )
                    % {"program": program.code, "stage": stage, "year": year, "number": number},
                )
            )
            continue
        if pk in seen:
            problems.append(
                Problem(n, column, _("This disbursement is already in an earlier row of the file."))
            )
            continue
        seen.add(pk)
        status = STATUS_WORDS.get(_text(row.get("status")).lower())
        if status is None:
            problems.append(Problem(n, "status", _("Use disalurkan, gagal or ditunda.")))
            continue
        values = {
            "status": status,
            "reason": _text(row.get("keterangan"))[:255],
            "reference": _text(row.get("referensi"))[:60],
            "paid_amount": Decimal(0),
            "paid_on": None,
            "channel": "",
        }
        channel = _text(row.get("saluran")).lower()
        if channel:
            values["channel"] = CHANNEL_WORDS.get(channel, "")
            if not values["channel"]:
                problems.append(Problem(n, "saluran", _("Use bank, pos, e-warong or tunai.")))
                continue
        if status == Disbursement.Status.PAID:
            try:
                values["paid_amount"] = parse_amount(row.get("jumlah"))
            except (InvalidOperation, ValueError):
                problems.append(
                    Problem(n, "jumlah", _("Write the amount as a number, e.g. 750.000."))
                )
                continue
            try:
                values["paid_on"] = parse_date(row.get("tanggal"))
            except ValueError:
                problems.append(
                    Problem(n, "tanggal", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
                )
                continue
        errors = services._validate_payment(
            status,
            values["paid_amount"] if status == Disbursement.Status.PAID else None,
            values["paid_on"],
            values["channel"],
            values["reason"],
        )
        if status == Disbursement.Status.PAID and values["paid_amount"] <= 0:
            errors.setdefault("paid_amount", _("A paid disbursement needs the amount paid."))
        if errors:
            columns = {
                "paid_on": "tanggal",
                "paid_amount": "jumlah",
                "channel": "saluran",
                "reason": "keterangan",
                "status": "status",
            }
            for key, message in errors.items():
                problems.append(Problem(n, columns.get(key, key), str(message)))
            continue
        updates[pk] = values
    if commit and report.ok:
        batch = services.new_batch_id()
        with transaction.atomic():
            objects = list(Disbursement.objects.select_for_update().filter(pk__in=updates))
            for d in objects:
                for key, value in updates[d.pk].items():
                    setattr(d, key, value)
                d.import_batch = batch
            Disbursement.objects.bulk_update(
                objects,
                [
                    "status",
                    "paid_amount",
                    "paid_on",
                    "channel",
                    "reason",
                    "reference",
                    "import_batch",
                ],
                batch_size=1000,
            )
            services._bulk_history(
                objects, actor, reason=_("disbursement results import %(batch)s") % {"batch": batch}
            )
        report.saved = len(objects)
        report.committed = True
    return report


# --- Enrollment lists ----------------------------------------------------------------------------


def enrollment_import(
    *, actor, program: Program, content: bytes, filename: str, commit: bool
) -> ImportReport:
    """Enroll the persons (``nik``) or households (``no_kk``) of a file in ``program``, with
    ``mulai`` (start), ``status`` (usulan, terverifikasi or aktif; default usulan) and for aktif
    ``nomor_sk`` and ``tanggal_sk``. Every rule and the quota are checked before anything is
    saved."""
    require(actor, Domain.PROGRAMS, Action.IMPORT)
    check_bidang(actor, program.bidang_id)
    rows = read_rows(content, filename)
    report = ImportReport(rows=len(rows))
    column = "nik" if program.unit == Unit.PERSON else "no_kk"
    model = Person if program.unit == Unit.PERSON else Household
    numbers = {_text(r.get(column)) for r in rows}
    ids = dict(
        model.objects.filter(
            **{f"{column if column == 'nik' else 'no_kk'}__in": numbers}
        ).values_list(column, "pk")
    )
    groups: dict[tuple, list] = defaultdict(list)
    row_of: dict[int, int] = {}
    for row in rows:
        n = row["_row"]
        number = _text(row.get(column))
        if number not in ids:
            report.problems.append(Problem(n, column, _("This number is not in the registry.")))
            continue
        if ids[number] in row_of:
            report.problems.append(
                Problem(n, column, _("This recipient is already in an earlier row of the file."))
            )
            continue
        try:
            start = parse_date(row.get("mulai"))
        except ValueError:
            report.problems.append(
                Problem(n, "mulai", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
            )
            continue
        status = _text(row.get("status")).lower() or Enrollment.Status.PROPOSED
        if status not in (
            Enrollment.Status.PROPOSED,
            Enrollment.Status.VERIFIED,
            Enrollment.Status.ACTIVE,
        ):
            report.problems.append(Problem(n, "status", _("Use usulan, terverifikasi or aktif.")))
            continue
        decree, decree_date = _text(row.get("nomor_sk")), None
        if status == Enrollment.Status.ACTIVE:
            try:
                decree_date = parse_date(row.get("tanggal_sk"))
            except ValueError:
                decree_date = None
            if not decree or decree_date is None:
                report.problems.append(
                    Problem(
                        n,
                        "nomor_sk",
                        _("An active enrollment needs the decree (SK penetapan): number and date."),
                    )
                )
                continue
        row_of[ids[number]] = n
        groups[(start, status, decree, decree_date)].append(ids[number])
    # The rules, set-based, for every row at once.
    checker = (
        eligibility.check_persons if program.unit == Unit.PERSON else eligibility.check_households
    )
    for (start, _status, _d, _dd), members in groups.items():
        for pk, failures in checker(program, model.objects.filter(pk__in=members), start).items():
            for failure in failures:
                report.problems.append(Problem(row_of[pk], column, failure.message))
    report.problems.sort(key=lambda p: p.row)
    if report.ok:
        try:
            with transaction.atomic():
                for (start, status, decree, decree_date), members in groups.items():
                    result = services.enrollment_bulk_create(
                        actor=actor,
                        program=program,
                        ids=members,
                        start_date=start,
                        status=status,
                        decree_number=decree,
                        decree_date=decree_date,
                    )
                    report.saved += len(result.created)
                if not commit:
                    transaction.set_rollback(True)
                    report.saved = 0
        except services.QuotaError as exc:
            report.problems.append(Problem(0, "", exc.messages[0]))
            report.saved = 0
        else:
            report.committed = commit
    return report
