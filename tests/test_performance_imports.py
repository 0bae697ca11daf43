"""XLSX templates and imports: check -> report (sheet, row, column, message) -> save, all or
nothing, from the page (a background job), the management command and the API."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from accounts.access import Role
from performance import clock, spreadsheets
from performance.models import (
    Agreement,
    AgreementTarget,
    BudgetLine,
    Indicator,
    Realization,
    Renstra,
    SubKegiatan,
)
from welfare.models import Job

from .factories import make_user
from .factories.performance import small_plan, xlsx


@pytest.fixture
def planner(regions):
    return make_user(Role.OPERATOR, username="t.perencana", bidang_code="sekretariat")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2025, 4, 10))


PLAN = {
    "Renstra": [
        ["nama", "tahun_awal", "tahun_akhir", "bidang", "visi", "misi", "dasar_hukum"],
        ["Renstra Dinsos 2025-2029", 2025, 2029, "sekretariat", "Lebak sejahtera", "", ""],
    ],
    "Tujuan": [["kode", "pernyataan", "urutan"], ["T1", "Meningkatnya kesejahteraan", 1]],
    "Sasaran": [
        ["kode", "kode_tujuan", "pernyataan", "program", "urutan"],
        ["S1", "T1", "Meningkatnya kesejahteraan sosial", "1.06.04, 1.06.05", 1],
    ],
    "Indikator": [
        ["kode", "nama", "tingkat", "induk", "satuan", "bidang", "arah", "rumus_turun",
         "agregasi", "iku", "target_2025", "target_2026", "target_2029"],
        ["IKU-1", "Tingkat Kemiskinan", "sasaran", "S1", "%", "linjamsos", "turun",
         "target/realisasi", "terakhir", "ya", "8,27", "8,02", "7,39"],
        ["P-1", "Persentase PPKS tertangani", "program", "1.06.04", "%", "rehsos", "naik", "",
         "pembilang/penyebut", "tidak", 90, 92, 95],
    ],
    "Target PK": [
        ["tahun", "versi", "kode_indikator", "target", "tw1", "tw2", "tw3", "tw4",
         "alasan_perubahan"],
        [2025, "murni", "IKU-1", "8,27", None, None, None, "8,27", None],
        [2025, "perubahan", "IKU-1", "8,23", None, None, None, "8,23", "Rilis BPS"],
    ],
}  # fmt: skip


def run(kind, sheets, actor, commit=True):
    return spreadsheets.run_import(kind=kind, file=xlsx(sheets), actor=actor, commit=commit)


@pytest.mark.django_db
def test_a_plan_imports_in_one_go(planner):
    report = run("plan", PLAN, planner)
    assert report.ok, report.problems
    assert report.committed
    renstra = Renstra.objects.get(start_year=2025)
    poverty = Indicator.objects.get(renstra=renstra, code="IKU-1")
    assert (poverty.direction, poverty.aggregation, poverty.is_iku) == ("lower", "last", True)
    assert dict(poverty.renstra_targets.values_list("year", "value")) == {
        2025: D("8.27"), 2026: D("8.02"), 2029: D("7.39"),
    }  # fmt: skip
    assert set(renstra.sasaran.get().programs.values_list("code", flat=True)) == {
        "1.06.04", "1.06.05",
    }  # fmt: skip
    murni, perubahan = Agreement.objects.filter(year=2025).order_by("revision")
    assert AgreementTarget.objects.get(agreement=murni, indicator=poverty).target == D("8.27")
    assert AgreementTarget.objects.get(agreement=perubahan, indicator=poverty).target == D("8.23")
    assert perubahan.reason == "Rilis BPS"
    again = run("plan", PLAN, planner)  # importing the same file again changes nothing new
    assert again.ok and Indicator.objects.filter(renstra=renstra).count() == 2


@pytest.mark.django_db
def test_a_check_saves_nothing(planner):
    report = run("plan", PLAN, planner, commit=False)
    assert report.ok and not report.committed and report.rows == 7
    assert not Renstra.objects.exists()
    assert "belum ada yang disimpan" in report.summary().lower() or report.summary()


@pytest.mark.django_db
def test_problems_name_sheet_row_and_column_and_nothing_is_saved(planner):
    sheets = {**PLAN}
    sheets["Indikator"] = [
        PLAN["Indikator"][0],
        PLAN["Indikator"][1],
        ["P-2", "Tanpa bidang", "program", "1.06.04", "Orang", "keuangan", "naik", "", "jumlah",
         "tidak", "sepuluh", 1, 1],
        ["P-3", "Rata-rata persen", "program", "1.06.99", "%", "rehsos", "naik", "", "rata-rata",
         "tidak", 1, 1, 1],
    ]  # fmt: skip
    report = run("plan", sheets, planner)
    assert not report.committed
    assert not Renstra.objects.exists()  # the valid rows were rolled back too
    problems = {(p.sheet, p.row, p.column) for p in report.problems}
    assert ("Indikator", 3, "bidang") in problems
    assert ("Indikator", 4, "induk") in problems
    messages = " ".join(p.message for p in report.problems)
    assert "keuangan" in messages and "1.06.99" in messages


@pytest.mark.django_db
def test_a_missing_column_and_a_wrong_number_are_reported(planner):
    plan = small_plan()
    sheets = {
        "Realisasi": [
            ["tahun", "kode_indikator", "realisasi"],  # no "triwulan"
            [2025, "IND-A", "dua puluh"],
        ]
    }
    report = run("realization", sheets, make_user(Role.OPERATOR, username="t.op.l"))
    columns = {(p.row, p.column) for p in report.problems}
    assert (1, "triwulan") in columns
    assert plan.count.realizations.count() == 0


@pytest.mark.django_db
def test_realizations_import_as_drafts_of_the_own_division(regions, users):
    plan = small_plan()
    Realization.objects.create(indicator=plan.rate, year=2025, quarter=1, status="approved",
                               value=D("8.4"))  # fmt: skip
    header = ["tahun", "triwulan", "kode_indikator", "realisasi", "faktor_penghambat"]
    report = run(
        "realization",
        {"Realisasi": [header, [2025, 1, "IND-A", "18", "Jalan rusak"],
                       [2025, "1", "IND-B", "8,1", ""]]},
        users["operator"],
    )  # fmt: skip
    assert not report.ok
    assert report.problems[0].row == 3  # the approved one is not changed
    assert not plan.count.realizations.exists()
    report = run(
        "realization",
        {"Realisasi": [header, [2025, 1, "IND-A", "18", "Jalan rusak"]]},
        users["operator"],
    )
    assert report.committed
    row = plan.count.realizations.get()
    assert (row.status, row.value, row.obstacles) == ("draft", 18, "Jalan rusak")
    other = run(
        "realization",
        {"Realisasi": [header, [2025, 2, "IND-A", "5", ""]]},
        users["operator_other_bidang"],
    )
    assert not other.ok and "bidang" in other.problems[0].message.lower()


@pytest.mark.django_db
def test_budget_imports_with_indonesian_numbers(regions, planner):
    small_plan()
    header = ["tahun", "kode_sub_kegiatan", "nama_sub_kegiatan", "bidang", "pagu_murni",
              "pagu_perubahan", "jan", "feb", "mar"]  # fmt: skip
    report = run(
        "budget",
        {"Anggaran": [
            header,
            [2025, "1.06.04.2.01.0001", "", "rehsos", "60.025.000", "62.000.000,50", 5000000,
             "4.500.000", None],
            [2025, "1.06.04.2.01.0099", "Layanan Baru Uji", "rehsos", 1000, None, None, None, None],
        ]},
        planner,
    )  # fmt: skip
    assert report.ok, report.problems
    line = BudgetLine.objects.get(sub_kegiatan__code="1.06.04.2.01.0001")
    assert (line.pagu_murni, line.pagu_perubahan) == (D("60025000"), D("62000000.50"))
    assert list(line.months.values_list("month", "amount")) == [(1, 5000000), (2, 4500000)]
    assert SubKegiatan.objects.get(code="1.06.04.2.01.0099").kegiatan.code == "1.06.04.2.01"
    bad = run(
        "budget",
        {"Anggaran": [header, [2025, "9.99.99.2.01.0001", "", "rehsos", 1, None, None, None,
                               None]]},
        planner,
    )  # fmt: skip
    assert bad.problems[0].column == "kode_sub_kegiatan"


@pytest.mark.django_db
def test_templates_round_trip(regions, planner):
    plan = small_plan()
    content = spreadsheets.plan_template(plan.renstra)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Petunjuk", "Renstra", "Tujuan", "Sasaran", "Indikator",
                                   "Target PK"]  # fmt: skip
    assert "target_2029" in [c.value for c in workbook["Indikator"][1]]
    report = spreadsheets.run_import(
        kind="plan", file=io.BytesIO(content), actor=planner, commit=True
    )
    assert report.ok, report.problems
    assert report.counts["Indikator diperbarui"] == 2
    empty = load_workbook(io.BytesIO(spreadsheets.budget_template(None)))
    assert [c.value for c in empty["Anggaran"][1]][:5] == [
        "tahun", "kode_sub_kegiatan", "nama_sub_kegiatan", "bidang", "pagu_murni",
    ]  # fmt: skip


@pytest.mark.django_db
def test_not_a_workbook(planner):
    report = spreadsheets.run_import(
        kind="plan", file=io.BytesIO(b"nama,tahun\n"), actor=planner, commit=True
    )
    assert not report.ok and "XLSX" in report.problems[0].message


@pytest.mark.django_db
def test_management_command(regions, planner, tmp_path):
    path = tmp_path / "rencana.xlsx"
    path.write_bytes(xlsx(PLAN).getvalue())
    out = io.StringIO()
    call_command("performance_import", "plan", str(path), "--user", planner.username, stdout=out)
    assert not Renstra.objects.exists()  # a check unless --commit
    call_command(
        "performance_import", "plan", str(path), "--user", planner.username, "--commit",
        stdout=out,
    )  # fmt: skip
    assert Renstra.objects.filter(start_year=2025).exists()
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(xlsx({"Renstra": [["nama"], ["x"]]}).getvalue())
    with pytest.raises(CommandError):
        call_command("performance_import", "plan", str(bad), "--user", planner.username,
                     stdout=io.StringIO())  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_page_import_runs_as_a_job_then_saves_on_request(regions, client_for):
    planner = make_user(Role.OPERATOR, username="t.perencana.job", bidang_code="sekretariat")
    client = client_for(planner)
    upload = SimpleUploadedFile("rencana.xlsx", xlsx(PLAN).getvalue())
    response = client.post("/kinerja/impor/", {"kind": "plan", "file": upload})
    assert response.status_code == 302
    job = Job.objects.get(kind="performance_import")
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["ok"] and not job.result["committed"]
    assert not Renstra.objects.exists()
    page = client.get(f"/kinerja/impor/{job.pk}/").content.decode()
    assert "Simpan berkas ini sekarang" in page
    response = client.post(f"/kinerja/impor/{job.pk}/simpan/")
    assert response.status_code == 302
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    saved = Job.objects.exclude(pk=job.pk).get(kind="performance_import")
    assert saved.status == Job.Status.SUCCEEDED and saved.result["committed"]
    assert Renstra.objects.filter(start_year=2025).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_check_lists_problems_and_offers_them_as_xlsx(regions, client_for):
    planner = make_user(Role.OPERATOR, username="t.perencana.job2", bidang_code="sekretariat")
    client = client_for(planner)
    sheets = {**PLAN, "Tujuan": [["kode", "pernyataan"], ["T1", None]]}
    upload = SimpleUploadedFile("rencana.xlsx", xlsx(sheets).getvalue())
    client.post("/kinerja/impor/", {"kind": "plan", "file": upload, "commit": "on"})
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    job = Job.objects.get(kind="performance_import")
    assert not job.result["ok"] and not job.result["committed"]
    assert job.result["problems"][0] == {
        "sheet": "Tujuan", "row": 2, "column": "pernyataan",
        "message": "Kolom ini wajib diisi.",
    }  # fmt: skip
    html = client.get(f"/kinerja/impor/{job.pk}/").content.decode()
    assert "Kolom ini wajib diisi." in html and "Simpan berkas ini sekarang" not in html
    report = load_workbook(io.BytesIO(client.get(f"/tugas/{job.pk}/unduh/").getvalue()))
    assert list(report.active.iter_rows(values_only=True))[1][:3] == ("Tujuan", 2, "pernyataan")
    assert not Renstra.objects.exists()


@pytest.mark.django_db
def test_upload_form_refuses_what_is_not_xlsx(regions, client_for):
    planner = make_user(Role.OPERATOR, username="t.perencana.f", bidang_code="sekretariat")
    response = client_for(planner).post(
        "/kinerja/impor/",
        {"kind": "plan", "file": SimpleUploadedFile("data.csv", b"nama,tahun\n")},
    )
    assert response.status_code == 200
    assert "XLSX" in response.content.decode()
    assert not Job.objects.exists()
