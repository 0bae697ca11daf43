"""Permission-matrix samples of the reports (see permission_matrix.py).

Reports belong to no kecamatan, but a TKSK has no access to the reports domain at all: every
sample is ``scoped`` so that the matrix proves TKSK A is refused on each URL, reading and
writing. A report holds aggregated figures only: no personal values."""

from .factories.reports import finished_version
from .permission_matrix import Sample, sample


def _version(ctx):
    from reports.models import ReportVersion

    version = ReportVersion.objects.filter(report__kind="lkjip", report__year=2025).first()
    return version or finished_version(user=ctx.users["admin"])


@sample("reports:report_list", "reports:report_open", "api:report-list")
def report_lists(ctx):
    _version(ctx)
    return Sample(scoped=True, query="?kind=lkjip&year=2025")


@sample(
    "reports:report_detail",
    "reports:report_generate",
    "reports:narrative_list",
)
def report_pages(ctx):
    _version(ctx)
    return Sample(kwargs={"kind": "lkjip", "year": 2025}, scoped=True)


@sample("reports:narrative_edit")
def narrative_page(ctx):
    return Sample(kwargs={"kind": "lkjip", "year": 2025, "section": "isu_strategis"}, scoped=True)


@sample(
    "reports:version_download",
    "reports:version_approve",
    "api:report-detail",
    "api:report-download",
)
def version_sample(ctx):
    return Sample(kwargs={"pk": _version(ctx).pk}, scoped=True)


@sample("reports:version_table")
def version_table_sample(ctx):
    return Sample(kwargs={"pk": _version(ctx).pk, "key": "3.1"}, scoped=True)
