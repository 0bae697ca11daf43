"""Factories and helpers for field work: PSKS people and institutions, assignments, and field
forms sent and reviewed through the real services."""

from __future__ import annotations

import datetime
import io
import uuid

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from fieldwork import services
from fieldwork.kinds import (
    KIND_DISASTER,
    KIND_MONTHLY_REPORT,
    KIND_REFERRAL,
    KIND_REFERRAL_FOLLOWUP,
    get_kind,
)
from fieldwork.models import PsksInstitution, PsksKind, PsksPerson
from regions.models import Village


def kind_of(code: str) -> PsksKind:
    return PsksKind.objects.get(code=code)


class PsksPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PsksPerson

    kind = factory.LazyFunction(lambda: kind_of("psm"))
    name = factory.Sequence(lambda n: f"Relawan Uji {n}")
    sex = "L"
    district = None
    active = True


class PsksInstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PsksInstitution

    kind = factory.LazyFunction(lambda: kind_of("lks"))
    name = factory.Sequence(lambda n: f"LKS Uji {n}")
    district = factory.LazyAttribute(lambda o: o.village.district)
    village = None
    active = True


def tksk_person(district, *, user=None, name: str | None = None, certified_on=None):
    return PsksPersonFactory(
        kind=kind_of("tksk"),
        name=name or f"TKSK {district.name}",
        district=district,
        user=user,
        certified_on=certified_on,
        certification_body="LSP Kementerian Sosial RI" if certified_on else "",
    )


def assign(person, district, *, actor, start_date=None, **kwargs):
    return services.tksk_assign(
        actor=actor,
        person=person,
        district=district,
        decree_number=kwargs.pop("decree_number", "65/SK/DIRK.01/D/2024"),
        decree_date=kwargs.pop("decree_date", datetime.date(2024, 1, 2)),
        start_date=start_date or datetime.date(2024, 1, 15),
        **kwargs,
    )


# --- Field forms ---------------------------------------------------------------------------


def jpeg_bytes(size=(64, 48), color=(200, 40, 40), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def photo_upload(name="foto.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def disaster_payload(village: Village, **overrides) -> dict:
    payload = {
        "incident_date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "village": village.code,
        "location_detail": "Kp. Uji RT 01/02",
        "disaster_type": "banjir",
        "disaster_type_other": "",
        "description": "Luapan sungai setelah hujan deras semalam.",
        "households_affected": 4,
        "persons_affected": 15,
        "dead": 0,
        "missing": 0,
        "injured": 1,
        "displaced": 6,
        "infants": 2,
        "children": 3,
        "elderly": 2,
        "disabled": 0,
        "pregnant": 1,
        "houses_heavy": 1,
        "houses_moderate": 2,
        "houses_light": 1,
        "urgent_needs": ["food", "water"],
        "urgent_needs_note": "",
        "latitude": "",
        "longitude": "",
    }
    payload.update(overrides)
    return payload


def referral_payload(village: Village, **overrides) -> dict:
    payload = {
        "referral_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "village": village.code,
        "person_name": "Siti Aminah",
        "nik": "",
        "sex": "P",
        "age": 67,
        "address": "Kp. Uji RT 02/03",
        "situation": "Lansia tinggal sendiri, sakit menahun, tidak punya BPJS.",
        "ppks_category": "Lanjut Usia Terlantar",
        "service": "health",
        "service_other": "",
        "referred_to": "RSUD dr. Adjidarmo",
        "institution": "",
        "urgency": "urgent",
    }
    payload.update(overrides)
    return payload


def monthly_payload(period: datetime.date, **overrides) -> dict:
    payload = {
        "period": period.strftime("%Y-%m"),
        "summary_text": "Pendataan PPKS di tiga desa dan pendampingan penyaluran BPNT.",
        "problems": "Sinyal lemah di desa pegunungan.",
        "plans": "Verifikasi lanjutan.",
    }
    payload.update(overrides)
    return payload


def kind_form(user, kind_code: str, payload: dict, files=None, submission=None):
    kind = get_kind(kind_code)
    district = submission.district_id if submission else user.district_id
    existing = {}
    if submission is not None:
        for photo in submission.photos.filter(superseded=False):
            existing[photo.field] = existing.get(photo.field, 0) + 1
    return kind.form_class(
        payload,
        files or {},
        kind=kind,
        user=user,
        district_code=district,
        submission=submission,
        existing_photos=existing,
    )


def submit(user, kind_code: str, payload: dict, *, files=None, key=None):
    """Send a field form through the service; fails the test if the form is invalid."""
    form = kind_form(user, kind_code, payload, files)
    assert form.is_valid(), form.errors
    submission, _created = services.submission_create(
        actor=user, kind=get_kind(kind_code), form=form, client_key=key or uuid.uuid4()
    )
    return submission


def review(submission, actor, decision="approve", comment=""):
    submission.refresh_from_db()
    return services.submission_review(
        actor=actor,
        submission=submission,
        decision=decision,
        comment=comment,
        version=submission.version,
    )


def approved_disaster(user, reviewer, village, **overrides):
    submission = submit(user, KIND_DISASTER, disaster_payload(village, **overrides))
    review(submission, reviewer)
    submission.refresh_from_db()
    return submission.disaster_incident


def approved_referral(user, reviewer, village, **overrides):
    submission = submit(user, KIND_REFERRAL, referral_payload(village, **overrides))
    review(submission, reviewer)
    submission.refresh_from_db()
    return submission.referral


__all__ = [
    "KIND_DISASTER",
    "KIND_MONTHLY_REPORT",
    "KIND_REFERRAL",
    "KIND_REFERRAL_FOLLOWUP",
    "PsksInstitutionFactory",
    "PsksPersonFactory",
    "approved_disaster",
    "approved_referral",
    "assign",
    "disaster_payload",
    "jpeg_bytes",
    "kind_form",
    "monthly_payload",
    "photo_upload",
    "referral_payload",
    "review",
    "submit",
    "tksk_person",
]
