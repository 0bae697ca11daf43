"""Every read of the programs shared by pages, API, exports, reports and other apps.

Figures are aggregated in SQL (a constant number of queries whatever the size of the
registry), scoped with ``stats_filter`` and, for API clients, with small counts suppressed.

Definitions (README "Programs"):

* *quota*: the yearly quota of the area (a kecamatan's own quota, or the sum of its desa quotas
  when it has none);
* *enrolled*: enrollments whose period touches the year, in any status but *usulan* (those who
  left during the year included);
* *active*: of those, the ones with status *aktif*, and the ones that left (*keluar*,
  *graduasi*) in a later year: they received the program when the year closed, so a past
  year's figure does not shrink when its recipients leave afterwards;
* *recipients*: enrollments with a disbursement planned in the stage (or, without a stage, in any
  stage of the year);
* *paid*: recipients with a disbursement *disalurkan* (count) and the amount paid;
* *% realized*: paid / recipients x 100, rounded half up to 2 decimals (the LKjIP table).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.access import (
    Action,
    restrict,
    small_count_threshold,
    stats_filter,
    suppress_small_counts,
)
from beneficiaries.models import Household, Person
from regions.models import District, Village
from welfare.formatting import round_half_up

from .models import (
    Disbursement,
    DisbursementSummary,
    Enrollment,
    EnrollmentSummary,
    KubeGroup,
    Program,
    ProgramQuota,
    Stage,
)
from .targeting import EXCLUSION_DESIL, INCLUSION_DESIL

GROUP_BY = ("district", "village")


def percent(part, whole) -> Decimal | None:
    if not whole or part is None:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole))


def _suppressor(user):
    if not suppress_small_counts(user):
        return lambda value: value
    threshold = small_count_threshold()
    return lambda value: None if value is not None and 0 < value < threshold else value


# --- Lists -------------------------------------------------------------------------------------


def program_list(*, user) -> QuerySet[Program]:
    return restrict(Program.objects.select_related("bidang"), user, Action.VIEW)


def program_get(*, user, code: str) -> Program:
    from accounts.access import access_object

    return access_object(user, program_list(user=user), Action.VIEW, code=code)


def enrollment_list(*, user, action: str = Action.VIEW) -> QuerySet[Enrollment]:
    queryset = Enrollment.objects.select_related(
        "program", "person", "household", "group", "district", "village"
    )
    return restrict(queryset, user, action)


def disbursement_list(*, user, action: str = Action.VIEW) -> QuerySet[Disbursement]:
    return restrict(
        Disbursement.objects.select_related(
            "stage",
            "enrollment__person",
            "enrollment__household",
            "enrollment__group",
            "district",
            "village",
            "program",
        ),
        user,
        action,
    )


def group_list(*, user, action: str = Action.VIEW) -> QuerySet[KubeGroup]:
    return restrict(
        KubeGroup.objects.select_related("program", "district", "village").annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True))
        ),
        user,
        action,
    )


def stages_of(program: Program, year: int) -> list[Stage]:
    return list(Stage.objects.filter(program=program, year=year).order_by("number"))


def program_years(program: Program) -> list[int]:
    years = set(Stage.objects.filter(program=program).values_list("year", flat=True))
    years |= set(ProgramQuota.objects.filter(program=program).values_list("year", flat=True))
    return sorted(years, reverse=True)


# --- Statistics --------------------------------------------------------------------------------


@dataclass
class StatsRow:
    code: str
    name: str
    district_code: str = ""
    district_name: str = ""
    quota: int | None = None
    enrolled: int | None = 0
    active: int | None = 0
    recipients: int | None = 0
    paid_count: int | None = 0
    paid_amount: Decimal = Decimal(0)
    planned_amount: Decimal = Decimal(0)
    pct_paid: Decimal | None = None
    pct_amount: Decimal | None = None


@dataclass
class ProgramStats:
    program: Program
    year: int
    stage: Stage | None
    group_by: str
    rows: list[StatsRow] = field(default_factory=list)
    total: StatsRow | None = None


def in_year(year: int) -> Q:
    """Enrollments whose period touches the year."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def summary_in_year(year: int) -> Q:
    """``in_year`` on ``EnrollmentSummary`` (start and end kept as years: the same rows)."""
    return Q(start_year__lte=year) & (Q(end_year__isnull=True) | Q(end_year__gte=year))


def _areas(user, group_by: str, district_code: str | None = None):
    """(code, name, kecamatan code, kecamatan name) of the areas in the user's scope (``None``:
    the whole home regency, for a report built by the office), in order: tuples, not model
    instances (345 desa per page)."""
    home = settings.WELFARE_HOME_REGENCY

    def scope(path: str) -> Q:
        return stats_filter(user, path) if user is not None else Q()

    if group_by == "district":
        return [
            (code, name, code, name)
            for code, name in District.objects.filter(regency_id=home)
            .filter(scope("code"))
            .order_by("name")
            .values_list("code", "name")
        ]
    villages = Village.objects.filter(district__regency_id=home).filter(scope("district_id"))
    if district_code:
        villages = villages.filter(district_id=district_code)
    return list(
        villages.order_by("district__name", "name").values_list(
            "code", "name", "district_id", "district__name"
        )
    )


def _key(group_by: str) -> str:
    return "district_id" if group_by == "district" else "village_id"


def program_stats(
    *,
    user,
    program: Program,
    year: int,
    stage: Stage | None = None,
    group_by: str = "district",
    district_code: str | None = None,
) -> ProgramStats:
    """Quota, enrolled, active, recipients, paid (count and amount) and % realized per
    kecamatan or desa, for a year or one stage: four aggregate queries."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {GROUP_BY}")
    key = _key(group_by)
    scope = stats_filter(user, "district_id")
    region = Q(district_id=district_code) if district_code else Q()

    quotas: dict[str, int] = defaultdict(int)
    quota_rows = (
        ProgramQuota.objects.filter(program=program, year=year)
        .filter(scope & region)
        .values_list("district_id", "village_id", "quota")
    )
    district_own: dict[str, int] = {}
    district_from_villages: dict[str, int] = defaultdict(int)
    for district_id, village_id, quota in quota_rows:
        if village_id:
            district_from_villages[district_id] += quota
            if group_by == "village":
                quotas[village_id] += quota
        else:
            district_own[district_id] = quota
    if group_by == "district":
        for code in set(district_own) | set(district_from_villages):
            quotas[code] = district_own.get(code, district_from_villages.get(code, 0))

    enrollment_counts = {
        row[key]: row
        for row in EnrollmentSummary.objects.filter(program=program)
        .filter(summary_in_year(year) & scope & region)
        .exclude(status=Enrollment.Status.PROPOSED)
        .order_by()
        .values(key)
        .annotate(
            enrolled=Sum("count"),
            active=Sum(
                "count",
                filter=Q(status=Enrollment.Status.ACTIVE)
                | Q(status__in=Enrollment.CLOSED_STATUSES, end_year__gt=year),
            ),
        )
    }
    money = _money(
        DisbursementSummary.objects.filter(program=program, year=year).filter(scope & region),
        key,
        stage,
    )
    hide = _suppressor(user)
    rows = []
    total = StatsRow(code="", name="", quota=0)
    any_quota = bool(quotas)
    for code, name, d_code, d_name in _areas(user, group_by, district_code):
        e = enrollment_counts.get(code, {})
        m = money.get(code, {})
        row = StatsRow(
            code=code,
            name=name,
            district_code=d_code,
            district_name=d_name,
            quota=quotas.get(code) if any_quota else None,
            enrolled=e.get("enrolled") or 0,
            # None (a sum over no row) where every enrollment of the area left or is suspended
            active=e.get("active") or 0,
            recipients=m.get("recipients", 0),
            paid_count=m.get("paid_count", 0),
            paid_amount=m.get("paid_amount", Decimal(0)),
            planned_amount=m.get("planned_amount", Decimal(0)),
        )
        _add(total, row)
        rows.append(_finish(row, hide))
    if not any_quota:
        total.quota = None
    total = _finish(total, lambda v: v)
    total.enrolled, total.active, total.recipients, total.paid_count = (
        hide(total.enrolled),
        hide(total.active),
        hide(total.recipients),
        hide(total.paid_count),
    )
    return ProgramStats(
        program=program, year=year, stage=stage, group_by=group_by, rows=rows, total=total
    )


def _money(summaries: QuerySet, key: str, stage: Stage | None) -> dict:
    """Recipients, paid (count) and the amounts per area from ``DisbursementSummary``: the
    stage's rows, or the year's (each enrollment once). A disbursement carries its
    enrollment's desa, so an enrollment falls in one area and the areas add up to the total."""
    rows = summaries.filter(stage=stage) if stage is not None else summaries.filter(stage=None)
    return {
        row[key]: {
            "recipients": row["n"] or 0,
            "paid_count": row["paid"] or 0,
            "paid_amount": row["paid_sum"] or Decimal(0),
            "planned_amount": row["planned_sum"] or Decimal(0),
        }
        for row in rows.order_by()
        .values(key)
        .annotate(
            n=Sum("recipients"),
            paid=Sum("paid_count"),
            paid_sum=Sum("paid_amount"),
            planned_sum=Sum("planned_amount"),
        )
    }


def _add(total: StatsRow, row: StatsRow) -> None:
    if row.quota is not None:
        total.quota = (total.quota or 0) + row.quota
    total.enrolled += row.enrolled
    total.active += row.active
    total.recipients += row.recipients
    total.paid_count += row.paid_count
    total.paid_amount += row.paid_amount
    total.planned_amount += row.planned_amount


def _finish(row: StatsRow, hide) -> StatsRow:
    row.pct_paid = percent(row.paid_count, row.recipients)
    row.pct_amount = percent(row.paid_amount, row.planned_amount)
    if hide(row.recipients) is None or hide(row.paid_count) is None:
        # A suppressed count must not be recoverable from its percentage or amount.
        row.pct_paid = None
        row.pct_amount = None
        row.paid_amount = None
        row.planned_amount = None
    row.enrolled = hide(row.enrolled)
    row.active = hide(row.active)
    row.recipients = hide(row.recipients)
    row.paid_count = hide(row.paid_count)
    return row


@dataclass
class StageFigure:
    number: int
    name: str
    recipients: int = 0
    paid: int = 0
    pct: Decimal | None = None
    paid_amount: Decimal = Decimal(0)


@dataclass
class RealizationRow:
    code: str
    name: str
    district_code: str
    district_name: str
    recipients: int = 0
    stages: list[StageFigure] = field(default_factory=list)
    is_subtotal: bool = False


def realization_by_area(
    *,
    program: Program,
    year: int,
    stage: Stage | None = None,
    group_by: str = "village",
    user=None,
) -> list[RealizationRow]:
    """The LKjIP table "aid per desa per tahap" (e.g. Tabel 3.28): per desa (or kecamatan) the
    recipients of the year (*Jumlah*: enrollments with a disbursement planned in any stage) and
    for each stage the recipients paid and their % of *Jumlah*; with ``group_by="village"`` a
    *Sub Total* row follows each kecamatan, and a last row gives the total. One aggregate query.
    ``user=None`` is the whole regency (the report); a user's region scope applies otherwise."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {GROUP_BY}")
    key = _key(group_by)
    stages = stages_of(program, year)
    if stage is not None:
        stages = [s for s in stages if s.pk == stage.pk]
    base = DisbursementSummary.objects.filter(program=program, year=year)
    if user is not None:
        base = base.filter(stats_filter(user, "district_id"))
    recipients = {area: figures["recipients"] for area, figures in _money(base, key, None).items()}
    per_stage = {
        (row[key], row["stage_id"]): row
        for row in base.filter(stage__in=stages)
        .order_by()
        .values(key, "stage_id")
        .annotate(paid=Sum("paid_count"), amount=Sum("paid_amount"))
    }
    rows: list[RealizationRow] = []
    subtotal: RealizationRow | None = None
    total = RealizationRow(
        code="",
        name="",
        district_code="",
        district_name="",
        is_subtotal=True,
        stages=[StageFigure(s.number, str(s)) for s in stages],
    )

    def close(sub):
        if sub is not None:
            for figure in sub.stages:
                figure.pct = percent(figure.paid, sub.recipients) if sub.recipients else Decimal(0)
            rows.append(sub)

    for code, name, d_code, d_name in _areas(user, group_by):
        if group_by == "village" and (subtotal is None or subtotal.district_code != d_code):
            close(subtotal)
            subtotal = RealizationRow(
                code=d_code,
                name=d_name,
                district_code=d_code,
                district_name=d_name,
                is_subtotal=True,
                stages=[StageFigure(s.number, str(s)) for s in stages],
            )
        row = RealizationRow(
            code=code,
            name=name,
            district_code=d_code,
            district_name=d_name,
            recipients=recipients.get(code, 0),
        )
        for index, s in enumerate(stages):
            figures = per_stage.get((code, s.pk), {})
            figure = StageFigure(
                s.number,
                str(s),
                recipients=row.recipients,
                paid=figures.get("paid", 0),
                paid_amount=figures.get("amount", Decimal(0)),
            )
            figure.pct = percent(figure.paid, row.recipients) if row.recipients else Decimal(0)
            row.stages.append(figure)
            for agg in (subtotal, total):
                if agg is not None:
                    agg.stages[index].paid += figure.paid
                    agg.stages[index].paid_amount += figure.paid_amount
        for agg in (subtotal, total):
            if agg is not None:
                agg.recipients += row.recipients
        rows.append(row)
    close(subtotal)
    close(total)
    return rows


# --- Targeting checks --------------------------------------------------------------------------


@dataclass
class TargetingRow:
    code: str
    name: str
    exclusion: int | None
    inclusion: int | None


def _program_filter(program: Program | None) -> Q:
    return Q(program=program) if program else Q()


def possible_exclusion(*, user, program: Program | None = None) -> QuerySet[Household]:
    """Active households in desil 1-4 with no current enrollment (in ``program``, or in any
    program): possibly left out. A household counts as covered when it, one of its members or
    a KUBE group it is a member of holds an enrollment in aktif, ditangguhkan or terverifikasi
    (``programs.targeting`` keeps the counts per kecamatan with the same definition)."""
    covered = Enrollment.objects.filter(
        _program_filter(program),
        status__in=(
            Enrollment.Status.ACTIVE,
            Enrollment.Status.SUSPENDED,
            Enrollment.Status.VERIFIED,
        ),
    )
    queryset = Household.objects.filter(
        status=Household.Status.ACTIVE,
        deleted_at__isnull=True,
        desil__gte=EXCLUSION_DESIL[0],
        desil__lte=EXCLUSION_DESIL[1],
    ).exclude(
        Exists(covered.filter(household=OuterRef("pk")))
        | Exists(covered.filter(person__household=OuterRef("pk")))
        | Exists(
            covered.filter(
                group__members__household=OuterRef("pk"), group__members__left_on__isnull=True
            )
        )
    )
    return restrict(queryset.select_related("district", "village"), user, Action.VIEW)


def possible_inclusion(*, user, program: Program | None = None) -> QuerySet[Enrollment]:
    """Active enrollments whose household (the person's household for a person program) is
    in desil 6-10: possibly an inclusion error."""
    low, high = INCLUSION_DESIL
    queryset = Enrollment.objects.filter(
        _program_filter(program), status=Enrollment.Status.ACTIVE
    ).filter(
        Q(household__desil__gte=low, household__desil__lte=high)
        | Q(person__household__desil__gte=low, person__household__desil__lte=high)
    )
    return enrollment_list(user=user).filter(pk__in=queryset.values("pk"))


def targeting_by_district(*, user, program: Program | None = None) -> list[TargetingRow]:
    """Per kecamatan in the user's region scope: possible exclusion (households) and possible
    inclusion (enrollments), from ``TargetingSummary`` (``programs.targeting``: the same
    definitions as ``possible_exclusion`` / ``possible_inclusion``, the lists behind them)."""
    from . import targeting

    hide = _suppressor(user)
    counts = targeting.figures(program.pk if program else None)
    return [
        TargetingRow(
            code=code,
            name=name,
            exclusion=hide(counts.get(code, (0, 0))[0]),
            inclusion=hide(counts.get(code, (0, 0))[1]),
        )
        for code, name, _dc, _dn in _areas(user, "district")
    ]


# --- Integration points ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramMembership:
    enrollment_id: int
    program_code: str
    program_name: str
    status: str
    status_label: str
    start_date: datetime.date
    end_date: datetime.date | None
    via: str  # "household", "person" (a member), "group"
    person_id: int | None = None


def _membership(row, via) -> ProgramMembership:
    return ProgramMembership(
        enrollment_id=row.pk,
        program_code=row.program.code,
        program_name=row.program.name,
        status=row.status,
        status_label=row.get_status_display(),
        start_date=row.start_date,
        end_date=row.end_date,
        via=via,
        person_id=row.person_id,
    )


def household_programs(
    household_ids, *, current_only: bool = False
) -> dict[int, list[ProgramMembership]]:
    """For the registry's household page: every enrollment of each household, of its members
    and of the KUBE groups it belongs to (newest first). Three queries by index. The caller
    checks access to the households."""
    ids = list(household_ids)
    return _household_programs(ids, current_only)


def _household_programs(ids, current_only) -> dict[int, list[ProgramMembership]]:
    from .models import KubeMember

    result: dict[int, list[ProgramMembership]] = {pk: [] for pk in ids}
    # The members and KUBE groups first (a few rows by their indexes), then the enrollments by
    # their own keys: one condition joined across persons and group members (household OR
    # member's household OR group member's household) made PostgreSQL scan the enrollments
    # (0,4 s a household page at Lebak's size).
    members = dict(Person.objects.filter(household_id__in=ids).values_list("pk", "household_id"))
    groups: dict[int, list[int]] = {}
    for group_id, household_id in KubeMember.objects.filter(
        household_id__in=ids, left_on__isnull=True
    ).values_list("group_id", "household_id"):
        groups.setdefault(group_id, []).append(household_id)
    base = Enrollment.objects.select_related("program")
    if current_only:
        base = base.filter(status__in=Enrollment.OPEN_STATUSES)
    rows = base.filter(
        Q(household_id__in=ids) | Q(person_id__in=list(members)) | Q(group_id__in=list(groups))
    ).order_by("-start_date", "-pk")
    for row in rows:
        if row.household_id in result:
            result[row.household_id].append(_membership(row, "household"))
        elif row.person_id in members:
            result[members[row.person_id]].append(_membership(row, "person"))
        for household_id in groups.get(row.group_id, []) if row.group_id else []:
            result[household_id].append(_membership(row, "group"))
    return result


def person_programs(
    person_ids, *, current_only: bool = False
) -> dict[int, list[ProgramMembership]]:
    """For the registry's person page: the person's own enrollments and those of their
    household (via="household"). One query."""
    ids = list(person_ids)
    households = dict(Person.objects.filter(pk__in=ids).values_list("pk", "household_id"))
    result: dict[int, list[ProgramMembership]] = {pk: [] for pk in ids}
    base = Enrollment.objects.select_related("program")
    if current_only:
        base = base.filter(status__in=Enrollment.OPEN_STATUSES)
    household_ids = {h for h in households.values() if h}
    for row in base.filter(Q(person_id__in=ids) | Q(household_id__in=household_ids)).order_by(
        "-start_date", "-pk"
    ):
        if row.person_id in result:
            result[row.person_id].append(_membership(row, "person"))
        else:
            for pid, hid in households.items():
                if hid and hid == row.household_id:
                    result[pid].append(_membership(row, "household"))
    return result


def filter_by_program(queryset: QuerySet, program_code: str, *, statuses=None) -> QuerySet:
    """Limit a Person or Household queryset to those enrolled in the program (``statuses``,
    default the open ones: usulan, terverifikasi, aktif, ditangguhkan). A person counts through
    their own enrollment or their household's; a household through its own, a member's or its
    KUBE group's. One EXISTS subquery; an unknown code gives an empty queryset."""
    statuses = tuple(statuses or Enrollment.OPEN_STATUSES)
    enrollments = Enrollment.objects.filter(program__code=program_code, status__in=statuses)
    model = queryset.model
    if model is Person:
        return queryset.filter(
            Exists(enrollments.filter(person=OuterRef("pk")))
            | Exists(
                enrollments.filter(household=OuterRef("household_id"), household__isnull=False)
            )
        )
    if model is Household:
        return queryset.filter(
            Exists(enrollments.filter(household=OuterRef("pk")))
            | Exists(enrollments.filter(person__household=OuterRef("pk")))
            | Exists(
                enrollments.filter(
                    group__members__household=OuterRef("pk"), group__members__left_on__isnull=True
                )
            )
        )
    raise TypeError(f"filter_by_program works on Person or Household, not {model.__name__}")


def active_recipients_by_district(district_codes) -> dict[str, int]:
    """Active enrollments (all programs) per kecamatan: the field work workload column."""
    codes = list(district_codes)
    return dict(
        EnrollmentSummary.objects.filter(status=Enrollment.Status.ACTIVE, district_id__in=codes)
        .order_by()
        .values_list("district_id")
        .annotate(n=Sum("count"))
        .values_list("district_id", "n")
    )


@dataclass(frozen=True)
class PaidShare:
    paid: int
    recipients: int
    stages: int


def paid_share(*, program: Program, year: int, through: datetime.date) -> PaidShare:
    """Recipients of the year's stages planned by ``through`` (planned date, or any stage
    without one) and how many of them were paid by that date: the performance source."""
    stages = Stage.objects.filter(program=program, year=year).filter(
        Q(planned_on__lte=through) | Q(planned_on__isnull=True)
    )
    base = Disbursement.objects.filter(program=program, year=year, stage__in=stages)
    figures = base.aggregate(
        recipients=Count("enrollment_id", distinct=True),
        paid=Count(
            "enrollment_id",
            distinct=True,
            filter=Q(status=Disbursement.Status.PAID, paid_on__lte=through),
        ),
    )
    return PaidShare(paid=figures["paid"], recipients=figures["recipients"], stages=stages.count())


@dataclass
class DashboardRow:
    program: Program
    active: int


def dashboard_figures(*, user) -> list[DashboardRow]:
    counts = dict(
        EnrollmentSummary.objects.filter(status=Enrollment.Status.ACTIVE)
        .filter(stats_filter(user, "district_id"))
        .order_by()
        .values_list("program_id")
        .annotate(n=Sum("count"))
        .values_list("program_id", "n")
    )
    return [
        DashboardRow(program=p, active=counts.get(p.pk, 0))
        for p in program_list(user=user).filter(active=True)
    ]


# --- BNBA (by name, by address) ----------------------------------------------------------------

BNBA_ORDERS = ("name", "address")


def bnba(queryset: QuerySet[Enrollment], *, order: str = "name") -> QuerySet[Enrollment]:
    """The list of recipients *by name, by address*: each enrollment with the recipient's name
    and NIK (a household: its head), No. KK, address, RT/RW, desa and kecamatan as columns of
    one query. ``order``: ``name`` or ``address`` (kecamatan, desa, RW, RT, address, name)."""
    from django.db.models import CharField, F, Subquery, Value

    head = Person.objects.filter(
        household=OuterRef("household_id"), relationship="kepala", deceased=False
    ).order_by("pk")
    rows = queryset.select_related(None).annotate(
        recipient_name=Coalesce(
            F("person__name"),
            Subquery(head.values("name")[:1]),
            F("group__name"),
            Value(""),
            output_field=CharField(),
        ),
        recipient_nik=Coalesce(
            F("person__nik"),
            Subquery(head.values("nik")[:1]),
            Value(""),
            output_field=CharField(),
        ),
        no_kk=Coalesce(
            F("household__no_kk"),
            F("person__household__no_kk"),
            Value(""),
            output_field=CharField(),
        ),
        address=Coalesce(
            F("household__address"),
            F("person__household__address"),
            Value(""),
            output_field=CharField(),
        ),
        rt=Coalesce(
            F("household__rt"), F("person__household__rt"), Value(""), output_field=CharField()
        ),
        rw=Coalesce(
            F("household__rw"), F("person__household__rw"), Value(""), output_field=CharField()
        ),
        village_name=F("village__name"),
        district_name=F("district__name"),
        program_code=F("program__code"),
    )
    if order == "address":
        return rows.order_by(
            "district_name", "village_name", "rw", "rt", "address", "recipient_name", "pk"
        )
    return rows.order_by("recipient_name", "pk")
