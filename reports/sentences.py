"""Sentences computed from the figures, in the report's language (Bahasa Indonesia).

Every number in a sentence is formatted by the same function as the table cell it comes from
(``welfare.formatting``), from the same selector value: a sentence can never disagree with its
table.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from welfare.formatting import format_number, format_percent, format_rupiah


def rating_label(band) -> str:
    return band.label if band is not None else "-"


def change_phrase(current: Decimal | None, previous: Decimal | None) -> str:
    """'naik 0,46 poin' / 'turun 1,20 poin' / 'sama' (capaian in percentage points)."""
    if current is None or previous is None:
        return ""
    difference = Decimal(current) - Decimal(previous)
    points = format_number(abs(difference), 2)
    if points == format_number(0, 2):
        return _("unchanged")
    if difference > 0:
        return _("up %(points)s points") % {"points": points}
    return _("down %(points)s points") % {"points": points}


def indicator_sentence(result) -> str:
    """'Capaian indikator X sebesar 99,54% dengan kategori Sangat Tinggi, naik 0,46 poin
    dibandingkan tahun 2024.'"""
    base = _("The achievement of indicator %(name)s is %(capaian)s, rated %(rating)s") % {
        "name": result.indicator.name,
        "capaian": format_percent(result.capaian.value),
        "rating": rating_label(result.rating),
    }
    previous = result.previous
    if previous is not None and previous.capaian.computed and result.capaian.computed:
        change = change_phrase(result.capaian.value, previous.capaian.value)
        base += _(", %(change)s compared with %(year)s") % {
            "change": change,
            "year": previous.year,
        }
    base += "."
    if not result.capaian.computed:
        base += " " + _("It could not be computed: %(reason)s.") % {
            "reason": result.capaian.message.rstrip(".")
        }
    return base


def sasaran_sentence(index: int, sasaran_result) -> str:
    names = [r.indicator.name for r in sasaran_result.indicators]
    return _(
        "Objective %(number)s, %(name)s, is supported by %(count)s indicators (%(names)s); its "
        "average achievement in the year is %(capaian)s, rated %(rating)s."
    ) % {
        "number": index,
        "name": sasaran_result.sasaran.name,
        "count": len(names),
        "names": "; ".join(names),
        "capaian": format_percent(sasaran_result.capaian.value),
        "rating": rating_label(sasaran_result.rating),
    }


def year_sentence(summary) -> str:
    return _(
        "The achievement of the Key Performance Indicators (IKU) of %(year)s is rated "
        "%(rating)s, with an average achievement of %(capaian)s."
    ) % {
        "year": summary.year,
        "rating": rating_label(summary.rating),
        "capaian": format_percent(summary.capaian.value),
    }


def budget_sentence(figures, year: int) -> str:
    return _(
        "The budget realization of %(year)s is %(realization)s of a ceiling of %(pagu)s, an "
        "absorption of %(absorption)s, rated %(effectiveness)s."
    ) % {
        "year": year,
        "realization": format_rupiah(figures.realization),
        "pagu": format_rupiah(figures.pagu),
        "absorption": format_percent(figures.absorption.value),
        "effectiveness": rating_label(figures.effectiveness),
    }


def efficiency_sentence(result) -> str:
    if result.efisiensi is None or result.budget is None:
        return ""
    return _(
        "For indicator %(name)s the achievement of %(capaian)s against a budget absorption of "
        "%(absorption)s gives an efficiency of %(efisiensi)s points."
    ) % {
        "name": result.indicator.name,
        "capaian": format_percent(result.capaian.value),
        "absorption": format_percent(result.budget.absorption.value),
        "efisiensi": format_number(result.efisiensi, 2),
    }


def spm_sentence(spm) -> str:
    return _(
        "Of %(group)s people in the target groups of the five basic services, %(served)s were "
        "served (%(percent)s)."
    ) % {
        "group": format_number(spm.total_target_group),
        "served": format_number(spm.total_served),
        "percent": format_percent(spm.total.value),
    }
