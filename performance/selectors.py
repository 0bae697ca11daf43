"""Every figure of performance management, read from the database and computed by
``performance.calculations``. Pages, the API, the XLSX exports and the LKjIP report (issue 7)
all read through these functions, so a figure is the same everywhere.

The main entry points (docs/performance.md describes each result):

* ``year_summary(year=, basis=)`` - per sasaran and its indicators (target, realization,
  capaian, rating, quarters, comparisons), the year's capaian and rating, the budget, SPM.
* ``indicator_results(year=, basis=, level=/indicators=)`` - the same per indicator at any level
  (tujuan, sasaran, program, kegiatan, sub kegiatan).
* ``budget_index`` / ``budget_tree`` / ``budget_by_sasaran`` - pagu before/after revision,
  realization (per month), absorption and effectiveness per sub kegiatan, kegiatan, program,
  sasaran and in total.
* ``trend(end_year=)`` - the last five years: the year's capaian, budget absorption, each IKU.
* ``spm_summary(year=)`` - the five SPM services: target group, served, %.
* ``agreement_table(year=)`` - the PK's targets, original and every revision side by side.

``basis`` chooses the agreement: ``"murni"`` (the original PK and the pagu before revision),
``"perubahan"`` (the latest revision and the pagu after it) or ``"latest"`` (the latest PK there
is, the default). Only approved realizations count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.access import Action, restrict
from welfare.formatting import format_rupiah

from . import calculations as calc
from . import clock
from .models import (
    Agreement,
    AgreementTarget,
    Band,
    BudgetLine,
    BudgetRealization,
    Evidence,
    Indicator,
    Kegiatan,
    PerformanceSettings,
    Program,
    QuarterReopen,
    Realization,
    Renstra,
    RenstraTarget,
    Sasaran,
    SasaranProgram,
    SpmAchievement,
    SpmService,
    SubKegiatan,
    Tujuan,
)

LATEST = "latest"
MURNI = "murni"
PERUBAHAN = "perubahan"
BASES = (LATEST, MURNI, PERUBAHAN)
BASIS_LABELS = {
    LATEST: _("Latest agreement"),
    MURNI: _("Original agreement (murni)"),
    PERUBAHAN: _("Revised agreement (perubahan)"),
}
HISTORY_YEARS = 5
ZERO = Decimal(0)
MONEY_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=2))


def normalize_basis(basis: str | None) -> str:
    return basis if basis in BASES else LATEST


# --- Settings, bands ---------------------------------------------------------------------------


def performance_settings() -> PerformanceSettings:
    settings_row = PerformanceSettings.objects.filter(pk=1).first()
    if settings_row is None:
        settings_row, _created = PerformanceSettings.objects.get_or_create(pk=1)
    return settings_row


@dataclass(frozen=True)
class Scales:
    rating: tuple[calc.BandSpec, ...]
    effectiveness: tuple[calc.BandSpec, ...]


def scales() -> Scales:
    """The rating and effectiveness bands in force (the defaults when none are stored)."""
    rating, effectiveness = [], []
    for band in Band.objects.all():
        (rating if band.scale == Band.Scale.RATING else effectiveness).append(band.spec())
    return Scales(
        rating=tuple(rating) or calc.DEFAULT_RATING_BANDS,
        effectiveness=tuple(effectiveness) or calc.DEFAULT_EFFECTIVENESS_BANDS,
    )


def band_rows(scale: str) -> QuerySet[Band]:
    return Band.objects.filter(scale=scale).order_by("order")


# --- Plan and agreements -----------------------------------------------------------------------


def renstra_list(*, user) -> QuerySet[Renstra]:
    return restrict(Renstra.objects.select_related("bidang"), user, Action.VIEW)


def renstra_for_year(year: int) -> Renstra | None:
    return (
        Renstra.objects.filter(start_year__lte=year, end_year__gte=year)
        .select_related("bidang")
        .first()
    )


def available_years() -> list[int]:
    """Every year of every Renstra, newest first (for year pickers)."""
    years: set[int] = set()
    for start, end in Renstra.objects.values_list("start_year", "end_year"):
        years.update(range(start, end + 1))
    return sorted(years, reverse=True)


def default_year() -> int:
    """The current year when a Renstra covers it, else the latest covered year."""
    current = clock.today().year
    years = available_years()
    if not years or current in years:
        return current
    past = [y for y in years if y <= current]
    return past[0] if past else years[-1]


def renstra_structure(renstra: Renstra) -> list[dict]:
    """Tujuan -> sasaran -> indicators with their targets per Renstra year (Tabel IKU), in four
    queries."""
    tujuan_list = list(renstra.tujuan.all())
    sasaran_list = list(renstra.sasaran.prefetch_related("programs"))
    indicators = list(
        Indicator.objects.filter(renstra=renstra, level__in=["tujuan", "sasaran"])
        .select_related("bidang", "continues")
        .prefetch_related("renstra_targets")
    )
    by_sasaran: dict[int, list] = defaultdict(list)
    by_tujuan: dict[int, list] = defaultdict(list)
    for indicator in indicators:
        targets = {t.year: t.value for t in indicator.renstra_targets.all()}
        row = {"indicator": indicator, "targets": [targets.get(y) for y in renstra.years]}
        if indicator.level == Indicator.Level.SASARAN:
            by_sasaran[indicator.sasaran_id].append(row)
        else:
            by_tujuan[indicator.tujuan_id].append(row)
    result = []
    for tujuan in tujuan_list:
        result.append(
            {
                "tujuan": tujuan,
                "indicators": by_tujuan.get(tujuan.pk, []),
                "sasaran": [
                    {"sasaran": s, "indicators": by_sasaran.get(s.pk, [])}
                    for s in sasaran_list
                    if s.tujuan_id == tujuan.pk
                ],
            }
        )
    return result


def indicator_list(
    *, user, renstra: Renstra | None = None, level: str | None = None
) -> QuerySet[Indicator]:
    queryset = Indicator.objects.select_related(
        "renstra", "bidang", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"
    )
    if renstra is not None:
        queryset = queryset.filter(renstra=renstra)
    if level:
        queryset = queryset.filter(level=level)
    return restrict(queryset, user, Action.VIEW)


def agreement_for(year: int, basis: str = LATEST) -> Agreement | None:
    return agreements_by_year([year], basis).get(year)


def agreements_by_year(years: Iterable[int], basis: str = LATEST) -> dict[int, Agreement]:
    """The agreement each year's figures are based on (one query)."""
    basis = normalize_basis(basis)
    chosen: dict[int, Agreement] = {}
    for agreement in Agreement.objects.filter(year__in=list(years)).select_related("renstra"):
        current = chosen.get(agreement.year)
        if basis == MURNI:
            if agreement.revision == 0:
                chosen[agreement.year] = agreement
        elif basis == PERUBAHAN:
            if agreement.revision > 0 and (
                current is None or agreement.revision > current.revision
            ):
                chosen[agreement.year] = agreement
        elif current is None or agreement.revision > current.revision:
            chosen[agreement.year] = agreement
    return chosen


def agreement_list(*, user, year: int | None = None) -> QuerySet[Agreement]:
    queryset = Agreement.objects.select_related("renstra", "based_on")
    if year:
        queryset = queryset.filter(year=year)
    return restrict(queryset, user, Action.VIEW)


def agreement_table(*, year: int, level: str | None = None) -> dict:
    """The targets of every agreement of the year side by side: the original (murni) and each
    revision (perubahan), per indicator (Tabel 2.6 / 2.7 of the LKjIP)."""
    agreements = list(Agreement.objects.filter(year=year).order_by("revision"))
    targets = AgreementTarget.objects.filter(agreement__in=agreements).select_related(
        "indicator__sasaran",
        "indicator__program",
        "indicator__kegiatan",
        "indicator__sub_kegiatan",
        "indicator__tujuan",
    )
    if level:
        targets = targets.filter(indicator__level=level)
    rows: dict[int, dict] = {}
    for target in targets:
        row = rows.setdefault(
            target.indicator_id,
            {"indicator": target.indicator, "targets": dict.fromkeys(a.pk for a in agreements)},
        )
        row["targets"][target.agreement_id] = target
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            LEVEL_ORDER[r["indicator"].level],
            r["indicator"].order,
            r["indicator"].code,
        ),
    )
    for row in ordered:
        row["columns"] = [row["targets"][a.pk] for a in agreements]
        values = [t.target if t else None for t in row["columns"]]
        row["changed"] = len({v for v in values if v is not None}) > 1
    return {"agreements": agreements, "rows": ordered}


LEVEL_ORDER = {"tujuan": 0, "sasaran": 1, "program": 2, "kegiatan": 3, "sub_kegiatan": 4}


# --- Targets and realizations (set-based helpers) ---------------------------------------------


@dataclass(frozen=True)
class TargetSet:
    yearly: Decimal | None = None
    quarters: tuple = (None, None, None, None)
    source: str = ""  # "pk" (the agreement), "renstra" (the Renstra's yearly target), ""
    agreement: Agreement | None = None


def _targets(
    ids: Iterable[int], years: Sequence[int], basis: str
) -> tuple[dict[tuple[int, int], TargetSet], dict[int, dict[int, Decimal]], dict[int, Agreement]]:
    """(indicator, year) -> TargetSet; indicator -> {year: Renstra target}; year -> agreement.
    Three queries."""
    ids = list(ids)
    agreements = agreements_by_year(years, basis)
    by_agreement = {a.pk: a for a in agreements.values()}
    result: dict[tuple[int, int], TargetSet] = {}
    for row in AgreementTarget.objects.filter(
        agreement_id__in=list(by_agreement), indicator_id__in=ids
    ).values_list("agreement_id", "indicator_id", "target", "q1", "q2", "q3", "q4"):
        agreement = by_agreement[row[0]]
        result[(row[1], agreement.year)] = TargetSet(
            yearly=row[2], quarters=tuple(row[3:7]), source="pk", agreement=agreement
        )
    renstra_targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, year, value in RenstraTarget.objects.filter(indicator_id__in=ids).values_list(
        "indicator_id", "year", "value"
    ):
        renstra_targets[indicator_id][year] = value
    for indicator_id in ids:
        for year in years:
            if (indicator_id, year) not in result and year in renstra_targets[indicator_id]:
                result[(indicator_id, year)] = TargetSet(
                    yearly=renstra_targets[indicator_id][year],
                    source="renstra",
                    agreement=agreements.get(year),
                )
    return result, renstra_targets, agreements


def _realizations(
    ids: Iterable[int], years: Sequence[int], *, approved_only: bool
) -> dict[tuple[int, int], list[Realization]]:
    queryset = Realization.objects.filter(indicator_id__in=list(ids), year__in=list(years))
    if approved_only:
        queryset = queryset.filter(status=Realization.Status.APPROVED)
    result: dict[tuple[int, int], list[Realization]] = defaultdict(list)
    for row in queryset.order_by("quarter"):
        result[(row.indicator_id, row.year)].append(row)
    return result


def _approved_figures(rows: Iterable[Realization]) -> list[calc.QuarterFigure]:
    return [r.figure() for r in rows if r.status == Realization.Status.APPROVED]


# --- Quarter locks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LockState:
    lock_date: datetime.date
    locked: bool
    not_started: bool
    reopened_until: datetime.date | None = None


def reopenings(ids: Iterable[int], year: int) -> dict[tuple[int, int], datetime.date]:
    """(indicator, quarter) -> the latest date until which an administrator reopened it."""
    result: dict[tuple[int, int], datetime.date] = {}
    for indicator_id, quarter, until in QuarterReopen.objects.filter(
        indicator_id__in=list(ids), year=year
    ).values_list("indicator_id", "quarter", "open_until"):
        key = (indicator_id, quarter)
        if key not in result or until > result[key]:
            result[key] = until
    return result


def lock_state(
    *,
    indicator_id: int,
    year: int,
    quarter: int,
    lock_days: int | None = None,
    reopened: dict | None = None,
    today: datetime.date | None = None,
) -> LockState:
    today = today or clock.today()
    if lock_days is None:
        lock_days = performance_settings().lock_days
    if reopened is None:
        reopened = reopenings([indicator_id], year)
    last_day = calc.lock_date(year, quarter, lock_days)
    until = reopened.get((indicator_id, quarter))
    active_until = until if until and until >= today else None
    return LockState(
        lock_date=last_day,
        locked=today > last_day and active_until is None,
        not_started=today < calc.quarter_start(year, quarter),
        reopened_until=active_until,
    )


# --- Budget ------------------------------------------------------------------------------------


@dataclass
class BudgetFigures:
    pagu_murni: Decimal = ZERO
    pagu_perubahan: Decimal = ZERO  # the ceiling after revision (the original where unrevised)
    pagu: Decimal = ZERO  # the ceiling of the chosen basis
    realization: Decimal = ZERO
    lines: int = 0
    months: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    absorption: calc.Percent = field(
        default_factory=lambda: calc.Percent(calc.NIL, calc.Reason.NO_PAGU)
    )
    effectiveness: calc.BandSpec | None = None

    def add(self, other: BudgetFigures) -> None:
        self.pagu_murni += other.pagu_murni
        self.pagu_perubahan += other.pagu_perubahan
        self.pagu += other.pagu
        self.realization += other.realization
        self.lines += other.lines
        self.months = [a + b for a, b in zip(self.months, other.months, strict=True)]

    def finish(self, bands: Sequence[calc.BandSpec]) -> BudgetFigures:
        self.absorption = calc.absorption(realization=self.realization, pagu=self.pagu)
        self.effectiveness = (
            calc.band_for(self.absorption.value, bands) if self.absorption.computed else None
        )
        return self

    @property
    def difference(self) -> Decimal:
        """Pagu after revision minus before (the revision's change)."""
        return self.pagu_perubahan - self.pagu_murni

    @property
    def remaining(self) -> Decimal:
        return self.pagu - self.realization


@dataclass
class BudgetIndex:
    year: int
    basis: str
    through_quarter: int | None
    total: BudgetFigures
    lines: list[BudgetLine]
    by_line: dict[int, BudgetFigures]
    by_sub_kegiatan: dict[int, BudgetFigures]
    by_kegiatan: dict[int, BudgetFigures]
    by_program: dict[int, BudgetFigures]
    by_sasaran: dict[int, BudgetFigures]
    by_tujuan: dict[int, BudgetFigures]
    program_sasaran: dict[int, int]

    def for_indicator(self, indicator: Indicator) -> BudgetFigures | None:
        level = indicator.level
        if level == Indicator.Level.SASARAN:
            return self.by_sasaran.get(indicator.sasaran_id)
        if level == Indicator.Level.TUJUAN:
            return self.by_tujuan.get(indicator.tujuan_id)
        if level == Indicator.Level.PROGRAM:
            return self.by_program.get(indicator.program_id)
        if level == Indicator.Level.KEGIATAN:
            return self.by_kegiatan.get(indicator.kegiatan_id)
        return self.by_sub_kegiatan.get(indicator.sub_kegiatan_id)


def budget_index(
    *,
    year: int,
    basis: str = LATEST,
    through_quarter: int | None = None,
    with_months: bool = False,
    bands: Sequence[calc.BandSpec] | None = None,
    renstra: Renstra | None = None,
) -> BudgetIndex:
    """The year's budget aggregated in SQL per sub kegiatan, then rolled up to kegiatan,
    program, sasaran (through the programs each sasaran of the year's Renstra is supported by),
    tujuan and the total. Realization through ``through_quarter`` when given (3-4 queries)."""
    basis = normalize_basis(basis)
    last_month = 3 * through_quarter if through_quarter else 12
    if bands is None:
        bands = scales().effectiveness
    lines = list(
        BudgetLine.objects.filter(year=year)
        .select_related("sub_kegiatan__kegiatan__program", "bidang")
        .annotate(
            realized=Coalesce(
                Sum("months__amount", filter=Q(months__month__lte=last_month)), MONEY_ZERO
            )
        )
        .order_by("sub_kegiatan__code")
    )
    months: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
    if with_months:
        for line_id, month, amount in BudgetRealization.objects.filter(
            line__year=year, month__lte=last_month
        ).values_list("line_id", "month", "amount"):
            months[line_id][month - 1] = amount
    renstra = renstra or renstra_for_year(year)
    program_sasaran: dict[int, int] = {}
    sasaran_tujuan: dict[int, int] = {}
    if renstra is not None:
        for program_id, sasaran_id, tujuan_id in SasaranProgram.objects.filter(
            renstra=renstra
        ).values_list("program_id", "sasaran_id", "sasaran__tujuan_id"):
            program_sasaran[program_id] = sasaran_id
            sasaran_tujuan[sasaran_id] = tujuan_id
    index = BudgetIndex(
        year=year,
        basis=basis,
        through_quarter=through_quarter,
        total=BudgetFigures(),
        lines=lines,
        by_line={},
        by_sub_kegiatan={},
        by_kegiatan=defaultdict(BudgetFigures),
        by_program=defaultdict(BudgetFigures),
        by_sasaran=defaultdict(BudgetFigures),
        by_tujuan=defaultdict(BudgetFigures),
        program_sasaran=program_sasaran,
    )
    for line in lines:
        revised = line.pagu_perubahan if line.pagu_perubahan is not None else line.pagu_murni
        figures = BudgetFigures(
            pagu_murni=line.pagu_murni,
            pagu_perubahan=revised,
            pagu=line.pagu_murni if basis == MURNI else revised,
            realization=line.realized,
            lines=1,
            months=list(months[line.pk]) if with_months else [ZERO] * 12,
        )
        index.by_line[line.pk] = figures.finish(bands)
        index.by_sub_kegiatan[line.sub_kegiatan_id] = figures
        kegiatan = line.sub_kegiatan.kegiatan
        index.by_kegiatan[kegiatan.pk].add(figures)
        index.by_program[kegiatan.program_id].add(figures)
        sasaran_id = program_sasaran.get(kegiatan.program_id)
        if sasaran_id is not None:
            index.by_sasaran[sasaran_id].add(figures)
            index.by_tujuan[sasaran_tujuan[sasaran_id]].add(figures)
        index.total.add(figures)
    for group in (index.by_kegiatan, index.by_program, index.by_sasaran, index.by_tujuan):
        for figures in group.values():
            figures.finish(bands)
    index.total.finish(bands)
    for name in ("by_kegiatan", "by_program", "by_sasaran", "by_tujuan"):
        setattr(index, name, dict(getattr(index, name)))
    return index


def budget_totals(*, year: int, through_quarter: int | None = None, basis: str = LATEST):
    return budget_index(year=year, basis=basis, through_quarter=through_quarter).total


def budget_line_list(*, user, year: int) -> QuerySet[BudgetLine]:
    return restrict(
        BudgetLine.objects.filter(year=year).select_related(
            "sub_kegiatan__kegiatan__program", "bidang"
        ),
        user,
        Action.VIEW,
    )


def budget_by_sasaran(*, year: int, basis: str = LATEST) -> list[tuple[Sasaran, BudgetFigures]]:
    """Budget per sasaran of the year's Renstra (Tabel alokasi anggaran per sasaran)."""
    index = budget_index(year=year, basis=basis)
    renstra = renstra_for_year(year)
    if renstra is None:
        return []
    return [
        (sasaran, index.by_sasaran.get(sasaran.pk, BudgetFigures()))
        for sasaran in renstra.sasaran.select_related("tujuan")
    ]


# --- Indicator results -------------------------------------------------------------------------


@dataclass
class QuarterResult:
    quarter: int
    target: Decimal | None
    row: Realization | None  # the entry of any status
    value: Decimal | None  # the approved figure of the quarter (a % for numerator/denominator)
    capaian: calc.Percent  # this quarter's figure against this quarter's target
    cumulative: calc.Cumulative  # the year so far against the target so far
    lock: LockState | None = None

    @property
    def status(self) -> str:
        return self.row.status if self.row else ""

    @property
    def status_label(self) -> str:
        return self.row.get_status_display() if self.row else str(_("Not entered"))

    @property
    def approved(self) -> bool:
        return bool(self.row) and self.row.status == Realization.Status.APPROVED


@dataclass(frozen=True)
class YearPoint:
    year: int
    indicator_id: int | None
    target: Decimal | None
    realization: Decimal | None
    capaian: calc.Percent


@dataclass(frozen=True)
class Notes:
    quarter: int
    obstacles: str
    supporting_factors: str
    solutions: str
    recommendations: str


@dataclass
class IndicatorResult:
    indicator: Indicator
    year: int
    basis: str
    agreement: Agreement | None
    target: Decimal | None
    target_source: str
    quarter_targets: list
    realization: calc.Aggregate
    capaian: calc.Percent
    rating: calc.BandSpec | None
    quarters: list[QuarterResult]
    end_year: int
    end_target: Decimal | None
    capaian_vs_end_target: calc.Percent
    previous: YearPoint | None = None
    history: list[YearPoint] = field(default_factory=list)
    budget: BudgetFigures | None = None
    efisiensi: Decimal | None = None
    notes: list[Notes] = field(default_factory=list)
    provenance: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def latest_notes(self) -> Notes | None:
        return self.notes[-1] if self.notes else None

    @property
    def pending(self) -> int:
        """Quarters entered but not approved yet."""
        return sum(1 for q in self.quarters if q.row and not q.approved)

    @property
    def quarter_targets_problem(self) -> str:
        return calc.quarter_targets_problem(
            self.indicator.aggregation, self.target, self.quarter_targets
        )


def _chain_members(
    indicators: Sequence[Indicator], years: Sequence[int]
) -> dict[tuple[int, int], int]:
    """(indicator, year) -> the indicator of the same chain (``continues``) whose Renstra covers
    the year, for years before the indicator's own Renstra (two queries)."""
    periods = {
        r.pk: (r.start_year, r.end_year)
        for r in Renstra.objects.filter(start_year__lte=max(years), end_year__gte=min(years))
    }
    links = {
        pk: (continues_id, renstra_id)
        for pk, continues_id, renstra_id in Indicator.objects.filter(
            renstra_id__in=list(periods)
        ).values_list("pk", "continues_id", "renstra_id")
    }
    for indicator in indicators:
        links[indicator.pk] = (indicator.continues_id, indicator.renstra_id)
    result = {}
    for indicator in indicators:
        for year in years:
            current: int | None = indicator.pk
            seen: set[int] = set()
            while current is not None and current not in seen and current in links:
                seen.add(current)
                continues_id, renstra_id = links[current]
                start, end = periods.get(renstra_id, (0, -1))
                if start <= year <= end:
                    result[(indicator.pk, year)] = current
                    break
                current = continues_id
    return result


def _point(indicator: Indicator, year: int, member: int | None, targets, realizations):
    if member is None:
        return YearPoint(year, None, None, None, calc.Percent(calc.NIL, calc.Reason.NO_TARGET))
    target = targets.get((member, year), TargetSet()).yearly
    realized = calc.aggregate(
        indicator.aggregation, _approved_figures(realizations.get((member, year), []))
    )
    return YearPoint(
        year,
        member,
        target,
        realized.value,
        calc.capaian(
            target=target,
            realization=realized.value,
            direction=indicator.direction,
            lower_formula=indicator.lower_formula,
            missing_detail=realized.detail,
        ),
    )


def indicator_results(
    *,
    year: int,
    basis: str = LATEST,
    indicators: Iterable[Indicator] | QuerySet | None = None,
    level: str | Sequence[str] | None = None,
    with_history: bool = True,
    budget: BudgetIndex | None = None,
    with_budget: bool = True,
    scale: Scales | None = None,
) -> list[IndicatorResult]:
    """The results of the year for indicators of the year's Renstra (all, one or several
    levels, or the given ones). A constant number of queries, whatever the count."""
    basis = normalize_basis(basis)
    if indicators is None:
        renstra = renstra_for_year(year)
        if renstra is None:
            return []
        indicators = Indicator.objects.filter(renstra=renstra)
        if level:
            levels = [level] if isinstance(level, str) else list(level)
            indicators = indicators.filter(level__in=levels)
    if isinstance(indicators, QuerySet):
        indicators = indicators.select_related(
            "renstra",
            "bidang",
            "tujuan",
            "sasaran__tujuan",
            "program",
            "kegiatan__program",
            "sub_kegiatan__kegiatan",
        ).order_by("order", "code")
    indicators = list(indicators)
    if not indicators:
        return []
    scale = scale or scales()
    ids = [i.pk for i in indicators]
    history_years = list(range(year - HISTORY_YEARS + 1, year)) if with_history else [year - 1]
    members = _chain_members(indicators, history_years) if history_years else {}
    past_ids = set(members.values())
    targets, renstra_targets, agreements = _targets(ids, [year], basis)
    past_targets, _unused, _agreements = _targets(past_ids, history_years, LATEST)
    current_rows = _realizations(ids, [year], approved_only=False)
    past_rows = _realizations(past_ids, history_years, approved_only=True)
    settings_row = performance_settings()
    reopened = reopenings(ids, year)
    today = clock.today()
    if with_budget and budget is None:
        budget = budget_index(year=year, basis=basis, bands=scale.effectiveness)

    results = []
    for indicator in indicators:
        target_set = targets.get((indicator.pk, year), TargetSet(agreement=agreements.get(year)))
        rows = current_rows.get((indicator.pk, year), [])
        by_quarter = {r.quarter: r for r in rows}
        figures = _approved_figures(rows)
        realized = calc.aggregate(indicator.aggregation, figures)
        achieved = calc.capaian(
            target=target_set.yearly,
            realization=realized.value,
            direction=indicator.direction,
            lower_formula=indicator.lower_formula,
            missing_detail=realized.detail,
        )
        progress = calc.progress_by_quarter(
            rule=indicator.aggregation,
            quarter_targets=list(target_set.quarters),
            figures=figures,
            direction=indicator.direction,
            lower_formula=indicator.lower_formula,
        )
        quarters = []
        for quarter in calc.QUARTERS:
            row = by_quarter.get(quarter)
            approved = row is not None and row.status == Realization.Status.APPROVED
            one = calc.aggregate(indicator.aggregation, [row.figure()] if approved else [])
            quarter_target = target_set.quarters[quarter - 1]
            quarters.append(
                QuarterResult(
                    quarter=quarter,
                    target=quarter_target,
                    row=row,
                    value=one.value,
                    capaian=calc.capaian(
                        target=quarter_target,
                        realization=one.value,
                        direction=indicator.direction,
                        lower_formula=indicator.lower_formula,
                        missing_detail=one.detail,
                    ),
                    cumulative=progress[quarter - 1],
                    lock=lock_state(
                        indicator_id=indicator.pk,
                        year=year,
                        quarter=quarter,
                        lock_days=settings_row.lock_days,
                        reopened=reopened,
                        today=today,
                    ),
                )
            )
        end_year = indicator.renstra.end_year
        end_target = renstra_targets.get(indicator.pk, {}).get(end_year)
        history = [
            _point(indicator, y, members.get((indicator.pk, y)), past_targets, past_rows)
            for y in history_years
        ]
        history.append(YearPoint(year, indicator.pk, target_set.yearly, realized.value, achieved))
        previous = next((p for p in history if p.year == year - 1), None)
        owner_budget = budget.for_indicator(indicator) if budget is not None else None
        approved_rows = [r for r in rows if r.status == Realization.Status.APPROVED]
        results.append(
            IndicatorResult(
                indicator=indicator,
                year=year,
                basis=basis,
                agreement=target_set.agreement,
                target=target_set.yearly,
                target_source=target_set.source,
                quarter_targets=list(target_set.quarters),
                realization=realized,
                capaian=achieved,
                rating=calc.band_for(achieved.value, scale.rating),
                quarters=quarters,
                end_year=end_year,
                end_target=end_target,
                capaian_vs_end_target=calc.capaian(
                    target=end_target,
                    realization=realized.value,
                    direction=indicator.direction,
                    lower_formula=indicator.lower_formula,
                    missing_detail=realized.detail,
                ),
                previous=previous,
                history=history if with_history else [],
                budget=owner_budget,
                efisiensi=(
                    calc.efisiensi(capaian=achieved.value, absorption=owner_budget.absorption.value)
                    if owner_budget is not None
                    and owner_budget.absorption.computed
                    and achieved.computed
                    else None
                ),
                notes=[
                    Notes(
                        r.quarter,
                        r.obstacles,
                        r.supporting_factors,
                        r.solutions,
                        r.recommendations,
                    )
                    for r in approved_rows
                    if r.obstacles or r.supporting_factors or r.solutions or r.recommendations
                ],
                provenance=[
                    (r.quarter, r.source_code, r.provenance) for r in approved_rows if r.provenance
                ],
            )
        )
    return results


# --- The year ----------------------------------------------------------------------------------


def _any_realized(results: list[IndicatorResult]) -> bool:
    return any(r.capaian.reason != calc.Reason.NO_REALIZATION for r in results)


@dataclass
class SasaranResult:
    sasaran: Sasaran
    indicators: list[IndicatorResult]
    capaian: calc.Averaged
    rating: calc.BandSpec | None
    budget: BudgetFigures | None

    @property
    def realized(self) -> bool:
        """Whether one of its indicators has an approved realization this year."""
        return _any_realized(self.indicators)


@dataclass
class SpmRow:
    service: SpmService
    achievement: SpmAchievement | None
    target_group: int | None
    served: int | None
    percent: calc.Percent
    previous_percent: calc.Percent | None = None


@dataclass
class SpmSummary:
    year: int
    rows: list[SpmRow]
    total_target_group: int
    total_served: int
    total: calc.Percent  # served / target group over the five services (not a mean of %)


@dataclass
class YearSummary:
    year: int
    basis: str
    renstra: Renstra
    agreement: Agreement | None
    sasaran: list[SasaranResult]
    tujuan_indicators: list[IndicatorResult]
    capaian: calc.Averaged
    rating: calc.BandSpec | None
    budget: BudgetIndex
    spm: SpmSummary
    scales: Scales

    @property
    def indicators(self) -> list[IndicatorResult]:
        return [r for s in self.sasaran for r in s.indicators]

    @property
    def iku(self) -> list[IndicatorResult]:
        return [r for r in self.indicators if r.indicator.is_iku]

    @property
    def pending(self) -> int:
        return sum(r.pending for r in self.indicators)

    @property
    def realized(self) -> bool:
        """Whether a sasaran indicator has an approved realization this year: before the
        first one (IKU measured at the year's end, say) the year's 0 % is no achievement."""
        return _any_realized(self.indicators)

    def program_budgets(self) -> list[tuple[Program, BudgetFigures]]:
        programs = {p.pk: p for p in Program.objects.filter(pk__in=list(self.budget.by_program))}
        return [
            (programs[pk], figures)
            for pk, figures in sorted(
                self.budget.by_program.items(), key=lambda i: programs[i[0]].code
            )
        ]


def year_summary(*, year: int, basis: str = LATEST) -> YearSummary | None:
    """The year's performance: each sasaran with its indicators, the sasaran's capaian (mean of
    its indicators) and the year's (mean of the sasaran), the budget and SPM. None when no
    Renstra covers the year."""
    basis = normalize_basis(basis)
    renstra = renstra_for_year(year)
    if renstra is None:
        return None
    scale = scales()
    budget = budget_index(year=year, basis=basis, bands=scale.effectiveness, renstra=renstra)
    results = indicator_results(
        year=year,
        basis=basis,
        indicators=Indicator.objects.filter(renstra=renstra, level__in=["tujuan", "sasaran"]),
        budget=budget,
        scale=scale,
    )
    by_sasaran: dict[int, list[IndicatorResult]] = defaultdict(list)
    for result in results:
        if result.indicator.level == Indicator.Level.SASARAN:
            by_sasaran[result.indicator.sasaran_id].append(result)
    sasaran_results = []
    for sasaran in renstra.sasaran.select_related("tujuan").order_by("order", "code"):
        members = by_sasaran.get(sasaran.pk, [])
        averaged = calc.average_capaian([r.capaian.value for r in members])
        sasaran_results.append(
            SasaranResult(
                sasaran=sasaran,
                indicators=members,
                capaian=averaged,
                rating=calc.band_for(averaged.value, scale.rating) if members else None,
                budget=budget.by_sasaran.get(sasaran.pk),
            )
        )
    counted = [s for s in sasaran_results if s.indicators]
    overall = calc.average_capaian([s.capaian.value for s in counted])
    return YearSummary(
        year=year,
        basis=basis,
        renstra=renstra,
        agreement=results[0].agreement if results else agreement_for(year, basis),
        sasaran=sasaran_results,
        tujuan_indicators=[r for r in results if r.indicator.level == Indicator.Level.TUJUAN],
        capaian=overall,
        rating=calc.band_for(overall.value, scale.rating) if counted else None,
        budget=budget,
        spm=spm_summary(year=year),
        scales=scale,
    )


# --- Five years --------------------------------------------------------------------------------


@dataclass
class TrendPoint:
    year: int
    capaian: calc.Averaged | None
    rating: calc.BandSpec | None
    budget: BudgetFigures


@dataclass
class Trend:
    years: list[int]
    points: list[TrendPoint]
    indicators: list[IndicatorResult]  # the year's IKU with their five-year history


def trend(*, end_year: int, years: int = HISTORY_YEARS, basis: str = LATEST) -> Trend:
    """The last ``years`` years up to ``end_year``: each year's capaian (mean of its sasaran,
    computed from that year's Renstra and latest agreement; None for a year without an
    approved realization of any sasaran indicator, as ``YearSummary.realized``), its budget
    absorption, and each IKU of ``end_year`` with its own history. A constant number of
    queries."""
    span = list(range(end_year - years + 1, end_year + 1))
    scale = scales()
    renstras = list(Renstra.objects.filter(start_year__lte=end_year, end_year__gte=span[0]))
    indicators = list(
        Indicator.objects.filter(renstra__in=renstras, level="sasaran").select_related("renstra")
    )
    ids = [i.pk for i in indicators]
    targets, _renstra_targets, _agreements = _targets(ids, span, LATEST)
    rows = _realizations(ids, span, approved_only=True)
    budgets = _budget_per_year(span, basis=LATEST, bands=scale.effectiveness)
    points = []
    for year in span:
        renstra = next((r for r in renstras if r.start_year <= year <= r.end_year), None)
        if renstra is None:
            points.append(TrendPoint(year, None, None, budgets[year]))
            continue
        per_sasaran: dict[int, list[Decimal]] = defaultdict(list)
        any_realized = False
        for indicator in indicators:
            if indicator.renstra_id != renstra.pk:
                continue
            target = targets.get((indicator.pk, year), TargetSet()).yearly
            realized = calc.aggregate(
                indicator.aggregation, _approved_figures(rows.get((indicator.pk, year), []))
            )
            any_realized = any_realized or realized.value is not None
            per_sasaran[indicator.sasaran_id].append(
                calc.capaian(
                    target=target,
                    realization=realized.value,
                    direction=indicator.direction,
                    lower_formula=indicator.lower_formula,
                ).value
            )
        if not per_sasaran or not any_realized:
            # no approved realization of any sasaran indicator (the year under way, say): no
            # achievement to plot, rather than a 0 % as if the office had done nothing
            points.append(TrendPoint(year, None, None, budgets[year]))
            continue
        sasaran_means = [calc.average_capaian(v).value for v in per_sasaran.values()]
        overall = calc.average_capaian(sasaran_means)
        points.append(
            TrendPoint(year, overall, calc.band_for(overall.value, scale.rating), budgets[year])
        )
    renstra = renstra_for_year(end_year)
    iku = (
        indicator_results(
            year=end_year,
            basis=basis,
            indicators=Indicator.objects.filter(renstra=renstra, is_iku=True),
            with_budget=False,
            scale=scale,
        )
        if renstra
        else []
    )
    return Trend(years=span, points=points, indicators=iku)


def _budget_per_year(
    years: Sequence[int], *, basis: str, bands: Sequence[calc.BandSpec]
) -> dict[int, BudgetFigures]:
    """Budget totals per year, aggregated in SQL (two queries)."""
    result = {year: BudgetFigures() for year in years}
    for row in (
        BudgetLine.objects.filter(year__in=list(years))
        .values("year")
        .annotate(
            murni=Sum("pagu_murni"),
            revised=Sum(Coalesce("pagu_perubahan", "pagu_murni")),
        )
    ):
        figures = result[row["year"]]
        figures.pagu_murni = row["murni"] or ZERO
        figures.pagu_perubahan = row["revised"] or ZERO
        figures.pagu = figures.pagu_murni if basis == MURNI else figures.pagu_perubahan
    for row in (
        BudgetRealization.objects.filter(line__year__in=list(years))
        .values("line__year")
        .annotate(total=Sum("amount"))
    ):
        result[row["line__year"]].realization = row["total"] or ZERO
    for figures in result.values():
        figures.finish(bands)
    return result


# --- SPM ---------------------------------------------------------------------------------------


def spm_summary(*, year: int) -> SpmSummary:
    """The five services: target group, served and % for the year, with last year's % (two
    queries)."""
    services = list(SpmService.objects.select_related("bidang"))
    achievements = {
        (a.service_id, a.year): a for a in SpmAchievement.objects.filter(year__in=[year, year - 1])
    }
    rows = []
    total_group = total_served = 0
    for service in services:
        current = achievements.get((service.pk, year))
        previous = achievements.get((service.pk, year - 1))
        if current is not None:
            total_group += current.target_group_count
            total_served += current.served_count
        rows.append(
            SpmRow(
                service=service,
                achievement=current,
                target_group=current.target_group_count if current else None,
                served=current.served_count if current else None,
                percent=(
                    calc.spm_percent(
                        served=current.served_count, target_group=current.target_group_count
                    )
                    if current
                    else calc.Percent(calc.NIL, calc.Reason.NO_REALIZATION)
                ),
                previous_percent=(
                    calc.spm_percent(
                        served=previous.served_count, target_group=previous.target_group_count
                    )
                    if previous
                    else None
                ),
            )
        )
    return SpmSummary(
        year=year,
        rows=rows,
        total_target_group=total_group,
        total_served=total_served,
        total=calc.spm_percent(served=total_served, target_group=total_group),
    )


# --- Budget tree -------------------------------------------------------------------------------


@dataclass
class TreeNode:
    kind: str  # "program", "kegiatan", "sub_kegiatan"
    item: Program | Kegiatan | SubKegiatan
    budget: BudgetFigures | None
    indicators: list[IndicatorResult] = field(default_factory=list)
    children: list[TreeNode] = field(default_factory=list)
    line: BudgetLine | None = None
    sasaran: Sasaran | None = None


def budget_tree(*, year: int, basis: str = LATEST) -> list[TreeNode]:
    """Program -> kegiatan -> sub kegiatan of the year: each with its indicators (targets,
    realization, capaian) and its budget (pagu before and after revision, realization per
    month, absorption). Holds the items with a budget line or an indicator in the year."""
    basis = normalize_basis(basis)
    scale = scales()
    index = budget_index(year=year, basis=basis, with_months=True, bands=scale.effectiveness)
    results = indicator_results(
        year=year,
        basis=basis,
        level=["program", "kegiatan", "sub_kegiatan"],
        budget=index,
        with_history=False,
        scale=scale,
    )
    by_owner: dict[tuple[str, int], list[IndicatorResult]] = defaultdict(list)
    for result in results:
        indicator = result.indicator
        by_owner[(indicator.level, getattr(indicator, f"{indicator.level}_id"))].append(result)
    sub_ids = set(index.by_sub_kegiatan) | {k[1] for k in by_owner if k[0] == "sub_kegiatan"}
    kegiatan_ids = set(index.by_kegiatan) | {k[1] for k in by_owner if k[0] == "kegiatan"}
    program_ids = set(index.by_program) | {k[1] for k in by_owner if k[0] == "program"}
    subs = list(SubKegiatan.objects.filter(pk__in=sub_ids).order_by("code"))
    kegiatan_ids |= {s.kegiatan_id for s in subs}
    kegiatans = list(Kegiatan.objects.filter(pk__in=kegiatan_ids).order_by("code"))
    program_ids |= {k.program_id for k in kegiatans}
    programs = list(Program.objects.filter(pk__in=program_ids).order_by("code"))
    sasaran = {s.pk: s for s in Sasaran.objects.filter(pk__in=set(index.program_sasaran.values()))}
    line_of = {line.sub_kegiatan_id: line for line in index.lines}
    tree = []
    for program in programs:
        program_node = TreeNode(
            "program",
            program,
            index.by_program.get(program.pk),
            by_owner.get(("program", program.pk), []),
            sasaran=sasaran.get(index.program_sasaran.get(program.pk)),
        )
        for kegiatan in (k for k in kegiatans if k.program_id == program.pk):
            kegiatan_node = TreeNode(
                "kegiatan",
                kegiatan,
                index.by_kegiatan.get(kegiatan.pk),
                by_owner.get(("kegiatan", kegiatan.pk), []),
            )
            for sub in (s for s in subs if s.kegiatan_id == kegiatan.pk):
                kegiatan_node.children.append(
                    TreeNode(
                        "sub_kegiatan",
                        sub,
                        index.by_line.get(line_of[sub.pk].pk) if sub.pk in line_of else None,
                        by_owner.get(("sub_kegiatan", sub.pk), []),
                        line=line_of.get(sub.pk),
                    )
                )
            program_node.children.append(kegiatan_node)
        tree.append(program_node)
    return tree


# --- Work lists --------------------------------------------------------------------------------


@dataclass
class WorkItem:
    indicator: Indicator
    target: Decimal | None
    quarter_target: Decimal | None
    row: Realization | None
    lock: LockState

    @property
    def status_label(self) -> str:
        return self.row.get_status_display() if self.row else str(_("Not entered"))


def realization_worklist(
    *,
    user,
    year: int,
    quarter: int,
    bidang_id: int | None = None,
    status: str | None = None,
    level: str | None = None,
) -> list[WorkItem]:
    """The indicators of the year with their realization of the quarter: the operator's list
    of what to enter and the head of division's list of what to approve (five queries)."""
    renstra = renstra_for_year(year)
    if renstra is None:
        return []
    indicators = restrict(
        Indicator.objects.filter(renstra=renstra).select_related("bidang"), user, Action.VIEW
    )
    if bidang_id:
        indicators = indicators.filter(bidang_id=bidang_id)
    if level:
        indicators = indicators.filter(level=level)
    indicators = list(indicators.order_by("level", "order", "code"))
    indicators.sort(key=lambda i: (LEVEL_ORDER[i.level], i.order, i.code))
    ids = [i.pk for i in indicators]
    targets, _renstra_targets, _agreements = _targets(ids, [year], LATEST)
    rows = {
        r.indicator_id: r
        for r in Realization.objects.filter(
            indicator_id__in=ids, year=year, quarter=quarter
        ).select_related("entered_by", "reviewed_by")
    }
    lock_days = performance_settings().lock_days
    reopened = reopenings(ids, year)
    today = clock.today()
    items = []
    for indicator in indicators:
        row = rows.get(indicator.pk)
        if status == "missing" and row is not None:
            continue
        if status and status != "missing" and (row is None or row.status != status):
            continue
        target_set = targets.get((indicator.pk, year), TargetSet())
        items.append(
            WorkItem(
                indicator=indicator,
                target=target_set.yearly,
                quarter_target=target_set.quarters[quarter - 1],
                row=row,
                lock=lock_state(
                    indicator_id=indicator.pk,
                    year=year,
                    quarter=quarter,
                    lock_days=lock_days,
                    reopened=reopened,
                    today=today,
                ),
            )
        )
    return items


def pending_approvals(*, user) -> QuerySet[Realization]:
    """Realizations waiting for this user's approval (their bidang for a head of division)."""
    return restrict(
        Realization.objects.filter(status=Realization.Status.SUBMITTED).select_related(
            "indicator", "entered_by"
        ),
        user,
        Action.APPROVE,
    ).order_by("year", "quarter", "indicator__code")


@dataclass
class PendingQuarter:
    year: int
    quarter: int
    count: int


def pending_by_quarter(*, user, year: int | None = None) -> list[PendingQuarter]:
    """The quarters holding realizations that wait for this user's approval, oldest first, so
    that a link to "what awaits you" opens a quarter that has them."""
    queryset = pending_approvals(user=user)
    if year is not None:
        queryset = queryset.filter(year=year)
    rows = queryset.values("year", "quarter").annotate(n=Count("id")).order_by("year", "quarter")
    return [PendingQuarter(row["year"], row["quarter"], row["n"]) for row in rows]


def realization_list(*, user) -> QuerySet[Realization]:
    return restrict(Realization.objects.select_related("indicator__bidang"), user, Action.VIEW)


def realization_get(*, indicator: Indicator, year: int, quarter: int) -> Realization | None:
    return (
        Realization.objects.filter(indicator=indicator, year=year, quarter=quarter)
        .select_related("entered_by", "reviewed_by")
        .prefetch_related("evidence")
        .first()
    )


# --- What deleting a plan item or a budget line involves -----------------------------------------

LISTED = 6  # codes, periods or months named in a message before "..."
ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class DeletionCheck:
    """What deleting an item involves. ``blocking`` names its dependants that carry data (the
    deletion is refused while there is any; ``message`` says so and what to do), ``along`` what
    goes with it (its own parts, entered on its form; the history keeps them)."""

    blocking: tuple[str, ...] = ()
    message: str = ""
    along: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.blocking


def _listing(values: Sequence[str]) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(values[:LISTED])
    return f"{shown}, ..." if len(values) > LISTED else shown


def _joined(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}


def _check(sentence: str, blocking: list[str], hints: list[str], along: list[str]) -> DeletionCheck:
    if not blocking:
        return DeletionCheck(along=tuple(along))
    message = " ".join([sentence % {"dependants": _joined(blocking)}, *hints])
    return DeletionCheck(blocking=tuple(blocking), message=message, along=tuple(along))


def _codes(values: Sequence) -> dict:
    return {"count": len(values), "codes": _listing(values)}


def tujuan_deletion(tujuan: Tujuan) -> DeletionCheck:
    """A goal is deleted only without objectives (sasaran) and without goal indicators."""
    sasaran = list(tujuan.sasaran.order_by("order", "code").values_list("code", flat=True))
    indicators = list(tujuan.indicators.order_by("order", "code").values_list("code", flat=True))
    blocking = []
    if sasaran:
        blocking.append(
            ngettext(
                "%(count)s objective (%(codes)s)", "%(count)s objectives (%(codes)s)", len(sasaran)
            )
            % _codes(sasaran)
        )
    if indicators:
        blocking.append(
            ngettext(
                "%(count)s indicator (%(codes)s)",
                "%(count)s indicators (%(codes)s)",
                len(indicators),
            )
            % _codes(indicators)
        )
    return _check(
        gettext("This goal still has %(dependants)s, so it cannot be deleted."),
        blocking,
        [gettext("Delete them first, or move them to another goal on their edit pages.")],
        [],
    )


def sasaran_deletion(sasaran: Sasaran) -> DeletionCheck:
    """An objective is deleted only without indicators; its links to supporting programs go
    with it (the programs and their budget stay)."""
    indicators = list(sasaran.indicators.order_by("order", "code").values_list("code", flat=True))
    programs = list(
        SasaranProgram.objects.filter(sasaran=sasaran)
        .order_by("program__code")
        .values_list("program__code", flat=True)
    )
    blocking = []
    if indicators:
        blocking.append(
            ngettext(
                "%(count)s indicator (%(codes)s)",
                "%(count)s indicators (%(codes)s)",
                len(indicators),
            )
            % _codes(indicators)
        )
    along = []
    if programs:
        along.append(
            ngettext(
                "the link to %(count)s supporting program (%(codes)s); the program and its "
                "budget stay",
                "the links to %(count)s supporting programs (%(codes)s); the programs and their "
                "budget stay",
                len(programs),
            )
            % _codes(programs)
        )
    return _check(
        gettext("This objective still has %(dependants)s, so it cannot be deleted."),
        blocking,
        [gettext("Delete them first, or move them to another objective on their edit pages.")],
        along,
    )


def indicator_deletion(indicator: Indicator) -> DeletionCheck:
    """An indicator is deleted only when no performance agreement has a target for it, no
    realization was entered for it and no indicator of a later Renstra continues it. Its
    targets per Renstra year (entered on its own form) and reopened quarters go with it."""
    agreements = [
        f"{target.agreement.label} {target.agreement.year}"
        for target in AgreementTarget.objects.filter(indicator=indicator)
        .select_related("agreement")
        .order_by("agreement__year", "agreement__revision")
    ]
    quarters = [
        gettext("Quarter %(q)s %(year)s") % {"q": ROMAN_QUARTERS[quarter], "year": year}
        for year, quarter in Realization.objects.filter(indicator=indicator)
        .order_by("year", "quarter")
        .values_list("year", "quarter")
    ]
    evidence = Evidence.objects.filter(realization__indicator=indicator).count()
    continued = list(
        Indicator.objects.filter(continues=indicator)
        .order_by("renstra__start_year", "code")
        .values_list("code", flat=True)
    )
    blocking, hints = [], []
    if agreements:
        blocking.append(
            ngettext(
                "%(count)s target in a performance agreement (%(where)s)",
                "%(count)s targets in performance agreements (%(where)s)",
                len(agreements),
            )
            % {"count": len(agreements), "where": _listing(agreements)}
        )
        hints.append(
            gettext(
                "Take it out of each agreement first: empty its row on the agreement's targets "
                "page."
            )
        )
    if quarters:
        blocking.append(
            ngettext(
                "%(count)s realization (%(where)s)",
                "%(count)s realizations (%(where)s)",
                len(quarters),
            )
            % {"count": len(quarters), "where": _listing(quarters)}
        )
        if evidence:
            blocking.append(
                ngettext("%(count)s evidence file", "%(count)s evidence files", evidence)
                % {"count": evidence}
            )
        hints.append(
            gettext(
                "Realizations are part of the performance record and are not deleted: correct "
                "the indicator on its edit page instead."
            )
        )
    if continued:
        blocking.append(
            ngettext(
                "%(count)s indicator of a later Renstra continuing it (%(codes)s)",
                "%(count)s indicators of a later Renstra continuing it (%(codes)s)",
                len(continued),
            )
            % _codes(continued)
        )
        hints.append(
            gettext("Clear 'same indicator in the previous Renstra' on the later indicator first.")
        )
    along = []
    years = list(indicator.renstra_targets.order_by("year").values_list("year", flat=True))
    if years:
        along.append(
            ngettext(
                "%(count)s target in the Renstra (%(codes)s)",
                "%(count)s targets in the Renstra (%(codes)s)",
                len(years),
            )
            % _codes(years)
        )
    reopened = QuarterReopen.objects.filter(indicator=indicator).count()
    if reopened:
        along.append(
            ngettext(
                "%(count)s reopening of a locked quarter",
                "%(count)s reopenings of locked quarters",
                reopened,
            )
            % {"count": reopened}
        )
    return _check(
        gettext("This indicator still has %(dependants)s, so it cannot be deleted."),
        blocking,
        hints,
        along,
    )


def budget_line_deletion(line: BudgetLine) -> DeletionCheck:
    """A budget line is deleted only while no realization is recorded for any month (a month
    set to 0 holds none and goes with it)."""
    months = line.months.aggregate(
        recorded=Count("pk", filter=Q(amount__gt=0)),
        empty=Count("pk", filter=Q(amount=0)),
        total=Coalesce(Sum("amount"), MONEY_ZERO),
    )
    blocking, along = [], []
    if months["recorded"]:
        names = [
            str(MONTHS[m])
            for m in line.months.filter(amount__gt=0)
            .order_by("month")
            .values_list("month", flat=True)
        ]
        blocking.append(
            ngettext(
                "a realization recorded for %(count)s month (%(months)s; %(total)s in total)",
                "a realization recorded for %(count)s months (%(months)s; %(total)s in total)",
                len(names),
            )
            % {
                "count": len(names),
                "months": _listing(names),
                "total": format_rupiah(months["total"]),
            }
        )
    if months["empty"]:
        along.append(
            ngettext(
                "%(count)s month with a realization of 0",
                "%(count)s months with a realization of 0",
                months["empty"],
            )
            % {"count": months["empty"]}
        )
    return _check(
        gettext("This budget line still has %(dependants)s, so it cannot be deleted."),
        blocking,
        [
            gettext(
                "If it was entered by mistake, set those months to 0 on the budget line's edit "
                "page first."
            )
        ],
        along,
    )
