from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "fieldwork"
    verbose_name = _("Field workers (TKSK and PSKS)")
    # (label, url name, icon, domain, action); see welfare.navigation.
    nav_items = [
        (_("Field work"), "fieldwork:home", "phone", "fieldwork", "view"),
        (_("PSKS"), "fieldwork:psks_people", "people", "fieldwork", "view"),
    ]
    dashboard_panel = "fieldwork.views.dashboard_panel"
    dashboard_first_for = ("tksk",)  # a TKSK opens the app to send field forms
    # Data migrations seeding reference data (re-run by the tests after a flush).
    reference_seeds = [
        ("fieldwork.migrations.0002_seed_reference", "seed_kinds", "fieldwork.PsksKind"),
        ("fieldwork.migrations.0002_seed_reference", "seed_services", "fieldwork.PsksService"),
    ]

    def ready(self) -> None:
        from . import builtin_kinds, integrations, registry_kinds

        builtin_kinds.register()
        registry_kinds.register()
        integrations.register()
