"""The figures of the year from the Lebak demo (DOMAIN.md): what pages, API, exports and the
LKjIP read through performance.selectors."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from performance import demo, selectors
from performance.models import Agreement, Band, Indicator, Realization


@pytest.fixture
def lebak(regions):
    demo.seed(stdout=io.StringIO())


def _by_code(summary):
    return {r.indicator.code: r for r in summary.indicators}


@pytest.mark.django_db
def test_lebak_2025_gives_the_lkjip_figures(lebak):
    summary = selectors.year_summary(year=2025)
    s1, s2 = summary.sasaran
    assert (s1.capaian.value, s1.rating.label) == (D("49.77"), "Sangat Rendah")
    assert (s2.capaian.value, s2.rating.label) == (D("102.81"), "Sangat Tinggi")
    assert (summary.capaian.value, summary.rating.label) == (D("76.29"), "Tinggi")
    iku = _by_code(summary)
    assert iku["IKU-2"].capaian.value == D("99.54")
    assert iku["IKU-3"].capaian.value == D("102.49")
    assert iku["IKU-4"].capaian.value == D("103.12")
    sakip = iku["IKU-1"]
    assert sakip.capaian.value == 0 and sakip.realization.value is None
    assert "Maret 2026" in sakip.capaian.message
    assert sakip.efisiensi is None  # no efficiency without an achievement


@pytest.mark.django_db
def test_lebak_2025_budget_and_efficiency(lebak):
    summary = selectors.year_summary(year=2025)
    total = summary.budget.total
    assert total.pagu_murni == D("11358438794")
    assert total.pagu == D("11778490236")
    assert total.realization == D("11223919920")
    assert total.absorption.value == D("95.29")
    assert total.effectiveness.label == "Efektif"
    s1 = summary.sasaran[0]
    assert s1.budget.absorption.value == D("95.09")
    assert _by_code(summary)["IKU-2"].efisiensi == D("4.45")  # 99,54 - 95,09
    by_program = {p.code: f for p, f in summary.program_budgets()}
    assert sum(f.pagu for f in by_program.values()) == total.pagu
    assert len(by_program) == 7


@pytest.mark.django_db
def test_the_original_agreement_stays_usable(lebak):
    murni = selectors.year_summary(year=2025, basis="murni")
    perubahan = selectors.year_summary(year=2025, basis="perubahan")
    assert murni.agreement.revision == 0 and perubahan.agreement.revision == 1
    assert _by_code(murni)["IKU-2"].target == D(86)
    assert _by_code(murni)["IKU-2"].capaian.value == D("98.38")  # 84,61 / 86
    assert _by_code(perubahan)["IKU-2"].target == D(85)
    assert murni.budget.total.pagu == D("11358438794")
    assert Agreement.objects.filter(year=2025).count() == 2


@pytest.mark.django_db
def test_comparisons_with_last_year_the_end_target_and_five_years(lebak):
    iku = _by_code(selectors.year_summary(year=2025))
    poverty = iku["IKU-3"]
    assert poverty.previous.year == 2024
    assert poverty.previous.realization == D("8.44")
    assert poverty.end_year == 2029 and poverty.end_target == D("7.39")
    assert poverty.capaian_vs_end_target.value == D("92.03")  # 7,39 / 8,03
    assert [p.year for p in poverty.history] == [2021, 2022, 2023, 2024, 2025]
    assert [p.realization for p in poverty.history] == [
        D("10.29"), D("8.91"), D("8.60"), D("8.44"), D("8.03"),
    ]  # fmt: skip
    assert all(p.indicator_id for p in poverty.history)  # through the previous Renstra
    welfare_index = iku["IKU-4"]  # new in the 2025-2029 Renstra: no earlier years
    assert [p.target for p in welfare_index.history[:4]] == [None] * 4


@pytest.mark.django_db
def test_five_year_trend_of_the_office(lebak):
    trend = selectors.trend(end_year=2025)
    assert trend.years == [2021, 2022, 2023, 2024, 2025]
    assert trend.points[-1].capaian.value == D("76.29")
    assert all(p.capaian is not None for p in trend.points)
    assert trend.points[0].budget.pagu == D("9812400000")
    assert {r.indicator.code for r in trend.indicators} == {"IKU-1", "IKU-2", "IKU-3", "IKU-4"}


@pytest.mark.django_db
def test_quarters_and_progress(lebak):
    results = selectors.indicator_results(year=2025, level="sub_kegiatan", with_history=False)
    meals = next(r for r in results if r.indicator.code == "SK-1.06.04.2.01.0001")
    assert meals.indicator.aggregation == "sum"
    assert meals.realization.value == sum(q.value for q in meals.quarters)
    assert meals.quarters[3].cumulative.realization.value == meals.realization.value
    assert meals.quarters[3].cumulative.target == meals.target


@pytest.mark.django_db
def test_spm_per_service_and_in_total(lebak):
    spm = selectors.spm_summary(year=2025)
    assert len(spm.rows) == 5
    elderly = next(r for r in spm.rows if r.service.code == "SPM-3")
    assert (elderly.target_group, elderly.served, elderly.percent.value) == (220, 215, D("97.73"))
    assert elderly.previous_percent.value == D("95.24")  # 200 / 210 in 2024
    assert (spm.total_target_group, spm.total_served) == (1183, 1178)
    assert spm.total.value == D("99.58")


@pytest.mark.django_db
def test_budget_tree_holds_targets_realizations_and_budget(lebak):
    tree = selectors.budget_tree(year=2025)
    assert [n.item.code for n in tree] == [f"1.06.0{i}" for i in range(1, 8)]
    rehab = next(n for n in tree if n.item.code == "1.06.04")
    assert rehab.sasaran.code == "S2"
    assert rehab.indicators and rehab.indicators[0].indicator.level == "program"
    kegiatan = rehab.children[0]
    assert kegiatan.item.code == "1.06.04.2.01"
    sub = kegiatan.children[0]
    assert sub.line is not None and sub.indicators
    assert sum(sub.budget.months) == sub.budget.realization
    assert rehab.budget.pagu == sum(k.budget.pagu for k in rehab.children)


@pytest.mark.django_db
def test_computed_realization_keeps_its_provenance(lebak):
    indicator = Indicator.objects.get(code="K-1.06.01.2.02")
    result = selectors.indicator_results(year=2025, indicators=[indicator])[0]
    assert result.provenance and "Rp" in result.provenance[-1][2]
    assert result.realization.value == selectors.budget_totals(year=2025).absorption.value


@pytest.mark.django_db
def test_settable_bands_change_the_rating(lebak):
    Band.objects.filter(scale="rating", label="Tinggi").update(lower_bound=D(80))
    summary = selectors.year_summary(year=2025)
    assert summary.rating.label == "Sedang"  # 76,29 is now below Tinggi


@pytest.mark.django_db
def test_only_approved_realizations_count(lebak):
    ikm = Realization.objects.get(indicator__code="IKU-2", year=2025, quarter=4)
    ikm.status = Realization.Status.SUBMITTED
    ikm.save()
    summary = selectors.year_summary(year=2025)
    assert _by_code(summary)["IKU-2"].capaian.value == 0
    assert summary.sasaran[0].capaian.value == 0
    assert summary.pending == 1


@pytest.mark.django_db
def test_summary_reads_in_a_constant_number_of_queries(lebak, django_assert_max_num_queries):
    selectors.performance_settings()  # created on first use
    with django_assert_max_num_queries(25):
        summary = selectors.year_summary(year=2025)
        summary.program_budgets()
    with django_assert_max_num_queries(25):
        selectors.trend(end_year=2025)
    with django_assert_max_num_queries(20):
        selectors.budget_tree(year=2025)


@pytest.mark.django_db
def test_demo_is_idempotent(lebak):
    before = Realization.objects.count()
    demo.seed(stdout=io.StringIO())
    assert Realization.objects.count() == before


@pytest.mark.django_db
def test_summary_export_holds_the_same_figures(lebak):
    from performance.exports import summary_workbook

    workbook = load_workbook(io.BytesIO(summary_workbook(year=2025, basis="latest")))
    rows = list(workbook["Ringkasan"].iter_rows(values_only=True))
    assert rows[2][:4] == ("S1", rows[2][1], D("49.77"), "Sangat Rendah") or (
        rows[2][0] == "S1" and float(rows[2][2]) == 49.77 and rows[2][3] == "Sangat Rendah"
    )
    year_row = rows[-1]
    assert float(year_row[2]) == 76.29 and year_row[3] == "Tinggi"
    assert float(year_row[6]) == 95.29
    assert "SPM" in workbook.sheetnames
