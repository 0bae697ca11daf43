"""Every write of field work, with its rules. One transaction per user action.

Access: the role permission is checked with ``accounts.access.require``; a write that targets a
kecamatan calls ``check_district`` (a TKSK only writes for their own kecamatan); reviews go
through ``restrict(..., Action.APPROVE)`` so that a head of division reviews the forms routed to
their bidang. The PSKS registry and the TKSK assignments are kept by the office: a TKSK reads
them (``_refuse_tksk``).

The TKSK's account follows the assignment: ``tksk_assign`` and ``tksk_assignment_end`` set the
linked account's kecamatan (``User.district``, the access scope) and whether it may log in, in
the same transaction as the assignment (``accounts.services.tksk_scope_set``).
"""

from __future__ import annotations

import calendar
import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    Action,
    Domain,
    check_district,
    is_tksk,
    require,
    restrict,
    user_district_code,
)
from accounts.models import Bidang
from accounts.services import tksk_scope_set
from regions.models import District
from welfare.concurrency import check_version
from welfare.formatting import format_date

from .kinds import SubmissionKind, get_kind
from .models import (
    TKSK_KIND,
    ActivityEntry,
    AppliedChange,
    DisasterIncident,
    FieldworkSettings,
    PsksInstitution,
    PsksPerson,
    Referral,
    ReferralFollowUp,
    Submission,
    SubmissionEvent,
    SubmissionPhoto,
    TkskAssignment,
)
from .photos import ProcessedPhoto


def _refuse_tksk(actor) -> None:
    if is_tksk(actor):
        raise PermissionDenied(
            _("The PSKS registry and the TKSK assignments are kept by the office.")
        )


def _save(instance: models.Model, actor, reason: str | None = None) -> None:
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    instance.save()


# --- Settings -------------------------------------------------------------------------------


@transaction.atomic
def fieldwork_settings_update(
    *, actor, settings_obj: FieldworkSettings, version: int | None, data: dict[str, Any]
) -> FieldworkSettings:
    require(actor, Domain.FIELDWORK, Action.CHANGE)
    _refuse_tksk(actor)
    check_version(settings_obj, version)
    for name in ("tksk_village_limit", "monthly_report_due_day", "photo_max_mb"):
        if name in data:
            setattr(settings_obj, name, data[name])
    _save(settings_obj, actor)
    return settings_obj


# --- PSKS registry --------------------------------------------------------------------------

PERSON_FIELDS = (
    "kind",
    "name",
    "nik",
    "sex",
    "birth_date",
    "phone",
    "email",
    "address",
    "district",
    "village",
    "position",
    "institution",
    "decree_number",
    "decree_date",
    "certified_on",
    "certification_body",
    "certificate_number",
    "user",
    "active",
    "notes",
)
INSTITUTION_FIELDS = (
    "kind",
    "name",
    "district",
    "village",
    "address",
    "leader_name",
    "phone",
    "email",
    "registration_number",
    "registered_on",
    "accreditation_grade",
    "accreditation_number",
    "accredited_on",
    "accreditation_valid_until",
    "residential",
    "capacity",
    "members",
    "active",
    "notes",
)


def _set_fields(instance, allowed: tuple[str, ...], data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in allowed:
            raise ValueError(f"unknown field {name!r}")
        setattr(instance, name, value)


def _check_person_account(person: PsksPerson) -> None:
    from accounts.access import Role

    if person.user_id is None:
        return
    if person.kind.code != TKSK_KIND:
        raise ValidationError({"user": _("Only a TKSK has a user account linked here.")})
    if person.user.role != Role.TKSK:
        raise ValidationError({"user": _("The linked account is not a TKSK account.")})


def _sync_account(person: PsksPerson, actor) -> None:
    """Bring the person's account in step with their active assignment."""
    if person.user_id is None:
        return
    active = person.assignments.filter(ended_on__isnull=True).select_related("district").first()
    if active is not None:
        tksk_scope_set(actor=actor, user=person.user, district=active.district, is_active=True)


@transaction.atomic
def psks_person_create(*, actor, data: dict[str, Any]) -> PsksPerson:
    require(actor, Domain.FIELDWORK, Action.ADD)
    _refuse_tksk(actor)
    person = PsksPerson()
    _set_fields(person, PERSON_FIELDS, data)
    _check_person_account(person)
    _save(person, actor)
    _sync_account(person, actor)
    return person


@transaction.atomic
def psks_person_update(
    *, actor, person: PsksPerson, version: int | None, data: dict[str, Any]
) -> PsksPerson:
    require(actor, Domain.FIELDWORK, Action.CHANGE)
    _refuse_tksk(actor)
    check_version(person, version)
    old_user_id = person.user_id
    _set_fields(person, PERSON_FIELDS, data)
    _check_person_account(person)
    active = person.assignments.filter(ended_on__isnull=True).first()
    if active is not None and person.district_id != active.district_id:
        raise ValidationError(
            {
                "district": _(
                    "This TKSK is assigned to Kecamatan %(district)s: change the assignment, "
                    "not the kecamatan."
                )
                % {"district": active.district.name}
            }
        )
    _save(person, actor)
    if person.user_id and person.user_id != old_user_id:
        _sync_account(person, actor)
    return person


@transaction.atomic
def psks_institution_create(
    *, actor, data: dict[str, Any], services: list | None = None
) -> PsksInstitution:
    require(actor, Domain.FIELDWORK, Action.ADD)
    _refuse_tksk(actor)
    institution = PsksInstitution()
    _set_fields(institution, INSTITUTION_FIELDS, data)
    _save(institution, actor)
    if services is not None:
        institution.services.set(services)
    return institution


@transaction.atomic
def psks_institution_update(
    *,
    actor,
    institution: PsksInstitution,
    version: int | None,
    data: dict[str, Any],
    services: list | None = None,
) -> PsksInstitution:
    require(actor, Domain.FIELDWORK, Action.CHANGE)
    _refuse_tksk(actor)
    check_version(institution, version)
    _set_fields(institution, INSTITUTION_FIELDS, data)
    _save(institution, actor)
    if services is not None:
        institution.services.set(services)
    return institution


# --- TKSK assignments -----------------------------------------------------------------------


def _end_assignment(assignment: TkskAssignment, *, actor, ended_on, reason: str) -> None:
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    _save(assignment, actor)
    user = assignment.person.user
    if user is not None and user.district_id == assignment.district_id:
        # No assignment, no working area: the account stops working until a new one.
        tksk_scope_set(actor=actor, user=user, district=user.district, is_active=False)


@transaction.atomic
def tksk_assign(
    *,
    actor,
    person: PsksPerson,
    district: District,
    decree_number: str,
    decree_date: datetime.date,
    start_date: datetime.date,
    period_end: datetime.date | None = None,
    end_current: bool = False,
) -> TkskAssignment:
    """Place a TKSK in a kecamatan. The kecamatan's current TKSK, if any, is refused unless
    ``end_current`` (then that assignment ends the day before). The person's account takes
    the kecamatan as its scope in this transaction."""
    require(actor, Domain.FIELDWORK, Action.ADD)
    _refuse_tksk(actor)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if person.kind.code != TKSK_KIND:
        errors["person"] = _("%(name)s is not registered as a TKSK.") % {"name": person.name}
    elif not person.active:
        errors["person"] = _("%(name)s is not active.") % {"name": person.name}
    if start_date > today:
        errors["start_date"] = _(
            "The start cannot be in the future: record the assignment when it starts."
        )
    if decree_date > today:
        errors["decree_date"] = _("The date cannot be in the future.")
    if period_end and period_end < start_date:
        errors["period_end"] = _("The period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)

    # Serialise assignments of this kecamatan; the partial unique index is the last guard.
    District.objects.select_for_update().filter(code=district.code).first()
    current = (
        TkskAssignment.objects.select_for_update()
        .filter(district=district, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError(
                {
                    "person": _("%(name)s is already the active TKSK of this kecamatan.")
                    % {"name": person.name}
                }
            )
        if not end_current:
            raise ValidationError(
                {
                    "district": _(
                        "Kecamatan %(district)s already has an active TKSK: %(name)s (since "
                        "%(date)s). End that assignment first, or choose to end it now."
                    )
                    % {
                        "district": district.name,
                        "name": current.person.name,
                        "date": format_date(current.start_date),
                    }
                }
            )
        ended_on = max(current.start_date, start_date - datetime.timedelta(days=1))
        current.version += 1
        _end_assignment(
            current,
            actor=actor,
            ended_on=ended_on,
            reason=_("Replaced by %(name)s (SK %(number)s)")
            % {"name": person.name, "number": decree_number},
        )
    own = (
        TkskAssignment.objects.select_for_update()
        .filter(person=person, ended_on__isnull=True)
        .first()
    )
    if own is not None:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s is still the active TKSK of Kecamatan %(district)s: end that "
                    "assignment first."
                )
                % {"name": person.name, "district": own.district.name}
            }
        )
    assignment = TkskAssignment(
        person=person,
        district=district,
        decree_number=decree_number,
        decree_date=decree_date,
        start_date=start_date,
        period_end=period_end,
    )
    assignment._history_user = actor
    try:
        with transaction.atomic():
            assignment.full_clean(validate_constraints=False)
            assignment.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "district": _("Kecamatan %(district)s already has an active TKSK.")
                % {"district": district.name}
            }
        ) from exc
    if person.district_id != district.code:
        person.district = district
        if person.village_id and not person.village_id.startswith(district.code + "."):
            person.village = None
        person.version += 1
        _save(person, actor)
    if person.user_id:
        tksk_scope_set(actor=actor, user=person.user, district=district, is_active=True)
    return assignment


@transaction.atomic
def tksk_assignment_end(
    *, actor, assignment: TkskAssignment, version: int | None, ended_on, reason: str
) -> TkskAssignment:
    require(actor, Domain.FIELDWORK, Action.CHANGE)
    _refuse_tksk(actor)
    check_version(assignment, version)
    errors = {}
    if assignment.ended_on is not None:
        raise ValidationError(_("This assignment has already ended."))
    if ended_on < assignment.start_date:
        errors["ended_on"] = _("The assignment cannot end before it started (%(date)s).") % {
            "date": format_date(assignment.start_date)
        }
    if ended_on > timezone.localdate():
        errors["ended_on"] = _("The date cannot be in the future.")
    if not reason.strip():
        errors["reason"] = _("Say why the assignment ends.")
    if errors:
        raise ValidationError(errors)
    _end_assignment(assignment, actor=actor, ended_on=ended_on, reason=reason.strip())
    return assignment


# --- Submissions ----------------------------------------------------------------------------


def _add_photos(submission: Submission, photos: dict[str, list[ProcessedPhoto]]) -> None:
    for field, items in photos.items():
        if not items:
            continue
        submission.photos.filter(field=field, superseded=False).update(superseded=True)
        for photo in items:
            record = SubmissionPhoto(
                submission=submission,
                field=field,
                width=photo.width,
                height=photo.height,
                size=photo.size,
                original_name=photo.original_name,
                latitude=photo.latitude,
                longitude=photo.longitude,
            )
            record.image.save(f"{uuid.uuid4().hex}.jpg", photo.content, save=False)
            record.save()


def _event(submission, *, action, from_status, actor, comment="", payload=None, client_key=None):
    return SubmissionEvent.objects.create(
        submission=submission,
        action=action,
        from_status=from_status,
        to_status=submission.status,
        actor=actor,
        comment=comment,
        payload=payload,
        client_key=client_key,
    )


def submission_by_key(*, actor, client_key) -> Submission | None:
    """The submission this user already sent with this key (a resend), if any."""
    try:
        key = uuid.UUID(str(client_key))
    except (TypeError, ValueError):
        return None
    return Submission.objects.filter(submitted_by=actor, client_key=key).first()


def _require_field_worker(actor) -> str:
    require(actor, Domain.FIELDWORK, Action.ADD)
    district_code = user_district_code(actor)
    if not district_code:
        raise PermissionDenied(
            _("Field forms are sent by a TKSK for the kecamatan they are assigned to.")
        )
    return district_code


def _fill_from_form(submission: Submission, kind: SubmissionKind, form) -> None:
    submission.payload = form.to_payload()
    submission.summary = form.summary()[:300]
    submission.event_date = form.event_date()
    if kind.periodic:
        submission.event_date = form.period()
        submission.period = form.period()
    village = form.village()
    submission.village = village
    submission.district_id = village.district_id if village else submission.district_id


@transaction.atomic
def submission_create(
    *,
    actor,
    kind: SubmissionKind,
    form,
    client_key,
    client_created_at: datetime.datetime | None = None,
) -> tuple[Submission, bool]:
    """Store a validated field form. Returns (submission, created); a resend with a key this
    user already used returns the first submission and creates nothing."""
    district_code = _require_field_worker(actor)
    key = uuid.UUID(str(client_key))
    existing = Submission.objects.filter(submitted_by=actor, client_key=key).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    submission = Submission(
        kind=kind.code,
        client_key=key,
        submitted_by=actor,
        district_id=district_code,
        bidang=Bidang.objects.filter(code=kind.bidang_code).first(),
        status=Submission.Status.SUBMITTED,
        client_created_at=client_created_at
        if client_created_at and client_created_at <= now
        else None,
        submitted_at=now,
        last_submitted_at=now,
    )
    _fill_from_form(submission, kind, form)
    check_district(actor, submission.district_id)
    if kind.periodic:
        from .selectors import month_due_date

        submission.due_date = month_due_date(submission.period)
        submission.is_late = timezone.localdate(now) > submission.due_date
    submission._history_user = actor
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        existing = Submission.objects.filter(submitted_by=actor, client_key=key).first()
        if existing is not None:  # the same form arrived twice at the same moment
            return existing, False
        raise ValidationError(
            {form.period_field or "__all__": _("This report was already sent for that month.")}
        ) from None
    _add_photos(submission, form.photos())
    _event(
        submission,
        action=SubmissionEvent.Action.SUBMITTED,
        from_status="",
        actor=actor,
        payload=submission.payload,
        client_key=key,
    )
    if kind.on_submit:
        kind.on_submit(submission, actor)
    return submission, True


@transaction.atomic
def submission_resubmit(
    *, actor, submission: Submission, form, client_key=None, version: int | None = None
) -> tuple[Submission, bool]:
    """Send a returned submission again with the corrections. Returns (submission, changed);
    a resend of the same correction (same key) changes nothing."""
    require(actor, Domain.FIELDWORK, Action.CHANGE)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.submitted_by_id != actor.pk:
        raise PermissionDenied(_("Only the TKSK who sent a form can correct it."))
    key = uuid.UUID(str(client_key)) if client_key else None
    if key and locked.events.filter(client_key=key).exists():
        return locked, False
    if version is not None:
        check_version(locked, version)
    else:
        locked.version += 1
    if locked.status != Submission.Status.RETURNED:
        raise ValidationError(
            _("Only a form returned for correction can be sent again; this one is %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    kind = get_kind(locked.kind)
    check_district(actor, locked.district_id)
    _fill_from_form(locked, kind, form)
    check_district(actor, locked.district_id)
    previous = locked.status
    locked.status = Submission.Status.RESUBMITTED
    locked.last_submitted_at = timezone.now()
    locked._history_user = actor
    locked.save()
    _add_photos(locked, form.photos())
    _event(
        locked,
        action=SubmissionEvent.Action.RESUBMITTED,
        from_status=previous,
        actor=actor,
        payload=locked.payload,
        client_key=key,
    )
    if kind.on_submit:
        kind.on_submit(locked, actor)
    return locked, True


class Decision:
    RETURN = "return"
    APPROVE = "approve"
    REJECT = "reject"
    CHOICES = (RETURN, APPROVE, REJECT)


@transaction.atomic
def submission_review(
    *, actor, submission: Submission, decision: str, comment: str, version: int | None
) -> Submission:
    """Return (comment required), approve (the kind's ``apply`` runs in this transaction) or
    reject (comment required) a submission waiting for review."""
    require(actor, Domain.FIELDWORK, Action.APPROVE)
    if decision not in Decision.CHOICES:
        raise ValidationError({"decision": _("Choose return, approve or reject.")})
    locked = (
        restrict(Submission.objects.select_for_update(), actor, Action.APPROVE)
        .filter(pk=submission.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("This form is reviewed by another division (bidang)."))
    check_version(locked, version)
    if not locked.awaiting_review:
        raise ValidationError(
            _("This form is %(status)s: only a form waiting for review can be reviewed.")
            % {"status": locked.get_status_display().lower()}
        )
    comment = (comment or "").strip()
    if decision in (Decision.RETURN, Decision.REJECT) and not comment:
        message = (
            _("Say what the TKSK must correct.")
            if decision == Decision.RETURN
            else _("Say why the form is rejected.")
        )
        raise ValidationError({"comment": message})
    kind = get_kind(locked.kind)
    previous = locked.status
    now = timezone.now()
    if decision == Decision.APPROVE:
        locked.status = Submission.Status.APPROVED
        if kind.apply:
            kind.apply(locked, actor)
        locked.applied_at = now
        action = SubmissionEvent.Action.APPROVED
    elif decision == Decision.REJECT:
        locked.status = Submission.Status.REJECTED
        if kind.on_reject:
            kind.on_reject(locked, actor)
        action = SubmissionEvent.Action.REJECTED
    else:
        locked.status = Submission.Status.RETURNED
        action = SubmissionEvent.Action.RETURNED
    locked.reviewed_by = actor
    locked.reviewed_at = now
    locked.review_comment = comment
    locked._history_user = actor
    locked.save()
    _event(locked, action=action, from_status=previous, actor=actor, comment=comment)
    return locked


def applied_change_record(
    *, submission: Submission, target: models.Model, action: str, description: str
) -> AppliedChange:
    """Trace a change an approved submission made (call it from a kind's ``apply``)."""
    return AppliedChange.objects.create(
        submission=submission,
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=str(target.pk),
        action=action,
        description=description[:300],
    )


def approval_reason(submission: Submission) -> str:
    """The history reason written on records an approval changes."""
    return _("Approved field form #%(id)s") % {"id": submission.pk}


# --- What the built-in kinds do on approval --------------------------------------------------


def _count(payload: dict, name: str) -> int:
    try:
        return max(0, int(payload.get(name) or 0))
    except (TypeError, ValueError):
        return 0


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def disaster_incident_apply(submission: Submission, actor) -> None:
    payload = submission.payload
    latitude, longitude = _decimal(payload.get("latitude")), _decimal(payload.get("longitude"))
    if latitude is None:
        located = submission.photos.filter(latitude__isnull=False, superseded=False).first()
        if located is not None:
            latitude, longitude = located.latitude, located.longitude
    incident = DisasterIncident(
        source_submission=submission,
        district_id=submission.district_id,
        village_id=submission.village_id,
        location_detail=payload.get("location_detail", ""),
        occurred_on=submission.event_date,
        disaster_type=payload.get("disaster_type"),
        other_type=payload.get("disaster_type_other", ""),
        description=payload.get("description", ""),
        urgent_needs=list(payload.get("urgent_needs") or []),
        urgent_needs_note=payload.get("urgent_needs_note", ""),
        latitude=latitude,
        longitude=longitude,
        **{
            name: _count(payload, name)
            for name in (
                "households_affected",
                "persons_affected",
                "dead",
                "missing",
                "injured",
                "displaced",
                "infants",
                "children",
                "elderly",
                "disabled",
                "pregnant",
                "houses_heavy",
                "houses_moderate",
                "houses_light",
            )
        },
    )
    _save(incident, actor, approval_reason(submission))
    applied_change_record(
        submission=submission,
        target=incident,
        action=AppliedChange.Action.CREATED,
        description=_("Disaster incident recorded: %(summary)s") % {"summary": submission.summary},
    )


def referral_apply(submission: Submission, actor) -> None:
    payload = submission.payload
    institution = None
    if payload.get("institution"):
        institution = PsksInstitution.objects.filter(pk=payload["institution"]).first()
    referral = Referral(
        source_submission=submission,
        district_id=submission.district_id,
        village_id=submission.village_id,
        referred_on=submission.event_date,
        person_name=payload.get("person_name", ""),
        nik=payload.get("nik", ""),
        sex=payload.get("sex"),
        age=payload.get("age") or None,
        address=payload.get("address", ""),
        situation=payload.get("situation", ""),
        ppks_category=payload.get("ppks_category", ""),
        service=payload.get("service"),
        service_other=payload.get("service_other", ""),
        referred_to=payload.get("referred_to", ""),
        institution=institution,
        urgency=payload.get("urgency") or Referral.Urgency.NORMAL,
    )
    _save(referral, actor, approval_reason(submission))
    applied_change_record(
        submission=submission,
        target=referral,
        action=AppliedChange.Action.CREATED,
        description=_("Case referral #%(id)s recorded: %(summary)s")
        % {"id": referral.pk, "summary": submission.summary},
    )


def _followup_add(
    *, actor, referral: Referral, date, status: str, note: str, submission=None
) -> ReferralFollowUp:
    if referral.is_closed:
        raise ValidationError(
            _("Referral #%(id)s is already closed (%(status)s).")
            % {"id": referral.pk, "status": referral.get_status_display().lower()}
        )
    if date < referral.referred_on:
        raise ValidationError(
            {
                "date": _("The follow-up cannot be before the referral (%(date)s).")
                % {"date": format_date(referral.referred_on)}
            }
        )
    followup = ReferralFollowUp.objects.create(
        referral=referral,
        date=date,
        status=status,
        note=note,
        recorded_by=actor,
        source_submission=submission,
    )
    referral.status = status
    referral.closed_on = date if status in Referral.CLOSED else None
    referral.version += 1
    _save(referral, actor, approval_reason(submission) if submission else None)
    return followup


def referral_followup_apply(submission: Submission, actor) -> None:
    payload = submission.payload
    referral = (
        Referral.objects.select_for_update()
        .filter(pk=payload.get("referral"), district_id=submission.district_id)
        .first()
    )
    if referral is None:
        raise ValidationError(_("The referral of this follow-up no longer exists."))
    followup = _followup_add(
        actor=actor,
        referral=referral,
        date=submission.event_date,
        status=payload.get("status"),
        note=payload.get("note", ""),
        submission=submission,
    )
    applied_change_record(
        submission=submission,
        target=followup,
        action=AppliedChange.Action.CREATED,
        description=_("Follow-up recorded on referral #%(id)s") % {"id": referral.pk},
    )
    applied_change_record(
        submission=submission,
        target=referral,
        action=AppliedChange.Action.UPDATED,
        description=_("Referral #%(id)s is now: %(status)s")
        % {"id": referral.pk, "status": referral.get_status_display().lower()},
    )


@transaction.atomic
def referral_followup_add(
    *, actor, referral: Referral, date: datetime.date, status: str, note: str
) -> ReferralFollowUp:
    """A follow-up recorded by the office (a TKSK sends the follow-up form instead)."""
    require(actor, Domain.FIELDWORK, Action.CHANGE)
    if is_tksk(actor):
        raise PermissionDenied(_("A TKSK reports a follow-up with the follow-up form."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what happened.")})
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    return _followup_add(actor=actor, referral=locked, date=date, status=status, note=note.strip())


def _month_bounds(period: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(period.year, period.month)[1]
    return period, period.replace(day=last)


def monthly_report_assemble(submission: Submission, actor) -> None:
    """The daily entries of the report's month become part of it (again, on resubmission)."""
    first, last = _month_bounds(submission.period)
    ActivityEntry.objects.filter(report=submission).exclude(date__range=(first, last)).update(
        report=None
    )
    ActivityEntry.objects.filter(
        tksk_id=submission.submitted_by_id, date__range=(first, last), report__isnull=True
    ).update(report=submission)


def monthly_report_release(submission: Submission, actor) -> None:
    """A rejected report lets its entries go to the next report of that month."""
    ActivityEntry.objects.filter(report=submission).update(report=None)


# --- Daily activity entries -----------------------------------------------------------------


@transaction.atomic
def activity_entry_create(
    *,
    actor,
    client_key,
    date: datetime.date,
    activity_type: str,
    description: str,
    people_served: int = 0,
    village=None,
    photo: ProcessedPhoto | None = None,
) -> tuple[ActivityEntry, bool]:
    """Add an entry to the TKSK's daily journal. A resend (same key) creates nothing."""
    from .kinds import KIND_MONTHLY_REPORT

    district_code = _require_field_worker(actor)
    key = uuid.UUID(str(client_key))
    existing = ActivityEntry.objects.filter(tksk=actor, client_key=key).first()
    if existing is not None:
        return existing, False
    if village is not None:
        check_district(actor, village.district_id)
    report = (
        Submission.objects.filter(
            submitted_by=actor, kind=KIND_MONTHLY_REPORT, period=date.replace(day=1)
        )
        .exclude(status__in=(Submission.Status.REJECTED, Submission.Status.RETURNED))
        .first()
    )
    if report is not None:
        from .field_forms import month_label

        raise ValidationError(
            {
                "date": _(
                    "The report of %(month)s was already sent (#%(id)s): an entry for that "
                    "month can no longer be added."
                )
                % {"month": month_label(report.period), "id": report.pk}
            }
        )
    entry = ActivityEntry(
        tksk=actor,
        client_key=key,
        district_id=district_code,
        village=village,
        date=date,
        activity_type=activity_type,
        description=description,
        people_served=people_served or 0,
    )
    entry.full_clean(exclude=["photo"])
    if photo is not None:
        entry.photo.save(f"{uuid.uuid4().hex}.jpg", photo.content, save=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        existing = ActivityEntry.objects.filter(tksk=actor, client_key=key).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


@transaction.atomic
def activity_entry_delete(*, actor, entry: ActivityEntry) -> None:
    require(actor, Domain.FIELDWORK, Action.CHANGE)
    entry = ActivityEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.tksk_id != actor.pk:
        raise PermissionDenied(_("Only the TKSK who wrote an entry can delete it."))
    if entry.report_id and entry.report.status != Submission.Status.RETURNED:
        raise ValidationError(
            _("This entry is part of a monthly report that was sent; it can no longer be deleted.")
        )
    entry.delete()
