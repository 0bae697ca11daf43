"""Time to generate the whole LKjIP of the demo year (Lebak 2025), the goal being under 20 s on
the shared 2-core machine, with ratios to baselines run in the same process.

    createdb -h 127.0.0.1 -U postgres welfare_lkjip_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_lkjip_bench \\
        .venv/bin/python benchmarks/lkjip_render.py [--repeat 3]

Loads the regions of Lebak and the demo (every app's ``seed_demo``) into a database of its own
(emptied first), then times, as medians of ``--repeat`` runs:

* building the document (every selector: year summary, budget tree, trend, agreements, the
  contributed per-kecamatan tables) and its fingerprint, against ``year_summary`` alone;
* rendering it to PDF with WeasyPrint, against rendering a one-page document with one table;
* the two together: what the background job does before it saves the file.
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


CPU: dict[str, float] = {}


def timed(function, repeat, name=""):
    """Median wall time (and, in CPU, the median CPU time of this process: WeasyPrint runs in
    one thread, so on a machine shared with other work the CPU time is the steadier figure)."""
    samples, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU[name] = statistics.median(cpu)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the data loaded by an earlier run"
    )
    args = parser.parse_args()
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a database of its own (its name must contain 'bench').")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    loaded = "reports_reportversion" in connection.introspection.table_names()
    if not (args.reuse and loaded):
        if loaded:
            call_command("flush", "--noinput", verbosity=0)
        call_command("migrate", verbosity=0)
        _reseed()
        call_command("load_regions", "--regency", "36.02", verbosity=0)
        call_command("seed_demo", verbosity=0)

    from accounts.access import Role
    from accounts.models import User
    from performance import selectors
    from reports.document import DocumentBuilder, fingerprint
    from reports.lkjip import build_lkjip
    from reports.rendering import render_pdf
    from reports.tables import TableData, num, text

    user = (
        User.objects.filter(role=Role.ADMIN).first()
        or User.objects.filter(is_superuser=True).first()
    )

    def quiet(percent, message=""):
        return None

    base_data, _summary = timed(lambda: selectors.year_summary(year=2025), args.repeat, "data")
    build, document = timed(
        lambda: (lambda d: (d, fingerprint(d)))(build_lkjip(2025, user, quiet)),
        args.repeat,
        "build",
    )
    document, digest = document

    small = DocumentBuilder(
        kind="lkjip", year=2025, meta={"agency": "Dinas Sosial", "title": "Uji", "year": 2025}
    )
    small.chapter_start("I", 1, "UJI")
    table = TableData(key="uji", title="Uji", header=[[text("A"), text("B")]])
    table.add(text("baris"), num(1))
    small.table(table)
    base_render, _pdf = timed(lambda: render_pdf(small.doc, draft=True), args.repeat, "page")
    render, (pdf, pages) = timed(lambda: render_pdf(document, draft=True), args.repeat, "render")
    tables = sum(1 for b in document["blocks"] if b["type"] == "table")
    charts = sum(1 for b in document["blocks"] if b["type"] == "chart")
    print(
        f"LKjIP 2025: {pages} pages, {tables} tables, {charts} charts, "
        f"{len(pdf) / 1024:.0f} KiB, fingerprint {digest[:16]}"
    )
    print(f"year_summary (baseline for the data):      {base_data * 1000:8.0f} ms")
    print(
        f"building the document + fingerprint:       {build * 1000:8.0f} ms "
        f"({build / base_data:.1f} x year_summary)"
    )
    print(f"one-page PDF (baseline for rendering):     {base_render * 1000:8.0f} ms")
    print(
        f"rendering the LKjIP PDF:                   {render * 1000:8.0f} ms "
        f"({render / base_render:.1f} x one page, {render / pages * 1000:.0f} ms a page)"
    )
    print(f"whole generation (build + render):         {(build + render):8.2f} s")
    print(
        f"CPU time of this process: build {CPU['build']:.2f} s, render {CPU['render']:.2f} s, "
        f"together {CPU['build'] + CPU['render']:.2f} s"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} (2 cores)")


def _reseed() -> None:
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        for module_name, function, model_label in getattr(config, "reference_seeds", []):
            if not apps.get_model(model_label).objects.exists():
                getattr(importlib.import_module(module_name), function)(apps, None)


if __name__ == "__main__":
    main()
