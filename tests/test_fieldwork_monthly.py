"""Daily activity entries and the monthly report assembled from them: due by a settable day
of the next month, late reports flagged, missing reports counted."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fieldwork import selectors, services
from fieldwork.kinds import KIND_MONTHLY_REPORT
from fieldwork.models import ActivityEntry, Submission

from .factories.fieldwork import assign, kind_form, monthly_payload, review, submit, tksk_person

pytestmark = pytest.mark.django_db


def _previous_month() -> datetime.date:
    first = timezone.localdate().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def _entry(user, day, kind="outreach", **kwargs):
    entry, _created = services.activity_entry_create(
        actor=user,
        client_key=kwargs.pop("key", uuid.uuid4()),
        date=day,
        activity_type=kind,
        description=kwargs.pop("description", "Sosialisasi program sembako"),
        people_served=kwargs.pop("people_served", 12),
        **kwargs,
    )
    return entry


def test_an_entry_is_saved_once_per_key(users, village_a):
    key = uuid.uuid4()
    day = timezone.localdate()
    first = _entry(users["tksk"], day, key=key, village=village_a)
    second, created = services.activity_entry_create(
        actor=users["tksk"],
        client_key=key,
        date=day,
        activity_type="outreach",
        description="dikirim ulang",
    )
    assert second == first and created is False
    assert ActivityEntry.objects.count() == 1
    assert first.district_id == "36.02.14"


def test_the_report_takes_the_entries_of_its_month(users):
    month = _previous_month()
    inside = [_entry(users["tksk"], month + datetime.timedelta(days=d)) for d in (0, 5, 20)]
    outside = _entry(users["tksk"], month - datetime.timedelta(days=1))
    other_tksk = _entry(users["tksk_b"], month)
    report = submit(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(month))
    assert report.period == month and report.event_date == month
    assert set(report.activity_entries.all()) == set(inside)
    outside.refresh_from_db()
    other_tksk.refresh_from_db()
    assert outside.report is None and other_tksk.report is None
    # The sent month is closed to new entries and its entries cannot be deleted.
    with pytest.raises(ValidationError) as error:
        _entry(users["tksk"], month + datetime.timedelta(days=2))
    assert "sudah dikirim" in error.value.message_dict["date"][0]
    with pytest.raises(ValidationError):
        services.activity_entry_delete(actor=users["tksk"], entry=inside[0])


def test_a_returned_report_takes_new_entries_when_sent_again(users):
    month = _previous_month()
    _entry(users["tksk"], month)
    report = submit(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(month))
    review(report, users["admin"], "return", "Tambahkan kegiatan pendampingan BPNT.")
    added = _entry(users["tksk"], month + datetime.timedelta(days=3), kind="aid_distribution")
    form = kind_form(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(month), submission=report)
    assert form.is_valid(), form.errors
    services.submission_resubmit(actor=users["tksk"], submission=report, form=form)
    added.refresh_from_db()
    assert added.report == report and report.activity_entries.count() == 2


def test_one_report_per_month_unless_rejected(users):
    month = _previous_month()
    first = submit(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(month))
    form = kind_form(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(month))
    assert not form.is_valid()
    assert form.errors["period"][0].startswith("Laporan bulan ")
    assert "sudah dikirim" in form.errors["period"][0]
    review(first, users["admin"], "reject", "Isi laporan bukan bulan ini.")
    second = submit(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(month))
    assert second.status == Submission.Status.SUBMITTED


def test_a_future_month_is_refused(users):
    next_month = (timezone.localdate().replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
    form = kind_form(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(next_month))
    assert not form.is_valid()
    assert form.errors["period"] == ["Bulan tidak boleh di masa depan."]
    form = kind_form(
        users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(next_month) | {"period": "10/2026"}
    )
    assert form.errors["period"] == ["Isi bulan sebagai tahun-bulan, mis. 2026-10."]


def test_due_day_is_a_setting_and_late_reports_are_flagged(users, monkeypatch):
    settings_obj = selectors.fieldwork_settings()
    services.fieldwork_settings_update(
        actor=users["admin"],
        settings_obj=settings_obj,
        version=settings_obj.version,
        data={"monthly_report_due_day": 5},
    )
    october = datetime.date(2026, 10, 1)
    assert selectors.month_due_date(october) == datetime.date(2026, 11, 5)
    assert selectors.month_due_date(datetime.date(2026, 12, 1)) == datetime.date(2027, 1, 5)

    def at(day):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    at(datetime.date(2026, 11, 5))
    on_time = submit(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(october))
    at(datetime.date(2026, 11, 6))
    late = submit(users["tksk_b"], KIND_MONTHLY_REPORT, monthly_payload(october))
    assert on_time.due_date == datetime.date(2026, 11, 5) and not on_time.is_late
    assert late.is_late


def test_compliance_per_kecamatan_and_per_month(users, district_a, district_b, monkeypatch):
    a = assign(tksk_person(district_a, user=None), district_a, actor=users["admin"])
    assign(tksk_person(district_b), district_b, actor=users["admin"])
    assert a.start_date == datetime.date(2024, 1, 15)
    september = datetime.date(2026, 9, 1)
    moment = timezone.make_aware(datetime.datetime(2026, 10, 3, 9))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    submit(users["tksk"], KIND_MONTHLY_REPORT, monthly_payload(september))
    moment = timezone.make_aware(datetime.datetime(2026, 10, 20, 9))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 10, 20))

    compliance = selectors.monthly_report_compliance(user=users["admin"], period=september)
    states = {row.code: row.state for row in compliance["rows"]}
    assert states[district_a.code] == "on_time"
    assert states[district_b.code] == "overdue"  # a TKSK, no report after the 10th
    assert compliance["counts"] == {"on_time": 1, "overdue": 1, "no_tksk": 26}

    stats = {m.period: m for m in selectors.monthly_report_stats(user=users["admin"], year=2026)}
    assert (stats[september].expected, stats[september].received, stats[september].overdue) == (
        2,
        1,
        1,
    )
    assert stats[datetime.date(2026, 10, 1)].overdue == 0  # not due yet
    assert datetime.date(2026, 11, 1) not in stats


def test_activity_pages(client_for, users, village_a, village_b):
    client = client_for(users["tksk"])
    key = str(uuid.uuid4())
    response = client.post(
        "/lapangan/kegiatan/",
        {
            "client_key": key,
            "date": timezone.localdate().isoformat(),
            "activity_type": "verification",
            "village": village_b.code,
            "description": "Verifikasi data DTSEN",
            "people_served": "7",
        },
    )
    assert response.status_code == 200
    assert "di luar wilayah kerja Anda" in response.content.decode()
    response = client.post(
        "/lapangan/kegiatan/",
        {
            "client_key": key,
            "date": timezone.localdate().isoformat(),
            "activity_type": "verification",
            "village": village_a.code,
            "description": "Verifikasi data DTSEN",
            "people_served": "7",
        },
    )
    assert response.status_code == 302
    entry = ActivityEntry.objects.get()
    assert (
        client_for(users["tksk_b"]).post(f"/lapangan/kegiatan/{entry.pk}/hapus/").status_code == 404
    )
    html = client_for(users["tksk_b"]).get("/lapangan/kegiatan/").content.decode()
    assert "Verifikasi data DTSEN" not in html
    assert client.post(f"/lapangan/kegiatan/{entry.pk}/hapus/").status_code == 302
    assert not ActivityEntry.objects.exists()
