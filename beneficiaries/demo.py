"""Demo registry for Kabupaten Lebak: households with members in every village, DTSEN desil
with one earlier ranking, and PPKS placements that follow the categories' rules.

Deterministic (``welfare.demo_data.seeded``), idempotent (nothing is made when the registry
already holds demo households) and set-based (``bulk_create``), so that it takes seconds even on
SQLite. The NIK and No. KK are well-formed (region prefix of the kecamatan, a real date) but
invented: no real person is behind them."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from regions.models import District, Village
from welfare.demo_data import person_name, seeded

from .models import (
    CategoryPlacement,
    DesilRecord,
    Household,
    Person,
    PpksCategory,
    Relationship,
    Sex,
    Source,
    normalize_name,
)

HOUSEHOLDS_PER_VILLAGE = 8
DESIL_DATE = datetime.date(2026, 8, 1)
EARLIER_DESIL_DATE = datetime.date(2025, 11, 1)
STREETS = ["Kp. Cibeureum", "Kp. Babakan", "Kp. Pasir", "Kp. Sukamaju", "Kp. Cilember", "Kp. Leuwi"]


def seed(*, stdout) -> None:
    home = settings.WELFARE_HOME_REGENCY
    districts = list(District.objects.filter(regency_id=home).order_by("code"))
    if not districts:
        stdout.write("  beneficiaries: no regions loaded; nothing done")
        return
    if Household.objects.exists():
        stdout.write(
            f"  beneficiaries: {Household.objects.count()} households, "
            f"{Person.objects.count()} persons (already there)"
        )
        return
    with transaction.atomic():
        made = _registry(districts)
    stdout.write(f"  beneficiaries: {made[0]} households, {made[1]} persons, {made[2]} placements")


def nik_for(district_code: str, birth_date: datetime.date, sex: str, serial: int) -> str:
    """A well-formed NIK: kecamatan code, DDMMYY (women: day + 40), 4-digit serial."""
    day = birth_date.day + (40 if sex == Sex.FEMALE else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


def no_kk_for(district_code: str, issued: datetime.date, serial: int) -> str:
    return f"{district_code.replace('.', '')}{issued:%d%m%y}{serial:04d}"


def _birth_date(rng: random.Random, age: int, today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=age * 365 + rng.randint(0, 360))


def _desil(rng: random.Random) -> int:
    # About half the families in desil 1-5, the poorest desil the most frequent.
    return rng.choices(range(1, 11), weights=[9, 8, 7, 6, 5, 4, 4, 3, 2, 2])[0]


def _registry(districts: list[District]) -> tuple[int, int, int]:
    today = timezone.localdate()
    categories = {c.code: c for c in PpksCategory.objects.all()}
    serials: dict[str, int] = {}
    households: list[Household] = []
    members: list[list[dict]] = []
    for district in districts:
        rng = seeded("registry", district.code)
        for village in Village.objects.filter(district=district).order_by("code"):
            for _n in range(HOUSEHOLDS_PER_VILLAGE):
                serial = serials[district.code] = serials.get(district.code, 0) + 1
                issued = datetime.date(
                    2010 + rng.randint(0, 14), rng.randint(1, 12), rng.randint(1, 28)
                )
                households.append(
                    Household(
                        no_kk=no_kk_for(district.code, issued, serial),
                        district=district,
                        village=village,
                        address=f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}",
                        rt=f"{rng.randint(1, 12):03d}",
                        rw=f"{rng.randint(1, 6):03d}",
                        desil=_desil(rng),
                        desil_date=DESIL_DATE,
                        source=Source.DTSEN,
                    )
                )
                members.append(_members(rng, today))
    Household.objects.bulk_create(households, batch_size=1000)
    households = list(Household.objects.order_by("pk"))

    persons: list[Person] = []
    desil_records: list[DesilRecord] = []
    nik_serials: dict[str, int] = {}
    for household, people in zip(households, members, strict=True):
        rng = seeded("desil", household.no_kk)
        earlier = max(1, min(10, household.desil + rng.choice([-1, 0, 0, 1])))
        desil_records += [
            DesilRecord(household=household, desil=earlier, as_of=EARLIER_DESIL_DATE),
            DesilRecord(household=household, desil=household.desil, as_of=DESIL_DATE),
        ]
        for spec in people:
            code = household.district_id
            nik_serials[code] = nik_serials.get(code, 0) + 1
            persons.append(
                Person(
                    nik=nik_for(code, spec["birth_date"], spec["sex"], nik_serials[code]),
                    name=spec["name"],
                    name_normalized=normalize_name(spec["name"]),
                    sex=spec["sex"],
                    birth_place="Lebak",
                    birth_date=spec["birth_date"],
                    household=household,
                    relationship=spec["relationship"],
                    district_id=household.district_id,
                    village_id=household.village_id,
                    disability_physical=spec["disability"],
                    disability_severity="berat" if spec["disability"] else "",
                    source=Source.DTSEN,
                )
            )
    DesilRecord.objects.bulk_create(desil_records, batch_size=2000)
    Person.objects.bulk_create(persons, batch_size=2000)
    placements = _placements(households, categories, today)
    CategoryPlacement.objects.bulk_create(placements, batch_size=2000)
    return len(households), len(persons), len(placements)


def _members(rng: random.Random, today: datetime.date) -> list[dict]:
    size = rng.choices(range(1, 10), weights=[6, 14, 22, 24, 16, 9, 5, 3, 1])[0]
    head_sex = Sex.MALE if rng.random() < 0.85 else Sex.FEMALE
    head_age = rng.randint(24, 82)
    family_name = person_name(rng, head_sex)
    people = [
        {
            "name": family_name,
            "sex": head_sex,
            "birth_date": _birth_date(rng, head_age, today),
            "relationship": Relationship.HEAD,
            "disability": rng.random() < 0.03,
        }
    ]
    if size > 1 and head_sex == Sex.MALE:
        people.append(
            {
                "name": person_name(rng, Sex.FEMALE),
                "sex": Sex.FEMALE,
                "birth_date": _birth_date(rng, max(18, head_age - rng.randint(0, 8)), today),
                "relationship": Relationship.SPOUSE,
                "disability": rng.random() < 0.02,
            }
        )
    while len(people) < size:
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        child_age = rng.randint(0, max(0, min(30, head_age - 18)))
        people.append(
            {
                "name": person_name(rng, sex),
                "sex": sex,
                "birth_date": _birth_date(rng, child_age, today),
                "relationship": Relationship.CHILD,
                "disability": rng.random() < 0.02,
            }
        )
    return people


def _age(birth_date: datetime.date, today: datetime.date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def _placements(households, categories, today) -> list[CategoryPlacement]:
    placements: list[CategoryPlacement] = []
    statuses = [
        CategoryPlacement.Status.IDENTIFIED,
        CategoryPlacement.Status.VERIFIED,
        CategoryPlacement.Status.HANDLED,
    ]
    persons_by_household: dict[int, list[Person]] = {}
    for person in Person.objects.order_by("pk").only(
        "pk", "household_id", "sex", "birth_date", "disability_physical"
    ):
        persons_by_household.setdefault(person.household_id, []).append(person)
    for household in households:
        rng = seeded("placement", household.no_kk)
        identified = DESIL_DATE - datetime.timedelta(days=rng.randint(0, 400))
        common = {
            "district_id": household.district_id,
            "identified_on": identified,
            "source": Source.DTSEN,
        }
        if household.desil <= 2 and rng.random() < 0.6:
            status = rng.choice(statuses)
            placements.append(
                CategoryPlacement(
                    category=categories["fakir_miskin"],
                    household=household,
                    status=status,
                    verified_on=identified if status != statuses[0] else None,
                    **common,
                )
            )
        for person in persons_by_household.get(household.pk, []):
            age = _age(person.birth_date, today)
            code = None
            if person.disability_physical:
                code = (
                    "anak_kedisabilitasan"
                    if 6 <= age <= 18
                    else ("penyandang_disabilitas" if age > 18 else None)
                )
            elif age >= 60 and household.desil <= 3 and rng.random() < 0.3:
                code = "lanjut_usia_terlantar"
            elif 6 <= age <= 18 and household.desil == 1 and rng.random() < 0.05:
                code = "anak_terlantar"
            if code:
                status = rng.choice(statuses)
                placements.append(
                    CategoryPlacement(
                        category=categories[code],
                        person=person,
                        status=status,
                        verified_on=identified if status != statuses[0] else None,
                        **common,
                    )
                )
    return placements


EXAMPLE_DISTRICT = "36.02.14"  # Rangkasbitung


def example_rows() -> list[dict]:
    """The rows of the example import file (``importer.example_file``): three families in a
    village of Rangkasbitung, then two rows with the problems a spreadsheet typically makes (a
    NIK shortened to 3.6021E+15, a date of birth that disagrees with the NIK), so that a check
    run shows the report. Deterministic; the NIKs start with serial 9000 so that they do not
    collide with the demo registry."""
    village = Village.objects.filter(district_id=EXAMPLE_DISTRICT).order_by("code").first()
    village_code = village.code if village else f"{EXAMPLE_DISTRICT}.1001"
    rng = seeded("registry-example", EXAMPLE_DISTRICT)
    rows: list[dict] = []
    serial = 9000
    for family in range(3):
        issued = datetime.date(2018, 1 + family, 10)
        no_kk = no_kk_for(EXAMPLE_DISTRICT, issued, 9000 + family)
        for member, (sex, age, relation) in enumerate(
            [(Sex.MALE, 44, "Kepala Keluarga"), (Sex.FEMALE, 39, "Istri"), (Sex.FEMALE, 12, "Anak")]
        ):
            serial += 1
            born = datetime.date(2026 - age, 1 + (family * 3 + member) % 12, 5 + member)
            rows.append(
                {
                    "no_kk": no_kk,
                    "nik": nik_for(EXAMPLE_DISTRICT, born, sex, serial),
                    "name": person_name(rng, sex),
                    "sex": sex,
                    "birth_place": "Lebak",
                    "birth_date": born.strftime("%d-%m-%Y"),
                    "relationship": relation,
                    "village": village_code,
                    "address": f"{STREETS[family]} No. {10 + family}",
                    "rt": f"{family + 1:03d}",
                    "rw": "002",
                    "desil": str(1 + family),
                    "desil_date": DESIL_DATE.strftime("%d-%m-%Y"),
                    "life": "Hidup",
                    "disability": "fisik" if (family, member) == (2, 2) else "",
                    "severity": "berat" if (family, member) == (2, 2) else "",
                }
            )
    broken = dict(rows[0], nik="3.6021E+15", name="Contoh NIK Rusak")
    wrong_date = dict(rows[1], birth_date="01-01-1990", name="Contoh Tanggal Salah")
    wrong_date["nik"] = nik_for(EXAMPLE_DISTRICT, datetime.date(1987, 1, 6), Sex.FEMALE, 9999)
    return [*rows, broken, wrong_date]
