"""The arithmetic of SAKIP performance measurement, in one pure module.

No database, no request: plain values in, plain values out, so that every figure of a page, the
API, an export or the LKjIP is computed the same way and can be tested by itself.

Rules (README.md, "Performance (SAKIP)", states them for users):

* ``Decimal`` throughout; rounding is ``ROUND_HALF_UP`` (as Indonesian reports round, not
  banker's rounding).
* Entered figures (targets, realizations) are used as entered. Derived figures - a percentage
  from a numerator and a denominator, an average of levels, a capaian, an absorption, an SPM
  percentage, an efisiensi - are rounded to 2 decimals where they are produced.
* A sasaran's capaian is the mean of the (rounded) capaian of its indicators; the year's is the
  mean of the (rounded) capaian of its sasaran; each mean is rounded to 2 decimals. A reader can
  recompute every table by hand from the figures it shows.
* A capaian that cannot be computed (no realization yet, a zero target, a zero realization under
  ``target / realisasi``) is 0 % with a stated reason, never an error.
* Bands (rating, effectiveness) are found on the rounded figure: a value belongs to the highest
  band whose lower bound it reaches, so 90,50 is below 91 and falls in "Tinggi"; there are no
  gaps between bands.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")
NIL = Decimal("0.00")  # a percentage that could not be computed


class Direction(StrEnum):
    HIGHER = "higher"  # more is better (realisasi / target)
    LOWER = "lower"  # less is better (e.g. Tingkat Kemiskinan)


class LowerFormula(StrEnum):
    RATIO = "ratio"  # target / realisasi x 100 (Lebak LKjIP 2025)
    DIFFERENCE = "difference"  # (2 x target - realisasi) / target x 100 (Permendagri 86/2017)


class Aggregation(StrEnum):
    SUM = "sum"  # counts: the year is the sum of its quarters
    LAST = "last"  # a level (a rate, an index): the latest quarter's value
    AVERAGE = "average"  # a level measured each quarter, averaged (never for percentages)
    RATIO = "ratio"  # a percentage: numerators and denominators summed separately


class Reason(StrEnum):
    NO_TARGET = "no_target"
    ZERO_TARGET = "zero_target"
    NO_REALIZATION = "no_realization"
    ZERO_REALIZATION = "zero_realization"
    ZERO_REALIZATION_RATIO = "zero_realization_ratio"
    BELOW_ZERO = "below_zero"
    ZERO_DENOMINATOR = "zero_denominator"
    NO_MEMBERS = "no_members"
    NO_PAGU = "no_pagu"
    NO_TARGET_GROUP = "no_target_group"


REASON_TEXTS = {
    Reason.NO_TARGET: _("There is no target for this year."),
    Reason.ZERO_TARGET: _("The target is 0, so the achievement cannot be computed."),
    Reason.NO_REALIZATION: _("The realization has not come in yet."),
    Reason.ZERO_REALIZATION: _("The realization is 0."),
    Reason.ZERO_REALIZATION_RATIO: _(
        "The realization is 0: the formula target / realization cannot divide by it."
    ),
    Reason.BELOW_ZERO: _(
        "The realization is more than twice the target: the achievement is counted as 0 %."
    ),
    Reason.ZERO_DENOMINATOR: _("The denominator is 0, so the percentage cannot be computed."),
    Reason.NO_MEMBERS: _("There is nothing to average."),
    Reason.NO_PAGU: _("There is no budget ceiling (pagu)."),
    Reason.NO_TARGET_GROUP: _("The target group is 0."),
}


def to_decimal(value) -> Decimal | None:
    """A Decimal from a Decimal, int, float (through its text) or numeric text; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def round2(value) -> Decimal | None:
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Percent:
    """A derived percentage. ``value`` is rounded to 2 decimals and is 0 when the formula could
    not be applied; ``reason`` then says why (``detail`` adds the words a user gave)."""

    value: Decimal
    reason: Reason | None = None
    detail: str = ""

    @property
    def computed(self) -> bool:
        """Whether the formula was applied (a zero realization still computes to 0)."""
        return self.reason in (None, Reason.ZERO_REALIZATION)

    @property
    def message(self) -> str:
        if self.reason is None:
            return ""
        text = str(REASON_TEXTS[self.reason])
        return f"{text} {self.detail}".strip() if self.detail else text


def capaian(
    *,
    target,
    realization,
    direction: str = Direction.HIGHER,
    lower_formula: str = LowerFormula.RATIO,
    missing_detail: str = "",
) -> Percent:
    """The achievement (capaian) of one indicator, in percent, rounded to 2 decimals.

    more is better:                realisasi / target x 100
    less is better, ratio:         target / realisasi x 100
    less is better, difference:    (2 x target - realisasi) / target x 100, not below 0
    """
    target = to_decimal(target)
    realization = to_decimal(realization)
    if target is None:
        return Percent(NIL, Reason.NO_TARGET)
    if realization is None:
        return Percent(NIL, Reason.NO_REALIZATION, missing_detail)
    if Direction(direction) == Direction.HIGHER:
        if target == 0:
            return Percent(NIL, Reason.ZERO_TARGET)
        result = realization / target * HUNDRED
        return Percent(round2(result), Reason.ZERO_REALIZATION if realization == 0 else None)
    if LowerFormula(lower_formula) == LowerFormula.RATIO:
        if realization == 0:
            return Percent(NIL, Reason.ZERO_REALIZATION_RATIO)
        return Percent(round2(target / realization * HUNDRED))
    if target == 0:
        return Percent(NIL, Reason.ZERO_TARGET)
    result = (2 * target - realization) / target * HUNDRED
    if result < 0:
        return Percent(NIL, Reason.BELOW_ZERO)
    return Percent(round2(result))


# --- Quarters into the year --------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterFigure:
    """One quarter's realization as reported: a value, or a numerator and a denominator (for a
    percentage), or nothing with the reason why it has not come in (``missing_detail``)."""

    quarter: int
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    missing_detail: str = ""


@dataclass(frozen=True)
class Aggregate:
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    quarters: tuple[int, ...] = ()  # the quarters that gave the value
    reason: Reason | None = None
    detail: str = ""


def quarter_percentage(numerator, denominator) -> tuple[Decimal | None, Reason | None]:
    """numerator / denominator x 100, rounded to 2 decimals (None and the reason if undefined)."""
    numerator = to_decimal(numerator)
    denominator = to_decimal(denominator)
    if numerator is None or denominator is None:
        return None, Reason.NO_REALIZATION
    if denominator == 0:
        return None, Reason.ZERO_DENOMINATOR
    return round2(numerator / denominator * HUNDRED), None


def aggregate(rule: str, figures: Iterable[QuarterFigure]) -> Aggregate:
    """Combine quarters into one figure by the indicator's rule.

    sum:     the sum of the quarters that have a value;
    last:    the value of the latest quarter that has one;
    average: the mean of the quarters that have a value, rounded to 2 decimals;
    ratio:   sum of numerators / sum of denominators x 100 - never a mean of percentages.
    A quarter without a figure is left out; when no quarter has one, the value is None and the
    latest stated reason (why the figure has not come in) is kept.
    """
    figures = sorted(figures, key=lambda f: f.quarter)
    rule = Aggregation(rule)
    detail = next((f.missing_detail for f in reversed(figures) if f.missing_detail), "")
    if rule == Aggregation.RATIO:
        usable = [f for f in figures if f.numerator is not None and f.denominator is not None]
        if not usable:
            return Aggregate(None, reason=Reason.NO_REALIZATION, detail=detail)
        numerator = sum((to_decimal(f.numerator) for f in usable), ZERO)
        denominator = sum((to_decimal(f.denominator) for f in usable), ZERO)
        value, reason = quarter_percentage(numerator, denominator)
        return Aggregate(
            value,
            numerator=numerator,
            denominator=denominator,
            quarters=tuple(f.quarter for f in usable),
            reason=reason,
        )
    usable = [f for f in figures if f.value is not None]
    if not usable:
        return Aggregate(None, reason=Reason.NO_REALIZATION, detail=detail)
    quarters = tuple(f.quarter for f in usable)
    values = [to_decimal(f.value) for f in usable]
    if rule == Aggregation.SUM:
        return Aggregate(sum(values, ZERO), quarters=quarters)
    if rule == Aggregation.LAST:
        return Aggregate(values[-1], quarters=quarters[-1:])
    return Aggregate(round2(sum(values, ZERO) / len(values)), quarters=quarters)


def aggregate_targets(rule: str, targets: Sequence) -> Decimal | None:
    """The target of several quarters together (for progress through a quarter): summed for
    counts, averaged for averaged levels, otherwise the latest stated (a level or percentage)."""
    stated = [to_decimal(t) for t in targets if to_decimal(t) is not None]
    if not stated:
        return None
    rule = Aggregation(rule)
    if rule == Aggregation.SUM:
        return sum(stated, ZERO)
    if rule == Aggregation.AVERAGE:
        return round2(sum(stated, ZERO) / len(stated))
    return stated[-1]


def quarter_targets_problem(rule: str, yearly, quarters: Sequence) -> str:
    """A message when quarterly targets contradict the yearly target, else ''.

    Counts: when all four quarters are given they must add up to the year. Levels and
    percentages: the fourth quarter's target, when given, is the year's."""
    yearly = to_decimal(yearly)
    values = [to_decimal(q) for q in quarters]
    if yearly is None:
        return ""
    rule = Aggregation(rule)
    if rule == Aggregation.SUM and all(v is not None for v in values):
        total = sum(values, ZERO)
        if total != yearly:
            return str(
                _("The quarterly targets add up to %(total)s, not to the yearly target %(year)s.")
                % {"total": _plain(total), "year": _plain(yearly)}
            )
    if rule in (Aggregation.LAST, Aggregation.RATIO) and values[3] not in (None, yearly):
        return str(
            _("The fourth quarter's target (%(q4)s) must equal the yearly target (%(year)s).")
            % {"q4": _plain(values[3]), "year": _plain(yearly)}
        )
    return ""


def _plain(value: Decimal) -> str:
    from welfare.formatting import format_number

    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(value, min(decimals, 4))


# --- Averages, bands ---------------------------------------------------------------------------


def mean(values: Iterable) -> Decimal | None:
    """The mean of the values, rounded to 2 decimals; None when there are none."""
    numbers = [to_decimal(v) for v in values]
    numbers = [n for n in numbers if n is not None]
    if not numbers:
        return None
    return round2(sum(numbers, ZERO) / len(numbers))


@dataclass(frozen=True)
class BandSpec:
    """A band of a scale: a value belongs to the highest band whose lower bound it reaches
    (``lower`` None = no lower bound; ``inclusive`` False = the bound itself is below it)."""

    label: str
    lower: Decimal | None
    inclusive: bool = True
    tone: str = "secondary"
    key: str = ""

    def admits(self, value: Decimal) -> bool:
        if self.lower is None:
            return True
        return value >= self.lower if self.inclusive else value > self.lower


def band_for(value, bands: Sequence[BandSpec]) -> BandSpec | None:
    """The band of ``value`` (rounded to 2 decimals first)."""
    number = round2(value)
    if number is None or not bands:
        return None
    ordered = sorted(
        bands,
        key=lambda b: (
            b.lower is not None,
            b.lower if b.lower is not None else ZERO,
            not b.inclusive,
        ),
        reverse=True,
    )
    for band in ordered:
        if band.admits(number):
            return band
    return None


def bands_problems(bands: Sequence[BandSpec]) -> list[str]:
    """What is wrong with a set of bands (empty when it is usable)."""
    problems = []
    if not bands:
        return [str(_("Give at least one band."))]
    bottoms = [b for b in bands if b.lower is None]
    if len(bottoms) != 1:
        problems.append(str(_("Exactly one band must have no lower bound (the lowest band).")))
    bounds = [(b.lower, b.inclusive) for b in bands if b.lower is not None]
    if len(bounds) != len(set(bounds)):
        problems.append(str(_("Two bands have the same lower bound.")))
    labels = [b.label.strip().lower() for b in bands]
    if any(not label for label in labels):
        problems.append(str(_("Every band needs a name.")))
    elif len(labels) != len(set(labels)):
        problems.append(str(_("Two bands have the same name.")))
    return problems


# Permendagri 86/2017: >= 91 Sangat Tinggi; 76-90 Tinggi; 66-75 Sedang; 51-65 Rendah;
# <= 50 Sangat Rendah. A value between two bands (90,5) is below the upper band's bound.
DEFAULT_RATING_BANDS = (
    BandSpec("Sangat Tinggi", Decimal(91), True, "success", "sangat_tinggi"),
    BandSpec("Tinggi", Decimal(76), True, "primary", "tinggi"),
    BandSpec("Sedang", Decimal(66), True, "info", "sedang"),
    BandSpec("Rendah", Decimal(51), True, "warning", "rendah"),
    BandSpec("Sangat Rendah", None, True, "danger", "sangat_rendah"),
)
# Lebak LKjIP after Kepmendagri 690.900-327/1996: > 100 Sangat Efektif; 80-100 Efektif;
# 60-80 Cukup Efektif; 40-60 Tidak Efektif; < 40 Sangat Tidak Efektif.
DEFAULT_EFFECTIVENESS_BANDS = (
    BandSpec("Sangat Efektif", Decimal(100), False, "success", "sangat_efektif"),
    BandSpec("Efektif", Decimal(80), True, "primary", "efektif"),
    BandSpec("Cukup Efektif", Decimal(60), True, "info", "cukup_efektif"),
    BandSpec("Tidak Efektif", Decimal(40), True, "warning", "tidak_efektif"),
    BandSpec("Sangat Tidak Efektif", None, True, "danger", "sangat_tidak_efektif"),
)


# --- Budget, efficiency, SPM -------------------------------------------------------------------


def absorption(*, realization, pagu) -> Percent:
    """Serapan anggaran: realisasi / pagu x 100, rounded to 2 decimals."""
    pagu = to_decimal(pagu)
    realization = to_decimal(realization) or ZERO
    if not pagu:
        return Percent(NIL, Reason.NO_PAGU)
    return Percent(round2(realization / pagu * HUNDRED))


def efisiensi(*, capaian, absorption) -> Decimal | None:
    """Efisiensi = capaian kinerja % - serapan anggaran % (positive: more result per rupiah)."""
    capaian = to_decimal(capaian)
    absorption = to_decimal(absorption)
    if capaian is None or absorption is None:
        return None
    return round2(capaian - absorption)


def spm_percent(*, served, target_group) -> Percent:
    """An SPM service's achievement: the share of its target group that was served."""
    target_group = to_decimal(target_group)
    served = to_decimal(served) or ZERO
    if not target_group:
        return Percent(NIL, Reason.NO_TARGET_GROUP)
    return Percent(round2(served / target_group * HUNDRED))


# --- Calendar ----------------------------------------------------------------------------------

QUARTERS = (1, 2, 3, 4)


def quarter_months(quarter: int) -> tuple[int, int, int]:
    first = 3 * (quarter - 1) + 1
    return (first, first + 1, first + 2)


def quarter_of_month(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, quarter_months(quarter)[0], 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter_months(quarter)[2]
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def lock_date(year: int, quarter: int, lock_days: int) -> datetime.date:
    """The last day on which a quarter's realization may still be changed."""
    return quarter_end(year, quarter) + datetime.timedelta(days=lock_days)


@dataclass(frozen=True)
class Cumulative:
    """Progress through a quarter: the quarters so far combined by the indicator's rule."""

    quarter: int
    target: Decimal | None
    realization: Aggregate
    capaian: Percent


def progress_by_quarter(
    *,
    rule: str,
    quarter_targets: Sequence,
    figures: Sequence[QuarterFigure],
    direction: str,
    lower_formula: str,
) -> list[Cumulative]:
    """For each quarter, the target and realization so far and their capaian."""
    result = []
    for quarter in QUARTERS:
        so_far = [f for f in figures if f.quarter <= quarter]
        target = aggregate_targets(rule, quarter_targets[:quarter])
        realized = aggregate(rule, so_far)
        result.append(
            Cumulative(
                quarter=quarter,
                target=target,
                realization=realized,
                capaian=capaian(
                    target=target,
                    realization=realized.value,
                    direction=direction,
                    lower_formula=lower_formula,
                    missing_detail=realized.detail,
                ),
            )
        )
    return result


@dataclass
class Averaged:
    """A mean of capaian (a sasaran from its indicators, a year from its sasaran)."""

    value: Decimal
    members: list[Decimal] = field(default_factory=list)
    reason: Reason | None = None


def average_capaian(values: Sequence) -> Averaged:
    members = [round2(v) for v in values if to_decimal(v) is not None]
    result = mean(members)
    if result is None:
        return Averaged(NIL, [], Reason.NO_MEMBERS)
    return Averaged(result, members)
