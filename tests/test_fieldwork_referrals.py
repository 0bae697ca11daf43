"""Case referrals and their follow-up, from TKSK forms and from the office."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.access import Role
from fieldwork import selectors, services
from fieldwork.kinds import KIND_REFERRAL_FOLLOWUP
from fieldwork.models import AppliedChange, Referral, ReferralFollowUp

from .factories import make_user
from .factories.fieldwork import (
    approved_referral,
    kind_form,
    referral_payload,
    review,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rehsos_head(regions):
    return make_user(Role.KEPALA_BIDANG, username="kabid.rehsos.r", bidang_code="rehsos")


def _followup_payload(referral, **overrides):
    payload = {
        "referral": str(referral.pk),
        "followup_date": timezone.localdate().isoformat(),
        "status": "served",
        "note": "Sudah dirawat di RSUD dan terdaftar PBI-JK.",
    }
    payload.update(overrides)
    return payload


def test_an_approved_referral_is_recorded(users, village_a, rehsos_head):
    referral = approved_referral(users["tksk"], rehsos_head, village_a)
    assert referral.status == Referral.Status.REFERRED
    assert referral.person_name == "Siti Aminah" and referral.service == "health"
    assert referral.urgency == "urgent" and referral.district_id == "36.02.14"
    assert AppliedChange.objects.get().object_id == str(referral.pk)


def test_the_tksk_reports_the_follow_up(users, village_a, rehsos_head):
    referral = approved_referral(users["tksk"], rehsos_head, village_a)
    early = (referral.referred_on - datetime.timedelta(days=3)).isoformat()
    form = kind_form(
        users["tksk"], KIND_REFERRAL_FOLLOWUP, _followup_payload(referral, followup_date=early)
    )
    assert not form.is_valid()
    assert form.errors["followup_date"][0].startswith("Tindak lanjut tidak boleh sebelum")
    submission = submit(users["tksk"], KIND_REFERRAL_FOLLOWUP, _followup_payload(referral))
    assert submission.village_id == referral.village_id
    referral.refresh_from_db()
    assert referral.status == Referral.Status.REFERRED  # not before approval
    review(submission, rehsos_head)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SERVED and referral.closed_on == timezone.localdate()
    followup = ReferralFollowUp.objects.get()
    assert followup.source_submission == submission and followup.recorded_by == rehsos_head
    assert set(
        AppliedChange.objects.filter(submission=submission).values_list("action", flat=True)
    ) == {"created", "updated"}
    assert referral.history.first().history_change_reason.startswith("Formulir lapangan #")
    # A closed referral is no longer offered.
    form = kind_form(users["tksk"], KIND_REFERRAL_FOLLOWUP, _followup_payload(referral))
    assert not form.is_valid()
    assert form.errors["referral"] == [
        "Pilih rujukan yang masih terbuka di kecamatan Anda dari daftar."
    ]


def test_a_tksk_cannot_follow_up_another_kecamatan(users, village_b, rehsos_head):
    referral = approved_referral(users["tksk_b"], rehsos_head, village_b)
    form = kind_form(users["tksk"], KIND_REFERRAL_FOLLOWUP, _followup_payload(referral))
    assert not form.is_valid() and "referral" in form.errors


def test_the_office_records_a_follow_up(users, village_a, rehsos_head, client_for):
    referral = approved_referral(users["tksk"], rehsos_head, village_a)
    followup = services.referral_followup_add(
        actor=users["operator"],
        referral=referral,
        date=timezone.localdate(),
        status=Referral.Status.IN_PROGRESS,
        note="Dijadwalkan asesmen oleh pekerja sosial.",
    )
    assert followup.source_submission is None
    referral.refresh_from_db()
    assert referral.status == Referral.Status.IN_PROGRESS and referral.closed_on is None
    with pytest.raises(PermissionDenied):
        services.referral_followup_add(
            actor=users["tksk"],
            referral=referral,
            date=timezone.localdate(),
            status="served",
            note="x",
        )
    with pytest.raises(ValidationError):
        services.referral_followup_add(
            actor=users["operator"],
            referral=referral,
            date=timezone.localdate() + datetime.timedelta(days=1),
            status="served",
            note="x",
        )
    response = client_for(users["operator"]).post(
        f"/lapangan/rujukan/{referral.pk}/",
        {"date": timezone.localdate().isoformat(), "status": "served", "note": "Selesai."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.is_closed
    html = client_for(users["operator"]).get(f"/lapangan/rujukan/{referral.pk}/").content.decode()
    assert "Selesai." in html and "Catat tindak lanjut" not in html


def test_referral_stats_per_kecamatan_and_service(users, village_a, village_b, rehsos_head):
    approved_referral(users["tksk"], rehsos_head, village_a)
    approved_referral(users["tksk"], rehsos_head, village_a, service="rtlh")
    approved_referral(users["tksk_b"], rehsos_head, village_b, service="rtlh")
    submit(users["tksk"], "case_referral", referral_payload(village_a))  # not approved
    stats = selectors.referral_stats(user=users["admin"], year=timezone.localdate().year)
    rows = {row.code: row for row in stats.rows}
    assert rows["36.02.14"].cells["health"] == 1 and rows["36.02.14"].cells["rtlh"] == 1
    assert rows["36.02.01"].total == 1
    assert stats.totals["rtlh"] == 2 and stats.total == 3
    assert stats.meta["open"] == 3
