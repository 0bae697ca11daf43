"""Permission-matrix samples for the performance pages and API (see permission_matrix.py).

Performance data belongs to no kecamatan, but a TKSK has no access to it at all: every sample
is ``scoped`` so that the matrix proves TKSK A is refused (403/404) on each URL, reading and
writing. The data is aggregated plan and budget data: no personal values."""

from accounts.access import Role
from welfare.models import Job

from .factories import make_user
from .factories.performance import budget_line, evidence, realization, small_plan
from .permission_matrix import Sample, sample


def _plan():
    """The small plan of 2025 (samples are resolved once per role: create it once)."""
    from performance.models import Renstra

    from .factories.performance import Plan

    renstra = Renstra.objects.filter(start_year=2025).first()
    if renstra is None:
        return small_plan(start_year=2025, year=2025)
    indicators = {i.code: i for i in renstra.indicators.all()}
    return Plan(
        renstra,
        renstra.tujuan.get(code="T1"),
        renstra.sasaran.get(code="S1"),
        indicators["IND-A"],
        indicators["IND-B"],
        renstra.agreements.get(year=2025, revision=0),
    )


@sample(
    "performance:dashboard",
    "performance:chart_data",
    "performance:renstra_list",
    "performance:indicator_list",
    "performance:agreement_list",
    "performance:realization_list",
    "performance:budget_tree",
    "performance:spm",
)
def performance_lists(ctx):
    _plan()
    return Sample(scoped=True, query="?year=2025")


@sample(
    "performance:renstra_add",
    "performance:budget_add",
    "performance:settings",
    "performance:import_start",
    "api:performance-summary",
    "api:performance-trend",
    "api:performance-spm",
    "api:performance-import",
    "api:performance-renstra-list",
    "api:performance-indicator-list",
    "api:performance-agreement-list",
    "api:performance-target-list",
    "api:performance-realization-list",
    "api:performance-budget-list",
)
def performance_forms(ctx):
    _plan()
    return Sample(scoped=True, query="?year=2025")


@sample(
    "performance:renstra_detail",
    "performance:renstra_edit",
    "performance:tujuan_add",
    "performance:sasaran_add",
    "performance:indicator_add",
    "api:performance-renstra-detail",
)
def renstra_sample(ctx):
    return Sample(kwargs={"pk": _plan().renstra.pk}, scoped=True)


@sample("performance:tujuan_edit", "performance:tujuan_delete")
def tujuan_sample(ctx):
    return Sample(kwargs={"pk": _plan().tujuan.pk}, scoped=True)


@sample("performance:sasaran_edit", "performance:sasaran_delete")
def sasaran_sample(ctx):
    return Sample(kwargs={"pk": _plan().sasaran.pk}, scoped=True)


@sample(
    "performance:indicator_detail",
    "performance:indicator_edit",
    "performance:indicator_delete",
    "performance:quarter_reopen",
    "api:performance-indicator-detail",
)
def indicator_sample(ctx):
    return Sample(kwargs={"pk": _plan().count.pk}, scoped=True)


@sample(
    "performance:agreement_detail",
    "performance:agreement_edit",
    "performance:agreement_targets",
    "performance:agreement_revise",
    "api:performance-agreement-detail",
)
def agreement_sample(ctx):
    return Sample(kwargs={"pk": _plan().agreement.pk}, scoped=True)


@sample("api:performance-target-detail")
def target_sample(ctx):
    return Sample(kwargs={"pk": _plan().agreement.targets.first().pk}, scoped=True)


@sample(
    "performance:realization_entry",
    "performance:realization_review",
    "performance:realization_compute",
)
def realization_page_sample(ctx):
    plan = _plan()
    if not plan.count.realizations.filter(year=2025, quarter=1).exists():
        realization(plan.count, 2025, 1, status="submitted", value=18)
    return Sample(kwargs={"indicator": plan.count.pk, "year": 2025, "quarter": 1}, scoped=True)


@sample(
    "api:performance-realization-detail",
    "api:performance-realization-submit",
    "api:performance-realization-approve",
    "api:performance-realization-return",
)
def realization_api_sample(ctx):
    plan = _plan()
    row = plan.count.realizations.filter(year=2025, quarter=1).first() or realization(
        plan.count, 2025, 1, status="submitted", value=18
    )
    return Sample(kwargs={"pk": row.pk}, scoped=True)


@sample("performance:evidence_download", "performance:evidence_delete")
def evidence_sample(ctx):
    plan = _plan()
    row = plan.count.realizations.filter(year=2025, quarter=2).first()
    if row is None:
        row = realization(plan.count, 2025, 2, status="draft", value=25)
        operator = make_user(Role.OPERATOR, username="matrix.perf.op", bidang_code="linjamsos")
        evidence(row, operator)
    return Sample(kwargs={"pk": row.evidence.first().pk}, scoped=True)


@sample("performance:budget_edit", "performance:budget_delete", "api:performance-budget-detail")
def budget_sample(ctx):
    plan = _plan()
    line = plan.renstra.budget_lines.first() or budget_line(
        plan.renstra, 2025, "1.06.04.2.01.0001", 60000000, [(1, 5000000)]
    )
    return Sample(kwargs={"pk": line.pk}, scoped=True)


@sample("performance:spm_edit")
def spm_sample(ctx):
    return Sample(kwargs={"year": 2025}, scoped=True)


@sample("performance:import_result", "performance:import_commit")
def import_job_sample(ctx):
    admin = make_user(Role.ADMIN, username="matrix.perf.admin")
    job = Job.objects.filter(kind="performance_import").first() or Job.objects.create(
        kind="performance_import",
        title="Impor uji",
        created_by=admin,
        status=Job.Status.SUCCEEDED,
        params={"kind": "plan"},
        result={"ok": True, "rows": 1, "committed": False, "problems": []},
    )
    return Sample(kwargs={"pk": job.pk}, scoped=True)


@sample("performance:template_download")
def template_sample(ctx):
    _plan()
    return Sample(kwargs={"kind": "rencana"}, scoped=True, query="?filled=1&year=2025")


@sample("performance:export")
def export_sample(ctx):
    _plan()
    return Sample(kwargs={"table": "ringkasan"}, scoped=True, query="?year=2025")
