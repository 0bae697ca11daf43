"""The document a report is rendered from: JSON-able blocks, numbered tables and charts.

Blocks (``doc["blocks"]``):

* ``{"type": "front", "id", "title"}`` a front-matter part on a new page (Kata Pengantar ...)
* ``{"type": "toc"|"lot"|"loc", "id", "title"}`` Daftar Isi / Tabel / Grafik (page numbers
  filled in by WeasyPrint with ``target-counter``)
* ``{"type": "chapter", "id", "number", "title"}`` BAB I ... on a new page
* ``{"type": "heading", "id", "level", "number", "title"}``
* ``{"type": "p", "text"}``, ``{"type": "list", "items": [...]}``,
  ``{"type": "narrative", "section", "text"}``
* ``{"type": "table", "table": TableData.as_dict()}``, ``{"type": "chart", "chart": {...}}``

The fingerprint is the SHA-256 of the canonical JSON of the document: the same data gives the
same document, hence the same fingerprint.
"""

from __future__ import annotations

import hashlib
import json

from .tables import TableData


def fingerprint(document: dict) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class DocumentBuilder:
    def __init__(self, *, kind: str, year: int, meta: dict) -> None:
        self.doc = {"kind": kind, "year": year, "meta": meta, "blocks": []}
        self.chapter = ""
        self.table_count = 0
        self.chart_count = 0
        self.headings: list[int] = []
        self.ids: set[str] = set()

    def _id(self, prefix: str) -> str:
        number = len(self.ids) + 1
        ident = f"{prefix}-{number}"
        self.ids.add(ident)
        return ident

    def add(self, block: dict) -> dict:
        self.doc["blocks"].append(block)
        return block

    def front(self, kind: str, title: str) -> None:
        self.add({"type": kind, "id": self._id(kind), "title": title})

    def chapter_start(self, number: str, arabic: int, title: str) -> None:
        self.chapter = str(arabic)
        self.table_count = self.chart_count = 0
        self.headings = []
        self.add({"type": "chapter", "id": self._id("bab"), "number": number, "title": title})

    def heading(self, level: int, title: str) -> str:
        """level 2 = 3.1, level 3 = 3.1.1, level 4 = 3.1.1.1 (numbered within the chapter)."""
        depth = level - 1
        self.headings = self.headings[:depth]
        while len(self.headings) < depth:
            self.headings.append(0)
        self.headings[depth - 1] += 1
        number = ".".join([self.chapter, *map(str, self.headings)]) if self.chapter else ""
        self.add(
            {
                "type": "heading",
                "id": self._id("h"),
                "level": level,
                "number": number,
                "title": title,
            }
        )
        return number

    def p(self, text: str) -> None:
        if text:
            self.add({"type": "p", "text": text})

    def items(self, items: list[str]) -> None:
        if items:
            self.add({"type": "list", "items": items})

    def narrative(self, section: str, text: str) -> None:
        self.add({"type": "narrative", "section": section, "text": text})

    def table(self, table: TableData) -> TableData:
        self.table_count += 1
        prefix = self.chapter or "L"
        table.number = f"{prefix}.{self.table_count}"
        block = {"type": "table", "id": self._id("tabel"), "table": table.as_dict()}
        self.add(block)
        return table

    def chart(self, chart: dict) -> dict:
        self.chart_count += 1
        prefix = self.chapter or "L"
        chart["number"] = f"{prefix}.{self.chart_count}"
        self.add({"type": "chart", "id": self._id("grafik"), "chart": chart})
        return chart


def document_tables(document: dict) -> list[dict]:
    return [b["table"] for b in document.get("blocks", []) if b["type"] == "table"]


def document_table(document: dict, key: str) -> dict | None:
    """A table of the document by its number ("3.2") or key."""
    for table in document_tables(document):
        if key in (table["number"], table["key"]):
            return table
    return None
