"""National programs at Lebak size over a registry already filled, built set-based in PostgreSQL,
for the program statistics benchmark (``benchmarks/programs_stats.py``) and the load test
(``benchmarks/load_test.py``); not for tests: it needs PostgreSQL and minutes.

``fill_programs(year=..., rows="...")`` enrolls registry households and persons (``rows``: an
extra SQL condition on them, e.g. ``notes = 'bulk'`` for the rows of
``benchmarks/registry_data.py``) in PKH (73,000 KPM in 4 tahap), BPNT (70,000 KPM in 12 monthly
stages; 53,000 of them in PKH too), ASPD, ASLUT and the district's disability cash aid (thousands
of persons), with a quota per kecamatan, and plans the disbursements of every stage already due
(a stage with no planned date is due): 95 % paid, 5 % failed. Programs the demo made already are
completed, not replaced (their own enrollments stay). The rows are written with SQL: the figures
the statistics read are then out of date until ``programs_refresh_figures`` (or
``summary.refresh_all`` and ``targeting``) rebuilds them, which the callers do.

Idempotent: the enrollments carry the decree number ``BULK_DECREE``; when some exist, nothing is
done.
"""

from __future__ import annotations

import time

from django.db import connection

# code, unit, stages, recipients, amount
PROGRAMS = [
    ("PKH", "household", 4, 73000, 750000),
    ("BPNT", "household", 12, 70000, 200000),
    ("ASPD", "person", 1, 3000, 3000000),
    ("ASLUT", "person", 2, 5000, 1200000),
    ("BSPD-KAB", "person", 2, 4200, 900000),
]
BULK_DECREE = "BULK"
# Who the bulk enrollments are drawn from: households in desil 1-4 (PKH from the first, BPNT from
# the 20,001st: they overlap as in Lebak), persons with a severe disability or one in 97.
HOUSEHOLD_ROWS = "desil <= 4"
PERSON_ROWS = "disability_severity = 'berat' OR id %% 97 = 0"
BPNT_OFFSET = 20000


def _run(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fill_programs(*, year: int, rows: str = "TRUE", stdout=print) -> bool:
    """Fill the programs; False when they were filled already (nothing done)."""
    from accounts.models import Bidang
    from programs.models import Enrollment, Program, Stage

    if Enrollment.objects.filter(decree_number=BULK_DECREE).exists():
        stdout("  programs: already filled")
        return False
    started = time.perf_counter()
    bidang = Bidang.objects.get(code="linjamsos")
    offset = 0
    for code, unit, stages, recipients, amount in PROGRAMS:
        program = Program.objects.filter(code=code).first() or Program.objects.create(
            code=code,
            name=code,
            level="nasional",
            funding="apbn",
            bidang=bidang,
            unit=unit,
            benefit="tunai",
            amount_per_stage=amount,
            schedule="tahap",
            stages_per_year=stages,
            max_desil=4 if unit == "household" else None,
        )
        for number in range(1, stages + 1):
            Stage.objects.get_or_create(
                program=program, year=year, number=number, defaults={"name": f"Tahap {number}"}
            )
        table = "beneficiaries_household" if unit == "household" else "beneficiaries_person"
        column = "household_id" if unit == "household" else "person_id"
        where = HOUSEHOLD_ROWS if unit == "household" else PERSON_ROWS
        _run(
            f"""
            INSERT INTO programs_enrollment (program_id, {column}, district_id, village_id,
                start_date, end_date, status, decree_number, decree_date, exit_reason,
                exit_date, exit_note, override_justification, override_failures, version,
                created_at, updated_at)
            SELECT %s, t.id, t.district_id, t.village_id, DATE '{year}-01-02', NULL,
                CASE WHEN t.id %% 50 = 0 THEN 'usulan' WHEN t.id %% 61 = 0 THEN 'keluar'
                     ELSE 'aktif' END,
                %s, DATE '{year}-01-02', '', NULL, '', '', '[]', 1, now(), now()
            FROM (SELECT * FROM {table} WHERE ({where}) AND ({rows})
                  ORDER BY id OFFSET %s LIMIT %s) t
            """,
            [program.pk, BULK_DECREE, offset if unit == "household" else 0, recipients],
        )
        offset += BPNT_OFFSET if unit == "household" else 0
        # Room for everyone enrolled (the demo's and these) in each kecamatan, and ten more.
        _run(
            f"""
            INSERT INTO programs_programquota (program_id, year, district_id, village_id, quota)
            SELECT %s, {year}, district_id, NULL, count(*) + 10
            FROM programs_enrollment WHERE program_id = %s GROUP BY district_id
            ON CONFLICT (program_id, year, district_id) WHERE village_id IS NULL
            DO UPDATE SET quota = GREATEST(programs_programquota.quota, EXCLUDED.quota)
            """,
            [program.pk, program.pk],
        )
        _run(
            """
            INSERT INTO programs_disbursement (enrollment_id, stage_id, program_id, year,
                district_id, village_id, planned_amount, paid_amount, paid_on, channel, status,
                reason, reference, import_batch, created_at, updated_at)
            SELECT e.id, s.id, e.program_id, s.year, e.district_id, e.village_id, %s,
                CASE WHEN (e.id + s.number) %% 20 = 0 THEN 0 ELSE %s END,
                CASE WHEN (e.id + s.number) %% 20 = 0 THEN NULL ELSE DATE '2026-06-01' END,
                'bank',
                CASE WHEN (e.id + s.number) %% 20 = 0 THEN 'gagal' ELSE 'disalurkan' END,
                CASE WHEN (e.id + s.number) %% 20 = 0 THEN 'Rekening tidak aktif' ELSE '' END,
                '', '', now(), now()
            FROM programs_enrollment e JOIN programs_stage s ON s.program_id = e.program_id
            WHERE e.program_id = %s AND e.decree_number = %s AND e.status IN ('aktif', 'keluar')
              AND s.year = %s AND (s.planned_on IS NULL OR s.planned_on <= current_date)
            """,
            [amount, amount, program.pk, BULK_DECREE, year],
        )
    counts = {
        "enrollments": Enrollment.objects.filter(decree_number=BULK_DECREE).count(),
        "disbursements": _run(
            "SELECT 1 FROM programs_disbursement d JOIN programs_enrollment e"
            " ON e.id = d.enrollment_id WHERE e.decree_number = %s",
            [BULK_DECREE],
        ),
    }
    stdout(
        f"  programs: {counts['enrollments']:,} enrollments, {counts['disbursements']:,}"
        f" disbursements in {time.perf_counter() - started:.0f} s"
    )
    return True
