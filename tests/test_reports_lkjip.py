"""The LKjIP of the Lebak demo year: figures from the performance selectors, sentences that
agree with the tables, the check before generation, the fingerprint, narratives, registries."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from performance import demo
from performance import selectors as perf
from reports import services
from reports.contributions import register_lkjip_table, unregister_lkjip_table
from reports.document import document_table, document_tables, fingerprint
from reports.lkjip import build_lkjip, check_lkjip
from reports.models import Narrative, Report, ReportVersion
from reports.tables import TableData, format_cell, num, table_xlsx, text
from welfare.formatting import format_percent

from .factories.reports import finished_version


def _silent(percent, message=""):
    return None


@pytest.fixture
def lebak(regions):
    demo.seed(stdout=io.StringIO())


@pytest.fixture
def document(lebak, users):
    return build_lkjip(2025, users["admin"], _silent)


def _last_value(table, style="total"):
    rows = [r for r in table["rows"] if r["style"] == style]
    return rows[-1]["cells"][-1]["v"]


def test_key_figures_come_from_the_performance_summary(document):
    summary = perf.year_summary(year=2025)
    pk = document_table(document, "pk_dua_tahun")
    assert pk["number"] == "3.2"
    assert D(_last_value(pk)) == summary.capaian.value == D("76.29")
    averages = [D(r["cells"][-1]["v"]) for r in pk["rows"] if r["style"] == "total"]
    assert averages == [D("49.77"), D("102.81"), D("76.29")]
    budget = document_table(document, "anggaran_sasaran")
    total_row = budget["rows"][-1]["cells"]
    assert D(total_row[-2]["v"]) == summary.budget.total.absorption.value
    assert total_row[-1]["v"] == summary.budget.total.effectiveness.label


def test_sentences_agree_with_the_tables(document):
    summary = perf.year_summary(year=2025)
    blocks = document["blocks"]
    sentences = [item for b in blocks if b["type"] == "list" for item in b["items"]]
    joined = " ".join(sentences)
    assert "Capaian Indikator Kinerja Utama (IKU) tahun 2025 berkategori Tinggi" in joined
    assert "76,29%" in joined
    pk = document_table(document, "pk_dua_tahun")
    cells_by_indicator = {r["cells"][2]["v"]: r["cells"] for r in pk["rows"] if r["style"] == ""}
    for result in summary.indicators:
        sentence = next(
            s
            for s in sentences
            if s.startswith(f"Capaian indikator {result.indicator.name} sebesar")
        )
        shown = format_cell(cells_by_indicator[result.indicator.name][-1]) + "%"
        assert shown == format_percent(result.capaian.value)
        assert f"sebesar {shown}" in sentence
        if result.previous and result.previous.capaian.computed and result.capaian.computed:
            assert "dibandingkan tahun 2024" in sentence


def test_structure_follows_the_lkjip(document):
    chapters = [b for b in document["blocks"] if b["type"] == "chapter"]
    assert [c["number"] for c in chapters] == ["I", "II", "III", "IV", ""]
    assert [c["title"] for c in chapters] == [
        "PENDAHULUAN",
        "PERENCANAAN KINERJA",
        "AKUNTABILITAS KINERJA",
        "PENUTUP",
        "LAMPIRAN",
    ]
    fronts = [b["title"] for b in document["blocks"] if b["type"] in ("front", "toc", "lot", "loc")]
    assert fronts == [
        "Kata Pengantar",
        "Ringkasan Eksekutif",
        "Daftar Isi",
        "Daftar Tabel",
        "Daftar Grafik",
    ]
    keys = [t["key"] for t in document_tables(document)]
    for key in (
        "perjanjian_kinerja",
        "iku_triwulan",
        "target_akhir_renstra",
        "efisiensi",
        "anggaran_subkegiatan",
        "spm",
        "tksk_relawan",
        "lks_akreditasi",
        "korban_bencana",
        "program_1.06.02",
        "subkegiatan_1.06.02",
    ):
        assert key in keys, key
    # contributed tables sit after their program's tables
    assert keys.index("tksk_relawan") > keys.index("subkegiatan_1.06.02")
    numbers = [t["number"] for t in document_tables(document)]
    assert len(numbers) == len(set(numbers))
    quarters = document_table(document, "iku_triwulan")
    assert quarters["orientation"] == "landscape"


def test_same_data_same_fingerprint_and_a_change_shows(lebak, users):
    first = fingerprint(build_lkjip(2025, users["admin"], _silent))
    assert fingerprint(build_lkjip(2025, users["admin"], _silent)) == first
    services.narrative_save(
        actor=users["operator"],
        year=2025,
        section="isu_strategis",
        text="Kemiskinan ekstrem di wilayah selatan.",
        expected_version=None,
    )
    changed = build_lkjip(2025, users["admin"], _silent)
    assert fingerprint(changed) != first
    assert any(
        b["type"] == "narrative" and b["text"] == "Kemiskinan ekstrem di wilayah selatan."
        for b in changed["blocks"]
    )


def test_the_check_lists_missing_and_inconsistent_data(lebak, users):
    problems = check_lkjip(2025, users["admin"])
    messages = [p.message for p in problems]
    assert any("Nilai SAKIP Perangkat Daerah" in m and "Triwulan IV" in m for m in messages), (
        messages
    )
    assert any("di atas 100%" in m for m in messages), messages
    assert any(p.severity == "warning" and "templat" in p.message for p in problems)


def test_generation_with_problems_needs_the_draft_choice(lebak, users):
    with pytest.raises(services.CheckFailed) as caught:
        services.report_generate(actor=users["operator"], kind="lkjip", year=2025)
    assert caught.value.problems
    assert not ReportVersion.objects.exists()
    version = services.report_generate(
        actor=users["operator"], kind="lkjip", year=2025, allow_draft=True
    )
    assert version.status == ReportVersion.Status.PENDING and version.job_id
    assert version.problems and version.number == 1
    with pytest.raises(PermissionDenied):
        services.report_generate(actor=users["auditor"], kind="lkjip", year=2025)


def test_only_the_kepala_dinas_approves_and_then_it_is_frozen(regions, users, monkeypatch):
    version = finished_version(user=users["operator"])
    monkeypatch.setattr("reports.rendering.render_pdf", lambda doc, draft: (b"%PDF final", 1))
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=users["kepala_bidang"], version=version)
    services.report_approve(actor=users["kepala_dinas"], version=version)
    report = Report.objects.get(pk=version.report_id)
    assert report.approved_version_id == version.pk and report.approved_by == users["kepala_dinas"]
    assert ReportVersion.objects.get(pk=version.pk).final_file.read() == b"%PDF final"
    with pytest.raises(ValidationError):
        services.report_generate(actor=users["admin"], kind="lkjip", year=2025, allow_draft=True)
    with pytest.raises(ValidationError):
        services.narrative_save(
            actor=users["operator"], year=2025, section="sdm", text="x", expected_version=None
        )


def test_contributed_table_is_numbered_and_exported(lebak, users):
    def dtsen(year, user):
        table = TableData(
            key="dtsen", title=f"Rekap DTSEN {year}", header=[[text("Kecamatan"), text("Desil 1")]]
        )
        table.add(text("Rangkasbitung"), num(1234))
        return table

    register_lkjip_table(
        "dtsen", title="DTSEN", builder=dtsen, program="1.06.05", orientation="landscape"
    )
    try:
        doc = build_lkjip(2025, users["admin"], _silent)
    finally:
        unregister_lkjip_table("dtsen")
    table = document_table(doc, "dtsen")
    assert table["number"].startswith("3.") and table["orientation"] == "landscape"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert sheet["A1"].value == f"Tabel {table['number']} Rekap DTSEN 2025"
    assert sheet["B4"].value == 1234


def test_narrative_editor_starts_from_the_template_and_saves(lebak, users, client_for):
    client = client_for(users["operator"])
    page = client.get("/laporan/lkjip/2025/narasi/isu_strategis/")
    assert page.status_code == 200
    assert "isu strategis" in page.content.decode().lower()
    response = client.post(
        "/laporan/lkjip/2025/narasi/isu_strategis/", {"text": "Teks isu.", "version": ""}
    )
    assert response.status_code == 302
    narrative = Narrative.objects.get(year=2025, section="isu_strategis")
    assert narrative.text == "Teks isu."
    stale = client.post(
        "/laporan/lkjip/2025/narasi/isu_strategis/", {"text": "Lama", "version": "0"}
    )
    assert stale.status_code == 409
    assert Narrative.objects.get(pk=narrative.pk).text == "Teks isu."
    assert client_for(users["tksk"]).get("/laporan/lkjip/2025/narasi/").status_code == 403


def test_report_page_shows_the_check_and_offers_a_draft(lebak, users, client_for):
    page = client_for(users["operator"]).get("/laporan/lkjip/2025/").content.decode()
    assert "Nilai SAKIP Perangkat Daerah" in page
    assert 'name="allow_draft"' in page
    response = client_for(users["operator"]).post("/laporan/lkjip/2025/buat/", {})
    assert response.status_code == 302 and not ReportVersion.objects.exists()


def test_table_xlsx_download_holds_the_table_data(regions, users, client_for):
    version = finished_version(user=users["admin"])
    response = client_for(users["auditor"]).get(f"/laporan/versi/{version.pk}/tabel/3.1/")
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A4"].value == "baris" and sheet["B4"].value == 5
    everything = client_for(users["auditor"]).get(f"/laporan/versi/{version.pk}/tabel/semua/")
    assert load_workbook(io.BytesIO(everything.content)).sheetnames == ["Tabel 3.1"]
    missing = client_for(users["auditor"]).get(f"/laporan/versi/{version.pk}/tabel/9.9/")
    assert missing.status_code == 404


def test_api_starts_a_job_and_reports_status(lebak, users, api_for):
    api = api_for(users["operator"])
    refused = api.post("/api/v1/reports/", {"kind": "lkjip", "year": 2025}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"]["problems"]
    started = api.post(
        "/api/v1/reports/", {"kind": "lkjip", "year": 2025, "allow_draft": True}, format="json"
    )
    assert started.status_code == 202
    body = started.json()
    assert body["status"] == "pending" and body["download_url"] is None
    detail = api.get(f"/api/v1/reports/{body['id']}/").json()
    assert detail["kind"] == "lkjip" and detail["year"] == 2025
    assert (
        api.post("/api/v1/reports/", {"kind": "x", "year": 2025}, format="json").status_code == 400
    )
    client = api_for(users["api_client"])
    assert (
        client.post("/api/v1/reports/", {"kind": "lkjip", "year": 2025}, format="json").status_code
        == 403
    )
    assert client.get(f"/api/v1/reports/{body['id']}/").status_code == 404


def test_cover_shows_the_agency_logo_and_it_counts_in_the_fingerprint(lebak, users):
    from django.core.files.base import ContentFile

    from reports.rendering import render_html
    from welfare.selectors import agency_get

    before = fingerprint(build_lkjip(2025, users["admin"], _silent))
    agency = agency_get()
    image = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (40, 40), "navy").save(image, "PNG")
    agency.logo.save("logo-uji.png", ContentFile(image.getvalue()), save=True)
    document = build_lkjip(2025, users["admin"], _silent)
    assert document["meta"]["logo"] == agency.logo.name
    assert fingerprint(document) != before
    html = render_html(document, draft=True)
    assert f'<img class="logo" src="{agency.logo.name}"' in html
    assert agency.name in html and "DRAFT" in html
    assert "<h1>LAPORAN KINERJA</h1>" in html
    assert "DRAFT" not in render_html(document, draft=False).split("<body>", 1)[1][:200]


def test_editor_starts_from_last_years_text(lebak, users, client_for):
    services.narrative_save(
        actor=users["operator"],
        year=2024,
        section="sdm",
        text="Pegawai 2024.",
        expected_version=None,
    )
    page = client_for(users["operator"]).get("/laporan/lkjip/2025/narasi/sdm/").content.decode()
    assert "Pegawai 2024." in page
    document = build_lkjip(2025, users["admin"], _silent)
    assert not any(b.get("text") == "Pegawai 2024." for b in document["blocks"])
