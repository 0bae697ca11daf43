"""Realizations computed from operational data, not typed.

An app that holds the data an indicator measures registers a *source*: a code, a label and a
function ``compute(year, quarter) -> SourceValue``. An indicator chooses a source
(``Indicator.source_code``); its realization is then computed on request (the entry page's
button, the API, ``manage.py performance_compute_sources``) and the page shows the provenance.

Register from ``<app>/performance_sources.py`` (discovered when Django starts)::

    from performance.sources import SourceValue, register_source

    def paid_share(year: int, quarter: int) -> SourceValue:
        paid, enrolled = ...  # one aggregate query, no personal data
        return SourceValue(
            numerator=paid, denominator=enrolled,
            provenance=f"{paid} of {enrolled} PKH recipients paid by the end of quarter {quarter}",
            details={"program": "PKH", "paid": paid, "enrolled": enrolled},
        )

    register_source("programs.pkh_paid", "Persentase KPM PKH yang telah dibayar", paid_share,
                    unit="%", description="...")

``value`` is the realization for counts and levels; for an indicator combined by
numerator/denominator give ``numerator`` and ``denominator`` (the value is derived). The figure
is cumulative or for the quarter as the indicator's rule expects (document it in
``description``). Return ``value=None`` with a ``provenance`` saying why when there is no data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class SourceValue:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    provenance: str = ""
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    compute: Callable[[int, int], SourceValue]
    unit: str = ""
    description: str = ""


_SOURCES: dict[str, Source] = {}


def register_source(
    code: str,
    label,
    compute: Callable[[int, int], SourceValue],
    *,
    unit: str = "",
    description="",
) -> Source:
    """Register (or replace) a source of computed realizations."""
    source = Source(code=code, label=label, compute=compute, unit=unit, description=description)
    _SOURCES[code] = source
    return source


def unregister_source(code: str) -> None:
    _SOURCES.pop(code, None)


def get_source(code: str) -> Source | None:
    return _SOURCES.get(code)


def registered_sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: s.code)


def source_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.label} ({s.code})") for s in registered_sources()]


# --- The built-in source: the office's own budget ---------------------------------------------


def budget_absorption(year: int, quarter: int) -> SourceValue:
    """Cumulative absorption of the whole budget of the year through the end of the quarter,
    against the pagu in force (after revision when there is one)."""
    from . import selectors

    totals = selectors.budget_totals(year=year, through_quarter=quarter)
    if not totals.pagu:
        return SourceValue(
            provenance=_("No budget has been recorded for %(year)s.") % {"year": year}
        )
    from welfare.formatting import format_rupiah

    from .calculations import absorption

    return SourceValue(
        value=absorption(realization=totals.realization, pagu=totals.pagu).value,
        provenance=_(
            "Budget realization %(real)s of a ceiling of %(pagu)s, January to the end of "
            "quarter %(q)s %(year)s (%(lines)s sub-activities)."
        )
        % {
            "real": format_rupiah(totals.realization),
            "pagu": format_rupiah(totals.pagu),
            "q": quarter,
            "year": year,
            "lines": totals.lines,
        },
        details={
            "realization": str(totals.realization),
            "pagu": str(totals.pagu),
            "lines": totals.lines,
        },
    )


register_source(
    "performance.budget_absorption",
    gettext_lazy("Budget absorption of the office (cumulative)"),
    budget_absorption,
    unit="%",
    description=gettext_lazy(
        "Realization of all sub-activities from January to the end of the quarter, as a "
        "percentage of their budget ceiling. The figure is cumulative: combine the quarters "
        "of such an indicator by the latest quarter's value."
    ),
)
