"""Every write of the programs, with its rules. One transaction per user action.

Access: the role permission with ``accounts.access.require``; a program belongs to a bidang, so
an operator or a head of division writes only for their own bidang's programs
(``check_bidang``); a TKSK writes nothing here (their role holds no write in the programs
domain). Enrollment checks the program's eligibility rules (``programs.eligibility``) and the
yearly quota; a Kepala Bidang (or an administrator) may override the rules with a written
justification, which is kept with the rules it overrode. Quotas are never overridden.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Action, Domain, Role, check_bidang, check_district, require, role_of
from beneficiaries.models import Household, Person
from regions.models import Village

from . import eligibility, summary
from .models import (
    Channel,
    Disbursement,
    Enrollment,
    ExitReason,
    KubeBusinessReport,
    KubeGroup,
    KubeMember,
    Program,
    ProgramQuota,
    Stage,
    Unit,
)

OVERRIDE_ROLES = frozenset({Role.KEPALA_BIDANG, Role.ADMIN})
MIN_JUSTIFICATION = 20


class EligibilityError(ValidationError):
    """Refused: the recipient fails the program's rules (``failures`` says which)."""

    def __init__(self, failures: list[eligibility.Failure]):
        self.failures = failures
        super().__init__([f.message for f in failures], code="not_eligible")


class QuotaError(ValidationError):
    def __init__(self, message: str):
        super().__init__(message, code="over_quota")


def _write_checks(actor, program: Program, action: str = Action.ADD) -> None:
    require(actor, Domain.PROGRAMS, action)
    check_bidang(actor, program.bidang_id)


def can_override(user) -> bool:
    return role_of(user) in OVERRIDE_ROLES


# --- Quotas ------------------------------------------------------------------------------------


def counts_toward_year(year: int) -> Q:
    """Enrollments that hold a place of a year's quota: open, and their period touches it."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(status__in=Enrollment.OPEN_STATUSES, start_date__lte=last) & (
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )


@dataclass(frozen=True)
class QuotaOverflow:
    """A quota the additions would exceed: a desa's (``village_id``) or a kecamatan's."""

    district_id: str
    village_id: str | None
    message: str


def quota_overflows(
    program: Program, year: int, additions: Counter, *, lock: bool = False
) -> list[QuotaOverflow]:
    """The quotas of ``year`` that ``additions`` (new enrollments per village id) would exceed,
    each with the message giving the quota and the count. Two grouped counts, whatever the
    number of areas. ``lock`` locks the quota rows involved (``SELECT ... FOR UPDATE``)."""
    if not additions:
        return []
    villages = dict(Village.objects.filter(pk__in=additions).values_list("pk", "district_id"))
    by_district: Counter = Counter()
    for village_id, n in additions.items():
        by_district[villages[village_id]] += n
    quotas = (
        ProgramQuota.objects.filter(program=program, year=year)
        .filter(
            Q(village_id__in=list(additions))
            | Q(district_id__in=list(by_district), village__isnull=True)
        )
        .select_related("district", "village")
    )
    if lock:
        quotas = quotas.select_for_update(of=("self",))
    quotas = list(quotas)
    if not quotas:
        return []
    current = Enrollment.objects.filter(program=program).filter(counts_toward_year(year))

    def used_by(column: str, keys: list) -> dict:
        if not keys:
            return {}
        return dict(
            current.filter(**{f"{column}__in": keys})
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .values_list(column, "n")
        )

    used_village = used_by("village_id", [q.village_id for q in quotas if q.village_id])
    used_district = used_by("district_id", [q.district_id for q in quotas if not q.village_id])
    overflows = []
    for quota in quotas:
        if quota.village_id:
            used = used_village.get(quota.village_id, 0)
            adding = additions[quota.village_id]
            area = _("Desa %(name)s") % {"name": quota.village.name}
        else:
            used = used_district.get(quota.district_id, 0)
            adding = by_district[quota.district_id]
            area = _("Kecamatan %(name)s") % {"name": quota.district.name}
        if used + adding > quota.quota:
            message = _(
                "The quota of %(area)s for %(program)s in %(year)s is full: quota "
                "%(quota)s, already enrolled %(used)s, asked for %(adding)s more."
            ) % {
                "area": area,
                "program": program.code,
                "year": year,
                "quota": quota.quota,
                "used": used,
                "adding": adding,
            }
            overflows.append(QuotaOverflow(quota.district_id, quota.village_id, message))
    return overflows


def _check_quota(program: Program, year: int, additions: Counter) -> None:
    """``additions`` counts new enrollments per village id. Locks the quota rows involved so
    that two users cannot both take the last place."""
    overflows = quota_overflows(program, year, additions, lock=True)
    if overflows:
        raise QuotaError(overflows[0].message)


@transaction.atomic
def quota_set(
    *, actor, program: Program, year: int, district, village=None, quota: int
) -> ProgramQuota:
    _write_checks(actor, program, Action.CHANGE)
    if quota < 0:
        raise ValidationError({"quota": _("The quota cannot be negative.")})
    obj, _created = ProgramQuota.objects.update_or_create(
        program=program,
        year=year,
        district=district,
        village=village,
        defaults={"quota": quota},
    )
    return obj


# --- Enrollment --------------------------------------------------------------------------------


def _recipient_region(program: Program, person, household, group):
    if program.unit == Unit.PERSON:
        if person is None:
            raise ValidationError({"person": _("This program enrolls persons: choose a person.")})
        return person.district_id, person.village_id
    if program.unit == Unit.HOUSEHOLD:
        if household is None:
            raise ValidationError(
                {"household": _("This program enrolls households: choose a household.")}
            )
        return household.district_id, household.village_id
    if group is None:
        raise ValidationError({"group": _("This program enrolls groups: choose a group.")})
    return group.district_id, group.village_id


def _group_failures(program: Program, group: KubeGroup, on) -> list[eligibility.Failure]:
    failures = []
    if group.program_id != program.pk:
        failures.append(eligibility.Failure("group", _("The group belongs to another program.")))
    if Enrollment.objects.filter(
        program=program, group=group, status__in=Enrollment.OPEN_STATUSES
    ).exists():
        failures.append(
            eligibility.Failure("enrolled", _("The group is already enrolled in this program."))
        )
    households = Household.objects.filter(
        kube_memberships__group=group, kube_memberships__left_on__isnull=True
    )
    if not households.exists():
        failures.append(eligibility.Failure("members", _("The group has no members.")))
    elif program.max_desil is not None:
        too_rich = households.filter(Q(desil__gt=program.max_desil) | Q(desil__isnull=True)).count()
        if too_rich:
            failures.append(
                eligibility.Failure(
                    "desil",
                    _("%(n)s member households are not in desil %(max)s or lower.")
                    % {"n": too_rich, "max": program.max_desil},
                )
            )
    return failures


def _overridable(failures) -> list:
    # Being enrolled already is a fact, not a rule: it cannot be overridden.
    return [f for f in failures if f.rule not in ("enrolled", "group")]


@transaction.atomic
def enrollment_create(
    *,
    actor,
    program: Program,
    person: Person | None = None,
    household: Household | None = None,
    group: KubeGroup | None = None,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    status: str = Enrollment.Status.PROPOSED,
    decree_number: str = "",
    decree_date: datetime.date | None = None,
    override_justification: str = "",
    replaces: Enrollment | None = None,
) -> Enrollment:
    """Enroll one recipient. Refused with the failed rules (``EligibilityError``) unless a
    Kepala Bidang overrides them with a justification; refused when over quota."""
    _write_checks(actor, program)
    if not program.active:
        raise ValidationError(_("The program %(code)s is not active.") % {"code": program.code})
    district_id, village_id = _recipient_region(program, person, household, group)
    check_district(actor, district_id)
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if status not in (
        Enrollment.Status.PROPOSED,
        Enrollment.Status.VERIFIED,
        Enrollment.Status.ACTIVE,
    ):
        raise ValidationError(
            {"status": _("A new enrollment starts as proposed, verified or active.")}
        )
    if status == Enrollment.Status.ACTIVE and not (decree_number and decree_date):
        raise ValidationError(
            {
                "decree_number": _(
                    "An active enrollment needs the decree (SK penetapan): number and date."
                )
            }
        )
    if program.unit == Unit.GROUP:
        failures = _group_failures(program, group, start_date)
    else:
        failures = eligibility.check_one(
            program,
            person=person if program.unit == Unit.PERSON else None,
            household=household if program.unit == Unit.HOUSEHOLD else None,
            on=start_date,
        )
    justification = (override_justification or "").strip()
    overridden: list = []
    if failures:
        blocking = [f for f in failures if f not in _overridable(failures)]
        if blocking or not justification:
            raise EligibilityError(failures)
        if not can_override(actor):
            raise PermissionDenied(
                _("Only a head of division (Kepala Bidang) may override the eligibility rules.")
            )
        if len(justification) < MIN_JUSTIFICATION:
            raise ValidationError(
                {
                    "override_justification": _(
                        "Write the justification of the override (at least %(n)s characters)."
                    )
                    % {"n": MIN_JUSTIFICATION}
                }
            )
        overridden = failures
    _check_quota(program, start_date.year, Counter({village_id: 1}))
    enrollment = Enrollment(
        program=program,
        person=person if program.unit == Unit.PERSON else None,
        household=household if program.unit == Unit.HOUSEHOLD else None,
        group=group if program.unit == Unit.GROUP else None,
        district_id=district_id,
        village_id=village_id,
        start_date=start_date,
        end_date=end_date,
        status=status,
        decree_number=decree_number,
        decree_date=decree_date,
        override_justification=justification if overridden else "",
        override_failures=[{"rule": f.rule, "message": f.message} for f in overridden],
        override_by=actor if overridden else None,
        replaces=replaces,
        created_by=actor,
    )
    enrollment._history_user = actor
    enrollment.save()
    return enrollment


@dataclass
class BulkResult:
    created: list[Enrollment] = field(default_factory=list)
    refused: list[tuple[int, list[str]]] = field(default_factory=list)  # (id, messages)


@transaction.atomic
def enrollment_bulk_create(
    *,
    actor,
    program: Program,
    ids: list[int],
    start_date: datetime.date,
    status: str = Enrollment.Status.PROPOSED,
    decree_number: str = "",
    decree_date: datetime.date | None = None,
) -> BulkResult:
    """Enroll many persons or households (by id) at once: every rule checked set-based; the
    ineligible ones are refused with their reasons, the others enrolled together - or none of
    them when they exceed a quota (the message gives the quota and the count)."""
    _write_checks(actor, program)
    if program.unit == Unit.GROUP:
        raise ValidationError(_("Groups are enrolled one by one."))
    if status == Enrollment.Status.ACTIVE and not (decree_number and decree_date):
        raise ValidationError(
            {
                "decree_number": _(
                    "An active enrollment needs the decree (SK penetapan): number and date."
                )
            }
        )
    model = Person if program.unit == Unit.PERSON else Household
    queryset = model.objects.filter(pk__in=ids)
    scope_check = queryset.values_list("district_id", flat=True).distinct()
    for district_id in scope_check:
        check_district(actor, district_id)
    if program.unit == Unit.PERSON:
        failures = eligibility.check_persons(program, queryset, start_date)
    else:
        failures = eligibility.check_households(program, queryset, start_date)
    result = BulkResult()
    for missing in sorted(set(ids) - set(failures)):
        result.refused.append((missing, [_("Not found in the registry.")]))
    ok = [pk for pk, fails in failures.items() if not fails]
    result.refused += [(pk, [f.message for f in fails]) for pk, fails in failures.items() if fails]
    regions = {
        pk: (d, v)
        for pk, d, v in model.objects.filter(pk__in=ok).values_list(
            "pk", "district_id", "village_id"
        )
    }
    _check_quota(program, start_date.year, Counter(v for _d, v in regions.values()))
    key = "person_id" if program.unit == Unit.PERSON else "household_id"
    enrollments = [
        Enrollment(
            program=program,
            district_id=regions[pk][0],
            village_id=regions[pk][1],
            start_date=start_date,
            status=status,
            decree_number=decree_number,
            decree_date=decree_date,
            created_by=actor,
            **{key: pk},
        )
        for pk in sorted(ok)
    ]
    result.created = Enrollment.objects.bulk_create(enrollments, batch_size=1000)
    _bulk_history(result.created, actor)
    return result


def _bulk_history(objects, actor, reason: str = "") -> None:
    if not objects:
        return
    history_model = type(objects[0]).history.model
    now = timezone.now()
    rows = []
    for obj in objects:
        data = {
            f.attname: getattr(obj, f.attname)
            for f in type(obj)._meta.concrete_fields
            if f.attname != "updated_at"
        }
        rows.append(
            history_model(
                **data,
                history_date=now,
                history_type="+",
                history_user=actor,
                history_change_reason=reason or _("bulk enrollment"),
            )
        )
    history_model.objects.bulk_create(rows, batch_size=1000)


EXIT_STATUSES = (Enrollment.Status.EXITED, Enrollment.Status.GRADUATED)


@transaction.atomic
def enrollment_transition(
    *,
    actor,
    enrollment: Enrollment,
    version: int | None,
    status: str,
    on: datetime.date | None = None,
    exit_reason: str = "",
    note: str = "",
    decree_number: str = "",
    decree_date: datetime.date | None = None,
) -> Enrollment:
    """usulan -> terverifikasi -> aktif <-> ditangguhkan -> keluar or graduasi; leaving needs a
    reason from the list, becoming active needs the decree."""
    from welfare.concurrency import check_version

    _write_checks(actor, enrollment.program, Action.CHANGE)
    check_district(actor, enrollment.district_id)
    allowed = Enrollment.TRANSITIONS[enrollment.status]
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("An enrollment cannot go from %(old)s to %(new)s.")
                % {
                    "old": enrollment.get_status_display(),
                    "new": Enrollment.Status(status).label
                    if status in Enrollment.Status.values
                    else status,
                }
            }
        )
    on = on or timezone.localdate()
    if status == Enrollment.Status.ACTIVE:
        enrollment.decree_number = decree_number or enrollment.decree_number
        enrollment.decree_date = decree_date or enrollment.decree_date
        if not (enrollment.decree_number and enrollment.decree_date):
            raise ValidationError(
                {
                    "decree_number": _(
                        "An active enrollment needs the decree (SK penetapan): number and date."
                    )
                }
            )
    if status == Enrollment.Status.GRADUATED:
        exit_reason = ExitReason.GRADUATED
    if status in EXIT_STATUSES:
        if exit_reason not in ExitReason.values:
            raise ValidationError({"exit_reason": _("Choose the reason for leaving.")})
        if on < enrollment.start_date:
            raise ValidationError({"exit_date": _("The date of leaving is before the start.")})
        enrollment.exit_reason = exit_reason
        enrollment.exit_date = on
        enrollment.end_date = on
        enrollment.exit_note = note
    # After the checks, so that a refused change leaves the caller's instance as it was.
    check_version(enrollment, version)
    enrollment.status = status
    enrollment._history_user = actor
    enrollment._change_reason = note[:100] if note else ""
    enrollment.save()
    return enrollment


@transaction.atomic
def enrollment_replace(
    *,
    actor,
    enrollment: Enrollment,
    version: int | None,
    exit_reason: str,
    note: str = "",
    on: datetime.date | None = None,
    person: Person | None = None,
    household: Household | None = None,
    override_justification: str = "",
) -> Enrollment:
    """Replace a recipient by another: the old enrollment leaves with its reason (and stays on
    record), the new one takes its place, status and decree, pointing to the one it replaces."""
    if not enrollment.is_open:
        raise ValidationError(_("Only a current recipient can be replaced."))
    if enrollment.program.unit == Unit.GROUP:
        raise ValidationError(_("A group is not replaced; enroll another group."))
    on = on or timezone.localdate()
    old_status = enrollment.status
    enrollment_transition(
        actor=actor,
        enrollment=enrollment,
        version=version,
        status=Enrollment.Status.EXITED,
        on=on,
        exit_reason=exit_reason,
        note=note,
    )
    return enrollment_create(
        actor=actor,
        program=enrollment.program,
        person=person,
        household=household,
        start_date=on,
        status=old_status
        if old_status != Enrollment.Status.SUSPENDED
        else Enrollment.Status.ACTIVE,
        decree_number=enrollment.decree_number,
        decree_date=enrollment.decree_date,
        override_justification=override_justification,
        replaces=enrollment,
    )


# --- Stages and disbursements ------------------------------------------------------------------


@transaction.atomic
def stage_create(
    *,
    actor,
    program: Program,
    year: int,
    number: int,
    name: str = "",
    planned_on: datetime.date | None = None,
) -> Stage:
    _write_checks(actor, program)
    if Stage.objects.filter(program=program, year=year, number=number).exists():
        raise ValidationError({"number": _("This stage already exists.")})
    stage = Stage(program=program, year=year, number=number, name=name, planned_on=planned_on)
    stage._history_user = actor
    stage.save()
    return stage


@transaction.atomic
def disbursements_plan(*, actor, stage: Stage, amount: Decimal | None = None) -> int:
    """Plan a disbursement of the stage for every active enrollment of the program that has
    none yet (one INSERT ... SELECT). Returns how many were planned."""
    program = stage.program
    _write_checks(actor, program)
    amount = program.amount_per_stage if amount is None else amount
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Disbursement._meta.db_table}
                (enrollment_id, stage_id, program_id, year, district_id, village_id,
                 planned_amount, paid_amount, paid_on, channel, status, reason, reference,
                 import_batch, created_at, updated_at)
            SELECT e.id, %s, e.program_id, %s, e.district_id, e.village_id, %s, 0, NULL, '',
                   'direncanakan', '', '', '', %s, %s
            FROM {Enrollment._meta.db_table} e
            WHERE e.program_id = %s AND e.status = 'aktif'
              AND NOT EXISTS (SELECT 1 FROM {Disbursement._meta.db_table} d
                              WHERE d.enrollment_id = e.id AND d.stage_id = %s)
            """,  # noqa: S608 (table names come from the models)
            [stage.pk, stage.year, amount, now, now, program.pk, stage.pk],
        )
        planned = cursor.rowcount
    # Raw SQL: the figures of the stage (and of its year) are refreshed here.
    summary.disbursements_refresh(program_id=program.pk, year=stage.year, stage_ids=[stage.pk])
    return planned


def _validate_payment(status, paid_amount, paid_on, channel, reason) -> dict:
    errors = {}
    if status not in Disbursement.Status.values:
        errors["status"] = _("Unknown status.")
    if status == Disbursement.Status.PAID:
        if not paid_on:
            errors["paid_on"] = _("A paid disbursement needs its date.")
        if paid_amount is None or paid_amount <= 0:
            errors["paid_amount"] = _("A paid disbursement needs the amount paid.")
        if not channel:
            errors["channel"] = _("A paid disbursement needs its channel.")
    if status in (Disbursement.Status.FAILED, Disbursement.Status.POSTPONED) and not reason:
        errors["reason"] = _("Give the reason why it failed or was postponed.")
    if channel and channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    return errors


@transaction.atomic
def disbursement_record(
    *,
    actor,
    disbursement: Disbursement,
    status: str,
    paid_amount: Decimal | None = None,
    paid_on: datetime.date | None = None,
    channel: str = "",
    reason: str = "",
    reference: str = "",
) -> Disbursement:
    _write_checks(actor, disbursement.program, Action.CHANGE)
    errors = _validate_payment(status, paid_amount, paid_on, channel, reason)
    if errors:
        raise ValidationError(errors)
    disbursement.status = status
    disbursement.paid_amount = paid_amount if status == Disbursement.Status.PAID else 0
    disbursement.paid_on = paid_on
    disbursement.channel = channel
    disbursement.reason = reason
    disbursement.reference = reference
    disbursement._history_user = actor
    disbursement.save()
    return disbursement


# --- KUBE groups -------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor,
    program: Program,
    name: str,
    village: Village,
    business_type: str,
    formed_on: datetime.date | None = None,
    households: list[Household] = (),
    chair: Household | None = None,
) -> KubeGroup:
    _write_checks(actor, program)
    check_district(actor, village.district_id)
    if program.unit != Unit.GROUP:
        raise ValidationError({"program": _("This program does not enroll groups.")})
    group = KubeGroup(
        program=program,
        name=name,
        district_id=village.district_id,
        village=village,
        business_type=business_type,
        formed_on=formed_on,
    )
    group._history_user = actor
    group.save()
    for household in households:
        group_member_add(
            actor=actor,
            group=group,
            household=household,
            role=KubeMember.Role.CHAIR if household == chair else KubeMember.Role.MEMBER,
            joined_on=formed_on,
        )
    return group


@transaction.atomic
def group_member_add(
    *,
    actor,
    group: KubeGroup,
    household: Household,
    role: str = KubeMember.Role.MEMBER,
    joined_on: datetime.date | None = None,
) -> KubeMember:
    _write_checks(actor, group.program, Action.CHANGE)
    if household.village_id != group.village_id:
        raise ValidationError(
            {"household": _("The household lives in another desa than the group.")}
        )
    if (
        KubeMember.objects.filter(household=household, left_on__isnull=True)
        .exclude(group=group)
        .exists()
    ):
        raise ValidationError(
            {"household": _("The household is already a member of another KUBE group.")}
        )
    if group.members.filter(household=household, left_on__isnull=True).exists():
        raise ValidationError({"household": _("The household is already a member of this group.")})
    member = KubeMember(group=group, household=household, role=role, joined_on=joined_on)
    member._history_user = actor
    member.save()
    return member


@transaction.atomic
def group_report_add(
    *,
    actor,
    group: KubeGroup,
    reported_on: datetime.date,
    state: str,
    revenue: Decimal | None = None,
    assets: Decimal | None = None,
    notes: str = "",
    capital_received: Decimal | None = None,
) -> KubeBusinessReport:
    """The business's state on a date; the group carries the latest state (and the capital
    received so far when given)."""
    from welfare.concurrency import check_version

    _write_checks(actor, group.program, Action.CHANGE)
    if state not in KubeGroup.BusinessState.values:
        raise ValidationError({"state": _("Unknown business state.")})
    report = KubeBusinessReport.objects.create(
        group=group,
        reported_on=reported_on,
        state=state,
        revenue=revenue,
        assets=assets,
        notes=notes,
        recorded_by=actor,
    )
    latest = group.reports.order_by("-reported_on", "-pk").first()
    check_version(group, group.version)
    group.state = latest.state
    if capital_received is not None:
        group.capital_received = capital_received
    group._history_user = actor
    group.save()
    return report


def new_batch_id() -> str:
    return uuid.uuid4().hex[:12]
