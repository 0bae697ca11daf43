"""Table data shared by the PDF and the XLSX of every report table.

A table is plain JSON-able data (it is part of the version's snapshot and fingerprint): header
rows of cells with col/row spans, body rows of typed cells, and a source note. A cell is
``{"v": raw, "t": type, "d": decimals}`` where type is ``text``, ``num``, ``pct`` or ``rp``;
raw numbers are strings of a Decimal, so the same value gives the same JSON. The PDF formats
them with ``welfare.formatting``; the XLSX writes numbers as numbers.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from welfare.formatting import format_number, format_percent, format_rupiah


def text(value, *, bold: bool = False, indent: int = 0) -> dict:
    cell = {"v": "" if value is None else str(value), "t": "text"}
    if bold:
        cell["b"] = 1
    if indent:
        cell["i"] = indent
    return cell


def num(value, decimals: int = 0) -> dict:
    return {"v": None if value is None else str(value), "t": "num", "d": decimals}


def pct(value, decimals: int = 2) -> dict:
    return {"v": None if value is None else str(value), "t": "pct", "d": decimals}


def rp(value) -> dict:
    return {"v": None if value is None else str(value), "t": "rp", "d": 0}


def val(value) -> dict:
    """An entered figure with the decimals it was given (as performance_tags.val shows it)."""
    if value is None:
        return num(None)
    decimal = Decimal(str(value)).normalize()
    exponent = decimal.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return num(value, min(decimals, 4))


def span(cell: dict, *, cols: int = 1, rows: int = 1) -> dict:
    if cols > 1:
        cell["cs"] = cols
    if rows > 1:
        cell["rs"] = rows
    return cell


def format_cell(cell: dict) -> str:
    kind, value = cell.get("t", "text"), cell.get("v")
    if kind == "text":
        return value or ""
    if value is None:
        return "-"
    if kind == "pct":
        return format_percent(value, cell.get("d", 2)).rstrip("%")
    if kind == "rp":
        return format_rupiah(value).removeprefix("Rp")
    return format_number(value, cell.get("d", 0))


@dataclass
class TableData:
    key: str
    title: str
    header: list[list[dict]]
    rows: list[dict] = field(default_factory=list)  # {"cells": [...], "style": ""|"group"|"total"}
    number: str = ""  # "3.2", set when the document is numbered
    orientation: str = "portrait"  # or "landscape"
    source: str = ""
    note: str = ""  # shown instead of the rows when empty (e.g. a module not installed)
    widths: list[int] = field(default_factory=list)  # relative column widths

    def add(self, *cells: dict, style: str = "") -> None:
        self.rows.append({"cells": list(cells), "style": style})

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TableData:
        return cls(**data)


def table_xlsx(table: TableData | dict) -> bytes:
    """One table as an XLSX workbook: title, header rows with merged spans, typed cells."""
    return tables_xlsx([table])


def tables_xlsx(tables) -> bytes:
    """Several tables, one sheet each (a whole report's tables in one workbook)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        if isinstance(table, dict):
            table = TableData.from_dict(table)
        name = (f"Tabel {table.number}" if table.number else table.key)[:31]
        while name in used:
            name = name[:28] + f"-{len(used)}"
        used.add(name)
        _write_sheet(workbook.create_sheet(name), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, table: TableData) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    title = f"Tabel {table.number} {table.title}".strip() if table.number else table.title
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True)
    row_index = 3
    taken: set[tuple[int, int]] = set()
    fill = PatternFill("solid", fgColor="DDE4EE")
    width = 0
    for header_row in table.header:
        column = 1
        for cell in header_row:
            while (row_index, column) in taken:
                column += 1
            cols, rows = cell.get("cs", 1), cell.get("rs", 1)
            target = sheet.cell(row=row_index, column=column, value=cell.get("v", ""))
            target.font = Font(bold=True)
            target.fill = fill
            target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if cols > 1 or rows > 1:
                sheet.merge_cells(
                    start_row=row_index,
                    start_column=column,
                    end_row=row_index + rows - 1,
                    end_column=column + cols - 1,
                )
            for r in range(row_index, row_index + rows):
                for c in range(column, column + cols):
                    taken.add((r, c))
            column += cols
            width = max(width, column - 1)
        row_index += 1
    for row in table.rows:
        column = 1
        for cell in row["cells"]:
            kind, value = cell.get("t", "text"), cell.get("v")
            if kind == "text":
                written = value
            elif value is None:
                written = None
            else:
                written = float(Decimal(value)) if cell.get("d", 0) else int(Decimal(value))
            target = sheet.cell(row=row_index, column=column, value=written)
            if kind == "rp":
                target.number_format = "#,##0"
            elif kind in ("num", "pct"):
                decimals = cell.get("d", 0)
                target.number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
            if row.get("style") in ("group", "total") or cell.get("b"):
                target.font = Font(bold=True)
            cols = cell.get("cs", 1)
            if cols > 1:
                sheet.merge_cells(
                    start_row=row_index,
                    start_column=column,
                    end_row=row_index,
                    end_column=column + cols - 1,
                )
            column += cols
        row_index += 1
    if table.source:
        sheet.cell(row=row_index + 1, column=1, value=table.source)
    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.column_dimensions["B"].width = 40
