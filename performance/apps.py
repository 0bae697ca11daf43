from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Performance (SAKIP)")
    # (label, url name, icon, domain, action); see welfare.navigation.
    nav_items = [
        (
            _("Performance (SAKIP)"),
            "performance:dashboard",
            "graph-up-arrow",
            "performance",
            "view",
        ),
    ]
    dashboard_panel = "performance.views.dashboard_panel"
    # Data migrations seeding reference data (re-run by the tests after a flush).
    reference_seeds = [
        ("performance.migrations.0002_seed_reference", "seed_nomenclature", "performance.Program"),
        (
            "performance.migrations.0002_seed_reference",
            "seed_spm_services",
            "performance.SpmService",
        ),
        ("performance.migrations.0002_seed_reference", "seed_bands", "performance.Band"),
    ]

    def ready(self) -> None:
        # Other apps register sources of computed realizations in ``<app>/performance_sources.py``.
        from django.utils.module_loading import autodiscover_modules

        from . import sources  # noqa: F401  (the built-in sources)

        autodiscover_modules("performance_sources")
