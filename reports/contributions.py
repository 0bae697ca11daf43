"""Tables other apps contribute to the LKjIP (the operational tables per kecamatan and desa).

The LKjIP builder knows the performance figures; the operational tables (TKSK and volunteers,
LKS, disaster victims, DTSEN recap by desil, aid per desa per tahap) come from the apps that
hold the data, through this registry::

    from reports.contributions import register_lkjip_table
    from reports.tables import TableData, num, text

    def dtsen_by_desil(year: int, user) -> TableData | None:
        table = TableData(key="dtsen_desil", title=f"Rekapitulasi DTSEN ... {year}", header=[...])
        ...                       # one aggregate query through the app's selectors
        return table              # None: no data for the year (the report says so)

    register_lkjip_table(
        "dtsen_desil",
        title="Rekapitulasi DTSEN per kecamatan dan desil",
        program="1.06.05",        # placed after the tables of this program in BAB III
        builder=dtsen_by_desil,
        orientation="landscape",
        order=10,
    )

Call it in the contributing app's ``AppConfig.ready()`` (or a module it imports). ``program``
is the code of the program (nomenclature 1.06.xx) under whose analysis the table appears;
``program=None`` puts it in the Lampiran. The table is numbered with the other tables of its
chapter, listed in the Daftar Tabel, and downloadable as XLSX like every LKjIP table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .tables import TableData

TableBuilder = Callable[[int, object], "TableData | None"]


@dataclass(frozen=True)
class Contribution:
    key: str
    title: str
    program: str | None
    builder: TableBuilder
    orientation: str = "portrait"
    order: int = 100


_TABLES: dict[str, Contribution] = {}


def register_lkjip_table(
    key: str,
    *,
    title: str,
    builder: TableBuilder,
    program: str | None = None,
    orientation: str = "portrait",
    order: int = 100,
) -> None:
    if orientation not in ("portrait", "landscape"):
        raise ValueError(f"orientation must be portrait or landscape, not {orientation!r}")
    _TABLES[key] = Contribution(key, title, program, builder, orientation, order)


def unregister_lkjip_table(key: str) -> None:
    _TABLES.pop(key, None)


def contributions(program: str | None = ...) -> list[Contribution]:
    """All contributions (in order), or those placed under one program (None: the Lampiran)."""
    items = sorted(_TABLES.values(), key=lambda c: (c.order, c.key))
    if program is ...:
        return items
    return [c for c in items if c.program == program]
