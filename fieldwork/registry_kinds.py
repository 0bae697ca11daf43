"""Kinds (a) new PPKS, (b) household verification visit and (c) aid distribution monitoring.

Registered from ``FieldworkConfig.ready()`` when ``beneficiaries`` (and, for (c), ``programs``)
are installed. Approval writes only through the registry's and the programs' services, with the
reviewer as the actor, and records every change with ``services.applied_change_record``; the
history of each changed record carries ``services.approval_reason(submission)``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import update_change_reason

from . import services
from .kinds import (
    KIND_AID_MONITORING,
    KIND_NEW_PPKS,
    KIND_VERIFICATION_VISIT,
    SUBJECT_NIK,
    SUBJECT_NIK_OR_NO_KK,
    SUBJECT_NO_KK,
    PhotoField,
    SubmissionKind,
    register_kind,
)
from .models import AppliedChange, Submission

CREATED = AppliedChange.Action.CREATED
UPDATED = AppliedChange.Action.UPDATED


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _reason(record, submission) -> None:
    """Put the approval's reason on the history row the registry service just wrote."""
    update_change_reason(record, services.approval_reason(submission))


def _registry_error(exc: Exception) -> ValidationError:
    """A refusal at approval (the data changed since the form was sent, or the reviewer's role
    may not write there), said so; the approval's transaction rolls back."""
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return ValidationError(
        _("The change was refused: %(messages)s") % {"messages": " ".join(messages)}
    )


# --- (a) New PPKS ------------------------------------------------------------------------------


def new_ppks_apply(submission: Submission, actor) -> None:
    from beneficiaries import selectors as registry
    from beneficiaries import services as registry_services
    from beneficiaries.models import PpksCategory, Source

    payload = submission.payload
    category = PpksCategory.objects.get(pk=payload["category"])
    found_on = _date(payload["found_on"])
    notes = _("From field form #%(id)s: %(situation)s") % {
        "id": submission.pk,
        "situation": payload.get("situation", ""),
    }
    try:
        household = None
        no_kk = payload.get("no_kk") or ""
        if no_kk:
            household = registry.household_list(user=actor, state="all").filter(no_kk=no_kk).first()
            if household is None:
                household = registry_services.household_create(
                    actor=actor,
                    data={
                        "no_kk": no_kk,
                        "village": submission.village,
                        "address": payload.get("address", ""),
                        "rt": payload.get("rt", ""),
                        "rw": payload.get("rw", ""),
                        "source": Source.TKSK,
                        "notes": notes[:1000],
                    },
                )
                _reason(household, submission)
                services.applied_change_record(
                    submission=submission,
                    target=household,
                    action=CREATED,
                    description=_("Household added to the registry (No. KK from the form)."),
                )
        if payload.get("unit") == "household":
            target = {"household": household}
        else:
            person = (
                registry.person_list(user=actor, state="all").filter(nik=payload["nik"]).first()
            )
            if person is None:
                data = {
                    "nik": payload["nik"],
                    "name": payload["name"],
                    "sex": payload["sex"],
                    "birth_place": payload.get("birth_place", ""),
                    "birth_date": _date(payload["birth_date"]),
                    "village": submission.village,
                    "household": household,
                    "relationship": payload.get("relationship", "") if household else "",
                    "disability_severity": payload.get("disability_severity", ""),
                    "source": Source.TKSK,
                    "notes": notes[:1000],
                }
                for kind in payload.get("disability_types") or []:
                    data[f"disability_{kind}"] = True
                person, _notes = registry_services.person_create(actor=actor, data=data)
                _reason(person, submission)
                services.applied_change_record(
                    submission=submission,
                    target=person,
                    action=CREATED,
                    description=_("Person added to the registry."),
                )
            target = {"person": person}
        placement = registry_services.placement_create(
            actor=actor,
            category=category,
            source=Source.TKSK,
            identified_on=found_on,
            notes=notes[:1000],
            **target,
        )
    except (ValidationError, PermissionDenied) as exc:
        raise _registry_error(exc) from exc
    _reason(placement, submission)
    services.applied_change_record(
        submission=submission,
        target=placement,
        action=CREATED,
        description=_("Placed in the PPKS category %(name)s.") % {"name": category.name},
    )


def placements_created(queryset) -> dict[str, int]:
    """PPKS identified per kecamatan: the category placements approvals created (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from beneficiaries.models import CategoryPlacement

    rows = (
        AppliedChange.objects.filter(
            submission__in=queryset,
            action=CREATED,
            content_type=ContentType.objects.get_for_model(CategoryPlacement),
        )
        .values("submission__district_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["submission__district_id"]: row["n"] for row in rows}


# --- (b) Verification visit ----------------------------------------------------------------------


def verification_visit_apply(submission: Submission, actor) -> None:
    from beneficiaries import selectors as registry
    from beneficiaries import services as registry_services
    from beneficiaries.models import CategoryPlacement, Household, Source

    payload = submission.payload
    visit_date = _date(payload["visit_date"])
    try:
        household = (
            registry.household_list(user=actor, state="all")
            .select_for_update(of=("self",))
            .get(no_kk=payload["no_kk"])
        )
        finding = payload.get("finding")
        label = _("Verification visit %(date)s (form #%(id)s)") % {
            "date": visit_date.isoformat(),
            "id": submission.pk,
        }
        data = {}
        if finding in ("moved", "not_found"):
            data["status"] = (
                Household.Status.MOVED if finding == "moved" else Household.Status.NOT_FOUND
            )
        elif household.status in (Household.Status.MOVED, Household.Status.NOT_FOUND):
            data["status"] = Household.Status.ACTIVE
        eligible = payload.get("still_eligible")
        if finding == "found" and eligible in ("no", "unsure"):
            note = (
                _("%(label)s: no longer eligible.")
                if eligible == "no"
                else _("%(label)s: eligibility uncertain.")
            ) % {"label": label}
            data["notes"] = "\n".join(filter(None, [household.notes, note]))[:5000]
        if data:
            registry_services.household_update(
                actor=actor, household=household, version=household.version, data=data
            )
            _reason(household, submission)
            services.applied_change_record(
                submission=submission,
                target=household,
                action=UPDATED,
                description=_("Household: %(what)s.")
                % {
                    "what": ", ".join(
                        str(Household.Status(data["status"]).label)
                        if key == "status"
                        else _("note added")
                        for key in data
                    )
                },
            )
        if finding == "found" and eligible == "yes":
            for placement in registry.placements_of_household(household).filter(
                status=CategoryPlacement.Status.IDENTIFIED
            ):
                registry_services.placement_transition(
                    actor=actor,
                    placement=placement,
                    version=placement.version,
                    status=CategoryPlacement.Status.VERIFIED,
                    on=max(visit_date, placement.identified_on),
                )
                _reason(placement, submission)
                services.applied_change_record(
                    submission=submission,
                    target=placement,
                    action=UPDATED,
                    description=_("%(category)s verified by the visit.")
                    % {"category": placement.category.name},
                )
        if payload.get("deceased_nik"):
            person = registry.household_members(household).get(nik=payload["deceased_nik"])
            registry_services.person_mark_deceased(
                actor=actor,
                person=person,
                version=person.version,
                death_date=_date(payload["death_date"]),
            )
            _reason(person, submission)
            services.applied_change_record(
                submission=submission,
                target=person,
                action=UPDATED,
                description=_("Member recorded as deceased on %(date)s.")
                % {"date": payload["death_date"]},
            )
        if payload.get("new_member_nik"):
            existing = (
                registry.person_list(user=actor, state="all")
                .filter(nik=payload["new_member_nik"])
                .first()
            )
            relationship = payload.get("new_member_relationship", "")
            if existing is None:
                person, _notes = registry_services.person_create(
                    actor=actor,
                    data={
                        "nik": payload["new_member_nik"],
                        "name": payload["new_member_name"],
                        "sex": payload["new_member_sex"],
                        "birth_date": _date(payload["new_member_birth_date"]),
                        "household": household,
                        "relationship": relationship,
                        "source": Source.TKSK,
                    },
                )
                action, what = CREATED, _("New member added to the household.")
            else:
                person, _notes = registry_services.person_update(
                    actor=actor,
                    person=existing,
                    version=existing.version,
                    data={"household": household, "relationship": relationship},
                )
                action, what = UPDATED, _("Person moved into this household.")
            _reason(person, submission)
            services.applied_change_record(
                submission=submission, target=person, action=action, description=what
            )
    except (ValidationError, PermissionDenied) as exc:
        raise _registry_error(exc) from exc


# --- (c) Aid distribution monitoring -----------------------------------------------------------


def aid_monitoring_route(submission: Submission, actor) -> None:
    """The form is reviewed by the bidang of the program (that bidang records its payments)."""
    from programs.models import Program

    program = Program.objects.select_related("bidang").get(pk=submission.payload["program"])
    if program.bidang_id and submission.bidang_id != program.bidang_id:
        submission.bidang_id = program.bidang_id
        submission.save(update_fields=["bidang"])


def aid_monitoring_apply(submission: Submission, actor) -> None:
    try:
        _aid_monitoring_apply(submission, actor)
    except (ValidationError, PermissionDenied) as exc:
        raise _registry_error(exc) from exc


def _aid_monitoring_apply(submission: Submission, actor) -> None:
    from programs import selectors as program_selectors
    from programs import services as program_services
    from programs.models import Disbursement

    from .registry_forms import NotReceivedReason

    payload = submission.payload
    number = payload["recipient_number"]
    disbursement = (
        program_selectors.disbursement_list(user=actor)
        .filter(
            Q(enrollment__person__nik=number) | Q(enrollment__household__no_kk=number),
            enrollment__program_id=payload["program"],
            stage__year=payload["year"],
            stage__number=payload["stage_number"],
        )
        .order_by("-enrollment__start_date")
        .first()
    )
    if disbursement is None:
        raise ValidationError(_("The disbursement this form is about is no longer in the records."))
    received = payload.get("received") == "yes"
    status = Disbursement.Status
    changed = True
    if received and disbursement.status != status.PAID:
        amount = Decimal(payload.get("amount_received") or disbursement.planned_amount or 0)
        program_services.disbursement_record(
            actor=actor,
            disbursement=disbursement,
            status=status.PAID,
            paid_amount=amount,
            paid_on=_date(payload.get("received_on")),
            channel=payload.get("channel", ""),
            reason="",
            reference=_("field form #%(id)s") % {"id": submission.pk},
        )
        description = _("Recorded as paid (received by the recipient).")
    elif not received and disbursement.status in (status.PLANNED, status.POSTPONED):
        reason = str(dict(NotReceivedReason.choices).get(payload.get("reason"), ""))
        if payload.get("note"):
            reason = f"{reason}: {payload['note']}"
        program_services.disbursement_record(
            actor=actor,
            disbursement=disbursement,
            status=status.FAILED,
            reason=reason[:255],
            reference=_("field form #%(id)s") % {"id": submission.pk},
        )
        description = _("Recorded as failed: %(reason)s") % {"reason": reason}
    elif received:
        changed = False
        description = _("Monitoring confirms the recorded payment.")
    else:
        changed = False
        # The records say paid or failed and the recipient says not received: the payment
        # record is not overwritten from the field; the office checks it.
        description = _(
            "The recipient says the aid was not received, but the record says %(status)s: "
            "check with the distributor."
        ) % {"status": disbursement.get_status_display().lower()}
    if changed:
        _reason(disbursement, submission)
    services.applied_change_record(
        submission=submission, target=disbursement, action=UPDATED, description=description
    )


# --- Registration --------------------------------------------------------------------------------


def verification_visits_approved(year: int, quarter: int):
    """Performance source: verification visits approved in a quarter (by the visit date)."""
    from django.conf import settings

    from performance.sources import SourceValue

    first = datetime.date(year, 3 * quarter - 2, 1)
    last = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(1)
    count = Submission.objects.filter(
        kind=KIND_VERIFICATION_VISIT,
        status=Submission.Status.APPROVED,
        event_date__range=(first, last),
        district__regency_id=settings.WELFARE_HOME_REGENCY,
    ).count()
    return SourceValue(
        value=Decimal(count),
        provenance=_(
            "%(n)s household verification visits approved, visited between %(first)s and %(last)s."
        )
        % {"n": count, "first": first.isoformat(), "last": last.isoformat()},
        details={"visits": count},
    )


def register() -> None:
    if not apps.is_installed("beneficiaries"):
        return
    from .registry_forms import AidMonitoringForm, NewPpksForm, VerificationVisitForm

    register_kind(
        SubmissionKind(
            code=KIND_NEW_PPKS,
            label=gettext_lazy("New PPKS found"),
            description=gettext_lazy(
                "A person or a household needing welfare services, for the registry."
            ),
            icon="person-plus",
            form_class=NewPpksForm,
            bidang_code="rehsos",
            photos=(PhotoField("photo", gettext_lazy("Photo"), required=True, max_count=3),),
            apply=new_ppks_apply,
            figure=placements_created,
            figure_label=gettext_lazy("PPKS identified (field forms approved)"),
            subject_fields=(("no_kk", SUBJECT_NO_KK), ("nik", SUBJECT_NIK)),
            order=10,
        )
    )
    register_kind(
        SubmissionKind(
            code=KIND_VERIFICATION_VISIT,
            label=gettext_lazy("Household verification visit"),
            description=gettext_lazy(
                "A visit to a registered household: found or not, still eligible, changes in "
                "its members."
            ),
            icon="house-check",
            form_class=VerificationVisitForm,
            bidang_code="linjamsos",
            photos=(
                PhotoField(
                    "house_photo",
                    gettext_lazy("Photo of the house"),
                    required=True,
                    max_count=3,
                    keep_location=True,
                    help_text=gettext_lazy("The position where a photo was taken is kept."),
                ),
            ),
            apply=verification_visit_apply,
            figure_label=gettext_lazy("Household verification visits approved"),
            subject_fields=(("no_kk", SUBJECT_NO_KK),),
            order=20,
        )
    )
    if apps.is_installed("programs"):
        register_kind(
            SubmissionKind(
                code=KIND_AID_MONITORING,
                label=gettext_lazy("Aid distribution monitoring"),
                description=gettext_lazy(
                    "Whether a recipient received a stage (tahap) of a program, and why not."
                ),
                icon="cash-coin",
                form_class=AidMonitoringForm,
                bidang_code="linjamsos",
                photos=(PhotoField("photos", gettext_lazy("Photos"), max_count=3),),
                on_submit=aid_monitoring_route,
                apply=aid_monitoring_apply,
                subject_fields=(("recipient_number", SUBJECT_NIK_OR_NO_KK),),
                order=30,
            )
        )
    if apps.is_installed("performance"):
        from performance.sources import register_source

        register_source(
            "fieldwork.verification_visits",
            gettext_lazy("Household verification visits approved"),
            verification_visits_approved,
            unit=gettext_lazy("visits"),  # shown beside the figure
            description=gettext_lazy(
                "Household verification visits by TKSK approved by the office, by the date of "
                "the visit."
            ),
        )
