"""The figures kept per desa (``programs.summary``) and per kecamatan (``programs.targeting``)
stay equal to a direct computation after every kind of write: enrollment (one, in bulk, by
import), status change, replacement, disbursement planning, recording, results import, ORM
saves and bulk updates, deletions; registry writes for the targeting checks; a refused write
changes nothing; the command rebuilds and checks."""

import datetime
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beneficiaries import services as registry
from beneficiaries.models import Household, ImportBatch, Person
from programs import imports, selectors, services, summary, targeting
from programs.models import (
    Disbursement,
    DisbursementSummary,
    Enrollment,
    EnrollmentSummary,
    TargetingStale,
    TargetingSummary,
)
from regions.models import Village

from .factories.programs import make_household, make_person, make_program, make_stage

YEAR = timezone.localdate().year
START = datetime.date(YEAR, 1, 2)
SK = {"decree_number": "460/1", "decree_date": START}
PAID = Disbursement.Status.PAID


# --- Direct computations (Python, from the rows) -----------------------------------------------


def expected_enrollments(program) -> dict:
    counts = Counter()
    for e in Enrollment.objects.filter(program=program):
        end = e.end_date.year if e.end_date else None
        counts[(e.district_id, e.village_id, e.status, e.start_date.year, end)] += 1
    return dict(counts)


def held_enrollments(program) -> dict:
    return {
        (r.district_id, r.village_id, r.status, r.start_year, r.end_year): r.count
        for r in EnrollmentSummary.objects.filter(program=program)
    }


def expected_disbursements(program) -> dict:
    rows = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0)])
    per_enrollment = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for d in Disbursement.objects.filter(program=program):
        paid = d.status == PAID
        row = rows[(d.year, d.stage_id, d.district_id, d.village_id)]
        row[0] += 1
        row[1] += paid
        row[2] += d.paid_amount if paid else 0
        row[3] += d.planned_amount
        once = per_enrollment[(d.year, d.district_id, d.village_id, d.enrollment_id)]
        once[0] = max(once[0], int(paid))
        once[1] += d.paid_amount if paid else 0
        once[2] += d.planned_amount
    for (year, district, village, _enrollment), (paid, amount, planned) in per_enrollment.items():
        row = rows[(year, None, district, village)]
        row[0] += 1
        row[1] += paid
        row[2] += amount
        row[3] += planned
    return {key: tuple(value) for key, value in rows.items()}


def held_disbursements(program) -> dict:
    return {
        (r.year, r.stage_id, r.district_id, r.village_id): (
            r.recipients,
            r.paid_count,
            r.paid_amount,
            r.planned_amount,
        )
        for r in DisbursementSummary.objects.filter(program=program)
    }


def assert_true(program) -> None:
    assert held_enrollments(program) == expected_enrollments(program)
    assert held_disbursements(program) == expected_disbursements(program)
    assert summary.differences(program.pk) == []


def live_targeting(user, program=None) -> dict:
    exclusion = Counter(
        dict(
            selectors.possible_exclusion(user=user, program=program)
            .order_by()
            .values_list("district_id")
            .annotate(n=Count("pk"))
            .values_list("district_id", "n")
        )
    )
    inclusion = Counter(
        dict(
            selectors.possible_inclusion(user=user, program=program)
            .order_by()
            .values_list("district_id")
            .annotate(n=Count("pk"))
            .values_list("district_id", "n")
        )
    )
    return {code: (exclusion[code], inclusion[code]) for code in set(exclusion) | set(inclusion)}


def assert_targeting_true(user, programs=()) -> None:
    for program in (None, *programs):
        kept = {
            r.code: (r.exclusion, r.inclusion)
            for r in selectors.targeting_by_district(user=user, program=program)
            if (r.exclusion, r.inclusion) != (0, 0)
        }
        assert kept == live_targeting(user, program), program


def csv_file(lines) -> io.BytesIO:
    buffer = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
    buffer.name = "berkas.csv"
    return buffer


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def villages(district_a, district_b):
    a1, a2 = Village.objects.filter(district=district_a).order_by("code")[:2]
    b1 = Village.objects.filter(district=district_b).order_by("code").first()
    return a1, a2, b1


@pytest.fixture
def program(users, villages):
    """Three households enrolled (aktif) in A1, one in A2, one in B1; two tahap planned."""
    op = users["operator"]
    a1, a2, b1 = villages
    program = make_program("SUM", max_desil=4)
    for village in (a1, a1, a1, a2, b1):
        services.enrollment_create(
            actor=op,
            program=program,
            household=make_household(village),
            start_date=START,
            status="aktif",
            **SK,
        )
    for number in (1, 2):
        services.disbursements_plan(actor=op, stage=make_stage(program, YEAR, number))
    return program


def record(users, disbursement, status=PAID):
    return services.disbursement_record(
        actor=users["operator"],
        disbursement=disbursement,
        status=status,
        paid_amount=Decimal("300000") if status == PAID else None,
        paid_on=START if status == PAID else None,
        channel="bank",
        reason="" if status == PAID else "Rekening tidak aktif",
    )


# --- Enrollment figures ------------------------------------------------------------------------


@pytest.mark.django_db
def test_enrollment_writes_keep_the_figures(users, villages, program):
    op = users["operator"]
    a1, a2, b1 = villages
    assert_true(program)
    # One more, proposed, in B; and two in bulk.
    services.enrollment_create(
        actor=op, program=program, household=make_household(b1), start_date=START
    )
    result = services.enrollment_bulk_create(
        actor=op,
        program=program,
        ids=[make_household(a2).pk, make_household(a2).pk],
        start_date=START,
        status="terverifikasi",
    )
    assert len(result.created) == 2
    assert_true(program)
    enrollments = list(Enrollment.objects.filter(program=program, status="aktif").order_by("pk"))
    services.enrollment_transition(
        actor=op, enrollment=enrollments[0], version=enrollments[0].version, status="ditangguhkan"
    )
    services.enrollment_transition(
        actor=op,
        enrollment=enrollments[1],
        version=enrollments[1].version,
        status="keluar",
        exit_reason="pindah",
        on=datetime.date(YEAR, 6, 30),
    )
    assert_true(program)
    services.enrollment_replace(
        actor=op,
        enrollment=enrollments[2],
        version=enrollments[2].version,
        exit_reason="meninggal",
        on=datetime.date(YEAR, 7, 1),
        household=make_household(a1),
    )
    assert_true(program)
    # The year figures read the period: the one who left in June counts this year, not next.
    admin = users["admin"]
    for year in (YEAR, YEAR + 1):
        stats = selectors.program_stats(user=admin, program=program, year=year)
        enrolled = (
            Enrollment.objects.filter(program=program)
            .filter(selectors.in_year(year))
            .exclude(status="usulan")
        )
        assert stats.total.enrolled == enrolled.count()
        assert stats.total.active == enrolled.filter(status="aktif").count()
    assert (
        selectors.program_stats(user=admin, program=program, year=YEAR + 1).total.enrolled
        == selectors.program_stats(user=admin, program=program, year=YEAR).total.enrolled - 2
    )


@pytest.mark.django_db
def test_enrollment_import_keeps_the_figures(users, villages, program):
    households = [make_household(villages[0]) for _n in range(2)]
    lines = ["no_kk;mulai;status"] + [f"{h.no_kk};{START.isoformat()};usulan" for h in households]
    report = imports.enrollment_import(
        actor=users["operator"],
        program=program,
        file=csv_file(lines),
        commit=True,
    )
    assert report.ok and report.saved == 2
    assert_true(program)


# --- Disbursement figures ----------------------------------------------------------------------


@pytest.mark.django_db
def test_disbursement_writes_keep_the_figures(users, villages, program):
    assert Disbursement.objects.filter(program=program).count() == 10
    assert_true(program)
    first, second, third, *rest = Disbursement.objects.filter(program=program).order_by("pk")
    record(users, first)
    record(users, second, status=Disbursement.Status.FAILED)
    assert_true(program)
    # A save through the ORM (the admin, a factory, the field work approval's service).
    third.status, third.paid_amount, third.paid_on = PAID, Decimal("250000"), START
    third.save()
    assert_true(program)
    # A row loaded without its desa (deferred fields): its whole program is refreshed.
    partial = Disbursement.objects.only("pk", "status").get(pk=second.pk)
    partial.status = Disbursement.Status.POSTPONED
    partial.save(update_fields=["status"])
    assert_true(program)
    # A bulk update (the demo) and a bulk_update (the results import).
    Disbursement.objects.filter(pk__in=[d.pk for d in rest[:3]]).update(
        status=PAID, paid_amount=Decimal("300000")
    )
    assert_true(program)
    for d in rest[3:]:
        d.status = Disbursement.Status.POSTPONED
        d.reason = "Menunggu perbaikan data"
    Disbursement.objects.bulk_update(rest[3:], ["status", "reason"])
    assert_true(program)
    # Deleting a disbursement, then an enrollment with its disbursements (cascade).
    Disbursement.objects.get(pk=first.pk).delete()
    assert_true(program)
    enrollment = Enrollment.objects.filter(program=program, disbursements__isnull=False).first()
    Enrollment.objects.filter(pk=enrollment.pk).delete()
    assert_true(program)


@pytest.mark.django_db
def test_results_import_keeps_the_figures(users, villages, program):
    stage = program.stages.get(number=1)
    households = [
        d.enrollment.household
        for d in Disbursement.objects.filter(stage=stage).select_related("enrollment__household")
    ]
    lines = ["no_kk;program;tahun;tahap;status;jumlah;tanggal;saluran;keterangan"]
    lines += [
        f"{h.no_kk};SUM;{YEAR};1;disalurkan;300.000;{START.isoformat()};bank;"
        for h in households[:4]
    ]
    lines += [f"{households[4].no_kk};SUM;{YEAR};1;gagal;;;;Rekening tidak aktif"]
    report = imports.disbursement_results_import(
        actor=users["operator"],
        file=csv_file(lines),
        commit=True,
    )
    assert report.ok and report.saved == 5
    assert_true(program)
    stats = selectors.program_stats(user=users["admin"], program=program, year=YEAR, stage=stage)
    assert (stats.total.recipients, stats.total.paid_count) == (5, 4)
    assert stats.total.paid_amount == Decimal("1200000")


@pytest.mark.django_db
def test_refused_writes_change_no_figure(users, villages, program):
    before = held_disbursements(program), held_enrollments(program)
    disbursement = Disbursement.objects.filter(program=program).first()
    with pytest.raises(ValidationError) as refused:
        services.disbursement_record(
            actor=users["operator"],
            disbursement=disbursement,
            status=PAID,
            paid_amount=Decimal("300000"),
            channel="bank",
        )
    assert "paid_on" in refused.value.message_dict
    lines = ["no_kk;program;tahun;tahap;status", f"{'9' * 16};SUM;{YEAR};1;disalurkan"]
    report = imports.disbursement_results_import(
        actor=users["operator"],
        file=csv_file(lines),
        commit=True,
    )
    assert not report.ok and not report.committed
    assert (held_disbursements(program), held_enrollments(program)) == before
    assert_true(program)


@pytest.mark.django_db
def test_batch_refreshes_each_slice_once(users, villages, program):
    disbursements = list(Disbursement.objects.filter(program=program, stage__number=1))
    with CaptureQueriesContext(connection) as one_by_one:
        for d in disbursements:
            d.status = Disbursement.Status.FAILED
            d.reason = "Rekening tidak aktif"
            d.save()
    with CaptureQueriesContext(connection) as batched, summary.batch():
        for d in disbursements:
            d.status = PAID
            d.paid_amount = Decimal("300000")
            d.save()

    def inserts(context):
        table = DisbursementSummary._meta.db_table
        return sum(1 for q in context.captured_queries if f"INSERT INTO {table}" in q["sql"])

    # Each save refreshes its desa (stage and year rows); the batch does it once at the end.
    assert inserts(one_by_one) == 2 * len(disbursements)
    assert inserts(batched) == 2
    assert_true(program)


@pytest.mark.django_db
def test_stats_equal_a_direct_aggregate(users, villages, program, district_a):
    disbursements = list(Disbursement.objects.filter(program=program).order_by("pk"))
    for d in disbursements[::2]:
        record(users, d)
    record(users, disbursements[1], status=Disbursement.Status.FAILED)
    admin = users["admin"]
    for stage in (None, *program.stages.all()):
        stats = selectors.program_stats(
            user=admin, program=program, year=YEAR, stage=stage, group_by="village"
        )
        rows = Disbursement.objects.filter(program=program, year=YEAR)
        if stage is not None:
            rows = rows.filter(stage=stage)
        want = defaultdict(lambda: [set(), set(), Decimal(0), Decimal(0)])
        for d in rows:
            figures = want[d.village_id]
            figures[0].add(d.enrollment_id)
            if d.status == PAID:
                figures[1].add(d.enrollment_id)
                figures[2] += d.paid_amount
            figures[3] += d.planned_amount
        got = {
            r.code: (r.recipients, r.paid_count, r.paid_amount, r.planned_amount)
            for r in stats.rows
            if r.recipients
        }
        assert got == {
            village: (len(e), len(p), paid, planned)
            for village, (e, p, paid, planned) in want.items()
        }
    # The LKjIP table reads the same rows.
    table = selectors.realization_by_area(program=program, year=YEAR, group_by="district")
    stats = selectors.program_stats(user=admin, program=program, year=YEAR)
    assert {r.code: r.recipients for r in table} == {r.code: r.recipients for r in stats.rows} | {
        "": stats.total.recipients
    }


@pytest.mark.django_db
def test_command_rebuilds_and_checks(users, villages, program):
    record(users, Disbursement.objects.filter(program=program).first())
    call_command("programs_refresh_figures", "--check")
    # Rows damaged behind the application's back (SQL typed by hand).
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DisbursementSummary._meta.db_table} WHERE stage_id IS NULL")
        cursor.execute(f"UPDATE {EnrollmentSummary._meta.db_table} SET count = count + 1")
    with pytest.raises(CommandError, match="figures differ"):
        call_command("programs_refresh_figures", "--check")
    call_command("programs_refresh_figures")
    call_command("programs_refresh_figures", "--check")
    assert_true(program)
    with pytest.raises(CommandError, match="no program"):
        call_command("programs_refresh_figures", "--program", "NOPE")


# --- Targeting figures -------------------------------------------------------------------------


@pytest.mark.django_db
def test_targeting_follows_enrollment_and_registry_writes(users, villages, program):
    admin, op = users["admin"], users["operator"]
    a1, a2, b1 = villages
    poor = [make_household(a1, desil=2), make_household(a2, desil=3), make_household(b1, desil=1)]
    rich = make_household(a1, desil=8)
    services.enrollment_create(
        actor=users["kepala_bidang"],
        program=program,
        household=rich,
        start_date=START,
        status="aktif",
        override_justification="Musyawarah desa menetapkan keluarga ini tetap menerima.",
        **SK,
    )
    assert_targeting_true(admin, [program])
    # Enrollment: a poor household enrolled, then leaves.
    enrollment = services.enrollment_create(
        actor=op, program=program, household=poor[0], start_date=START, status="aktif", **SK
    )
    assert_targeting_true(admin, [program])
    services.enrollment_transition(
        actor=op,
        enrollment=enrollment,
        version=enrollment.version,
        status="keluar",
        exit_reason="pindah",
        on=START,
    )
    assert_targeting_true(admin, [program])
    # Registry: desil changed, household moved to B, household deleted.
    registry.household_update(
        actor=admin,
        household=poor[1],
        version=poor[1].version,
        data={"desil": 7, "desil_date": START},
    )
    assert_targeting_true(admin, [program])
    registry.household_update(
        actor=admin,
        household=rich,
        version=rich.version,
        data={"village": b1, "desil": 9, "desil_date": START},
    )
    assert_targeting_true(admin, [program])
    registry.household_delete(actor=admin, household=poor[2], reason="Data ganda")
    assert_targeting_true(admin, [program])
    # An address changed: nothing the targeting reads, nothing marked.
    TargetingStale.objects.all().delete()
    household = Household.objects.get(pk=poor[0].pk)
    household.address = "Kp. Baru"
    household.save()
    assert not TargetingStale.objects.exists()


@pytest.mark.django_db
def test_targeting_follows_a_member_moving_and_an_import(users, villages):
    admin = users["admin"]
    a1, _a2, b1 = villages
    program = make_program("ORG", unit="person")
    home = make_household(a1, desil=2)
    other = make_household(b1, desil=2)
    member = make_person(home)
    services.enrollment_create(actor=admin, program=program, person=member, start_date=START)
    enrollment = Enrollment.objects.get(person=member)
    services.enrollment_transition(
        actor=admin, enrollment=enrollment, version=enrollment.version, status="terverifikasi"
    )
    assert_targeting_true(admin, [program])
    # The enrolled member moves to the other household: the first loses its cover.
    member.household = other
    member.save()
    assert_targeting_true(admin, [program])
    # A registry import writes with SQL; its saved batch marks every kecamatan.
    Household.objects.filter(pk=other.pk).update(desil=6)
    ImportBatch.objects.create(file_name="dtsen.csv", created_by=admin, status="committed")
    assert TargetingStale.objects.filter(village=None).exists()
    assert_targeting_true(admin, [program])


@pytest.mark.django_db
def test_targeting_counts_a_kube_groups_members_as_covered(users, villages):
    """A household in an enrolled KUBE group is covered, as on its household page and in the
    registry's program filter; it loses the cover when it leaves or the group's enrollment
    ends."""
    admin = users["admin"]
    a1, _a2, _b1 = villages
    kube = make_program("KUB", unit="group")
    first, second, outside = (make_household(a1, desil=2) for _ in range(3))
    group = services.group_create(
        actor=admin,
        program=kube,
        name="KUBE Mekar",
        village=a1,
        business_type="Warung",
        households=[first, second],
        chair=first,
    )

    def left_out(program=None) -> set:
        return set(
            selectors.possible_exclusion(user=admin, program=program).values_list("pk", flat=True)
        )

    assert {first.pk, second.pk, outside.pk} <= left_out()
    enrollment = services.enrollment_create(
        actor=admin, program=kube, group=group, start_date=START, status="aktif", **SK
    )
    assert left_out(kube) & {first.pk, second.pk, outside.pk} == {outside.pk}
    assert left_out() & {first.pk, second.pk, outside.pk} == {outside.pk}
    assert_targeting_true(admin, [kube])
    # A member leaves the group: it is left out again, the other stays covered.
    membership = group.members.get(household=second)
    membership.left_on = START
    membership.save()
    assert left_out(kube) & {first.pk, second.pk} == {second.pk}
    assert_targeting_true(admin, [kube])
    # The group's enrollment ends: nobody in it is covered.
    enrollment.refresh_from_db()
    services.enrollment_transition(
        actor=admin,
        enrollment=enrollment,
        version=enrollment.version,
        status="keluar",
        exit_reason="graduasi_mandiri",
        on=START,
    )
    assert {first.pk, second.pk} <= left_out(kube)
    assert_targeting_true(admin, [kube])
    assert targeting.differences() == []


@pytest.mark.django_db
def test_targeting_refresh_touches_only_the_desa_marked(users, villages, program):
    a1, a2, b1 = villages
    selectors.targeting_by_district(user=users["admin"])  # everything fresh
    make_household(a1, desil=2)
    assert set(TargetingStale.objects.values_list("village_id", flat=True)) == {a1.code}
    # Figures of A2 (same kecamatan) and B spoiled on purpose: refreshing A1 must leave them.
    for village in (a2, b1):
        TargetingSummary.objects.filter(village=village, program=None).update(inclusion=99)
    rows = {r.code: r for r in selectors.targeting_by_district(user=users["admin"])}
    assert not TargetingStale.objects.exists()
    live = live_targeting(users["admin"])
    assert rows[b1.district_id].inclusion == 99
    # Kecamatan A = A1 recomputed + A2 as it was (the desa rows are summed when read).
    assert rows[a1.district_id].inclusion == 99 + live[a1.district_id][1] == 99
    assert rows[a1.district_id].exclusion == live[a1.district_id][0]
    # Nothing marked: one query to know it, one per sum read.
    with CaptureQueriesContext(connection) as queries:
        selectors.targeting_by_district(user=users["admin"])
    assert len(queries.captured_queries) <= 4


@pytest.mark.django_db
def test_targeting_for_api_clients_counts_and_suppression(users, api_for, villages, program):
    a1, _a2, b1 = villages
    for _n in range(5):
        make_household(a1, desil=1)
    make_household(b1, desil=1)
    response = api_for(users["api_client"]).get("/api/v1/programs-targeting/")
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.json()}
    live = live_targeting(users["admin"])
    # The counts are there for an API client (aggregates), small ones suppressed.
    assert rows[a1.district_id]["exclusion"] == live[a1.district_id][0] >= 5
    assert rows[b1.district_id]["exclusion"] is None and live[b1.district_id][0] == 1
    assert targeting.figures()[b1.district_id][0] == 1


def expected_desa_rows() -> dict:
    """{(kecamatan, desa, program or None): (households, covered, inclusion)} computed in Python
    from the rows, with the definitions of ``selectors.possible_exclusion`` /
    ``possible_inclusion``: a household counts in its own desa, an enrollment in its own."""
    households = {h.pk: h for h in Household._base_manager.all()}
    member_of = dict(Person._base_manager.values_list("pk", "household_id"))
    poor = {
        pk
        for pk, h in households.items()
        if h.status == "aktif" and h.deleted_at is None and h.desil and 1 <= h.desil <= 4
    }
    poor_per_desa = Counter((households[pk].district_id, households[pk].village_id) for pk in poor)
    covered = defaultdict(set)  # (kecamatan, desa, program or None) -> households
    inclusion = Counter()
    for e in Enrollment.objects.all():
        home = e.household_id or member_of.get(e.person_id)
        if e.status in targeting.COVERING and home in poor:
            desa = (households[home].district_id, households[home].village_id)
            covered[(*desa, e.program_id)].add(home)
            covered[(*desa, None)].add(home)
        if e.status == "aktif" and home and 6 <= (households[home].desil or 0) <= 10:
            inclusion[(e.district_id, e.village_id, e.program_id)] += 1
            inclusion[(e.district_id, e.village_id, None)] += 1
    keys = set(covered) | set(inclusion) | {(*desa, None) for desa in poor_per_desa}
    return {
        key: (poor_per_desa[key[:2]], len(covered[key]), inclusion[key])
        for key in keys
        if len(covered[key]) or inclusion[key] or key[2] is None
    }


def held_desa_rows() -> dict:
    return {
        (r.district_id, r.village_id, r.program_id): (r.households, r.covered, r.inclusion)
        for r in TargetingSummary.objects.all()
    }


@pytest.mark.django_db
def test_targeting_per_desa_follows_registry_and_enrollment_writes(users, villages, program):
    """Each write marks only the desa whose figures it can change (its own, the one it left,
    those of the enrollments concerned); the next read rewrites those desa alone, and every desa
    row is then equal to a computation in Python (so no desa that changed was left unmarked)."""
    admin, op = users["admin"], users["operator"]
    a1, a2, b1 = villages
    org = make_program("ORG", unit="person")
    p1, p2 = make_household(a1, desil=2), make_household(a2, desil=3)
    member = p1.members.get()
    rich = make_household(b1, desil=8)
    rich_enrollment = services.enrollment_create(
        actor=users["kepala_bidang"],
        program=program,
        household=rich,
        start_date=START,
        status="aktif",
        override_justification="Musyawarah desa menetapkan keluarga ini tetap menerima.",
        **SK,
    )
    selectors.targeting_by_district(user=admin)  # everything fresh

    def fresh(model, obj):
        return model._base_manager.get(pk=obj.pk)

    def step(write, marked):
        write()
        assert set(TargetingStale.objects.values_list("village_id", flat=True)) == {
            v.code for v in marked
        }
        untouched = {
            r.pk: (r.households, r.covered, r.inclusion)
            for r in TargetingSummary.objects.exclude(village__in=marked)
        }
        assert_targeting_true(admin, [program, org])
        assert not TargetingStale.objects.exists()
        # The desa not marked were not rewritten (same rows), and every row is true.
        assert {
            r.pk: (r.households, r.covered, r.inclusion)
            for r in TargetingSummary.objects.exclude(village__in=marked)
        } == untouched
        assert held_desa_rows() == expected_desa_rows()
        assert targeting.differences() == []

    def household(h, **data):
        h = fresh(Household, h)
        return lambda: registry.household_update(
            actor=admin, household=h, version=h.version, data={"desil_date": START, **data}
        )

    def enroll():
        enrollment = services.enrollment_create(
            actor=admin, program=org, person=member, start_date=START
        )
        services.enrollment_transition(
            actor=admin, enrollment=enrollment, version=enrollment.version, status="terverifikasi"
        )

    # Enrollment write: the member's enrollment covers p1 (both in A1).
    step(enroll, {a1})
    # Desil change: only the household's desa.
    step(household(p2, desil=7), {a2})
    # Moved to another desa of the kecamatan: the desa left and the new one (the member's
    # enrollment stays in A1).
    step(household(p1, village=a2), {a1, a2})
    # Moved to another kecamatan.
    step(household(p1, village=b1), {a2, b1, a1})
    # Desil change of a household whose member is enrolled in another desa: both.
    step(household(p1, desil=9), {b1, a1})
    step(household(p1, desil=1), {b1, a1})

    # An enrollment write in A1 whose covered household now lives in B1: both desa.
    def activate():
        enrollment = Enrollment.objects.get(person=member)
        services.enrollment_transition(
            actor=admin, enrollment=enrollment, version=enrollment.version, status="aktif", **SK
        )

    step(activate, {a1, b1})
    assert expected_desa_rows()[(b1.district_id, b1.code, org.pk)][1] == 1

    # A death (saved as the registry's person_update saves it; the factory's NIK would not pass
    # its checks): nothing the targeting reads, the household keeps its status: nothing marked.
    def die():
        person = fresh(Person, member)
        person.deceased, person.death_date = True, START
        person.save()

    step(die, set())
    # Household status change: out of the desil 1-4 households of B1; the enrollment's desa too.
    step(household(p1, status="pindah"), {b1, a1})
    assert (b1.district_id, b1.code, org.pk) not in expected_desa_rows()
    # Soft delete: its desa (no enrollment).
    step(
        lambda: registry.household_delete(
            actor=admin, household=fresh(Household, p2), reason="Data ganda"
        ),
        {a2},
    )
    # Restored: its desa again.
    step(lambda: registry.household_restore(actor=admin, household=fresh(Household, p2)), {a2})
    # The rich household's enrollment ends: B1 loses its inclusion.
    before = expected_desa_rows()[(b1.district_id, b1.code, None)][2]
    step(
        lambda: services.enrollment_transition(
            actor=op,
            enrollment=fresh(Enrollment, rich_enrollment),
            version=fresh(Enrollment, rich_enrollment).version,
            status="keluar",
            exit_reason="pindah",
            on=START,
        ),
        {b1},
    )
    assert expected_desa_rows()[(b1.district_id, b1.code, None)][2] == before - 1


@pytest.mark.django_db
def test_targeting_check_finds_damaged_desa_rows(users, villages, program):
    a1, _a2, _b1 = villages
    make_household(a1, desil=1)
    selectors.targeting_by_district(user=users["admin"])
    call_command("programs_refresh_figures", "--check")
    # A desa row changed behind the application's back.
    TargetingSummary.objects.filter(village=a1, program=program).update(covered=0)
    out = io.StringIO()
    with pytest.raises(CommandError, match="figures differ"):
        call_command("programs_refresh_figures", "--check", stdout=out)
    assert f"'{a1.code}', {program.pk})" in out.getvalue()
    # The same desa marked out of date: the next read recomputes it, the check leaves it out.
    targeting.mark([a1.code])
    call_command("programs_refresh_figures", "--check")
    TargetingStale.objects.all().delete()
    call_command("programs_refresh_figures")
    assert held_desa_rows() == expected_desa_rows()
    call_command("programs_refresh_figures", "--check")
