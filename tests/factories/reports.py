"""Report versions for tests that need one without rendering (the permission matrix)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import Report, ReportVersion
from reports.tables import TableData, num, text


def finished_version(
    *, user, kind: str = "lkjip", year: int = 2025, scope: str = ""
) -> ReportVersion:
    """A done version whose snapshot holds one small table (no personal data)."""
    report, _created = Report.objects.get_or_create(kind=kind, year=year, scope=scope)
    table = TableData(key="contoh", title="Tabel contoh", header=[[text("A"), text("B")]])
    table.number = "3.1"
    table.add(text("baris"), num(5))
    number = report.versions.count() + 1
    version = ReportVersion(
        report=report,
        number=number,
        created_by=user,
        status=ReportVersion.Status.DONE,
        snapshot={
            "kind": kind,
            "year": year,
            "meta": {},
            "blocks": [{"type": "table", "id": "t1", "table": table.as_dict()}],
        },
        fingerprint="0" * 64,
        pages=1,
        finished_at=timezone.now(),
    )
    version.file.save(f"contoh-{year}-v{number}.pdf", ContentFile(b"%PDF-1.4 contoh"), save=False)
    version.save()
    return version
