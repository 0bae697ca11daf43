"""Background jobs of the registry: checking and saving a district import."""

from django.urls import reverse
from django.utils.translation import gettext as _

from welfare.jobs import JobError, register_job
from welfare.tabular import TabularError

from .importer import run_import
from .models import ImportBatch

IMPORT_JOB = "registry_import"


@register_job(IMPORT_JOB)
def run_registry_import(job, progress) -> dict:
    """Check the uploaded file and, when asked, save it (all or nothing, or the valid rows)."""
    if not job.input_file:
        raise JobError(_("The job has no file to import."))
    batch = ImportBatch.objects.filter(pk=job.params.get("batch")).first()
    if batch is None:
        raise JobError(_("The import record is missing."))
    with job.input_file.open("rb") as handle:
        try:
            batch = run_import(
                file=handle,
                actor=job.created_by,
                file_name=batch.file_name,
                commit=bool(job.params.get("commit")),
                mode=batch.mode,
                source=batch.source,
                batch=batch,
                progress=progress,
            )
        except TabularError as exc:
            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)
            raise JobError(str(exc)) from exc
    return {
        "summary": import_summary(batch),
        "rows": batch.rows,
        "invalid_rows": batch.invalid_rows,
        "next_url": reverse("beneficiaries:import_detail", args=[batch.pk]),
        "next_label": _("See the import report"),
    }


def import_summary(batch: ImportBatch) -> str:
    return _(
        "%(rows)s rows, %(invalid)s refused; households added %(hc)s, changed %(hu)s; persons added %(pc)s, changed %(pu)s."
    ) % {
        "rows": batch.rows,
        "invalid": batch.invalid_rows,
        "hc": batch.households_created,
        "hu": batch.households_updated,
        "pc": batch.persons_created,
        "pu": batch.persons_updated,
    }
