"""What the load test's users type and open, drawn from the database before the run
(``benchmarks/load_test.py`` writes it to a JSON file the locustfile reads as
``$LOAD_SAMPLES_FILE``; ``tests/test_load_smoke.py`` draws it from its own rows).

A staff member searching the registry types a NIK or a name read from a paper (a KTP, a letter)
and opens a household; these are drawn at random from the registry, half of them from households
receiving a program so that the household page shows enrollments and payments. Needs Django set
up.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone


def draw_samples(*, people: int = 300) -> dict:
    from beneficiaries.models import Person
    from programs.models import Enrollment, Program, Stage

    year = timezone.localdate().year
    persons = Person.objects.filter(
        household__isnull=False, deleted_at=None, merged_into=None, deceased=False
    )
    enrolled = (
        Enrollment.objects.filter(household__isnull=False, status="aktif")
        .order_by("?")
        .values_list("household_id", flat=True)[: people // 2]
    )
    rows = list(
        persons.filter(household_id__in=list(enrolled), relationship="kepala").values(
            "pk", "nik", "name", "household_id", "district_id"
        )
    )
    rows += list(
        persons.order_by("?").values("pk", "nik", "name", "household_id", "district_id")[
            : people - len(rows)
        ]
    )
    districts = sorted({row["district_id"] for row in rows})
    programs = list(
        Program.objects.filter(pk__in=Stage.objects.filter(year=year).values("program_id"))
        .order_by("code")
        .values_list("code", flat=True)
    )
    return {
        "year": year,
        "regency": settings.WELFARE_HOME_REGENCY,
        "districts": districts,
        "programs": programs,
        "people": [
            {
                "person": row["pk"],
                "nik": row["nik"],
                "name": row["name"],
                "household": row["household_id"],
                "district": row["district_id"],
            }
            for row in rows
        ],
    }
