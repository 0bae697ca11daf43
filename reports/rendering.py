"""Render a report document to PDF with WeasyPrint.

A4, named pages (``wide`` = A4 landscape for wide tables), table headers repeated on every page
(``thead``), the agency's name as running header, page numbers in the footer, real page numbers
in the Daftar Isi/Tabel/Grafik (``target-counter``), charts as inline SVG, a DRAFT mark on every
page of an unapproved version.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from welfare.pdf import html_to_pdf

from .charts import chart_svg
from .kinds import get_kind
from .tables import format_cell

STYLE = Path(__file__).parent / "static_pdf" / "report.css"


def _prepare(document: dict) -> dict:
    """Blocks ready for the template: formatted cells, SVG charts, lists for the TOCs."""
    blocks, toc, tables, figures = [], [], [], []
    for block in document["blocks"]:
        block = dict(block)
        if block["type"] == "table":
            table = block["table"]
            block["header"] = table["header"]
            block["rows"] = [
                {
                    "style": row.get("style", ""),
                    "cells": [
                        {
                            "text": format_cell(cell),
                            "kind": cell.get("t", "text"),
                            "cs": cell.get("cs", 1),
                            "bold": cell.get("b"),
                            "indent": cell.get("i", 0),
                        }
                        for cell in row["cells"]
                    ],
                }
                for row in table["rows"]
            ]
            block["widths"] = _column_widths(table)
            # a table with no rows shows its note only: it needs no landscape page
            block["wide"] = table.get("orientation") == "landscape" and bool(block["rows"])
            tables.append(block)
        elif block["type"] == "chart":
            block["svg"] = mark_safe(chart_svg(block["chart"]))
            figures.append(block)
        elif block["type"] in ("chapter", "heading", "front") or block["type"] in (
            "toc",
            "lot",
            "loc",
        ):
            if block["type"] != "toc":
                toc.append(block)
        elif block["type"] == "narrative":
            block["paragraphs"] = [p.strip() for p in block["text"].split("\n\n") if p.strip()]
        blocks.append(block)
    _lead_into_wide_tables(blocks)
    _trail_after_wide_tables(blocks)
    return {"blocks": blocks, "toc": toc, "tables": tables, "figures": figures}


TEXT_BLOCKS = ("subtitle", "p", "narrative", "list")
SHORT_LEAD = 1500  # characters: a longer lead fills its own portrait page anyway
SMALL_TABLE = 12  # rows: a table this small may join a landscape page


def _lead_length(block: dict) -> int:
    if block["type"] == "table":
        return 80 * (len(block["rows"]) + 2)  # about a line of text per row
    return len(block.get("text") or block.get("title") or "") + sum(
        len(item) for item in block.get("items") or []
    )


def _joins_wide_page(block: dict) -> bool:
    if block["type"] == "table":
        return not block["wide"] and len(block["rows"]) <= SMALL_TABLE
    return block["type"] in TEXT_BLOCKS


def _lead_into_wide_tables(blocks: list[dict]) -> None:
    """A heading with a short lead (text, a small table) before a landscape table goes onto
    the table's landscape page (``wide``), instead of standing alone at the top of an
    otherwise blank portrait page."""
    for index, block in enumerate(blocks):
        if block["type"] != "table" or not block["wide"]:
            continue
        start = index
        while start > 0 and _joins_wide_page(blocks[start - 1]):
            start -= 1
            if blocks[start]["type"] == "subtitle":
                break  # the lead starts at the nearest subtitle (a program's name, say)...
        if start == 0 or (
            blocks[start]["type"] != "subtitle" and blocks[start - 1]["type"] != "heading"
        ):
            continue  # ... or heading; otherwise it continues something else and stays
        while start > 0 and blocks[start - 1]["type"] == "heading":
            start -= 1
        if start > 0 and blocks[start - 1]["type"] in ("chapter", "front"):
            continue  # a chapter's opening page keeps its first section
        lead = blocks[start:index]
        if sum(_lead_length(b) for b in lead) <= SHORT_LEAD:
            for b in lead:
                b["wide"] = True


def _trail_after_wide_tables(blocks: list[dict]) -> None:
    """A short text right after a landscape table (the sentences about it) stays on its page,
    instead of standing alone on a portrait page before the next chapter."""
    for index, block in enumerate(blocks):
        if block["type"] != "table" or not block["wide"]:
            continue
        end = index + 1
        while end < len(blocks) and blocks[end]["type"] in ("p", "narrative", "list"):
            end += 1
        trail = blocks[index + 1 : end]
        if sum(_lead_length(b) for b in trail) <= SHORT_LEAD:
            for b in trail:
                b["wide"] = True


def _column_widths(table: dict) -> list[str]:
    """Column widths in % for ``table-layout: fixed`` (much faster to lay out than automatic
    widths): the table's own, else from the longest text of each column, within bounds."""
    count = max(
        [sum(c.get("cs", 1) for c in row["cells"]) for row in table["rows"]]
        + [sum(c.get("cs", 1) for c in table["header"][0])]
        if table["header"]
        else [1]
    )
    weights = [float(w) for w in table.get("widths") or []]
    if len(weights) != count:
        weights = [4.0] * count
        for column, cell in _header_positions(table["header"]):
            if cell.get("cs", 1) == 1 and column < count:
                longest = max((len(w) for w in str(cell.get("v", "")).split()), default=0)
                weights[column] = max(weights[column], longest + 1.5)
        for row in table["rows"][:200]:
            column = 0
            for cell in row["cells"]:
                cs = cell.get("cs", 1)
                if cs == 1 and column < count:
                    # words wrap (their weight grows slower than their length); numbers
                    # and codes must not wrap (their weight is their length)
                    shown = format_cell(cell)
                    if " " in shown.strip():
                        weight = min(float(len(shown)), 60.0) ** 0.75 + 2 * cell.get("i", 0)
                    else:
                        weight = len(shown) + 1.5
                    weights[column] = max(weights[column], weight)
                column += cs
    total = sum(weights) or 1.0
    return [f"{100 * w / total:.2f}%" for w in weights]


def _header_positions(header: list[list[dict]]):
    """(column, cell) of every header cell, placed as a browser places them: a cell spanning
    rows takes its column in the rows below, so a second header row (e.g. "Tersalur", "%"
    under each tahap) lands under its own columns."""
    taken: dict[int, set[int]] = {}
    for row_index, header_row in enumerate(header):
        column = 0
        for cell in header_row:
            while column in taken.get(row_index, set()):
                column += 1
            yield column, cell
            for r in range(row_index, row_index + cell.get("rs", 1)):
                taken.setdefault(r, set()).update(range(column, column + cell.get("cs", 1)))
            column += cell.get("cs", 1)


def _css_string(value: str) -> str:
    """Text for a CSS string literal (the running header), without breaking out of it."""
    return "".join(ch if ch.isalnum() or ch in " .,-/()" else f"\\{ord(ch):x} " for ch in value)


def render_html(document: dict, *, draft: bool) -> str:
    kind = get_kind(document["kind"])
    with translation.override("id"):
        context = {
            "doc": document,
            "meta": document["meta"],
            "draft": draft,
            "style": STYLE.read_text(encoding="utf-8"),
            "header_text": _css_string(document["meta"].get("agency", "")),
            **_prepare(document),
        }
        return render_to_string(kind.template, context)


def render_pdf(document: dict, *, draft: bool) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    return html_to_pdf(render_html(document, draft=draft), base_url=str(settings.MEDIA_ROOT) + "/")
