"""Today's date for the quarter locks, in one place (tests move it)."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()
