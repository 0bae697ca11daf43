"""A slow job that writes rows in one transaction: killed in the middle, it must leave nothing."""

import time

from django.db import transaction

from accounts.models import Bidang
from welfare.jobs import register_job

ROWS = 20


@register_job("test_slow_write")
def slow_write(job, progress):
    with transaction.atomic():
        for index in range(ROWS):
            Bidang.objects.create(
                code=f"tmp-{job.pk.hex[:8]}-{index}", name="sementara", short_name="tmp", order=99
            )
            progress(int(100 * (index + 1) / ROWS), f"baris {index + 1}")
            time.sleep(float(job.params.get("delay", 0)))
    return {"rows": ROWS}


@register_job("test_report_file")
def report_file(job, progress):
    from django.core.files.base import ContentFile

    progress(50, "menulis")
    time.sleep(1)  # long enough that both workers get a share
    job.result_file.save("laporan.txt", ContentFile(f"laporan {job.title}".encode()), save=False)
    return {"summary": "selesai"}
