from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiary registry")
    nav_items: list = []
    # Data migrations seeding reference data (re-run by the tests after a flush).
    reference_seeds = [
        (
            "beneficiaries.migrations.0002_seed_categories",
            "seed_categories",
            "beneficiaries.PpksCategory",
        ),
    ]
