"""Factories of the registry: households and persons with well-formed NIK and No. KK."""

from __future__ import annotations

import datetime
import itertools

import factory

from beneficiaries.demo import nik_for, no_kk_for
from beneficiaries.models import Household, Person, PpksCategory, Sex, normalize_name

_serial = itertools.count(7000)


def category(code: str) -> PpksCategory:
    return PpksCategory.objects.get(code=code)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = None  # required: pass a village
    district = factory.LazyAttribute(lambda o: o.village.district)
    no_kk = factory.LazyAttribute(
        lambda o: no_kk_for(o.village.district_id, datetime.date(2015, 3, 4), next(_serial))
    )
    address = factory.Sequence(lambda n: f"Kp. Uji No. {n}")
    rt = "001"
    rw = "002"
    desil = 2
    desil_date = datetime.date(2026, 8, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = None
    village = factory.LazyAttribute(lambda o: o.household.village if o.household else None)
    district = factory.LazyAttribute(lambda o: o.village.district)
    name = factory.Sequence(lambda n: f"Warga Uji {n}")
    name_normalized = factory.LazyAttribute(lambda o: normalize_name(o.name))
    sex = Sex.MALE
    birth_date = datetime.date(1980, 5, 17)
    birth_place = "Lebak"
    nik = factory.LazyAttribute(
        lambda o: nik_for(o.village.district_id, o.birth_date, o.sex, next(_serial))
    )
    relationship = "kepala"
