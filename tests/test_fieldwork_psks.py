"""The PSKS registry: the 12 kinds as data, people and institutions, and the per-kecamatan
recaps of the LKjIP (tables 3.12 and 3.13)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fieldwork import selectors, services
from fieldwork.models import PsksInstitution, PsksKind, PsksPerson, PsksService
from regions.models import Village

from .factories.fieldwork import (
    PsksInstitutionFactory,
    PsksPersonFactory,
    assign,
    kind_of,
    tksk_person,
)

pytestmark = pytest.mark.django_db


def test_the_twelve_kinds_are_seeded(regions):
    official = PsksKind.objects.filter(official=True)
    assert official.count() == 12
    assert set(official.values_list("code", flat=True)) == {
        "pekerja_sosial",
        "psm",
        "tagana",
        "lks",
        "karang_taruna",
        "lk3",
        "keluarga_pioner",
        "wksbm",
        "wpks",
        "penyuluh_sosial",
        "tksk",
        "dunia_usaha",
    }
    assert kind_of("lks").unit == "institution" and kind_of("lks").accreditable
    assert kind_of("psm").counts_as_volunteer
    assert PsksService.objects.filter(code="lanjut_usia").exists()


def test_office_adds_a_person_with_certification(users, district_a, village_a):
    data = {
        "kind": kind_of("psm"),
        "name": "Entin Rohmah",
        "nik": "3602145203850003",
        "sex": "P",
        "birth_date": None,
        "phone": "081311112222",
        "email": "",
        "address": "Kp. Baru",
        "district": district_a,
        "village": village_a,
        "position": "PSM Desa",
        "institution": None,
        "decree_number": "B-388/D.12/Kap.43-Dinasos/VIII/2024",
        "decree_date": datetime.date(2024, 8, 1),
        "certified_on": datetime.date(2025, 3, 1),
        "certification_body": "LSP Kementerian Sosial RI",
        "certificate_number": "LSP-123",
        "user": None,
        "active": True,
        "notes": "",
    }
    person = services.psks_person_create(actor=users["operator"], data=data)
    assert person.is_certified and person.history.count() == 1
    with pytest.raises(ValidationError) as error:
        services.psks_person_create(
            actor=users["operator"],
            data={**data, "village": Village.objects.exclude(district=district_a).first()},
        )
    assert error.value.message_dict["village"] == [
        "Desa/kelurahan ini tidak berada di kecamatan yang dipilih."
    ]
    with pytest.raises(ValidationError) as error:
        services.psks_person_create(
            actor=users["operator"], data={**data, "certification_body": "", "nik": ""}
        )
    assert "certification_body" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.psks_person_create(actor=users["tksk"], data=data)


def test_an_institution_is_accredited_only_with_its_period(users, village_a):
    base = {
        "kind": kind_of("lks"),
        "name": "LKS Bina Jaya",
        "district": village_a.district,
        "village": village_a,
        "address": "",
        "leader_name": "Hj. Rohmah",
        "phone": "",
        "email": "",
        "registration_number": "",
        "registered_on": None,
        "accreditation_grade": "B",
        "accreditation_number": "",
        "accredited_on": datetime.date(2021, 6, 1),
        "accreditation_valid_until": None,
        "residential": True,
        "capacity": 30,
        "members": None,
        "active": True,
        "notes": "",
    }
    with pytest.raises(ValidationError) as error:
        services.psks_institution_create(actor=users["operator"], data=base)
    assert error.value.message_dict["accreditation_valid_until"] == [
        "Isi sampai kapan akreditasi berlaku."
    ]
    with pytest.raises(ValidationError) as error:
        services.psks_institution_create(
            actor=users["operator"],
            data={
                **base,
                "kind": kind_of("karang_taruna"),
                "accreditation_valid_until": datetime.date(2026, 6, 1),
            },
        )
    assert error.value.message_dict["accreditation_grade"] == ["Hanya LKS yang dapat diakreditasi."]
    institution = services.psks_institution_create(
        actor=users["operator"],
        data={**base, "accreditation_valid_until": datetime.date(2026, 5, 31)},
        services=list(PsksService.objects.filter(code__in=["anak", "lanjut_usia"])),
    )
    assert institution.accreditation_state(datetime.date(2025, 12, 31)) == "valid"
    assert institution.accreditation_state(datetime.date(2026, 6, 1)) == "expired"
    assert set(institution.services.values_list("code", flat=True)) == {"anak", "lanjut_usia"}


def test_worker_recap_counts_tksk_and_volunteers_per_kecamatan(users, district_a, district_b):
    day = datetime.date(2025, 12, 31)
    certified = tksk_person(district_a, certified_on=datetime.date(2025, 2, 1))
    assign(certified, district_a, actor=users["admin"], start_date=datetime.date(2024, 3, 1))
    uncertified = tksk_person(district_b)
    assign(uncertified, district_b, actor=users["admin"], start_date=datetime.date(2024, 3, 1))
    for i in range(3):
        PsksPersonFactory(district=district_a, certified_on=day if i == 0 else None)
    PsksPersonFactory(district=district_a, active=False)
    PsksPersonFactory(district=district_a, kind=kind_of("tagana"))  # not a volunteer kind
    PsksPersonFactory(district=district_b)
    PsksPersonFactory(
        district=district_b, certified_on=datetime.date(2026, 1, 5)
    )  # certified after the date

    recap = selectors.psks_worker_recap(user=users["admin"], on=day)
    rows = {row.code: row for row in recap.rows}
    assert len(recap.rows) == 28
    a, b = rows[district_a.code], rows[district_b.code]
    assert (a.tksk, a.tksk_certified, a.volunteers, a.volunteers_certified) == (1, 1, 3, 1)
    assert (b.tksk, b.tksk_certified, b.volunteers, b.volunteers_certified) == (1, 0, 2, 0)
    assert recap.totals == {
        "tksk": 2,
        "tksk_certified": 1,
        "volunteers": 5,
        "volunteers_certified": 1,
    }
    # Before the assignments started there was no TKSK.
    early = selectors.psks_worker_recap(user=users["admin"], on=datetime.date(2024, 1, 1))
    assert early.totals["tksk"] == 0
    # A TKSK sees their own kecamatan only; an API client gets small counts suppressed.
    assert [r.code for r in selectors.psks_worker_recap(user=users["tksk"], on=day).rows] == [
        district_a.code
    ]
    api_rows = {
        r.code: r for r in selectors.psks_worker_recap(user=users["api_client"], on=day).rows
    }
    assert api_rows[district_a.code].volunteers is None


def test_lks_recap_counts_accreditation_on_the_date(users, village_a, village_b):
    day = datetime.date(2025, 12, 31)
    PsksInstitutionFactory(
        village=village_a,
        accreditation_grade="A",
        accredited_on=datetime.date(2023, 1, 1),
        accreditation_valid_until=datetime.date(2027, 12, 31),
    )
    PsksInstitutionFactory(
        village=village_a,
        accreditation_grade="C",
        accredited_on=datetime.date(2019, 1, 1),
        accreditation_valid_until=datetime.date(2024, 1, 1),
    )
    PsksInstitutionFactory(village=village_a)
    PsksInstitutionFactory(village=village_a, active=False)
    PsksInstitutionFactory(village=village_a, kind=kind_of("karang_taruna"))
    PsksInstitutionFactory(village=village_b)
    recap = selectors.lks_recap(user=users["kepala_dinas"], on=day)
    rows = {row.code: row for row in recap.rows}
    a = rows[village_a.district_id]
    assert (a.total, a.accredited, a.expired, a.never) == (3, 1, 1, 1)
    assert recap.totals == {"total": 4, "accredited": 1, "expired": 1, "never": 2}


def test_recaps_take_a_fixed_number_of_queries(users, district_a, django_assert_max_num_queries):
    for _ in range(20):
        PsksPersonFactory(district=district_a)
    with django_assert_max_num_queries(3):
        selectors.psks_worker_recap(user=users["admin"])
    with django_assert_max_num_queries(2):
        selectors.lks_recap(user=users["admin"])


def test_recap_page_and_api_show_the_same_figures(client_for, api_for, users, district_a):
    for _ in range(6):
        PsksPersonFactory(district=district_a)
    html = client_for(users["admin"]).get("/lapangan/psks/rekap/").content.decode()
    assert '<tr data-district="36.02.14"><td>' in html
    body = api_for(users["admin"]).get("/api/v1/fieldwork/stats/psks-workers/").json()
    row = next(r for r in body["rows"] if r["code"] == "36.02.14")
    assert row["volunteers"] == 6 and body["totals"]["volunteers"] == 6
    page_recap = client_for(users["admin"]).get("/lapangan/psks/rekap/").context["workers"]
    assert page_recap.totals == body["totals"]


def test_people_list_is_limited_to_the_tksk_kecamatan(client_for, users, district_a, district_b):
    PsksPersonFactory(district=district_a, name="Asep Kecamatan A")
    PsksPersonFactory(district=district_b, name="Dedi Kecamatan B")
    html = client_for(users["tksk"]).get("/lapangan/psks/orang/").content.decode()
    assert "Asep Kecamatan A" in html and "Dedi Kecamatan B" not in html
    # The head of office sees everyone, with names masked.
    html = client_for(users["kepala_dinas"]).get("/lapangan/psks/orang/").content.decode()
    assert "Asep Kecamatan A" not in html and "A\u2022\u2022\u2022 K\u2022\u2022\u2022" in html


def test_office_edits_a_person_on_the_page(client_for, users, district_a):
    person = PsksPersonFactory(district=district_a, name="Lilis Suryani")
    client = client_for(users["operator"])
    page = client.get(f"/lapangan/psks/orang/{person.pk}/ubah/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in form.initial.items()
    }
    data.update({"name": "Lilis Suryani Rahayu", "version": person.version, "active": "on"})
    response = client.post(f"/lapangan/psks/orang/{person.pk}/ubah/", data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.name == "Lilis Suryani Rahayu" and person.version == 2
    stale = client.post(f"/lapangan/psks/orang/{person.pk}/ubah/", {**data, "version": 1})
    assert stale.status_code == 409
    assert (
        client_for(users["tksk"]).get(f"/lapangan/psks/orang/{person.pk}/ubah/").status_code == 403
    )
    assert PsksPerson.objects.count() == 1 and PsksInstitution.objects.count() == 0
