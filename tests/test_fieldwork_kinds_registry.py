"""The field forms that feed the registry and the programs: (a) new PPKS, (b) household
verification visit, (c) aid distribution monitoring. Each approval changes the registry or the
programs through their services and is traced to the submission."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.access import Role
from beneficiaries.demo import nik_for, no_kk_for
from beneficiaries.models import CategoryPlacement, Household, Person, Source
from fieldwork import selectors
from fieldwork.kinds import KIND_AID_MONITORING, KIND_NEW_PPKS, KIND_VERIFICATION_VISIT
from fieldwork.models import AppliedChange, Submission
from performance.sources import get_source
from programs.models import Disbursement, Enrollment

from .factories import make_user
from .factories.beneficiaries import HouseholdFactory, PersonFactory
from .factories.fieldwork import jpeg_bytes, kind_form, photo_upload, review, submit
from .factories.programs import make_program, make_stage, place

pytestmark = pytest.mark.django_db
DISTRICT_A = "36.02.14"
URL = "/api/v1/fieldwork/submissions/"


@pytest.fixture
def rehsos_head(regions):
    return make_user(Role.KEPALA_BIDANG, username="kabid.rehsos.k", bidang_code="rehsos")


def _today():
    return timezone.localdate().isoformat()


def _person_payload(village, **overrides):
    birth = datetime.date(1950, 4, 12)
    payload = {
        "found_on": _today(),
        "unit": "person",
        "category": "",
        "village": village.code,
        "nik": nik_for(village.district_id, birth, "L", 4321),
        "name": "Ahmad Sukarta",
        "sex": "L",
        "birth_place": "Lebak",
        "birth_date": birth.isoformat(),
        "address": "Kp. Cibeurih RT 002/003",
        "situation": "Tinggal sendiri, tidak ada keluarga yang merawat.",
    }
    payload.update(overrides)
    return payload


def _category_pk(code):
    from beneficiaries.models import PpksCategory

    return str(PpksCategory.objects.get(code=code).pk)


def _photos(name="photo"):
    return {name: [photo_upload()]}


# --- (a) New PPKS ------------------------------------------------------------------------------


def test_new_ppks_person_is_created_and_placed_on_approval(users, village_a, rehsos_head):
    payload = _person_payload(village_a, category=_category_pk("lanjut_usia_terlantar"))
    submission = submit(users["tksk"], KIND_NEW_PPKS, payload, files=_photos())
    assert submission.bidang.code == "rehsos" and submission.village_id == village_a.code
    assert not Person.objects.exists()  # nothing before approval
    review(submission, rehsos_head)
    person = Person.objects.get()
    assert person.nik == payload["nik"] and person.source == Source.TKSK
    assert person.district_id == DISTRICT_A and person.village_id == village_a.code
    placement = CategoryPlacement.objects.get()
    assert placement.person == person and placement.source == Source.TKSK
    assert placement.category.code == "lanjut_usia_terlantar"
    assert placement.identified_on == timezone.localdate()
    changes = AppliedChange.objects.filter(submission=submission).order_by("pk")
    assert [(c.action, c.target) for c in changes] == [
        ("created", person),
        ("created", placement),
    ]
    assert person.history.first().history_change_reason == (
        f"Formulir lapangan #{submission.pk} disetujui"
    )
    figure = selectors.ppks_identified_by_district(user=users["admin"])
    assert figure.available and figure.by_district == {DISTRICT_A: 1}


def test_new_ppks_household_finds_an_existing_household(users, village_a, rehsos_head):
    household = HouseholdFactory(village=village_a)
    payload = {
        "found_on": _today(),
        "unit": "household",
        "category": _category_pk("fakir_miskin"),
        "village": village_a.code,
        "no_kk": household.no_kk,
        "situation": "Rumah tidak layak huni, kepala keluarga tidak bekerja.",
    }
    submission = submit(users["tksk"], KIND_NEW_PPKS, payload, files=_photos())
    review(submission, rehsos_head)
    assert Household.objects.count() == 1  # found, not created again
    placement = CategoryPlacement.objects.get()
    assert placement.household == household and placement.source == Source.TKSK
    assert list(AppliedChange.objects.values_list("action", "object_id")) == [
        ("created", str(placement.pk))
    ]


def test_new_ppks_household_is_created_when_new(users, village_a, rehsos_head):
    no_kk = no_kk_for(DISTRICT_A, datetime.date(2016, 5, 2), 77)
    payload = {
        "found_on": _today(),
        "unit": "household",
        "category": _category_pk("fakir_miskin"),
        "village": village_a.code,
        "no_kk": no_kk,
        "address": "Kp. Pasir Tangkil",
        "rt": "2",
        "rw": "4",
        "situation": "Keluarga miskin baru pindah dari kota.",
    }
    review(submit(users["tksk"], KIND_NEW_PPKS, payload, files=_photos()), rehsos_head)
    household = Household.objects.get(no_kk=no_kk)
    assert household.source == Source.TKSK and (household.rt, household.rw) == ("002", "004")
    assert CategoryPlacement.objects.get().household == household
    assert AppliedChange.objects.count() == 2


def test_new_ppks_bad_input_names_the_field(users, village_a, village_b):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    form = kind_form(
        users["tksk"],
        KIND_NEW_PPKS,
        _person_payload(
            village_a,
            category=_category_pk("lanjut_usia_terlantar"),
            nik="1234",
            found_on=tomorrow,
        ),
        _photos(),
    )
    assert not form.is_valid()
    assert form.errors["found_on"][0].startswith("Tanggal ditemukan tidak boleh")
    assert "16" in form.errors["nik"][0]
    # Category rules of the registry: an old-age category for a young person; photo required.
    young = _person_payload(
        village_a,
        category=_category_pk("lanjut_usia_terlantar"),
        birth_date="2000-04-12",
        nik=nik_for(DISTRICT_A, datetime.date(2000, 4, 12), "L", 11),
    )
    form = kind_form(users["tksk"], KIND_NEW_PPKS, young)
    assert not form.is_valid()
    assert "Lanjut Usia Terlantar" in form.errors["category"][0]
    assert form.errors["photo"] == ["Foto: tambahkan foto."]
    # A person needs the identity fields; a household needs its No. KK.
    form = kind_form(
        users["tksk"],
        KIND_NEW_PPKS,
        _person_payload(village_a, category=_category_pk("pemulung"), name="", sex=""),
        _photos(),
    )
    assert not form.is_valid()
    assert form.errors["name"] == ["Nama: wajib diisi untuk perorangan."]
    form = kind_form(
        users["tksk"],
        KIND_NEW_PPKS,
        {**_person_payload(village_a, category=_category_pk("fakir_miskin")), "unit": "household"},
        _photos(),
    )
    assert not form.is_valid()
    assert form.errors["no_kk"] == ["No. KK: isi nomor kartu keluarga."]
    assert Submission.objects.count() == 0 and Person.objects.count() == 0


def test_new_ppks_outside_the_kecamatan_is_refused(users, village_a, village_b):
    payload = _person_payload(village_b, category=_category_pk("pemulung"))
    form = kind_form(users["tksk"], KIND_NEW_PPKS, payload, _photos())
    assert not form.is_valid()
    assert "di luar wilayah kerja Anda" in form.errors["village"][0]
    # A household of another kecamatan, by its No. KK.
    other = HouseholdFactory(village=village_b)
    form = kind_form(
        users["tksk"],
        KIND_NEW_PPKS,
        {
            "found_on": _today(),
            "unit": "household",
            "category": _category_pk("fakir_miskin"),
            "village": village_a.code,
            "no_kk": other.no_kk,
            "situation": "x",
        },
        _photos(),
    )
    assert not form.is_valid()
    assert form.errors["no_kk"][0].startswith("Data ini terdaftar di Kecamatan Malingping")
    assert Submission.objects.count() == 0


def test_new_ppks_already_open_is_refused(users, village_a):
    household = HouseholdFactory(village=village_a)
    place("fakir_miskin", household=household)
    form = kind_form(
        users["tksk"],
        KIND_NEW_PPKS,
        {
            "found_on": _today(),
            "unit": "household",
            "category": _category_pk("fakir_miskin"),
            "village": village_a.code,
            "no_kk": household.no_kk,
            "situation": "x",
        },
        _photos(),
    )
    assert not form.is_valid()
    assert "Fakir Miskin" in form.errors["category"][0]


def test_new_ppks_approval_by_a_role_that_may_not_add_changes_nothing(users, village_a):
    payload = _person_payload(village_a, category=_category_pk("pemulung"))
    submission = submit(users["tksk"], KIND_NEW_PPKS, payload, files=_photos())
    with pytest.raises(ValidationError) as caught:
        review(submission, users["kepala_dinas"])
    assert "Perubahan ditolak" in caught.value.messages[0]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert not Person.objects.exists() and not AppliedChange.objects.exists()


# --- (b) Verification visit --------------------------------------------------------------------


def _visit_payload(household, **overrides):
    payload = {
        "visit_date": _today(),
        "no_kk": household.no_kk,
        "finding": "found",
        "still_eligible": "yes",
        "latitude": "-6.351",
        "longitude": "106.251",
        "note": "",
    }
    payload.update(overrides)
    return payload


def test_verification_visit_updates_the_household(users, village_a):
    household = HouseholdFactory(village=village_a)
    PersonFactory(household=household, birth_date=datetime.date(1956, 2, 3))
    PersonFactory(
        household=household,
        relationship="pasangan",
        sex="P",
        birth_date=datetime.date(1961, 7, 8),
    )
    placement = place("fakir_miskin", household=household, status="teridentifikasi")
    wife = household.members.get(relationship="pasangan")
    death = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    payload = _visit_payload(
        household,
        deceased_nik=wife.nik,
        death_date=death,
        new_member_nik=nik_for(DISTRICT_A, datetime.date(2026, 1, 5), "P", 9),
        new_member_name="Bayi Uji",
        new_member_sex="P",
        new_member_birth_date="2026-01-05",
        new_member_relationship="cucu",
    )
    submission = submit(
        users["tksk"], KIND_VERIFICATION_VISIT, payload, files=_photos("house_photo")
    )
    assert submission.village_id == household.village_id and submission.bidang.code == "linjamsos"
    review(submission, users["kepala_bidang"])
    wife.refresh_from_db()
    placement.refresh_from_db()
    assert wife.deceased and wife.death_date.isoformat() == death
    assert placement.status == CategoryPlacement.Status.VERIFIED
    baby = Person.objects.get(name="Bayi Uji")
    assert baby.household == household and baby.source == Source.TKSK
    targets = {(c.action, c.target) for c in AppliedChange.objects.filter(submission=submission)}
    assert targets == {("updated", placement), ("updated", wife), ("created", baby)}
    assert selectors.verification_visits_by_district(user=users["admin"]).by_district == {
        DISTRICT_A: 1
    }
    quarter = (timezone.localdate().month - 1) // 3 + 1
    value = get_source("fieldwork.verification_visits").compute(timezone.localdate().year, quarter)
    assert value.value == Decimal(1)


def test_verification_visit_household_not_found(users, village_a):
    household = HouseholdFactory(village=village_a)
    submission = submit(
        users["tksk"],
        KIND_VERIFICATION_VISIT,
        _visit_payload(household, finding="moved", still_eligible=""),
        files=_photos("house_photo"),
    )
    review(submission, users["kepala_bidang"])
    household.refresh_from_db()
    assert household.status == Household.Status.MOVED
    change = AppliedChange.objects.get()
    assert change.target == household and "Pindah" in change.description


def test_verification_visit_bad_input_and_other_kecamatan(users, village_a, village_b):
    household = HouseholdFactory(village=village_a)
    other = HouseholdFactory(village=village_b)
    form = kind_form(
        users["tksk"],
        KIND_VERIFICATION_VISIT,
        _visit_payload(other),
        _photos("house_photo"),
    )
    assert not form.is_valid()
    assert form.errors["no_kk"][0].startswith("Data ini terdaftar di Kecamatan Malingping")
    form = kind_form(
        users["tksk"],
        KIND_VERIFICATION_VISIT,
        _visit_payload(
            household,
            still_eligible="",
            deceased_nik="3602140101800001",
            latitude="40",
        ),
    )
    assert not form.is_valid()
    assert form.errors["still_eligible"] == ["Sebutkan apakah keluarga ini masih layak."]
    assert form.errors["deceased_nik"] == ["Tidak ada anggota keluarga ini dengan NIK tersebut."]
    assert form.errors["death_date"] == ["Isi tanggal meninggal."]
    assert form.errors["latitude"] == ["Lintang berada di luar Indonesia."]
    assert form.errors["house_photo"] == ["Foto rumah: tambahkan foto."]
    assert Submission.objects.count() == 0


# --- (c) Aid distribution monitoring -----------------------------------------------------------


@pytest.fixture
def disbursement(village_a):
    program = make_program("UJI-M", bidang="linjamsos")
    year = timezone.localdate().year
    stage = make_stage(program, year, 1, planned_on=datetime.date(year, 1, 15))
    household = HouseholdFactory(village=village_a)
    enrollment = Enrollment.objects.create(
        program=program,
        household=household,
        district_id=household.district_id,
        village=household.village,
        start_date=datetime.date(year, 1, 1),
        status=Enrollment.Status.ACTIVE,
    )
    return Disbursement.objects.create(
        enrollment=enrollment,
        stage=stage,
        program=program,
        year=year,
        district_id=household.district_id,
        village=household.village,
        planned_amount=Decimal("300000"),
    )


def _monitoring_payload(disbursement, **overrides):
    payload = {
        "monitored_on": _today(),
        "program": str(disbursement.program_id),
        "year": disbursement.year,
        "stage_number": 1,
        "recipient_number": disbursement.enrollment.household.no_kk,
        "received": "no",
        "reason": "card",
        "note": "Kartu KKS terblokir.",
    }
    payload.update(overrides)
    return payload


def test_aid_monitoring_not_received_marks_the_disbursement_failed(users, disbursement):
    submission = submit(users["tksk"], KIND_AID_MONITORING, _monitoring_payload(disbursement))
    assert submission.bidang_id == disbursement.program.bidang_id
    review(submission, users["kepala_bidang"])
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.FAILED
    assert disbursement.reason == "Masalah kartu atau rekening: Kartu KKS terblokir."
    change = AppliedChange.objects.get()
    assert change.target == disbursement and change.submission == submission
    assert disbursement.history.first().history_change_reason.startswith("Formulir lapangan #")


def test_aid_monitoring_received_marks_it_paid(users, disbursement):
    payload = _monitoring_payload(
        disbursement, received="yes", received_on=_today(), channel="pos", reason="", note=""
    )
    review(submit(users["tksk"], KIND_AID_MONITORING, payload), users["kepala_bidang"])
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.PAID
    assert disbursement.paid_amount == Decimal("300000") and disbursement.channel == "pos"


def test_aid_monitoring_does_not_overwrite_a_recorded_payment(users, disbursement):
    Disbursement.objects.filter(pk=disbursement.pk).update(status=Disbursement.Status.PAID)
    review(
        submit(users["tksk"], KIND_AID_MONITORING, _monitoring_payload(disbursement)),
        users["kepala_bidang"],
    )
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.PAID
    assert "periksa" in AppliedChange.objects.get().description


def test_aid_monitoring_bad_input_and_other_kecamatan(users, disbursement, village_b):
    form = kind_form(
        users["tksk"],
        KIND_AID_MONITORING,
        _monitoring_payload(disbursement, stage_number=2, reason=""),
    )
    assert not form.is_valid()
    assert form.errors["reason"] == ["Alasan tidak diterima: pilih alasan."]
    assert form.errors["stage_number"][0].startswith("Tidak ada penyaluran tahap 2")
    form = kind_form(users["tksk_b"], KIND_AID_MONITORING, _monitoring_payload(disbursement))
    assert not form.is_valid()
    assert form.errors["recipient_number"][0].startswith(
        "Data ini terdaftar di Kecamatan Rangkasbitung"
    )
    assert Submission.objects.count() == 0


# --- The API: every kind, sent twice with the same key --------------------------------------------


def test_each_kind_through_the_api_is_idempotent(api_for, users, village_a, disbursement):
    client = api_for(users["tksk"])
    household = HouseholdFactory(village=village_a)
    PersonFactory(household=household)
    bodies = [
        (
            KIND_NEW_PPKS,
            _person_payload(village_a, category=_category_pk("pemulung")),
            "photo",
        ),
        (KIND_VERIFICATION_VISIT, _visit_payload(household), "house_photo"),
        (KIND_AID_MONITORING, _monitoring_payload(disbursement), "photos"),
    ]
    for kind, payload, photo_field in bodies:
        key = str(uuid.uuid4())
        data = {"kind": kind, "client_key": key, "payload": json.dumps(payload)}
        first = client.post(
            URL,
            {**data, photo_field: [SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")]},
            format="multipart",
        )
        assert first.status_code == 201, first.json()
        again = client.post(
            URL,
            {**data, photo_field: [SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")]},
            format="multipart",
        )
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Submission.objects.count() == 3
    bad = client.post(
        URL,
        {"kind": KIND_VERIFICATION_VISIT, "client_key": str(uuid.uuid4()), "payload": {}},
        format="json",
    )
    assert bad.status_code == 400 and "no_kk" in bad.json()["errors"]
    kinds = {k["code"] for k in client.get("/api/v1/fieldwork/kinds/").json()}
    assert {KIND_NEW_PPKS, KIND_VERIFICATION_VISIT, KIND_AID_MONITORING} <= kinds


def test_the_pages_offer_the_three_forms(client, users, village_a):
    client.force_login(users["tksk"])
    home = client.get("/lapangan/")
    assert home.status_code == 200
    for kind in (KIND_NEW_PPKS, KIND_VERIFICATION_VISIT, KIND_AID_MONITORING):
        assert f"/lapangan/formulir/{kind}/" in home.content.decode()
        page = client.get(f"/lapangan/formulir/{kind}/")
        assert page.status_code == 200 and page["X-Fieldwork-Offline"] == "1"
    body = client.get(f"/lapangan/formulir/{KIND_NEW_PPKS}/").content.decode()
    assert "Temuan PPKS baru" in body and village_a.name in body


def test_the_reviewer_sees_the_changes_on_the_submission(client, users, village_a, rehsos_head):
    payload = _person_payload(village_a, category=_category_pk("pemulung"))
    submission = submit(users["tksk"], KIND_NEW_PPKS, payload, files=_photos())
    review(submission, rehsos_head)
    client.force_login(rehsos_head)
    page = client.get(f"/lapangan/kiriman/{submission.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Dimasukkan ke kategori PPKS Pemulung." in body
    assert Person.objects.get().get_absolute_url() in body
