"""The plan: Renstra, goals, objectives, indicators with yearly targets, the performance
agreement and its revision; who may change them."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import Role
from performance import services
from performance.models import Agreement, AgreementTarget, Indicator, Program, RenstraTarget

from .factories import make_user
from .factories.performance import IndicatorFactory, bidang, small_plan


@pytest.fixture
def planner(regions):
    return make_user(Role.OPERATOR, username="t.perencana", bidang_code="sekretariat")


@pytest.fixture
def plan(regions):
    return small_plan()


@pytest.mark.django_db
def test_a_renstra_period_may_not_overlap_another(plan, planner):
    with pytest.raises(ValidationError) as error:
        services.renstra_save(
            actor=planner,
            data={
                "name": "Renstra tumpang tindih",
                "start_year": 2027,
                "end_year": 2031,
                "bidang": bidang("sekretariat"),
            },
        )
    assert "start_year" in error.value.message_dict
    renstra = services.renstra_save(
        actor=planner,
        data={"name": "Renstra 2030", "start_year": 2030, "end_year": 2034,
              "bidang": bidang("sekretariat")},
    )  # fmt: skip
    assert renstra.years == [2030, 2031, 2032, 2033, 2034]


@pytest.mark.django_db
def test_only_the_unit_keeping_the_plan_changes_it(plan, users):
    with pytest.raises(PermissionDenied):
        services.tujuan_save(
            actor=users["operator"], renstra=plan.renstra, data={"code": "T9", "name": "X"}
        )
    with pytest.raises(PermissionDenied):
        services.tujuan_save(
            actor=users["auditor"], renstra=plan.renstra, data={"code": "T9", "name": "X"}
        )
    saved = services.tujuan_save(
        actor=users["admin"], renstra=plan.renstra, data={"code": "T9", "name": "Tujuan baru"}
    )
    assert saved.pk and saved.renstra == plan.renstra


@pytest.mark.django_db
def test_codes_are_unique_within_a_renstra(plan, planner):
    with pytest.raises(ValidationError) as error:
        services.tujuan_save(
            actor=planner, renstra=plan.renstra, data={"code": "T1", "name": "Dobel"}
        )
    assert "code" in error.value.message_dict


@pytest.mark.django_db
def test_a_program_supports_one_sasaran_per_renstra(plan, planner):
    program = Program.objects.get(code="1.06.04")
    with pytest.raises(ValidationError) as error:
        services.sasaran_save(
            actor=planner,
            renstra=plan.renstra,
            data={"tujuan": plan.tujuan, "code": "S2", "name": "Sasaran lain"},
            programs=[program],
        )
    assert "1.06.04" in str(error.value)


@pytest.mark.django_db
def test_an_indicator_with_its_rules_and_yearly_targets(plan, planner):
    indicator = services.indicator_save(
        actor=planner,
        renstra=plan.renstra,
        data={
            "level": "program",
            "program": Program.objects.get(code="1.06.04"),
            "code": "P-1",
            "name": "Persentase PPKS yang direhabilitasi",
            "unit": "%",
            "bidang": bidang("rehsos"),
            "aggregation": "ratio",
            "direction": "higher",
        },
        targets={2025: D(80), 2026: D(85), 2029: D(95)},
    )
    assert indicator.owner.code == "1.06.04"
    assert dict(RenstraTarget.objects.filter(indicator=indicator).values_list("year", "value")) == {
        2025: D(80), 2026: D(85), 2029: D(95),
    }  # fmt: skip
    services.indicator_save(
        actor=planner, renstra=plan.renstra, indicator=indicator, version=indicator.version,
        data={}, targets={2026: None, 2027: D(90)},
    )  # fmt: skip
    assert set(indicator.renstra_targets.values_list("year", flat=True)) == {2025, 2027, 2029}


@pytest.mark.django_db
def test_a_percentage_is_never_averaged_over_quarters(plan, planner):
    with pytest.raises(ValidationError) as error:
        services.indicator_save(
            actor=planner,
            renstra=plan.renstra,
            data={
                "level": "sasaran", "sasaran": plan.sasaran, "code": "P-2", "name": "Persentase",
                "unit": "%", "bidang": bidang("rehsos"), "aggregation": "average",
            },
        )  # fmt: skip
    assert "aggregation" in error.value.message_dict


@pytest.mark.django_db
def test_an_indicator_must_measure_what_its_level_says(plan, planner):
    with pytest.raises(ValidationError) as error:
        services.indicator_save(
            actor=planner,
            renstra=plan.renstra,
            data={"level": "kegiatan", "code": "K-1", "name": "Tanpa induk", "unit": "Orang",
                  "bidang": bidang("rehsos")},
        )  # fmt: skip
    assert "kegiatan" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.indicator_save(
            actor=planner, renstra=plan.renstra,
            data={"level": "sasaran", "sasaran": plan.sasaran, "code": "X", "name": "X",
                  "unit": "Orang", "bidang": bidang("rehsos"), "source_code": "tidak.ada"},
        )  # fmt: skip


@pytest.mark.django_db
def test_the_original_agreement_copies_the_renstra_targets(plan, planner):
    agreement = services.agreement_create(actor=planner, renstra=plan.renstra, year=2026)
    targets = dict(agreement.targets.values_list("indicator__code", "target"))
    assert targets == {"IND-A": D(100), "IND-B": D("8.5")}
    with pytest.raises(ValidationError):
        services.agreement_create(actor=planner, renstra=plan.renstra, year=2026)
    with pytest.raises(ValidationError):
        services.agreement_create(actor=planner, renstra=plan.renstra, year=2031)


@pytest.mark.django_db
def test_a_revision_keeps_the_original(plan, planner):
    with pytest.raises(ValidationError):
        services.agreement_revise(actor=planner, year=2025, reason=" ")
    revised = services.agreement_revise(
        actor=planner, year=2025, reason="APBD Perubahan 2025 menambah anggaran rehabilitasi."
    )
    assert revised.revision == 1 and revised.based_on == plan.agreement
    assert revised.label == "PK Perubahan"
    count = AgreementTarget.objects.get(agreement=revised, indicator=plan.count)
    services.agreement_targets_save(
        actor=planner,
        agreement=revised,
        rows=[{"indicator": plan.count, "target": D(120), "q1": D(30), "q2": D(30),
               "q3": D(30), "q4": D(30), "version": count.version}],
    )  # fmt: skip
    assert AgreementTarget.objects.get(agreement=revised, indicator=plan.count).target == 120
    assert AgreementTarget.objects.get(agreement=plan.agreement, indicator=plan.count).target == 100
    second = services.agreement_revise(actor=planner, year=2025, reason="Perubahan kedua")
    assert second.revision == 2 and second.based_on == revised
    assert Agreement.objects.filter(year=2025).count() == 3


@pytest.mark.django_db
def test_quarterly_targets_must_agree_with_the_year(plan, planner):
    with pytest.raises(ValidationError) as error:
        services.agreement_targets_save(
            actor=planner,
            agreement=plan.agreement,
            rows=[
                {"indicator": plan.count, "target": D(100), "q1": D(10), "q2": D(10),
                 "q3": D(10), "q4": D(10), "version": 1},
                {"indicator": plan.rate, "target": D("8.23"), "q4": D("8.0"), "version": 1},
            ],
        )  # fmt: skip
    messages = error.value.message_dict
    assert set(messages) == {"IND-A", "IND-B"}
    assert "40" in messages["IND-A"][0]
    # all or nothing: the valid values of the same call were not written either
    assert AgreementTarget.objects.get(agreement=plan.agreement, indicator=plan.count).q1 == 20


@pytest.mark.django_db
def test_a_stale_target_is_refused(plan, planner):
    from welfare.concurrency import ConcurrentUpdateError

    target = AgreementTarget.objects.get(agreement=plan.agreement, indicator=plan.count)
    services.agreement_target_update(
        actor=planner, target=target, version=target.version,
        data={"target": D(100), "q1": D(25), "q2": D(25), "q3": D(25), "q4": D(25)},
    )  # fmt: skip
    stale = AgreementTarget.objects.get(pk=target.pk)
    stale.version = 1
    with pytest.raises(ConcurrentUpdateError):
        services.agreement_target_update(actor=planner, target=stale, version=1, data={})


@pytest.mark.django_db
def test_an_indicator_of_another_renstra_cannot_enter_an_agreement(plan, planner):
    from .factories.performance import RenstraFactory, SasaranFactory, TujuanFactory

    other = RenstraFactory(start_year=2019, end_year=2024)
    sasaran = SasaranFactory(tujuan=TujuanFactory(renstra=other), renstra=other)
    stranger = IndicatorFactory(sasaran=sasaran, code="OLD-1")
    with pytest.raises(ValidationError):
        services.agreement_targets_save(
            actor=planner, agreement=plan.agreement,
            rows=[{"indicator": stranger, "target": D(1)}],
        )  # fmt: skip
    assert not Indicator.objects.filter(agreement_targets__indicator=stranger).exists()
