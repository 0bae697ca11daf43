"""How fast a district's registry file is imported, against a plain COPY of the same file into
a table of text columns (the baseline), in the same process; then the list filtered by
kecamatan and the NIK search at that size.

    createdb -h 127.0.0.1 -U postgres welfare_registry_bench
    .venv/bin/python benchmarks/registry_generate.py /tmp/lebak.csv
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_registry_bench \\
        .venv/bin/python benchmarks/registry_import.py /tmp/lebak.csv

It migrates the database, loads the regions, empties the registry, imports the file (saving
it), imports it a second time (nothing may change), and prints rows/s, the peak memory of this
process (``ru_maxrss``) and of the file's size, the ratio import / COPY, and the median of five
runs of each list query (the dashboard's count against the same count by a scan of the table;
``--lists-only`` times the queries on the registry already there). The machine is shared and
noisy: read the ratios, not the seconds.
"""

import argparse
import os
import re
import resource
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
from django.test import RequestFactory  # noqa: E402

from accounts.access import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from beneficiaries import selectors  # noqa: E402
from beneficiaries.filters import PersonFilter  # noqa: E402
from beneficiaries.importer import run_import  # noqa: E402
from beneficiaries.models import ImportBatch, Person  # noqa: E402
from regions.models import Village  # noqa: E402
from regions.services import regions_load  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backend_peak_mb() -> float:
    """The peak resident memory of this connection's PostgreSQL backend (``VmHWM``, which counts
    the pages of shared buffers it touched), 0 when /proc cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def baseline_copy(path: Path) -> float:
    """COPY the same file into a temporary table of text columns: the floor for any import."""
    with path.open("rb") as handle:
        width = len(handle.readline().decode("utf-8-sig").split(";"))
        handle.seek(0)
        handle.readline()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            columns = ", ".join(f"c{i} text" for i in range(width))
            cursor.execute(f"CREATE TEMPORARY TABLE bench_copy ({columns})")
            cursor.copy_expert(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';')", handle
            )
            cursor.execute("DROP TABLE bench_copy")
        return time.perf_counter() - started


class PhaseClock:
    """Where an import spends its time: wall time and CPU time of the database backend and of
    this process between the import's progress steps (its phases), and the SQL statements that
    took longest, named by their first words."""

    def __init__(self):
        self.pid = None
        self.current = "start"
        self.phases: list[tuple[str, float, float, float]] = []
        self.statements: dict[str, float] = {}
        self.mark = self._now()

    def _now(self) -> tuple[float, float, float]:
        return time.perf_counter(), self._backend_cpu(), time.process_time()

    def _backend_cpu(self) -> float:
        if self.pid is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def progress(self, _percent: int, message: str = "") -> None:
        now = self._now()
        wall, db, own = (a - b for a, b in zip(now, self.mark, strict=True))
        self.phases.append((self.current, wall, db, own))
        self.mark, self.current = now, str(message)

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = " ".join(re.sub(r"\s+", " ", sql).split(" ")[:8])[:70]
            self.statements[words] = self.statements.get(words, 0) + time.perf_counter() - started

    def report(self) -> None:
        """Print the phases (the last one ends after the commit) and the slowest statements."""
        self.progress(100, "end")
        print(f"    {'phase':<50} {'wall':>7} {'db cpu':>7} {'py cpu':>7}")
        for name, wall, db, own in self.phases:
            print(f"    {name:<50} {wall:6.1f}s {db:6.1f}s {own:6.1f}s")
        total = [sum(phase[i] for phase in self.phases) for i in (1, 2, 3)]
        print(f"    {'total':<50} {total[0]:6.1f}s {total[1]:6.1f}s {total[2]:6.1f}s")
        slow = sorted(self.statements.items(), key=lambda item: -item[1])[:12]
        for words, seconds in slow:
            if seconds >= 0.3:
                print(f"      sql {seconds:6.1f} s  {words}")


def empty_registry() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE beneficiaries_categoryplacement, beneficiaries_historicalcategoryplacement, "
            "beneficiaries_desilrecord, beneficiaries_person, beneficiaries_historicalperson, "
            "beneficiaries_household, beneficiaries_historicalhousehold, "
            "beneficiaries_importbatch CASCADE"
        )


def timed(label: str, func, runs: int = 5) -> float:
    samples = []
    for _run in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    median = statistics.median(samples)
    print(f"{label:<48} {median:8.1f} ms (median of {runs})")
    return median


def scanned_count() -> int:
    """The dashboard's count with the index scans priced out: what it costs without
    ``person_active_count_idx`` (or before the table is vacuumed)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for scan in ("indexscan", "indexonlyscan", "bitmapscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(
            "SELECT count(*) FROM beneficiaries_person WHERE NOT deceased "
            "AND deleted_at IS NULL AND merged_into_id IS NULL"
        )
        return cursor.fetchone()[0]


def list_timings(user) -> None:
    district = Village.objects.filter(
        district__regency_id=settings.WELFARE_HOME_REGENCY
    ).values_list("district_id", flat=True)[0]
    nik = Person.objects.values_list("nik", flat=True).order_by("?")[0]
    factory = RequestFactory()

    def page(params):
        request = factory.get("/registri/", params)
        request.user = user
        filterset = PersonFilter(params, queryset=selectors.person_list(user=user), request=request)
        queryset = filterset.qs
        count = queryset.count()
        rows = list(queryset[:50])
        return count, rows

    timed("person list, kecamatan filter (count + page 1)", lambda: page({"district": district}))
    timed("person list, NIK search", lambda: page({"q": nik}))
    timed("person list, kecamatan + desil 1", lambda: page({"district": district, "desil": "1"}))
    timed("PPKS statistics (whole regency)", lambda: selectors.ppks_counts(user=user))
    timed(
        "active persons of the regency (dashboard count)",
        lambda: selectors.person_list(user=user).count(),
    )
    timed("  baseline: the same count by a scan of the table", scanned_count)
    timed("DTSEN recap by kecamatan x desil", lambda: selectors.desil_recap(user=user), runs=3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the registry that is there")
    parser.add_argument("--no-lists", action="store_true", help="time the imports only")
    parser.add_argument(
        "--lists-only", action="store_true", help="time the lists on the registry that is there"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("This benchmark measures the PostgreSQL path; set DATABASE_URL.")
        return 1
    call_command("migrate", verbosity=0)
    if not Village.objects.filter(district__regency_id=settings.WELFARE_HOME_REGENCY).exists():
        regions_load(regency_codes=[settings.WELFARE_HOME_REGENCY])
    user, _created = User.objects.get_or_create(
        username="bench.registry", defaults={"role": Role.ADMIN, "is_superuser": True}
    )
    if args.lists_only:
        list_timings(user)
        return 0
    size_mb = args.path.stat().st_size / 1024 / 1024
    rows = sum(1 for _line in args.path.open("rb")) - 1
    print(f"file: {args.path} ({size_mb:.0f} MB, {rows} rows)")
    print("load average at the start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    copy_seconds = baseline_copy(args.path)
    print(f"baseline: plain COPY into a text table      {copy_seconds:8.1f} s")
    if not args.keep:
        empty_registry()
    before = peak_mb()
    for label in ("first import (all new)", "second import (same file)"):
        clock = PhaseClock()
        started = time.perf_counter()
        with args.path.open("rb") as handle, connection.execute_wrapper(clock.execute):
            batch = run_import(
                file=handle,
                actor=user,
                file_name=args.path.name,
                commit=True,
                mode=ImportBatch.Mode.ALL_OR_NOTHING,
                progress=clock.progress,
            )
        seconds = time.perf_counter() - started
        print(
            f"{label:<42} {seconds:8.1f} s  {batch.rows / seconds:9.0f} rows/s  "
            f"ratio to COPY {seconds / copy_seconds:5.1f}  set-based={batch.set_based}  "
            f"status={batch.status} refused={batch.invalid_rows} "
            f"households +{batch.households_created}/~{batch.households_updated} "
            f"persons +{batch.persons_created}/~{batch.persons_updated}"
        )
        clock.report()
    print(f"peak memory of this process: {peak_mb():.0f} MB (before the imports {before:.0f} MB)")
    print(f"peak memory of its PostgreSQL backend: {backend_peak_mb():.0f} MB (VmHWM)")
    if not args.no_lists:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE beneficiaries_person")
            cursor.execute("ANALYZE beneficiaries_household")
        list_timings(user)
    print("load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
