"""The operational tables of the LKjIP from field work (TKSK and volunteers, LKS, disaster
victims), the registry (DTSEN recap by desil) and the programs (aid per desa per tahap), each
built from its app's selectors and registered through the contribution registry."""

from __future__ import annotations

import datetime
from functools import partial

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .contributions import register_lkjip_table
from .tables import TableData, num, pct, span, text


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


# --- Registry and programs tables ----------------------------------------------------------


def dtsen_by_desil(year: int, user) -> TableData | None:
    """DTSEN recap: households and persons per kecamatan and desil (the registry's current
    ranking; the table says on which date)."""
    from beneficiaries.selectors import desil_recap

    recap = desil_recap(user=user)
    if not recap["rows"] or not recap["households_total"]:
        return None
    table = TableData(
        key="dtsen_desil",
        title=_("DTSEN Households per Kecamatan and Desil %(year)s") % {"year": year},
        header=[
            [
                _h(_("No."), rows=2),
                _h(_("Kecamatan"), rows=2),
                _h(_("Desil"), cols=10),
                _h(_("Total households"), rows=2),
                _h(_("Total persons"), rows=2),
            ],
            [_h(str(d)) for d in range(1, 11)],
        ],
        orientation="landscape",
        source=_("Source: registry of the office (DTSEN ranking), position on %(date)s")
        % {"date": _on(year).isoformat()},
    )
    for index, row in enumerate(recap["rows"], 1):
        table.add(
            text(index),
            text(row.name.title()),
            *[num(v) for v in row.households],
            num(row.households_total),
            num(row.persons_total),
        )
    table.add(
        _h(_("Total"), cols=2),
        *[num(v) for v in recap["households"]],
        num(recap["households_total"]),
        num(recap["persons_total"]),
        style="total",
    )
    return table


def aid_per_village(year: int, user, *, program_code: str) -> TableData | None:
    from programs.models import Program
    from programs.selectors import realization_by_area

    program = Program.objects.filter(code=program_code).first()
    if program is None:
        return None
    rows = realization_by_area(program=program, year=year, group_by="village", user=user)
    if not rows or not rows[-1].recipients:
        return None
    stages = rows[-1].stages
    table = TableData(
        key=f"bantuan_desa_tahap_{program.code.lower()}",
        title=_("Realization of %(program)s per Desa and Stage %(year)s")
        % {"program": program.name, "year": year},
        header=[
            [
                _h(_("No."), rows=2),
                _h(_("Kecamatan"), rows=2),
                _h(_("Desa/kelurahan"), rows=2),
                _h(_("Recipients"), rows=2),
                *[_h(str(stage.name), cols=2) for stage in stages],
            ],
            [_h(_("Paid")), _h("%")] * len(stages),
        ],
        orientation="landscape",
        source=_("Source: disbursements of %(program)s recorded in the application")
        % {"program": program.code},
    )
    # As the district reports it: the kecamatan numbered and named on its first desa, its
    # desa below, then its sub total.
    number, current = 0, None
    for row in rows[:-1]:
        cells = []
        for figure in row.stages:
            cells += [num(figure.paid), pct(figure.pct)]
        if row.is_subtotal:
            table.add(
                _h(_("Sub total %(kecamatan)s") % {"kecamatan": row.name.title()}, cols=3),
                num(row.recipients),
                *cells,
                style="total",
            )
            continue
        if row.district_code != current:
            number, current = number + 1, row.district_code
            district = [text(number), text(row.district_name.title())]
        else:
            district = [text(""), text("")]
        table.add(*district, text(row.name.title()), num(row.recipients), *cells)
    total = rows[-1]
    cells = []
    for figure in total.stages:
        cells += [num(figure.paid), pct(figure.pct)]
    table.add(_h(_("Total"), cols=3), num(total.recipients), *cells, style="total")
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
    if apps.is_installed("beneficiaries"):
        register_lkjip_table(
            "dtsen_desil",
            title="Rekapitulasi DTSEN per kecamatan dan desil",
            builder=dtsen_by_desil,
            program="1.06.05",
            orientation="landscape",
            order=10,
        )
    if apps.is_installed("programs"):
        # The district's own programs paid in stages, reported per desa and tahap (the national
        # programs are reported by the ministry); settable per deployment.
        for order, code in enumerate(
            getattr(settings, "REPORTS_LKJIP_AID_PROGRAMS", ("BSPD-KAB",))
        ):
            register_lkjip_table(
                f"bantuan_desa_tahap_{code.lower()}",
                title=f"Realisasi {code} per desa dan tahap",
                builder=partial(aid_per_village, program_code=code),
                program="1.06.05",
                orientation="landscape",
                order=20 + order,
            )
