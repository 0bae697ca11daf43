"""Field forms: validation with clear messages, the TKSK's own kecamatan, photos, the sending key
(a resend creates nothing), and the review workflow with its trace."""

import datetime
import io
import os
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.access import Role
from fieldwork import services
from fieldwork.kinds import KIND_DISASTER, KIND_REFERRAL, get_kind
from fieldwork.models import (
    AppliedChange,
    DisasterIncident,
    Submission,
    SubmissionEvent,
    SubmissionPhoto,
)

from .factories import make_user
from .factories.fieldwork import (
    disaster_payload,
    jpeg_bytes,
    kind_form,
    photo_upload,
    referral_payload,
    review,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def linjamsos_head(users):
    return users["kepala_bidang"]  # kepala bidang of Linjamsos, who reviews disaster reports


def _post_form(client, kind, data, files=None, key=None):
    body = {"client_key": str(key or uuid.uuid4()), **data}
    if files:
        body.update(files)
    return client.post(f"/lapangan/formulir/{kind}/", body)


# --- Validation ------------------------------------------------------------------------------


def test_a_valid_disaster_report_is_stored_with_its_trace(users, village_a):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.district_id == "36.02.14" and submission.village_id == village_a.code
    assert submission.bidang.code == "linjamsos"
    assert submission.payload["persons_affected"] == 15
    assert submission.payload["urgent_needs"] == ["food", "water"]
    assert "Banjir" in submission.summary and village_a.name in submission.summary
    event = submission.events.get()
    assert event.action == SubmissionEvent.Action.SUBMITTED and event.actor == users["tksk"]
    assert event.payload == submission.payload


def test_a_future_date_is_refused_with_a_clear_message(users, village_a):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    form = kind_form(
        users["tksk"], KIND_DISASTER, disaster_payload(village_a, incident_date=tomorrow)
    )
    assert not form.is_valid()
    (message,) = form.errors["incident_date"]
    assert message.startswith("Tanggal kejadian tidak boleh di masa depan (hari ini ")


def test_a_village_outside_the_kecamatan_is_refused_saying_where_it_is(users, village_b):
    form = kind_form(users["tksk"], KIND_DISASTER, disaster_payload(village_b))
    assert not form.is_valid()
    assert form.errors["village"] == [
        f"{village_b.name} berada di Kecamatan Malingping, di luar wilayah kerja Anda "
        "(Kecamatan Rangkasbitung)."
    ]


def test_rules_of_the_disaster_form(users, village_a):
    payload = disaster_payload(
        village_a,
        disaster_type="lainnya",
        disaster_type_other="",
        households_affected=10,
        persons_affected=8,
        elderly=9,
        latitude="-6.35",
        longitude="",
    )
    form = kind_form(users["tksk"], KIND_DISASTER, payload)
    assert not form.is_valid()
    assert form.errors["disaster_type_other"] == ["Sebutkan jenis bencananya."]
    assert form.errors["persons_affected"] == [
        "Jiwa terdampak tidak boleh lebih sedikit dari KK terdampak (10)."
    ]
    assert form.errors["elderly"] == [
        "Di antaranya: lanjut usia (60+) (9) tidak boleh lebih banyak dari jiwa terdampak (8)."
    ]
    assert form.errors["longitude"] == ["Isi lintang dan bujur sekaligus, atau kosongkan keduanya."]

    empty = disaster_payload(
        village_a,
        households_affected=0,
        persons_affected=0,
        injured=0,
        displaced=0,
        infants=0,
        children=0,
        elderly=0,
        pregnant=0,
        houses_heavy=0,
        houses_moderate=0,
        houses_light=0,
    )
    form = kind_form(users["tksk"], KIND_DISASTER, empty)
    assert not form.is_valid()
    assert form.non_field_errors() == ["Isi jumlah jiwa terdampak atau jumlah rumah rusak."]


def test_referral_nik_is_checked(users, village_a):
    form = kind_form(
        users["tksk"], KIND_REFERRAL, referral_payload(village_a, nik="3602143213850003")
    )
    assert not form.is_valid()
    assert "tanggal lahir" in form.errors["nik"][0]
    form = kind_form(users["tksk"], KIND_REFERRAL, referral_payload(village_a, nik="12345"))
    assert not form.is_valid() and form.errors["nik"] == ["NIK terdiri dari 16 angka."]
    form = kind_form(
        users["tksk"], KIND_REFERRAL, referral_payload(village_a, nik="3602145203850003")
    )
    assert form.is_valid(), form.errors


def test_the_page_keeps_what_was_typed_when_it_refuses(client_for, users, village_a):
    payload = disaster_payload(village_a, description="Air setinggi dada di Kp. Cisalak", dead="x")
    response = _post_form(client_for(users["tksk"]), KIND_DISASTER, payload)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Air setinggi dada di Kp. Cisalak" in html
    assert "Kp. Uji RT 01/02" in html
    assert f'value="{village_a.code}" selected' in html
    assert "Masukkan keseluruhan angka bilangan." in html
    assert Submission.objects.count() == 0


def test_only_a_tksk_fills_in_field_forms(client_for, users, village_a):
    response = _post_form(client_for(users["operator"]), KIND_DISASTER, disaster_payload(village_a))
    assert response.status_code == 403
    form = kind_form(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        services.submission_create(
            actor=users["operator"],
            kind=get_kind(KIND_DISASTER),
            form=form,
            client_key=uuid.uuid4(),
        )
    assert client_for(users["tksk"]).get("/lapangan/formulir/tidak-ada/").status_code == 404


# --- Photos ----------------------------------------------------------------------------------


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0110] = "Kamera Uji"  # model
    exif[0x8825] = {
        1: "S",
        2: (6.0, 21.0, 3.6),
        3: "E",
        4: (106.0, 15.0, 0.0),
    }
    return exif


def test_photos_are_reencoded_without_exif_and_keep_the_position_when_asked(users, village_a):
    upload = SimpleUploadedFile(
        "IMG_2001.jpg", jpeg_bytes(size=(3000, 2000), exif=_exif_with_gps()), "image/jpeg"
    )
    submission = submit(
        users["tksk"], KIND_DISASTER, disaster_payload(village_a), files={"photos": [upload]}
    )
    photo = submission.photos.get()
    assert (photo.width, photo.height) == (1600, 1067)
    assert photo.original_name == "IMG_2001.jpg"
    assert float(photo.latitude) == pytest.approx(-6.351, abs=1e-6)
    assert float(photo.longitude) == pytest.approx(106.25, abs=1e-6)
    stored = Image.open(photo.image.path)
    assert stored.format == "JPEG"
    assert not stored.getexif()  # no camera, no GPS, no time stamp in the file


def test_a_referral_photo_drops_the_position(users, village_a):
    upload = SimpleUploadedFile("rumah.jpg", jpeg_bytes(exif=_exif_with_gps()), "image/jpeg")
    submission = submit(
        users["tksk"], KIND_REFERRAL, referral_payload(village_a), files={"photos": [upload]}
    )
    photo = submission.photos.get()
    assert photo.latitude is None and photo.longitude is None
    assert not Image.open(photo.image.path).getexif()


def test_a_file_that_is_not_an_image_or_too_big_is_refused(users, village_a, settings):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a picture", "image/jpeg")
    form = kind_form(
        users["tksk"], KIND_DISASTER, disaster_payload(village_a), files={"photos": [fake]}
    )
    assert not form.is_valid()
    assert form.errors["photos"] == [
        "Foto kejadian: berkas foto.jpg bukan foto (gambar JPEG, PNG atau WebP)."
    ]
    from fieldwork.selectors import fieldwork_settings

    settings_obj = fieldwork_settings()
    settings_obj.photo_max_mb = 1
    settings_obj.save()
    noise = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(1000 * 1000 * 3)).save(noise, format="PNG")
    big = SimpleUploadedFile("besar.png", noise.getvalue(), "image/png")
    form = kind_form(
        users["tksk"], KIND_DISASTER, disaster_payload(village_a), files={"photos": [big]}
    )
    assert not form.is_valid()
    assert "melebihi batas 1 MB" in form.errors["photos"][0]
    too_many = [photo_upload(f"f{i}.jpg") for i in range(6)]
    form = kind_form(
        users["tksk"], KIND_DISASTER, disaster_payload(village_a), files={"photos": too_many}
    )
    assert not form.is_valid()
    assert form.errors["photos"] == ["Foto kejadian: paling banyak 5 foto."]


# --- Sending key (idempotency) ---------------------------------------------------------------


def test_a_resend_with_the_same_key_creates_nothing(client_for, users, village_a):
    client = client_for(users["tksk"])
    key = uuid.uuid4()
    first = _post_form(client, KIND_DISASTER, disaster_payload(village_a), key=key)
    assert first.status_code == 302
    submission = Submission.objects.get()
    assert first["Location"] == f"/lapangan/kiriman/{submission.pk}/"
    again = _post_form(client, KIND_DISASTER, disaster_payload(village_a), key=key)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Submission.objects.count() == 1
    assert SubmissionEvent.objects.count() == 1

    form = kind_form(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    assert form.is_valid()
    same, created = services.submission_create(
        actor=users["tksk"], kind=get_kind(KIND_DISASTER), form=form, client_key=key
    )
    assert same == submission and created is False


def test_the_key_is_per_sender(users, village_a, village_b):
    key = uuid.uuid4()
    submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a), key=key)
    submit(users["tksk_b"], KIND_DISASTER, disaster_payload(village_b), key=key)
    assert Submission.objects.count() == 2


# --- Review ----------------------------------------------------------------------------------


def test_return_needs_a_comment_then_resubmit_then_approve(users, village_a, linjamsos_head):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    with pytest.raises(ValidationError) as error:
        review(submission, linjamsos_head, "return", "  ")
    assert error.value.message_dict == {"comment": ["Tuliskan apa yang harus diperbaiki TKSK."]}
    review(submission, linjamsos_head, "return", "Jumlah KK belum sesuai data desa.")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    assert submission.review_comment == "Jumlah KK belum sesuai data desa."

    # The TKSK corrects it.
    form = kind_form(
        users["tksk"],
        KIND_DISASTER,
        disaster_payload(village_a, households_affected=5),
        submission=submission,
    )
    assert form.is_valid(), form.errors
    key = uuid.uuid4()
    services.submission_resubmit(
        actor=users["tksk"], submission=submission, form=form, client_key=key
    )
    # The same correction sent twice changes nothing.
    _same, changed = services.submission_resubmit(
        actor=users["tksk"], submission=submission, form=form, client_key=key
    )
    assert changed is False
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RESUBMITTED
    assert submission.payload["households_affected"] == 5

    review(submission, linjamsos_head, "approve")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.reviewed_by == linjamsos_head and submission.applied_at is not None
    steps = list(submission.events.values_list("action", "from_status", "to_status", "actor"))
    assert steps == [
        ("submitted", "", "submitted", users["tksk"].pk),
        ("returned", "submitted", "returned", linjamsos_head.pk),
        ("resubmitted", "returned", "resubmitted", users["tksk"].pk),
        ("approved", "resubmitted", "approved", linjamsos_head.pk),
    ]
    assert submission.events.get(action="returned").comment == "Jumlah KK belum sesuai data desa."
    assert submission.events.get(action="submitted").payload["households_affected"] == 4


def test_approval_records_the_incident_traced_to_its_submission(users, village_a, linjamsos_head):
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(exif=_exif_with_gps()), "image/jpeg")
    submission = submit(
        users["tksk"], KIND_DISASTER, disaster_payload(village_a), files={"photos": [upload]}
    )
    assert DisasterIncident.objects.count() == 0  # nothing changes before approval
    review(submission, linjamsos_head)
    incident = DisasterIncident.objects.get()
    assert incident.source_submission == submission
    assert (incident.persons_affected, incident.households_affected, incident.houses_damaged) == (
        15,
        4,
        4,
    )
    assert incident.urgent_needs == ["food", "water"]
    assert float(incident.latitude) == pytest.approx(-6.351)  # taken from the photo
    change = AppliedChange.objects.get(submission=submission)
    assert change.content_type == ContentType.objects.get_for_model(DisasterIncident)
    assert change.object_id == str(incident.pk) and change.action == "created"
    history = incident.history.get()
    assert history.history_change_reason == f"Formulir lapangan #{submission.pk} disetujui"
    assert history.history_user == linjamsos_head


def test_rejection_needs_a_reason_and_changes_nothing(users, village_a, linjamsos_head):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    with pytest.raises(ValidationError):
        review(submission, linjamsos_head, "reject", "")
    review(submission, linjamsos_head, "reject", "Laporan ganda dengan #12.")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED
    assert DisasterIncident.objects.count() == 0
    with pytest.raises(ValidationError):
        review(submission, linjamsos_head, "approve")  # reviewed already


def test_a_head_of_division_reviews_only_the_forms_of_their_bidang(users, village_a):
    referral = submit(users["tksk"], KIND_REFERRAL, referral_payload(village_a))
    assert referral.bidang.code == "rehsos"
    with pytest.raises(PermissionDenied):
        review(referral, users["kepala_bidang"])  # Linjamsos
    rehsos_head = make_user(Role.KEPALA_BIDANG, username="kabid.rehsos.t", bidang_code="rehsos")
    review(referral, rehsos_head)
    referral.refresh_from_db()
    assert referral.status == Submission.Status.APPROVED
    for role in ("operator", "auditor", "tksk"):
        other = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
        with pytest.raises(PermissionDenied):
            review(other, users[role])


def test_a_review_based_on_an_old_version_is_refused(users, village_a, linjamsos_head):
    from welfare.concurrency import ConcurrentUpdateError

    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    version = submission.version
    review(submission, users["admin"], "return", "Tambahkan foto.")
    with pytest.raises(ConcurrentUpdateError):
        services.submission_review(
            actor=linjamsos_head,
            submission=submission,
            decision="approve",
            comment="",
            version=version,
        )


def test_a_failing_apply_step_leaves_everything_as_it_was(users, village_a, linjamsos_head):
    from fieldwork.kinds import SubmissionKind, register_kind, unregister_kind

    kind = get_kind(KIND_DISASTER)

    def broken(submission, actor):
        services.disaster_incident_apply(submission, actor)
        raise ValidationError("Registri menolak perubahan.")

    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    unregister_kind(KIND_DISASTER)
    register_kind(SubmissionKind(**{**kind.__dict__, "apply": broken}))
    try:
        with pytest.raises(ValidationError):
            review(submission, linjamsos_head)
    finally:
        unregister_kind(KIND_DISASTER)
        register_kind(kind)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert DisasterIncident.objects.count() == 0 and AppliedChange.objects.count() == 0
    assert submission.events.count() == 1


def test_review_page_return_without_comment_keeps_the_form(client_for, users, village_a):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    client = client_for(users["kepala_bidang"])
    response = client.post(
        f"/lapangan/kiriman/{submission.pk}/tinjau/",
        {"decision": "return", "comment": "", "version": submission.version},
    )
    assert response.status_code == 400
    assert "Tuliskan apa yang harus diperbaiki TKSK." in response.content.decode()
    response = client.post(
        f"/lapangan/kiriman/{submission.pk}/tinjau/",
        {"decision": "approve", "comment": "", "version": submission.version},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED


def test_the_tksk_corrects_a_returned_form_on_the_page(client_for, users, village_a):
    submission = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    review(submission, users["admin"], "return", "Foto belum ada.")
    client = client_for(users["tksk"])
    page = client.get(f"/lapangan/kiriman/{submission.pk}/perbaiki/")
    html = page.content.decode()
    assert page.status_code == 200 and "Foto belum ada." in html
    assert "Luapan sungai setelah hujan deras semalam." in html  # the earlier content
    response = client.post(
        f"/lapangan/kiriman/{submission.pk}/perbaiki/",
        {
            "client_key": str(uuid.uuid4()),
            **disaster_payload(village_a),
            "photos": [photo_upload("baru.jpg")],
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RESUBMITTED
    assert SubmissionPhoto.objects.filter(submission=submission).count() == 1
    # Another TKSK cannot open it; a form that is not returned cannot be corrected.
    assert (
        client_for(users["tksk_b"]).get(f"/lapangan/kiriman/{submission.pk}/perbaiki/").status_code
        == 404
    )
    again = client.get(f"/lapangan/kiriman/{submission.pk}/perbaiki/")
    assert again.status_code == 302


def test_detail_masks_personal_content_for_the_head_of_office(client_for, users, village_a):
    submission = submit(users["tksk"], KIND_REFERRAL, referral_payload(village_a))
    full = client_for(users["admin"]).get(f"/lapangan/kiriman/{submission.pk}/").content.decode()
    assert "Siti Aminah" in full
    masked = client_for(users["kepala_dinas"]).get(f"/lapangan/kiriman/{submission.pk}/")
    assert masked.status_code == 200
    assert "Siti Aminah" not in masked.content.decode()


def test_inbox_filters_and_counts(client_for, users, village_a, village_b, linjamsos_head):
    a1 = submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    submit(users["tksk"], KIND_REFERRAL, referral_payload(village_a))
    b1 = submit(users["tksk_b"], KIND_DISASTER, disaster_payload(village_b))
    review(a1, linjamsos_head, "return", "Perbaiki.")
    review(b1, linjamsos_head)
    client = client_for(users["admin"])
    response = client.get("/lapangan/kotak-masuk/")
    counts = response.context["counts"]
    assert counts.awaiting == 1 and counts.by_status == {
        "returned": 1,
        "submitted": 1,
        "approved": 1,
    }
    assert [s.kind for s in response.context["page"]] == [KIND_REFERRAL]
    response = client.get("/lapangan/kotak-masuk/?status=&district=36.02.01")
    assert [s.pk for s in response.context["page"]] == [b1.pk]
    assert response.context["counts"].total == 1
    response = client.get(f"/lapangan/kotak-masuk/?status=returned&kind={KIND_DISASTER}")
    assert [s.pk for s in response.context["page"]] == [a1.pk]


def test_inbox_queries_do_not_grow_with_the_rows(
    client_for, users, village_a, django_assert_max_num_queries
):
    for _ in range(12):
        submit(users["tksk"], KIND_DISASTER, disaster_payload(village_a))
    client = client_for(users["admin"])
    with django_assert_max_num_queries(14):
        assert client.get("/lapangan/kotak-masuk/").status_code == 200
