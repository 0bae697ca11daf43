"""The background job that generates a report version."""

from __future__ import annotations

import time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.jobs import JobError, register_job

from .document import fingerprint
from .kinds import get_kind
from .models import ReportVersion


@register_job("report_generate")
def generate(job, progress) -> dict:
    """Build the document (reads only), render it, then save the file and mark the version done
    in one transaction: a job killed before the end leaves the version pending (shown as failed
    with its job), never done."""
    started = time.monotonic()
    version = ReportVersion.objects.select_related("report", "created_by").get(
        pk=job.params["version"]
    )
    report = version.report
    kind = get_kind(report.kind)
    if kind is None:
        raise JobError(_("Unknown report kind."))
    progress(5, _("Reading the data"))
    params = {key: value for key, value in job.params.items() if key != "version"}
    document = kind.build(report.year, version.created_by, progress, params)
    digest = fingerprint(document)
    progress(60, _("Rendering the PDF"))
    from .rendering import render_pdf

    pdf, pages = render_pdf(document, draft=True)
    progress(95, _("Saving"))
    name = kind.file_stem(report.year, report.scope)
    with transaction.atomic():
        locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
        locked.file.save(f"{name}-v{locked.number}.pdf", ContentFile(pdf), save=False)
        locked.snapshot = document
        locked.fingerprint = digest
        locked.pages = pages
        locked.render_seconds = Decimal(f"{time.monotonic() - started:.2f}")
        locked.status = ReportVersion.Status.DONE
        locked.finished_at = timezone.now()
        locked.save()
    return {
        "summary": _("%(pages)s pages, fingerprint %(fp)s") % {"pages": pages, "fp": digest[:12]},
        "next_url": report.get_absolute_url(),
        "next_label": _("Open the report"),
        "version": locked.pk,
        "fingerprint": digest,
    }
