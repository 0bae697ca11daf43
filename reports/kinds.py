"""Report kinds: a builder that makes the document data and a template that renders it.

``lkjip`` is built in. Another app adds its kind (the program statistics report comes with
``programs``)::

    from reports.kinds import ReportKind, register_kind

    register_kind(ReportKind(
        key="program_stats",
        label=_("Program statistics"),
        build=build_program_stats,          # (year, user, progress, params) -> document dict
        template="programs/report_stats.html",  # renders the document to HTML for WeasyPrint
        check=check_program_stats,          # optional: (year, user, params) -> [Problem]
        params_form=ProgramStatsParams,     # optional: a Form for extra parameters (program)
        scope_param="program",              # the parameter that makes a report of its own
    ))

``params_form`` is a Django form class taking ``user=`` (to offer only what the user may see);
its ``cleaned_data`` must be JSON-able (codes, not model instances): it goes to the background
job and to ``build`` as ``params``. ``scope_param`` names the field whose value is the report's
scope: one ``Report`` (versions, approval, freezing) per kind, year and scope, ``""`` being the
whole kind (e.g. every program). The reports page shows the form when the kind is chosen, the
service validates it (``reports.services.report_params``) and the API accepts its fields.

The document is JSON-able data (see reports/document.py): it is stored with the version, its
SHA-256 is the version's fingerprint, the PDF is rendered from it and every table in it can be
downloaded as XLSX. Use ``reports.document.DocumentBuilder`` to assemble it (numbered tables
and charts, headings for the table of contents).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

ProgressFn = Callable[[int, str], None]


@dataclass(frozen=True)
class Problem:
    """A finding of the check before generation: ``severity`` is ``error`` (generation only as
    a draft, after the user confirms) or ``warning``."""

    message: str
    severity: str = "error"
    where: str = ""

    def as_dict(self) -> dict:
        return {"message": self.message, "severity": self.severity, "where": self.where}


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: str
    build: Callable[..., dict]
    template: str
    check: Callable[..., list[Problem]] | None = None
    params_form: type | None = None
    scope_param: str = ""  # the params_form field whose value is the report's scope
    narratives: bool = False  # staff write narrative sections for it
    filename: str = "{key}-{year}"
    extra: dict = field(default_factory=dict)

    def file_stem(self, year: int, scope: str = "") -> str:
        """The file name without extension: ``filename`` with the scope (program code) added."""
        stem = self.filename.format(key=self.key, year=year)
        return f"{stem}-{scope}" if scope else stem


_KINDS: dict[str, ReportKind] = {}


def register_kind(kind: ReportKind) -> None:
    _KINDS[kind.key] = kind


def get_kind(key: str) -> ReportKind | None:
    return _KINDS.get(key)


def kinds() -> list[ReportKind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, str(k.label)) for k in _KINDS.values()]


def detail_url(kind: str, year: int, scope: str = "") -> str:
    """The report page of a kind, year and scope (the scope as the kind's query parameter)."""
    url = reverse("reports:report_detail", args=[kind, year])
    report_kind = get_kind(kind)
    if scope and report_kind is not None and report_kind.scope_param:
        url = f"{url}?{urlencode({report_kind.scope_param: scope})}"
    return url
