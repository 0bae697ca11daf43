"""Checks of identity numbers and dates used across the apps (messages in Bahasa Indonesia)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_nip(value: str) -> str:
    """A civil servant's NIP: 18 digits, written with or without spaces (19700101 199503 1 001):
    date of birth YYYYMMDD, month of appointment YYYYMM, sex (1 or 2), serial. Returns the
    digits, or "" when empty; raises ValidationError naming what is wrong."""
    digits = re.sub(r"\s", "", value or "")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 18:
        raise ValidationError(
            _("A NIP has 18 digits (e.g. 19700101 199503 1 001)."), code="nip_length"
        )
    try:
        datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
        if not 1 <= int(digits[12:14]) <= 12:
            raise ValueError
    except ValueError:
        raise ValidationError(
            _(
                "This NIP is not valid: the date of birth (digits 1-8) or the month of "
                "appointment (digits 9-14) is not a real date."
            ),
            code="nip_date",
        ) from None
    if digits[14] not in "12":
        raise ValidationError(_("This NIP is not valid: digit 15 (sex) is 1 or 2."), code="nip_sex")
    return digits


EARLIEST_PLAUSIBLE_DATE = datetime.date(1900, 1, 1)
LATEST_PLAUSIBLE_DATE = datetime.date(2100, 12, 31)


def validate_plausible_date(value) -> None:
    """A date a welfare record can hold: 1900-2100. A year typed wrong (0001, 20255) is refused
    with a message instead of failing later in date arithmetic."""
    if value is None or value == "":
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_PLAUSIBLE_DATE <= day <= LATEST_PLAUSIBLE_DATE:
        raise ValidationError(
            _("The date %(date)s is outside %(start)s-%(end)s: check the year."),
            code="implausible_date",
            params={
                "date": day.isoformat(),
                "start": EARLIEST_PLAUSIBLE_DATE.year,
                "end": LATEST_PLAUSIBLE_DATE.year,
            },
        )
