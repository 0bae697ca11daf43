"""How fast the field work figures are at the size of a large district, against a plain SQL
aggregate on the same rows (the baseline), measured in the same process.

    createdb -h 127.0.0.1 -U postgres welfare_field_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_field_bench \\
        .venv/bin/python benchmarks/fieldwork_figures.py [--submissions 200000]

It migrates the database, loads Kabupaten Lebak, fills it once with field forms, disaster
incidents and PSKS people (set-based), then times each selector and its baseline five times and
prints the medians and the ratio selector / baseline. The machine is shared and noisy: read
the ratios, not the milliseconds.
"""

import argparse
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
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import timed  # noqa: E402

from accounts.access import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from fieldwork import selectors  # noqa: E402
from fieldwork.models import (  # noqa: E402
    DisasterIncident,
    DisasterType,
    PsksKind,
    PsksPerson,
    Submission,
)
from regions.models import District, Village  # noqa: E402
from regions.services import regions_load  # noqa: E402


def fill(submissions: int) -> None:
    if Submission.objects.count() >= submissions:
        return
    rng = random.Random(5)
    admin, _ = User.objects.get_or_create(
        username="bench.admin", defaults={"role": Role.ADMIN, "is_superuser": True}
    )
    districts = list(District.objects.filter(regency_id="36.02"))
    villages = {d.code: list(Village.objects.filter(district=d)) for d in districts}
    tksk = {
        d.code: User.objects.get_or_create(
            username=f"bench.{d.code}", defaults={"role": Role.TKSK, "district": d}
        )[0]
        for d in districts
    }
    year = timezone.localdate().year
    now = timezone.now()
    statuses = ["submitted", "returned", "resubmitted", "approved", "rejected"]
    kinds = ["disaster_incident", "case_referral", "referral_followup"]
    batch, made = [], 0
    for i in range(submissions):
        district = rng.choice(districts)
        day = timezone.localdate().replace(month=rng.randint(1, 12), day=rng.randint(1, 28))
        batch.append(
            Submission(
                kind=rng.choice(kinds),
                client_key=uuid.uuid4(),
                submitted_by=tksk[district.code],
                district=district,
                village=rng.choice(villages[district.code]),
                status=rng.choice(statuses),
                payload={"n": i},
                summary=f"bench {i}",
                event_date=day.replace(year=year),
                submitted_at=now,
                last_submitted_at=now,
            )
        )
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    approved = list(
        Submission.objects.filter(status="approved", kind="disaster_incident").values_list(
            "pk", "district_id", "village_id", "event_date"
        )
    )
    incidents = [
        DisasterIncident(
            source_submission_id=pk,
            district_id=district,
            village_id=village,
            occurred_on=day,
            disaster_type=rng.choice(DisasterType.values),
            persons_affected=rng.randint(1, 200),
            households_affected=rng.randint(1, 50),
            houses_light=rng.randint(0, 20),
        )
        for pk, district, village, day in approved
    ]
    DisasterIncident.objects.bulk_create(incidents, batch_size=5000)
    psm = PsksKind.objects.get(code="psm")
    people = [
        PsksPerson(
            kind=psm,
            name=f"Relawan {i}",
            sex="L",
            district=rng.choice(districts),
            certified_on=None if rng.random() < 0.9 else timezone.localdate(),
            certification_body="LSP",
        )
        for i in range(submissions // 4)
    ]
    PsksPerson.objects.bulk_create(people, batch_size=5000)
    del admin


def raw(sql: str, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=200_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if not Village.objects.filter(district__regency_id="36.02").exists():
        regions_load(regency_codes=["36.02"])
    fill(args.submissions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = User.objects.get(username="bench.admin")
    year = timezone.localdate().year
    selectors.fieldwork_settings()
    cases = [
        (
            "disaster victims per kecamatan and type",
            lambda: selectors.disaster_victims(user=admin, year=year),
            raw(
                "SELECT district_id, disaster_type, SUM(persons_affected) FROM "
                "fieldwork_disasterincident WHERE occurred_on BETWEEN %s AND %s GROUP BY 1, 2",
                (f"{year}-01-01", f"{year}-12-31"),
            ),
        ),
        (
            "inbox counts (all submissions)",
            lambda: selectors.inbox_counts(selectors.submission_list(user=admin)),
            raw("SELECT status, COUNT(*) FROM fieldwork_submission GROUP BY status"),
        ),
        (
            "inbox first page (waiting for review)",
            lambda: list(
                selectors.submission_list(user=admin).filter(status__in=Submission.AWAITING_REVIEW)[
                    :30
                ]
            ),
            raw(
                "SELECT * FROM fieldwork_submission WHERE status IN ('submitted', 'resubmitted') "
                "ORDER BY last_submitted_at DESC, id DESC LIMIT 30"
            ),
        ),
        (
            "TKSK and volunteers recap (LKjIP 3.12)",
            lambda: selectors.psks_worker_recap(user=admin),
            raw(
                "SELECT p.district_id, COUNT(*) FROM fieldwork_psksperson p JOIN fieldwork_pskskind"
                " k ON k.id = p.kind_id WHERE p.active AND k.counts_as_volunteer GROUP BY 1"
            ),
        ),
    ]
    print(
        f"{Submission.objects.count():,} submissions, "
        f"{DisasterIncident.objects.count():,} incidents, "
        f"{PsksPerson.objects.count():,} PSKS people"
    )
    print(f"{'figure':45} {'selector ms':>12} {'baseline ms':>12} {'ratio':>7}")
    for name, selector, baseline in cases:
        baseline()
        selector()
        b = timed(baseline)
        s = timed(selector)
        print(f"{name:45} {s * 1000:12.1f} {b * 1000:12.1f} {s / b:7.2f}")


if __name__ == "__main__":
    main()
