"""The performance pages: the dashboard, the tree, the entry and approval forms, settings,
exports; in Bahasa Indonesia with Indonesian formats and no inline code."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from performance import clock, demo
from performance import selectors as performance_selectors
from performance.models import (
    Agreement,
    AgreementTarget,
    Band,
    BudgetLine,
    Indicator,
    Realization,
    SpmAchievement,
)

from .factories.performance import PDF_BYTES, small_plan


@pytest.fixture
def lebak(regions):
    demo.seed(stdout=io.StringIO())


@pytest.fixture
def plan(regions, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2025, 4, 10))
    return small_plan()


def assert_clean(html: str, url: str) -> None:
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script, f"inline script on {url}: {script}"
    assert "<style" not in html, f"inline style element on {url}"
    assert not re.search(r"\sstyle=", html), f"style attribute on {url}"
    assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"


@pytest.mark.django_db
def test_dashboard_shows_the_year_in_indonesian(lebak, users, client_for):
    response = client_for(users["kepala_dinas"]).get("/kinerja/?year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kinerja 2025" in html
    assert "76,29%" in html and "Tinggi" in html
    assert "49,77%" in html and "Sangat Rendah" in html and "102,81%" in html
    assert "99,54%" in html and "Rp11.778.490.236" in html and "95,29%" in html
    assert "Realisasi belum tersedia. Hasil evaluasi SAKIP" in html
    # The indicator without realization (Nilai SAKIP) keeps its band, muted with the reason;
    # a realized one (IKM, 99,54 %) keeps its colour.
    rows = dict(re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', html, re.S))
    assert re.search(
        r'badge text-bg-light border text-secondary" title="Realisasi belum tersedia\.[^"]*">'
        r"Sangat Rendah<",
        rows["IKU-1"],
    )
    assert '<span class="badge text-bg-success">Sangat Tinggi</span>' in rows["IKU-2"]
    assert "2.025" not in html  # years are not written as numbers with a separator
    assert 'data-chart-url="/kinerja/grafik/?year=2025&amp;basis=latest"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html and "js/performance.js" in html
    murni = client_for(users["kepala_dinas"]).get("/kinerja/?year=2025&basis=murni")
    assert "76,13%" in murni.content.decode()


@pytest.mark.django_db
def test_chart_data_for_the_five_year_trend(lebak, users, client_for):
    data = client_for(users["auditor"]).get("/kinerja/grafik/?year=2025").json()
    assert data["years"] == [2021, 2022, 2023, 2024, 2025]
    assert data["capaian"][-1] == 76.29
    assert data["absorption"][-1] == 95.29
    assert {i["code"] for i in data["indicators"]} == {"IKU-1", "IKU-2", "IKU-3", "IKU-4"}


@pytest.mark.django_db
def test_no_page_has_inline_code(lebak, users, client_for):
    client = client_for(users["admin"])
    indicator = Indicator.objects.get(code="IKU-2", renstra__start_year=2025)
    agreement = Agreement.objects.get(year=2025, revision=1)
    line = BudgetLine.objects.filter(year=2025).first()
    urls = [
        "/kinerja/?year=2025",
        "/kinerja/renstra/",
        f"/kinerja/renstra/{indicator.renstra_id}/",
        f"/kinerja/renstra/{indicator.renstra_id}/indikator/tambah/",
        "/kinerja/indikator/?year=2025",
        f"/kinerja/indikator/{indicator.pk}/?year=2025",
        f"/kinerja/indikator/{indicator.pk}/ubah/",
        "/kinerja/pk/?year=2025",
        f"/kinerja/pk/{agreement.pk}/",
        f"/kinerja/pk/{agreement.pk}/target/?level=sasaran",
        "/kinerja/realisasi/?year=2026&quarter=3",
        f"/kinerja/realisasi/{indicator.pk}/2025/4/",
        "/kinerja/anggaran/?year=2025",
        f"/kinerja/anggaran/{line.pk}/",
        "/kinerja/spm/?year=2025",
        "/kinerja/spm/2025/ubah/",
        "/kinerja/pengaturan/",
        "/kinerja/impor/",
        "/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_clean(html, url)
        assert "2.025" not in html and "2.026" not in html, url


@pytest.mark.django_db
def test_tksk_has_no_performance_pages_or_menu(lebak, users, client_for):
    assert client_for(users["tksk"]).get("/kinerja/").status_code == 403
    assert "/kinerja/" not in client_for(users["tksk"]).get("/").content.decode()
    home = client_for(users["operator"]).get("/").content.decode()
    assert "/kinerja/" in home


@pytest.mark.django_db
def test_budget_tree_page(lebak, users, client_for):
    html = client_for(users["auditor"]).get("/kinerja/anggaran/?year=2025").content.decode()
    assert "1.06.04.2.01.0001" in html and "Penyediaan Permakanan" in html
    assert "Rp11.358.438.794" in html and "Rp11.223.919.920" in html
    assert "Jumlah PPKS yang mendapatkan permakanan" in html


@pytest.mark.django_db
def test_operator_enters_on_the_page_and_head_approves(plan, users, client_for):
    url = f"/kinerja/realisasi/{plan.count.pk}/2025/1/"
    operator = client_for(users["operator"])
    page = operator.get(url).content.decode()
    assert "Simpan dan ajukan untuk disetujui" in page
    response = operator.post(
        url,
        {"value": "18", "obstacles": "Akses jalan", "submit": "1",
         "evidence": SimpleUploadedFile("daftar-hadir.pdf", PDF_BYTES)},
    )  # fmt: skip
    assert response.status_code == 302
    row = Realization.objects.get(indicator=plan.count, year=2025, quarter=1)
    assert row.status == "submitted" and row.evidence.count() == 1
    head = client_for(users["kepala_bidang"])
    page = head.get(url).content.decode()
    assert "Setujui" in page and "daftar-hadir.pdf" in page
    head.post(f"{url}tinjau/", {"decision": "approve", "version": row.version, "note": ""})
    row.refresh_from_db()
    assert row.status == "approved"


@pytest.mark.django_db
def test_entry_page_keeps_input_and_says_what_is_wrong(plan, users, client_for):
    url = f"/kinerja/realisasi/{plan.count.pk}/2025/1/"
    response = client_for(users["operator"]).post(url, {"value": "18,5", "submit": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lampirkan paling sedikit satu berkas bukti dukung" in html
    assert 'value="18,5"' in html
    assert not Realization.objects.exists()
    other = client_for(users["operator_other_bidang"]).post(url, {"value": "1"})
    assert other.status_code == 403


@pytest.mark.django_db
def test_a_stale_form_gets_409_and_keeps_the_input(plan, users, client_for):
    client = client_for(users["admin"])
    url = f"/kinerja/indikator/{plan.count.pk}/ubah/"
    form = {
        "level": "sasaran", "sasaran": plan.sasaran.pk, "code": "IND-A",
        "name": "Nama baru yang diketik", "unit": "Orang", "bidang": plan.count.bidang_id,
        "direction": "higher", "lower_formula": "ratio", "aggregation": "sum", "order": 0,
        "version": plan.count.version, "target_2025": "100",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "name": "Perubahan kedua"})
    assert stale.status_code == 409
    assert "Perubahan kedua" in stale.content.decode()
    assert Indicator.objects.get(pk=plan.count.pk).name == "Nama baru yang diketik"


@pytest.mark.django_db
def test_agreement_pages_create_revise_and_edit_targets(plan, users, client_for):
    admin = client_for(users["admin"])
    response = admin.post(
        f"/kinerja/pk/{plan.agreement.pk}/perubahan/", {"reason": "Perubahan APBD 2025"}
    )
    revision = Agreement.objects.get(year=2025, revision=1)
    assert response.status_code == 302 and revision.based_on == plan.agreement
    url = f"/kinerja/pk/{revision.pk}/target/?level=sasaran"
    targets = {t.indicator_id: t for t in revision.targets.all()}
    data = {"t-TOTAL_FORMS": 2, "t-INITIAL_FORMS": 2}
    for n, indicator in enumerate([plan.count, plan.rate]):
        data |= {f"t-{n}-indicator": indicator.pk, f"t-{n}-version": targets[indicator.pk].version}
    data |= {"t-0-target": "120", "t-0-q1": "30", "t-0-q2": "30", "t-0-q3": "30", "t-0-q4": "20"}
    data |= {"t-1-target": "8,1", "t-1-q4": "8,1"}
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "110" in response.content.decode()  # the quarters add up to 110, not 120
    data["t-0-q4"] = "30"
    assert admin.post(url, data).status_code == 302
    assert AgreementTarget.objects.get(agreement=revision, indicator=plan.rate).target == Decimal(
        "8.1"
    )
    assert AgreementTarget.objects.get(agreement=plan.agreement, indicator=plan.count).target == 100


@pytest.mark.django_db
def test_administrator_sets_bands_and_lock_days_on_a_page(lebak, users, client_for):
    client = client_for(users["admin"])
    page = client.get("/kinerja/pengaturan/").content.decode()
    assert "Sangat Tinggi" in page and "Permendagri 86/2017" in page
    rows = [("Sangat Tinggi", "91"), ("Tinggi", "80"), ("Sedang", "66"), ("Rendah", "51"),
            ("Sangat Rendah", "")]  # fmt: skip
    data = {"s-lock_days": 20, "s-evidence_max_mb": 5, "s-version": 1}
    data |= {"rating-TOTAL_FORMS": 5, "rating-INITIAL_FORMS": 5}
    for n, (label, bound) in enumerate(rows):
        data |= {f"rating-{n}-label": label, f"rating-{n}-lower_bound": bound,
                 f"rating-{n}-lower_inclusive": "on", f"rating-{n}-tone": "primary"}  # fmt: skip
    effective = list(Band.objects.filter(scale="effectiveness"))
    data |= {"eff-TOTAL_FORMS": len(effective), "eff-INITIAL_FORMS": len(effective)}
    for n, band in enumerate(effective):
        data |= {f"eff-{n}-label": band.label,
                 f"eff-{n}-lower_bound": "" if band.lower_bound is None else str(band.lower_bound),
                 f"eff-{n}-tone": band.tone}  # fmt: skip
        if band.lower_inclusive:
            data[f"eff-{n}-lower_inclusive"] = "on"
    response = client.post("/kinerja/pengaturan/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get("/kinerja/?year=2025").content.decode()
    assert "Sedang" in html  # 76,29 now falls below Tinggi (80)
    assert Band.objects.get(scale="effectiveness", label="Sangat Efektif").lower_inclusive is False
    data["rating-4-lower_bound"] = "10"  # no lowest band any more
    data["s-version"] = 2
    response = client.post("/kinerja/pengaturan/", data)
    assert "Tepat satu kategori harus tanpa batas bawah" in response.content.decode()
    assert client_for(users["kepala_dinas"]).get("/kinerja/pengaturan/").status_code == 403


@pytest.mark.django_db
def test_budget_and_spm_forms(lebak, users, client_for):
    client = client_for(users["admin"])
    line = BudgetLine.objects.get(year=2026, sub_kegiatan__code="1.06.04.2.01.0001")
    form = {"bidang": line.bidang_id, "pagu_murni": "65.000.000", "pagu_perubahan": "",
            "m11": "1.250.000,50", "version": line.version}  # fmt: skip
    assert client.post(f"/kinerja/anggaran/{line.pk}/", form).status_code == 302
    line.refresh_from_db()
    assert line.pagu_murni == 65000000 and line.pagu_perubahan is None
    assert line.months.get(month=11).amount == 1250000.5
    services = list(SpmAchievement.objects.none().model._meta.apps.get_model(
        "performance", "SpmService").objects.order_by("order"))  # fmt: skip
    data = {"spm-TOTAL_FORMS": 5, "spm-INITIAL_FORMS": 5}
    for n, service in enumerate(services):
        data |= {f"spm-{n}-service": service.pk, f"spm-{n}-target_group_count": 10,
                 f"spm-{n}-served_count": 9}  # fmt: skip
    data["spm-0-served_count"] = 12
    response = client.post("/kinerja/spm/2026/ubah/", data)
    assert response.status_code == 200 and "melebihi" in response.content.decode()
    data["spm-0-served_count"] = 10
    assert client.post("/kinerja/spm/2026/ubah/", data).status_code == 302
    assert SpmAchievement.objects.filter(year=2026).count() == 5
    html = client.get("/kinerja/spm/?year=2026").content.decode()
    assert "92,00%" in html  # 46 of 50


@pytest.mark.django_db
def test_every_table_exports_to_xlsx(lebak, users, client_for):
    client = client_for(users["auditor"])
    for table in ("ringkasan", "indikator", "pk", "anggaran", "spm", "realisasi", "rencana",
                  "anggaran-impor"):  # fmt: skip
        response = client.get(f"/kinerja/ekspor/{table}/?year=2025")
        assert response.status_code == 200, table
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames, table
    assert client_for(users["api_client"]).get("/kinerja/ekspor/spm/?year=2025").status_code == 403
    assert client.get("/kinerja/ekspor/tidak-ada/").status_code == 404


@pytest.mark.django_db
def test_home_panel_shows_the_current_year(lebak, users, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2025, 12, 31))
    html = client_for(users["kepala_bidang"]).get("/").content.decode()
    assert "Kinerja 2025" in html and "76,29%" in html


@pytest.mark.django_db
def test_home_panel_before_the_first_realization_shows_the_last_year(
    lebak, users, client_for, monkeypatch
):
    """In 2026 the demo's IKU have no approved realization yet (they are measured at the
    year's end): the panel does not call the year's 0 % an achievement (Sangat Rendah) but
    says so, beside the last year's achievement and this year's budget absorption."""
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2026, 12, 7))
    html = client_for(users["kepala_dinas"]).get("/").content.decode()
    panel = html[html.index("Kinerja 2026") :]
    assert "Belum ada realisasi indikator tahun 2026 yang disetujui." in panel
    assert "Capaian 2025" in panel and "76,29%" in panel and "Tinggi" in panel
    assert "0,00%" not in panel and "Sangat Rendah" not in panel
    absorption = performance_selectors.year_summary(year=2026).budget.total.absorption.value
    assert f"{absorption:.2f}".replace(".", ",") + "%" in panel
    assert "Serapan anggaran 2026" in panel
    assert not performance_selectors.year_summary(year=2026).realized
    assert performance_selectors.year_summary(year=2025).realized


@pytest.mark.django_db
def test_dashboard_of_a_year_without_an_approved_realization(lebak, users, client_for, monkeypatch):
    """The year's headline and its point of the five-year trend say that nothing is realized
    yet instead of a 0 % (Sangat Rendah); each indicator keeps its 0 % with the reason."""
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2026, 12, 7))
    client = client_for(users["kepala_dinas"])
    html = client.get("/kinerja/?year=2026").content.decode()
    headline = html[html.index('data-figure="year-capaian"') :][:400]
    assert ">-</div>" in headline
    assert "Belum ada realisasi indikator tahun 2026 yang disetujui." in headline
    assert "Realisasi belum tersedia." in html  # the indicators' own 0 % and its reason
    assert "text-bg-danger" not in html  # no red alarm for what has not come in yet
    headers = re.findall(r'<div class="card-header d-flex[^"]*">(.*?)</div>', html, re.S)
    objectives = [h for h in headers if "Sasaran S" in h]
    assert len(objectives) == 2
    assert all("belum ada realisasi yang disetujui" in h for h in objectives)
    assert not any("Sangat Rendah" in h for h in objectives)
    trend = performance_selectors.trend(end_year=2026)
    assert trend.points[-1].year == 2026 and trend.points[-1].capaian is None
    assert trend.points[-2].capaian.value == Decimal("76.29")
    assert trend.points[-1].budget.pagu > 0  # the budget of the year is still shown
    chart = client.get("/kinerja/grafik/?year=2026").json()
    assert chart["capaian"][-1] is None and chart["capaian"][-2] == 76.29


@pytest.mark.django_db
def test_admin_reopens_a_quarter_from_the_indicator_page(lebak, users, client_for, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2026, 11, 23))
    indicator = Indicator.objects.get(code="SK-1.06.02.2.03.0002")
    url = f"/kinerja/indikator/{indicator.pk}/buka-kunci/"
    client = client_for(users["admin"])
    response = client.post(url, {"year": 2026, "quarter": 3, "days": 7,
                                 "reason": "Bukti pelatihan TKSK menyusul."})  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/kinerja/indikator/{indicator.pk}/?year=2026").content.decode()
    assert "Bukti pelatihan TKSK menyusul." in page and "30 November 2026" in page
    assert client_for(users["kepala_dinas"]).post(url, {}).status_code == 403


@pytest.mark.django_db
def test_the_menu_marks_the_section_of_every_page(lebak, users, client_for):
    client = client_for(users["admin"])
    indicator = Indicator.objects.get(code="IKU-3", renstra__start_year=2025)
    for url, section in (
        ("/kinerja/?year=2025", "Dasbor"),
        ("/kinerja/realisasi/?year=2025", "Realisasi"),
        (f"/kinerja/indikator/{indicator.pk}/?year=2025", "Indikator"),
        ("/kinerja/anggaran/?year=2025", "Anggaran"),
        ("/kinerja/spm/?year=2025", "SPM"),
    ):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
        active = re.findall(r'<a class="nav-link active"[^>]*>([^<]+)</a>', html)
        assert active == [section], (url, active)


@pytest.mark.django_db
def test_what_awaits_approval_is_linked_to_the_quarter_that_holds_it(
    lebak, users, client_for, monkeypatch
):
    """In December the demo's submitted realizations are of quarter III: the home panel, the
    dashboard and the work list of quarter IV lead there instead of to an empty list."""
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2026, 12, 7))
    client = client_for(users["kepala_dinas"])
    waiting = performance_selectors.pending_by_quarter(user=users["kepala_dinas"])
    assert [(q.year, q.quarter, q.count) for q in waiting] == [(2026, 3, 3)]
    home = client.get("/").content.decode()
    link = re.search(r'href="(/kinerja/realisasi/[^"]*)">3 realisasi menunggu', home)
    assert link and "quarter=3" in link.group(1), home[home.index("Kinerja 2026") :][:1500]
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert listed.count("Menunggu persetujuan</span>") == 3
    dashboard = client.get("/kinerja/?year=2026").content.decode()
    assert "Tinjau triwulan III (3)" in dashboard
    fourth = client.get("/kinerja/realisasi/?year=2026&quarter=4&status=submitted").content.decode()
    assert "Juga menunggu persetujuan Anda:" in fourth
    assert "?year=2026&amp;quarter=3&amp;status=submitted" in fourth
