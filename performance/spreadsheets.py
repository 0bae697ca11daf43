"""XLSX templates and imports: the plan and its targets, the budget, the realizations.

Every import runs the same steps from the page (a background job), ``manage.py
performance_import`` and the API: read the workbook, apply every row through the services (the
same rules as the pages) inside one transaction, collect every problem as (sheet, row, column,
message), then commit only when asked and when there is no problem at all; otherwise roll
everything back. A check run is the same run, always rolled back.

The columns of each template are declared here (``KINDS``) and documented in the template's
"Petunjuk" sheet and in README.md.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.access import BIDANG_BOUND_ROLES, role_of
from accounts.models import Bidang
from welfare.concurrency import ConcurrentUpdateError

from . import calculations as calc
from . import selectors, services
from .models import (
    Agreement,
    AgreementTarget,
    BudgetLine,
    Indicator,
    Kegiatan,
    Program,
    Realization,
    Renstra,
    Sasaran,
    SubKegiatan,
    Tujuan,
)

MAX_PROBLEMS = 1000
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
MONTH_KEYS = ("jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des")

LEVELS = {
    "tujuan": "tujuan",
    "sasaran": "sasaran",
    "program": "program",
    "kegiatan": "kegiatan",
    "sub_kegiatan": "sub_kegiatan",
    "sub kegiatan": "sub_kegiatan",
    "subkegiatan": "sub_kegiatan",
}
DIRECTIONS = {"naik": "higher", "turun": "lower"}
DIRECTION_KEYS = {v: k for k, v in DIRECTIONS.items()}
LOWER_FORMULAS = {
    "target/realisasi": "ratio",
    "(2xtarget-realisasi)/target": "difference",
}
LOWER_FORMULA_KEYS = {v: k for k, v in LOWER_FORMULAS.items()}
AGGREGATIONS = {
    "jumlah": "sum",
    "terakhir": "last",
    "rata-rata": "average",
    "pembilang/penyebut": "ratio",
}
AGGREGATION_KEYS = {v: k for k, v in AGGREGATIONS.items()}
YES = {"ya", "y", "yes", "1", "true", "iya"}
NO = {"tidak", "t", "no", "0", "false", ""}
VERSIONS = {"murni": "murni", "perubahan": "perubahan"}


@dataclass(frozen=True)
class Column:
    key: str
    description: object
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    description: object = ""
    dynamic_targets: bool = False  # target_<year> columns for each Renstra year


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Report:
    kind: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rows: int = 0
    committed: bool = False
    truncated: bool = False

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            return
        self.problems.append(Problem(sheet, row, column, str(message)))

    def count(self, label: str) -> None:
        self.counts[label] += 1

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return _(
                "%(rows)s rows read; %(problems)s problems found. Nothing was saved: correct the "
                "file and upload it again."
            ) % {"rows": self.rows, "problems": len(self.problems)}
        parts = ", ".join(f"{label}: {n}" for label, n in self.counts.items()) or _("no change")
        if self.committed:
            return _("%(rows)s rows saved (%(parts)s).") % {"rows": self.rows, "parts": parts}
        return _(
            "%(rows)s rows checked without a problem (%(parts)s). Nothing has been saved yet."
        ) % {"rows": self.rows, "parts": parts}

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "committed": self.committed,
            "ok": self.ok,
            "counts": dict(self.counts),
            "problems": [p.as_dict() for p in self.problems],
            "truncated": self.truncated,
            "summary": self.summary(),
        }


# --- The formats -----------------------------------------------------------------------------

C = Column
PLAN_SHEETS = (
    Sheet(
        "Renstra",
        (
            C("nama", gettext_lazy("Name of the strategic plan"), True, width=40),
            C("tahun_awal", gettext_lazy("First year (identifies the Renstra)"), True),
            C("tahun_akhir", gettext_lazy("Last year"), True),
            C("bidang", gettext_lazy("Code of the unit keeping the plan (e.g. sekretariat)")),
            C("visi", gettext_lazy("Vision"), width=40),
            C("misi", gettext_lazy("Mission"), width=40),
            C("dasar_hukum", gettext_lazy("Legal basis"), width=30),
        ),
        gettext_lazy(
            "One row: the Renstra. An existing Renstra with the same first year is updated."
        ),
    ),
    Sheet(
        "Tujuan",
        (
            C("kode", gettext_lazy("Code of the goal, unique in the Renstra (e.g. T1)"), True),
            C("pernyataan", gettext_lazy("Statement of the goal"), True, width=60),
            C("urutan", gettext_lazy("Order (a number)")),
        ),
    ),
    Sheet(
        "Sasaran",
        (
            C("kode", gettext_lazy("Code of the objective (e.g. S1)"), True),
            C("kode_tujuan", gettext_lazy("Code of its goal"), True),
            C("pernyataan", gettext_lazy("Statement of the objective"), True, width=60),
            C(
                "program",
                gettext_lazy(
                    "Codes of the supporting programs, separated by commas (e.g. 1.06.02, 1.06.04)"
                ),
                width=30,
            ),
            C("urutan", gettext_lazy("Order (a number)")),
        ),
    ),
    Sheet(
        "Indikator",
        (
            C("kode", gettext_lazy("Code of the indicator, unique in the Renstra"), True),
            C("nama", gettext_lazy("Name of the indicator"), True, width=50),
            C("tingkat", gettext_lazy("Level"), True, tuple(dict.fromkeys(LEVELS.values()))),
            C(
                "induk",
                gettext_lazy(
                    "What it measures: the code of the goal or objective, or the code of the "
                    "program, kegiatan or sub kegiatan"
                ),
                True,
                width=22,
            ),
            C("satuan", gettext_lazy("Unit (%, Poin, Orang, Dokumen...)"), True),
            C(
                "bidang",
                gettext_lazy(
                    "Code of the division responsible (sekretariat, dayasos, rehsos, linjamsos)"
                ),
                True,
            ),
            C(
                "arah",
                gettext_lazy("naik: more is better; turun: less is better"),
                False,
                tuple(DIRECTIONS),
            ),
            C(
                "rumus_turun",
                gettext_lazy(
                    "When less is better: target/realisasi or (2xtarget-realisasi)/target"
                ),
                False,
                tuple(LOWER_FORMULAS),
                width=26,
            ),
            C(
                "agregasi",
                gettext_lazy(
                    "How quarters combine: jumlah, terakhir, rata-rata (a level; never for %), "
                    "pembilang/penyebut (a %)"
                ),
                False,
                tuple(AGGREGATIONS),
                width=20,
            ),
            C(
                "iku",
                gettext_lazy("Key performance indicator: ya or tidak"),
                False,
                ("ya", "tidak"),
            ),
            C("definisi", gettext_lazy("Definition"), width=40),
            C("rumus", gettext_lazy("Formula (text)"), width=40),
            C("sumber_data", gettext_lazy("Data source"), width=30),
            C("tahun_dasar", gettext_lazy("Baseline year")),
            C("nilai_dasar", gettext_lazy("Baseline value")),
            C(
                "sumber_otomatis",
                gettext_lazy("Code of the operational data source, when computed"),
            ),
            C(
                "indikator_sebelumnya",
                gettext_lazy(
                    "Code of the same indicator in the previous Renstra (for the five-year "
                    "comparison)"
                ),
            ),
            C("urutan", gettext_lazy("Order (a number)")),
        ),
        gettext_lazy("Then one column target_<year> for each year of the Renstra."),
        dynamic_targets=True,
    ),
    Sheet(
        "Target PK",
        (
            C("tahun", gettext_lazy("Year of the performance agreement"), True),
            C(
                "versi",
                gettext_lazy("murni (the original agreement) or perubahan (its latest revision)"),
                True,
                tuple(VERSIONS),
            ),
            C("kode_indikator", gettext_lazy("Code of the indicator"), True),
            C("target", gettext_lazy("Yearly target"), True),
            C("tw1", gettext_lazy("Quarter I target")),
            C("tw2", gettext_lazy("Quarter II target")),
            C("tw3", gettext_lazy("Quarter III target")),
            C("tw4", gettext_lazy("Quarter IV target")),
            C(
                "alasan_perubahan",
                gettext_lazy(
                    "For perubahan, when the revision does not exist yet: why the agreement is "
                    "revised"
                ),
                width=30,
            ),
        ),
    ),
)

BUDGET_SHEETS = (
    Sheet(
        "Anggaran",
        (
            C("tahun", gettext_lazy("Budget year"), True),
            C(
                "kode_sub_kegiatan",
                gettext_lazy("Code of the sub kegiatan (e.g. 1.06.04.2.01.0001)"),
                True,
                width=20,
            ),
            C(
                "nama_sub_kegiatan",
                gettext_lazy(
                    "Name (only for a code not yet in the nomenclature; its kegiatan must exist)"
                ),
                width=40,
            ),
            C("bidang", gettext_lazy("Code of the implementing division"), True),
            C("pagu_murni", gettext_lazy("Budget ceiling before revision (Rp)"), True, width=18),
            C(
                "pagu_perubahan",
                gettext_lazy("Budget ceiling after revision (Rp); empty when not revised"),
                width=18,
            ),
            *(
                C(
                    m,
                    gettext_lazy("Realization of the month (Rp); empty leaves it as it is"),
                    width=15,
                )
                for m in MONTH_KEYS
            ),
        ),
        gettext_lazy("One row per sub kegiatan and year. An existing budget line is updated."),
    ),
)

REALIZATION_SHEETS = (
    Sheet(
        "Realisasi",
        (
            C("tahun", gettext_lazy("Year"), True),
            C("triwulan", gettext_lazy("Quarter (1-4)"), True),
            C("kode_indikator", gettext_lazy("Code of the indicator"), True),
            C("nama_indikator", gettext_lazy("Name (for reading only)"), width=50),
            C("satuan", gettext_lazy("Unit (for reading only)")),
            C(
                "realisasi",
                gettext_lazy(
                    "Realization of the quarter (counts: the quarter only; levels: the value at "
                    "its end)"
                ),
            ),
            C(
                "pembilang",
                gettext_lazy("Numerator, for an indicator combined by numerator/denominator"),
            ),
            C(
                "penyebut",
                gettext_lazy("Denominator, for an indicator combined by numerator/denominator"),
            ),
            C(
                "alasan_belum_tersedia",
                gettext_lazy("Why the figure is not available yet (instead of a figure)"),
                width=30,
            ),
            C("faktor_penghambat", gettext_lazy("Inhibiting factors"), width=30),
            C("faktor_pendukung", gettext_lazy("Supporting factors"), width=30),
            C("solusi", gettext_lazy("Solutions"), width=30),
            C("rekomendasi", gettext_lazy("Recommendations"), width=30),
        ),
        gettext_lazy(
            "Rows are saved as drafts of your division's indicators: attach the evidence and "
            "submit them on the page. Approved or submitted realizations are not changed."
        ),
    ),
)


# --- The uploaded file ---------------------------------------------------------------------------

# An office's plan, budget or quarter is a few hundred kilobytes; a larger file is a mistake
# (a scan, a whole database export) and is refused before it is queued.
IMPORT_MAX_MB_DEFAULT = 20


def import_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "WELFARE_IMPORT_MAX_MB", IMPORT_MAX_MB_DEFAULT)) * 1024 * 1024


def validate_workbook_upload(upload) -> None:
    """Refuse (ValidationError in Bahasa Indonesia, naming the file field) an upload that is not
    an XLSX workbook by its content, is empty or too large: a CSV in any encoding or separator,
    a renamed file, a ZIP that is not a workbook. Used by the page, the API and the service."""
    from welfare.uploads import validate_upload

    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(_("Upload an XLSX workbook (made from the template)."))
    validate_upload(
        upload, allowed={"xlsx"}, max_bytes=import_max_bytes(), field_label=_("The XLSX file")
    )


# --- Reading ---------------------------------------------------------------------------------


def _header_key(value) -> str:
    return re.sub(r"\s+", "_", str(value or "").strip().lower())


def read_rows(workbook, sheet: Sheet, report: Report, *, required: bool = True):
    """The rows of a sheet as (row number, {column: value}); missing columns are problems."""
    if sheet.name not in workbook.sheetnames:
        if required:
            report.add(
                sheet.name, 0, "", _("The sheet %(sheet)s is missing.") % {"sheet": sheet.name}
            )
        return []
    rows = workbook[sheet.name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    keys = [_header_key(h) for h in header]
    for column in sheet.columns:
        if column.required and column.key not in keys:
            report.add(sheet.name, 1, column.key, _("The column is missing."))
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        result.append((number, {k: v for k, v in zip(keys, values, strict=False) if k}))
    return result


class CellError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def text(row: dict, key: str, *, required: bool = False) -> str:
    value = row.get(key)
    value = "" if value is None else str(value).strip()
    if isinstance(row.get(key), float) and row[key].is_integer():
        value = str(int(row[key]))
    if required and not value:
        raise CellError(key, _("This column must be filled."))
    return value


_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def number(row: dict, key: str, *, required: bool = False) -> Decimal | None:
    """A number from a numeric cell or from text in Indonesian (1.234,5) or plain (1234.5)
    notation."""
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError(key, _("This column must be filled."))
        return None
    if isinstance(value, bool):
        raise CellError(key, _("Not a number: %(value)s") % {"value": value})
    if isinstance(value, int | float | Decimal):
        result = Decimal(str(value))
        if not result.is_finite():
            raise CellError(key, _("Not a number: %(value)s") % {"value": value})
        return result
    cleaned = str(value).strip().replace(" ", "").replace("Rp", "").replace("%", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if "e" in cleaned.lower() and re.search(r"\d[eE][+-]?\d", cleaned):
        raise CellError(
            key,
            _(
                "%(value)s is a number in scientific notation, as Excel shows a long number: "
                "format the cell as a number and type the whole figure."
            )
            % {"value": value},
        )
    try:
        result = Decimal(cleaned)
    except InvalidOperation as exc:
        raise CellError(key, _("Not a number: %(value)s") % {"value": value}) from exc
    if not result.is_finite():
        raise CellError(key, _("Not a number: %(value)s") % {"value": value})
    return result


def integer(row: dict, key: str, *, required: bool = False) -> int | None:
    value = number(row, key, required=required)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(key, _("Give a whole number."))
    return int(value)


def choice(row: dict, key: str, mapping: dict[str, str], *, default: str | None = None) -> str:
    value = text(row, key).lower()
    if not value:
        if default is None:
            raise CellError(key, _("This column must be filled."))
        return default
    normalized = value.replace(" ", "") if value.replace(" ", "") in mapping else value
    if normalized not in mapping:
        raise CellError(
            key,
            _("%(value)s is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(dict.fromkeys(mapping))},
        )
    return mapping[normalized]


def yes_no(row: dict, key: str) -> bool:
    value = text(row, key).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(key, _("Write ya or tidak."))


# --- Running ---------------------------------------------------------------------------------


class Importer:
    kind: str = ""
    label = ""
    sheets: tuple[Sheet, ...] = ()
    fields: dict[str, str] = {}  # service field -> column, for the service's messages

    def __init__(self, actor, report: Report, progress: Callable[[int, str], None]):
        self.actor = actor
        self.report = report
        self.progress = progress
        self.bidang = {b.code: b for b in Bidang.objects.all()}

    def run(self, workbook) -> None:
        raise NotImplementedError

    def row(self, sheet: str, number: int, action: Callable[[], object]) -> object | None:
        """Apply one row in its own savepoint; a problem is recorded, never raised."""
        self.report.rows += 1
        return self.attempt(sheet, number, action)

    def attempt(self, sheet: str, number: int, action: Callable[[], object]) -> object | None:
        try:
            with transaction.atomic():
                return action()
        except CellError as exc:
            self.report.add(sheet, number, exc.column, exc.message)
        except ValidationError as exc:
            self._validation(sheet, number, exc)
        except ConcurrentUpdateError as exc:
            self.report.add(sheet, number, "", exc.message)
        except PermissionDenied as exc:
            self.report.add(sheet, number, "", str(exc) or _("Your role may not do this."))
        return None

    def _validation(self, sheet: str, number: int, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = self.fields.get(name, "" if name == "__all__" else name)
                for message in messages:
                    self.report.add(sheet, number, column, message)
        else:
            for message in exc.messages:
                self.report.add(sheet, number, "", message)

    def bidang_of(self, row: dict, key: str = "bidang", *, required: bool = True) -> Bidang | None:
        code = text(row, key, required=required).lower()
        if not code:
            return None
        if code not in self.bidang:
            raise CellError(
                key,
                _("Unknown division %(code)s; use one of: %(codes)s.")
                % {"code": code, "codes": ", ".join(self.bidang)},
            )
        return self.bidang[code]


class PlanImporter(Importer):
    kind = "plan"
    label = gettext_lazy("Plan: Renstra, goals, objectives, indicators, targets and agreements")
    sheets = PLAN_SHEETS
    fields = {
        "name": "nama",
        "start_year": "tahun_awal",
        "end_year": "tahun_akhir",
        "vision": "visi",
        "mission": "misi",
        "legal_basis": "dasar_hukum",
        "bidang": "bidang",
        "code": "kode",
        "tujuan": "kode_tujuan",
        "programs": "program",
        "level": "tingkat",
        "sasaran": "induk",
        "program": "induk",
        "kegiatan": "induk",
        "sub_kegiatan": "induk",
        "unit": "satuan",
        "direction": "arah",
        "lower_formula": "rumus_turun",
        "aggregation": "agregasi",
        "source_code": "sumber_otomatis",
        "continues": "indikator_sebelumnya",
        "targets": "target",
        "target": "target",
        "q1": "tw1",
        "q2": "tw2",
        "q3": "tw3",
        "q4": "tw4",
        "reason": "alasan_perubahan",
        "year": "tahun",
    }

    def run(self, workbook) -> None:
        renstra_sheet, tujuan_sheet, sasaran_sheet, indicator_sheet, target_sheet = self.sheets
        rows = read_rows(workbook, renstra_sheet, self.report)
        if len(rows) != 1:
            if rows or renstra_sheet.name in workbook.sheetnames:
                self.report.add(renstra_sheet.name, 2, "", _("Give exactly one Renstra row."))
            return
        self.progress(5, _("Reading the Renstra"))
        self.renstra = self.row(renstra_sheet.name, rows[0][0], lambda: self._renstra(rows[0][1]))
        if self.renstra is None:
            return
        for line_no, row in read_rows(workbook, tujuan_sheet, self.report, required=False):
            self.row(tujuan_sheet.name, line_no, lambda row=row: self._tujuan(row))
        self.progress(20, _("Goals read"))
        for line_no, row in read_rows(workbook, sasaran_sheet, self.report, required=False):
            self.row(sasaran_sheet.name, line_no, lambda row=row: self._sasaran(row))
        self.progress(35, _("Objectives read"))
        indicator_rows = read_rows(workbook, indicator_sheet, self.report, required=False)
        for position, (line_no, row) in enumerate(indicator_rows, start=1):
            self.row(indicator_sheet.name, line_no, lambda row=row: self._indicator(row))
            if position % 25 == 0:
                self.progress(35 + int(40 * position / len(indicator_rows)), _("Indicators"))
        self.progress(75, _("Indicators read"))
        self._agreement_targets(workbook, target_sheet)
        self.progress(95, _("Agreement targets read"))

    def _renstra(self, row: dict) -> Renstra:
        start = integer(row, "tahun_awal", required=True)
        data = {
            "name": text(row, "nama", required=True),
            "start_year": start,
            "end_year": integer(row, "tahun_akhir", required=True),
            "vision": text(row, "visi"),
            "mission": text(row, "misi"),
            "legal_basis": text(row, "dasar_hukum"),
        }
        bidang = self.bidang_of(row, required=False)
        existing = Renstra.objects.filter(start_year=start).first()
        data["bidang"] = bidang or (existing.bidang if existing else self.bidang.get("sekretariat"))
        if existing is None:
            self.report.count(_("Renstra created"))
            return services.renstra_save(actor=self.actor, data=data)
        self.report.count(_("Renstra updated"))
        return services.renstra_save(
            actor=self.actor, data=data, renstra=existing, version=existing.version
        )

    def _tujuan(self, row: dict) -> Tujuan:
        code = text(row, "kode", required=True)
        existing = Tujuan.objects.filter(renstra=self.renstra, code=code).first()
        data = {
            "code": code,
            "name": text(row, "pernyataan", required=True),
            "order": integer(row, "urutan") or 0,
        }
        self.report.count(_("Goals updated") if existing else _("Goals created"))
        return services.tujuan_save(
            actor=self.actor,
            renstra=self.renstra,
            data=data,
            tujuan=existing,
            version=existing.version if existing else None,
        )

    def _sasaran(self, row: dict) -> Sasaran:
        code = text(row, "kode", required=True)
        tujuan_code = text(row, "kode_tujuan", required=True)
        tujuan = Tujuan.objects.filter(renstra=self.renstra, code=tujuan_code).first()
        if tujuan is None:
            raise CellError(
                "kode_tujuan", _("No goal %(code)s in this Renstra.") % {"code": tujuan_code}
            )
        program_codes = [c.strip() for c in text(row, "program").split(",") if c.strip()]
        programs = list(Program.objects.filter(code__in=program_codes))
        missing = sorted(set(program_codes) - {p.code for p in programs})
        if missing:
            raise CellError("program", _("Unknown program %(code)s.") % {"code": missing[0]})
        existing = Sasaran.objects.filter(renstra=self.renstra, code=code).first()
        data = {
            "tujuan": tujuan,
            "code": code,
            "name": text(row, "pernyataan", required=True),
            "order": integer(row, "urutan") or 0,
        }
        self.report.count(_("Objectives updated") if existing else _("Objectives created"))
        return services.sasaran_save(
            actor=self.actor,
            renstra=self.renstra,
            data=data,
            programs=programs,
            sasaran=existing,
            version=existing.version if existing else None,
        )

    def _owner(self, level: str, code: str):
        lookups = {
            "tujuan": lambda: Tujuan.objects.filter(renstra=self.renstra, code=code).first(),
            "sasaran": lambda: Sasaran.objects.filter(renstra=self.renstra, code=code).first(),
            "program": lambda: Program.objects.filter(code=code).first(),
            "kegiatan": lambda: Kegiatan.objects.filter(code=code).first(),
            "sub_kegiatan": lambda: SubKegiatan.objects.filter(code=code).first(),
        }
        owner = lookups[level]()
        if owner is None:
            raise CellError(
                "induk",
                _("No %(level)s with the code %(code)s.")
                % {"level": dict(Indicator.Level.choices)[level].lower(), "code": code},
            )
        return owner

    def _indicator(self, row: dict) -> Indicator:
        code = text(row, "kode", required=True)
        level = choice(row, "tingkat", LEVELS)
        owner = self._owner(level, text(row, "induk", required=True))
        direction = choice(row, "arah", DIRECTIONS, default="higher")
        data = {
            "level": level,
            **dict.fromkeys(Indicator.OWNER_FIELDS.values()),
            Indicator.OWNER_FIELDS[level]: owner,
            "code": code,
            "name": text(row, "nama", required=True),
            "unit": text(row, "satuan", required=True),
            "bidang": self.bidang_of(row),
            "direction": direction,
            "lower_formula": choice(row, "rumus_turun", LOWER_FORMULAS, default="ratio"),
            "aggregation": choice(row, "agregasi", AGGREGATIONS, default="sum"),
            "is_iku": yes_no(row, "iku"),
            "definition": text(row, "definisi"),
            "formula": text(row, "rumus"),
            "data_source": text(row, "sumber_data"),
            "baseline_year": integer(row, "tahun_dasar"),
            "baseline_value": number(row, "nilai_dasar"),
            "source_code": text(row, "sumber_otomatis"),
            "continues": self._previous(text(row, "indikator_sebelumnya")),
            "order": integer(row, "urutan") or 0,
        }
        targets = {}
        for year in self.renstra.years:
            key = f"target_{year}"
            if key in row:
                targets[year] = number(row, key)
        existing = Indicator.objects.filter(renstra=self.renstra, code=code).first()
        self.report.count(_("Indicators updated") if existing else _("Indicators created"))
        return services.indicator_save(
            actor=self.actor,
            renstra=self.renstra,
            data=data,
            targets=targets,
            indicator=existing,
            version=existing.version if existing else None,
        )

    def _previous(self, code: str) -> Indicator | None:
        if not code:
            return None
        previous = (
            Renstra.objects.filter(start_year__lt=self.renstra.start_year)
            .order_by("-start_year")
            .first()
        )
        indicator = (
            Indicator.objects.filter(renstra=previous, code=code).first() if previous else None
        )
        if indicator is None:
            raise CellError(
                "indikator_sebelumnya",
                _("No indicator %(code)s in the previous Renstra.") % {"code": code},
            )
        return indicator

    def _agreement_targets(self, workbook, sheet: Sheet) -> None:
        grouped: dict[tuple[int, str], list[tuple[int, dict]]] = defaultdict(list)
        for line_no, row in read_rows(workbook, sheet, self.report, required=False):
            try:
                year = integer(row, "tahun", required=True)
                version = choice(row, "versi", VERSIONS)
            except CellError as exc:
                self.report.rows += 1
                self.report.add(sheet.name, line_no, exc.column, exc.message)
                continue
            grouped[(year, version)].append((line_no, row))
        for (year, version), rows in sorted(
            grouped.items(), key=lambda i: (i[0][0], i[0][1] != "murni")
        ):
            self._agreement_group(sheet, year, version, rows)

    def _agreement_group(self, sheet: Sheet, year: int, version: str, rows) -> None:
        first = rows[0][0]

        def agreement() -> Agreement:
            if not self.renstra.start_year <= year <= self.renstra.end_year:
                raise CellError("tahun", _("The year is outside the Renstra period."))
            murni = Agreement.objects.filter(year=year, revision=0).first()
            if murni is None:
                murni = services.agreement_create(actor=self.actor, renstra=self.renstra, year=year)
                self.report.count(_("Agreements created"))
            if version == "murni":
                return murni
            latest = Agreement.objects.filter(year=year).order_by("-revision").first()
            if latest.revision > 0:
                return latest
            reason = next(
                (text(r, "alasan_perubahan") for _n, r in rows if text(r, "alasan_perubahan")), ""
            )
            if not reason:
                raise CellError("alasan_perubahan", _("Say why the agreement is revised."))
            self.report.count(_("Agreements created"))
            return services.agreement_revise(actor=self.actor, year=year, reason=reason)

        target_agreement = self.attempt(sheet.name, first, agreement)
        if target_agreement is None:
            self.report.rows += len(rows)
            return
        indicators = {i.code: i for i in Indicator.objects.filter(renstra=self.renstra)}
        existing = {
            t.indicator_id: t for t in AgreementTarget.objects.filter(agreement=target_agreement)
        }
        for line_no, row in rows:

            def apply(row=row) -> None:
                code = text(row, "kode_indikator", required=True)
                indicator = indicators.get(code)
                if indicator is None:
                    raise CellError(
                        "kode_indikator",
                        _("No indicator %(code)s in this Renstra.") % {"code": code},
                    )
                values = {
                    "target": number(row, "target", required=True),
                    **{f"q{q}": number(row, f"tw{q}") for q in calc.QUARTERS},
                }
                current = existing.get(indicator.pk)
                try:
                    services.agreement_targets_save(
                        actor=self.actor,
                        agreement=target_agreement,
                        rows=[
                            {
                                "indicator": indicator,
                                **values,
                                "version": current.version if current else None,
                            }
                        ],
                    )
                except ValidationError as exc:
                    # The service keys a row's problems by the indicator's code; in the file
                    # they belong to this row's target column.
                    raise CellError("target", " ".join(exc.messages)) from exc
                self.report.count(_("Agreement targets"))

            self.row(sheet.name, line_no, apply)


class BudgetImporter(Importer):
    kind = "budget"
    label = gettext_lazy("Budget: budget ceilings and monthly realization per sub kegiatan")
    sheets = BUDGET_SHEETS
    fields = {
        "year": "tahun",
        "sub_kegiatan": "kode_sub_kegiatan",
        "bidang": "bidang",
        "pagu_murni": "pagu_murni",
        "pagu_perubahan": "pagu_perubahan",
        **{f"m{i}": key for i, key in enumerate(MONTH_KEYS, start=1)},
    }

    def run(self, workbook) -> None:
        rows = read_rows(workbook, self.sheets[0], self.report)
        for position, (line_no, row) in enumerate(rows, start=1):
            self.row(self.sheets[0].name, line_no, lambda row=row: self._line(row))
            if position % 20 == 0:
                self.progress(int(95 * position / len(rows)), _("Budget lines"))

    def _sub_kegiatan(self, row: dict) -> SubKegiatan:
        code = text(row, "kode_sub_kegiatan", required=True)
        sub = SubKegiatan.objects.filter(code=code).first()
        if sub is not None:
            return sub
        name = text(row, "nama_sub_kegiatan")
        kegiatan = Kegiatan.objects.filter(code=code.rsplit(".", 1)[0]).first()
        if (
            not name
            or kegiatan is None
            or not re.fullmatch(r"\d+\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}", code)
        ):
            raise CellError(
                "kode_sub_kegiatan",
                _(
                    "The sub kegiatan %(code)s is not in the nomenclature; give its name (and "
                    "its kegiatan must exist) to add it."
                )
                % {"code": code},
            )
        self.report.count(_("Sub kegiatan added to the nomenclature"))
        return SubKegiatan.objects.create(kegiatan=kegiatan, code=code, name=name)

    def _line(self, row: dict) -> BudgetLine:
        year = integer(row, "tahun", required=True)
        sub = self._sub_kegiatan(row)
        data = {
            "bidang": self.bidang_of(row),
            "pagu_murni": number(row, "pagu_murni", required=True),
            "pagu_perubahan": number(row, "pagu_perubahan"),
        }
        months = {i: number(row, key) for i, key in enumerate(MONTH_KEYS, start=1)}
        existing = BudgetLine.objects.filter(year=year, sub_kegiatan=sub).first()
        if existing is None:
            self.report.count(_("Budget lines created"))
            return services.budget_line_save(
                actor=self.actor, data={**data, "year": year, "sub_kegiatan": sub}, months=months
            )
        self.report.count(_("Budget lines updated"))
        return services.budget_line_save(
            actor=self.actor, data=data, months=months, line=existing, version=existing.version
        )


class RealizationImporter(Importer):
    kind = "realization"
    label = gettext_lazy("Realizations of indicators per quarter (saved as drafts)")
    sheets = REALIZATION_SHEETS
    fields = {
        "value": "realisasi",
        "numerator": "pembilang",
        "denominator": "penyebut",
        "unavailable_reason": "alasan_belum_tersedia",
        "quarter": "triwulan",
        "year": "tahun",
    }

    def run(self, workbook) -> None:
        rows = read_rows(workbook, self.sheets[0], self.report)
        self.by_year: dict[int, dict[str, Indicator]] = {}
        self.versions: dict[tuple[int, int, int], tuple[int, int]] = {}
        for position, (line_no, row) in enumerate(rows, start=1):
            self.row(self.sheets[0].name, line_no, lambda row=row: self._realization(row))
            if position % 20 == 0:
                self.progress(int(95 * position / len(rows)), _("Realizations"))

    def _indicator(self, year: int, code: str) -> Indicator:
        """The indicator of the Renstra of ``year`` (each Renstra's indicators are read once)."""
        if year not in self.by_year:
            renstra = selectors.renstra_for_year(year)
            self.by_year[year] = (
                {
                    i.code: i
                    for i in Indicator.objects.filter(renstra=renstra).select_related("renstra")
                }
                if renstra
                else {}
            )
            self.versions.update(
                {
                    (indicator_id, year, quarter): (pk, version)
                    for pk, indicator_id, quarter, version in Realization.objects.filter(
                        year=year, indicator__renstra=renstra
                    ).values_list("pk", "indicator_id", "quarter", "version")
                }
            )
        indicator = self.by_year[year].get(code)
        if indicator is None:
            raise CellError(
                "kode_indikator",
                _("No indicator %(code)s in the Renstra of %(year)s.")
                % {"code": code, "year": year},
            )
        return indicator

    def _realization(self, row: dict) -> Realization:
        year = integer(row, "tahun", required=True)
        quarter = integer(row, "triwulan", required=True)
        if quarter not in calc.QUARTERS:
            raise CellError("triwulan", _("The quarter must be 1, 2, 3 or 4."))
        indicator = self._indicator(year, text(row, "kode_indikator", required=True))
        existing = self.versions.get((indicator.pk, year, quarter))
        data = {
            "unavailable_reason": text(row, "alasan_belum_tersedia"),
            "obstacles": text(row, "faktor_penghambat"),
            "supporting_factors": text(row, "faktor_pendukung"),
            "solutions": text(row, "solusi"),
            "recommendations": text(row, "rekomendasi"),
        }
        if not indicator.source_code:
            data |= {
                "value": number(row, "realisasi"),
                "numerator": number(row, "pembilang"),
                "denominator": number(row, "penyebut"),
            }
        self.report.count(_("Realizations updated") if existing else _("Realizations created"))
        saved = services.realization_save(
            actor=self.actor,
            indicator=indicator,
            year=year,
            quarter=quarter,
            data=data,
            version=existing[1] if existing else None,
        )
        self.versions[(indicator.pk, year, quarter)] = (saved.pk, saved.version)
        return saved


IMPORTERS: dict[str, type[Importer]] = {
    PlanImporter.kind: PlanImporter,
    BudgetImporter.kind: BudgetImporter,
    RealizationImporter.kind: RealizationImporter,
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, str(importer.label)) for kind, importer in IMPORTERS.items()]


def run_import(*, kind: str, file, actor, commit: bool, progress=None) -> Report:
    """Check (and with ``commit`` save) a workbook. All or nothing: one problem anywhere and
    nothing is saved."""
    report = Report(kind=kind)
    progress = progress or (lambda percent, message="": None)
    importer_class = IMPORTERS.get(kind)
    if importer_class is None:
        report.add("", 0, "", _("Unknown kind of import: %(kind)s.") % {"kind": kind})
        return report
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        report.add("", 0, "", _("The file is not an XLSX workbook that can be read."))
        return report
    with transaction.atomic():
        importer_class(actor, report, progress).run(workbook)
        report.committed = bool(commit and report.ok and report.rows)
        if not report.committed:
            transaction.set_rollback(True)
    workbook.close()
    return report


def problems_workbook(report: Report) -> bytes:
    """The problems of a check as an XLSX file (sheet, row, column, message)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Problems")[:31]
    _header(sheet, [_("Sheet"), _("Row"), _("Column"), _("Message")], [18, 8, 22, 90])
    for problem in report.problems:
        sheet.append([problem.sheet, problem.row, problem.column, problem.message])
    return _save(workbook)


# --- Templates -------------------------------------------------------------------------------


def _header(sheet, titles, widths, required=()) -> None:
    sheet.append([str(t) for t in titles])
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if index - 1 in required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook, spec: Sheet, rows: list[list], extra_columns: list[str] = ()) -> None:
    sheet = workbook.create_sheet(spec.name)
    keys = [c.key for c in spec.columns] + list(extra_columns)
    widths = [c.width for c in spec.columns] + [12] * len(extra_columns)
    required = [i for i, c in enumerate(spec.columns) if c.required]
    _header(sheet, keys, widths, required)
    for index, column in enumerate(spec.columns, start=1):
        if column.choices:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            validation.error = _("Choose one of the listed values.")
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}2000")
    for row in rows:
        sheet.append(row)


def _instructions(
    workbook, title: str, sheets: tuple[Sheet, ...], extra: dict[str, list[str]]
) -> None:
    sheet = workbook.active
    sheet.title = "Petunjuk"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 100
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _(
                "Fill the sheets below; do not rename sheets or columns. Numbers may be typed as "
                "numbers or as text in Indonesian notation (1.234.567,5). Columns in orange must "
                "be filled. Upload the file on the Import page: it is checked first and saved only "
                "when "
                "every row is correct."
            )
        ]
    )
    sheet["A2"].alignment = Alignment(wrap_text=True)
    sheet.merge_cells("A2:C2")
    sheet.row_dimensions[2].height = 45
    for spec in sheets:
        sheet.append([])
        sheet.append([spec.name, "", str(spec.description)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for column in spec.columns:
            allowed = f" ({', '.join(column.choices)})" if column.choices else ""
            sheet.append(
                [
                    column.key,
                    _("required") if column.required else "",
                    f"{column.description}{allowed}",
                ]
            )
        for key in extra.get(spec.name, []):
            sheet.append([key, "", _("Target of the year")])


def _value(value):
    """Numbers as numbers (Excel shows them in the reader's notation); no trailing zeros."""
    if isinstance(value, Decimal):
        normalized = value.normalize()
        return int(normalized) if normalized == normalized.to_integral_value() else normalized
    return value


def plan_template(renstra: Renstra | None) -> bytes:
    """The plan template, filled with ``renstra`` when given (the export of the plan)."""
    workbook = Workbook()
    years = renstra.years if renstra else []
    target_columns = [f"target_{y}" for y in years] or [f"target_{y}" for y in range(2025, 2030)]
    _instructions(
        workbook,
        _("Template: strategic plan (Renstra), indicators, targets and agreements"),
        PLAN_SHEETS,
        {"Indikator": target_columns},
    )
    renstra_rows, tujuan_rows, sasaran_rows, indicator_rows, target_rows = [], [], [], [], []
    if renstra is not None:
        renstra_rows.append(
            [
                renstra.name,
                renstra.start_year,
                renstra.end_year,
                renstra.bidang.code,
                renstra.vision,
                renstra.mission,
                renstra.legal_basis,
            ]
        )
        for tujuan in renstra.tujuan.all():
            tujuan_rows.append([tujuan.code, tujuan.name, tujuan.order])
        for sasaran in renstra.sasaran.select_related("tujuan").prefetch_related("programs"):
            sasaran_rows.append(
                [
                    sasaran.code,
                    sasaran.tujuan.code,
                    sasaran.name,
                    ", ".join(p.code for p in sasaran.programs.all()),
                    sasaran.order,
                ]
            )
        indicators = (
            Indicator.objects.filter(renstra=renstra)
            .select_related(
                "bidang", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan", "continues"
            )
            .prefetch_related("renstra_targets")
        )
        for indicator in indicators:
            targets = {t.year: t.value for t in indicator.renstra_targets.all()}
            indicator_rows.append(
                [
                    indicator.code,
                    indicator.name,
                    indicator.level,
                    indicator.owner.code,
                    indicator.unit,
                    indicator.bidang.code,
                    DIRECTION_KEYS[indicator.direction],
                    LOWER_FORMULA_KEYS[indicator.lower_formula],
                    AGGREGATION_KEYS[indicator.aggregation],
                    "ya" if indicator.is_iku else "tidak",
                    indicator.definition,
                    indicator.formula,
                    indicator.data_source,
                    indicator.baseline_year,
                    _value(indicator.baseline_value),
                    indicator.source_code,
                    indicator.continues.code if indicator.continues else "",
                    indicator.order,
                    *(_value(targets.get(y)) for y in years),
                ]
            )
        for agreement in Agreement.objects.filter(renstra=renstra).order_by("year", "revision"):
            latest = not Agreement.objects.filter(
                year=agreement.year, revision__gt=agreement.revision
            ).exists()
            if agreement.revision > 0 and not latest:
                continue  # only the latest revision can be re-imported as "perubahan"
            version = "murni" if agreement.revision == 0 else "perubahan"
            for target in agreement.targets.select_related("indicator"):
                target_rows.append(
                    [
                        agreement.year,
                        version,
                        target.indicator.code,
                        _value(target.target),
                        *(_value(v) for v in target.quarter_targets),
                        agreement.reason if agreement.revision else "",
                    ]
                )
    _sheet(workbook, PLAN_SHEETS[0], renstra_rows)
    _sheet(workbook, PLAN_SHEETS[1], tujuan_rows)
    _sheet(workbook, PLAN_SHEETS[2], sasaran_rows)
    _sheet(workbook, PLAN_SHEETS[3], indicator_rows, target_columns)
    _sheet(workbook, PLAN_SHEETS[4], target_rows)
    return _save(workbook)


def budget_template(year: int | None) -> bytes:
    workbook = Workbook()
    _instructions(workbook, _("Template: budget per sub kegiatan"), BUDGET_SHEETS, {})
    rows = []
    if year:
        index = selectors.budget_index(year=year, with_months=True)
        for line in index.lines:
            figures = index.by_line[line.pk]
            rows.append(
                [
                    year,
                    line.sub_kegiatan.code,
                    line.sub_kegiatan.name,
                    line.bidang.code,
                    _value(line.pagu_murni),
                    _value(line.pagu_perubahan),
                    *(_value(m) if m else None for m in figures.months),
                ]
            )
    _sheet(workbook, BUDGET_SHEETS[0], rows)
    return _save(workbook)


def realization_template(*, user, year: int | None, quarter: int | None) -> bytes:
    """The realization template: the indicators of the year (the user's division's for an
    operator or head of division) with what is already entered for the quarter."""
    workbook = Workbook()
    _instructions(workbook, _("Template: realizations per quarter"), REALIZATION_SHEETS, {})
    rows = []
    if year:
        quarters = [quarter] if quarter else list(calc.QUARTERS)
        bidang_id = user.bidang_id if role_of(user) in BIDANG_BOUND_ROLES else None
        for q in quarters:
            for item in selectors.realization_worklist(
                user=user, year=year, quarter=q, bidang_id=bidang_id
            ):
                row = item.row
                rows.append(
                    [
                        year,
                        q,
                        item.indicator.code,
                        item.indicator.name,
                        item.indicator.unit,
                        _value(row.value)
                        if row and item.indicator.aggregation != "ratio"
                        else None,
                        _value(row.numerator) if row else None,
                        _value(row.denominator) if row else None,
                        row.unavailable_reason if row else "",
                        row.obstacles if row else "",
                        row.supporting_factors if row else "",
                        row.solutions if row else "",
                        row.recommendations if row else "",
                    ]
                )
    _sheet(workbook, REALIZATION_SHEETS[0], rows)
    return _save(workbook)
