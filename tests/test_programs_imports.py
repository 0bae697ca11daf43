"""Imports: disbursement results from a bank or Pos (good and bad rows, all or nothing) and a
recipient list, validate -> report -> commit."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from programs import imports, services
from programs.models import Disbursement, Enrollment

from .factories.programs import make_household, make_program, make_stage

YEAR = timezone.localdate().year
START = datetime.date(YEAR, 1, 2)


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


def csv_bytes(lines) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


@pytest.mark.django_db
def test_good_file_is_checked_then_committed(planned, users):
    _program, (h1, h2, h3) = planned
    content = csv_bytes(
        [
            "No KK;Program;Tahun;Tahap;Status;Jumlah;Tanggal;Saluran;Keterangan;Referensi",
            f"{h1.no_kk};IMP;{YEAR};1;Berhasil;300.000;15/03/{YEAR};Bank;;TRX1",
            f"{h2.no_kk};IMP;{YEAR};1;gagal;;;pos;Rekening tidak aktif;",
            f"{h3.no_kk};IMP;{YEAR};1;ditunda;;;;Menunggu perbaikan NIK;",
        ]
    )
    report = imports.disbursement_results_import(
        actor=users["operator"], content=content, filename="hasil.csv", commit=False
    )
    assert report.ok and report.rows == 3 and not report.committed
    assert not Disbursement.objects.filter(status="disalurkan").exists()
    report = imports.disbursement_results_import(
        actor=users["operator"], content=content, filename="hasil.csv", commit=True
    )
    assert report.saved == 3
    paid = Disbursement.objects.get(enrollment__household=h1)
    assert (paid.status, paid.paid_amount, paid.channel, paid.reference) == (
        "disalurkan",
        300000,
        "bank",
        "TRX1",
    )
    assert paid.paid_on == datetime.date(YEAR, 3, 15) and paid.import_batch
    assert Disbursement.objects.get(enrollment__household=h2).reason == "Rekening tidak aktif"
    assert paid.history.first().history_change_reason.startswith("impor hasil penyaluran")


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
    report = imports.disbursement_results_import(
        actor=users["operator"], content=buffer.getvalue(), filename="hasil.xlsx", commit=True
    )
    assert not report.committed and report.saved == 0
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(3, "no_kk"), (4, "program"), (5, "no_kk"), (6, "keterangan"), (7, "no_kk")}
    assert "16 angka" in next(p.message for p in report.problems if p.row == 3)
    assert "tahap 2" in next(p.message for p in report.problems if p.row == 5)
    assert not Disbursement.objects.exclude(status="direncanakan").exists()


@pytest.mark.django_db
def test_import_page(planned, users, client_for):
    _program, (h1, _h2, _h3) = planned
    content = csv_bytes(
        [
            "no_kk,program,tahun,tahap,status,jumlah,tanggal,saluran",
            f"{h1.no_kk},IMP,{YEAR},1,disalurkan,300000,{YEAR}-03-15,bank",
        ]
    )
    client = client_for(users["operator"])
    response = client.post(
        "/program/impor/",
        {"kind": "disbursements", "commit": "on", "file": SimpleUploadedFile("hasil.csv", content)},
    )
    assert response.status_code == 200
    assert Disbursement.objects.get(enrollment__household=h1).status == "disalurkan"
    response = client.post(
        "/program/impor/", {"kind": "disbursements", "file": SimpleUploadedFile("hasil.txt", b"x")}
    )
    assert response.status_code == 400
    assert client_for(users["auditor"]).post("/program/impor/", {}).status_code == 403


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
    report = imports.enrollment_import(
        actor=users["operator"],
        program=program,
        content=csv_bytes(lines),
        filename="daftar.csv",
        commit=True,
    )
    assert [(p.row, p.column) for p in report.problems] == [(3, "no_kk")]
    assert "desil" in report.problems[0].message
    assert not Enrollment.objects.exists()
    report = imports.enrollment_import(
        actor=users["operator"],
        program=program,
        content=csv_bytes(lines[:2]),
        filename="daftar.csv",
        commit=False,
    )
    assert report.ok and not Enrollment.objects.exists()
    report = imports.enrollment_import(
        actor=users["operator"],
        program=program,
        content=csv_bytes(lines[:2]),
        filename="daftar.csv",
        commit=True,
    )
    assert report.saved == 1 and Enrollment.objects.get().decree_number == "SK-9"
