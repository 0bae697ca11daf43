"""Background jobs of the programs: checking and saving an import (bank or Pos results, a list
of recipients to enroll)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from welfare.jobs import JobError, register_job
from welfare.tabular import TabularError

from .models import ProgramImport

IMPORT_JOB = "programs_import"


@register_job(IMPORT_JOB)
def run_programs_import(job, progress) -> dict:
    """Check the uploaded file and, when asked, save it (all or nothing, or the valid rows)."""
    from . import imports

    if not job.input_file:
        raise JobError(_("The job has no file to import."))
    record = ProgramImport.objects.filter(pk=job.params.get("import")).first()
    if record is None:
        raise JobError(_("The import record is missing."))
    if record.job_id != job.pk:  # started again (job_retry): the record follows the new job
        record.job = job
        record.save(update_fields=["job"])
    with job.input_file.open("rb") as handle:
        try:
            record = imports.run_import(record=record, file=handle, progress=progress)
        except TabularError as exc:
            imports.import_failed(record=record, message=str(exc))
            raise JobError(str(exc)) from exc
        except (PermissionDenied, ValidationError) as exc:
            message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            imports.import_failed(record=record, message=message)
            raise JobError(message) from exc
        except Exception:
            imports.import_failed(
                record=record, message=_("An unexpected error stopped this job. Nothing was saved.")
            )
            raise
    return {
        "summary": imports.import_summary(record),
        "rows": record.rows,
        "invalid_rows": record.invalid_rows,
        "saved": record.saved,
        "next_url": reverse("programs:import_detail", args=[record.pk]),
        "next_label": _("See the import report"),
    }
