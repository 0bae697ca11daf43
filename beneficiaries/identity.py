"""Identity rules of the registry: NIK and No. KK, with messages in Bahasa Indonesia.

* A NIK has 16 digits: the kecamatan where it was first registered (6 digits, which must exist
  in ``regions.District``), the birth date DDMMYY (women: day + 40) and a 4-digit serial
  (python-stdnum's ``stdnum.id.nik`` reads the date).
* The NIK's kecamatan need not be where the person lives: a mismatch is a *note*, never a
  refusal (``nik_notes``).
* The date and sex in the NIK must agree with the recorded birth date and sex
  (``nik_agreement_errors`` says which one differs).
* A No. KK has 16 digits; a desil is 1-10.

The same rules run set-based in SQL for imports (``beneficiaries.importer``); the messages are
the same texts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from regions.selectors import district_exists_for_nik_prefix

from .models import Sex


@dataclass(frozen=True)
class NikParts:
    district_code: str  # "36.02.14"
    day: int
    month: int
    year2: int  # two digits
    sex: str  # Sex.MALE / Sex.FEMALE
    serial: str


def nik_district_code(nik: str) -> str:
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def nik_parts(nik: str) -> NikParts:
    day = int(nik[6:8])
    return NikParts(
        district_code=nik_district_code(nik),
        day=day % 40 if day > 40 else day,
        month=int(nik[8:10]),
        year2=int(nik[10:12]),
        sex=Sex.FEMALE if day > 40 else Sex.MALE,
        serial=nik[12:16],
    )


def nik_errors(nik: str) -> list[str]:
    """What is wrong with a NIK on its own (format, date, region); [] when it is valid."""
    nik = (nik or "").strip()
    if not nik.isdigit() or len(nik) != 16:
        return [
            _("The NIK must have exactly 16 digits (it has %(count)s characters).")
            % {"count": len(nik)}
        ]
    errors = []
    day = int(nik[6:8])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        errors.append(
            _(
                "The NIK's digits 7-8 (%(day)s) are not a day of birth: 01-31 for men, 41-71 for women (day + 40)."
            )
            % {"day": nik[6:8]}
        )
    else:
        try:
            stdnum_nik.get_birth_date(nik)
        except StdnumError:
            errors.append(
                _("The NIK's date part %(part)s is not a real date of birth.") % {"part": nik[6:12]}
            )
    if not district_exists_for_nik_prefix(nik[:6]):
        errors.append(
            _("The NIK's first six digits (%(code)s) are not the code of an existing kecamatan.")
            % {"code": nik_district_code(nik)}
        )
    return errors


def nik_agreement_errors(
    nik: str, *, birth_date: datetime.date | None, sex: str | None
) -> dict[str, str]:
    """{field: message} where the NIK disagrees with the recorded birth date or sex."""
    errors: dict[str, str] = {}
    if not nik or len(nik) != 16 or not nik.isdigit():
        return errors
    parts = nik_parts(nik)
    if sex and sex != parts.sex:
        errors["sex"] = _(
            "The NIK says %(nik_sex)s (day of birth %(day)s) but the sex recorded is %(sex)s."
        ) % {
            "nik_sex": Sex(parts.sex).label,
            "day": nik[6:8],
            "sex": Sex(sex).label if sex in Sex.values else sex,
        }
    if birth_date and (
        birth_date.day != parts.day
        or birth_date.month != parts.month
        or birth_date.year % 100 != parts.year2
    ):
        errors["birth_date"] = _(
            "The NIK gives the date of birth %(nik_date)s but the date recorded is %(date)s."
        ) % {
            "nik_date": f"{parts.day:02d}-{parts.month:02d}-..{parts.year2:02d}",
            "date": birth_date.strftime("%d-%m-%Y"),
        }
    return errors


def nik_notes(nik: str, *, district_code: str | None) -> list[str]:
    """Notes that never refuse: the NIK was registered in another kecamatan than the residence."""
    if not nik or len(nik) != 16 or not district_code:
        return []
    if nik_district_code(nik) != district_code:
        return [
            _(
                "The NIK was registered in kecamatan %(nik_code)s, not where the person lives (%(code)s); this is allowed."
            )
            % {"nik_code": nik_district_code(nik), "code": district_code}
        ]
    return []


def no_kk_errors(no_kk: str) -> list[str]:
    no_kk = (no_kk or "").strip()
    if not no_kk.isdigit() or len(no_kk) != 16:
        return [
            _("The No. KK must have exactly 16 digits (it has %(count)s characters).")
            % {"count": len(no_kk)}
        ]
    return []


def desil_errors(desil) -> list[str]:
    if desil in (None, ""):
        return []
    try:
        value = int(desil)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 10:
        return [_("The desil must be a whole number from 1 to 10.")]
    return []


def nik_errors_date_only(nik: str) -> bool:
    """True when the NIK's date part is not a real date (no database access)."""
    try:
        stdnum_nik.get_birth_date(nik)
    except (StdnumError, ValueError):
        return True
    return False
