"""Where other modules plug figures into field work.

The TKSK workload view shows, per kecamatan, columns that other modules own: the number of
registered PPKS (the registry, ``beneficiaries``) and of active aid recipients (``programs``).
Field work does not import those modules; they register a column in their
``AppConfig.ready()``::

    from fieldwork import extensions

    extensions.register_workload_column(extensions.WorkloadColumn(
        key=extensions.WORKLOAD_REGISTERED_PPKS,
        label=_("Registered PPKS"),
        counts=registered_ppks_by_district,   # (district codes) -> {code: count}, one query
    ))

A column's ``counts`` gets the kecamatan codes of the page and returns a count per code,
computed in SQL (one aggregate query for all kecamatan, never a query per kecamatan).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

WORKLOAD_REGISTERED_PPKS = "registered_ppks"
WORKLOAD_ACTIVE_RECIPIENTS = "active_recipients"

# Columns the workload view expects from other modules; named on the page while missing.
EXPECTED_WORKLOAD_COLUMNS = {
    WORKLOAD_REGISTERED_PPKS: (_("Registered PPKS"), _("the registry (PPKS)")),
    WORKLOAD_ACTIVE_RECIPIENTS: (_("Active aid recipients"), _("the assistance programs")),
}


@dataclass(frozen=True)
class WorkloadColumn:
    key: str
    label: Any
    counts: Callable[[Iterable[str]], dict[str, int]]
    order: int = 100


_WORKLOAD_COLUMNS: dict[str, WorkloadColumn] = {}


def register_workload_column(column: WorkloadColumn) -> WorkloadColumn:
    _WORKLOAD_COLUMNS[column.key] = column
    return column


def unregister_workload_column(key: str) -> None:
    _WORKLOAD_COLUMNS.pop(key, None)


def workload_columns() -> list[WorkloadColumn]:
    return sorted(_WORKLOAD_COLUMNS.values(), key=lambda c: (c.order, c.key))


def missing_workload_columns() -> list[tuple[str, Any, Any]]:
    """(key, label, module) of the expected columns no module has registered yet."""
    return [
        (key, label, module)
        for key, (label, module) in EXPECTED_WORKLOAD_COLUMNS.items()
        if key not in _WORKLOAD_COLUMNS
    ]
