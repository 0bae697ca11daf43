"""No lost updates: a save based on an old version of a record is refused.

Services that change a ``VersionedModel`` call ``check_version`` inside their transaction with
the version the user's form or API request was based on. The row is locked, the versions are
compared, and on success the version is bumped so that the next writer sees the change.
"""

from django.db import models, transaction
from django.utils.translation import gettext as _


class ConcurrentUpdateError(Exception):
    """Someone else saved the record after the user opened it."""

    def __init__(
        self, instance: models.Model, *, current_version: int, changed_by: str | None = None
    ):
        self.instance = instance
        self.current_version = current_version
        self.changed_by = changed_by
        if changed_by:
            message = _(
                "This data was changed by %(user)s after you opened it. Your changes have not been "
                "saved: reload the page to see the latest data, then enter your changes again."
            ) % {"user": changed_by}
        else:
            message = _(
                "This data was changed by someone else after you opened it. Your changes have not "
                "been saved: reload the page to see the latest data, then enter your changes again."
            )
        super().__init__(message)
        self.message = message


def _last_editor(instance: models.Model) -> str | None:
    history = getattr(instance, "history", None)
    if history is None:
        return None
    latest = history.select_related("history_user").order_by("-history_date").first()
    user = getattr(latest, "history_user", None)
    return str(user) if user else None


def check_version(instance: models.Model, expected_version: int | None) -> None:
    """Lock ``instance``'s row, refuse if its version is not ``expected_version``, then bump
    ``instance.version`` (the caller saves). Must run inside ``transaction.atomic``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("check_version must run inside a transaction")
    if instance.pk is None or instance._state.adding:
        return
    current = (
        type(instance)
        ._base_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        return
    if expected_version is None or int(expected_version) != current:
        raise ConcurrentUpdateError(
            instance, current_version=current, changed_by=_last_editor(instance)
        )
    instance.version = current + 1
