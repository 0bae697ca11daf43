"""Checks of identity numbers used across the apps (messages in Bahasa Indonesia)."""

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
