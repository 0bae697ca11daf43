"""Program imports: disbursement results from a bank or Pos and recipient lists to enroll.
Validate -> report -> commit, all or nothing or the valid rows only (the others returned in a
file of refused rows), as background jobs with a record, a report and permission boundaries."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from programs import imports, services
from programs.models import Disbursement, Enrollment, ProgramImport
from regions.models import Village
from welfare.models import Job
from welfare.tabular import TabularError

from .factories.programs import make_household, make_person, make_program, make_stage, quota

YEAR = timezone.localdate().year
START = datetime.date(YEAR, 1, 2)
RESULT_HEADER = "No KK;Program;Tahun;Tahap;Status;Jumlah;Tanggal;Saluran;Keterangan;Referensi"


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def planned(users, village_a):
    program = make_program("IMP", max_desil=4)
    households = [make_household(village_a) for _n in range(3)]
    for household in households:
        services.enrollment_create(
            actor=users["operator"],
            program=program,
            household=household,
            start_date=START,
            status="aktif",
            decree_number="SK",
            decree_date=START,
        )
    stage = make_stage(program, YEAR, 1)
    services.disbursements_plan(actor=users["operator"], stage=stage)
    return program, households


def csv_file(lines, name="hasil.csv") -> io.BytesIO:
    upload = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8-sig"))
    upload.name = name
    return upload


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def mixed_results(households) -> list[str]:
    """Row 2 good, row 3 unknown No. KK, row 4 a failure without its reason, row 5 good."""
    h1, h2, h3 = households
    return [
        RESULT_HEADER,
        f"{h1.no_kk};IMP;{YEAR};1;Berhasil;300.000;15/03/{YEAR};Bank;;TRX1",
        f"1234567890123456;IMP;{YEAR};1;disalurkan;300000;15/03/{YEAR};pos;;",
        f"{h2.no_kk};IMP;{YEAR};1;gagal;;;pos;;",
        f"{h3.no_kk};IMP;{YEAR};1;ditunda;;;;Menunggu perbaikan NIK;",
    ]


# --- Disbursement results (the checks and the writes) -------------------------------------------


@pytest.mark.django_db
def test_good_file_is_checked_then_committed(planned, users):
    _program, (h1, h2, h3) = planned
    lines = [
        RESULT_HEADER,
        f"{h1.no_kk};IMP;{YEAR};1;Berhasil;300.000;15/03/{YEAR};Bank;;TRX1",
        f"{h2.no_kk};IMP;{YEAR};1;gagal;;;pos;Rekening tidak aktif;",
        f"{h3.no_kk};IMP;{YEAR};1;ditunda;;;;Menunggu perbaikan NIK;",
    ]
    report = imports.disbursement_results_import(
        actor=users["operator"], file=csv_file(lines), commit=False
    )
    assert report.ok and report.rows == 3 and not report.committed and report.saved == 0
    assert not Disbursement.objects.exclude(status="direncanakan").exists()
    report = imports.disbursement_results_import(
        actor=users["operator"], file=csv_file(lines), commit=True, batch="77"
    )
    assert report.saved == 3 and report.committed
    paid = Disbursement.objects.get(enrollment__household=h1)
    assert (paid.status, paid.paid_amount, paid.channel, paid.reference) == (
        "disalurkan",
        300000,
        "bank",
        "TRX1",
    )
    assert paid.paid_on == datetime.date(YEAR, 3, 15) and paid.import_batch == "77"
    assert Disbursement.objects.get(enrollment__household=h2).reason == "Rekening tidak aktif"
    last = paid.history.first()
    assert (last.history_type, last.history_change_reason) == ("~", "impor hasil penyaluran 77")
    assert (last.status, last.history_user) == ("disalurkan", users["operator"])
    # The same file again changes nothing but the batch (idempotent).
    report = imports.disbursement_results_import(
        actor=users["operator"], file=csv_file(lines), commit=True
    )
    assert report.ok and report.saved == 3
    assert Disbursement.objects.filter(status="disalurkan").count() == 1


@pytest.mark.django_db
def test_bad_rows_are_reported_and_nothing_is_saved(planned, users):
    _program, (h1, h2, h3) = planned
    wb = Workbook()
    sheet = wb.active
    sheet.append(
        [
            "no_kk",
            "program",
            "tahun",
            "tahap",
            "status",
            "jumlah",
            "tanggal",
            "saluran",
            "keterangan",
        ]
    )
    sheet.append(
        [h1.no_kk, "IMP", YEAR, 1, "disalurkan", 300000, datetime.date(YEAR, 3, 15), "pos", ""]
    )
    sheet.append(["123", "IMP", YEAR, 1, "disalurkan", 300000, "2026-03-15", "pos", ""])
    sheet.append([h2.no_kk, "NOPE", YEAR, 1, "disalurkan", 300000, "2026-03-15", "pos", ""])
    sheet.append([h2.no_kk, "IMP", YEAR, 2, "disalurkan", 300000, "2026-03-15", "pos", ""])
    sheet.append([h3.no_kk, "IMP", YEAR, 1, "gagal", "", "", "pos", ""])
    sheet.append([h1.no_kk, "IMP", YEAR, 1, "disalurkan", "abc", "2026-03-15", "pos", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    report = imports.disbursement_results_import(actor=users["operator"], file=buffer, commit=True)
    assert not report.committed and report.saved == 0
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(3, "no_kk"), (4, "program"), (5, "no_kk"), (6, "keterangan"), (7, "no_kk")}
    assert "16 digit" in next(p.message for p in report.problems if p.row == 3)
    assert "tahap 2" in next(p.message for p in report.problems if p.row == 5)
    assert "baris sebelumnya" in next(p.message for p in report.problems if p.row == 7)
    assert report.invalid_rows == 5
    assert not Disbursement.objects.exclude(status="direncanakan").exists()


@pytest.mark.django_db
def test_valid_rows_only_saves_them_and_returns_the_others(planned, users):
    _program, (h1, h2, h3) = planned
    report = imports.disbursement_results_import(
        actor=users["operator"],
        file=csv_file(mixed_results(planned[1])),
        commit=True,
        mode=ProgramImport.Mode.VALID_ONLY,
    )
    assert report.committed and report.saved == 2 and report.invalid_rows == 2
    assert Disbursement.objects.get(enrollment__household=h1).status == "disalurkan"
    assert Disbursement.objects.get(enrollment__household=h3).status == "ditunda"
    assert Disbursement.objects.get(enrollment__household=h2).status == "direncanakan"
    assert [number for number, _cells in report.rejected] == [3, 4]
    assert report.rejected[1][1][:5] == [h2.no_kk, "IMP", str(YEAR), "1", "gagal"]


@pytest.mark.django_db
def test_results_of_another_bidang_are_refused_per_row(planned, users):
    _program, (h1, _h2, _h3) = planned
    lines = [RESULT_HEADER, f"{h1.no_kk};IMP;{YEAR};1;Berhasil;300.000;15/03/{YEAR};Bank;;"]
    report = imports.disbursement_results_import(
        actor=users["operator_other_bidang"], file=csv_file(lines), commit=True
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "program")]
    assert "bidang" in report.problems[0].message and not report.committed
    with pytest.raises(PermissionDenied):
        imports.disbursement_results_import(
            actor=users["auditor"], file=csv_file(lines), commit=False
        )


@pytest.mark.django_db
def test_unreadable_file_and_wrong_headers(planned, users):
    operator = users["operator"]
    with pytest.raises(TabularError, match="xls"):
        imports.disbursement_results_import(
            actor=operator, file=io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\x00" * 100), commit=True
        )
    with pytest.raises(TabularError) as info:
        imports.disbursement_results_import(
            actor=operator, file=csv_file(["no_kk;kode;tahun;tahap", "1;2;3;4"]), commit=True
        )
    assert "program" in str(info.value) and "status" in str(info.value)
    with pytest.raises(TabularError) as info:
        imports.disbursement_results_import(
            actor=operator,
            file=csv_file(["program;tahun;tahap;status", "IMP;1;1;gagal"]),
            commit=True,
        )
    assert "nik / no_kk" in str(info.value)
    with pytest.raises(TabularError, match="Tidak ada baris"):
        imports.disbursement_results_import(
            actor=operator, file=csv_file([RESULT_HEADER]), commit=True
        )
    with pytest.raises(TabularError):
        imports.disbursement_results_import(
            actor=operator, file=csv_file(["nama;alamat", "a;b"]), commit=True
        )


# --- Enrollment lists -------------------------------------------------------------------------


@pytest.mark.django_db
def test_enrollment_import(users, village_a):
    program = make_program("IMPE", max_desil=4)
    good = make_household(village_a, desil=2)
    bad = make_household(village_a, desil=9)
    lines = [
        "no_kk;mulai;status;nomor_sk;tanggal_sk",
        f"{good.no_kk};{START};aktif;SK-9;{START}",
        f"{bad.no_kk};{START};usulan;;",
    ]
    operator = users["operator"]
    report = imports.enrollment_import(
        actor=operator, program=program, file=csv_file(lines), commit=True
    )
    assert [(p.row, p.column) for p in report.problems] == [(3, "no_kk")]
    assert "desil" in report.problems[0].message
    assert not report.committed and not Enrollment.objects.exists()
    report = imports.enrollment_import(
        actor=operator, program=program, file=csv_file(lines[:2]), commit=False
    )
    assert report.ok and not Enrollment.objects.exists()
    report = imports.enrollment_import(
        actor=operator, program=program, file=csv_file(lines[:2]), commit=True
    )
    assert report.saved == 1 and Enrollment.objects.get().decree_number == "SK-9"
    # Again: the recipient is enrolled already, nothing changes.
    report = imports.enrollment_import(
        actor=operator, program=program, file=csv_file(lines[:2]), commit=True
    )
    assert not report.committed and "terdaftar" in report.problems[0].message
    assert Enrollment.objects.count() == 1


@pytest.mark.django_db
def test_enrollment_row_checks_and_valid_rows_only(users, village_a):
    program = make_program("IMPP", unit="person")
    household = make_household(village_a, members=[])
    persons = [make_person(household, age=30) for _n in range(3)]
    lines = [
        "NIK;Mulai;Status;No SK;Tgl SK",
        f"{persons[0].nik};02/01/{YEAR};terverifikasi;;",
        f"8999999999999999;02/01/{YEAR};usulan;;",
        f"{persons[1].nik};kemarin;usulan;;",
        f"{persons[2].nik};{START};aktif;;",
        f"{persons[0].nik};{START};usulan;;",
        f"{persons[2].nik};{START};diterima;;",
    ]
    report = imports.enrollment_import(
        actor=users["operator"],
        program=program,
        file=csv_file(lines),
        commit=True,
        mode=ProgramImport.Mode.VALID_ONLY,
    )
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "nik"),
        (4, "mulai"),
        (5, "nomor_sk"),
        (6, "nik"),
        (7, "status"),
    ]
    assert report.committed and report.saved == 1
    enrollment = Enrollment.objects.get()
    assert (enrollment.person, enrollment.status) == (persons[0], "terverifikasi")
    with pytest.raises(PermissionDenied):
        imports.enrollment_import(
            actor=users["operator_other_bidang"],
            program=program,
            file=csv_file(lines),
            commit=False,
        )
    with pytest.raises(TabularError, match="nik"):
        imports.enrollment_import(
            actor=users["operator"],
            program=program,
            file=csv_file(["no_kk;mulai", f"{household.no_kk};{START}"]),
            commit=False,
        )


@pytest.mark.django_db
def test_enrollment_over_quota(users, village_a, district_a):
    program = make_program("IMPQ")
    other_village = Village.objects.filter(district=district_a).order_by("code")[1]
    quota(program, YEAR, village=village_a, n=1)
    full = [make_household(village_a) for _n in range(2)]
    room = make_household(other_village)
    lines = ["no_kk;mulai", *(f"{h.no_kk};{START}" for h in (*full, room))]
    report = imports.enrollment_import(
        actor=users["operator"], program=program, file=csv_file(lines), commit=True
    )
    assert [p.row for p in report.problems] == [2, 3]
    message = report.problems[0].message
    assert "kuota 1" in message and "sudah terdaftar 0" in message and "2 lagi" in message
    assert village_a.name in message
    assert not report.committed and not Enrollment.objects.exists()
    report = imports.enrollment_import(
        actor=users["operator"],
        program=program,
        file=csv_file(lines),
        commit=True,
        mode=ProgramImport.Mode.VALID_ONLY,
    )
    assert report.committed and report.saved == 1 and report.invalid_rows == 2
    assert Enrollment.objects.get().household == room
    assert report.problems[0].value == full[0].no_kk


@pytest.mark.django_db
def test_quota_taken_between_check_and_save_saves_nothing(users, village_a, monkeypatch):
    """The save checks the quota again with its rows locked: a place taken meanwhile refuses
    the whole file (a problem of the file, row 0), even when saving the valid rows only."""
    program = make_program("IMPR")
    quota(program, YEAR, village=village_a, n=1)
    households = [make_household(village_a) for _n in range(2)]
    monkeypatch.setattr(imports, "_check_quotas", lambda program, column, found, report: found)
    report = imports.enrollment_import(
        actor=users["operator"],
        program=program,
        file=csv_file(["no_kk;mulai", *(f"{h.no_kk};{START}" for h in households)]),
        commit=True,
        mode=ProgramImport.Mode.VALID_ONLY,
    )
    assert [(p.row, p.column) for p in report.problems] == [(0, "")]
    assert "kuota 1" in report.problems[0].message and report.invalid_rows == 0
    assert not report.committed and not Enrollment.objects.exists()


# --- As background jobs, from the page ---------------------------------------------------------


def _start(client, data, lines, name="hasil.csv"):
    return client.post(reverse("programs:import"), {**data, "file": csv_file(lines, name)})


def _run_jobs():
    call_command("db_worker", "--batch", "--queue-name", "default")


@pytest.mark.django_db(transaction=True)
def test_results_job_valid_rows_only_with_report_and_refused_rows(planned, users, client_for):
    _program, (h1, h2, _h3) = planned
    client = client_for(users["operator"])
    response = _start(
        client,
        {"kind": "disbursements", "mode": "valid", "commit": "on"},
        mixed_results(planned[1]),
    )
    record = ProgramImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[record.job_id])
    assert (record.status, record.mode, record.created_by) == (
        "pending",
        "valid",
        users["operator"],
    )
    _run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["next_url"] == reverse("programs:import_detail", args=[record.pk])
    record.refresh_from_db()
    assert (record.status, record.rows, record.valid_rows, record.invalid_rows, record.saved) == (
        "committed",
        4,
        2,
        2,
        2,
    )
    assert record.committed_at is not None
    paid = Disbursement.objects.get(enrollment__household=h1)
    assert paid.status == "disalurkan" and paid.import_batch == str(record.pk)
    assert Disbursement.objects.get(enrollment__household=h2).status == "direncanakan"
    job_page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert job.result["next_url"] in job_page and "4 baris, 2 ditolak, 2 disimpan." in job_page
    page = client.get(job.result["next_url"]).content.decode()
    assert reverse("programs:import_download", args=[record.pk, "ditolak"]) in page
    assert "Tersimpan" in page
    report = client.get(reverse("programs:import_download", args=[record.pk, "laporan"]))
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(b"".join(report.streaming_content))
    assert rows[0] == ["Baris", "Kolom", "Pesan", "Nilai"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        (3, "no_kk", "1234567890123456"),
        (4, "keterangan", ""),
    ]
    assert "1234567890123456" in rows[1][2]
    refused = client.get(reverse("programs:import_download", args=[record.pk, "ditolak"]))
    rows = xlsx_rows(b"".join(refused.streaming_content))
    assert rows[0] == [*RESULT_HEADER.split(";"), "Masalah"]
    sent = ["1234567890123456", "IMP", str(YEAR), "1", "disalurkan", "300000", f"15/03/{YEAR}"]
    assert rows[1][:9] == [*sent, "pos", ""]
    assert rows[2][0] == h2.no_kk and rows[2][-1].startswith("keterangan: ")
    assert len(rows) == 3


@pytest.mark.django_db(transaction=True)
def test_failed_all_or_nothing_job_writes_nothing(planned, users, client_for):
    client = client_for(users["operator"])
    _start(
        client, {"kind": "disbursements", "mode": "all", "commit": "on"}, mixed_results(planned[1])
    )
    _run_jobs()
    record = ProgramImport.objects.get()
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    assert (record.status, record.saved, record.invalid_rows) == ("refused", 0, 2)
    assert record.committed_at is None
    assert not Disbursement.objects.exclude(status="direncanakan").exists()
    assert not Disbursement.objects.exclude(import_batch="").exists()
    assert record.report_file and record.rejected_file
    assert [p[0] for p in record.first_problems] == [3, 4]
    page = client.get(reverse("programs:import_detail", args=[record.pk])).content.decode()
    assert "Tidak disimpan" in page and "import-problems" in page


@pytest.mark.django_db(transaction=True)
def test_enrollment_job_checks_then_saves(users, client_for, village_a):
    program = make_program("IMPJ", max_desil=4)
    good = make_household(village_a, desil=2)
    lines = ["no_kk;mulai;status", f"{good.no_kk};{START};usulan"]
    client = client_for(users["operator"])
    _start(client, {"kind": "enrollments", "program": "IMPJ", "mode": "all"}, lines, "daftar.csv")
    _run_jobs()
    record = ProgramImport.objects.get()
    assert (record.status, record.program, record.rows, record.saved) == ("checked", program, 1, 0)
    assert not record.report_file and not record.rejected_file
    assert not Enrollment.objects.exists()
    _start(
        client,
        {"kind": "enrollments", "program": "IMPJ", "mode": "all", "commit": "on"},
        lines,
        "daftar.csv",
    )
    _run_jobs()
    record = ProgramImport.objects.order_by("-pk").first()
    assert (record.status, record.saved) == ("committed", 1)
    assert Enrollment.objects.get().household == good
    assert "1 baris, 0 ditolak, 1 disimpan." in Job.objects.get(pk=record.job_id).result["summary"]


@pytest.mark.django_db(transaction=True)
def test_unreadable_file_fails_the_job_with_its_message(planned, users, client_for):
    client = client_for(users["operator"])
    _start(client, {"kind": "disbursements", "mode": "all", "commit": "on"}, ["nama;alamat", "a;b"])
    _run_jobs()
    job, record = Job.objects.get(), ProgramImport.objects.get()
    assert job.status == Job.Status.FAILED and "kolom" in job.error.lower()
    assert record.status == "failed" and record.error == job.error
    assert not Disbursement.objects.exclude(status="direncanakan").exists()
    page = client.get(reverse("programs:import_detail", args=[record.pk])).content.decode()
    assert record.error in page


# --- The page: form errors, permissions ---------------------------------------------------------


@pytest.mark.django_db
def test_page_refuses_bad_uploads(planned, users, client_for):
    client = client_for(users["operator"])
    page = client.get(reverse("programs:import"))
    assert page.status_code == 200 and "IMP" in page.content.decode()
    response = _start(client, {"kind": "disbursements", "mode": "all"}, ["x"], "hasil.txt")
    assert response.status_code == 400 and "CSV atau XLSX" in response.content.decode()
    upload = io.BytesIO(b"\x00\x01binary\x00")
    upload.name = "hasil.csv"
    response = client.post(
        reverse("programs:import"), {"kind": "disbursements", "mode": "all", "file": upload}
    )
    assert response.status_code == 400
    response = _start(client, {"kind": "enrollments", "mode": "all"}, ["no_kk;mulai"])
    assert response.status_code == 400 and "Pilih program" in response.content.decode()
    make_program("KUBEX", unit="group")
    response = _start(client, {"kind": "enrollments", "program": "KUBEX", "mode": "all"}, ["x"])
    assert response.status_code == 400
    # A program of another bidang is not offered to this operator.
    make_program("REHAB", bidang="rehsos")
    response = _start(client, {"kind": "enrollments", "program": "REHAB", "mode": "all"}, ["x"])
    assert response.status_code == 400
    assert not ProgramImport.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_templates(users, client_for):
    make_program("TPL", unit="person")
    client = client_for(users["operator"])
    response = client.get(reverse("programs:import_template") + "?jenis=hasil")
    assert xlsx_rows(response.content)[0][:3] == ["nik", "no_kk", "program"]
    response = client.get(
        reverse("programs:import_template") + "?jenis=penerima&program=TPL&format=csv"
    )
    assert (
        response.content.decode("utf-8-sig").splitlines()[0]
        == "nik;mulai;status;nomor_sk;tanggal_sk"
    )
    assert client_for(users["auditor"]).get(reverse("programs:import_template")).status_code == 403


@pytest.mark.django_db
def test_who_may_import_and_see_an_import(users, client_for):
    for role in ("auditor", "kepala_dinas", "tksk", "api_client"):
        assert client_for(users[role]).get(reverse("programs:import")).status_code == 403, role
        assert client_for(users[role]).post(reverse("programs:import"), {}).status_code == 403
    record = ProgramImport.objects.create(
        kind="disbursements",
        file_name="hasil.csv",
        created_by=users["operator"],
        bidang=users["operator"].bidang,
        report_file="programs/imports/x.xlsx",
    )
    detail = reverse("programs:import_detail", args=[record.pk])
    for role in ("operator", "kepala_bidang", "admin"):
        assert client_for(users[role]).get(detail).status_code == 200, role
    # Another bidang's operator does not see it; roles without import get 404.
    for role in ("operator_other_bidang", "auditor", "kepala_dinas", "tksk"):
        assert client_for(users[role]).get(detail).status_code == 404, role
        download = reverse("programs:import_download", args=[record.pk, "laporan"])
        assert client_for(users[role]).get(download).status_code == 404, role
    missing = reverse("programs:import_download", args=[record.pk, "ditolak"])
    assert client_for(users["operator"]).get(missing).status_code == 404
    listing = client_for(users["operator_other_bidang"]).get(reverse("programs:import"))
    assert "hasil.csv" not in listing.content.decode()
    assert (
        "hasil.csv"
        in client_for(users["operator"]).get(reverse("programs:import")).content.decode()
    )


# --- The API -----------------------------------------------------------------------------------

API = "/api/v1/programs/imports/"


def _post(api, data, lines=None, name="hasil.csv"):
    body = dict(data)
    if lines is not None:
        body["file"] = csv_file(lines, name)
    return api.post(API, body, format="multipart")


@pytest.mark.django_db(transaction=True)
def test_api_results_job_with_report_and_refused_rows(planned, users, api_for):
    _program, (h1, h2, _h3) = planned
    api = api_for(users["operator"])
    response = _post(
        api, {"kind": "disbursements", "mode": "valid", "commit": "true"}, mixed_results(planned[1])
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    record = ProgramImport.objects.get(pk=body["id"])
    assert body["job"] == str(record.job_id)
    assert body["status_url"] == f"/api/v1/jobs/{record.job_id}/"
    assert (body["status"], body["kind"], body["mode"], body["commit"]) == (
        "pending",
        "disbursements",
        "valid",
        True,
    )
    assert (body["bidang"], body["program"], body["created_by"]) == (
        "linjamsos",
        None,
        users["operator"].username,
    )
    assert body["report_url"] is None and body["rejected_url"] is None
    _run_jobs()
    job = api.get(body["status_url"]).json()
    assert (
        job["status"] == "succeeded"
        and "4 baris, 2 ditolak, 2 disimpan." in job["result"]["summary"]
    )
    detail = api.get(f"{API}{record.pk}/").json()
    assert (detail["status"], detail["rows"], detail["valid_rows"], detail["saved"]) == (
        "committed",
        4,
        2,
        2,
    )
    assert [(p["row"], p["column"]) for p in detail["first_problems"]] == [
        (3, "no_kk"),
        (4, "keterangan"),
    ]
    assert "1234567890123456" in detail["first_problems"][0]["message"]
    assert detail["committed_at"] and detail["page_url"] == f"/program/impor/{record.pk}/"
    assert detail["report_url"] == f"{API}{record.pk}/report/"
    assert detail["rejected_url"] == f"{API}{record.pk}/rejected/"
    report = api.get(detail["report_url"])
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(b"".join(report.streaming_content))
    assert rows[0] == ["Baris", "Kolom", "Pesan", "Nilai"] and [r[0] for r in rows[1:]] == [3, 4]
    refused = xlsx_rows(b"".join(api.get(detail["rejected_url"]).streaming_content))
    assert refused[0][-1] == "Masalah" and [r[0] for r in refused[1:]] == [
        "1234567890123456",
        h2.no_kk,
    ]
    assert Disbursement.objects.get(enrollment__household=h1).import_batch == str(record.pk)
    listing = api.get(API).json()
    assert [r["id"] for r in listing["results"]] == [record.pk]


@pytest.mark.django_db
def test_api_refuses_bad_input_and_makes_nothing(users, api_for, village_a):
    make_program("APIE")
    make_program("KUBEA", unit="group")
    make_program("REHAB", bidang="rehsos")
    api = api_for(users["operator"])
    line = ["no_kk;mulai", f"{make_household(village_a).no_kk};{START}"]
    cases = [
        ({"kind": "enrollments"}, line, "program", "Pilih program"),
        ({"kind": "enrollments", "program": "TIDAK-ADA"}, line, "program", "tidak dikenal"),
        ({"kind": "enrollments", "program": "KUBEA"}, line, "program", "satu per satu"),
        ({"kind": "enrollments", "program": "bukan kode!"}, line, "program", "slug"),
        ({"kind": "bayar"}, line, "kind", "bayar"),
        ({"kind": "disbursements", "mode": "sebagian"}, line, "mode", "sebagian"),
        ({"kind": "disbursements", "commit": "mungkin"}, line, "commit", "boolean"),
        ({"kind": "disbursements"}, None, "file", "Pilih berkas"),
    ]
    for data, lines, field, message in cases:
        response = _post(api, data, lines)
        assert response.status_code == 400, (data, response.json())
        errors = response.json()["errors"]
        assert message.lower() in " ".join(errors[field]).lower(), (data, errors)
    binary = io.BytesIO(b"\x00\x01\x02binary")
    binary.name = "hasil.csv"
    response = api.post(API, {"kind": "disbursements", "file": binary}, format="multipart")
    assert response.status_code == 400 and "CSV, XLSX" in response.json()["errors"]["file"][0]
    response = _post(api, {"kind": "disbursements"}, ["x"], name="hasil.txt")
    assert response.json()["errors"]["file"] == ["Unggah berkas CSV atau XLSX."]
    # JSON is not an upload.
    response = api.post(API, {"kind": "disbursements"}, format="json")
    assert response.status_code == 415
    # A program of another bidang: refused as a permission (HTTP 403, with the reason).
    response = _post(api, {"kind": "enrollments", "program": "REHAB"}, line)
    assert response.status_code == 403 and "bidang lain" in response.json()["detail"]
    assert not ProgramImport.objects.exists() and not Job.objects.exists()
    response = _post(api, {"kind": "enrollments", "program": "APIE", "mode": "valid"}, line)
    assert response.status_code == 202, response.json()
    record = ProgramImport.objects.get()
    assert (record.program.code, record.bidang.code, record.mode, record.commit) == (
        "APIE",
        "linjamsos",
        "valid",
        False,
    )
    assert record.job.params == {"import": record.pk}


@pytest.mark.django_db
def test_api_who_may_import_and_see_an_import(users, api_for, client):
    own = ProgramImport.objects.create(
        kind="disbursements",
        file_name="linjamsos.csv",
        created_by=users["operator"],
        bidang=users["operator"].bidang,
        report_file="programs/imports/laporan.xlsx",
    )
    other = ProgramImport.objects.create(
        kind="disbursements",
        file_name="rehsos.csv",
        created_by=users["operator_other_bidang"],
        bidang=users["operator_other_bidang"].bidang,
    )
    for role in ("auditor", "kepala_dinas", "tksk", "api_client"):
        api = api_for(users[role])
        assert api.get(API).status_code == 403, role
        assert api.get(f"{API}{own.pk}/").status_code == 403, role
        assert api.get(f"{API}{own.pk}/report/").status_code == 403, role
        response = _post(api, {"kind": "disbursements"}, [RESULT_HEADER])
        assert response.status_code == 403, role
    assert client.get(API).status_code in (401, 403)
    seen = {
        role: {r["file_name"] for r in api_for(users[role]).get(API).json()["results"]}
        for role in ("operator", "kepala_bidang", "operator_other_bidang", "admin")
    }
    assert seen == {
        "operator": {"linjamsos.csv"},
        "kepala_bidang": {"linjamsos.csv"},
        "operator_other_bidang": {"rehsos.csv"},
        "admin": {"linjamsos.csv", "rehsos.csv"},
    }
    stranger = api_for(users["operator_other_bidang"])
    assert stranger.get(f"{API}{own.pk}/").status_code == 404
    assert stranger.get(f"{API}{own.pk}/report/").status_code == 404
    assert api_for(users["kepala_bidang"]).get(f"{API}{other.pk}/").status_code == 404
    missing = api_for(users["operator"]).get(f"{API}{own.pk}/rejected/")
    assert missing.status_code == 404 and missing.json()["detail"] == "Berkas ini tidak ada."
    assert ProgramImport.objects.count() == 2 and not Job.objects.exists()


# --- manage.py programs_import ----------------------------------------------------------------


def _command(*args):
    out = io.StringIO()
    call_command("programs_import", *args, stdout=out)
    return out.getvalue()


def _write(tmp_path, lines, name="hasil.csv"):
    path = tmp_path / name
    path.write_bytes(csv_file(lines).getvalue())
    return str(path)


@pytest.mark.django_db
def test_command_saves_the_valid_rows_and_writes_the_files(planned, users, tmp_path):
    _program, (h1, h2, _h3) = planned
    path = _write(tmp_path, mixed_results(planned[1]))
    out = _command("hasil", path, "--user", users["operator"].username, "--commit", "--valid-only")
    record = ProgramImport.objects.get()
    assert (record.status, record.kind, record.saved, record.job) == (
        "committed",
        "disbursements",
        2,
        None,
    )
    assert "Tersimpan: 4 baris, 2 ditolak, 2 disimpan." in out
    assert "baris 3, kolom no_kk: " in out and "baris 4, kolom keterangan: " in out
    assert f"Laporan: {record.report_file.path}" in out
    assert f"Baris yang ditolak: {record.rejected_file.path}" in out
    assert f"/program/impor/{record.pk}/" in out
    assert xlsx_rows(open(record.report_file.path, "rb").read())[1][0] == 3  # noqa: SIM115
    assert Disbursement.objects.get(enrollment__household=h1).import_batch == str(record.pk)
    assert Disbursement.objects.get(enrollment__household=h2).status == "direncanakan"


@pytest.mark.django_db
def test_command_refuses_and_checks(planned, users, tmp_path):
    path = _write(tmp_path, mixed_results(planned[1]))
    operator = users["operator"].username
    with pytest.raises(CommandError, match="Tidak ada yang disimpan"):
        _command("hasil", path, "--user", operator, "--commit")
    with pytest.raises(CommandError, match="Berkas ini memiliki masalah"):
        _command("disbursements", path, "--user", operator)
    assert [r.status for r in ProgramImport.objects.order_by("pk")] == ["refused", "checked"]
    assert not Disbursement.objects.exclude(status="direncanakan").exists()


@pytest.mark.django_db
def test_command_enrolls_a_list(users, village_a, tmp_path):
    program = make_program("CMDE", max_desil=4)
    good = make_household(village_a, desil=2)
    path = _write(tmp_path, ["no_kk;mulai;status", f"{good.no_kk};{START};usulan"], "daftar.csv")
    out = _command(
        "penerima", path, "--program", "CMDE", "--user", users["kepala_bidang"].username, "--commit"
    )
    assert "Tersimpan: 1 baris, 0 ditolak, 1 disimpan." in out and "Laporan" not in out
    assert Enrollment.objects.get().household == good
    assert ProgramImport.objects.get().program == program


@pytest.mark.django_db
def test_command_bad_arguments(users, village_a, tmp_path):
    make_program("CMDA")
    make_program("CMDK", unit="group")
    good = _write(tmp_path, ["no_kk;mulai", f"{make_household(village_a).no_kk};{START}"])
    operator = users["operator"].username
    cases = [
        (("bayar", good, "--user", operator), "Jenis impor bayar tidak dikenal: gunakan hasil"),
        (("hasil", good, "--user", "tidak.ada"), "Pengguna tidak.ada tidak dikenal."),
        (("penerima", good, "--user", operator), "--program KODE"),
        (("penerima", good, "--user", operator, "--program", "NOPE"), "NOPE tidak dikenal"),
        (("penerima", good, "--user", operator, "--program", "CMDK"), "satu per satu"),
        (("hasil", str(tmp_path / "tidak-ada.csv"), "--user", operator), "tidak ada"),
        (("hasil", good, "--user", users["auditor"].username), "Peran"),
        (
            (
                "penerima",
                good,
                "--user",
                users["operator_other_bidang"].username,
                "--program",
                "CMDA",
            ),
            "bidang lain",
        ),
    ]
    for args, message in cases:
        with pytest.raises(CommandError) as info:
            _command(*args)
        assert message in str(info.value), (args, str(info.value))
    assert not ProgramImport.objects.exists()
    # A file that cannot be read: the record says why; nothing else is written.
    unreadable = _write(tmp_path, ["nama;alamat", "Ujang;Cibeber"], "salah.csv")
    with pytest.raises(CommandError, match="Kolom wajib"):
        _command("hasil", unreadable, "--user", operator, "--commit")
    record = ProgramImport.objects.get()
    assert record.status == "failed" and "Kolom wajib" in record.error
    assert not Enrollment.objects.exists()


# --- The admin --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_lists_imports_read_only(users, client_for):
    record = ProgramImport.objects.create(
        kind="disbursements", file_name="hasil-admin.csv", created_by=users["operator"]
    )
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True  # Django's admin is for staff accounts
    admin.save()
    client = client_for(admin)
    listing = client.get("/admin/programs/programimport/")
    assert listing.status_code == 200 and "hasil-admin.csv" in listing.content.decode()
    assert client.get(f"/admin/programs/programimport/{record.pk}/change/").status_code == 200
    assert client.get("/admin/programs/programimport/add/").status_code == 403
    response = client.post(f"/admin/programs/programimport/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and ProgramImport.objects.filter(pk=record.pk).exists()
