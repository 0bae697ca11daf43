from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and access")
    nav_items = [(_("Users"), "accounts:user_list", "people", "admin", "view")]
    # Data migrations seeding reference data (re-run by the tests after a flush).
    reference_seeds = [("accounts.migrations.0002_seed_bidang", "seed", "accounts.Bidang")]

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Django's own receiver saves last_login as a change to the user's record: every
        # log-in would fill the audit trail with an empty "user changed".
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(record_login, dispatch_uid="update_last_login")


def record_login(sender, user, **kwargs) -> None:
    """Keep the time of the last log-in, without a history row (not a change of the record)."""
    from django.utils import timezone

    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving
