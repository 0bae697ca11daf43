"""Statistics against hand-computed figures, the LKjIP table, targeting checks and the
integration points (household/person programs, filter_by_program, performance source,
workload column)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from beneficiaries.models import Household, Person
from programs import selectors, services
from programs.integrations import recipients_paid
from programs.models import Disbursement, Enrollment

from .factories.programs import (
    enroll_active,
    leave,
    make_household,
    make_program,
    make_stage,
    quota,
)

YEAR = timezone.localdate().year
START = datetime.date(YEAR, 1, 2)
SK = {"decree_number": "460/1", "decree_date": START}


def pay(enrollment, stage, status="disalurkan", amount=None):
    d = Disbursement.objects.get(enrollment=enrollment, stage=stage)
    d.status = status
    d.paid_amount = d.planned_amount if amount is None and status == "disalurkan" else (amount or 0)
    d.paid_on = stage.planned_on if status == "disalurkan" else None
    d.channel = "bank"
    d.reason = "" if status == "disalurkan" else "Rekening tidak aktif"
    d.save()


@pytest.fixture
def world(users, district_a, district_b):
    """Program with 2 tahap (Rp 300.000 each). Kecamatan A: village 1 has 3 active and 1
    proposed, village 2 has 1 active; kecamatan B: 2 active, 1 exited before planning.
    Quotas: village A1 = 5, village A2 = 4, kecamatan B = 3.

    Tahap 1: A1 paid 3 of 3; A2 failed 1; B paid 1 of 2.  Tahap 2: A1 paid 2 of 3 (1
    postponed), A2 paid 1, B paid 2."""
    op = users["operator"]
    from regions.models import Village

    a1, a2 = list(Village.objects.filter(district=district_a).order_by("code")[:2])
    b1 = Village.objects.filter(district=district_b).order_by("code").first()
    program = make_program(max_desil=4)
    quota(program, YEAR, village=a1, n=5)
    quota(program, YEAR, village=a2, n=4)
    quota(program, YEAR, district=district_b, n=3)

    def enroll(village, status="aktif", desil=2):
        extra = SK if status == "aktif" else {}
        return services.enrollment_create(
            actor=op,
            program=program,
            household=make_household(village, desil=desil),
            start_date=START,
            status=status,
            **extra,
        )

    e_a1 = [enroll(a1) for _n in range(3)]
    enroll(a1, status="usulan")
    e_a2 = enroll(a2)
    e_b = [enroll(b1), enroll(b1)]
    gone = enroll(b1)
    services.enrollment_transition(
        actor=op,
        enrollment=gone,
        version=gone.version,
        status="keluar",
        exit_reason="pindah",
        on=START,
    )
    t1 = make_stage(program, YEAR, 1)
    t2 = make_stage(program, YEAR, 2)
    assert services.disbursements_plan(actor=op, stage=t1) == 6
    assert services.disbursements_plan(actor=op, stage=t2) == 6
    for e in e_a1:
        pay(e, t1)
    pay(e_a2, t1, status="gagal")
    pay(e_b[0], t1)
    pay(e_a1[0], t2)
    pay(e_a1[1], t2)
    pay(e_a1[2], t2, status="ditunda")
    pay(e_a2, t2)
    pay(e_b[0], t2)
    pay(e_b[1], t2)
    return {
        "program": program,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "t1": t1,
        "t2": t2,
        "e_a1": e_a1,
        "e_a2": e_a2,
        "e_b": e_b,
        "gone": gone,
    }


@pytest.mark.django_db
def test_stats_per_district_for_a_stage(world, users, district_a, district_b):
    stats = selectors.program_stats(
        user=users["admin"], program=world["program"], year=YEAR, stage=world["t1"]
    )
    rows = {r.code: r for r in stats.rows}
    a, b = rows[district_a.code], rows[district_b.code]
    assert (a.quota, a.enrolled, a.active, a.recipients, a.paid_count) == (9, 4, 4, 4, 3)
    assert a.paid_amount == Decimal("900000") and a.planned_amount == Decimal("1200000")
    assert a.pct_paid == Decimal("75.00") and a.pct_amount == Decimal("75.00")
    # B: the one who left counts as enrolled in the year, not as active.
    assert (b.quota, b.enrolled, b.active, b.recipients, b.paid_count) == (3, 3, 2, 2, 1)
    assert b.pct_paid == Decimal("50.00")
    t = stats.total
    assert (t.enrolled, t.active, t.recipients, t.paid_count) == (7, 6, 6, 4)
    assert t.pct_paid == Decimal("66.67") and t.paid_amount == Decimal("1200000")


@pytest.mark.django_db
def test_stats_per_village_for_the_year(world, users, district_a):
    stats = selectors.program_stats(
        user=users["admin"],
        program=world["program"],
        year=YEAR,
        group_by="village",
        district_code=district_a.code,
    )
    rows = {r.code: r for r in stats.rows}
    a1, a2 = rows[world["a1"].code], rows[world["a2"].code]
    # The year: recipients are distinct enrollments, paid those paid at least once.
    assert (a1.quota, a1.enrolled, a1.recipients, a1.paid_count) == (5, 3, 3, 3)
    assert a1.paid_amount == Decimal("1500000") and a1.planned_amount == Decimal("1800000")
    assert a1.pct_amount == Decimal("83.33")
    assert (a2.quota, a2.recipients, a2.paid_count, a2.pct_paid) == (4, 1, 1, Decimal("100.00"))
    assert all(r.district_code == district_a.code for r in stats.rows)


@pytest.mark.django_db
def test_tksk_sees_own_kecamatan_and_api_client_gets_small_counts_suppressed(
    world, users, district_a
):
    stats = selectors.program_stats(user=users["tksk"], program=world["program"], year=YEAR)
    assert [r.code for r in stats.rows] == [district_a.code]
    stats = selectors.program_stats(
        user=users["api_client"], program=world["program"], year=YEAR, stage=world["t1"]
    )
    a = next(r for r in stats.rows if r.code == district_a.code)
    # 4 enrolled, 3 paid: below the threshold of 5, so hidden with what would reveal them.
    assert (
        a.enrolled is None and a.paid_count is None and a.pct_paid is None and a.paid_amount is None
    )
    empty = next(r for r in stats.rows if r.enrolled == 0)
    assert empty.recipients == 0


@pytest.mark.django_db
def test_realization_by_area_is_the_lkjip_table(world, users, district_a):
    rows = selectors.realization_by_area(program=world["program"], year=YEAR, group_by="village")
    by_code = {(r.code, r.is_subtotal): r for r in rows}
    a1 = by_code[(world["a1"].code, False)]
    assert a1.recipients == 3
    assert [(f.paid, f.pct) for f in a1.stages] == [(3, Decimal("100.00")), (2, Decimal("66.67"))]
    sub_a = by_code[(district_a.code, True)]
    assert sub_a.recipients == 4
    assert [(f.paid, f.pct) for f in sub_a.stages] == [(3, Decimal("75.00")), (3, Decimal("75.00"))]
    total = rows[-1]
    assert total.is_subtotal and total.code == ""
    assert total.recipients == 6
    assert [(f.paid, f.pct) for f in total.stages] == [(4, Decimal("66.67")), (5, Decimal("83.33"))]
    only_t2 = selectors.realization_by_area(
        program=world["program"], year=YEAR, stage=world["t2"], group_by="district"
    )
    assert [len(r.stages) for r in only_t2][:1] == [1]


@pytest.mark.django_db
def test_targeting_checks(world, users, district_a):
    rich = services.enrollment_create(
        actor=users["kepala_bidang"],
        program=world["program"],
        household=make_household(world["a1"], desil=8),
        start_date=START,
        status="aktif",
        override_justification="Musyawarah desa menetapkan keluarga ini tetap menerima.",
        **SK,
    )
    poor_uncovered = make_household(world["a2"], desil=3)
    make_household(world["a2"], desil=5)  # neither
    rows = {r.code: r for r in selectors.targeting_by_district(user=users["admin"])}
    assert rows[district_a.code].inclusion == 1
    excluded = selectors.possible_exclusion(user=users["admin"]).filter(district_id=district_a.code)
    # A proposal (usulan) does not cover a household yet.
    proposed = Enrollment.objects.get(status="usulan").household
    assert set(excluded) == {poor_uncovered, proposed}
    assert rows[district_a.code].exclusion == 2
    assert list(selectors.possible_inclusion(user=users["admin"])) == [rich]
    # The TKSK of B sees none of A.
    assert not selectors.possible_inclusion(user=users["tksk_b"]).exists()
    assert district_a.code not in {
        r.code for r in selectors.targeting_by_district(user=users["tksk_b"])
    }


@pytest.mark.django_db
def test_integration_points(world, users, district_a):
    program = world["program"]
    household = world["e_a1"][0].household
    panel = selectors.household_programs([household.pk])
    assert [(m.program_code, m.status, m.via) for m in panel[household.pk]] == [
        (program.code, "aktif", "household")
    ]
    member = household.members.first()
    assert selectors.person_programs([member.pk])[member.pk][0].via == "household"
    enrolled = selectors.filter_by_program(Household.objects.all(), program.code)
    assert enrolled.count() == 7  # 6 active + 1 proposed
    assert selectors.filter_by_program(Person.objects.all(), program.code).count() == 7
    assert not selectors.filter_by_program(Household.objects.all(), "NOPE").exists()
    counts = selectors.active_recipients_by_district([district_a.code])
    assert counts == {district_a.code: 4}
    from fieldwork import extensions

    column = next(
        c for c in extensions.workload_columns() if c.key == extensions.WORKLOAD_ACTIVE_RECIPIENTS
    )
    assert column.counts([district_a.code]) == {district_a.code: 4}
    # The performance source: through the end of Q1 only tahap 1 (March) is planned.
    value = recipients_paid(YEAR, 1, code=program.code)
    assert (value.numerator, value.denominator) == (4, 6)
    assert (recipients_paid(YEAR, 4, code=program.code).numerator, value.denominator) == (6, 6)
    from performance.sources import get_source

    assert get_source("programs.recipients_paid") is not None


@pytest.mark.django_db
def test_stats_query_count(world, users, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        selectors.program_stats(
            user=users["admin"], program=world["program"], year=YEAR, group_by="village"
        )
    with django_assert_max_num_queries(4):
        selectors.realization_by_area(program=world["program"], year=YEAR, group_by="village")
    assert Enrollment.objects.count() == 8


def test_an_area_whose_recipients_all_left_counts_zero_active(users, district_a, village_a):
    """A kecamatan with enrollments but none active (all exited): its active count is 0, not
    an error (the sum over no active row is NULL)."""
    op = users["operator"]
    program = make_program()
    enrollment = services.enrollment_create(
        actor=op, program=program, household=make_household(village_a), start_date=START, **SK
    )
    services.enrollment_transition(
        actor=op,
        enrollment=enrollment,
        version=enrollment.version,
        status="keluar",
        exit_reason="pindah",
        on=START,
    )
    for group_by in ("district", "village"):
        stats = selectors.program_stats(
            user=users["kepala_dinas"], program=program, year=YEAR, group_by=group_by
        )
        row = next(r for r in stats.rows if r.enrolled)
        assert (row.enrolled, row.active) == (1, 0)
        assert (stats.total.enrolled, stats.total.active) == (1, 0)


def test_a_past_years_active_count_keeps_who_left_in_a_later_year(users, village_a):
    """Active in a year is who received the program when it closed: a recipient who leaves the
    next year still counts as active in this year's figures, not in the next year's."""
    op = users["operator"]
    program = make_program()
    last_year = datetime.date(YEAR - 1, 1, 2)
    staying, leaving = (enroll_active(op, program, village_a, start=last_year) for _ in range(2))
    leave(op, leaving, on=timezone.localdate(), reason="meninggal")
    figures = {
        year: selectors.program_stats(user=users["kepala_dinas"], program=program, year=year)
        for year in (YEAR - 1, YEAR)
    }
    assert (figures[YEAR - 1].total.enrolled, figures[YEAR - 1].total.active) == (2, 2)
    assert (figures[YEAR].total.enrolled, figures[YEAR].total.active) == (2, 1)
    assert staying.status == "aktif"
