"""Speed of the performance figures on a large office, as ratios against baselines run in the
same process (the machine is shared and noisy).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_perf_bench \\
        .venv/bin/python benchmarks/performance_summary.py [--scale 10]

Builds (in a database of its own, emptied first) a Renstra with ``15 x scale`` indicators per
level, five years of agreements, approved quarterly realizations and a budget of 66 sub
kegiatan per year with monthly realization, then times:

* ``year_summary`` (every sasaran indicator with quarters, comparisons and five-year history,
  the budget per sasaran/program, SPM) against a raw SQL baseline that only sums the year's
  approved realizations per indicator;
* ``indicator_results`` for every indicator of the year, ``budget_tree`` and ``trend``;
* the realization import (check only) against reading the same workbook with openpyxl.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare.settings")
os.environ.setdefault("WELFARE_DEV", "1")


def timed(function, repeat=5):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def build(scale: int):
    import random
    from decimal import Decimal as D

    from accounts.models import Bidang
    from performance.models import (
        Agreement,
        AgreementTarget,
        BudgetLine,
        BudgetRealization,
        Indicator,
        Program,
        Realization,
        Renstra,
        Sasaran,
        SasaranProgram,
        SubKegiatan,
        Tujuan,
    )

    rng = random.Random(7)
    bidang = list(Bidang.objects.all())
    renstra = Renstra.objects.create(
        name="Renstra uji beban", start_year=2021, end_year=2025, bidang=bidang[0]
    )
    tujuan = Tujuan.objects.create(renstra=renstra, code="T1", name="Tujuan")
    sasaran = [
        Sasaran.objects.create(renstra=renstra, tujuan=tujuan, code=f"S{i}", name=f"Sasaran {i}")
        for i in range(1, 6)
    ]
    for i, program in enumerate(Program.objects.all()):
        SasaranProgram.objects.create(renstra=renstra, sasaran=sasaran[i % 5], program=program)
    subs = list(SubKegiatan.objects.select_related("kegiatan__program"))
    indicators = []
    for n in range(15 * scale):
        indicators.append(Indicator(
            renstra=renstra, level="sasaran", sasaran=sasaran[n % 5], code=f"IKU-{n}",
            name=f"Indikator sasaran {n}", unit="Poin", bidang=rng.choice(bidang),
            aggregation="last", is_iku=True,
        ))  # fmt: skip
    for n in range(15 * scale):
        sub = subs[n % len(subs)]
        indicators.append(Indicator(
            renstra=renstra, level="sub_kegiatan", sub_kegiatan=sub, code=f"SK-{n}",
            name=f"Indikator sub kegiatan {n}", unit="Orang", bidang=rng.choice(bidang),
            aggregation="sum",
        ))  # fmt: skip
    indicators = Indicator.objects.bulk_create(indicators)
    targets, realizations = [], []
    for year in range(2021, 2026):
        agreement = Agreement.objects.create(renstra=renstra, year=year)
        for indicator in indicators:
            yearly = D(rng.randint(50, 400))
            quarters = [yearly / 4] * 4 if indicator.aggregation == "sum" else [None] * 3 + [yearly]
            targets.append(AgreementTarget(
                agreement=agreement, indicator=indicator, target=yearly, q1=quarters[0],
                q2=quarters[1], q3=quarters[2], q4=quarters[3],
            ))  # fmt: skip
            for quarter in (1, 2, 3, 4):
                realizations.append(Realization(
                    indicator=indicator, year=year, quarter=quarter, status="approved",
                    value=D(rng.randint(10, 120)),
                ))  # fmt: skip
    AgreementTarget.objects.bulk_create(targets, batch_size=5000)
    Realization.objects.bulk_create(realizations, batch_size=5000)
    lines = []
    for year in range(2021, 2026):
        for sub in subs:
            lines.append(BudgetLine(
                renstra=renstra, year=year, sub_kegiatan=sub, bidang=bidang[0],
                pagu_murni=D(rng.randint(10, 900)) * 1000000,
            ))  # fmt: skip
    lines = BudgetLine.objects.bulk_create(lines)
    BudgetRealization.objects.bulk_create(
        BudgetRealization(line=line, month=m, amount=line.pagu_murni / 13)
        for line in lines
        for m in range(1, 13)
    )
    return len(indicators), len(realizations), len(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a database of its own (its name must contain 'bench').")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if _migrated():
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    _reseed()
    from performance import selectors, spreadsheets

    started = time.perf_counter()
    counts = build(args.scale)
    print(
        f"built {counts[0]} indicators, {counts[1]} realizations, {counts[2]} budget lines "
        f"in {time.perf_counter() - started:.1f} s"
    )

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indicator_id, SUM(value) FROM performance_realization "
                "WHERE year = 2025 AND status = 'approved' GROUP BY indicator_id"
            )
            cursor.fetchall()

    base = timed(baseline)
    rows = [
        ("year_summary", timed(lambda: selectors.year_summary(year=2025))),
        ("indicator_results (all)", timed(lambda: selectors.indicator_results(year=2025))),
        ("budget_tree", timed(lambda: selectors.budget_tree(year=2025))),
        ("trend (five years)", timed(lambda: selectors.trend(end_year=2025))),
    ]
    print(f"baseline (raw SQL sum per indicator): {base * 1000:.1f} ms")
    for name, seconds in rows:
        print(f"{name:28s} {seconds * 1000:8.1f} ms   {seconds / base:6.1f} x baseline")

    from accounts.access import Role
    from accounts.models import User

    admin = User.objects.filter(role=Role.ADMIN).first() or User.objects.create(
        username="bench.admin", role=Role.ADMIN, is_superuser=True
    )
    content = spreadsheets.realization_template(user=admin, year=2025, quarter=None)
    from io import BytesIO

    from openpyxl import load_workbook

    def read_only():
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
        for _row in workbook["Realisasi"].iter_rows(values_only=True):
            pass

    read = timed(read_only, repeat=3)
    import datetime

    from performance import clock
    from performance.models import PerformanceSettings, Realization

    # every row of the year goes the whole way: drafts, quarters open
    clock.today = lambda: datetime.date(2025, 12, 31)
    PerformanceSettings.objects.update_or_create(pk=1, defaults={"lock_days": 366})
    Realization.objects.filter(year=2025).update(status="draft")

    def check():
        spreadsheets.run_import(
            kind="realization", file=BytesIO(content), actor=admin, commit=False
        )

    checked = timed(check, repeat=3)
    lines = counts[0] * 4
    print(f"reading the {lines}-row workbook (openpyxl): {read * 1000:.0f} ms")
    print(
        f"checking it row by row through the services: {checked * 1000:.0f} ms "
        f"({checked / read:.1f} x reading, {lines / checked:.0f} rows/s)"
    )


def _reseed() -> None:
    """Reference data of the data migrations (a flush removed it)."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        for module_name, function, model_label in getattr(config, "reference_seeds", []):
            if not apps.get_model(model_label).objects.exists():
                getattr(importlib.import_module(module_name), function)(apps, None)


def _migrated() -> bool:
    from django.db import connection

    return "performance_realization" in connection.introspection.table_names()


if __name__ == "__main__":
    main()
