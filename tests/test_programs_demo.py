"""The programs demo: the catalogue of the issue, enrollments that meet the rules, stages and
disbursements so that every figure is non-trivial; idempotent."""

import io

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from beneficiaries import demo as registry_demo
from beneficiaries.models import Household, Person
from programs import demo, eligibility, selectors
from programs.models import Enrollment, KubeGroup, Program


@pytest.mark.django_db
def test_demo(users):
    out = io.StringIO()
    accounts_demo.seed(stdout=out)
    registry_demo.seed(stdout=out)
    demo.seed(stdout=out)
    codes = set(Program.objects.values_list("code", flat=True))
    assert codes == {
        "PKH",
        "BPNT",
        "ASPD",
        "KUBE",
        "ASLUT",
        "PKSA",
        "BSPD-KAB",
        "PERMAKANAN",
        "BTT-BENCANA",
    }
    admin = users["admin"]
    year = timezone.localdate().year
    for code in ("PKH", "BPNT", "BSPD-KAB"):
        program = Program.objects.get(code=code)
        stats = selectors.program_stats(user=admin, program=program, year=year)
        assert stats.total.active > 50 and stats.total.paid_count > 0
        assert 0 < stats.total.pct_paid <= 100
        # Everyone enrolled without an override meets the rules as of the start.
        plain = Enrollment.objects.filter(
            program=program, override_by__isnull=True, replaces__isnull=True
        )
        sample = plain.order_by("pk")[:50]
        if program.unit == "household":
            queryset = Household.objects.filter(pk__in=[e.household_id for e in sample])
            fails = eligibility.check_households(program, queryset, sample[0].start_date)
        else:
            queryset = Person.objects.filter(pk__in=[e.person_id for e in sample])
            fails = eligibility.check_persons(program, queryset, sample[0].start_date)
        assert all(rule.rule == "enrolled" for failures in fails.values() for rule in failures)
    # Last year (the demo LKjIP's year) is paid in full, stage by stage, per desa.
    bspd = Program.objects.get(code="BSPD-KAB")
    last_year = selectors.program_stats(user=admin, program=bspd, year=year - 1)
    assert last_year.total.recipients > 50
    assert 90 <= last_year.total.pct_amount < 100  # a few payments failed or were postponed
    realization = selectors.realization_by_area(program=bspd, year=year - 1)
    stages = [s.name for s in realization[-1].stages]
    assert stages == [f"Tahap I {year - 1}", f"Tahap II {year - 1}"]
    assert all(s.paid > 50 for s in realization[-1].stages)
    assert Enrollment.objects.filter(override_by__isnull=False).exists()
    assert Enrollment.objects.filter(replaces__isnull=False).exists()
    assert Enrollment.objects.filter(status="keluar").exclude(exit_reason="").exists()
    assert KubeGroup.objects.filter(reports__isnull=False).exists()
    rows = {r.code: r for r in selectors.targeting_by_district(user=admin)}
    assert (
        sum(r.inclusion for r in rows.values()) > 0 and sum(r.exclusion for r in rows.values()) > 0
    )
    count = Enrollment.objects.count()
    demo.seed(stdout=out)
    assert Enrollment.objects.count() == count
