"""welfare.tabular: reading CSV/XLSX imports with Indonesian headers, cell checks, reports."""

import csv
import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from welfare.tabular import (
    CellError,
    Column,
    RowErrors,
    TabularError,
    parse_date,
    parse_digits,
    parse_int,
    read_table,
    sniff_csv,
    write_report,
    write_rows,
    write_template,
)

COLUMNS = [
    Column("nik", "NIK", required=True),
    Column("name", "Nama", required=True, aliases=("nama lengkap",)),
    Column("birth_date", "Tanggal Lahir"),
    Column("no_kk", "No. KK"),
]


def _csv(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    ("raw", "encoding", "separator"),
    [
        ("NIK;Nama\n1;Siti\n", "utf-8", ";"),
        ("\ufeffNIK,Nama\n1,Siti\n", "utf-8", ","),
        ("NIK\tNama\n1\tSiti\n", "utf-8", "\t"),
        ("NIK;Nama\n1;Andr\u00e9\n", "cp1252", ";"),
    ],
)
def test_csv_separator_and_encoding_are_detected(raw, encoding, separator):
    table = read_table(_csv(raw, encoding), COLUMNS)
    assert table.separator == separator
    rows = list(table.rows())
    assert rows[0][0] == 2  # the header is row 1
    assert rows[0][1]["nik"] == "1"
    assert rows[0][1]["name"] in ("Siti", "Andr\u00e9")


def test_utf8_bom_is_not_part_of_the_first_header():
    encoding, separator = sniff_csv(_csv("\ufeffNIK;Nama\n"))
    assert (encoding, separator) == ("utf-8-sig", ";")
    table = read_table(_csv("\ufeffNIK;Nama\n3602;X\n"), COLUMNS)
    assert table.mapping["nik"] == 0


def test_headers_match_loosely_and_unknown_ones_are_listed():
    table = read_table(_csv("no_kk;NAMA LENGKAP;nik;Catatan\n1;A;2;x\n"), COLUMNS)
    assert table.mapping == {"no_kk": 0, "name": 1, "nik": 2}
    assert table.unknown_headers == ["Catatan"]


def test_missing_required_column_is_named():
    with pytest.raises(TabularError) as excinfo:
        read_table(_csv("Nama;Tanggal Lahir\nA;1-1-2000\n"), COLUMNS)
    assert "NIK" in str(excinfo.value)


def test_blank_rows_are_skipped_but_numbering_stays_true():
    table = read_table(_csv("NIK;Nama\n1;A\n;\n2;B\n"), COLUMNS)
    assert [number for number, _row in table.rows()] == [2, 4]


def test_xlsx_is_read_with_typed_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama", "Tanggal Lahir"])
    sheet.append(["3602141201900001", "Siti", datetime.datetime(1990, 1, 12)])
    sheet.append([3602141201900001.0, "Budi", 32885])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    table = read_table(buffer, COLUMNS)
    assert table.fmt == "xlsx"
    rows = [row for _n, row in table.rows()]
    assert parse_digits(rows[0]["nik"], length=16, label="NIK") == "3602141201900001"
    assert parse_date(rows[0]["birth_date"], label="Tanggal Lahir") == datetime.date(1990, 1, 12)
    assert parse_date(rows[1]["birth_date"], label="Tanggal Lahir") == datetime.date(1990, 1, 12)
    with pytest.raises(CellError, match="angka"):
        parse_digits(rows[1]["nik"], length=16, label="NIK")


def test_old_xls_and_binary_files_are_refused():
    with pytest.raises(TabularError, match="xls"):
        read_table(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), COLUMNS)
    with pytest.raises(TabularError):
        read_table(io.BytesIO(b"\x00\x01\x02binary"), COLUMNS)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("3.6021E+15", "3.6021E+15"),
        ("3,6021E+15", "notasi ilmiah"),
        ("602141201900001", "nol di depan"),
        ("36021412019A0001", "hanya boleh berisi angka"),
        ("360214120190000", "nol di depan"),
        ("36021412", "16 digit"),
        ("", "kosong"),
    ],
)
def test_mangled_numbers_are_refused_with_the_reason(value, fragment):
    with pytest.raises(CellError) as excinfo:
        parse_digits(value, length=16, label="NIK")
    assert fragment in excinfo.value.message
    assert "NIK" in excinfo.value.message


def test_good_numbers_pass_even_with_text_markers():
    assert parse_digits("'3602141201900001", length=16, label="NIK") == "3602141201900001"
    assert parse_digits(" 3602141201900001.0 ", length=16, label="NIK") == "3602141201900001"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31-12-2024", datetime.date(2024, 12, 31)),
        ("31/12/2024", datetime.date(2024, 12, 31)),
        ("2024-12-31", datetime.date(2024, 12, 31)),
        ("2024-12-31 00:00:00", datetime.date(2024, 12, 31)),
        ("45657", datetime.date(2024, 12, 31)),
        (45657, datetime.date(2024, 12, 31)),
        ("", None),
    ],
)
def test_dates_in_every_form_users_send(value, expected):
    assert parse_date(value, label="Tanggal Lahir") == expected


def test_bad_dates_name_the_column():
    with pytest.raises(CellError, match="Tanggal Lahir"):
        parse_date("31-02-2024", label="Tanggal Lahir")
    with pytest.raises(CellError, match="Tanggal Lahir"):
        parse_date("kemarin", label="Tanggal Lahir")


def test_integers_within_bounds():
    assert parse_int("5", label="Desil", minimum=1, maximum=10) == 5
    assert parse_int("", label="Desil") is None
    with pytest.raises(CellError, match="Desil"):
        parse_int("11", label="Desil", minimum=1, maximum=10)
    with pytest.raises(CellError, match="Desil"):
        parse_int("2,5", label="Desil")


def test_report_and_rejected_rows_round_trip():
    errors = RowErrors()
    errors.add(3, "NIK", "NIK kosong.", "")
    errors.add(2, "Nama", "Nama kosong.", None)
    assert errors.rows == {2, 3} and len(errors) == 2
    report = load_workbook(io.BytesIO(write_report(errors)), read_only=True).active
    values = list(report.iter_rows(values_only=True))
    assert values[0] == ("Baris", "Kolom", "Pesan", "Nilai")
    assert values[1][:3] == (2, "Nama", "Nama kosong.")

    rejected = write_rows(
        ["NIK", "Nama"], [(2, ["3602141201900001", ""])], fmt="csv", errors=errors
    )
    assert rejected.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(rejected.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0] == ["NIK", "Nama", "Masalah"]
    assert parsed[1] == ["3602141201900001", "", "Nama: Nama kosong."]


def test_template_has_the_headers_and_text_cells():
    data = write_template(COLUMNS, examples=[["3602141201900001", "Siti", "12-01-1990", ""]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["NIK", "Nama", "Tanggal Lahir", "No. KK"]
    assert sheet["A2"].value == "3602141201900001"
    assert sheet["A2"].number_format == "@"
    # Read back as an import.
    table = read_table(io.BytesIO(data), COLUMNS)
    assert next(table.rows())[1]["nik"] == "3602141201900001"
