"""Measure, on plain PostgreSQL, the per-regency work a Citus shard would do (docs/scaling-citus.md).

    .venv/bin/python benchmarks/citus_plan.py                      # 1x, then grows to 5x
    .venv/bin/python benchmarks/citus_plan.py --database-url postgres://.../welfare_citus_bench
    .venv/bin/python benchmarks/citus_plan.py --database-url <1x> --compare <5x>   # measure only

The database (its name must contain ``bench``) is migrated and filled set-based
(``benchmarks/registry_data.py``) with Lebak-sized data: 312,000 households and 1.2 million
persons in Kabupaten Lebak (36.02). The queries below run with ``EXPLAIN (ANALYZE, BUFFERS)``
(the median execution time of ``--runs`` runs, after one warm-up). Then four more Banten
regencies (36.01 Pandeglang, 36.03 Tangerang, 36.04 Serang, 36.73 Kota Serang) get the same
amount each (5x: 6 million persons, a province) and the queries run again. A query scoped to one
regency or kecamatan is the work one Citus shard does when the regency is the distribution
column; a province-wide query is the work that fans out to every shard.

Citus itself is not installed here: the figures are per-shard costs on one PostgreSQL server,
not a Citus cluster's latencies.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare.settings")
os.environ.setdefault("WELFARE_DEV", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/welfare_citus_bench")

HOUSEHOLDS, PERSONS = 312_000, 1_200_000
MORE_REGENCIES = ["36.01", "36.03", "36.04", "36.73"]

# name -> (scope, SQL). Registry queries as the model's indexes serve them.
QUERIES = {
    "kecamatan list, first page (50 by name)": (
        "one shard",
        """SELECT id, nik, name, birth_date, village_id FROM beneficiaries_person
           WHERE district_id = '36.02.14' AND deleted_at IS NULL
           ORDER BY name, nik LIMIT 50""",
    ),
    "kecamatan list, count for the pager": (
        "one shard",
        """SELECT count(*) FROM beneficiaries_person
           WHERE district_id = '36.02.14' AND deleted_at IS NULL""",
    ),
    "NIK look-up": (
        "one shard (router by NIK prefix) or all",
        """SELECT id, district_id FROM beneficiaries_person WHERE nik = '{nik}'""",
    ),
    "regency stats: persons by kecamatan and sex": (
        "one shard",
        """SELECT district_id, sex, count(*) FROM beneficiaries_person
           WHERE district_id LIKE '36.02.%' AND deleted_at IS NULL GROUP BY 1, 2""",
    ),
    "regency stats: households by kecamatan and desil": (
        "one shard",
        """SELECT district_id, desil, count(*) FROM beneficiaries_household
           WHERE district_id LIKE '36.02.%' AND deleted_at IS NULL GROUP BY 1, 2""",
    ),
    "regency stats: PPKS by category and status": (
        "one shard",
        """SELECT category_id, status, count(*) FROM beneficiaries_categoryplacement
           WHERE district_id LIKE '36.02.%' GROUP BY 1, 2""",
    ),
    "province stats: persons by regency and sex": (
        "all shards",
        """SELECT left(district_id, 5), sex, count(*) FROM beneficiaries_person
           WHERE deleted_at IS NULL GROUP BY 1, 2""",
    ),
    "province stats: PPKS by regency, category, status": (
        "all shards",
        """SELECT left(district_id, 5), category_id, status, count(*)
           FROM beneficiaries_categoryplacement GROUP BY 1, 2, 3""",
    ),
}


def execution_ms(cursor, sql: str) -> tuple[float, str]:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
    plan = cursor.fetchone()[0][0]
    node = plan["Plan"]
    while node.get("Plans") and node["Node Type"] in ("Limit", "Aggregate", "Gather", "Sort"):
        node = node["Plans"][0]
    return plan["Execution Time"], node["Node Type"] + (
        f" on {node['Index Name']}" if node.get("Index Name") else ""
    )


def measure(runs: int) -> dict[str, tuple[float, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik FROM beneficiaries_person WHERE district_id = '36.02.14' "
            "ORDER BY id DESC LIMIT 1"
        )
        nik = cursor.fetchone()[0]
        cursor.execute("SET max_parallel_workers_per_gather = 2")
        result = {}
        for name, (_scope, sql) in QUERIES.items():
            sql = sql.format(nik=nik)
            execution_ms(cursor, sql)  # warm the cache
            times, plans = [], set()
            for _ in range(runs):
                ms, plan = execution_ms(cursor, sql)
                times.append(ms)
                plans.add(plan)
            result[name] = (statistics.median(times), ", ".join(sorted(plans)))
    return result


def sizes() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM beneficiaries_person")
        persons = cursor.fetchone()[0]
        cursor.execute("SELECT pg_total_relation_size('beneficiaries_person')")
        return persons, cursor.fetchone()[0]


def _db_settings(url: str) -> dict:
    import dj_database_url

    parsed = dj_database_url.parse(url)
    return {k: parsed[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--compare",
        metavar="URL_5X",
        help="only measure: the database of --database-url (1x) against this one (5x), "
        "both already filled (to re-measure both under the same conditions)",
    )
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if "bench" not in os.environ["DATABASE_URL"].rsplit("/", 1)[-1]:
        sys.exit("The database name must contain 'bench': it is filled with data.")

    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.registry_data import fill_regency

    if args.compare:
        from django.db import connections

        one = measure(args.runs)
        persons_1, bytes_1 = sizes()
        connections["default"].close()
        connections["default"].settings_dict.update(_db_settings(args.compare))
        five = measure(args.runs)
        persons_5, bytes_5 = sizes()
    else:
        call_command("migrate", "--noinput", verbosity=0)
        fill_regency("36.02", households=HOUSEHOLDS, persons=PERSONS)
        one = measure(args.runs)
        persons_1, bytes_1 = sizes()
        for regency in MORE_REGENCIES:
            fill_regency(regency, households=HOUSEHOLDS, persons=PERSONS)
        five = measure(args.runs)
        persons_5, bytes_5 = sizes()

    print(
        f"\nPersons: {persons_1:,} ({bytes_1 / 2**20:,.0f} MB with indexes) -> "
        f"{persons_5:,} ({bytes_5 / 2**20:,.0f} MB); medians of {args.runs} runs\n"
    )
    print("| Query | Scope under Citus | 1x (Lebak) | 5x (5 regencies) | 5x / 1x | Plan at 5x |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for name, (scope, _sql) in QUERIES.items():
        a, b = one[name][0], five[name][0]
        print(f"| {name} | {scope} | {a:.1f} ms | {b:.1f} ms | {b / a:.1f} | {five[name][1]} |")


if __name__ == "__main__":
    main()
