"""The operational tables of fieldwork, registered through the same contribution registry
the registry (DTSEN recap by desil) and programs (aid per desa per tahap) will use."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .contributions import register_lkjip_table
from .tables import TableData, num, span, text


def _on(year: int) -> datetime.date:
    return min(datetime.date(year, 12, 31), timezone.localdate())


def _h(label, **spans):
    return span(text(label), **spans)


def tksk_volunteers(year: int, user) -> TableData | None:
    from fieldwork.selectors import psks_worker_recap

    recap = psks_worker_recap(user=user, on=_on(year))
    table = TableData(
        key="tksk_relawan",
        title=_("Social Workers (TKSK) and Social Volunteers per Kecamatan %(year)s")
        % {"year": year},
        header=[
            [
                _h(_("No."), rows=2),
                _h(_("Kecamatan"), rows=2),
                _h("TKSK", cols=2),
                _h(_("Social volunteers"), cols=2),
            ],
            [_h(_("Number")), _h(_("Certified"))] * 2,
        ],
        source=_("Source: field work registry, position on %(date)s") % {"date": recap.on},
    )
    for index, row in enumerate(recap.rows, 1):
        table.add(
            text(index),
            text(row.name.title()),
            num(row.tksk),
            num(row.tksk_certified),
            num(row.volunteers),
            num(row.volunteers_certified),
        )
    t = recap.totals
    table.add(
        _h(_("Total"), cols=2),
        num(t["tksk"]),
        num(t["tksk_certified"]),
        num(t["volunteers"]),
        num(t["volunteers_certified"]),
        style="total",
    )
    return table


def lks_accreditation(year: int, user) -> TableData | None:
    from fieldwork.selectors import lks_recap

    recap = lks_recap(user=user, on=_on(year))
    table = TableData(
        key="lks_akreditasi",
        title=_("Social Welfare Institutions (LKS) and their Accreditation per Kecamatan %(year)s")
        % {"year": year},
        header=[
            [
                _h(_("No.")),
                _h(_("Kecamatan")),
                _h(_("LKS")),
                _h(_("Accredited")),
                _h(_("Accreditation lapsed")),
                _h(_("Never accredited")),
            ]
        ],
        source=_("Source: field work registry, position on %(date)s") % {"date": recap.on},
    )
    for index, row in enumerate(recap.rows, 1):
        table.add(
            text(index),
            text(row.name.title()),
            num(row.total),
            num(row.accredited),
            num(row.expired),
            num(row.never),
        )
    t = recap.totals
    table.add(
        _h(_("Total"), cols=2),
        num(t["total"]),
        num(t["accredited"]),
        num(t["expired"]),
        num(t["never"]),
        style="total",
    )
    return table


def disaster_victims(year: int, user) -> TableData | None:
    from fieldwork.selectors import disaster_victims as victims

    matrix = victims(user=user, year=year)
    table = TableData(
        key="korban_bencana",
        title=_("Disaster Victims (persons affected) per Kecamatan and Type %(year)s")
        % {"year": year},
        header=[
            [
                _h(_("No.")),
                _h(_("Kecamatan")),
                *[_h(str(label)) for _key, label in matrix.columns],
                _h(_("Total")),
            ]
        ],
        orientation="landscape",
        source=_("Source: approved disaster reports of the TKSK"),
    )
    for index, row in enumerate(matrix.rows, 1):
        table.add(
            text(index),
            text(row.name.title()),
            *[num(row.cells[key]) for key, _label in matrix.columns],
            num(row.total),
        )
    table.add(
        _h(_("Total"), cols=2),
        *[num(matrix.totals[key]) for key, _label in matrix.columns],
        num(matrix.total),
        style="total",
    )
    return table


def register() -> None:
    register_lkjip_table(
        "tksk_relawan",
        title="TKSK dan relawan sosial per kecamatan",
        builder=tksk_volunteers,
        program="1.06.02",
        order=10,
    )
    register_lkjip_table(
        "lks_akreditasi",
        title="LKS dan akreditasinya per kecamatan",
        builder=lks_accreditation,
        program="1.06.02",
        order=20,
    )
    register_lkjip_table(
        "korban_bencana",
        title="Korban bencana per kecamatan dan jenis",
        builder=disaster_victims,
        program="1.06.06",
        orientation="landscape",
        order=10,
    )
