"""Background jobs of performance management: checking and saving an XLSX import."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _

from welfare.jobs import JobError, register_job

from .spreadsheets import problems_workbook, run_import

IMPORT_JOB = "performance_import"


@register_job(IMPORT_JOB)
def run_performance_import(job, progress) -> dict:
    """Check the uploaded workbook and, when asked and correct, save it (all or nothing)."""
    if not job.input_file:
        raise JobError(_("The job has no file to import."))
    kind = job.params.get("kind", "")
    commit = bool(job.params.get("commit"))
    progress(1, _("Reading the file"))
    with job.input_file.open("rb") as handle:
        report = run_import(
            kind=kind, file=handle, actor=job.created_by, commit=commit, progress=progress
        )
    if report.problems:
        job.result_file.save(
            f"masalah-impor-{job.pk}.xlsx", ContentFile(problems_workbook(report)), save=False
        )
    result = report.as_dict()
    result["next_url"] = reverse("performance:import_result", args=[job.pk])
    result["next_label"] = _("See the check report")
    return result
