"""Imports of the programs: the results a bank or Pos returns (disbursements) and lists of
recipients to enroll. Validate -> report -> commit, as the registry import:

* every row is checked first; each problem is named by row, column and message in Bahasa
  Indonesia (``ImportReport.errors``, a ``welfare.tabular.RowErrors``);
* all or nothing (``Mode.ALL_OR_NOTHING``, the default): the file is saved only when no row has
  a problem, in one transaction; or the valid rows only (``Mode.VALID_ONLY``): the valid rows are
  saved and the others returned in a file of refused rows (the rows as sent, with a last column
  saying what is wrong), to be corrected and imported again;
* from the pages an import runs as a background job (``programs.jobs``, ``run_import``), which
  keeps a ``ProgramImport`` record with the counts, the report file and the refused-rows file.

Files are read by ``welfare.tabular`` (shared with the registry import): CSV with ``;``, ``,``
or tab separators in UTF-8 (with or without BOM) or Windows-1252, or XLSX (first sheet).
Headers are matched loosely (case and punctuation ignored), with Indonesian and English names
(``HEADERS``).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Action, Domain, check_bidang, require
from beneficiaries.models import Household, Person
from welfare import tabular
from welfare.tabular import CellError, RowError, RowErrors, TabularError

from . import eligibility, services, summary
from .models import Disbursement, Enrollment, Program, ProgramImport, Unit

Mode = ProgramImport.Mode
Progress = Callable[[int, str], None]

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
# The columns of each kind of file, in the template's order; "*" marks a required one. The
# recipient column (nik or no_kk) is required too: for results at least one of them (a file
# may mix person and household programs), for enrollments the program's.
DISBURSEMENT_COLUMNS = (
    "nik",
    "no_kk",
    "program*",
    "tahun*",
    "tahap*",
    "status*",
    "jumlah",
    "tanggal",
    "saluran",
    "keterangan",
    "referensi",
)
ENROLLMENT_COLUMNS = ("mulai*", "status", "nomor_sk", "tanggal_sk")
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
# Lists of numbers or ids sent to the database in pieces (SQLite takes at most 32,766
# parameters in a statement).
CHUNK = 5000
# Disbursement.paid_amount holds 12 digits before the decimal comma.
MAX_AMOUNT = Decimal(10) ** 12
# How many problems the import's page shows (the report file has them all).
SHOWN_PROBLEMS = 100


@dataclass
class ImportReport:
    """The outcome of checking (and saving) a file. ``errors`` holds the problems by row (the
    number users see; 0 for a problem of the whole file); ``rejected`` the refused rows as they
    were in the file, for ``welfare.tabular.write_rows``."""

    rows: int = 0
    errors: RowErrors = field(default_factory=RowErrors)
    saved: int = 0
    committed: bool = False
    headers: list[str] = field(default_factory=list)
    cells: dict[int, list] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def problems(self) -> list[RowError]:
        return self.errors.sorted()

    @property
    def invalid_rows(self) -> int:
        return len([row for row in self.errors.rows if row > 0])

    @property
    def rejected(self) -> list[tuple[int, list]]:
        return [(n, self.cells[n]) for n in sorted(self.errors.rows) if n in self.cells]


@dataclass
class _Row:
    number: int
    values: dict


def _noop(percent: int, message: str = "") -> None:
    return None


def columns(keys: Iterable[str]) -> list[tabular.Column]:
    """``welfare.tabular`` columns for keys of ``HEADERS`` ("key*" for a required one)."""
    out = []
    for spec in keys:
        key = spec.rstrip("*")
        out.append(
            tabular.Column(
                key=key, header=HEADERS[key][0], aliases=HEADERS[key], required=spec.endswith("*")
            )
        )
    return out


def _read(file, keys: Iterable[str], report: ImportReport, *, one_of=()) -> list[_Row]:
    """Read every row of ``file``; keep its cells for the refused-rows file. TabularError for a
    file that cannot be read, lacks a required column or has no rows."""
    table = tabular.read_table(file, columns(keys))
    if one_of and not set(one_of) & table.mapping.keys():
        raise TabularError(
            _(
                "Required columns are missing: %(columns)s. Use the template's first row as the header."
            )
            % {"columns": " / ".join(one_of)}
        )
    report.headers = table.headers
    rows = []
    for number, values, cells in table.records():
        rows.append(_Row(number, values))
        report.cells[number] = cells
    if not rows:
        raise TabularError(_("The file has no rows under the header."))
    report.rows = len(rows)
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def parse_number(value, column: str) -> str:
    """The NIK (``column`` "nik") or No. KK of a cell: 16 digits typed as text. CellError, with
    a message naming the column, for a number the spreadsheet shortened (stored as a number or
    in scientific notation), other characters or another length."""
    label = _("NIK") if column == "nik" else _("No. KK")
    return tabular.parse_digits(value, length=16, label=label)


def _number_or_none(value, column: str) -> str | None:
    try:
        return parse_number(value, column)
    except CellError:
        return None


def parse_amount(value) -> Decimal:
    """Rp in Indonesian notation (1.234.567,50) or a plain number. ValueError (or
    InvalidOperation) for words, NaN, Infinity and Excel's scientific notation (3E+05)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        text = _text(value).replace("Rp", "").replace(" ", "")
        if tabular.is_scientific(text):
            raise ValueError(text)
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text) or "," in text:
            text = text.replace(".", "").replace(",", ".")
        amount = Decimal(text)
    if not amount.is_finite():
        raise ValueError(value)
    return amount


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
    *,
    actor,
    file,
    commit: bool,
    mode: str = Mode.ALL_OR_NOTHING,
    batch: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Apply a bank's or Pos's results to the planned disbursements. Each row names the
    recipient (``nik`` for a person program, ``no_kk`` for a household program), ``program``,
    ``tahun`` and ``tahap``, the ``status`` and, when paid, ``jumlah``, ``tanggal`` and
    ``saluran``; ``keterangan`` is required for gagal/ditunda. The disbursements changed carry
    ``batch`` (``Disbursement.import_batch``). Raises TabularError for an unreadable file."""
    require(actor, Domain.PROGRAMS, Action.IMPORT)
    progress = progress or _noop
    report = ImportReport()
    rows = _read(file, DISBURSEMENT_COLUMNS, report, one_of=("nik", "no_kk"))
    progress(20, _("Checking the rows"))
    updates = _check_disbursements(actor, rows, report.errors)
    if commit and updates and (report.ok or mode == Mode.VALID_ONLY):
        progress(60, _("Saving"))
        batch = batch or services.new_batch_id()
        with transaction.atomic():
            report.saved = _save_disbursements(actor, updates, batch)
        report.committed = True
    return report


def _check_disbursements(actor, rows: list[_Row], errors: RowErrors) -> dict[int, dict]:
    """Every row checked; the values to write per disbursement id for the valid ones."""
    programs = {p.code: p for p in Program.objects.all()}
    needed = defaultdict(set)  # program id -> numbers
    for row in rows:
        program = programs.get(_text(row.values.get("program")))
        if program is not None:
            column = "nik" if program.unit == Unit.PERSON else "no_kk"
            number = _number_or_none(row.values.get(column), column)
            if number:
                needed[program.pk].add(number)
    # The disbursements the file may name: one query per program (per 5,000 numbers).
    index: dict[tuple, int] = {}
    by_pk = {p.pk: p for p in programs.values()}
    for program_id, numbers in needed.items():
        path = (
            "enrollment__person__nik"
            if by_pk[program_id].unit == Unit.PERSON
            else "enrollment__household__no_kk"
        )
        for part in _chunks(sorted(numbers)):
            found = Disbursement.objects.filter(
                program_id=program_id, **{f"{path}__in": part}
            ).values_list("pk", path, "stage__year", "stage__number")
            for pk, number, year, stage in found:
                index[(program_id, number, year, stage)] = pk
    updates: dict[int, dict] = {}
    seen = set()
    for row in rows:
        n, cells = row.number, row.values

        def problem(column: str, message: str, n=n, cells=cells) -> None:
            errors.add(n, column, message, cells.get(column))

        program = programs.get(_text(cells.get("program")))
        if program is None:
            problem(
                "program",
                _("Unknown program code %(code)s.") % {"code": _text(cells.get("program")) or "-"},
            )
            continue
        try:
            check_bidang(actor, program.bidang_id)
        except PermissionDenied:
            problem("program", _("This program belongs to another division (bidang)."))
            continue
        column = "nik" if program.unit == Unit.PERSON else "no_kk"
        try:
            number = parse_number(cells.get(column), column)
        except CellError as exc:
            problem(column, exc.message)
            continue
        try:
            year = int(_text(cells.get("tahun")))
        except ValueError:
            problem("tahun", _("Write the year as a number, e.g. 2026."))
            continue
        try:
            stage = int(_text(cells.get("tahap")))
        except ValueError:
            problem("tahap", _("Write the stage as a number, e.g. 1."))
            continue
        pk = index.get((program.pk, number, year, stage))
        if pk is None:
            problem(
                column,
                _(
                    "No disbursement of %(program)s tahap %(stage)s %(year)s is planned for %(number)s."
                )
                % {"program": program.code, "stage": stage, "year": year, "number": number},
            )
            continue
        if pk in seen:
            problem(column, _("This disbursement is already in an earlier row of the file."))
            continue
        seen.add(pk)
        status = STATUS_WORDS.get(_text(cells.get("status")).lower())
        if status is None:
            problem("status", _("Use disalurkan, gagal or ditunda."))
            continue
        values = {
            "status": status,
            "reason": _text(cells.get("keterangan"))[:255],
            "reference": _text(cells.get("referensi"))[:60],
            "paid_amount": Decimal(0),
            "paid_on": None,
            "channel": "",
        }
        channel = _text(cells.get("saluran")).lower()
        if channel:
            values["channel"] = CHANNEL_WORDS.get(channel, "")
            if not values["channel"]:
                problem("saluran", _("Use bank, pos, e-warong or tunai."))
                continue
        if status == Disbursement.Status.PAID:
            try:
                values["paid_amount"] = parse_amount(cells.get("jumlah"))
            except (InvalidOperation, ValueError):
                problem("jumlah", _("Write the amount as a number, e.g. 750.000."))
                continue
            if values["paid_amount"] >= MAX_AMOUNT:
                problem("jumlah", _("The amount is too large for one disbursement."))
                continue
            try:
                values["paid_on"] = parse_date(cells.get("tanggal"))
            except ValueError:
                problem("tanggal", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
                continue
        found = services._validate_payment(
            status,
            values["paid_amount"] if status == Disbursement.Status.PAID else None,
            values["paid_on"],
            values["channel"],
            values["reason"],
        )
        if status == Disbursement.Status.PAID and values["paid_amount"] <= 0:
            found.setdefault("paid_amount", _("A paid disbursement needs the amount paid."))
        if found:
            names = {
                "paid_on": "tanggal",
                "paid_amount": "jumlah",
                "channel": "saluran",
                "reason": "keterangan",
                "status": "status",
            }
            for key, message in found.items():
                problem(names.get(key, key), str(message))
            continue
        updates[pk] = values
    return updates


STAGE = "programs_results_stage"
STAGE_FIELDS = ("status", "paid_amount", "paid_on", "channel", "reason", "reference")


def _save_disbursements(actor, updates: dict[int, dict], batch: str) -> int:
    """Write the results set-based: the values go into a temporary table, then one
    ``UPDATE ... FROM`` (PostgreSQL, and SQLite 3.33+) writes them all and one
    ``INSERT ... SELECT`` their history rows (type "~", the import in the reason). Django's
    ``bulk_update`` builds a CASE per field and row: 10,000 rows took 35 s on SQLite."""
    table = Disbursement._meta.db_table
    ops = connection.ops
    now = timezone.now()
    rows = [
        (
            pk,
            values["status"],
            ops.adapt_decimalfield_value(values["paid_amount"], 14, 2),
            ops.adapt_datefield_value(values["paid_on"]),
            values["channel"],
            values["reason"],
            values["reference"],
        )
        for pk, values in sorted(updates.items())
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGE} (
                id bigint PRIMARY KEY, status varchar(14), paid_amount numeric(14, 2),
                paid_on date, channel varchar(10), reason varchar(255), reference varchar(60))"""
        )
        for part in _chunks(rows, 1000):
            cursor.executemany(
                f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                part,
            )
        assignments = ", ".join(f"{name} = s.{name}" for name in STAGE_FIELDS)
        cursor.execute(
            f"""UPDATE {table} SET {assignments}, import_batch = %s, updated_at = %s
                FROM {STAGE} s WHERE {table}.id = s.id""",  # noqa: S608 (names from the models)
            [batch, ops.adapt_datetimefield_value(now)],
        )
        saved = cursor.rowcount
        # The history rows, set-based too: one INSERT ... SELECT of the rows just written.
        history = Disbursement.history.model._meta
        own = {f.column for f in Disbursement._meta.concrete_fields}
        copied = [f.column for f in history.concrete_fields if f.column in own]
        listed = ", ".join(copied)
        cursor.execute(
            f"""INSERT INTO {history.db_table}
                    ({listed}, history_date, history_change_reason, history_type, history_user_id)
                SELECT {", ".join(f"d.{c}" for c in copied)}, %s, %s, '~', %s
                FROM {table} d JOIN {STAGE} s ON s.id = d.id""",  # noqa: S608
            [
                ops.adapt_datetimefield_value(now),
                _("disbursement results import %(batch)s") % {"batch": batch},
                actor.pk,
            ],
        )
        # Raw SQL: the figures of the stages and desa it wrote are refreshed here (summary).
        cursor.execute(
            f"""SELECT DISTINCT d.program_id, d.year, d.stage_id, d.village_id
                FROM {table} d JOIN {STAGE} s ON s.id = d.id"""  # noqa: S608
        )
        touched = cursor.fetchall()
        cursor.execute(f"DROP TABLE {STAGE}")
    summary.disbursements_touched(touched)
    return saved


# --- Enrollment lists ----------------------------------------------------------------------------


@dataclass
class _Candidate:
    row: int
    number: str  # the NIK or No. KK as in the file
    pk: int
    district_id: str
    village_id: str
    key: tuple  # (start, status, decree number, decree date)


def enrollment_import(
    *,
    actor,
    program: Program,
    file,
    commit: bool,
    mode: str = Mode.ALL_OR_NOTHING,
    progress: Progress | None = None,
) -> ImportReport:
    """Enroll the persons (``nik``) or households (``no_kk``) of a file in ``program``, with
    ``mulai`` (start), ``status`` (usulan, terverifikasi or aktif; default usulan) and for aktif
    ``nomor_sk`` and ``tanggal_sk``. Every rule and the quota are checked before anything is
    saved; the rows of an area whose quota they would exceed are refused (with the quota and the
    count). Raises TabularError for an unreadable file."""
    require(actor, Domain.PROGRAMS, Action.IMPORT)
    check_bidang(actor, program.bidang_id)
    if program.unit == Unit.GROUP:
        raise ValidationError(_("Groups are enrolled one by one."))
    progress = progress or _noop
    report = ImportReport()
    column = "nik" if program.unit == Unit.PERSON else "no_kk"
    rows = _read(file, (f"{column}*", *ENROLLMENT_COLUMNS), report)
    progress(20, _("Checking the rows"))
    candidates = _check_enrollments(program, column, rows, report.errors)
    candidates = _check_quotas(program, column, candidates, report)
    if commit and candidates and (report.ok or mode == Mode.VALID_ONLY):
        progress(60, _("Saving"))
        _save_enrollments(actor, program, column, candidates, report, mode)
    return report


def _check_enrollments(
    program: Program, column: str, rows: list[_Row], errors: RowErrors
) -> list[_Candidate]:
    """The row checks, then the eligibility rules set-based; the rows that pass."""
    model = Person if program.unit == Unit.PERSON else Household
    numbers = sorted({n for row in rows if (n := _number_or_none(row.values.get(column), column))})
    found: dict[str, tuple] = {}
    for part in _chunks(numbers):
        for number, pk, district_id, village_id in model.objects.filter(
            **{f"{column}__in": part}
        ).values_list(column, "pk", "district_id", "village_id"):
            found[number] = (pk, district_id, village_id)
    candidates: list[_Candidate] = []
    taken: set[int] = set()
    for row in rows:
        n, cells = row.number, row.values

        def problem(key: str, message: str, n=n, cells=cells) -> None:
            errors.add(n, key, message, cells.get(key))

        try:
            number = parse_number(cells.get(column), column)
        except CellError as exc:
            problem(column, exc.message)
            continue
        if number not in found:
            problem(column, _("This number is not in the registry."))
            continue
        pk, district_id, village_id = found[number]
        if pk in taken:
            problem(column, _("This recipient is already in an earlier row of the file."))
            continue
        try:
            start = parse_date(cells.get("mulai"))
        except ValueError:
            problem("mulai", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
            continue
        status = _text(cells.get("status")).lower() or Enrollment.Status.PROPOSED
        if status not in (
            Enrollment.Status.PROPOSED,
            Enrollment.Status.VERIFIED,
            Enrollment.Status.ACTIVE,
        ):
            problem("status", _("Use usulan, terverifikasi or aktif."))
            continue
        decree, decree_date = _text(cells.get("nomor_sk")), None
        if status == Enrollment.Status.ACTIVE:
            needs_decree = _(
                "An active enrollment needs the decree (SK penetapan): number and date."
            )
            if not decree:
                problem("nomor_sk", needs_decree)
                continue
            if not _text(cells.get("tanggal_sk")):
                problem("tanggal_sk", needs_decree)
                continue
            try:
                decree_date = parse_date(cells.get("tanggal_sk"))
            except ValueError:
                problem("tanggal_sk", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
                continue
        taken.add(pk)
        candidates.append(
            _Candidate(n, number, pk, district_id, village_id, (start, status, decree, decree_date))
        )
    # The rules, set-based: one query per start date (the rules of age depend on it).
    checker = (
        eligibility.check_persons if program.unit == Unit.PERSON else eligibility.check_households
    )
    by_start: dict[datetime.date, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_start[candidate.key[0]].append(candidate)
    refused: set[int] = set()
    for start, group in by_start.items():
        row_of = {c.pk: c for c in group}
        for part in _chunks(list(row_of)):
            failures = checker(program, model.objects.filter(pk__in=part), start)
            for pk, fails in failures.items():
                for failure in fails:
                    errors.add(row_of[pk].row, column, failure.message, row_of[pk].number)
                    refused.add(pk)
    return [c for c in candidates if c.pk not in refused]


def _check_quotas(
    program: Program, column: str, candidates: list[_Candidate], report: ImportReport
) -> list[_Candidate]:
    """Refuse the rows of every desa or kecamatan whose quota the file's rows would exceed (the
    message gives the quota and the count); which rows of an area get its last places is not
    for the import to choose. The rows left fit every quota."""
    by_year: dict[int, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_year[candidate.key[0].year].append(candidate)
    refused: set[int] = set()
    for year, group in by_year.items():
        additions = Counter(c.village_id for c in group)
        for overflow in services.quota_overflows(program, year, additions):
            for c in group:
                if (overflow.village_id and c.village_id == overflow.village_id) or (
                    not overflow.village_id and c.district_id == overflow.district_id
                ):
                    report.errors.add(c.row, column, overflow.message, c.number)
                    refused.add(c.pk)
    return [c for c in candidates if c.pk not in refused]


class _Refused(Exception):
    """Rolls the enrollments back (all or nothing) after the re-check refused some."""


def _save_enrollments(
    actor, program: Program, column: str, candidates: list[_Candidate], report, mode: str
) -> None:
    """Enroll through ``services.enrollment_bulk_create`` (which checks the rules and the quota
    again with the quota rows locked), one call per start date, status and decree."""
    groups: dict[tuple, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[candidate.key].append(candidate)
    created = 0
    late: list[tuple[int, str]] = []
    try:
        with transaction.atomic():
            for (start, status, decree, decree_date), group in groups.items():
                row_of = {c.pk: c.row for c in group}
                result = services.enrollment_bulk_create(
                    actor=actor,
                    program=program,
                    ids=list(row_of),
                    start_date=start,
                    status=status,
                    decree_number=decree,
                    decree_date=decree_date,
                )
                created += len(result.created)
                late += [(row_of[pk], m) for pk, messages in result.refused for m in messages]
            if late and mode == Mode.ALL_OR_NOTHING:
                raise _Refused
    except services.QuotaError as exc:
        # Someone else took the last places between the check and the save.
        report.errors.add(0, "", exc.messages[0])
        return
    except _Refused:
        pass
    else:
        report.saved = created
        report.committed = True
    for row, message in late:
        report.errors.add(row, column, message)


# --- The import record and its job ----------------------------------------------------------------


def import_create(
    *, actor, kind: str, file_name: str, program: Program | None, mode: str, commit: bool
) -> ProgramImport:
    """Record an import (status pending) after the checks every channel shares: the role may
    import, an enrollment list names a program of the actor's bidang that enrolls persons or
    households. The page and the API queue its job (``import_start``); ``manage.py
    programs_import`` runs it at once (``run_import``)."""
    require(actor, Domain.PROGRAMS, Action.IMPORT)
    if kind not in ProgramImport.Kind.values:
        raise ValidationError(_("Unknown kind of import."))
    if mode not in Mode.values:
        raise ValidationError(_("Unknown mode of import."))
    if kind == ProgramImport.Kind.ENROLLMENTS:
        if program is None:
            raise ValidationError(_("Choose the program to enroll the recipients in."))
        check_bidang(actor, program.bidang_id)
        if program.unit == Unit.GROUP:
            raise ValidationError(_("Groups are enrolled one by one."))
        bidang_id = program.bidang_id
    else:
        program, bidang_id = None, getattr(actor, "bidang_id", None)
    return ProgramImport.objects.create(
        kind=kind,
        program=program,
        bidang_id=bidang_id,
        file_name=file_name[:255],
        mode=mode,
        commit=commit,
        created_by=actor,
    )


def import_start(
    *, actor, kind: str, file, file_name: str, program: Program | None, mode: str, commit: bool
) -> ProgramImport:
    """Record an import and queue its job (started when the transaction commits)."""
    from welfare.jobs import job_start

    from .jobs import IMPORT_JOB

    with transaction.atomic():
        record = import_create(
            actor=actor,
            kind=kind,
            file_name=file_name,
            program=program,
            mode=mode,
            commit=commit,
        )
        title = (
            _("Disbursement results import: %(name)s")
            if kind == ProgramImport.Kind.DISBURSEMENTS
            else _("Enrollment import: %(name)s")
        )
        record.job = job_start(
            kind=IMPORT_JOB,
            title=title % {"name": file_name[:120]},
            created_by=actor,
            params={"import": record.pk},
            input_file=file,
            input_name=file_name,
        )
        record.save(update_fields=["job"])
    return record


def run_import(*, record: ProgramImport, file, progress: Progress | None = None) -> ProgramImport:
    """Check (and, when the record asks, save) ``file`` for ``record``: the counts, the status,
    the report and the refused rows go on the record, in the same transaction as the writes.
    Raises TabularError for an unreadable file (nothing is written then)."""
    progress = progress or _noop
    progress(5, _("Reading and checking the rows"))
    with transaction.atomic():
        if record.kind == ProgramImport.Kind.DISBURSEMENTS:
            report = disbursement_results_import(
                actor=record.created_by,
                file=file,
                commit=record.commit,
                mode=record.mode,
                batch=str(record.pk),
                progress=progress,
            )
        else:
            report = enrollment_import(
                actor=record.created_by,
                program=record.program,
                file=file,
                commit=record.commit,
                mode=record.mode,
                progress=progress,
            )
        record.rows = report.rows
        record.invalid_rows = report.invalid_rows
        record.valid_rows = report.rows - report.invalid_rows
        record.problems = len(report.errors)
        record.saved = report.saved
        record.error = ""
        record.first_problems = [
            [p.row, p.column, p.message] for p in report.problems[:SHOWN_PROBLEMS]
        ]
        if report.committed:
            record.status = ProgramImport.Status.COMMITTED
            record.committed_at = timezone.now()
        elif record.commit:
            record.status = ProgramImport.Status.REFUSED
        else:
            record.status = ProgramImport.Status.CHECKED
        if report.errors:
            progress(90, _("Writing the report"))
            record.report_file.save(
                f"laporan-impor-program-{record.pk}.xlsx",
                ContentFile(tabular.write_report(report.errors, fmt="xlsx")),
                save=False,
            )
        if report.rejected:
            record.rejected_file.save(
                f"baris-ditolak-program-{record.pk}.xlsx",
                ContentFile(
                    tabular.write_rows(
                        report.headers, report.rejected, fmt="xlsx", errors=report.errors
                    )
                ),
                save=False,
            )
        record.save()
    return record


def import_failed(*, record: ProgramImport, message: str) -> None:
    """Mark an import whose file could not be read (or whose job failed) as failed."""
    ProgramImport.objects.filter(pk=record.pk).update(
        status=ProgramImport.Status.FAILED, error=message
    )


def import_summary(record: ProgramImport) -> str:
    return _("%(rows)s rows, %(invalid)s refused, %(saved)s saved.") % {
        "rows": record.rows,
        "invalid": record.invalid_rows,
        "saved": record.saved,
    }


def template_file(kind: str, program: Program | None = None, fmt: str = "xlsx") -> bytes:
    """An empty file with the headers of ``kind`` (the recipient column of ``program``; both
    nik and no_kk for the results or without a program), every cell formatted as Text so that
    NIK and No. KK keep their digits."""
    if kind == ProgramImport.Kind.DISBURSEMENTS:
        keys = DISBURSEMENT_COLUMNS
    elif program is None:
        keys = ("nik", "no_kk", *ENROLLMENT_COLUMNS)
    else:
        keys = ("nik*" if program.unit == Unit.PERSON else "no_kk*", *ENROLLMENT_COLUMNS)
    return tabular.write_template(columns(keys), fmt=fmt)
