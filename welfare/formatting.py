"""Indonesian formats for numbers, money, percentages and dates, and masking of personal data.

One implementation for pages (through the ``formatting`` template library), exports and PDF
reports, so that a figure reads the same everywhere: 1.234.567,89; Rp1.234.567; 99,54%;
23 November 2026.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, translation

MASK = "\u2022"  # bullet


def _to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def round_half_up(value, decimals: int = 2) -> Decimal | None:
    """Round as Indonesian reports do (half away from zero), not banker's rounding."""
    number = _to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _separators() -> tuple[str, str]:
    language = translation.get_language() or "id"
    if language.startswith("en"):
        return ".", ","
    return ",", "."


def format_number(value, decimals: int = 0, *, empty: str = "-") -> str:
    """1234567.891 -> '1.234.567,89' (decimals=2); None -> '-'."""
    number = round_half_up(value, decimals)
    if number is None:
        return empty
    decimal_sep, thousand_sep = _separators()
    sign = "-" if number < 0 else ""
    text = f"{abs(number):,.{decimals}f}"  # 1,234,567.89
    text = text.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", thousand_sep)
    return sign + text


def format_figure(value, *, empty: str = "-") -> str:
    """A figure with the decimals it was given, up to 4 (8,03; 10.002; 84,61; 93.7500 -> 93,75)."""
    if value is None or value == "":
        return empty
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    exponent = number.normalize().as_tuple().exponent
    decimals = min(4, max(0, -exponent)) if isinstance(exponent, int) else 0
    return format_number(number, decimals)


def format_rupiah(value, decimals: int = 0, *, empty: str = "-") -> str:
    """1500000 -> 'Rp1.500.000'."""
    text = format_number(value, decimals, empty=empty)
    if text == empty:
        return empty
    if text.startswith("-"):
        return "-Rp" + text[1:]
    return "Rp" + text


def format_percent(value, decimals: int = 2, *, empty: str = "-") -> str:
    """99.536 -> '99,54%'."""
    text = format_number(value, decimals, empty=empty)
    return empty if text == empty else text + "%"


def format_date(value, *, empty: str = "-", short: bool = False) -> str:
    """2026-11-23 -> '23 November 2026' in the active language."""
    if value in (None, ""):
        return empty
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")


def format_datetime(value, *, empty: str = "-") -> str:
    if value in (None, ""):
        return empty
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def mask_identity_number(value: str | None) -> str:
    """'3602141203850003' -> '3602•••••••••003' (NIK or No. KK)."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 7:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 7) + value[-3:]


def mask_name(value: str | None) -> str:
    """'Siti Rahmawati' -> 'S••• R•••' (each word's initial)."""
    if not value:
        return ""
    return " ".join(word[0] + MASK * 3 for word in str(value).split() if word)


def mask_text(value: str | None) -> str:
    """An address or other free text: nothing of it is shown."""
    return MASK * 6 if value else ""
