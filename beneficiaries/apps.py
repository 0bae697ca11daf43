from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiary registry")
    # (label, url name, icon, domain, action); see welfare.navigation.
    nav_items = [
        (_("Registry (PPKS)"), "beneficiaries:person_list", "person-vcard", "registry", "view"),
    ]
    dashboard_panel = "beneficiaries.views.dashboard_panel"
    # Data migrations seeding reference data (re-run by the tests after a flush).
    reference_seeds = [
        (
            "beneficiaries.migrations.0002_seed_categories",
            "seed_categories",
            "beneficiaries.PpksCategory",
        ),
    ]

    def ready(self) -> None:
        from fieldwork import extensions as fieldwork_extensions

        from . import jobs  # noqa: F401  (registers the import job)
        from .selectors import registered_ppks_by_district

        fieldwork_extensions.register_workload_column(
            fieldwork_extensions.WorkloadColumn(
                key=fieldwork_extensions.WORKLOAD_REGISTERED_PPKS,
                label=_("Registered PPKS"),
                counts=registered_ppks_by_district,
            )
        )
