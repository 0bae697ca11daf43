"""The program statistics report: one chapter per program, its tables per kecamatan and per
desa with the figures of the program statistics selector, a chart, a PDF that holds them and
an XLSX of every table; started through the same API as the LKjIP. Per program and year it is
a report of its own (issue 7 point 6): only that program's chapter, its own versions and
approval, offered and accepted only for programs the user may see."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from accounts.access import PERMISSIONS, Domain, Role
from programs import selectors, services
from programs.report import build_program_stats
from reports import services as report_services
from reports.document import document_table, document_tables, fingerprint
from reports.models import Report, ReportVersion
from reports.rendering import render_pdf
from reports.tables import format_cell, num, pct, rp, table_xlsx
from welfare.jobs import JobError

from .factories.programs import make_household, make_program, make_stage
from .factories.reports import finished_version
from .test_programs_stats import SK, START, YEAR, pay, world  # noqa: F401  (fixture)

UNKNOWN = "Program: TIDAK-ADA tidak dikenal atau di luar akses Anda."


def _silent(percent, message=""):
    return None


@pytest.mark.django_db
def test_program_chapter_holds_the_selector_figures(world, users, district_a):  # noqa: F811
    program = world["program"]
    document = build_program_stats(YEAR, users["admin"], _silent)
    stats = selectors.program_stats(
        user=users["admin"], program=program, year=YEAR, group_by="district"
    )
    table = document_table(document, f"{program.code.lower()}_kecamatan")
    assert table["number"] == "1.1"
    total = table["rows"][-1]["cells"]
    # Total: quota 12 (5 + 4 + 3), recipients 6, paid 9 disbursements over both tahap
    assert [format_cell(c) for c in total[1:]] == [
        "12",
        str(stats.total.enrolled),
        str(stats.total.active),
        "6",
        str(stats.total.paid_count),
        format_cell({"v": str(stats.total.paid_amount), "t": "rp", "d": 0}),
        format_cell({"v": str(stats.total.pct_paid), "t": "pct", "d": 2}),
    ]
    villages = document_table(document, f"{program.code.lower()}_desa")
    names = [row["cells"][1]["v"] for row in villages["rows"][:-1]]
    assert any(world["a1"].name.title() in name for name in names)
    # Only desa with a quota or a recipient are listed
    assert len(names) == 3
    sentence = next(b["text"] for b in document["blocks"] if b["type"] == "p")
    assert f"dari 6 penerima {program.code}" in sentence
    assert any(b["type"] == "chart" for b in document["blocks"])
    # The same data gives the same document
    assert fingerprint(build_program_stats(YEAR, users["admin"], _silent)) == fingerprint(document)

    pdf, pages = render_pdf(document, draft=True)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 2
    assert "Statistik Program Bantuan Sosial" in text
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "STATISTIK PROGRAM" in cover and "LAPORAN KINERJA" not in cover
    assert program.code in text and "DRAFT" in text

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert str(program.name) in sheet["A1"].value
    assert len(document_tables(document)) == 2


@pytest.mark.django_db
def test_api_starts_the_program_statistics_report(world, users, api_for):  # noqa: F811
    started = api_for(users["operator"]).post(
        "/api/v1/reports/", {"kind": "program_stats", "year": YEAR}, format="json"
    )
    assert started.status_code == 202
    assert started.json()["kind"] == "program_stats"


@pytest.fixture
def other(world, users):  # noqa: F811
    """A second program of the year: one active household in desa A1, one tahap, paid."""
    program = make_program("LAIN")
    enrollment = services.enrollment_create(
        actor=users["operator"],
        program=program,
        household=make_household(world["a1"]),
        start_date=START,
        status="aktif",
        **SK,
    )
    stage = make_stage(program, YEAR, 1)
    assert services.disbursements_plan(actor=users["operator"], stage=stage) == 1
    pay(enrollment, stage)
    return program


def _figures(row) -> list[str]:
    """The cells of a statistics row as the report shows them."""
    cells = [num(row.quota), num(row.enrolled), num(row.active), num(row.recipients)]
    cells += [num(row.paid_count), rp(row.paid_amount), pct(row.pct_paid)]
    return [format_cell(cell) for cell in cells]


def _no_program_view(monkeypatch):
    """Operators lose the programs domain: they may no longer see any program."""
    monkeypatch.setitem(PERMISSIONS[Role.OPERATOR], Domain.PROGRAMS, frozenset())


@pytest.mark.django_db
def test_a_program_report_holds_only_that_program_with_the_selector_figures(
    world,  # noqa: F811
    other,
    users,
):
    everything = build_program_stats(YEAR, users["admin"], _silent, {})
    chapters = [b["title"] for b in everything["blocks"] if b["type"] == "chapter"]
    assert chapters == ["LAIN - Program LAIN", "UJI - Program UJI"]

    document = build_program_stats(YEAR, users["admin"], _silent, {"program": "LAIN"})
    assert [b["title"] for b in document["blocks"] if b["type"] == "chapter"] == [
        "LAIN - Program LAIN"
    ]
    assert [t["key"] for t in document_tables(document)] == ["lain_kecamatan", "lain_desa"]
    assert document["meta"]["subtitle"] == "LAIN - Program LAIN"
    for group_by, key in (("district", "lain_kecamatan"), ("village", "lain_desa")):
        stats = selectors.program_stats(
            user=users["admin"], program=other, year=YEAR, group_by=group_by
        )
        table = document_table(document, key)
        if group_by == "village":  # desa with a quota or a recipient only
            stats.rows = [r for r in stats.rows if r.enrolled or r.quota]
        assert [_figures(r) for r in stats.rows] == [
            [format_cell(c) for c in row["cells"][2:]] for row in table["rows"][:-1]
        ]
        assert [format_cell(c) for c in table["rows"][-1]["cells"][1:]] == _figures(stats.total)
    # by hand: one household enrolled and paid Rp 300.000 in kecamatan A, no quota
    total = [
        format_cell(c) for c in document_table(document, "lain_kecamatan")["rows"][-1]["cells"]
    ]
    assert total[1:] == ["-", "1", "1", "1", "1", "300.000", "100,00"]
    sentence = next(b["text"] for b in document["blocks"] if b["type"] == "p")
    assert "1 dari 1 penerima LAIN" in sentence and "Rp300.000" in sentence.replace(" ", "")
    assert fingerprint(document) != fingerprint(everything)

    pdf, _pages = render_pdf(document, draft=True)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "LAIN - Program LAIN" in text and "Program LAIN per Kecamatan" in text
    assert "Program UJI" not in text and "UJI" not in text


@pytest.mark.django_db
def test_a_program_without_recipients_in_the_year_still_gets_its_report(world, users):  # noqa: F811
    make_program("BARU")
    document = build_program_stats(YEAR, users["admin"], _silent, {"program": "BARU"})
    assert [b["title"] for b in document["blocks"] if b["type"] == "chapter"] == [
        "BARU - Program BARU"
    ]
    assert f"BARU tidak memiliki penerima pada tahun {YEAR}." in [
        b["text"] for b in document["blocks"] if b["type"] == "p"
    ]
    # the all-programs report lists only programs with an enrollment in the year
    everything = build_program_stats(YEAR, users["admin"], _silent, {})
    assert "BARU" not in [b["title"][:4] for b in everything["blocks"] if b["type"] == "chapter"]


@pytest.mark.django_db
def test_approving_one_programs_report_freezes_only_that_report(
    world,  # noqa: F811
    users,
    monkeypatch,
    client_for,
):
    monkeypatch.setattr("reports.rendering.render_pdf", lambda doc, draft: (b"%PDF final", 1))
    whole = finished_version(user=users["operator"], kind="program_stats", year=YEAR)
    uji = finished_version(user=users["operator"], kind="program_stats", year=YEAR, scope="UJI")
    assert whole.report_id != uji.report_id and uji.number == 1
    report_services.report_approve(actor=users["kepala_dinas"], version=uji)
    uji.refresh_from_db()
    assert "Statistik-Program-" in uji.final_file.name and "-UJI-v1-final" in uji.final_file.name
    assert Report.objects.get(kind="program_stats", year=YEAR, scope="UJI").is_frozen
    assert not Report.objects.get(kind="program_stats", year=YEAR, scope="").is_frozen

    # the all-programs report goes on: a new version; the approved program report refuses one
    version = report_services.report_generate(
        actor=users["operator"], kind="program_stats", year=YEAR
    )
    assert version.report_id == whole.report_id and version.number == 2
    with pytest.raises(ValidationError, match="disetujui"):
        report_services.report_generate(
            actor=users["operator"], kind="program_stats", year=YEAR, params={"program": "UJI"}
        )
    assert ReportVersion.objects.filter(report__scope="UJI").count() == 1

    # each report page shows its own versions; table downloads carry the program code
    client = client_for(users["auditor"])
    page = client.get(f"/laporan/program_stats/{YEAR}/?program=UJI").content.decode()
    assert "UJI - Program UJI" in page and "Disetujui" in page
    # the approval freezes the versions; narrative texts belong to the LKjIP only
    assert "tidak ada versi baru" in page and "Teks narasi" not in page
    whole_page = client.get(f"/laporan/program_stats/{YEAR}/").content.decode()
    assert "Disetujui oleh" not in whole_page
    xlsx = client.get(f"/laporan/versi/{uji.pk}/tabel/semua/")
    assert xlsx.status_code == 200
    assert f'filename="tabel-program_stats-{YEAR}-UJI-v1.xlsx"' in xlsx["Content-Disposition"]
    one = client.get(f"/laporan/versi/{uji.pk}/tabel/3.1/")
    assert f'filename="tabel-3.1-{YEAR}-UJI.xlsx"' in one["Content-Disposition"]


@pytest.mark.django_db
def test_a_program_outside_the_users_access_is_refused(world, users, monkeypatch, api_for):  # noqa: F811
    # TKSK and API clients start no report at all
    with pytest.raises(PermissionDenied):
        report_services.report_generate(
            actor=users["tksk"], kind="program_stats", year=YEAR, params={"program": "UJI"}
        )
    refused = api_for(users["api_client"]).post(
        "/api/v1/reports/", {"kind": "program_stats", "year": YEAR, "program": "UJI"}
    )
    assert refused.status_code == 403

    _no_program_view(monkeypatch)
    with pytest.raises(ValidationError) as caught:
        report_services.report_generate(
            actor=users["operator"], kind="program_stats", year=YEAR, params={"program": "UJI"}
        )
    assert caught.value.message_dict == {
        "program": ["Program: UJI tidak dikenal atau di luar akses Anda."]
    }
    response = api_for(users["operator"]).post(
        "/api/v1/reports/",
        {"kind": "program_stats", "year": YEAR, "program": "UJI"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["program"] == [
        "Program: UJI tidak dikenal atau di luar akses Anda."
    ]
    assert not Report.objects.exists()
    # the all-programs report of such a user holds no program it may not see
    document = build_program_stats(YEAR, users["operator"], _silent, {})
    assert not [b for b in document["blocks"] if b["type"] == "table"]
    # and the build checks the program again (access may change between request and job)
    with pytest.raises(JobError, match="di luar akses"):
        build_program_stats(YEAR, users["operator"], _silent, {"program": "UJI"})


@pytest.mark.django_db
def test_the_reports_page_offers_only_visible_programs(world, users, client_for, monkeypatch):  # noqa: F811
    page = client_for(users["operator"]).get("/laporan/").content.decode()
    assert 'data-report-params="program_stats"' in page
    assert '<option value="UJI">UJI - Program UJI</option>' in page
    assert "js/reports.js" in page
    _no_program_view(monkeypatch)
    page = client_for(users["operator"]).get("/laporan/").content.decode()
    assert 'value="UJI"' not in page


@pytest.mark.django_db
def test_pages_open_and_generate_a_program_report_and_refuse_bad_input(
    world,  # noqa: F811
    users,
    client_for,
):
    client = client_for(users["operator"])
    opened = client.get(f"/laporan/buka/?kind=program_stats&year={YEAR}&program=UJI")
    assert opened.status_code == 302
    assert opened["Location"] == f"/laporan/program_stats/{YEAR}/?program=UJI"
    page = client.get(opened["Location"]).content.decode()
    assert "UJI - Program UJI" in page
    assert '<input type="hidden" name="program" value="UJI">' in page
    # the LKjIP takes no program: the parameter of another kind is not read
    lkjip = client.get(f"/laporan/buka/?kind=lkjip&year={YEAR}&program=UJI")
    assert lkjip["Location"] == f"/laporan/lkjip/{YEAR}/"

    generated = client.post(f"/laporan/program_stats/{YEAR}/buat/", {"program": "UJI"})
    assert generated.status_code == 302 and generated["Location"].startswith("/tugas/")
    report = Report.objects.get(kind="program_stats", year=YEAR)
    assert report.scope == "UJI" and report.versions.count() == 1
    assert report.versions.get().job.params == {
        "version": report.versions.get().pk,
        "program": "UJI",
    }

    for response in (
        client.get(f"/laporan/buka/?kind=program_stats&year={YEAR}&program=TIDAK-ADA", follow=True),
        client.get(f"/laporan/program_stats/{YEAR}/?program=TIDAK-ADA", follow=True),
        client.post(f"/laporan/program_stats/{YEAR}/buat/", {"program": "TIDAK-ADA"}, follow=True),
    ):
        assert response.status_code == 200
        assert UNKNOWN in response.content.decode()
    assert Report.objects.count() == 1 and ReportVersion.objects.count() == 1


@pytest.mark.django_db
def test_api_takes_a_program_for_program_stats_only(world, users, api_for):  # noqa: F811
    api = api_for(users["operator"])
    started = api.post(
        "/api/v1/reports/", {"kind": "program_stats", "year": YEAR, "program": "UJI"}, format="json"
    )
    assert started.status_code == 202
    body = started.json()
    assert body["scope"] == "UJI" and body["kind"] == "program_stats"
    assert api.get(f"/api/v1/reports/{body['id']}/").json()["scope"] == "UJI"
    whole = api.post("/api/v1/reports/", {"kind": "program_stats", "year": YEAR}, format="json")
    assert whole.status_code == 202 and whole.json()["scope"] == ""
    assert whole.json()["id"] != body["id"]

    unknown = api.post(
        "/api/v1/reports/",
        {"kind": "program_stats", "year": YEAR, "program": "TIDAK-ADA"},
        format="json",
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"program": [UNKNOWN]}
    lkjip = api.post(
        "/api/v1/reports/", {"kind": "lkjip", "year": YEAR, "program": "UJI"}, format="json"
    )
    assert lkjip.status_code == 400
    assert lkjip.json()["errors"] == {
        "program": ["program: laporan LKjIP (laporan kinerja tahunan) tidak memakai parameter ini."]
    }
    assert Report.objects.filter(kind="lkjip").count() == 0


@pytest.mark.django_db(transaction=True)
def test_api_generates_a_program_report_end_to_end(world, other, users, api_for):  # noqa: F811
    """The job builds and renders only the chosen program; the files are named after it."""
    from django.core.management import call_command

    api = api_for(users["operator"])
    started = api.post(
        "/api/v1/reports/",
        {"kind": "program_stats", "year": YEAR, "program": "LAIN"},
        format="json",
    )
    assert started.status_code == 202
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    detail = api.get(f"/api/v1/reports/{started.json()['id']}/").json()
    assert detail["status"] == "done" and detail["scope"] == "LAIN", detail
    version = ReportVersion.objects.get(pk=detail["id"])
    assert version.file.name.endswith(f"Statistik-Program-{YEAR}-LAIN-v1.pdf")
    assert version.fingerprint == fingerprint(
        build_program_stats(YEAR, users["operator"], _silent, {"program": "LAIN"})
    )
    download = api.get(detail["download_url"])
    assert download.status_code == 200
    assert f"Statistik-Program-{YEAR}-LAIN-v1.pdf" in download["Content-Disposition"]
    pdf = b"".join(download.streaming_content) if download.streaming else download.content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Program LAIN per Kecamatan" in text and "Program UJI" not in text


@pytest.mark.django_db
def test_api_lists_report_versions_by_kind_year_scope_status_and_approval(users, api_for):
    from welfare.models import Job

    operator = users["operator"]
    lkjip = finished_version(user=operator, kind="lkjip", year=2025)
    whole = finished_version(user=operator, kind="program_stats", year=2025)
    uji = finished_version(user=operator, kind="program_stats", year=2025, scope="UJI")
    older = finished_version(user=operator, kind="program_stats", year=2024, scope="UJI")
    # a version whose job died counts as failed, as its status field says
    died = ReportVersion.objects.create(
        report=uji.report,
        number=2,
        created_by=operator,
        job=Job.objects.create(
            kind="report", title="x", status=Job.Status.INTERRUPTED, created_by=operator
        ),
    )
    report_services.report_approve(actor=users["kepala_dinas"], version=whole)
    client = api_for(users["auditor"])

    def ids(query):
        response = client.get(f"/api/v1/reports/{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("?kind=program_stats&year=2025") == {whole.pk, uji.pk, died.pk}
    assert ids("?scope=UJI") == {uji.pk, older.pk, died.pk}
    assert ids("?kind=program_stats&whole=true") == {whole.pk}
    assert ids("?kind=program_stats&whole=false") == {uji.pk, older.pk, died.pk}
    assert ids("?scope=UJI&status=failed") == {died.pk}
    assert ids("?scope=UJI&status=done") == {uji.pk, older.pk}
    assert ids("?approved=true") == {whole.pk}
    assert lkjip.pk in ids("?approved=false") and whole.pk not in ids("?approved=false")
    for bad in ("?kind=tidak-ada", "?year=1800", "?status=selesai"):
        response = client.get(f"/api/v1/reports/{bad}")
        assert response.status_code == 400, bad
