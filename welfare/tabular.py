"""Reading and reporting tabular imports (CSV/XLSX) with Indonesian column headers.

Domain-free building blocks for every "upload -> validate every row -> report -> commit" import
(the registry, program enrollment, bank results). An app declares its columns, reads the file,
checks each row with the cell helpers and collects problems; this module writes the report and
the file of rejected rows.

    COLUMNS = [
        Column("nik", _("NIK"), required=True, aliases=("no nik", "nomor induk kependudukan")),
        Column("birth_date", _("Tanggal Lahir")),
    ]
    table = read_table(uploaded_file, COLUMNS)     # TabularError: unreadable, missing headers
    errors = RowErrors()
    for number, row in table.rows():               # number: the row as the user sees it
        try:
            nik = parse_digits(row["nik"], length=16, label=_("NIK"))
        except CellError as exc:
            errors.add(number, "NIK", exc.message, row["nik"])
    report_bytes = write_report(errors, fmt="xlsx")
    rejected = write_rows(table.headers, bad_rows, fmt="csv", errors=errors)

What it copes with:

* CSV separated by ``;`` (Indonesian Excel), ``,`` or a tab; encoded UTF-8 with or without a BOM,
  or Windows-1252 (``sniff_csv``; ``open_csv_text`` gives the decoded text stream, also used to
  feed ``COPY``); XLSX (first sheet, or a named one) read in streaming mode.
* Headers matched without regard to case, spaces, dots, slashes or underscores, with aliases.
* ``parse_date``: dates from XLSX cells, Excel serial numbers (``45231``), ``31-12-2024``,
  ``31/12/2024``, ``2024-12-31``.
* ``parse_digits``: identity numbers (NIK, No. KK) refused with a message that says what went
  wrong when a spreadsheet turned them into a number (``3.6021E+15``, ``3602141201900001.0``)
  or dropped a leading zero (one digit short).

Messages are translated (Bahasa Indonesia) and name the column; ``RowErrors`` keeps the row
number users see in their spreadsheet (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

SEPARATORS = (";", ",", "\t", "|")
ENCODINGS = ("utf-8-sig", "cp1252")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers between these are taken for Excel dates (1900-01-01 .. 2100-01-01).
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 2, 73051


class TabularError(Exception):
    """The file as a whole cannot be read (format, encoding, headers): message for the user."""


class CellError(Exception):
    """One cell is wrong; ``message`` is for the user (it names the column)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """A column of an import: ``key`` used in code, ``header`` shown in the template."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""


def header_key(value) -> str:
    """Compare headers loosely: 'No. KK' == 'no_kk' == 'NO KK' == 'nokk'."""
    return re.sub(r"[^0-9a-z]", "", str(value or "").lower())


@dataclass
class Table:
    """A read file: ``mapping`` (column key -> position), ``headers`` as in the file."""

    fmt: str  # "csv" or "xlsx"
    headers: list[str]
    mapping: dict[str, int]
    unknown_headers: list[str] = field(default_factory=list)
    separator: str = ","
    encoding: str = "utf-8-sig"
    _raw_rows: Iterable[list] | None = None

    def rows(self) -> Iterator[tuple[int, dict]]:
        """(row number as the user sees it, {column key: raw value}); blank rows skipped."""
        for index, mapped, _values in self.records():
            yield index, mapped

    def records(self) -> Iterator[tuple[int, dict, list]]:
        """As ``rows()``, with the row's cells as in the file too (for ``write_rows``, the
        file of refused rows), so that a file is read once."""
        for index, values in enumerate(self.raw_rows(), start=2):
            if not any(_filled(v) for v in values):
                continue
            yield (
                index,
                {
                    key: (values[pos] if pos < len(values) else None)
                    for key, pos in self.mapping.items()
                },
                values,
            )

    def raw_rows(self) -> Iterator[list]:
        """The data rows as lists of cell values in file order (no header)."""
        if self._raw_rows is None:
            return iter(())
        rows, self._raw_rows = self._raw_rows, None  # a stream: read once
        return iter(rows)


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def map_headers(headers: list, columns: Iterable[Column]) -> tuple[dict[str, int], list[str]]:
    """Match file headers to columns; raise TabularError naming missing required columns."""
    wanted: dict[str, Column] = {}
    for column in columns:
        for name in (column.key, column.header, *column.aliases):
            wanted.setdefault(header_key(name), column)
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for position, header in enumerate(headers):
        column = wanted.get(header_key(header))
        if column is None:
            if _filled(header):
                unknown.append(str(header))
        elif column.key not in mapping:
            mapping[column.key] = position
    missing = [str(c.header) for c in columns if c.required and c.key not in mapping]
    if missing:
        raise TabularError(
            _(
                "Required columns are missing: %(columns)s. Use the template's first row as the header."
            )
            % {"columns": ", ".join(missing)}
        )
    if not mapping:
        raise TabularError(_("No known column was found in the first row of the file."))
    return mapping, unknown


def detect_format(file) -> str:
    """'xlsx' or 'csv' from the content; TabularError for anything else."""
    position = file.tell()
    head = file.read(8)
    file.seek(position)
    if isinstance(head, str):
        return "csv"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TabularError(
            _("Old Excel files (.xls) are not accepted: save the file as .xlsx or CSV.")
        )
    if b"\x00" in head:
        raise TabularError(_("The file is neither CSV nor XLSX."))
    return "csv"


def sniff_csv(file, *, sample_bytes: int = 65536) -> tuple[str, str]:
    """(encoding, separator) of a CSV byte stream, from its beginning; the stream is rewound.

    UTF-8 (a BOM is dropped) is tried first, then Windows-1252. The separator is the one of
    ``SEPARATORS`` that occurs most often in the header line outside quotes."""
    position = file.tell()
    sample = file.read(sample_bytes)
    file.seek(position)
    encoding = None
    for candidate in ENCODINGS:
        try:
            # A multi-byte character may be cut at the end of the sample: decode incrementally.
            codecs.getincrementaldecoder(candidate)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        encoding = candidate
        break
    if encoding is None:
        raise TabularError(_("The file's text encoding is not UTF-8 or Windows-1252."))
    text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    first_line = next(iter(text.splitlines()), "")
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
    separator = max(counts, key=counts.get)
    if counts[separator] == 0:
        separator = ","
    return encoding, separator


class _KeepOpen:
    """A byte stream whose ``close`` does nothing: the caller's file stays open (and can be
    read again) when the text wrapper around it is dropped."""

    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):
        return getattr(self._file, name)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def flush(self) -> None:
        # Read only: nothing to flush. The text wrapper flushes when it is collected, maybe
        # after the caller closed the file, which would raise "I/O operation on closed file".
        pass

    @property
    def closed(self) -> bool:
        return False


def open_csv_text(file, encoding: str) -> io.TextIOBase:
    """The decoded text of a CSV byte stream (BOM dropped), newlines kept for the csv module.
    Dropping the text stream leaves ``file`` open."""
    return io.TextIOWrapper(_KeepOpen(file), encoding=encoding, newline="", errors="strict")


def read_table(file, columns: Iterable[Column], *, sheet: str | None = None) -> Table:
    """Open a CSV or XLSX file (binary stream) and map its header row to ``columns``.

    The rows are read lazily (``Table.rows()``), so a large file is never held in memory."""
    columns = list(columns)
    fmt = detect_format(file)
    if fmt == "xlsx":
        return _read_xlsx(file, columns, sheet)
    encoding, separator = sniff_csv(file)
    text = open_csv_text(file, encoding)
    reader = csv.reader(text, delimiter=separator)
    try:
        headers = next(reader)
    except StopIteration as exc:
        raise TabularError(_("The file is empty.")) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise TabularError(_("The file could not be read as CSV.")) from exc
    mapping, unknown = map_headers(headers, columns)
    return Table(
        fmt="csv",
        headers=[h.strip() for h in headers],
        mapping=mapping,
        unknown_headers=unknown,
        separator=separator,
        encoding=encoding,
        _raw_rows=_csv_rows(reader),
    )


def _csv_rows(reader) -> Iterator[list]:
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        raise TabularError(_("The file mixes text encodings; save it again as CSV UTF-8.")) from exc
    except csv.Error as exc:
        raise TabularError(
            _("The CSV file is damaged near line %(line)s.") % {"line": reader.line_num}
        ) from exc


def _read_xlsx(file, columns: list[Column], sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TabularError(_("The XLSX file could not be opened; it may be damaged.")) from exc
    if sheet and sheet in workbook.sheetnames:
        worksheet = workbook[sheet]
    else:
        worksheet = workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    try:
        headers = list(next(rows))
    except StopIteration as exc:
        raise TabularError(_("The file is empty.")) from exc
    while headers and not _filled(headers[-1]):
        headers.pop()
    mapping, unknown = map_headers(headers, columns)
    return Table(
        fmt="xlsx",
        headers=[str(h or "").strip() for h in headers],
        mapping=mapping,
        unknown_headers=unknown,
        _raw_rows=(list(r) for r in rows),
    )


# --- Cell helpers ---------------------------------------------------------------------------


def clean_text(value) -> str:
    """A cell as stripped text ('' for empty); whole floats from XLSX lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


SCIENTIFIC = re.compile(r"^\s*\d+([.,]\d+)?[eE]\+?\d+\s*$")


def is_scientific(value) -> bool:
    """True for '3.6021E+15' / '3,6021E+15': a long number a spreadsheet shortened."""
    return isinstance(value, str) and bool(SCIENTIFIC.match(value))


def parse_digits(value, *, length: int, label: str, required: bool = True) -> str:
    """A fixed-length identity number (NIK, No. KK) as a string of digits.

    Refuses, with a message naming ``label``: an empty cell (when required), a number a
    spreadsheet turned into scientific notation or a float (the last digits are lost), a value
    one or more digits short (a dropped leading zero is said so), other characters."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits: a 16-digit number stored as a number lost its end.
        raise CellError(
            _(
                "%(label)s was stored as a number by the spreadsheet, so its last digits may be lost; format the column as Text and type it again."
            )
            % {"label": label}
        )
    text = clean_text(value).replace(" ", "")
    if not text:
        if required:
            raise CellError(_("%(label)s is empty.") % {"label": label})
        return ""
    if is_scientific(text):
        raise CellError(
            _(
                "%(label)s %(value)s was turned into a number by the spreadsheet (scientific notation) and its digits are lost; format the column as Text and type it again."
            )
            % {"label": label, "value": text}
        )
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.startswith("'"):
        text = text[1:]
    if not text.isdigit():
        raise CellError(
            _("%(label)s may contain only digits; %(value)s has other characters.")
            % {"label": label, "value": text}
        )
    if len(text) == length - 1:
        raise CellError(
            _(
                "%(label)s has %(count)s digits instead of %(length)s: the spreadsheet probably dropped a leading zero; format the column as Text and type it again."
            )
            % {"label": label, "count": len(text), "length": length}
        )
    if len(text) != length:
        raise CellError(
            _("%(label)s must have %(length)s digits; %(value)s has %(count)s.")
            % {"label": label, "length": length, "value": text, "count": len(text)}
        )
    return text


def excel_serial_to_date(serial: float) -> datetime.date:
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
)


def parse_date(value, *, label: str, required: bool = False) -> datetime.date | None:
    """A date from an XLSX date cell, an Excel serial number or DD-MM-YYYY / DD/MM/YYYY /
    YYYY-MM-DD text. Raises CellError naming ``label``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX:
            return excel_serial_to_date(value)
        raise CellError(_("%(label)s is not a date: %(value)s.") % {"label": label, "value": value})
    text = clean_text(value)
    if not text:
        if required:
            raise CellError(_("%(label)s is empty.") % {"label": label})
        return None
    text = text.split(" ")[0].split("T")[0]  # '2024-12-31 00:00:00'
    if re.fullmatch(r"\d{1,5}(\.0+)?", text):
        serial = int(float(text))
        if EXCEL_SERIAL_MIN <= serial <= EXCEL_SERIAL_MAX:
            return excel_serial_to_date(serial)
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return datetime.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise CellError(
        _("%(label)s is not a valid date: %(value)s (write it as DD-MM-YYYY).")
        % {"label": label, "value": text}
    )


def parse_int(
    value, *, label: str, minimum: int | None = None, maximum: int | None = None
) -> int | None:
    """A whole number (or None for an empty cell) within bounds; CellError naming ``label``."""
    text = clean_text(value)
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise CellError(
            _("%(label)s must be a whole number; %(value)s is not.")
            % {"label": label, "value": text}
        ) from exc
    if number != number.to_integral_value():
        raise CellError(
            _("%(label)s must be a whole number; %(value)s is not.")
            % {"label": label, "value": text}
        )
    number = int(number)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise CellError(
            _("%(label)s must be between %(min)s and %(max)s; it is %(value)s.")
            % {"label": label, "min": minimum, "max": maximum, "value": number}
        )
    return number


# --- Problems, reports, rejected rows ---------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    value: str = ""


class RowErrors:
    """The problems of an import, by row (the number users see) and column."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self._rows: set[int] = set()

    def add(self, row: int, column: str, message: str, value=None) -> None:
        self.items.append(RowError(row, str(column), str(message), clean_text(value)[:200]))
        self._rows.add(row)

    def extend(self, items: Iterable[RowError]) -> None:
        for item in items:
            self.items.append(item)
            self._rows.add(item.row)

    def has_row(self, row: int) -> bool:
        return row in self._rows

    @property
    def rows(self) -> set[int]:
        return set(self._rows)

    def for_row(self, row: int) -> list[RowError]:
        return [item for item in self.items if item.row == row]

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[RowError]:
        return sorted(self.items, key=lambda item: (item.row, item.column))


def report_headers() -> list[str]:
    return [_("Row"), _("Column"), pgettext("report column", "Message"), _("Value")]


def write_report(errors: RowErrors | Iterable[RowError], *, fmt: str = "xlsx") -> bytes:
    """The list of problems (row, column, message, value) as an XLSX or CSV file."""
    items = errors.sorted() if isinstance(errors, RowErrors) else list(errors)
    rows = [[item.row, item.column, item.message, item.value] for item in items]
    return write_table(report_headers(), rows, fmt=fmt, sheet_title=_("Problems"))


def write_rows(
    headers: list[str],
    rows: Iterable[tuple[int, list]],
    *,
    fmt: str = "xlsx",
    errors: RowErrors | None = None,
) -> bytes:
    """The rejected rows, as the user sent them, with a last column saying what is wrong, so
    that they can be corrected and imported again. ``rows``: (row number, cell values)."""
    out_headers = [*headers, _("Problems")]
    out_rows = []
    for number, values in rows:
        messages = (
            "; ".join(f"{e.column}: {e.message}" for e in errors.for_row(number)) if errors else ""
        )
        cells = [clean_text(v) for v in values][: len(headers)]
        cells += [""] * (len(headers) - len(cells))
        out_rows.append([*cells, messages])
    return write_table(out_headers, out_rows, fmt=fmt, sheet_title=_("Rejected rows"), text=True)


def write_table(
    headers: list[str],
    rows: Iterable[list],
    *,
    fmt: str = "xlsx",
    sheet_title: str = "Data",
    text: bool = False,
) -> bytes:
    """Headers and rows as XLSX (bold header, columns ``text`` formatted as Text so that long
    numbers survive) or CSV (UTF-8 with BOM and ``;``, what Excel in Indonesia opens)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(headers)
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        if text:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "@"
                cells.append(cell)
            sheet.append(cells)
        else:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_template(
    columns: Iterable[Column], *, fmt: str = "xlsx", examples: Iterable[list] = ()
) -> bytes:
    """An empty import template: the headers of ``columns`` (all cells Text), example rows."""
    columns = list(columns)
    return write_table(
        [str(c.header) for c in columns], list(examples), fmt=fmt, sheet_title="Data", text=True
    )
