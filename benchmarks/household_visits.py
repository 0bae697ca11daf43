"""How fast the registry's household page finds the household's field visits among many field
forms (``fieldwork.selectors.household_visits``: the forms whose JSON payload names the
household's No. KK or a member's NIK), with and without the indexes on those payload keys.

    createdb -h 127.0.0.1 -U postgres welfare_visits_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_visits_bench \\
        .venv/bin/python benchmarks/household_visits.py [--submissions 200000]

It migrates the database, loads Kabupaten Lebak, fills it once with field forms of every kind
(set-based; 12 of them about one household of four), then times the panel's selector five
times with the indexes and five times without them (dropped inside a transaction that is
rolled back) and prints the medians. The machine is shared and noisy: read the ratio.
"""

import argparse
import datetime
import os
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare.settings")
os.environ.setdefault("WELFARE_DEV", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import timed  # noqa: E402

from accounts.access import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from beneficiaries.demo import nik_for  # noqa: E402
from beneficiaries.models import Household, Person, normalize_name  # noqa: E402
from fieldwork import selectors  # noqa: E402
from fieldwork.models import Submission  # noqa: E402
from regions.models import District, Village  # noqa: E402
from regions.services import regions_load  # noqa: E402

KEY_INDEXES = ("fieldwork_sub_no_kk", "fieldwork_sub_nik", "fieldwork_sub_recipient")
# Share of each kind among the forms (the rest are monthly reports).
KINDS = [
    ("verification_visit", 0.4),
    ("new_ppks", 0.15),
    ("aid_monitoring", 0.15),
    ("case_referral", 0.1),
    ("disaster_incident", 0.1),
]


def _number(rng) -> str:
    return f"3602{rng.randint(10**11, 10**12 - 1)}"


def _payload(kind: str, rng, no_kk: str | None = None, nik: str | None = None) -> dict:
    if kind == "verification_visit":
        return {"no_kk": no_kk or _number(rng), "finding": "found", "still_eligible": "yes"}
    if kind == "new_ppks":
        return {"unit": "person", "nik": nik or _number(rng), "no_kk": no_kk or ""}
    if kind == "aid_monitoring":
        return {"recipient_number": no_kk or nik or _number(rng), "received": "yes"}
    if kind == "case_referral":
        return {"nik": nik or _number(rng), "service": "health"}
    return {"n": rng.randint(0, 10**6)}


def fill(submissions: int) -> Household:
    household = Household.objects.filter(no_kk__startswith="36021499").first()
    if household is not None and Submission.objects.count() >= submissions:
        return household
    rng = random.Random(7)
    districts = list(District.objects.filter(regency_id="36.02"))
    villages = {d.code: list(Village.objects.filter(district=d)) for d in districts}
    tksk = {
        d.code: User.objects.get_or_create(
            username=f"bench.visits.{d.code}", defaults={"role": Role.TKSK, "district": d}
        )[0]
        for d in districts
    }
    home = next(d for d in districts if d.code == "36.02.14")
    village = villages[home.code][0]
    household = Household.objects.create(
        no_kk="3602149903150001", district=home, village=village, address="Kp. Uji"
    )
    members = [
        Person.objects.create(
            nik=nik_for(home.code, datetime.date(1960 + n, 3, 4), "L", 9000 + n),
            name=f"Anggota {n}",
            name_normalized=normalize_name(f"Anggota {n}"),
            sex="L",
            birth_date=datetime.date(1960 + n, 3, 4),
            household=household,
            district=home,
            village=village,
        )
        for n in range(4)
    ]
    year = timezone.localdate().year
    now = timezone.now()
    names, weights = zip(*KINDS, strict=True)
    batch = []
    for i in range(submissions):
        district = rng.choice(districts)
        kind = rng.choices([*names, "monthly_report"], [*weights, 1 - sum(weights)])[0]
        step = submissions // 12
        about = i % step == 0 and i // step < 12  # 12 forms about the household
        if about:
            kind = ("verification_visit", "new_ppks", "aid_monitoring", "case_referral")[
                (i // step) % 4
            ]
            district = home
        batch.append(
            Submission(
                kind=kind,
                client_key=uuid.uuid4(),
                submitted_by=tksk[district.code],
                district=district,
                village=rng.choice(villages[district.code]),
                status=rng.choice(["submitted", "approved", "returned"]),
                payload=_payload(
                    kind,
                    rng,
                    no_kk=household.no_kk if about and kind != "case_referral" else None,
                    nik=rng.choice(members).nik if about else None,
                ),
                summary=f"bench {i}",
                event_date=timezone.localdate().replace(
                    year=year, month=rng.randint(1, 12), day=rng.randint(1, 28)
                ),
                submitted_at=now,
                last_submitted_at=now,
            )
        )
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    return household


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=200_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if not Village.objects.filter(district__regency_id="36.02").exists():
        regions_load(regency_codes=["36.02"])
    household = fill(args.submissions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin, _ = User.objects.get_or_create(
        username="bench.admin", defaults={"role": Role.ADMIN, "is_superuser": True}
    )

    def panel():
        visits = selectors.household_visits(user=admin, household=household)
        assert visits.total == 12, visits.total

    panel()
    with_indexes = timed(panel)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in KEY_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        panel()
        without = timed(panel)
        transaction.set_rollback(True)
    print(f"{Submission.objects.count():,} submissions")
    print(f"household visits panel, with the payload key indexes: {with_indexes * 1000:8.1f} ms")
    print(f"household visits panel, without them:                {without * 1000:8.1f} ms")
    print(f"ratio without / with: {without / with_indexes:.1f}")


if __name__ == "__main__":
    main()
