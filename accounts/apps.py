from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and access")
    nav_items = [(_("Users"), "accounts:user_list", "people", "admin", "view")]
    # Data migrations seeding reference data (re-run by the tests after a flush).
    reference_seeds = [("accounts.migrations.0002_seed_bidang", "seed", "accounts.Bidang")]
