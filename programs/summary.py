"""The figures of the programs kept per desa, so that the statistics of a Lebak-sized year read a
few hundred rows instead of a million disbursements.

Two derived tables (``programs.models``):

* ``EnrollmentSummary``: enrollments per program, desa, status, start year and end year;
* ``DisbursementSummary``: per program, year, stage and desa the recipients, paid count and the
  amounts paid and planned; the row with no stage is the year, each enrollment counted once.

``programs.selectors`` reads them for every figure of the statistics (page, API, exports,
reports), so those always agree. They are rewritten, never edited: a refresh deletes the rows
of a slice (a program and a set of desa; for disbursements also a year and a set of stages) and
inserts them again from the enrollments or disbursements with one ``INSERT ... SELECT ...
GROUP BY`` (the year rows with a second one).

Every write keeps them:

* a single row saved or deleted through the ORM (services, fieldwork approval, the admin,
  factories) refreshes its desa through the ``post_save``/``post_delete`` receivers below;
* the bulk ORM writes (``QuerySet.update``, ``bulk_create``, ``bulk_update``, ``delete``) go
  through ``models.SummarizedQuerySet``, which refreshes what the statement touched, once;
* raw SQL calls the refresh itself: ``services.disbursements_plan`` and the benchmark
  ``disbursements_refresh``, the results import (``UPDATE ... FROM``)
  ``disbursements_touched``; ``manage.py programs_refresh_figures`` rebuilds everything
  (after a restore of a partial table, or SQL typed by hand).

``batch()`` defers the refreshes of everything written inside it to its end (one refresh per
slice instead of one per row); it is also a transaction. Concurrent writers of a program are
serialised from their refresh to their commit (a PostgreSQL advisory lock, taken before the
slice is read), so the last refresh always sees the other's committed rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear

# Beyond this many desa a slice is refreshed whole (one scan instead of a long IN list).
MAX_VILLAGES = 60
# pg_advisory_xact_lock(namespace, program id): "prog".
LOCK_NAMESPACE = 0x70726F67

ENROLLMENT_KEY = ("program_id", "village_id")
DISBURSEMENT_KEY = ("program_id", "year", "stage_id", "village_id")


def _models():
    from . import models

    return models


# --- What is pending ---------------------------------------------------------------------------


def _union(current: set | None, more: Iterable | None) -> set | None:
    """None is "all"; it absorbs anything."""
    if current is None or more is None:
        return None
    current |= set(more)
    return current


@dataclass
class _Pending:
    # program id -> desa (None: all)
    enrollments: dict[int, set | None] = field(default_factory=dict)
    # (program id, year or None for every year) -> [stages or None, desa or None]
    disbursements: dict[tuple[int, int | None], list] = field(default_factory=dict)

    def add_enrollments(self, program_id: int, village_ids: Iterable | None) -> None:
        if program_id in self.enrollments:
            self.enrollments[program_id] = _union(self.enrollments[program_id], village_ids)
        else:
            self.enrollments[program_id] = None if village_ids is None else set(village_ids)

    def add_disbursements(self, program_id, year, stage_ids, village_ids) -> None:
        key = (program_id, year)
        if key not in self.disbursements:
            self.disbursements[key] = [
                None if stage_ids is None else set(stage_ids),
                None if village_ids is None else set(village_ids),
            ]
        else:
            slot = self.disbursements[key]
            slot[0] = _union(slot[0], stage_ids)
            slot[1] = _union(slot[1], village_ids)

    def run(self) -> None:
        programs = sorted(
            set(self.enrollments) | {p for p, _y in self.disbursements}
        )  # one lock order for every writer
        for program_id in programs:
            _lock(program_id)
        for program_id in sorted(self.enrollments):
            _refresh_enrollments(program_id, self.enrollments[program_id])
        for (program_id, year), (stages, villages) in sorted(
            self.disbursements.items(), key=lambda item: (item[0][0], item[0][1] or 0)
        ):
            _refresh_disbursements(program_id, year, stages, villages)


_pending: ContextVar[_Pending | None] = ContextVar("programs_summary_pending", default=None)


@contextlib.contextmanager
def batch():
    """Defer the refreshes of everything written inside to the end (one per slice). A
    transaction: when the block raises, its writes are rolled back and nothing is refreshed."""
    if _pending.get() is not None:
        with transaction.atomic():
            yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.set(None)
            pending.run()
    finally:
        _pending.reset(token)


def enrollments_refresh(*, program_id: int, village_ids: Iterable | None = None) -> None:
    """Rewrite the enrollment figures of a program (``village_ids``: only those desa)."""
    pending = _pending.get()
    if pending is not None:
        pending.add_enrollments(program_id, village_ids)
        return
    with transaction.atomic():
        _lock(program_id)
        _refresh_enrollments(program_id, None if village_ids is None else set(village_ids))


def disbursements_refresh(
    *,
    program_id: int,
    year: int | None = None,
    stage_ids: Iterable | None = None,
    village_ids: Iterable | None = None,
) -> None:
    """Rewrite the disbursement figures of a program's year (``None``: every year), of the
    stages ``stage_ids`` (``None``: all) in the desa ``village_ids`` (``None``: all), and the
    year rows of those desa."""
    pending = _pending.get()
    if pending is not None:
        pending.add_disbursements(program_id, year, stage_ids, village_ids)
        return
    with transaction.atomic():
        _lock(program_id)
        _refresh_disbursements(
            program_id,
            year,
            None if stage_ids is None else set(stage_ids),
            None if village_ids is None else set(village_ids),
        )


def refresh_all(*, program_ids: Iterable | None = None) -> None:
    """Rebuild the figures of every program (or of ``program_ids``), every year."""
    models = _models()
    ids = (
        sorted(program_ids)
        if program_ids is not None
        else list(models.Program.objects.order_by("pk").values_list("pk", flat=True))
    )
    with batch():
        for program_id in ids:
            enrollments_refresh(program_id=program_id)
            disbursements_refresh(program_id=program_id)


def enrollments_touched(rows: Iterable[tuple]) -> None:
    """``rows``: (program id, desa) pairs of enrollments written (a desa unknown, e.g. a field
    not loaded: the whole program)."""
    by_program: dict[int, set | None] = {}
    for program_id, village_id in rows:
        if program_id is None:
            continue
        villages = by_program.setdefault(program_id, set())
        if village_id is None or villages is None:
            by_program[program_id] = None
        else:
            villages.add(village_id)
    with batch():
        for program_id, villages in by_program.items():
            enrollments_refresh(program_id=program_id, village_ids=villages)


def disbursements_touched(rows: Iterable[tuple]) -> None:
    """``rows``: (program id, year, stage id, desa) of disbursements written (a part unknown:
    that dimension whole)."""
    by_year: dict[tuple, list] = {}
    for program_id, year, stage_id, village_id in rows:
        if program_id is None:
            continue
        slot = by_year.setdefault((program_id, year), [set(), set()])
        for index, value in ((0, stage_id), (1, village_id)):
            if value is None or slot[index] is None:
                slot[index] = None
            else:
                slot[index].add(value)
    with batch():
        for (program_id, year), (stages, villages) in by_year.items():
            disbursements_refresh(
                program_id=program_id, year=year, stage_ids=stages, village_ids=villages
            )


# --- The refreshes -----------------------------------------------------------------------------


def _lock(program_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, program_id])


def _insert(table: str, columns: list[str], select_sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) {select_sql}",
            params,
        )


def enrollment_rows(program_id: int, village_ids: set | None = None, *, models=None):
    """The grouped SELECT behind ``EnrollmentSummary`` (SQL and parameters)."""
    models = models or _models()
    queryset = models.Enrollment.objects.filter(program_id=program_id)
    if village_ids is not None:
        queryset = queryset.filter(village_id__in=sorted(village_ids))
    inner = (
        queryset.order_by()
        .annotate(start_year=ExtractYear("start_date"), end_year=ExtractYear("end_date"))
        .values("district_id", "village_id", "status", "start_year", "end_year")
        .annotate(n=Count("pk"))
    )
    sql, params = inner.query.sql_with_params()
    columns = "t.district_id, t.village_id, t.status, t.start_year, t.end_year, t.n"
    return f"SELECT %s, {columns} FROM ({sql}) t", (program_id, *params)  # noqa: S608 (ORM SQL)


ENROLLMENT_COLUMNS = [
    "program_id",
    "district_id",
    "village_id",
    "status",
    "start_year",
    "end_year",
    "count",
]
DISBURSEMENT_COLUMNS = [
    "program_id",
    "year",
    "stage_id",
    "district_id",
    "village_id",
    "recipients",
    "paid_count",
    "paid_amount",
    "planned_amount",
]


def _refresh_enrollments(
    program_id: int, village_ids: set | None, *, models=None, mark_targeting: bool = True
) -> None:
    from . import targeting

    models = models or _models()
    if mark_targeting:
        targeting.mark_enrollments(program_id, village_ids)
    if village_ids is not None and len(village_ids) > MAX_VILLAGES:
        village_ids = None
    stale = models.EnrollmentSummary.objects.filter(program_id=program_id)
    if village_ids is not None:
        stale = stale.filter(village_id__in=sorted(village_ids))
    stale.delete()
    sql, params = enrollment_rows(program_id, village_ids, models=models)
    _insert(models.EnrollmentSummary._meta.db_table, ENROLLMENT_COLUMNS, sql, params)


def _paid(models) -> Q:
    # The value from the current model: migrations pass historical models, without the choices.
    return Q(status=_models().Disbursement.Status.PAID)


def stage_rows(program_id, year, stage_ids, village_ids, *, models=None):
    """The grouped SELECT of the stage rows (SQL and parameters)."""
    models = models or _models()
    queryset = models.Disbursement.objects.filter(program_id=program_id)
    if year is not None:
        queryset = queryset.filter(year=year)
    if stage_ids is not None:
        queryset = queryset.filter(stage_id__in=sorted(stage_ids))
    if village_ids is not None:
        queryset = queryset.filter(village_id__in=sorted(village_ids))
    inner = (
        queryset.order_by()
        .values("year", "stage_id", "district_id", "village_id")
        .annotate(
            # Columns of the covering index only (disbursement_stats_idx): an index-only scan.
            recipients=Count("*"),
            paid_count=Count("status", filter=_paid(models)),
            paid=Coalesce(Sum("paid_amount", filter=_paid(models)), Decimal(0)),
            planned=Coalesce(Sum("planned_amount"), Decimal(0)),
        )
    )
    sql, params = inner.query.sql_with_params()
    columns = (
        "t.year, t.stage_id, t.district_id, t.village_id, t.recipients, t.paid_count, t.paid, "
        "t.planned"
    )
    return f"SELECT %s, {columns} FROM ({sql}) t", (program_id, *params)  # noqa: S608 (ORM SQL)


def year_rows(program_id, year, village_ids, *, models=None, direct: bool = False):
    """The grouped SELECT of the year rows. Recipients and paid: first one row per enrollment
    (a hash aggregate), then per desa - much faster than ``COUNT(DISTINCT)``; a disbursement
    carries its enrollment's desa, so an enrollment falls in one desa. The amounts add up: they
    are the sums of the desa's stage rows, refreshed just before (``direct``: summed from the
    disbursements instead, to check them)."""
    models = models or _models()
    queryset = models.Disbursement.objects.filter(program_id=program_id)
    if year is not None:
        queryset = queryset.filter(year=year)
    if village_ids is not None:
        # The stages listed make the covering index (program, year, stage, desa) find each
        # desa's rows directly instead of scanning the year.
        stages = models.Stage.objects.filter(program_id=program_id)
        if year is not None:
            stages = stages.filter(year=year)
        queryset = queryset.filter(
            stage_id__in=sorted(stages.values_list("pk", flat=True)),
            village_id__in=sorted(village_ids),
        )
    figures = {
        "paid_flag": Max(
            Case(When(_paid(models), then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    }
    if direct:
        figures["paid"] = Coalesce(Sum("paid_amount", filter=_paid(models)), Decimal(0))
        figures["planned"] = Coalesce(Sum("planned_amount"), Decimal(0))
    inner = (
        queryset.order_by()
        .values("year", "district_id", "village_id", "enrollment_id")
        .annotate(**figures)
    )
    sql, params = inner.query.sql_with_params()
    counts = "t.year, NULL, t.district_id, t.village_id, COUNT(*), SUM(t.paid_flag)"
    group = "GROUP BY t.year, t.district_id, t.village_id"
    if direct:
        select = f"SELECT %s, {counts}, SUM(t.paid), SUM(t.planned) FROM ({sql}) t {group}"  # noqa: S608
        return select, (program_id, *params)
    sums = models.DisbursementSummary.objects.filter(program_id=program_id, stage__isnull=False)
    if year is not None:
        sums = sums.filter(year=year)
    if village_ids is not None:
        sums = sums.filter(village_id__in=sorted(village_ids))
    sums_sql, sums_params = (
        sums.order_by()
        .values("year", "village_id")
        .annotate(paid=Sum("paid_amount"), planned=Sum("planned_amount"))
        .query.sql_with_params()
    )
    select = (
        f"SELECT %s, {counts}, COALESCE(MAX(a.paid), 0), COALESCE(MAX(a.planned), 0) "  # noqa: S608
        f"FROM ({sql}) t LEFT JOIN ({sums_sql}) a "
        f"ON a.year = t.year AND a.village_id = t.village_id {group}"
    )
    return select, (program_id, *params, *sums_params)


def _refresh_disbursements(program_id, year, stage_ids, village_ids, *, models=None) -> None:
    models = models or _models()
    if village_ids is not None and len(village_ids) > MAX_VILLAGES:
        village_ids = None
    table = models.DisbursementSummary._meta.db_table
    stale = models.DisbursementSummary.objects.filter(program_id=program_id)
    if year is not None:
        stale = stale.filter(year=year)
    if village_ids is not None:
        stale = stale.filter(village_id__in=sorted(village_ids))
    stage_stale = stale.filter(stage__isnull=False)
    if stage_ids is not None:
        stage_stale = stage_stale.filter(stage_id__in=sorted(stage_ids))
    stage_stale.delete()
    stale.filter(stage__isnull=True).delete()
    sql, params = stage_rows(program_id, year, stage_ids, village_ids, models=models)
    _insert(table, DISBURSEMENT_COLUMNS, sql, params)
    sql, params = year_rows(program_id, year, village_ids, models=models)
    _insert(table, DISBURSEMENT_COLUMNS, sql, params)


# --- Keeping them on every ORM write -----------------------------------------------------------


def key_of(instance) -> tuple:
    fields = ENROLLMENT_KEY if instance._meta.model_name == "enrollment" else DISBURSEMENT_KEY
    return tuple(instance.__dict__.get(f) for f in fields)


def _touched(instance, keys: Iterable[tuple]) -> None:
    if instance._meta.model_name == "enrollment":
        enrollments_touched(keys)
    else:
        disbursements_touched(keys)


def _saved(sender, instance, **kwargs) -> None:
    keys = {key_of(instance)}
    original = getattr(instance, "_summary_key", None)
    if original is not None:
        keys.add(original)
    _touched(instance, keys)
    instance._summary_key = key_of(instance)


def _deleted(sender, instance, **kwargs) -> None:
    from . import targeting

    _touched(instance, {getattr(instance, "_summary_key", None) or key_of(instance)})
    if instance._meta.model_name == "enrollment":
        # The row is gone: the households it covered are found through the instance.
        targeting.mark_enrollment_deleted(instance)


def connect() -> None:
    """Called from ``ProgramsConfig.ready()``."""
    from django.db.models.signals import post_delete, post_save

    models = _models()
    for model in (models.Enrollment, models.Disbursement):
        post_save.connect(_saved, sender=model, dispatch_uid=f"summary-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"summary-delete-{model.__name__}")


# --- Checking ----------------------------------------------------------------------------------


def _figures(values) -> tuple | None:
    """(recipients, paid count, paid, planned) comparable whatever the backend returned."""
    if values is None:
        return None
    return tuple(int(v) for v in values[:2]) + tuple(Decimal(v) for v in values[2:])


def differences(program_id: int) -> list[str]:
    """What ``EnrollmentSummary``/``DisbursementSummary`` hold for a program that a rebuild
    would change (empty: they are true). Reads only; for ``programs_refresh_figures --check``
    and the benchmark."""
    models = _models()
    problems: list[str] = []

    def fetch(sql, params) -> dict:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {tuple(row[:-4]): tuple(row[-4:]) for row in cursor.fetchall()}

    with connection.cursor() as cursor:
        cursor.execute(*enrollment_rows(program_id))
        want = {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
    have = {
        tuple(row[:-1]): row[-1]
        for row in models.EnrollmentSummary.objects.filter(program_id=program_id).values_list(
            "program_id", "district_id", "village_id", "status", "start_year", "end_year", "count"
        )
    }
    for key in sorted(set(want) | set(have), key=str):
        if want.get(key) != have.get(key):
            problems.append(f"enrollments {key}: {have.get(key)} instead of {want.get(key)}")
    want = fetch(*stage_rows(program_id, None, None, None))
    want |= fetch(*year_rows(program_id, None, None, direct=True))
    have = {
        tuple(row[:5]): tuple(row[5:])
        for row in models.DisbursementSummary.objects.filter(program_id=program_id).values_list(
            *DISBURSEMENT_COLUMNS
        )
    }
    for key in sorted(set(want) | set(have), key=str):
        wanted = want.get(key)
        held = have.get(key)
        if _figures(wanted) != _figures(held):
            problems.append(f"disbursements {key}: {held} instead of {wanted}")
    return problems
