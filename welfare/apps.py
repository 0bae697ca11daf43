from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Welfare information system")
    nav_items = [
        (_("Background jobs"), "job_list", "hourglass-split", "jobs", "view"),
        (_("Audit trail"), "audit_trail", "journal-text", "audit", "view"),
        (_("Agency profile"), "agency_edit", "building", "admin", "change"),
    ]

    def ready(self) -> None:
        # Each app registers its background job handlers in its own ``jobs`` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
