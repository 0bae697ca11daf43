"""TKSK assignments: one active TKSK per kecamatan (in the database too), history, decree and
period; the TKSK's account follows the assignment; the workload per kecamatan."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.access import Role
from fieldwork import extensions, selectors, services
from fieldwork.models import TkskAssignment
from regions.models import District

from .factories import make_user
from .factories.fieldwork import assign, tksk_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def tksk_account(district_b):
    # An account made for the TKSK of kecamatan B, who will be moved to A.
    return make_user(Role.TKSK, username="tksk.pindah", district=district_b)


def test_one_active_tksk_per_kecamatan_and_the_history(users, district_a):
    first = tksk_person(district_a, name="Ujang Hidayat")
    second = tksk_person(district_a, name="Asep Permana")
    a1 = assign(first, district_a, actor=users["operator"], start_date=datetime.date(2024, 1, 15))
    with pytest.raises(ValidationError) as error:
        assign(second, district_a, actor=users["operator"], start_date=datetime.date(2025, 7, 1))
    assert error.value.message_dict["district"] == [
        "Kecamatan Rangkasbitung sudah memiliki TKSK aktif: Ujang Hidayat (sejak 15 Januari "
        "2024). Akhiri dulu penugasan itu, atau pilih untuk mengakhirinya sekarang."
    ]
    a2 = assign(
        second,
        district_a,
        actor=users["operator"],
        start_date=datetime.date(2025, 7, 1),
        decree_number="12/SK/2025",
        end_current=True,
    )
    a1.refresh_from_db()
    assert a1.ended_on == datetime.date(2025, 6, 30)
    assert a1.end_reason == "Digantikan oleh Asep Permana (SK 12/SK/2025)"
    assert list(
        TkskAssignment.objects.filter(district=district_a)
        .order_by("start_date")
        .values_list("person__name", "ended_on")
    ) == [("Ujang Hidayat", datetime.date(2025, 6, 30)), ("Asep Permana", None)]
    assert a2.is_active and a1.history.count() == 2


def test_the_database_refuses_a_second_active_tksk(users, district_a):
    assign(tksk_person(district_a), district_a, actor=users["admin"])
    other = tksk_person(district_a, name="Orang Kedua")
    with pytest.raises(IntegrityError), transaction.atomic():
        TkskAssignment.objects.create(
            person=other,
            district=district_a,
            decree_number="x",
            decree_date=datetime.date(2024, 1, 1),
            start_date=datetime.date(2024, 2, 1),
        )


def test_a_person_is_active_in_one_kecamatan_only(users, district_a, district_b):
    person = tksk_person(district_a)
    assign(person, district_a, actor=users["admin"])
    with pytest.raises(ValidationError) as error:
        assign(person, district_b, actor=users["admin"])
    assert "masih menjadi TKSK aktif di Kecamatan Rangkasbitung" in str(error.value)


def test_no_future_start_and_only_tksk_people(users, district_a):
    person = tksk_person(district_a)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        assign(person, district_a, actor=users["admin"], start_date=tomorrow)
    assert "start_date" in error.value.message_dict
    from .factories.fieldwork import PsksPersonFactory

    psm = PsksPersonFactory(district=district_a, name="Bukan TKSK")
    with pytest.raises(ValidationError) as error:
        assign(psm, district_a, actor=users["admin"])
    assert error.value.message_dict["person"] == ["Bukan TKSK tidak terdaftar sebagai TKSK."]
    with pytest.raises(PermissionDenied):
        assign(person, district_a, actor=users["tksk"])
    with pytest.raises(PermissionDenied):
        assign(person, district_a, actor=users["auditor"])


def test_the_account_follows_the_assignment(users, district_a, district_b, tksk_account):
    person = tksk_person(district_b, user=tksk_account)
    assign(person, district_b, actor=users["admin"], start_date=datetime.date(2024, 1, 1))
    # Moved to kecamatan A: the old assignment ends, the new one starts, the account's scope
    # follows in the same transaction.
    old = person.assignments.get()
    services.tksk_assignment_end(
        actor=users["admin"],
        assignment=old,
        version=old.version,
        ended_on=datetime.date(2025, 1, 31),
        reason="Mutasi ke Rangkasbitung",
    )
    tksk_account.refresh_from_db()
    assert tksk_account.is_active is False  # no assignment, no access
    assign(person, district_a, actor=users["admin"], start_date=datetime.date(2025, 2, 1))
    tksk_account.refresh_from_db()
    person.refresh_from_db()
    assert tksk_account.is_active and tksk_account.district_id == district_a.code
    assert person.district_id == district_a.code
    assert tksk_account.history.first().history_user == users["admin"]
    assert selectors.tksk_account_mismatches() == [
        m for m in selectors.tksk_account_mismatches() if m.user != tksk_account
    ]


def test_a_failed_assignment_leaves_the_account_unchanged(users, district_a, tksk_account):
    person = tksk_person(district_a, user=tksk_account)
    assign(tksk_person(district_a, name="Sudah Ada"), district_a, actor=users["admin"])
    with pytest.raises(ValidationError):
        assign(person, district_a, actor=users["admin"])
    tksk_account.refresh_from_db()
    assert tksk_account.district_id == "36.02.01"


def test_ending_needs_a_reason_and_a_sane_date(users, district_a):
    assignment = assign(tksk_person(district_a), district_a, actor=users["admin"])
    with pytest.raises(ValidationError) as error:
        services.tksk_assignment_end(
            actor=users["admin"],
            assignment=assignment,
            version=assignment.version,
            ended_on=datetime.date(2023, 1, 1),
            reason=" ",
        )
    assert set(error.value.message_dict) == {"ended_on", "reason"}


def test_workload_flags_kecamatan_without_tksk_and_too_many_villages(users, district_a, district_b):
    assign(tksk_person(district_a), district_a, actor=users["admin"])
    assign(tksk_person(district_b), district_b, actor=users["admin"])
    workload = selectors.tksk_workload(user=users["admin"])
    rows = {row.district.code: row for row in workload.rows}
    villages_a = district_a.villages.count()
    assert rows[district_a.code].villages == villages_a
    assert workload.limit == 10
    assert rows[district_a.code].over_limit is (villages_a > 10)
    assert workload.summary["without_tksk"] == 26
    assert sum(1 for row in workload.rows if row.no_tksk) == 26
    # The limit is a setting.
    settings_obj = selectors.fieldwork_settings()
    services.fieldwork_settings_update(
        actor=users["admin"],
        settings_obj=settings_obj,
        version=settings_obj.version,
        data={"tksk_village_limit": 100},
    )
    assert selectors.tksk_workload(user=users["admin"]).summary["over_limit"] == 0
    # The columns other modules contribute: the registry and the programs are installed, so
    # none is missing and every row carries both.
    assert workload.missing_columns == []
    assert set(rows[district_a.code].extra) == {"registered_ppks", "active_recipients"}


def test_workload_takes_columns_from_other_modules(
    users, district_a, django_assert_max_num_queries, monkeypatch
):
    # Start from no contributed column, as in a deployment without registry and programs.
    monkeypatch.setattr(extensions, "_WORKLOAD_COLUMNS", {})
    assign(tksk_person(district_a), district_a, actor=users["admin"])
    calls = []

    def registered_ppks(codes):
        calls.append(list(codes))
        return {district_a.code: 1234}

    extensions.register_workload_column(
        extensions.WorkloadColumn(
            key=extensions.WORKLOAD_REGISTERED_PPKS, label="PPKS terdaftar", counts=registered_ppks
        )
    )
    selectors.fieldwork_settings()  # created on first use
    with django_assert_max_num_queries(3):
        workload = selectors.tksk_workload(user=users["admin"])
    rows = {row.district.code: row for row in workload.rows}
    assert rows[district_a.code].extra == {"registered_ppks": 1234}
    assert len(calls) == 1 and len(calls[0]) == 28  # one call for every kecamatan
    assert workload.summary["extra_totals"] == {"registered_ppks": 1234}
    assert [key for key, *_ in workload.missing_columns] == ["active_recipients"]


def test_assignment_pages(client_for, users, district_a):
    person = tksk_person(district_a, name="Yayan Sopian")
    client = client_for(users["operator"])
    response = client.post(
        "/lapangan/tksk/penugasan/tambah/",
        {
            "person": person.pk,
            "district": district_a.code,
            "decree_number": "65/SK/DIRK.01/D/2024",
            "decree_date": "2024-01-02",
            "start_date": "2024-01-15",
        },
    )
    assert response.status_code == 302
    assignment = TkskAssignment.objects.get()
    html = client.get("/lapangan/tksk/").content.decode()
    assert "Yayan Sopian" in html
    response = client.post(
        f"/lapangan/tksk/penugasan/{assignment.pk}/akhiri/",
        {"ended_on": "2025-01-01", "reason": "", "version": assignment.version},
    )
    assert response.status_code == 400
    assert "Tuliskan alasan penugasan berakhir." in response.content.decode()
    response = client.post(
        f"/lapangan/tksk/penugasan/{assignment.pk}/akhiri/",
        {"ended_on": "2025-01-01", "reason": "Mengundurkan diri", "version": assignment.version},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == datetime.date(2025, 1, 1)
    history = client.get(f"/lapangan/tksk/kecamatan/{district_a.code}/").content.decode()
    assert "Mengundurkan diri" in history
    assert client_for(users["tksk"]).get("/lapangan/tksk/penugasan/tambah/").status_code == 403
    # A year typed wrong once ended in a date overflow (a server error).
    response = client.post(
        "/lapangan/tksk/penugasan/tambah/",
        {
            "person": tksk_person(district_a, name="Asep Tahun").pk,
            "district": district_a.code,
            "decree_number": "1/SK/2025",
            "decree_date": "0001-01-01",
            "start_date": "0001-01-01",
            "end_current": "on",
        },
    )
    assert response.status_code in (200, 400)
    assert "di luar rentang 1900-2100: periksa tahunnya." in response.content.decode()
    assert District.objects.filter(code=district_a.code).exists()
