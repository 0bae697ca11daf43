"""How fast the program statistics are with a Lebak-sized registry and national programs at
Lebak size, against a plain SQL aggregate on the same rows (the baseline), in the same process.

    createdb -h 127.0.0.1 -U postgres welfare_programs_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_programs_bench \\
        .venv/bin/python benchmarks/programs_stats.py [--households 312000 --persons 1200000]

The database name must contain ``bench``: its registry and program tables are emptied. The
data is built set-based on PostgreSQL (``INSERT ... SELECT generate_series``) straight into the
beneficiaries and programs tables (it does not depend on the registry's own generator):
312,000 households and 1.2 million persons over Lebak's 345 desa; then the programs
(``benchmarks/programs_data.py``, which the load test uses too): PKH 73,000 KPM in 4 tahap,
BPNT 70,000 KPM in 12 monthly stages, and ASPD, ASLUT and the district's disability cash aid in
thousands; about 1.2 million disbursements, 95 % paid. The figures the statistics read
(``programs.summary``, ``programs.targeting``) are then built from them, timed, and checked
against the data.

Each figure is timed five times (the median is printed) with the ratio to its baseline, a plain
SQL aggregate over the same rows (what the figure would cost without the summary tables); then
the writes, each in a transaction rolled back, against the same write in plain SQL (what keeping
the summaries costs a write); then what the indexes are worth to the refreshes. The load average
of the machine is printed before and after.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare.settings")
os.environ.setdefault("WELFARE_DEV", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.access import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from benchmarks.programs_data import fill_programs  # noqa: E402
from beneficiaries.models import Household  # noqa: E402
from programs import selectors, services, summary, targeting  # noqa: E402
from programs.models import Disbursement, Enrollment, Program, Stage, TargetingStale  # noqa: E402
from regions.models import Village  # noqa: E402
from regions.services import regions_load  # noqa: E402

YEAR = timezone.localdate().year


def run(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def build(households: int, persons: int) -> None:
    started = time.perf_counter()
    run(
        "TRUNCATE programs_disbursement, programs_enrollment, programs_programquota, "
        "programs_stage, programs_kubemember, programs_kubebusinessreport, programs_kubegroup, "
        "programs_program_categories, programs_program, beneficiaries_categoryplacement, "
        "beneficiaries_desilrecord, beneficiaries_person, beneficiaries_household "
        "RESTART IDENTITY CASCADE"
    )
    run(
        "CREATE TEMP TABLE bench_village AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, "
        "code, district_id FROM regions_village WHERE district_id LIKE %s",
        [settings.WELFARE_HOME_REGENCY + ".%"],
    )
    villages = Village.objects.filter(district__regency_id=settings.WELFARE_HOME_REGENCY).count()
    run(
        f"""
        INSERT INTO beneficiaries_household (no_kk, district_id, village_id, address, rt, rw,
            desil, desil_date, status, source, notes, version, created_at, updated_at,
            deleted_at, deleted_reason)
        SELECT '7' || lpad(i::text, 15, '0'), v.district_id, v.code, 'Kp. Bench No. ' || (i %% 200),
            lpad((i %% 12 + 1)::text, 3, '0'), lpad((i %% 6 + 1)::text, 3, '0'),
            1 + (i::bigint * 7919) %% 10, NULL, 'aktif', 'dtsen', '', 1, now(), now(), NULL, ''
        FROM generate_series(1, %s) AS i
        JOIN bench_village v ON v.n = i %% {villages}
        """,
        [households],
    )
    run(
        """
        INSERT INTO beneficiaries_person (nik, name, name_normalized, sex, birth_place,
            birth_date, household_id, relationship, district_id, village_id, deceased,
            death_date, disability_physical, disability_intellectual, disability_mental,
            disability_sensory, disability_severity, phone, source, merged_into_id, notes,
            version, created_at, updated_at, deleted_at, deleted_reason)
        SELECT '6' || lpad(i::text, 15, '0'), 'WARGA ' || i, 'WARGA', CASE WHEN i %% 2 = 0 THEN 'L' ELSE 'P' END,
            'Lebak', DATE '1940-01-01' + ((i * 37) %% 30000), h.id,
            CASE WHEN i <= %s THEN 'kepala' ELSE 'anak' END, h.district_id, h.village_id,
            false, NULL, i %% 40 = 0, false, false, false,
            CASE WHEN i %% 40 = 0 THEN 'berat' ELSE '' END, '', 'dtsen', NULL, '', 1, now(), now(),
            NULL, ''
        FROM generate_series(1, %s) AS i
        JOIN beneficiaries_household h ON h.id = 1 + (i - 1) %% %s
        """,
        [households, persons, households],
    )
    fill_programs(year=YEAR)
    run("VACUUM ANALYZE")
    build_figures()
    counts = {
        table: run(f"SELECT 1 FROM {table}")
        for table in (
            "beneficiaries_household",
            "beneficiaries_person",
            "programs_enrollment",
            "programs_disbursement",
        )
    }
    print(f"built in {time.perf_counter() - started:.0f} s: {counts}")


def build_figures() -> None:
    """The data above was written with SQL: build the figures the statistics read, timed."""
    started = time.perf_counter()
    summary.refresh_all()
    took = time.perf_counter() - started
    started = time.perf_counter()
    targeting.mark(None)
    targeting.refresh_stale()
    print(
        f"figures built: per desa (all programs, every year) {took:.1f} s, "
        f"targeting (every desa) {time.perf_counter() - started:.1f} s"
    )
    run("VACUUM ANALYZE programs_enrollmentsummary, programs_disbursementsummary")


def check_figures() -> None:
    """The summaries equal a rebuild from the data (``programs_refresh_figures --check``)."""
    for program in Program.objects.order_by("code"):
        problems = summary.differences(program.pk)
        assert not problems, problems[:5]
    targeting.refresh_stale()
    problems = targeting.differences()
    assert not problems, problems[:5]
    print("figures checked: equal to the data")


def rolled_back(func):
    """Run ``func`` in a transaction that is rolled back (the data stays as built)."""

    def wrapped():
        with transaction.atomic():
            func()
            transaction.set_rollback(True)

    return wrapped


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return (
        f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min), {os.cpu_count()} cores"
    )


def timed(func, runs: int = 5) -> float:
    func()  # warm up (plans, caches)
    times = []
    for _n in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def baseline_sql(program_id: int, stage_id: int | None) -> float:
    stage = "AND stage_id = %s" if stage_id else ""
    params = [program_id, YEAR] + ([stage_id] if stage_id else [])

    def query():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT village_id, count(*), count(*) FILTER (WHERE status = 'disalurkan'),
                       sum(paid_amount) FILTER (WHERE status = 'disalurkan'), sum(planned_amount)
                FROM programs_disbursement WHERE program_id = %s AND year = %s {stage}
                GROUP BY village_id""",
                params,
            )
            cursor.fetchall()

    return timed(query)


def measure(admin) -> list[tuple[str, float, float]]:
    pkh = Program.objects.get(code="PKH")
    bpnt = Program.objects.get(code="BPNT")
    t1 = Stage.objects.get(program=pkh, year=YEAR, number=1)
    b1 = Stage.objects.get(program=bpnt, year=YEAR, number=1)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    api = Client(HTTP_HOST="localhost")
    api.force_login(admin)
    results = []

    def add(label, func, base):
        results.append((label, timed(func), base))

    base_pkh_t1 = baseline_sql(pkh.pk, t1.pk)
    base_pkh_year = baseline_sql(pkh.pk, None)
    base_bpnt_year = baseline_sql(bpnt.pk, None)
    base_bpnt_b1 = baseline_sql(bpnt.pk, b1.pk)
    add(
        "selector PKH tahap 1 per kecamatan",
        lambda: selectors.program_stats(user=admin, program=pkh, year=YEAR, stage=t1),
        base_pkh_t1,
    )
    add(
        "selector PKH tahap 1 per desa",
        lambda: selectors.program_stats(
            user=admin, program=pkh, year=YEAR, stage=t1, group_by="village"
        ),
        base_pkh_t1,
    )
    add(
        "selector PKH year (4 tahap) per kecamatan",
        lambda: selectors.program_stats(user=admin, program=pkh, year=YEAR),
        base_pkh_year,
    )
    add(
        "selector BPNT year (12 months) per desa",
        lambda: selectors.program_stats(user=admin, program=bpnt, year=YEAR, group_by="village"),
        base_bpnt_year,
    )
    add(
        "selector BPNT month 1 per desa",
        lambda: selectors.program_stats(
            user=admin, program=bpnt, year=YEAR, stage=b1, group_by="village"
        ),
        base_bpnt_b1,
    )
    add(
        "realization_by_area PKH per desa, 4 tahap",
        lambda: selectors.realization_by_area(program=pkh, year=YEAR, group_by="village"),
        base_pkh_year,
    )
    add(
        "API /api/v1/programs/PKH/stats/?tahap=1&group_by=village",
        lambda: _ok(api.get(f"/api/v1/programs/PKH/stats/?year={YEAR}&tahap=1&group_by=village")),
        base_pkh_t1,
    )
    add(
        "API /api/v1/programs/PKH/stats/ (year)",
        lambda: _ok(api.get(f"/api/v1/programs/PKH/stats/?year={YEAR}")),
        base_pkh_year,
    )
    add(
        "page /program/PKH/?tahap=1",
        lambda: _ok(client.get(f"/program/PKH/?year={YEAR}&tahap=1")),
        base_pkh_t1,
    )
    add(
        "page /program/BPNT/ (year)",
        lambda: _ok(client.get(f"/program/BPNT/?year={YEAR}")),
        base_bpnt_year,
    )
    base_targeting = timed(lambda: targeting.compute(None))
    targeting.refresh_stale()
    add(
        "targeting per kecamatan (all programs)",
        lambda: selectors.targeting_by_district(user=admin),
        base_targeting,
    )
    add(
        "targeting per kecamatan, PKH",
        lambda: selectors.targeting_by_district(user=admin, program=pkh),
        base_targeting,
    )
    # A poor household with a member enrolled in a person program: its desil change marks its
    # desa and that of the enrollment.
    household = (
        Household.objects.filter(desil=2, members__enrollments__isnull=False).order_by("pk").first()
    )

    def after_one_write():
        targeting.mark([household.village_id])  # what a desil change marks (and its enrollments')
        selectors.targeting_by_district(user=admin)

    add(
        "targeting, first read after a write (one desa recomputed)",
        rolled_back(after_one_write),
        base_targeting,
    )

    def desil_change_and_read():
        h = Household.objects.get(pk=household.pk)
        h.desil = 7
        h.save()
        assert targeting.MAX_VILLAGES >= TargetingStale.objects.count() > 0
        selectors.targeting_by_district(user=admin)

    add(
        "household desil change saved, then the first read",
        rolled_back(desil_change_and_read),
        base_targeting,
    )
    add(
        "API /api/v1/programs-targeting/",
        lambda: _ok(api.get("/api/v1/programs-targeting/")),
        base_targeting,
    )
    add(
        "page /program/BPNT/?group_by=village (year)",
        lambda: _ok(client.get(f"/program/BPNT/?year={YEAR}&group_by=village")),
        base_bpnt_year,
    )
    return results


def measure_writes(admin) -> list[tuple[str, float, float]]:
    """What keeping the figures costs the writes: each write with its refresh, in a
    transaction rolled back, against the same change in plain SQL."""
    run("VACUUM ANALYZE programs_disbursementsummary, programs_enrollmentsummary")
    pkh = Program.objects.get(code="PKH")
    t1 = Stage.objects.get(program=pkh, year=YEAR, number=1)
    disbursement = Disbursement.objects.filter(stage=t1, status="gagal").order_by("pk").first()
    enrollment = Enrollment.objects.filter(program=pkh, status="aktif").order_by("pk").first()
    results = []

    def plain(sql, params):
        return rolled_back(lambda: run(sql, params))

    def record():
        d = Disbursement.objects.get(pk=disbursement.pk)
        services.disbursement_record(
            actor=admin,
            disbursement=d,
            status="disalurkan",
            paid_amount=d.planned_amount,
            paid_on=datetime.date(YEAR, 3, 1),
            channel="bank",
        )

    results.append(
        (
            "disbursement_record (one payment, its desa refreshed)",
            timed(rolled_back(record)),
            timed(
                plain(
                    "UPDATE programs_disbursement SET status = 'disalurkan', "
                    "paid_amount = planned_amount WHERE id = %s",
                    [disbursement.pk],
                )
            ),
        )
    )

    def suspend():
        e = Enrollment.objects.get(pk=enrollment.pk)
        services.enrollment_transition(
            actor=admin, enrollment=e, version=e.version, status="ditangguhkan", note="bench"
        )

    results.append(
        (
            "enrollment_transition (aktif -> ditangguhkan)",
            timed(rolled_back(suspend)),
            timed(
                plain(
                    "UPDATE programs_enrollment SET status = 'ditangguhkan' WHERE id = %s",
                    [enrollment.pk],
                )
            ),
        )
    )

    base_update = timed(
        plain("UPDATE programs_disbursement SET status = status WHERE id = %s", [disbursement.pk])
    )
    results.append(
        (
            "refresh alone: one desa, tahap and year rows (a payment's)",
            timed(
                rolled_back(
                    lambda: summary.disbursements_refresh(
                        program_id=pkh.pk,
                        year=YEAR,
                        stage_ids=[t1.pk],
                        village_ids=[disbursement.village_id],
                    )
                )
            ),
            base_update,
        )
    )
    results.append(
        (
            "refresh alone: one desa, enrollments (a status change's)",
            timed(
                rolled_back(
                    lambda: summary.enrollments_refresh(
                        program_id=pkh.pk, village_ids=[enrollment.village_id]
                    )
                )
            ),
            base_update,
        )
    )
    base_stage = baseline_sql(pkh.pk, t1.pk)
    results.append(
        (
            "refresh of a PKH tahap, every desa (an import's refresh)",
            timed(
                rolled_back(
                    lambda: summary.disbursements_refresh(
                        program_id=pkh.pk, year=YEAR, stage_ids=[t1.pk]
                    )
                )
            ),
            base_stage,
        )
    )

    def plain_plan():
        stage = Stage.objects.create(program=pkh, year=YEAR, number=9, name="Bench")
        run(
            """INSERT INTO programs_disbursement (enrollment_id, stage_id, program_id, year,
                district_id, village_id, planned_amount, paid_amount, paid_on, channel, status,
                reason, reference, import_batch, created_at, updated_at)
            SELECT e.id, %s, e.program_id, %s, e.district_id, e.village_id, 750000, 0, NULL,
                '', 'direncanakan', '', '', '', now(), now()
            FROM programs_enrollment e WHERE e.program_id = %s AND e.status = 'aktif'""",
            [stage.pk, YEAR, pkh.pk],
        )

    def plan():
        stage = Stage.objects.create(program=pkh, year=YEAR, number=9, name="Bench")
        services.disbursements_plan(actor=admin, stage=stage)

    results.append(
        (
            "disbursements_plan (a PKH tahap: 70,000 rows, stage and year refreshed)",
            timed(rolled_back(plan), runs=3),
            timed(rolled_back(plain_plan), runs=3),
        )
    )
    return results


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def report(results, title: str) -> None:
    print(f"\n{title}")
    print(f"| {'Figure':<58} | measured | baseline | ratio |")
    print(f"|{'-' * 60}|---------:|---------:|------:|")
    for label, took, base in results:
        print(f"| {label:<58} | {took:6.1f} ms | {base:6.1f} ms | {took / base:5.1f} |")


def index_effect(admin) -> None:
    """What the programs' indexes are worth to the refreshes (the statistics read the
    summaries): each dropped, the refresh timed again, the index created again as it was."""
    run("VACUUM ANALYZE programs_disbursement, programs_disbursementsummary")
    pkh = Program.objects.get(code="PKH")
    t1 = Stage.objects.get(program=pkh, year=YEAR, number=1)
    village = Enrollment.objects.filter(program=pkh).order_by("pk").first().village_id
    refreshes = {
        "disbursement_stats_idx": (
            "refresh of PKH tahap 1, every desa",
            lambda: summary.disbursements_refresh(program_id=pkh.pk, year=YEAR, stage_ids=[t1.pk]),
        ),
        "enrollment_stats_idx": (
            "refresh of PKH enrollments of one desa",
            lambda: summary.enrollments_refresh(program_id=pkh.pk, village_ids=[village]),
        ),
    }
    for name, (label, func) in refreshes.items():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [name])
            definition = cursor.fetchone()[0]
        with_index = timed(rolled_back(func))
        run(f"DROP INDEX {name}")
        try:
            without = timed(rolled_back(func))
        finally:
            run(definition)
        print(f"{name}: {label} {with_index:.1f} ms with, {without:.1f} ms without")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=312000)
    parser.add_argument("--persons", type=int, default=1200000)
    parser.add_argument("--reuse", action="store_true", help="keep the data already built")
    parser.add_argument(
        "--rebuild-figures", action="store_true", help="with --reuse: build the figures again"
    )
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("The database name must contain 'bench' (its tables are emptied).")
    call_command("migrate", verbosity=0)
    if not Village.objects.filter(district__regency_id=settings.WELFARE_HOME_REGENCY).exists():
        regions_load(regency_codes=[settings.WELFARE_HOME_REGENCY])
    admin, _created = User.objects.get_or_create(
        username="bench.admin", defaults={"role": Role.ADMIN, "is_superuser": True}
    )
    if not (args.reuse and Program.objects.filter(code="PKH").exists()):
        build(args.households, args.persons)
    else:
        run("VACUUM ANALYZE programs_disbursement")
        if args.rebuild_figures:
            build_figures()
    check_figures()
    print(load())
    report(measure(admin), "Medians of 5 runs (ratio = figure / plain SQL on the same rows)")
    report(
        measure_writes(admin),
        "Writes, medians (ratio = write with its refresh / the same change in plain SQL)",
    )
    index_effect(admin)
    print(load())


if __name__ == "__main__":
    main()
