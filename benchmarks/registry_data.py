"""A district-sized PPKS registry built set-based in PostgreSQL, for the load test and the Citus
measurements (not for tests: it needs PostgreSQL and minutes).

``fill_regency("36.02", households=312_000, persons=1_200_000)`` fills the beneficiaries tables
of one regency with ``INSERT ... SELECT generate_series(...)`` over its real villages (loaded by
``regions_load``): households with a No. KK and a DTSEN desil, persons (head, spouse, children)
with a NIK, and PPKS placements (fakir miskin households in desil 1-2, elderly persons aged 60+,
persons with a disability). A NIK is well-formed: the 6-digit kecamatan code, the birth date as
DDMMYY (women: day + 40) and a 4-digit serial numbered from 5001 within the kecamatan, date and
sex (the demo numbers from 1, so the two never collide). Names are drawn from the demo's lists.
Idempotent per regency: a regency that already holds ``households`` bulk households is left.
"""

from __future__ import annotations

import time

from django.db import connection

from regions.services import regions_load
from welfare.demo_data import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES

BULK_SOURCE = "dtsen"
BULK_NOTE = "bulk"  # marks bulk rows (notes column) so they can be counted and told apart


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def bulk_households(regency: str) -> int:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM beneficiaries_household WHERE notes = %s AND district_id LIKE %s",
            [BULK_NOTE, regency + ".%"],
        )
        return cur.fetchone()[0]


def fill_regency(regency: str, *, households: int, persons: int, stdout=print) -> dict[str, float]:
    """Fill one regency; returns the seconds each step took."""
    if bulk_households(regency) >= households:
        stdout(f"  {regency}: already filled")
        return {}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM regions_village WHERE district_id LIKE %s", [regency + ".%"]
        )
        if not cur.fetchone()[0]:
            regions_load(regency_codes=[regency])
    timings: dict[str, float] = {}
    _remove_partial(regency)
    male, female, family = (
        _sql_array(MALE_NAMES),
        _sql_array(FEMALE_NAMES),
        _sql_array(FAMILY_NAMES),
    )
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bulk_village")
        cur.execute(
            "CREATE TEMP TABLE bulk_village AS SELECT (row_number() OVER (ORDER BY code)) - 1 AS idx,"
            " code, district_id FROM regions_village WHERE district_id LIKE %s",
            [regency + ".%"],
        )
        cur.execute("SELECT count(*) FROM bulk_village")
        villages = cur.fetchone()[0]

        started = time.perf_counter()
        # Households spread over the villages with a stride, so that villages differ in size.
        cur.execute(
            f"""
            INSERT INTO beneficiaries_household (
                no_kk, district_id, village_id, address, rt, rw, desil, desil_date, status,
                source, notes, version, created_at, updated_at, deleted_at, deleted_reason)
            SELECT
                replace(v.district_id, '.', '') || to_char(x.issued, 'DDMMYY')
                    || lpad((5000 + row_number() OVER (
                        PARTITION BY v.district_id, x.issued ORDER BY g))::text, 4, '0'),
                v.district_id, v.code,
                'Kp. ' || ({family})[1 + (g * 7) %% {len(FAMILY_NAMES)}],
                lpad((1 + g %% 12)::text, 3, '0'), lpad((1 + g %% 6)::text, 3, '0'),
                CASE WHEN g %% 5 = 4 THEN NULL ELSE 1 + (g * 3) %% 10 END,
                CASE WHEN g %% 5 = 4 THEN NULL ELSE date '2026-08-01' END,
                'aktif', %s, %s, 1, now(), now(), NULL, ''
            FROM generate_series(0, %s - 1) AS g
            CROSS JOIN LATERAL (SELECT date '2005-01-01' + ((g * 37) %% 7600)::int AS issued) x
            JOIN bulk_village v ON v.idx = ((g::bigint * 7919 + (g / 1000) * 13) %% {villages})
            """,
            [BULK_SOURCE, BULK_NOTE, households],
        )
        timings["households"] = time.perf_counter() - started

        started = time.perf_counter()
        # Person g belongs to household g mod H: the first H are heads, the next H spouses
        # (most households), the rest children. Ages follow the member's place.
        cur.execute(
            _person_sql(male, female, family),
            [
                BULK_NOTE,
                regency + ".%",
                *([households] * 6),
                persons,
                households,
                BULK_SOURCE,
                BULK_NOTE,
            ],
        )
        timings["persons"] = time.perf_counter() - started

        started = time.perf_counter()
        _placements(cur, regency)
        timings["placements"] = time.perf_counter() - started
        started = time.perf_counter()
        cur.execute(
            "ANALYZE beneficiaries_household; ANALYZE beneficiaries_person;"
            " ANALYZE beneficiaries_categoryplacement"
        )
        timings["analyze"] = time.perf_counter() - started
    stdout(
        f"  {regency}: {households:,} households, {persons:,} persons in {villages} villages "
        + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
    )
    return timings


def _remove_partial(regency: str) -> None:
    """A fill that stopped half-way (or a smaller one) is removed before filling again."""
    pattern = regency + ".%"
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM beneficiaries_categoryplacement WHERE notes = %s AND district_id LIKE %s",
            [BULK_NOTE, pattern],
        )
        cur.execute(
            "DELETE FROM beneficiaries_person WHERE notes = %s AND district_id LIKE %s",
            [BULK_NOTE, pattern],
        )
        cur.execute(
            "DELETE FROM beneficiaries_household WHERE notes = %s AND district_id LIKE %s",
            [BULK_NOTE, pattern],
        )


def _person_sql(male: str, female: str, family: str) -> str:
    return f"""
        WITH h AS (
            SELECT id, district_id, village_id, (row_number() OVER (ORDER BY id)) - 1 AS idx
            FROM beneficiaries_household
            WHERE notes = %s AND district_id LIKE %s
        ), p AS (
            SELECT g, h.id AS household_id, h.district_id, h.village_id,
                CASE WHEN g < %s THEN 'kepala' WHEN g < 2 * %s THEN 'pasangan'
                     ELSE 'anak' END AS relationship,
                CASE WHEN g < %s THEN (CASE WHEN g %% 7 = 0 THEN 'P' ELSE 'L' END)
                     WHEN g < 2 * %s THEN (CASE WHEN g %% 7 = 0 THEN 'L' ELSE 'P' END)
                     ELSE (CASE WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END) END AS sex,
                date '2026-07-01' - (
                    (CASE WHEN g < %s THEN 25 + (g * 13) %% 55
                          WHEN g < 2 * %s THEN 22 + (g * 11) %% 50
                          ELSE (g * 7) %% 24 END) * 365 + (g %% 360))::int AS birth_date
            FROM generate_series(0, %s - 1) AS g
            JOIN h ON h.idx = g %% %s
        )
        INSERT INTO beneficiaries_person (
            nik, name, name_normalized, sex, birth_place, birth_date, household_id,
            relationship, district_id, village_id, deceased, death_date,
            disability_physical, disability_intellectual, disability_mental,
            disability_sensory, disability_severity, phone, source, merged_into_id, notes,
            version, created_at, updated_at, deleted_at, deleted_reason)
        SELECT
            replace(p.district_id, '.', '')
                || lpad((extract(day FROM p.birth_date)::int
                         + CASE WHEN p.sex = 'P' THEN 40 ELSE 0 END)::text, 2, '0')
                || to_char(p.birth_date, 'MMYY')
                || lpad((5000 + row_number() OVER (
                    PARTITION BY p.district_id, p.birth_date, p.sex ORDER BY p.g))::text, 4, '0'),
            n.name, upper(n.name), p.sex, 'Lebak', p.birth_date, p.household_id,
            p.relationship, p.district_id, p.village_id, false, NULL,
            p.g %% 97 = 0, p.g %% 211 = 0, p.g %% 307 = 0, p.g %% 401 = 0,
            CASE WHEN p.g %% 97 = 0 THEN 'sedang' ELSE '' END,
            '', %s, NULL, %s, 1, now(), now(), NULL, ''
        FROM p
        CROSS JOIN LATERAL (
            SELECT (CASE WHEN p.sex = 'L'
                         THEN ({male})[1 + (p.g * 31) %% {len(MALE_NAMES)}]
                         ELSE ({female})[1 + (p.g * 31) %% {len(FEMALE_NAMES)}] END)
                   || ' ' || ({family})[1 + (p.g * 17 + p.g / 7) %% {len(FAMILY_NAMES)}] AS name
        ) n
    """


def _placements(cur, regency: str) -> None:
    """Fakir miskin households (desil 1-2), elderly persons 60+ (one in four) and persons with a
    disability, in every status."""
    statuses = "(ARRAY['teridentifikasi','terverifikasi','ditangani','selesai','keluar'])"
    common = (
        "district_id, status, source, identified_on, verified_on, handled_on, closed_on,"
        " closing_reason, notes, version, created_at, updated_at"
    )
    cur.execute(
        f"""
        INSERT INTO beneficiaries_categoryplacement (category_id, household_id, person_id, {common})
        SELECT c.id, h.id, NULL, h.district_id, {statuses}[1 + h.id %% 5], 'dtsen',
               date '2025-01-01' + (h.id %% 500)::int, NULL, NULL, NULL, '', %s, 1, now(), now()
        FROM beneficiaries_household h
        JOIN beneficiaries_ppkscategory c ON c.code = 'fakir_miskin'
        WHERE h.notes = %s AND h.district_id LIKE %s AND h.desil <= 2
        """,
        [BULK_NOTE, BULK_NOTE, regency + ".%"],
    )
    cur.execute(
        f"""
        INSERT INTO beneficiaries_categoryplacement (category_id, household_id, person_id, {common})
        SELECT c.id, NULL, p.id, p.district_id, {statuses}[1 + p.id %% 5], 'tksk',
               date '2025-01-01' + (p.id %% 500)::int, NULL, NULL, NULL, '', %s, 1, now(), now()
        FROM beneficiaries_person p
        JOIN beneficiaries_ppkscategory c
          ON (c.code = 'lanjut_usia_terlantar' AND p.birth_date < date '1966-07-01'
              AND p.id %% 4 = 0)
          OR (c.code = 'penyandang_disabilitas' AND p.disability_physical)
        WHERE p.notes = %s AND p.district_id LIKE %s
        """,
        [BULK_NOTE, BULK_NOTE, regency + ".%"],
    )
