"""Eligibility of persons and households for a program, set-based.

``check_households(program, queryset, on)`` / ``check_persons(program, queryset, on)`` annotate a
queryset with what the rules need (one query whatever its size) and return, per id, the list of
failed rules as messages in the active language. A single enrollment uses the same functions
with a queryset of one, so that the page, the bulk enrollment and the import agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from beneficiaries.models import CategoryPlacement, Household, Person

from .models import SEVERITY_ORDER, Composition, Enrollment, Program, Unit


@dataclass(frozen=True)
class Failure:
    rule: str  # desil, category, age, disability, composition, deceased, registry, enrolled
    message: str


def _age(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _years_ago(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _composition_q(code: str, on: datetime.date) -> Q:
    if code == Composition.TODDLER:
        return Q(birth_date__gt=_years_ago(on, 6))
    if code == Composition.SCHOOL_CHILD:
        return Q(birth_date__lte=_years_ago(on, 6), birth_date__gt=_years_ago(on, 19))
    if code == Composition.ELDERLY:
        return Q(birth_date__lte=_years_ago(on, 60))
    if code == Composition.DISABLED:
        return (
            Q(disability_physical=True)
            | Q(disability_intellectual=True)
            | Q(disability_mental=True)
            | Q(disability_sensory=True)
        )
    raise ValueError(code)


def _severities(program: Program) -> list[str]:
    floor = SEVERITY_ORDER.get(program.min_disability_severity, 0)
    return [code for code, rank in SEVERITY_ORDER.items() if rank >= floor]


def _open_placements(category_ids):
    return CategoryPlacement.objects.filter(
        category_id__in=category_ids, status__in=CategoryPlacement.OPEN_STATUSES
    )


def _open_enrollments(program: Program):
    return Enrollment.objects.filter(program=program, status__in=Enrollment.OPEN_STATUSES)


def _category_names(program: Program) -> str:
    return ", ".join(c.name for c in program.categories.all())


def _desil_failure(program: Program, desil) -> Failure | None:
    if program.max_desil is None:
        return None
    if desil is None:
        return Failure(
            "desil",
            _("The household has no DTSEN desil; this program is for desil %(max)s or lower.")
            % {"max": program.max_desil},
        )
    if desil > program.max_desil:
        return Failure(
            "desil",
            _(
                "The household's DTSEN desil is %(desil)s; this program is for desil %(max)s or lower."
            )
            % {"desil": desil, "max": program.max_desil},
        )
    return None


def _age_failure(program: Program, age: int | None, who) -> Failure | None:
    if program.min_age is None and program.max_age is None:
        return None
    low = program.min_age if program.min_age is not None else 0
    high = program.max_age
    if age is None or age < low or (high is not None and age > high):
        band = f"{low}-{high}" if high is not None else f"{low}+"
        return Failure(
            "age",
            _("%(who)s is %(age)s years old; this program is for ages %(band)s.")
            % {"who": who, "age": "?" if age is None else age, "band": band},
        )
    return None


def _composition_failure(program: Program, row) -> Failure | None:
    if not program.composition:
        return None
    if any(getattr(row, f"has_{code}") for code in program.composition):
        return None
    return Failure(
        "composition",
        _("The household has no member who is %(members)s.")
        % {"members": _(" or ").join(program.composition_labels())},
    )


def check_households(program: Program, queryset, on: datetime.date) -> dict[int, list[Failure]]:
    """Failures per household id of ``queryset`` for a household program (or the households
    of a group's members)."""
    members = Person.objects.filter(household=OuterRef("pk"), deceased=False)
    annotations = {
        "enrolled_status": Subquery(
            _open_enrollments(program).filter(household=OuterRef("pk")).values("status")[:1]
        ),
        "head_birth_date": Subquery(members.filter(relationship="kepala").values("birth_date")[:1]),
    }
    category_ids = list(program.categories.values_list("pk", flat=True))
    if category_ids:
        annotations["in_category"] = Exists(
            _open_placements(category_ids).filter(
                Q(household=OuterRef("pk")) | Q(person__household=OuterRef("pk"))
            )
        )
    if program.min_disability_severity:
        annotations["has_severity"] = Exists(
            members.filter(disability_severity__in=_severities(program))
        )
    for code in program.composition:
        annotations[f"has_{code}"] = Exists(members.filter(_composition_q(code, on)))
    rows = queryset.annotate(**annotations)
    result: dict[int, list[Failure]] = {}
    for row in rows:
        failures: list[Failure] = []
        if row.status != Household.Status.ACTIVE or row.deleted_at is not None:
            failures.append(
                Failure(
                    "registry",
                    _("The household is not active in the registry (%(status)s).")
                    % {"status": row.get_status_display()},
                )
            )
        if row.enrolled_status:
            failures.append(_enrolled_failure(row.enrolled_status))
        if failure := _desil_failure(program, row.desil):
            failures.append(failure)
        if category_ids and not row.in_category:
            failures.append(_category_failure(program))
        if failure := _age_failure(program, _age(row.head_birth_date, on), _("The head")):
            failures.append(failure)
        if program.min_disability_severity and not row.has_severity:
            failures.append(_severity_failure(program))
        if failure := _composition_failure(program, row):
            failures.append(failure)
        result[row.pk] = failures
    return result


def _enrolled_failure(status: str) -> Failure:
    return Failure(
        "enrolled",
        _("Already enrolled in this program (status: %(status)s).")
        % {"status": Enrollment.Status(status).label},
    )


def _category_failure(program: Program) -> Failure:
    return Failure(
        "category",
        _("Not placed in any PPKS category of this program (%(categories)s).")
        % {"categories": _category_names(program)},
    )


def _severity_failure(program: Program) -> Failure:
    return Failure(
        "disability",
        _("This program requires a disability of severity %(severity)s or higher.")
        % {"severity": program.get_min_disability_severity_display().lower()},
    )


def check_persons(program: Program, queryset, on: datetime.date) -> dict[int, list[Failure]]:
    """Failures per person id of ``queryset`` for a person program."""
    same_household = Person.objects.filter(
        household=OuterRef("household_id"), household__isnull=False, deceased=False
    )
    annotations = {
        "enrolled_status": Subquery(
            _open_enrollments(program).filter(person=OuterRef("pk")).values("status")[:1]
        ),
    }
    category_ids = list(program.categories.values_list("pk", flat=True))
    if category_ids:
        annotations["in_category"] = Exists(
            _open_placements(category_ids).filter(
                Q(person=OuterRef("pk"))
                | Q(household=OuterRef("household_id"), household__isnull=False)
            )
        )
    for code in program.composition:
        annotations[f"has_{code}"] = Exists(same_household.filter(_composition_q(code, on)))
    rows = queryset.select_related("household").annotate(**annotations)
    severities = _severities(program)
    result: dict[int, list[Failure]] = {}
    for row in rows:
        failures: list[Failure] = []
        if row.deceased:
            failures.append(Failure("deceased", _("The person is recorded as deceased.")))
        if row.deleted_at is not None or row.merged_into_id:
            failures.append(
                Failure("registry", _("The person is no longer an active record of the registry."))
            )
        if row.enrolled_status:
            failures.append(_enrolled_failure(row.enrolled_status))
        household = row.household
        if program.max_desil is not None and (
            failure := _desil_failure(program, household.desil if household else None)
        ):
            failures.append(failure)
        if category_ids and not row.in_category:
            failures.append(_category_failure(program))
        if failure := _age_failure(program, _age(row.birth_date, on), _("The person")):
            failures.append(failure)
        if program.min_disability_severity and row.disability_severity not in severities:
            failures.append(_severity_failure(program))
        if failure := _composition_failure(program, row):
            failures.append(failure)
        result[row.pk] = failures
    return result


def eligible_households(program: Program, queryset, on: datetime.date):
    """The households of ``queryset`` that meet every rule, as one queryset (for the bulk
    enrollment list): the same rules as ``check_households``, expressed as filters."""
    members = Person.objects.filter(household=OuterRef("pk"), deceased=False)
    queryset = queryset.filter(status=Household.Status.ACTIVE, deleted_at__isnull=True).exclude(
        Exists(_open_enrollments(program).filter(household=OuterRef("pk")))
    )
    if program.max_desil is not None:
        queryset = queryset.filter(desil__lte=program.max_desil)
    category_ids = list(program.categories.values_list("pk", flat=True))
    if category_ids:
        queryset = queryset.filter(
            Exists(
                _open_placements(category_ids).filter(
                    Q(household=OuterRef("pk")) | Q(person__household=OuterRef("pk"))
                )
            )
        )
    if program.min_age is not None or program.max_age is not None:
        head = members.filter(relationship="kepala")
        if program.min_age is not None:
            head = head.filter(birth_date__lte=_years_ago(on, program.min_age))
        if program.max_age is not None:
            head = head.filter(birth_date__gt=_years_ago(on, program.max_age + 1))
        queryset = queryset.filter(Exists(head))
    if program.min_disability_severity:
        queryset = queryset.filter(
            Exists(members.filter(disability_severity__in=_severities(program)))
        )
    if program.composition:
        any_of = Q()
        for code in program.composition:
            any_of |= Q(Exists(members.filter(_composition_q(code, on))))
        queryset = queryset.filter(any_of)
    return queryset


def eligible_persons(program: Program, queryset, on: datetime.date):
    """The persons of ``queryset`` that meet every rule (see ``eligible_households``)."""
    queryset = queryset.filter(
        deceased=False, deleted_at__isnull=True, merged_into__isnull=True
    ).exclude(Exists(_open_enrollments(program).filter(person=OuterRef("pk"))))
    if program.max_desil is not None:
        queryset = queryset.filter(household__desil__lte=program.max_desil)
    category_ids = list(program.categories.values_list("pk", flat=True))
    if category_ids:
        queryset = queryset.filter(
            Exists(
                _open_placements(category_ids).filter(
                    Q(person=OuterRef("pk"))
                    | Q(household=OuterRef("household_id"), household__isnull=False)
                )
            )
        )
    if program.min_age is not None:
        queryset = queryset.filter(birth_date__lte=_years_ago(on, program.min_age))
    if program.max_age is not None:
        queryset = queryset.filter(birth_date__gt=_years_ago(on, program.max_age + 1))
    if program.min_disability_severity:
        queryset = queryset.filter(disability_severity__in=_severities(program))
    if program.composition:
        same_household = Person.objects.filter(
            household=OuterRef("household_id"), household__isnull=False, deceased=False
        )
        any_of = Q()
        for code in program.composition:
            any_of |= Q(Exists(same_household.filter(_composition_q(code, on))))
        queryset = queryset.filter(any_of)
    return queryset


def check_one(program: Program, *, person=None, household=None, on: datetime.date) -> list[Failure]:
    if program.unit == Unit.PERSON:
        return check_persons(program, Person.objects.filter(pk=person.pk), on)[person.pk]
    return check_households(program, Household.objects.filter(pk=household.pk), on)[household.pk]
