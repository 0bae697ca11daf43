"""Reads of field work: lists for pages and the API, and every figure the pages, the API and
the reports (LKjIP, issue 7; performance, issue 6) show. One selector per figure.

Figures for the LKjIP:
* ``psks_worker_recap``: TKSK and social volunteers per kecamatan, and how many are certified
  (LKjIP table 3.12).
* ``lks_recap``: LKS per kecamatan and how many are accredited (table 3.13).
* ``disaster_victims``: victims of approved disaster incidents per kecamatan and type
  (table 3.32).
* ``referral_stats``, ``monthly_report_stats`` / ``monthly_report_compliance``,
  ``activity_stats``.
* ``kind_figure`` and its two named uses ``ppks_identified_by_district`` and
  ``verification_visits_by_district``: approved submissions of a kind per kecamatan (available
  once the registry registers those kinds).
Counts are aggregated in SQL; an API client gets counts below the small-count threshold
suppressed (None).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import (
    Action,
    Domain,
    Role,
    has_permission,
    is_tksk,
    restrict,
    small_count_threshold,
    stats_filter,
    suppress_small_counts,
)
from accounts.models import User
from regions.models import District

from .extensions import missing_workload_columns, workload_columns
from .kinds import (
    KIND_MONTHLY_REPORT,
    KIND_NEW_PPKS,
    KIND_VERIFICATION_VISIT,
    SUBJECT_NIK,
    SUBJECT_NIK_OR_NO_KK,
    SUBJECT_NO_KK,
    SUBJECT_REFERRAL,
    all_kinds,
    find_kind,
)
from .models import (
    LKS_KIND,
    ActivityEntry,
    ActivityType,
    AppliedChange,
    DisasterIncident,
    DisasterType,
    FieldworkSettings,
    PsksInstitution,
    PsksPerson,
    Referral,
    ReferralService,
    Submission,
    TkskAssignment,
)


def fieldwork_settings() -> FieldworkSettings:
    settings_obj = FieldworkSettings.objects.order_by("pk").first()
    if settings_obj is None:
        settings_obj, _created = FieldworkSettings.objects.get_or_create(pk=1)
    return settings_obj


def _home_districts(user) -> QuerySet[District]:
    return District.objects.filter(regency_id=settings.WELFARE_HOME_REGENCY).filter(
        stats_filter(user, "code")
    )


def _suppress(user):
    """A function that hides small counts from API clients (None), else the identity."""
    if not suppress_small_counts(user):
        return lambda value: value
    threshold = small_count_threshold()
    return lambda value: None if value is not None and 0 < value < threshold else value


# --- PSKS -----------------------------------------------------------------------------------


def psks_person_list(*, user) -> QuerySet[PsksPerson]:
    queryset = PsksPerson.objects.select_related("kind", "district", "village", "institution")
    return restrict(queryset, user, Action.VIEW)


def psks_institution_list(*, user) -> QuerySet[PsksInstitution]:
    queryset = PsksInstitution.objects.select_related("kind", "district", "village")
    return restrict(queryset.prefetch_related("services"), user, Action.VIEW)


@dataclass
class WorkerRecapRow:
    code: str
    name: str
    tksk: int | None
    tksk_certified: int | None
    volunteers: int | None
    volunteers_certified: int | None


@dataclass
class Recap:
    rows: list
    totals: dict[str, int]
    on: datetime.date


def _assignments_on(day: datetime.date) -> QuerySet[TkskAssignment]:
    return TkskAssignment.objects.filter(start_date__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )


def _grouped(queryset: QuerySet, path: str, **counts) -> dict[str, dict[str, int]]:
    """One aggregate pass: {kecamatan code: {name: count}} for the named conditional counts."""
    rows = queryset.order_by().values(path).annotate(**counts)
    return {row[path]: row for row in rows}


def psks_worker_recap(*, user, on: datetime.date | None = None) -> Recap:
    """TKSK and social volunteers per kecamatan, with how many are certified (LKjIP 3.12).

    TKSK: the assignments active on ``on``; certified: certified on or before ``on``.
    Volunteers: active people of the kinds counted as social volunteers (PSM by default).
    Three queries, each one pass over its table."""
    on = on or timezone.localdate()
    tksk = _grouped(
        _assignments_on(on),
        "district_id",
        n=Count("pk"),
        certified=Count("pk", filter=Q(person__certified_on__lte=on)),
    )
    volunteers = _grouped(
        PsksPerson.objects.filter(active=True, kind__counts_as_volunteer=True),
        "district_id",
        n=Count("pk"),
        certified=Count("pk", filter=Q(certified_on__lte=on)),
    )
    hide = _suppress(user)
    rows = []
    totals = dict.fromkeys(("tksk", "tksk_certified", "volunteers", "volunteers_certified"), 0)
    for d in _home_districts(user).order_by("name"):
        t, v = tksk.get(d.code, {}), volunteers.get(d.code, {})
        values = {
            "tksk": t.get("n", 0),
            "tksk_certified": t.get("certified", 0),
            "volunteers": v.get("n", 0),
            "volunteers_certified": v.get("certified", 0),
        }
        for key, value in values.items():
            totals[key] += value
        rows.append(
            WorkerRecapRow(
                code=d.code, name=d.name, **{key: hide(value) for key, value in values.items()}
            )
        )
    return Recap(rows=rows, totals=totals, on=on)


@dataclass
class LksRecapRow:
    code: str
    name: str
    total: int | None
    accredited: int | None
    expired: int | None
    never: int | None


def lks_recap(*, user, on: datetime.date | None = None) -> Recap:
    """LKS per kecamatan: how many, how many with an accreditation valid on ``on``, how many
    whose accreditation has lapsed, how many never accredited (LKjIP 3.13). Two queries."""
    on = on or timezone.localdate()
    graded = ~Q(accreditation_grade="")
    counts = _grouped(
        PsksInstitution.objects.filter(active=True, kind__code=LKS_KIND),
        "district_id",
        total=Count("pk"),
        accredited=Count(
            "pk", filter=graded & Q(accredited_on__lte=on, accreditation_valid_until__gte=on)
        ),
        expired=Count("pk", filter=graded & Q(accreditation_valid_until__lt=on)),
        never=Count("pk", filter=Q(accreditation_grade="")),
    )
    hide = _suppress(user)
    rows = []
    totals = dict.fromkeys(("total", "accredited", "expired", "never"), 0)
    for d in _home_districts(user).order_by("name"):
        row = counts.get(d.code, {})
        values = {key: row.get(key, 0) for key in totals}
        for key, value in values.items():
            totals[key] += value
        rows.append(
            LksRecapRow(
                code=d.code, name=d.name, **{key: hide(value) for key, value in values.items()}
            )
        )
    return Recap(rows=rows, totals=totals, on=on)


# --- TKSK assignments and workload ----------------------------------------------------------


def assignment_list(*, user) -> QuerySet[TkskAssignment]:
    queryset = TkskAssignment.objects.select_related("person", "person__user", "district")
    return restrict(queryset, user, Action.VIEW)


@dataclass
class WorkloadRow:
    district: District
    villages: int
    assignment: TkskAssignment | None
    over_limit: bool
    period_ended: bool
    extra: dict[str, int | None] = field(default_factory=dict)

    @property
    def no_tksk(self) -> bool:
        return self.assignment is None


@dataclass
class Workload:
    rows: list[WorkloadRow]
    limit: int
    columns: list  # extensions.WorkloadColumn registered by other modules
    missing_columns: list  # (key, label, module) expected but not registered yet
    summary: dict[str, Any]


def tksk_workload(*, user) -> Workload:
    """Per kecamatan: villages, the active TKSK, whether they cover more villages than the
    limit, kecamatan without a TKSK, and the columns other modules contribute (registered
    PPKS, active recipients: ``fieldwork.extensions``)."""
    limit = fieldwork_settings().tksk_village_limit
    today = timezone.localdate()
    districts = list(
        _home_districts(user).annotate(village_count=Count("villages")).order_by("name")
    )
    codes = [d.code for d in districts]
    assignments = {
        a.district_id: a
        for a in TkskAssignment.objects.filter(
            ended_on__isnull=True, district_id__in=codes
        ).select_related("person", "person__user")
    }
    columns = workload_columns()
    hide = _suppress(user)
    extra_counts = {column.key: column.counts(codes) for column in columns}
    rows = []
    for d in districts:
        assignment = assignments.get(d.code)
        rows.append(
            WorkloadRow(
                district=d,
                villages=d.village_count,
                assignment=assignment,
                over_limit=assignment is not None and d.village_count > limit,
                period_ended=bool(
                    assignment and assignment.period_end and assignment.period_end < today
                ),
                extra={key: hide(counts.get(d.code, 0)) for key, counts in extra_counts.items()},
            )
        )
    with_tksk = [r for r in rows if r.assignment]
    villages_total = sum(r.villages for r in rows)
    summary = {
        "districts": len(rows),
        "with_tksk": len(with_tksk),
        "without_tksk": len(rows) - len(with_tksk),
        "over_limit": sum(1 for r in rows if r.over_limit),
        "villages": villages_total,
        "certified": sum(1 for r in with_tksk if r.assignment.person.certified_on),
        "villages_per_tksk": (
            round(sum(r.villages for r in with_tksk) / len(with_tksk), 1) if with_tksk else None
        ),
        "extra_totals": {
            key: sum(counts.get(code, 0) for code in codes) for key, counts in extra_counts.items()
        },
    }
    return Workload(
        rows=rows,
        limit=limit,
        columns=columns,
        missing_columns=missing_workload_columns(),
        summary=summary,
    )


@dataclass
class AccountMismatch:
    user: User
    reason: str


def tksk_account_mismatches() -> list[AccountMismatch]:
    """Active TKSK accounts whose kecamatan does not follow an active assignment (accounts
    made or changed by hand on the users page)."""
    users = list(
        User.objects.filter(role=Role.TKSK, is_active=True)
        .select_related("district")
        .order_by("username")
    )
    people = {
        p.user_id: p
        for p in PsksPerson.objects.filter(user__in=users).only("id", "user_id", "name")
    }
    active = {
        a.person_id: a
        for a in TkskAssignment.objects.filter(
            ended_on__isnull=True, person_id__in=[p.pk for p in people.values()]
        ).select_related("district")
    }
    result = []
    for account in users:
        person = people.get(account.pk)
        if person is None:
            result.append(AccountMismatch(account, str(_("not linked to a TKSK in the registry"))))
            continue
        assignment = active.get(person.pk)
        if assignment is None:
            result.append(AccountMismatch(account, str(_("has no active assignment"))))
        elif assignment.district_id != account.district_id:
            result.append(
                AccountMismatch(
                    account,
                    str(_("assigned to Kecamatan %(district)s"))
                    % {"district": assignment.district.name},
                )
            )
    return result


# --- Submissions ----------------------------------------------------------------------------


def submission_list(*, user, action: str = Action.VIEW) -> QuerySet[Submission]:
    queryset = Submission.objects.select_related(
        "submitted_by", "district", "village", "bidang", "reviewed_by"
    )
    return restrict(queryset, user, action)


@dataclass
class InboxCounts:
    by_status: dict[str, int]
    by_kind: dict[str, int]
    awaiting: int
    late: int
    total: int


def inbox_counts(queryset: QuerySet[Submission]) -> InboxCounts:
    """Counts of a (filtered) set of submissions by status, late monthly reports, and forms
    waiting for review by kind: two queries (one pass for the statuses and the late ones)."""
    totals = queryset.order_by().aggregate(
        **{
            f"status_{value}": Count("pk", filter=Q(status=value))
            for value in Submission.Status.values
        },
        late=Count("pk", filter=Q(is_late=True, kind=KIND_MONTHLY_REPORT)),
    )
    by_status = {
        value: totals[f"status_{value}"]
        for value in Submission.Status.values
        if totals[f"status_{value}"]
    }
    by_kind = dict(
        queryset.filter(status__in=Submission.AWAITING_REVIEW)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return InboxCounts(
        by_status=by_status,
        by_kind=by_kind,
        awaiting=sum(by_status.get(s, 0) for s in Submission.AWAITING_REVIEW),
        late=totals["late"],
        total=sum(by_status.values()),
    )


def submission_detail(submission: Submission) -> dict[str, Any]:
    """What the detail page and the API show with a submission (a fixed number of queries)."""
    return {
        "events": list(submission.events.select_related("actor")),
        "photos": list(submission.photos.all()),
        "applied_changes": list(submission.applied_changes.select_related("content_type")),
        "activity_entries": list(
            submission.activity_entries.select_related("village").order_by("date", "id")
        ),
    }


# --- The field visits of a household of the registry ----------------------------------------

HOUSEHOLD_VISITS_LIMIT = 20


@dataclass(frozen=True)
class HouseholdSubjects:
    """What names a household of the registry in field forms (see ``SubmissionKind.
    subject_fields``): its No. KK, its members' NIK, the referrals of its members, and the
    submissions whose approval changed the household or a member (``AppliedChange``; they
    count even when the No. KK or a NIK was corrected afterwards)."""

    household_pk: int
    no_kk: str
    members: dict[str, tuple[int, str]]  # NIK -> (person pk, name)
    referrals: dict[str, str]  # referral id (as the payload holds it) -> NIK
    changed_by: frozenset[int]  # submission ids


def household_subjects(household) -> HouseholdSubjects:
    """Three small queries (members, their referrals, the changes approvals made to them),
    whatever the number of submissions."""
    from django.contrib.contenttypes.models import ContentType

    from beneficiaries import selectors as registry
    from beneficiaries.models import Household, Person

    members = {
        nik: (pk, name)
        for pk, nik, name in registry.household_members(household).values_list("pk", "nik", "name")
    }
    referrals = (
        {
            str(pk): nik
            for pk, nik in Referral.objects.filter(nik__in=list(members))
            .order_by()
            .values_list("pk", "nik")
        }
        if members
        else {}
    )
    targets = Q(
        content_type=ContentType.objects.get_for_model(Household), object_id=str(household.pk)
    )
    if members:
        targets |= Q(
            content_type=ContentType.objects.get_for_model(Person),
            object_id__in=[str(pk) for pk, _name in members.values()],
        )
    changed_by = frozenset(
        AppliedChange.objects.filter(targets).order_by().values_list("submission_id", flat=True)
    )
    return HouseholdSubjects(
        household_pk=household.pk,
        no_kk=household.no_kk,
        members=members,
        referrals=referrals,
        changed_by=changed_by,
    )


def _subject_values(subjects: HouseholdSubjects) -> dict[str, list[str]]:
    return {
        SUBJECT_NO_KK: [subjects.no_kk],
        SUBJECT_NIK: sorted(subjects.members),
        SUBJECT_NIK_OR_NO_KK: [subjects.no_kk, *sorted(subjects.members)],
        SUBJECT_REFERRAL: sorted(subjects.referrals),
    }


def about_household(queryset: QuerySet[Submission], subjects: HouseholdSubjects):
    """The submissions of ``queryset`` about the household or one of its members: one
    condition per kind and payload field that names a registry record (a key of the JSON
    payload compared with the few values of this household), or changed by their approval.
    Set-based: the database compares, no submission is read into Python to decide."""
    values = _subject_values(subjects)
    kinds_by_field: dict[tuple[str, str], list[str]] = defaultdict(list)
    for kind in all_kinds():
        for field_name, subject in kind.subject_fields:
            kinds_by_field[field_name, subject].append(kind.code)
    condition = Q(pk__in=sorted(subjects.changed_by)) if subjects.changed_by else None
    for (field_name, subject), codes in sorted(kinds_by_field.items()):
        if not values[subject]:
            continue
        term = Q(kind__in=codes, **{f"payload__{field_name}__in": values[subject]})
        condition = term if condition is None else condition | term
    return queryset.none() if condition is None else queryset.filter(condition)


@dataclass
class HouseholdVisit:
    submission: Submission
    # The member the form is about (pk, name), None when it is about the household itself.
    member: tuple[int, str] | None
    changes: list[str]


@dataclass
class HouseholdVisits:
    visits: list[HouseholdVisit]
    total: int
    reviewers: bool  # whether the user sees every TKSK's forms (else only their own)


def _member_of(submission: Submission, subjects: HouseholdSubjects) -> tuple[int, str] | None:
    kind = find_kind(submission.kind)
    for field_name, subject in kind.subject_fields if kind else ():
        value = submission.payload.get(field_name)
        if not value or value == subjects.no_kk:
            continue
        if subject == SUBJECT_REFERRAL:
            value = subjects.referrals.get(str(value))
        if value in subjects.members:
            return subjects.members[value]
    return None


def household_visits(
    *, user, household, limit: int = HOUSEHOLD_VISITS_LIMIT
) -> HouseholdVisits | None:
    """The field forms about a household of the registry or its members that ``user`` may
    see (the same scope as the inbox: ``submission_list``), newest first, at most ``limit``,
    with the total. None when the user may see no field forms at all. A bounded number of
    queries: the three of ``household_subjects``, the page of forms with their joins, the
    changes their approval made (one query), and the count when there are more."""
    if not has_permission(user, Domain.FIELDWORK, Action.VIEW):
        return None
    visible = submission_list(user=user)
    if visible.query.is_empty():  # an API client: no personal rows
        return None
    subjects = household_subjects(household)
    # Only the joins the panel shows: each one more join multiplies the planning of the
    # OR of index scans (benchmarks/household_visits.py).
    about = about_household(
        visible.select_related(None).select_related("submitted_by", "district"), subjects
    )
    rows = list(
        about.order_by("-event_date", "-last_submitted_at", "-id").prefetch_related(
            Prefetch(
                "applied_changes",
                queryset=AppliedChange.objects.order_by("at", "id"),
                to_attr="changes_made",
            )
        )[: limit + 1]
    )
    total = len(rows) if len(rows) <= limit else about.count()
    return HouseholdVisits(
        visits=[
            HouseholdVisit(
                submission=submission,
                member=_member_of(submission, subjects),
                changes=[change.description for change in submission.changes_made],
            )
            for submission in rows[:limit]
        ],
        total=total,
        reviewers=not is_tksk(user),
    )


# --- Daily activity, incidents, referrals ----------------------------------------------------


def activity_list(*, user) -> QuerySet[ActivityEntry]:
    queryset = ActivityEntry.objects.select_related("tksk", "district", "village", "report")
    return restrict(queryset, user, Action.VIEW)


def incident_list(*, user) -> QuerySet[DisasterIncident]:
    queryset = DisasterIncident.objects.select_related("district", "village", "source_submission")
    return restrict(queryset, user, Action.VIEW)


def referral_list(*, user) -> QuerySet[Referral]:
    queryset = Referral.objects.select_related("district", "village", "institution")
    return restrict(queryset, user, Action.VIEW)


# --- Figures for the reports -----------------------------------------------------------------

DISASTER_MEASURES = {
    "persons_affected": _("persons affected"),
    "households_affected": _("households affected"),
    "houses_damaged": _("houses damaged"),
    "dead": _("dead"),
    "displaced": _("displaced"),
    "incidents": _("incidents"),
}


@dataclass
class MatrixRow:
    code: str
    name: str
    cells: dict[str, int | None]
    total: int | None


@dataclass
class Matrix:
    """A per-kecamatan table: one row per kecamatan of the home regency, one column per key."""

    columns: list[tuple[str, Any]]
    rows: list[MatrixRow]
    totals: dict[str, int]
    total: int
    meta: dict[str, Any] = field(default_factory=dict)


def _matrix(user, columns, counts: dict[tuple[str, str], int]) -> Matrix:
    hide = _suppress(user)
    rows, totals = [], dict.fromkeys((key for key, _label in columns), 0)
    for d in _home_districts(user).order_by("name"):
        cells = {key: counts.get((d.code, key), 0) for key, _label in columns}
        for key, value in cells.items():
            totals[key] += value
        rows.append(
            MatrixRow(
                code=d.code,
                name=d.name,
                cells={key: hide(value) for key, value in cells.items()},
                total=hide(sum(cells.values())),
            )
        )
    return Matrix(columns=columns, rows=rows, totals=totals, total=sum(totals.values()))


def _date_filter(queryset, path: str, year, date_from, date_to):
    if year:
        queryset = queryset.filter(**{f"{path}__year": year})
    if date_from:
        queryset = queryset.filter(**{f"{path}__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{path}__lte": date_to})
    return queryset


def disaster_victims(
    *,
    user,
    year: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    measure: str = "persons_affected",
) -> Matrix:
    """Victims of approved disaster incidents per kecamatan and type of disaster (LKjIP 3.32).

    ``measure``: persons_affected (default), households_affected, houses_damaged, dead,
    displaced or incidents (the number of incidents)."""
    if measure not in DISASTER_MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    queryset = DisasterIncident.objects.filter(
        district__regency_id=settings.WELFARE_HOME_REGENCY
    ).filter(stats_filter(user, "district_id"))
    queryset = _date_filter(queryset, "occurred_on", year, date_from, date_to)
    if measure == "incidents":
        value = Count("pk")
    elif measure == "houses_damaged":
        value = Sum(F("houses_heavy") + F("houses_moderate") + F("houses_light"))
    else:
        value = Sum(measure)
    counts = {
        (row["district_id"], row["disaster_type"]): row["n"] or 0
        for row in queryset.order_by().values("district_id", "disaster_type").annotate(n=value)
    }
    matrix = _matrix(user, list(DisasterType.choices), counts)
    matrix.meta = {"measure": measure, "measure_label": DISASTER_MEASURES[measure], "year": year}
    return matrix


def referral_stats(
    *,
    user,
    year: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Matrix:
    """Approved case referrals per kecamatan and service; ``meta`` holds how many were served,
    could not be served and are still open."""
    queryset = Referral.objects.filter(district__regency_id=settings.WELFARE_HOME_REGENCY).filter(
        stats_filter(user, "district_id")
    )
    queryset = _date_filter(queryset, "referred_on", year, date_from, date_to)
    counts = {
        (row["district_id"], row["service"]): row["n"]
        for row in queryset.order_by().values("district_id", "service").annotate(n=Count("pk"))
    }
    matrix = _matrix(user, list(ReferralService.choices), counts)
    by_status = dict(
        queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    matrix.meta = {
        "year": year,
        "served": by_status.get(Referral.Status.SERVED, 0),
        "not_served": by_status.get(Referral.Status.NOT_SERVED, 0),
        "open": by_status.get(Referral.Status.REFERRED, 0)
        + by_status.get(Referral.Status.IN_PROGRESS, 0),
    }
    return matrix


def activity_stats(*, user, year: int | None = None, month: int | None = None) -> Matrix:
    """Daily activity entries of TKSK per kecamatan and kind of activity."""
    queryset = ActivityEntry.objects.filter(
        district__regency_id=settings.WELFARE_HOME_REGENCY
    ).filter(stats_filter(user, "district_id"))
    if year:
        queryset = queryset.filter(date__year=year)
    if month:
        queryset = queryset.filter(date__month=month)
    counts = {
        (row["district_id"], row["activity_type"]): row["n"]
        for row in queryset.order_by()
        .values("district_id", "activity_type")
        .annotate(n=Count("pk"))
    }
    matrix = _matrix(user, list(ActivityType.choices), counts)
    matrix.meta = {
        "year": year,
        "month": month,
        "people_served": queryset.aggregate(n=Sum("people_served"))["n"] or 0,
    }
    return matrix


def month_due_date(period: datetime.date, due_day: int | None = None) -> datetime.date:
    due_day = due_day or fieldwork_settings().monthly_report_due_day
    year = period.year + (1 if period.month == 12 else 0)
    month = 1 if period.month == 12 else period.month + 1
    return datetime.date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def _month_end(period: datetime.date) -> datetime.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


@dataclass
class ComplianceRow:
    code: str
    name: str
    assignment: TkskAssignment | None
    report: Submission | None
    state: str  # no_tksk, missing, overdue, on_time, late

    @property
    def state_label(self) -> str:
        return str(COMPLIANCE_LABELS[self.state])


COMPLIANCE_LABELS = {
    "no_tksk": _("no TKSK"),
    "missing": _("not yet sent"),
    "overdue": _("overdue"),
    "on_time": _("on time"),
    "late": _("late"),
}


def monthly_report_compliance(*, user, period: datetime.date) -> dict[str, Any]:
    """For the month ``period``: per kecamatan the TKSK of that month, their report and whether
    it came on time, late, or not yet (overdue after the due date)."""
    period = period.replace(day=1)
    due = month_due_date(period)
    today = timezone.localdate()
    districts = list(_home_districts(user).order_by("name"))
    codes = [d.code for d in districts]
    assignments: dict[str, TkskAssignment] = {}
    for a in (
        TkskAssignment.objects.filter(district_id__in=codes, start_date__lte=_month_end(period))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period))
        .select_related("person")
        .order_by("start_date")
    ):
        assignments[a.district_id] = a  # the latest of the month
    reports: dict[str, Submission] = {}
    for report in (
        Submission.objects.filter(kind=KIND_MONTHLY_REPORT, period=period, district_id__in=codes)
        .exclude(status=Submission.Status.REJECTED)
        .select_related("submitted_by")
        .order_by("submitted_at")
    ):
        reports.setdefault(report.district_id, report)
    rows = []
    for d in districts:
        assignment, report = assignments.get(d.code), reports.get(d.code)
        if report is not None:
            state = "late" if report.is_late else "on_time"
        elif assignment is None:
            state = "no_tksk"
        else:
            state = "overdue" if today > due else "missing"
        rows.append(ComplianceRow(d.code, d.name, assignment, report, state))
    counts = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
    return {"period": period, "due_date": due, "rows": rows, "counts": dict(counts)}


@dataclass
class MonthStats:
    period: datetime.date
    due_date: datetime.date
    expected: int
    received: int
    on_time: int
    late: int
    overdue: int


def monthly_report_stats(*, user, year: int) -> list[MonthStats]:
    """Per month of ``year`` (up to this month): reports expected (kecamatan with a TKSK that
    month), received, on time, late, and still missing after the due date."""
    today = timezone.localdate()
    codes = list(_home_districts(user).values_list("code", flat=True))
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    assignments = list(
        TkskAssignment.objects.filter(district_id__in=codes, start_date__lte=year_end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=year_start))
        .values("district_id", "start_date", "ended_on")
    )
    received = defaultdict(dict)
    for district_id, period, is_late in (
        Submission.objects.filter(
            kind=KIND_MONTHLY_REPORT, period__year=year, district_id__in=codes
        )
        .exclude(status=Submission.Status.REJECTED)
        .values_list("district_id", "period", "is_late")
    ):
        received[period].setdefault(district_id, is_late)
    due_day = fieldwork_settings().monthly_report_due_day
    result = []
    for month in range(1, 13):
        period = datetime.date(year, month, 1)
        if period > today:
            break
        end = _month_end(period)
        expected = {
            a["district_id"]
            for a in assignments
            if a["start_date"] <= end and (a["ended_on"] is None or a["ended_on"] >= period)
        }
        got = received.get(period, {})
        due = month_due_date(period, due_day)
        result.append(
            MonthStats(
                period=period,
                due_date=due,
                expected=len(expected),
                received=len(got),
                on_time=sum(1 for late in got.values() if not late),
                late=sum(1 for late in got.values() if late),
                overdue=len(expected - set(got)) if today > due else 0,
            )
        )
    return result


@dataclass
class KindFigure:
    kind: str
    available: bool
    label: Any
    by_district: dict[str, int | None]
    total: int


def kind_figure(code: str, *, user, year: int | None = None) -> KindFigure:
    """A figure per kecamatan from the approved submissions of one kind (by the date of what
    was reported): the kind's own ``figure`` function, else the number of approved forms.
    ``available`` is False while no module has registered the kind."""
    kind = find_kind(code)
    if kind is None:
        return KindFigure(kind=code, available=False, label=code, by_district={}, total=0)
    queryset = Submission.objects.filter(
        kind=code,
        status=Submission.Status.APPROVED,
        district__regency_id=settings.WELFARE_HOME_REGENCY,
    ).filter(stats_filter(user, "district_id"))
    if year:
        queryset = queryset.filter(event_date__year=year)
    if kind.figure:
        counts = kind.figure(queryset)
    else:
        counts = dict(
            queryset.order_by()
            .values_list("district_id")
            .annotate(n=Count("pk"))
            .values_list("district_id", "n")
        )
    hide = _suppress(user)
    return KindFigure(
        kind=code,
        available=True,
        label=kind.figure_label or kind.label,
        by_district={code_: hide(n) for code_, n in counts.items()},
        total=sum(counts.values()),
    )


def ppks_identified_by_district(*, user, year: int | None = None) -> KindFigure:
    """PPKS identified per kecamatan: approved 'new PPKS' forms (kind (a), from the registry)."""
    return kind_figure(KIND_NEW_PPKS, user=user, year=year)


def verification_visits_by_district(*, user, year: int | None = None) -> KindFigure:
    """Household verification visits per kecamatan (kind (b), from the registry)."""
    return kind_figure(KIND_VERIFICATION_VISIT, user=user, year=year)
