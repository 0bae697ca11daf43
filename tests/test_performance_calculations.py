"""The arithmetic of SAKIP (performance.calculations): pure functions, no database."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from performance import calculations as calc
from performance.calculations import Aggregation, QuarterFigure, Reason


def test_more_is_better():
    result = calc.capaian(target=85, realization="84.61")
    assert result.value == D("99.54")
    assert result.reason is None and result.computed


def test_less_is_better_with_target_over_realization_gives_the_lebak_figure():
    result = calc.capaian(
        target="8.23", realization="8.03", direction="lower", lower_formula="ratio"
    )
    assert result.value == D("102.49")


def test_less_is_better_with_the_permendagri_formula():
    # (2 x 8,23 - 8,03) / 8,23 x 100 = 102,43
    result = calc.capaian(
        target="8.23", realization="8.03", direction="lower", lower_formula="difference"
    )
    assert result.value == D("102.43")
    worse = calc.capaian(target=10, realization=12, direction="lower", lower_formula="difference")
    assert worse.value == D("80.00")


def test_missing_realization_is_zero_with_the_reason_given():
    result = calc.capaian(target="81.08", realization=None, missing_detail="Terbit Maret 2026.")
    assert result.value == 0
    assert result.reason == Reason.NO_REALIZATION
    assert not result.computed
    with translation.override("id"):
        assert result.message == "Realisasi belum tersedia. Terbit Maret 2026."


def test_zero_realization_never_divides():
    ratio = calc.capaian(target="8.23", realization=0, direction="lower", lower_formula="ratio")
    assert ratio.value == 0 and ratio.reason == Reason.ZERO_REALIZATION_RATIO
    with translation.override("id"):
        assert "tidak dapat" in ratio.message
    higher = calc.capaian(target=10, realization=0)
    assert higher.value == 0 and higher.reason == Reason.ZERO_REALIZATION and higher.computed


def test_zero_or_missing_target():
    assert calc.capaian(target=0, realization=5).reason == Reason.ZERO_TARGET
    assert calc.capaian(target=None, realization=5).reason == Reason.NO_TARGET
    assert (
        calc.capaian(target=0, realization=5, direction="lower", lower_formula="difference").reason
        == Reason.ZERO_TARGET
    )


def test_far_worse_than_twice_the_target_is_floored_at_zero():
    result = calc.capaian(target=5, realization=11, direction="lower", lower_formula="difference")
    assert result.value == 0 and result.reason == Reason.BELOW_ZERO


def test_rounding_is_half_up_not_to_even():
    assert calc.round2(D("102.805")) == D("102.81")
    assert calc.round2(D("76.285")) == D("76.29")
    assert calc.round2(D("0.125")) == D("0.13")


def test_the_lebak_2025_averages():
    s1 = calc.average_capaian([calc.capaian(target="81.08", realization=None).value, D("99.54")])
    s2 = calc.average_capaian([D("102.49"), D("103.12")])
    year = calc.average_capaian([s1.value, s2.value])
    assert (s1.value, s2.value, year.value) == (D("49.77"), D("102.81"), D("76.29"))
    bands = calc.DEFAULT_RATING_BANDS
    assert calc.band_for(s1.value, bands).label == "Sangat Rendah"
    assert calc.band_for(s2.value, bands).label == "Sangat Tinggi"
    assert calc.band_for(year.value, bands).label == "Tinggi"


def test_an_average_of_nothing_says_so():
    empty = calc.average_capaian([])
    assert empty.value == 0 and empty.reason == Reason.NO_MEMBERS


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("91", "Sangat Tinggi"),
        ("150", "Sangat Tinggi"),
        ("90.99", "Tinggi"),
        ("90.5", "Tinggi"),
        ("76", "Tinggi"),
        ("75.5", "Sedang"),
        ("66", "Sedang"),
        ("65.999", "Sedang"),  # rounded to 66,00 first
        ("65.99", "Rendah"),
        ("51", "Rendah"),
        ("50.5", "Sangat Rendah"),
        ("0", "Sangat Rendah"),
    ],
)
def test_rating_bands_and_values_between_them(value, label):
    assert calc.band_for(D(value), calc.DEFAULT_RATING_BANDS).label == label


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("100.01", "Sangat Efektif"),
        ("100", "Efektif"),
        ("80", "Efektif"),
        ("79.99", "Cukup Efektif"),
        ("60", "Cukup Efektif"),
        ("40", "Tidak Efektif"),
        ("39.99", "Sangat Tidak Efektif"),
    ],
)
def test_effectiveness_bands(value, label):
    assert calc.band_for(D(value), calc.DEFAULT_EFFECTIVENESS_BANDS).label == label


def test_settable_bands_are_checked():
    assert calc.bands_problems(list(calc.DEFAULT_RATING_BANDS)) == []
    two_bottoms = [calc.BandSpec("A", None), calc.BandSpec("B", None)]
    assert calc.bands_problems(two_bottoms)
    same_bound = [calc.BandSpec("A", D(50)), calc.BandSpec("B", D(50)), calc.BandSpec("C", None)]
    assert calc.bands_problems(same_bound)
    custom = [calc.BandSpec("Baik", D(90)), calc.BandSpec("Kurang", None)]
    assert calc.band_for(D("89.99"), custom).label == "Kurang"
    assert calc.band_for(D("90"), custom).label == "Baik"


def test_quarters_combine_by_rule():
    quarters = [
        QuarterFigure(1, value=D(20)),
        QuarterFigure(2, value=D(35)),
        QuarterFigure(3),
        QuarterFigure(4, value=D(25)),
    ]
    assert calc.aggregate(Aggregation.SUM, quarters).value == D(80)
    last = calc.aggregate(Aggregation.LAST, quarters)
    assert last.value == D(25) and last.quarters == (4,)
    assert calc.aggregate(Aggregation.AVERAGE, quarters).value == D("26.67")


def test_percentages_sum_numerators_and_denominators_never_average_percentages():
    quarters = [
        QuarterFigure(1, numerator=D(9), denominator=D(10)),  # 90 %
        QuarterFigure(2, numerator=D(50), denominator=D(100)),  # 50 %
    ]
    result = calc.aggregate(Aggregation.RATIO, quarters)
    assert result.value == D("53.64")  # 59 / 110, not (90 + 50) / 2 = 70
    assert (result.numerator, result.denominator) == (D(59), D(110))


def test_a_zero_denominator_is_stated():
    result = calc.aggregate(Aggregation.RATIO, [QuarterFigure(1, numerator=D(0), denominator=D(0))])
    assert result.value is None and result.reason == Reason.ZERO_DENOMINATOR


def test_no_quarter_reported_keeps_the_latest_reason():
    result = calc.aggregate(
        Aggregation.LAST,
        [QuarterFigure(3, missing_detail="Belum rilis"), QuarterFigure(4, missing_detail="BPS")],
    )
    assert result.value is None and result.detail == "BPS"


def test_quarter_targets_must_agree_with_the_year():
    assert calc.quarter_targets_problem("sum", 100, [20, 30, 30, 20]) == ""
    with translation.override("id"):
        assert "99" in calc.quarter_targets_problem("sum", 100, [20, 30, 30, 19])
    assert calc.quarter_targets_problem("sum", 100, [20, None, None, None]) == ""
    assert calc.quarter_targets_problem("last", "8.23", [None, None, None, "8.23"]) == ""
    assert calc.quarter_targets_problem("last", "8.23", [None, None, None, "8.5"])


def test_progress_through_the_quarters():
    progress = calc.progress_by_quarter(
        rule="sum",
        quarter_targets=[D(20), D(30), D(30), D(20)],
        figures=[QuarterFigure(1, value=D(20)), QuarterFigure(2, value=D(15))],
        direction="higher",
        lower_formula="ratio",
    )
    assert [p.target for p in progress] == [D(20), D(50), D(80), D(100)]
    assert [p.capaian.value for p in progress] == [D("100.00"), D("70.00"), D("43.75"), D("35.00")]


def test_budget_absorption_efficiency_and_spm():
    total = calc.absorption(realization=11223919920, pagu=11778490236)
    assert total.value == D("95.29")
    sasaran_1 = calc.absorption(realization=4349718545, pagu=4574317536)
    assert sasaran_1.value == D("95.09")
    assert calc.efisiensi(capaian=D("99.54"), absorption=sasaran_1.value) == D("4.45")
    assert calc.absorption(realization=10, pagu=0).reason == Reason.NO_PAGU
    assert calc.spm_percent(served=215, target_group=220).value == D("97.73")
    assert calc.spm_percent(served=0, target_group=0).reason == Reason.NO_TARGET_GROUP


def test_text_and_floats_become_exact_decimals():
    assert calc.to_decimal(8.03) == D("8.03")
    assert calc.to_decimal("x") is None
    assert calc.to_decimal(True) is None


def test_quarter_calendar_and_lock_date():
    assert calc.quarter_end(2025, 1) == datetime.date(2025, 3, 31)
    assert calc.quarter_end(2024, 1) == datetime.date(2024, 3, 31)
    assert calc.quarter_start(2025, 4) == datetime.date(2025, 10, 1)
    assert calc.lock_date(2025, 4, 15) == datetime.date(2026, 1, 15)
    assert calc.quarter_months(3) == (7, 8, 9)
    assert calc.quarter_of_month(12) == 4
