"""The generated LKjIP PDF read back: chapters, the Daftar Isi page numbers against the pages
where the chapters really start, the key figures of the performance summary, a page rendered
to PNG (not blank, the right size), the download and the version record."""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from performance import demo
from performance import selectors as perf
from reports import services
from reports.models import ReportVersion
from welfare.formatting import format_percent
from welfare.models import Job

pytestmark = pytest.mark.django_db(transaction=True)

CHAPTERS = [
    ("I", "PENDAHULUAN"),
    ("II", "PERENCANAAN KINERJA"),
    ("III", "AKUNTABILITAS KINERJA"),
    ("IV", "PENUTUP"),
]


def _generate(user) -> ReportVersion:
    version = services.report_generate(actor=user, kind="lkjip", year=2025, allow_draft=True)
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    version.refresh_from_db()
    assert version.job.status == Job.Status.SUCCEEDED, version.job.error
    return version


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def _toc_numbers(pages: list[str]) -> dict[str, int]:
    toc = next(
        i
        for i, text in enumerate(pages)
        if text.lstrip().startswith("Daftar Isi") or "\nDaftar Isi\n" in text
    )
    text = pages[toc] + pages[toc + 1]
    found = {}
    for number, title in CHAPTERS:
        match = re.search(rf"BAB {number} {title}\s*\.*\s*(\d+)", text)
        assert match, f"BAB {number} not in the Daftar Isi"
        found[number] = int(match.group(1))
    return found


def test_generated_pdf_structure_figures_and_picture(regions, users, client_for, tmp_path):
    demo.seed(stdout=io.StringIO())
    version = _generate(users["operator"])
    assert version.status == ReportVersion.Status.DONE and version.pages > 20
    assert len(version.fingerprint) == 64 and version.problems
    data = version.file.read()
    pages = _pages(data)
    assert len(pages) == version.pages

    # every chapter starts on the page the Daftar Isi gives (printed number = page number)
    toc = _toc_numbers(pages)
    for number, title in CHAPTERS:
        page_text = pages[toc[number] - 1]
        assert re.search(rf"BAB {number}\s*{title}", page_text), (number, toc[number])
        assert not re.search(rf"BAB {number}\s*{title}", pages[toc[number] - 2]), number
    assert "2025" in pages[0] and "2.025" not in pages[0]  # a year, not a number
    assert "Kata Pengantar" in pages[1] and "Ringkasan Eksekutif" in " ".join(pages[2:4])
    assert "LAMPIRAN" in " ".join(pages[-6:])

    # key figures of the performance summary, formatted as everywhere
    summary = perf.year_summary(year=2025)
    text = " ".join(pages)
    for figure in ("76,29", "49,77", "102,81"):
        assert figure in text
    assert format_percent(summary.budget.total.absorption.value) in text
    assert "Capaian Indikator Kinerja Utama (IKU) tahun 2025 berkategori Tinggi" in text
    assert "DRAFT" in pages[5]

    # a page as a picture: not blank, A4 portrait; a landscape table page is wider than high
    pdf = tmp_path / "lkjip.pdf"
    pdf.write_bytes(data)
    bab3 = toc["III"]
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            str(bab3),
            "-l",
            str(bab3),
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size
    assert abs(width - 331) <= 2 and abs(height - 468) <= 2  # A4 at 40 dpi
    dark = sum(image.histogram()[:200])
    assert dark > 0.01 * width * height, "the page is blank"
    landscape_page = next(
        i
        for i, t in enumerate(pages)
        if "Capaian Indikator Kinerja Utama (IKU) per Triwulan" in t and i > toc["III"] - 1
    )
    size = PdfReader(io.BytesIO(data)).pages[landscape_page].mediabox
    assert size.width > size.height
    # a heading before a landscape table goes onto the table's page, not left alone above
    # a blank portrait page
    for number, text in enumerate(pages[toc["I"] :], start=toc["I"] + 1):
        body = [
            line
            for line in text.splitlines()
            if line.strip()
            and line.strip() not in ("DRAFT", str(number))
            and "Dinas Sosial" not in line
        ]
        # a numbered heading with at most a short text under it, no table or chart, and the
        # rest of the page blank
        lone_heading = (
            body
            and re.match(r"\d+(\.\d+)+ ", body[0])
            and not any(line.startswith(("Tabel ", "Grafik ")) for line in body)
            and len(" ".join(body[1:])) < 400
        )
        assert not lone_heading, f"page {number} holds only {body}"
    iku = next(i for i, t in enumerate(pages) if "Tabel 2.3" in t and i > toc["II"] - 1)
    assert "2.1.4 Indikator Kinerja Utama" in pages[iku]
    assert PdfReader(io.BytesIO(data)).pages[iku].mediabox.width > size.height * 0.99

    # download through the page, the table as XLSX
    client = client_for(users["auditor"])
    response = client.get(f"/laporan/versi/{version.pk}/unduh/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    xlsx = client.get(f"/laporan/versi/{version.pk}/tabel/pk_dua_tahun/")
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [row[-1] for row in sheet.iter_rows(values_only=True) if row and row[-1] is not None]
    assert 76.29 in values

    # the Kepala Dinas approves: rendered again from the stored data, without DRAFT, frozen
    services.report_approve(actor=users["kepala_dinas"], version=version)
    version.refresh_from_db()
    final = _pages(version.final_file.read())
    assert "DRAFT" not in " ".join(final[:6]) and len(final) == version.pages
    api = client_for(users["kepala_dinas"])
    page = api.get("/laporan/lkjip/2025/").content.decode()
    assert "dibekukan" in page


def _block(kind: str, *, rows: int = 0, landscape: bool = False) -> dict:
    if kind != "table":
        return {"type": kind, "text": "x", "title": "x"}
    return {
        "type": "table",
        "table": {"orientation": "landscape" if landscape else "portrait"},
        "rows": [{}] * rows,
        "wide": landscape and rows > 0,
    }


@pytest.mark.parametrize(
    ("kinds", "moved"),
    [
        # a heading (and its short text) before a landscape table: onto the landscape page
        (["p", "heading", "p", "wide"], [False, True, True]),
        # a program's name (subtitle) with its small indicator table
        (["wide", "subtitle", "small", "wide"], [True, True, True]),
        # text that continues a chart stays; a chapter's first section stays on its page
        (["chart", "p", "wide"], [False, False]),
        (["chapter", "heading", "p", "wide"], [False, False, False]),
        # a long table is no lead
        (["heading", "long", "wide"], [False, False]),
    ],
)
def test_a_short_lead_goes_onto_the_landscape_page_of_its_table(kinds, moved):
    from reports.rendering import _lead_into_wide_tables

    shapes = {
        "wide": {"rows": 5, "landscape": True},
        "small": {"rows": 3},
        "long": {"rows": 40},
    }
    blocks = [_block("table", **shapes[k]) if k in shapes else _block(k) for k in kinds]
    _lead_into_wide_tables(blocks)
    assert [bool(b.get("wide")) for b in blocks[:-1]] == moved


def test_a_landscape_table_without_rows_needs_no_landscape_page():
    from reports.rendering import _prepare

    document = {
        "blocks": [
            {
                "type": "table",
                "table": {
                    "orientation": "landscape",
                    "header": [[{"v": "Desa"}]],
                    "rows": [],
                    "note": "Tidak ada data",
                },
            }
        ]
    }
    assert _prepare(document)["blocks"][0]["wide"] is False


def test_the_sentences_after_a_landscape_table_stay_on_its_page():
    from reports.rendering import _trail_after_wide_tables

    blocks = [
        _block("table", rows=5, landscape=True),
        {"type": "list", "items": ["Dari 1.183 orang sasaran, 1.176 terlayani."]},
        {"type": "chapter", "title": "PENUTUP"},
        _block("table", rows=5, landscape=True),
        {"type": "p", "text": "x" * 2000},  # a long text takes a portrait page of its own
    ]
    _trail_after_wide_tables(blocks)
    assert [bool(b.get("wide")) for b in blocks] == [True, True, False, True, False]


def test_sub_headings_under_a_spanning_heading_widen_their_own_columns():
    """Two header rows (No. and Desa spanning both; "Tersalur" and "%" under each tahap): each
    sub heading counts for the column it stands over, so "Tersalur" does not wrap in tahap II."""
    from reports.rendering import _column_widths, _header_positions

    header = [
        [
            {"v": "No.", "rs": 2},
            {"v": "Desa", "rs": 2},
            {"v": "Tahap I", "cs": 2},
            {"v": "Tahap II", "cs": 2},
        ],
        [{"v": "Tersalur"}, {"v": "%"}, {"v": "Tersalur"}, {"v": "%"}],
    ]
    placed = [(column, cell["v"]) for column, cell in _header_positions(header)]
    assert placed[4:] == [(2, "Tersalur"), (3, "%"), (4, "Tersalur"), (5, "%")]
    rows = [{"cells": [{"v": "1"}, {"v": "Cibeber"}] + [{"v": "1", "t": "num"}] * 4}]
    widths = [float(w.rstrip("%")) for w in _column_widths({"header": header, "rows": rows})]
    assert widths[2] == widths[4] > widths[3] == widths[5]


def test_pdf_rendering_turns_the_cyclic_collector_back_on_even_when_it_fails():
    import gc

    from welfare.pdf import html_to_pdf, without_cyclic_gc

    pdf, pages = html_to_pdf("<p>Halaman satu</p><p style='break-before: page'>dua</p>")
    assert pdf.startswith(b"%PDF") and pages == 2
    assert gc.isenabled()
    with pytest.raises(RuntimeError), without_cyclic_gc():
        assert not gc.isenabled()
        raise RuntimeError("render failed")
    assert gc.isenabled()
