"""Permission-matrix samples of field work (see permission_matrix.py).

Data of kecamatan B (Malingping) made by the TKSK of B; TKSK A (Rangkasbitung) must reach none
of it. List pages carry a marker: a text of B's data that A's list must not show."""

import datetime
import uuid

from django.utils import timezone

from fieldwork import services
from fieldwork.kinds import KIND_DISASTER, KIND_REFERRAL
from fieldwork.models import ActivityEntry, PsksPerson, TkskAssignment

from .factories.fieldwork import (
    PsksInstitutionFactory,
    PsksPersonFactory,
    assign,
    disaster_payload,
    kind_of,
    photo_upload,
    referral_payload,
    review,
    submit,
    tksk_person,
)
from .permission_matrix import Sample, sample

MARKER_SUMMARY_TYPE = "Angin Matriks Beta"
TKSK_B_NAME = "Matriks Tkskbeta"
REFERRAL_B_NAME = "Matriks Rujukanbeta"
PERSON_B_NAME = "Matriks Orangbeta"
PERSON_B_NIK = "3602014107850002"
INSTITUTION_B_NAME = "LKS Matriks Beta"


def _submission_b(ctx, **overrides):
    payload = disaster_payload(
        ctx.village_b,
        disaster_type="lainnya",
        disaster_type_other=MARKER_SUMMARY_TYPE,
        **overrides,
    )
    return submit(ctx.users["tksk_b"], KIND_DISASTER, payload, files={"photos": [photo_upload()]})


@sample(
    "fieldwork:submission_detail",
    "fieldwork:submission_edit",
    "fieldwork:submission_review",
    "api:fieldwork-submission-detail",
    "api:fieldwork-submission-resubmit",
    "api:fieldwork-submission-review",
)
def submission_of_b(ctx):
    submission = _submission_b(ctx)
    review(submission, ctx.users["admin"], "return", "Lengkapi jumlah korban.")
    return Sample(kwargs={"pk": submission.pk}, scoped=True, personal=[MARKER_SUMMARY_TYPE])


@sample("fieldwork:submission_photo")
def photo_of_b(ctx):
    submission = _submission_b(ctx)
    return Sample(kwargs={"pk": submission.photos.get().pk}, scoped=True)


@sample("fieldwork:inbox", "fieldwork:my_submissions")
def submissions_list(ctx):
    _submission_b(ctx)
    return Sample(scoped=True, marker=MARKER_SUMMARY_TYPE)


def _entry_b(ctx):
    entry, _created = services.activity_entry_create(
        actor=ctx.users["tksk_b"],
        client_key=uuid.uuid4(),
        date=timezone.localdate(),
        activity_type="outreach",
        description="Sosialisasi matriks beta",
        village=ctx.village_b,
    )
    return entry


@sample("fieldwork:activity_delete", "api:fieldwork-activity-detail")
def activity_of_b(ctx):
    return Sample(kwargs={"pk": _entry_b(ctx).pk}, scoped=True)


@sample("fieldwork:activity_photo")
def activity_photo_of_b(ctx):
    from fieldwork.photos import process_photo

    entry = _entry_b(ctx)
    photo = process_photo(photo_upload(), max_bytes=10**7, keep_location=False, label="Foto")
    entry.photo.save("b.jpg", photo.content)
    assert ActivityEntry.objects.filter(pk=entry.pk).exclude(photo="").exists()
    return Sample(kwargs={"pk": entry.pk}, scoped=True)


@sample("fieldwork:incident_detail", "api:fieldwork-incident-detail")
def incident_of_b(ctx):
    submission = _submission_b(ctx)
    review(submission, ctx.users["admin"])
    submission.refresh_from_db()
    return Sample(kwargs={"pk": submission.disaster_incident.pk}, scoped=True)


@sample("fieldwork:incident_list")
def incident_list(ctx):
    submission = _submission_b(ctx)
    review(submission, ctx.users["admin"])
    return Sample(scoped=True, marker=MARKER_SUMMARY_TYPE)


def _referral_b(ctx):
    submission = submit(
        ctx.users["tksk_b"],
        KIND_REFERRAL,
        referral_payload(ctx.village_b, person_name=REFERRAL_B_NAME),
    )
    review(submission, ctx.users["admin"])
    submission.refresh_from_db()
    return submission.referral


@sample("fieldwork:referral_detail", "api:fieldwork-referral-detail")
def referral_of_b(ctx):
    return Sample(kwargs={"pk": _referral_b(ctx).pk}, scoped=True, personal=[REFERRAL_B_NAME])


@sample("fieldwork:referral_list", "api:fieldwork-referral-list")
def referral_list(ctx):
    _referral_b(ctx)
    return Sample(scoped=True, marker=REFERRAL_B_NAME, personal=[REFERRAL_B_NAME])


def _person_b(ctx):
    existing = PsksPerson.objects.filter(nik=PERSON_B_NIK).first()
    if existing is not None:  # the matrix resolves a sample once per role
        return existing
    return PsksPersonFactory(
        name=PERSON_B_NAME,
        nik=PERSON_B_NIK,
        district=ctx.district_b,
        village=ctx.village_b,
        phone="081234500099",
    )


@sample(
    "fieldwork:psks_person_detail",
    "fieldwork:psks_person_edit",
    "api:fieldwork-psks-person-detail",
)
def person_of_b(ctx):
    return Sample(
        kwargs={"pk": _person_b(ctx).pk},
        scoped=True,
        personal=[PERSON_B_NAME, PERSON_B_NIK, "081234500099"],
    )


@sample("fieldwork:psks_people", "api:fieldwork-psks-person-list")
def people_list(ctx):
    _person_b(ctx)
    return Sample(scoped=True, marker=PERSON_B_NAME, personal=[PERSON_B_NAME, PERSON_B_NIK])


def _institution_b(ctx):
    return PsksInstitutionFactory(
        name=INSTITUTION_B_NAME,
        village=ctx.village_b,
        leader_name="Matriks Ketuabeta",
        phone="081299900011",
    )


@sample(
    "fieldwork:psks_institution_detail",
    "fieldwork:psks_institution_edit",
    "api:fieldwork-psks-institution-detail",
)
def institution_of_b(ctx):
    return Sample(
        kwargs={"pk": _institution_b(ctx).pk},
        scoped=True,
        personal=["Matriks Ketuabeta", "081299900011"],
    )


@sample("fieldwork:psks_institutions", "api:fieldwork-psks-institution-list")
def institutions_list(ctx):
    _institution_b(ctx)
    return Sample(scoped=True, marker=INSTITUTION_B_NAME, personal=["Matriks Ketuabeta"])


@sample("api:fieldwork-psks-kind-detail")
def psks_kind(ctx):
    return Sample(kwargs={"code": "psm"})


def _assignment_b(ctx):
    existing = TkskAssignment.objects.filter(district=ctx.district_b, ended_on=None).first()
    if existing is not None:
        return existing
    person = tksk_person(ctx.district_b, name=TKSK_B_NAME, certified_on=datetime.date(2024, 5, 1))
    return assign(person, ctx.district_b, actor=ctx.users["admin"])


@sample(
    "fieldwork:assignment_detail",
    "fieldwork:assignment_end",
    "api:fieldwork-assignment-detail",
)
def assignment_of_b(ctx):
    return Sample(kwargs={"pk": _assignment_b(ctx).pk}, scoped=True, personal=[TKSK_B_NAME])


@sample("fieldwork:district_assignments")
def district_b_assignments(ctx):
    _assignment_b(ctx)
    return Sample(kwargs={"code": ctx.district_b.code}, scoped=True, marker=TKSK_B_NAME)


@sample(
    "fieldwork:tksk_workload",
    "fieldwork:monthly_reports",
    "api:fieldwork-assignment-list",
)
def workload(ctx):
    _assignment_b(ctx)
    return Sample(scoped=True, marker=TKSK_B_NAME, personal=[TKSK_B_NAME])


@sample(
    "fieldwork:psks_recap",
    "fieldwork:disaster_recap",
    "api:fieldwork-stats-workers",
    "api:fieldwork-stats-lks",
    "api:fieldwork-stats-workload",
    "api:fieldwork-stats-disaster-victims",
    "api:fieldwork-stats-referrals",
)
def stats_of_b(ctx):
    _assignment_b(ctx)
    _institution_b(ctx)
    submission = _submission_b(ctx)
    review(submission, ctx.users["admin"])
    # Statistics list the kecamatan a user may see: TKSK A never sees B's row.
    return Sample(scoped=True, marker=ctx.district_b.name)


@sample("fieldwork:form")
def form_page(ctx):
    return Sample(kwargs={"kind": KIND_DISASTER})


__all__ = ["kind_of"]
