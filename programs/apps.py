from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Social assistance programs")
    # (label, url name, icon, domain, action); see welfare.navigation.
    nav_items = [
        (_("Programs"), "programs:program_list", "box-seam", "programs", "view"),
        (_("Recipients"), "programs:enrollment_list", "person-check", "programs", "view"),
    ]
    dashboard_panel = "programs.views.dashboard_panel"

    def ready(self) -> None:
        from . import integrations, summary, targeting

        integrations.register()
        summary.connect()
        targeting.connect()
