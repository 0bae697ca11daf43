"""The targeting checks per kecamatan, kept per desa so that reading them costs a few thousand
rows instead of joining the registry's 312,000 households with the enrollments, and a write
makes only its desa out of date.

* *possible exclusion*: active, not deleted households in desil 1-4 that no current enrollment
  covers (aktif, ditangguhkan or terverifikasi, of the household itself, of one of its members
  or of a KUBE group it is a member of), in a program or in any program;
* *possible inclusion*: active enrollments whose household (the person's household for a
  person program) is in desil 6-10, per kecamatan of the enrollment.

``TargetingSummary`` holds per desa and program (empty: any program) the households of the desa
in desil 1-4 (``households``, the same on every row of the desa), those covered (``covered``; exclusion = households - covered)
and the inclusion count of the enrollments of the desa. Each household falls in one desa (its
own) and each enrollment in one (the enrollment's), so a kecamatan's figures are the sums of
its desa rows, added up when read. Its inputs are written by two apps, so it is refreshed when
read: ``TargetingStale`` lists the desa whose rows are out of date (empty: all of them), and
``figures()`` recomputes those first (one desa: a few milliseconds; all, after a registry
import: about a second), then reads. Marked out of date, in the writer's transaction:

* by the programs: every enrollment written (``programs.summary``, with the enrollment
  figures): its desa and those of the households it covers;
* by the registry (receivers connected here; the registry does not know the programs): a
  household created or deleted, or whose desil, status, deletion or desa changed (its desa
  before and after, and the desa of the enrollments of the household and its members); a
  person who changed household (both households, their enrollments'); a registry import saved
  (``ImportBatch`` committed: all);
* by the KUBE groups: a member joining or leaving (the member household's desa).

``manage.py programs_refresh_figures`` marks everything out of date (after SQL typed by hand);
``--check`` compares the rows not marked with ``compute()`` (``differences()``). The lists
behind the counts (``selectors.possible_exclusion`` / ``possible_inclusion``) are queried live.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Sum

EXCLUSION_DESIL = (1, 4)
INCLUSION_DESIL = (6, 10)
COVERING = ("aktif", "ditangguhkan", "terverifikasi")
# pg_advisory_xact_lock(namespace, 0): "targ".
LOCK_NAMESPACE = 0x74617267
HOUSEHOLD_FIELDS = ("village_id", "desil", "status", "deleted_at")
# More desa out of date than this: recompute all of them in one pass.
MAX_VILLAGES = 40


def _models():
    from . import models

    return models


# --- Marking out of date -----------------------------------------------------------------------


def mark(village_ids: Iterable | None) -> None:
    """The desa (codes; ``None``: all) whose targeting figures must be recomputed."""
    stale = _models().TargetingStale
    if village_ids is None:
        stale.objects.create(village_id=None)
        return
    codes = sorted({v for v in village_ids if v})
    if codes:
        stale.objects.bulk_create([stale(village_id=code) for code in codes])


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def mark_enrollments(program_id: int, village_ids: Iterable | None) -> None:
    """After enrollments of a program in these desa (``None``: all) were written: those desa
    and the desa of the households they cover (a household may live elsewhere)."""
    if village_ids is None:
        mark(None)
        return
    villages = sorted(set(village_ids))
    if not villages:
        return
    marks = _placeholders(villages)
    m = _models()
    enrollment, household = m.Enrollment._meta.db_table, "beneficiaries_household"
    member = m.KubeMember._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {m.TargetingStale._meta.db_table} (village_id)
            SELECT DISTINCT t.village_id FROM (
                SELECT v.code AS village_id FROM regions_village v WHERE v.code IN ({marks})
                UNION
                SELECT h.village_id FROM {enrollment} e
                JOIN {household} h ON h.id = e.household_id
                WHERE e.program_id = %s AND e.village_id IN ({marks})
                UNION
                SELECT h.village_id FROM {enrollment} e
                JOIN beneficiaries_person p ON p.id = e.person_id
                JOIN {household} h ON h.id = p.household_id
                WHERE e.program_id = %s AND e.village_id IN ({marks})
                UNION
                SELECT h.village_id FROM {enrollment} e
                JOIN {member} km ON km.group_id = e.group_id AND km.left_on IS NULL
                JOIN {household} h ON h.id = km.household_id
                WHERE e.program_id = %s AND e.village_id IN ({marks})
            ) t
            """,  # noqa: S608 (table names from the models, values as parameters)
            [*villages, program_id, *villages, program_id, *villages, program_id, *villages],
        )


def _household_villages(household_ids: Iterable) -> set:
    """The desa of these households and of the enrollments of them and their members."""
    ids = sorted({h for h in household_ids if h})
    if not ids:
        return set()
    from django.db.models import Q

    from beneficiaries.models import Household

    m = _models()
    villages = set(Household._base_manager.filter(pk__in=ids).values_list("village_id", flat=True))
    # Two queries, each through its index: one ``household OR person__household`` condition
    # makes PostgreSQL scan every enrollment (a second per registry write at Lebak size).
    for condition in (Q(household_id__in=ids), Q(person__household_id__in=ids)):
        villages |= set(
            m.Enrollment.objects.filter(condition)
            .order_by()
            .values_list("village_id", flat=True)
            .distinct()
        )
    return villages


def mark_enrollment_deleted(enrollment) -> None:
    from beneficiaries.models import Person

    households = {enrollment.household_id}
    if enrollment.person_id:
        households |= set(
            Person._base_manager.filter(pk=enrollment.person_id).values_list(
                "household_id", flat=True
            )
        )
    if enrollment.group_id:
        households |= set(
            _models()
            .KubeMember.objects.filter(group_id=enrollment.group_id)
            .values_list("household_id", flat=True)
        )
    mark(_household_villages(households) | {enrollment.village_id})


def _household_before(sender, instance, raw=False, **kwargs) -> None:
    if instance.pk is None or raw:
        instance._targeting_before = None
        return
    instance._targeting_before = (
        sender._base_manager.filter(pk=instance.pk).values_list(*HOUSEHOLD_FIELDS).first()
    )


def _household_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    before = getattr(instance, "_targeting_before", None)
    now = tuple(getattr(instance, f) for f in HOUSEHOLD_FIELDS)
    if not created and before is not None and before == now:
        return  # an address, a note... : nothing the targeting reads
    villages = _household_villages([instance.pk]) | {instance.village_id}
    if before is not None:
        villages.add(before[0])
    mark(villages)


def _household_deleted(sender, instance, **kwargs) -> None:
    mark({instance.village_id})


def _person_before(sender, instance, raw=False, **kwargs) -> None:
    if instance.pk is None or raw:
        instance._targeting_household = None
        return
    instance._targeting_household = (
        sender._base_manager.filter(pk=instance.pk).values_list("household_id", flat=True).first()
    )


def _person_saved(sender, instance, created=False, **kwargs) -> None:
    before = getattr(instance, "_targeting_household", None)
    if created or before == instance.household_id:
        return  # a new person has no enrollment yet; the rest is not read by the targeting
    mark(_household_villages([before, instance.household_id]))


def _member_changed(sender, instance, raw=False, **kwargs) -> None:
    """A KUBE member joined, left or was removed: the household's coverage may change."""
    if raw:
        return
    from beneficiaries.models import Household

    mark(
        Household._base_manager.filter(pk=instance.household_id).values_list(
            "village_id", flat=True
        )
    )


def _import_saved(sender, instance, **kwargs) -> None:
    if instance.status == sender.Status.COMMITTED:
        mark(None)


def connect() -> None:
    """Called from ``ProgramsConfig.ready()``."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from beneficiaries.models import Household, ImportBatch, Person

    pre_save.connect(_household_before, sender=Household, dispatch_uid="targeting-hh-before")
    post_save.connect(_household_saved, sender=Household, dispatch_uid="targeting-hh-saved")
    post_delete.connect(_household_deleted, sender=Household, dispatch_uid="targeting-hh-del")
    pre_save.connect(_person_before, sender=Person, dispatch_uid="targeting-person-before")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="targeting-person-saved")
    post_save.connect(_import_saved, sender=ImportBatch, dispatch_uid="targeting-import")
    member = _models().KubeMember
    post_save.connect(_member_changed, sender=member, dispatch_uid="targeting-member-saved")
    post_delete.connect(_member_changed, sender=member, dispatch_uid="targeting-member-del")


# --- Recomputing -------------------------------------------------------------------------------


def refresh_stale() -> None:
    """Recompute the desa marked out of date (none: one small query)."""
    m = _models()
    if not m.TargetingStale.objects.exists():
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_NAMESPACE])
        # Read again under the lock: another reader may have done it meanwhile.
        stale = list(m.TargetingStale.objects.values_list("pk", "village_id"))
        if not stale:
            return
        villages = {v for _pk, v in stale}
        if None in villages or len(villages) > MAX_VILLAGES:
            villages = None  # one pass over everything is cheaper than many desa
        recompute(villages)
        # The rows read, by id: a row another writer commits meanwhile stays for the next read.
        ids = [pk for pk, _v in stale]
        chunk = 5000 if connection.vendor == "postgresql" else 500
        for start in range(0, len(ids), chunk):
            m.TargetingStale.objects.filter(pk__in=ids[start : start + chunk]).delete()


def _in(column: str, values) -> tuple[str, list]:
    if values is None:
        return "", []
    values = sorted(values)
    return f" AND {column} IN ({_placeholders(values)})", values


@contextlib.contextmanager
def _planner(*, small: bool):
    """PostgreSQL: no JIT (compiling costs more than these queries), and for a few desa index
    lookups from their households rather than hashing the whole enrollment table (the
    planner's default costs assume spinning disks). Set for these queries only."""
    if connection.vendor != "postgresql":
        yield
        return
    names = ["jit"] + (["enable_hashjoin", "enable_mergejoin"] if small else [])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["current_setting(%s)"] * len(names)),
            names,
        )
        before = cursor.fetchone()
        for name in names:
            cursor.execute("SELECT set_config(%s, 'off', true)", [name])
        try:
            yield
        finally:
            for name, value in zip(names, before, strict=True):
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def compute(villages: set | None = None) -> dict[tuple, list[int]]:
    """{(kecamatan, desa, program id or None): [households, covered, inclusion]} computed from
    the registry and the enrollments (for the desa ``villages`` only, or all). A household
    counts in its own desa, an enrollment in the enrollment's desa."""
    m = _models()
    enrollment, household = m.Enrollment._meta.db_table, "beneficiaries_household"
    member = m.KubeMember._meta.db_table
    low, high = EXCLUSION_DESIL
    poor = f"h.status = 'aktif' AND h.deleted_at IS NULL AND h.desil >= {low} AND h.desil <= {high}"
    covering = _placeholders(COVERING)
    h_in, h_params = _in("h.village_id", villages)
    e_in, e_params = _in("e.village_id", villages)
    figures: dict[tuple, list[int]] = {}

    def slot(district, village, program):
        return figures.setdefault((district, village, program), [0, 0, 0])

    with (
        connection.cursor() as cursor,
        _planner(small=villages is not None),
    ):
        cursor.execute(
            f"SELECT h.district_id, h.village_id, COUNT(*) FROM {household} h "  # noqa: S608
            f"WHERE {poor}{h_in} GROUP BY h.district_id, h.village_id",
            h_params,
        )
        poor_counts = {(district, village): n for district, village, n in cursor.fetchall()}
        # Covered households: by their own enrollment, a member's or their KUBE group's;
        # (household, program) once.
        cursor.execute(
            f"""
            WITH covered AS (
                SELECT h.district_id, h.village_id, h.id AS household_id, e.program_id
                FROM {household} h JOIN {enrollment} e ON e.household_id = h.id
                WHERE {poor}{h_in} AND e.status IN ({covering})
                UNION
                SELECT h.district_id, h.village_id, h.id, e.program_id
                FROM {enrollment} e
                JOIN beneficiaries_person p ON p.id = e.person_id
                JOIN {household} h ON h.id = p.household_id
                WHERE {poor}{h_in} AND e.status IN ({covering})
                UNION
                SELECT h.district_id, h.village_id, h.id, e.program_id
                FROM {enrollment} e
                JOIN {member} km ON km.group_id = e.group_id AND km.left_on IS NULL
                JOIN {household} h ON h.id = km.household_id
                WHERE {poor}{h_in} AND e.status IN ({covering})
            )
            SELECT district_id, village_id, program_id, COUNT(*) FROM covered
            GROUP BY district_id, village_id, program_id
            UNION ALL
            SELECT district_id, village_id, NULL, COUNT(DISTINCT household_id) FROM covered
            GROUP BY district_id, village_id
            """,  # noqa: S608 (table names from the models, values as parameters)
            [*h_params, *COVERING, *h_params, *COVERING, *h_params, *COVERING],
        )
        for district, village, program, n in cursor.fetchall():
            slot(district, village, program)[1] = n
        low, high = INCLUSION_DESIL
        rich = f"h.desil >= {low} AND h.desil <= {high}"
        for join in (
            f"JOIN {household} h ON h.id = e.household_id",
            "JOIN beneficiaries_person p ON p.id = e.person_id "
            f"JOIN {household} h ON h.id = p.household_id",
        ):
            cursor.execute(
                f"SELECT e.district_id, e.village_id, e.program_id, COUNT(*) "  # noqa: S608
                f"FROM {enrollment} e {join} WHERE e.status = 'aktif'{e_in} AND {rich} "
                "GROUP BY e.district_id, e.village_id, e.program_id",
                e_params,
            )
            for district, village, program, n in cursor.fetchall():
                slot(district, village, program)[2] += n
                slot(district, village, None)[2] += n
    for district, village in poor_counts:
        slot(district, village, None)
    for (district, village, _program), values in figures.items():
        values[0] = poor_counts.get((district, village), 0)
    return figures


def _sort_key(item) -> tuple:
    (district, village, program), _values = item
    return (district, village, program or 0)


def recompute(villages: set | None) -> None:
    """Rewrite the rows of these desa (``None``: all)."""
    m = _models()
    rows = compute(villages)
    stale = m.TargetingSummary.objects.all()
    if villages is not None:
        stale = stale.filter(village_id__in=sorted(villages))
    stale.delete()
    m.TargetingSummary.objects.bulk_create(
        [
            m.TargetingSummary(
                district_id=district,
                village_id=village,
                program_id=program,
                households=households,
                covered=covered,
                inclusion=inclusion,
            )
            for (district, village, program), (households, covered, inclusion) in sorted(
                rows.items(), key=_sort_key
            )
        ],
        batch_size=1000,
    )


def figures(program_id: int | None = None) -> dict[str, tuple[int, int]]:
    """{kecamatan code: (possible exclusion, possible inclusion)} for a program (``None``: any
    program), every kecamatan with a figure; recomputes what is out of date first."""
    refresh_stale()
    m = _models()

    def per_district(program, *names):
        rows = m.TargetingSummary.objects.filter(program_id=program) if program else None
        if rows is None:
            rows = m.TargetingSummary.objects.filter(program__isnull=True)
        sums = {name: Sum(name) for name in names}
        return {
            row[0]: row[1:]
            for row in rows.order_by()
            .values("district_id")
            .annotate(**sums)
            .values_list("district_id", *sums)
        }

    base = per_district(None, "households", "covered", "inclusion")
    if program_id is None:
        return {
            district: (households - covered, inclusion)
            for district, (households, covered, inclusion) in base.items()
        }
    own = per_district(program_id, "covered", "inclusion")
    result: dict[str, tuple[int, int]] = {}
    for district, (households, _covered, _inclusion) in base.items():
        covered, inclusion = own.get(district, (0, 0))
        result[district] = (households - covered, inclusion)
    return result


# --- Checking ----------------------------------------------------------------------------------


def differences(program_ids: Iterable | None = None) -> list[str]:
    """What ``TargetingSummary`` holds (for the programs ``program_ids`` and any program;
    ``None``: every program) that a recomputation would change, for the desa not marked out
    of date (those are recomputed by the next read anyway). Reads only; for
    ``programs_refresh_figures --check`` and the benchmark."""
    m = _models()
    stale = set(m.TargetingStale.objects.values_list("village_id", flat=True).distinct())
    if None in stale:
        return []
    wanted_programs = None if program_ids is None else {None, *program_ids}

    def keep(key) -> bool:
        _district, village, program = key
        if village in stale:
            return False
        return wanted_programs is None or program in wanted_programs

    want = {key: tuple(values) for key, values in compute(None).items() if keep(key)}
    have = {
        (district, village, program): (households, covered, inclusion)
        for district, village, program, households, covered, inclusion in (
            m.TargetingSummary.objects.values_list(
                "district_id", "village_id", "program_id", "households", "covered", "inclusion"
            )
        )
        if keep((district, village, program))
    }
    problems = []
    for key in sorted(set(want) | set(have), key=lambda k: (k[0], k[1], k[2] or 0)):
        if want.get(key) != have.get(key):
            problems.append(
                f"targeting {key}: {have.get(key)} instead of {want.get(key)} "
                "(households in desil 1-4, covered, inclusion)"
            )
    return problems
