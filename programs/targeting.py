"""The targeting checks per kecamatan, kept per kecamatan so that reading them costs a few dozen
rows instead of joining the registry's 312,000 households with the enrollments.

* *possible exclusion*: active, not deleted households in desil 1-4 that no current enrollment
  covers (aktif, ditangguhkan or terverifikasi, of the household itself or of one of its
  members), in a program or in any program;
* *possible inclusion*: active enrollments whose household (the person's household for a
  person program) is in desil 6-10, per kecamatan of the enrollment.

``TargetingSummary`` holds per kecamatan and program (empty: any program) the households in
desil 1-4 (``households``), those covered (``covered``; exclusion = households - covered) and
the inclusion count. Its inputs are written by two apps, so it is refreshed when read:
``TargetingStale`` lists the kecamatan whose rows are out of date (empty: all of them), and
``figures()`` recomputes those first (one kecamatan: tens of milliseconds; all, after a registry
import: about a second), then reads. Marked out of date, in the writer's transaction:

* by the programs: every enrollment written (``programs.summary``, with the enrollment
  figures): the kecamatan of its desa and of the households it covers;
* by the registry (receivers connected here; the registry does not know the programs): a
  household created or deleted, or whose desil, status, deletion or kecamatan changed (and the
  kecamatan of the enrollments of the household and its members); a person who changed
  household; a registry import saved (``ImportBatch`` committed: all).

``manage.py programs_refresh_figures`` marks everything out of date (after SQL typed by hand).
The lists behind the counts (``selectors.possible_exclusion`` / ``possible_inclusion``) are
queried live.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.db import connection, transaction

EXCLUSION_DESIL = (1, 4)
INCLUSION_DESIL = (6, 10)
COVERING = ("aktif", "ditangguhkan", "terverifikasi")
# pg_advisory_xact_lock(namespace, 0): "targ".
LOCK_NAMESPACE = 0x74617267
HOUSEHOLD_FIELDS = ("district_id", "desil", "status", "deleted_at")
# More kecamatan out of date than this: recompute all of them in one pass.
MAX_DISTRICTS = 8


def _models():
    from . import models

    return models


# --- Marking out of date -----------------------------------------------------------------------


def mark(districts: Iterable | None) -> None:
    """The kecamatan (codes; ``None``: all) whose targeting figures must be recomputed."""
    stale = _models().TargetingStale
    if districts is None:
        stale.objects.create(district_id=None)
        return
    codes = sorted({d for d in districts if d})
    if codes:
        stale.objects.bulk_create([stale(district_id=code) for code in codes])


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def mark_enrollments(program_id: int, village_ids: Iterable | None) -> None:
    """After enrollments of a program in these desa (``None``: all) were written: their
    kecamatan and those of the households they cover (a household may have moved since)."""
    if village_ids is None:
        mark(None)
        return
    villages = sorted(set(village_ids))
    if not villages:
        return
    marks = _placeholders(villages)
    m = _models()
    enrollment, household = m.Enrollment._meta.db_table, "beneficiaries_household"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {m.TargetingStale._meta.db_table} (district_id)
            SELECT DISTINCT t.district_id FROM (
                SELECT v.district_id FROM regions_village v WHERE v.code IN ({marks})
                UNION
                SELECT h.district_id FROM {enrollment} e
                JOIN {household} h ON h.id = e.household_id
                WHERE e.program_id = %s AND e.village_id IN ({marks})
                UNION
                SELECT h.district_id FROM {enrollment} e
                JOIN beneficiaries_person p ON p.id = e.person_id
                JOIN {household} h ON h.id = p.household_id
                WHERE e.program_id = %s AND e.village_id IN ({marks})
            ) t
            """,  # noqa: S608 (table names from the models, values as parameters)
            [*villages, program_id, *villages, program_id, *villages],
        )


def _household_districts(household_ids: Iterable) -> set:
    """The kecamatan of these households and of the enrollments of them and their members."""
    ids = sorted({h for h in household_ids if h})
    if not ids:
        return set()
    from django.db.models import Q

    from beneficiaries.models import Household

    m = _models()
    districts = set(Household.objects.filter(pk__in=ids).values_list("district_id", flat=True))
    districts |= set(
        m.Enrollment.objects.filter(Q(household_id__in=ids) | Q(person__household_id__in=ids))
        .order_by()
        .values_list("district_id", flat=True)
        .distinct()
    )
    return districts


def mark_enrollment_deleted(enrollment) -> None:
    from beneficiaries.models import Person

    households = {enrollment.household_id}
    if enrollment.person_id:
        households |= set(
            Person._base_manager.filter(pk=enrollment.person_id).values_list(
                "household_id", flat=True
            )
        )
    mark(_household_districts(households) | {enrollment.district_id})


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
    districts = _household_districts([instance.pk]) | {instance.district_id}
    if before is not None:
        districts.add(before[0])
    mark(districts)


def _household_deleted(sender, instance, **kwargs) -> None:
    mark({instance.district_id})


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
    mark(_household_districts([before, instance.household_id]))


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


# --- Recomputing -------------------------------------------------------------------------------


def refresh_stale() -> None:
    """Recompute the kecamatan marked out of date (none: one small query)."""
    m = _models()
    if not m.TargetingStale.objects.exists():
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_NAMESPACE])
        # Read again under the lock: another reader may have done it meanwhile.
        stale = list(m.TargetingStale.objects.values_list("pk", "district_id"))
        if not stale:
            return
        districts = {d for _pk, d in stale}
        if None in districts or len(districts) > MAX_DISTRICTS:
            districts = None  # one pass over everything is cheaper than many kecamatan
        recompute(districts)
        # The rows read, by id: a row another writer commits meanwhile stays for the next read.
        ids = [pk for pk, _d in stale]
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
    """PostgreSQL: no JIT (compiling costs more than these queries), and for a few kecamatan
    index lookups from their households rather than hashing the whole enrollment table (the
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


def compute(districts: set | None = None) -> dict[tuple, list[int]]:
    """{(kecamatan, program id or None): [households, covered, inclusion]} computed from the
    registry and the enrollments (for ``districts`` only, or all)."""
    m = _models()
    enrollment, household = m.Enrollment._meta.db_table, "beneficiaries_household"
    low, high = EXCLUSION_DESIL
    poor = f"h.status = 'aktif' AND h.deleted_at IS NULL AND h.desil >= {low} AND h.desil <= {high}"
    covering = _placeholders(COVERING)
    h_in, h_params = _in("h.district_id", districts)
    e_in, e_params = _in("e.district_id", districts)
    figures: dict[tuple, list[int]] = {}

    def slot(district, program):
        return figures.setdefault((district, program), [0, 0, 0])

    with (
        connection.cursor() as cursor,
        _planner(small=districts is not None and len(districts) <= 3),
    ):
        cursor.execute(
            f"SELECT h.district_id, COUNT(*) FROM {household} h WHERE {poor}{h_in} "  # noqa: S608
            "GROUP BY h.district_id",
            h_params,
        )
        poor_counts = dict(cursor.fetchall())
        # Covered households: by their own enrollment or a member's; (household, program) once.
        cursor.execute(
            f"""
            WITH covered AS (
                SELECT h.district_id, h.id AS household_id, e.program_id
                FROM {household} h JOIN {enrollment} e ON e.household_id = h.id
                WHERE {poor}{h_in} AND e.status IN ({covering})
                UNION
                SELECT h.district_id, h.id, e.program_id
                FROM {enrollment} e
                JOIN beneficiaries_person p ON p.id = e.person_id
                JOIN {household} h ON h.id = p.household_id
                WHERE {poor}{h_in} AND e.status IN ({covering})
            )
            SELECT district_id, program_id, COUNT(*) FROM covered
            GROUP BY district_id, program_id
            UNION ALL
            SELECT district_id, NULL, COUNT(DISTINCT household_id) FROM covered
            GROUP BY district_id
            """,  # noqa: S608 (table names from the models, values as parameters)
            [*h_params, *COVERING, *h_params, *COVERING],
        )
        for district, program, n in cursor.fetchall():
            slot(district, program)[1] = n
        low, high = INCLUSION_DESIL
        rich = f"h.desil >= {low} AND h.desil <= {high}"
        for join in (
            f"JOIN {household} h ON h.id = e.household_id",
            "JOIN beneficiaries_person p ON p.id = e.person_id "
            f"JOIN {household} h ON h.id = p.household_id",
        ):
            cursor.execute(
                f"SELECT e.district_id, e.program_id, COUNT(*) FROM {enrollment} e {join} "  # noqa: S608
                f"WHERE e.status = 'aktif'{e_in} AND {rich} "
                "GROUP BY e.district_id, e.program_id",
                e_params,
            )
            for district, program, n in cursor.fetchall():
                slot(district, program)[2] += n
                slot(district, None)[2] += n
    for district in poor_counts:
        slot(district, None)
    for (district, _program), values in figures.items():
        values[0] = poor_counts.get(district, 0)
    return figures


def recompute(districts: set | None) -> None:
    """Rewrite the rows of these kecamatan (``None``: all)."""
    m = _models()
    rows = compute(districts)
    stale = m.TargetingSummary.objects.all()
    if districts is not None:
        stale = stale.filter(district_id__in=sorted(districts))
    stale.delete()
    m.TargetingSummary.objects.bulk_create(
        [
            m.TargetingSummary(
                district_id=district,
                program_id=program,
                households=households,
                covered=covered,
                inclusion=inclusion,
            )
            for (district, program), (households, covered, inclusion) in sorted(
                rows.items(), key=lambda item: (item[0][0], item[0][1] or 0)
            )
        ],
        batch_size=1000,
    )


def figures(program_id: int | None = None) -> dict[str, tuple[int, int]]:
    """{kecamatan code: (possible exclusion, possible inclusion)} for a program (``None``: any
    program), every kecamatan with a figure; recomputes what is out of date first."""
    refresh_stale()
    m = _models()
    result: dict[str, tuple[int, int]] = {}
    rows = m.TargetingSummary.objects.filter(program_id=program_id) if program_id else None
    base = {
        district: (households, covered, inclusion)
        for district, households, covered, inclusion in m.TargetingSummary.objects.filter(
            program__isnull=True
        ).values_list("district_id", "households", "covered", "inclusion")
    }
    if program_id is None:
        for district, (households, covered, inclusion) in base.items():
            result[district] = (households - covered, inclusion)
        return result
    own = {
        district: (covered, inclusion)
        for district, covered, inclusion in rows.values_list("district_id", "covered", "inclusion")
    }
    for district, (households, _covered, _inclusion) in base.items():
        covered, inclusion = own.get(district, (0, 0))
        result[district] = (households - covered, inclusion)
    return result
