from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    nav_items = [
        (_("Reports (LKjIP)"), "reports:report_list", "file-earmark-pdf", "reports", "view"),
    ]

    def ready(self) -> None:
        from . import builtin_tables, jobs  # noqa: F401  (the job handler)
        from .kinds import ReportKind, register_kind
        from .lkjip import build_lkjip, check_lkjip

        register_kind(
            ReportKind(
                key="lkjip",
                label=_("LKjIP (yearly performance report)"),
                build=build_lkjip,
                template="reports/lkjip_pdf.html",
                check=check_lkjip,
                narratives=True,
                filename="LKjIP-{year}",
            )
        )
        builtin_tables.register()
