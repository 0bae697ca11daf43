"""Enrollment: eligibility refusals per rule, override by a Kepala Bidang, quotas, status
transitions, replacement and bulk enrollment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from programs import services
from programs.models import Enrollment, ExitReason

from .factories.programs import make_household, make_person, make_program, place, quota

TODAY = timezone.localdate()
SK = {"decree_number": "460/Kep.1/2026", "decree_date": TODAY}


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def enroll(user, program, **kwargs):
    kwargs.setdefault("start_date", TODAY)
    return services.enrollment_create(actor=user, program=program, **kwargs)


def refusal(user, program, **kwargs) -> services.EligibilityError:
    with pytest.raises(services.EligibilityError) as info:
        enroll(user, program, **kwargs)
    return info.value


@pytest.mark.django_db
class TestEligibilityRefusals:
    def test_desil(self, users, village_a):
        program = make_program(max_desil=4)
        error = refusal(users["operator"], program, household=make_household(village_a, desil=7))
        assert [f.rule for f in error.failures] == ["desil"]
        assert "Desil DTSEN keluarga ini 7" in error.failures[0].message
        assert "desil 4" in error.failures[0].message

    def test_missing_desil(self, users, village_a):
        program = make_program(max_desil=4)
        error = refusal(users["operator"], program, household=make_household(village_a, desil=None))
        assert "belum memiliki desil" in error.failures[0].message

    def test_category(self, users, village_a):
        program = make_program("ASLUT-U", unit="person", categories=["lanjut_usia_terlantar"])
        person = make_person(make_household(village_a), age=70)
        error = refusal(users["operator"], program, person=person)
        assert [f.rule for f in error.failures] == ["category"]
        assert "Lanjut Usia Terlantar" in error.failures[0].message
        place("lanjut_usia_terlantar", person=person)
        assert enroll(users["operator"], program, person=person).status == "usulan"

    def test_household_category_counts_for_its_members(self, users, village_a):
        program = make_program("PRS", unit="person", categories=["fakir_miskin"])
        household = make_household(village_a)
        place("fakir_miskin", household=household)
        assert enroll(users["operator"], program, person=household.members.get())

    def test_age(self, users, village_a):
        program = make_program("LANSIA", unit="person", min_age=60)
        error = refusal(
            users["operator"], program, person=make_person(make_household(village_a), age=45)
        )
        assert [f.rule for f in error.failures] == ["age"]
        assert "45 tahun" in error.failures[0].message and "60+" in error.failures[0].message

    def test_disability_severity(self, users, village_a):
        program = make_program("ASPD-U", unit="person", min_disability_severity="berat")
        person = make_person(make_household(village_a), severity="sedang")
        error = refusal(users["operator"], program, person=person)
        assert [f.rule for f in error.failures] == ["disability"]
        assert "berat" in error.failures[0].message

    def test_composition(self, users, village_a):
        program = make_program("PKH-U", composition=["balita", "lansia"])
        adults = make_household(
            village_a, members=[("kepala", 40, "L", ""), ("pasangan", 38, "P", "")]
        )
        error = refusal(users["operator"], program, household=adults)
        assert [f.rule for f in error.failures] == ["composition"]
        assert "anak di bawah 6 tahun atau anggota lanjut usia" in error.failures[0].message
        with_toddler = make_household(
            village_a, members=[("kepala", 30, "L", ""), ("anak", 2, "P", "")]
        )
        assert enroll(users["operator"], program, household=with_toddler)

    def test_deceased_and_several_rules_at_once(self, users, village_a):
        program = make_program("MULTI", unit="person", max_desil=3, min_age=60)
        household = make_household(village_a, desil=8, members=[])
        person = make_person(household, age=30, deceased=True)
        rules = {f.rule for f in refusal(users["operator"], program, person=person).failures}
        assert rules == {"deceased", "desil", "age"}

    def test_already_enrolled(self, users, village_a):
        program = make_program()
        household = make_household(village_a)
        enroll(users["operator"], program, household=household)
        error = refusal(users["operator"], program, household=household)
        assert [f.rule for f in error.failures] == ["enrolled"]
        # An override cannot enroll twice.
        error = refusal(
            users["kepala_bidang"],
            program,
            household=household,
            override_justification="Musyawarah desa memutuskan tetap menerima.",
        )
        assert error.failures[0].rule == "enrolled"


@pytest.mark.django_db
class TestOverride:
    JUSTIFICATION = "Hasil musyawarah desa: kepala keluarga sakit menahun, desil belum diperbarui."

    def _overridden(self, users, village):
        """A household in desil 7 enrolled by the head of division in a program for desil 4."""
        return enroll(
            users["kepala_bidang"],
            make_program(max_desil=4),
            household=make_household(village, desil=7),
            override_justification=self.JUSTIFICATION,
        )

    def test_kepala_bidang_overrides_and_the_justification_is_kept(self, users, village_a):
        enrollment = self._overridden(users, village_a)
        enrollment.refresh_from_db()
        assert enrollment.override_justification == self.JUSTIFICATION
        assert enrollment.override_by == users["kepala_bidang"]
        assert enrollment.override_failures[0]["rule"] == "desil"
        assert enrollment.history.first().override_justification == self.JUSTIFICATION

    def test_the_overridden_rules_read_as_their_messages_in_the_history(
        self, users, village_a, client_for
    ):
        enrollment = self._overridden(users, village_a)
        message = enrollment.override_failures[0]["message"]
        for url in (
            "/audit/?model=programs.Enrollment",
            f"/program/penerima/{enrollment.pk}/",
        ):
            page = client_for(users["admin"]).get(url)
            assert page.status_code == 200, url
            assert f"</span>: {message}</li>" in page.content.decode(), url

    def test_operator_may_not_override(self, users, village_a):
        program = make_program(max_desil=4)
        with pytest.raises(PermissionDenied):
            enroll(
                users["operator"],
                program,
                household=make_household(village_a, desil=7),
                override_justification=self.JUSTIFICATION,
            )
        assert not Enrollment.objects.exists()

    def test_justification_must_be_written(self, users, village_a):
        program = make_program(max_desil=4)
        with pytest.raises(ValidationError) as info:
            enroll(
                users["kepala_bidang"],
                program,
                household=make_household(village_a, desil=7),
                override_justification="ok",
            )
        assert "override_justification" in info.value.message_dict

    def test_kepala_bidang_of_another_bidang_may_not(self, users, village_a):
        program = make_program(max_desil=4, bidang="rehsos")
        with pytest.raises(PermissionDenied):
            enroll(
                users["kepala_bidang"],
                program,
                household=make_household(village_a, desil=7),
                override_justification=self.JUSTIFICATION,
            )


@pytest.mark.django_db
class TestQuota:
    def test_over_quota_refused_with_quota_and_count(self, users, village_a):
        program = make_program()
        quota(program, TODAY.year, village=village_a, n=2)
        for _n in range(2):
            enroll(users["operator"], program, household=make_household(village_a))
        with pytest.raises(services.QuotaError) as info:
            enroll(users["operator"], program, household=make_household(village_a))
        message = info.value.messages[0]
        assert "kuota 2" in message and "sudah terdaftar 2" in message
        assert village_a.name in message
        assert Enrollment.objects.count() == 2

    def test_district_quota_and_freed_place(self, users, village_a, district_a):
        program = make_program()
        quota(program, TODAY.year, district=district_a, n=1)
        first = enroll(users["operator"], program, household=make_household(village_a))
        with pytest.raises(services.QuotaError):
            enroll(users["operator"], program, household=make_household(village_a))
        services.enrollment_transition(
            actor=users["operator"],
            enrollment=first,
            version=first.version,
            status="keluar",
            exit_reason=ExitReason.MOVED,
            on=TODAY,
        )
        assert enroll(users["operator"], program, household=make_household(village_a))

    def test_bulk_over_quota_enrolls_none(self, users, village_a):
        program = make_program()
        quota(program, TODAY.year, village=village_a, n=2)
        ids = [make_household(village_a).pk for _n in range(3)]
        with pytest.raises(services.QuotaError) as info:
            services.enrollment_bulk_create(
                actor=users["operator"], program=program, ids=ids, start_date=TODAY
            )
        assert "kuota 2" in info.value.messages[0]
        assert not Enrollment.objects.exists()


@pytest.mark.django_db
class TestTransitions:
    def test_path_to_graduation(self, users, village_a):
        program = make_program()
        enrollment = enroll(users["operator"], program, household=make_household(village_a))
        op = users["operator"]
        services.enrollment_transition(
            actor=op, enrollment=enrollment, version=enrollment.version, status="terverifikasi"
        )
        with pytest.raises(ValidationError) as info:
            services.enrollment_transition(
                actor=op, enrollment=enrollment, version=enrollment.version, status="aktif"
            )
        assert "SK penetapan" in info.value.message_dict["decree_number"][0]
        services.enrollment_transition(
            actor=op, enrollment=enrollment, version=enrollment.version, status="aktif", **SK
        )
        services.enrollment_transition(
            actor=op, enrollment=enrollment, version=enrollment.version, status="ditangguhkan"
        )
        services.enrollment_transition(
            actor=op, enrollment=enrollment, version=enrollment.version, status="aktif"
        )
        services.enrollment_transition(
            actor=op, enrollment=enrollment, version=enrollment.version, status="graduasi", on=TODAY
        )
        enrollment.refresh_from_db()
        assert enrollment.status == "graduasi"
        assert enrollment.exit_reason == ExitReason.GRADUATED
        assert enrollment.end_date == TODAY
        assert enrollment.history.count() == 6

    def test_refused_moves(self, users, village_a):
        program = make_program()
        enrollment = enroll(users["operator"], program, household=make_household(village_a))
        with pytest.raises(ValidationError) as info:
            services.enrollment_transition(
                actor=users["operator"],
                enrollment=enrollment,
                version=enrollment.version,
                status="graduasi",
            )
        assert "Diusulkan" in info.value.message_dict["status"][0]
        with pytest.raises(ValidationError) as info:
            services.enrollment_transition(
                actor=users["operator"],
                enrollment=enrollment,
                version=enrollment.version,
                status="keluar",
            )
        assert "exit_reason" in info.value.message_dict

    def test_stale_version(self, users, village_a):
        from welfare.concurrency import ConcurrentUpdateError

        program = make_program()
        enrollment = enroll(users["operator"], program, household=make_household(village_a))
        with pytest.raises(ConcurrentUpdateError):
            services.enrollment_transition(
                actor=users["operator"],
                enrollment=enrollment,
                version=enrollment.version + 5,
                status="terverifikasi",
            )

    def test_tksk_and_other_bidang_may_not_write(self, users, village_a):
        program = make_program()
        household = make_household(village_a)
        for user in (users["tksk"], users["operator_other_bidang"], users["auditor"]):
            with pytest.raises(PermissionDenied):
                enroll(user, program, household=household)


@pytest.mark.django_db
def test_replacement_keeps_the_old_recipient_with_its_reason(users, village_a):
    program = make_program(max_desil=4)
    old = enroll(
        users["operator"], program, household=make_household(village_a), status="aktif", **SK
    )
    new_household = make_household(village_a)
    new = services.enrollment_replace(
        actor=users["operator"],
        enrollment=old,
        version=old.version,
        exit_reason=ExitReason.DIED,
        note="Meninggal 3 Maret.",
        on=TODAY,
        household=new_household,
    )
    old.refresh_from_db()
    assert (
        old.status == "keluar"
        and old.exit_reason == "meninggal"
        and old.exit_note == "Meninggal 3 Maret."
    )
    assert (
        new.replaces == old and new.status == "aktif" and new.decree_number == SK["decree_number"]
    )
    assert old.replaced_by == new
    # The replacement must be eligible too: nothing changes when it is not.
    bad = make_household(village_a, desil=9)
    with pytest.raises(services.EligibilityError):
        services.enrollment_replace(
            actor=users["operator"],
            enrollment=new,
            version=new.version,
            exit_reason=ExitReason.MOVED,
            on=TODAY,
            household=bad,
        )
    new.refresh_from_db()
    assert new.status == "aktif"


@pytest.mark.django_db
def test_bulk_enrollment_refuses_the_ineligible_with_reasons(users, village_a):
    program = make_program(max_desil=4)
    good = [make_household(village_a, desil=d) for d in (1, 3)]
    bad = make_household(village_a, desil=8)
    result = services.enrollment_bulk_create(
        actor=users["operator"],
        program=program,
        ids=[h.pk for h in [*good, bad]] + [999999999],
        start_date=TODAY,
        status="aktif",
        **SK,
    )
    assert sorted(e.household_id for e in result.created) == sorted(h.pk for h in good)
    refused = dict(result.refused)
    assert "desil 4" in refused[bad.pk][0]
    assert refused[999999999] == ["Tidak ditemukan di registri."]
    assert Enrollment.objects.filter(status="aktif").count() == 2
    assert Enrollment.history.filter(history_type="+").count() == 2


@pytest.mark.parametrize("code", ["impor", "IMPORTS", "Penerima"])
def test_a_program_code_may_not_be_a_word_of_the_addresses(code):
    """/program/impor/ and /api/v1/programs/imports/ must stay the import pages, not a program."""
    from django.core.exceptions import ValidationError

    from programs.models import Program

    others = [f.name for f in Program._meta.fields if f.name != "code"]
    with pytest.raises(ValidationError) as caught:
        Program(code=code).clean_fields(exclude=others)
    assert "alamat" in caught.value.message_dict["code"][0]
    Program(code="BSPD-KAB").clean_fields(exclude=others)  # an ordinary code passes
