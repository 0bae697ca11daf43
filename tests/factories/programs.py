"""Factories of the programs tests, with small registry helpers (households with members of a
given age, sex and disability) since the tests need exact registry rows."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.models import Bidang
from beneficiaries.models import CategoryPlacement, Household, Person, PpksCategory
from programs.models import Program, ProgramQuota, Stage

_serial = itertools.count(1)


def years_ago(years: int, on: datetime.date | None = None) -> datetime.date:
    on = on or timezone.localdate()
    return on.replace(year=on.year - years, day=min(on.day, 28)) - datetime.timedelta(days=30)


def make_household(
    village, *, desil=2, members=(("kepala", 40, "L", ""),), status="aktif", address="Kp. Uji No. 1"
):
    """``members``: (relationship, age, sex, disability severity) per person."""
    n = next(_serial)
    household = Household.objects.create(
        no_kk=f"9{n:015d}",
        district_id=village.district_id,
        village=village,
        desil=desil,
        address=address,
        rt="001",
        rw="002",
        status=status,
    )
    for index, (relationship, age, sex, severity) in enumerate(members):
        make_person(
            household,
            relationship=relationship,
            age=age,
            sex=sex,
            severity=severity,
            name=f"Warga Uji {n} {index}",
        )
    return household


def make_person(
    household=None,
    *,
    village=None,
    relationship="kepala",
    age=40,
    sex="L",
    severity="",
    name=None,
    deceased=False,
):
    n = next(_serial)
    village = village or household.village
    return Person.objects.create(
        nik=f"8{n:015d}",
        name=name or f"Orang Uji {n}",
        sex=sex,
        birth_date=years_ago(age),
        household=household,
        relationship=relationship if household else "",
        district_id=village.district_id,
        village=village,
        deceased=deceased,
        disability_physical=bool(severity),
        disability_severity=severity,
    )


def place(category_code, *, person=None, household=None, status="terverifikasi"):
    target = person or household
    return CategoryPlacement.objects.create(
        category=PpksCategory.objects.get(code=category_code),
        person=person,
        household=household,
        district_id=target.district_id,
        status=status,
        identified_on=datetime.date(2025, 1, 1),
    )


def make_program(
    code="UJI", *, unit="household", bidang="linjamsos", amount="300000", categories=(), **rules
):
    program = Program.objects.create(
        code=code,
        name=f"Program {code}",
        level="kabupaten",
        funding="apbd_kabupaten",
        bidang=Bidang.objects.get(code=bidang),
        unit=unit,
        benefit="tunai",
        amount_per_stage=Decimal(amount),
        schedule="tahap",
        stages_per_year=2,
        **rules,
    )
    if categories:
        program.categories.set(PpksCategory.objects.filter(code__in=categories))
    return program


def make_stage(program, year, number, planned_on=None):
    return Stage.objects.create(
        program=program,
        year=year,
        number=number,
        name=f"Tahap {number} {year}",
        planned_on=planned_on or datetime.date(year, 3 * number, 15),
    )


def quota(program, year, *, district=None, village=None, n=10):
    return ProgramQuota.objects.create(
        program=program,
        year=year,
        district_id=district.code if district else village.district_id,
        village=village,
        quota=n,
    )


def enroll_active(actor, program, village, *, start: datetime.date, **household):
    """An active enrollment of a new household of the village, with its decree."""
    from programs import services

    return services.enrollment_create(
        actor=actor,
        program=program,
        household=make_household(village, **household),
        start_date=start,
        status="aktif",
        decree_number=f"460/{next(_serial)}",
        decree_date=start,
    )


def leave(actor, enrollment, *, on: datetime.date, reason: str = "pindah"):
    """The enrollment ends (keluar) on the date, for the reason."""
    from programs import services

    return services.enrollment_transition(
        actor=actor,
        enrollment=enrollment,
        version=enrollment.version,
        status="keluar",
        exit_reason=reason,
        on=on,
    )
