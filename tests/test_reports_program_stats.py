"""The program statistics report: one chapter per program, its tables per kecamatan and per
desa with the figures of the program statistics selector, a chart, a PDF that holds them and
an XLSX of every table; started through the same API as the LKjIP."""

import io

import pytest
from pypdf import PdfReader

from programs import selectors
from programs.report import build_program_stats
from reports.document import document_table, document_tables, fingerprint
from reports.rendering import render_pdf
from reports.tables import format_cell, table_xlsx

from .test_programs_stats import YEAR, world  # noqa: F401  (fixture)


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
