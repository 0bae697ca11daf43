"""Reads of the registry shared by the pages, the API, exports and reports.

* ``person_list`` / ``household_list``: what a user may see (region scope, API clients get
  nothing), alive records, with what a list shows (no N+1).
* ``ppks_counts``: counts of PPKS (open placements) by kecamatan, desa, category, desil, sex
  and age band; small counts suppressed for API clients.
* ``desil_recap``: households and persons per kecamatan x desil (LKjIP "rekap DTSEN per desil").
* ``duplicate_candidates``: probable duplicates for review.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from accounts.access import (
    Action,
    restrict,
    small_count_threshold,
    stats_filter,
    suppress_small_counts,
)
from regions.models import District, Village

from .filters import AGE_BAND_BOUNDS, AGE_BANDS, birth_date_range
from .models import CategoryPlacement, Household, ImportBatch, Person, PpksCategory, Sex


def _suppress(user):
    """A function hiding counts below the threshold (None) from API clients."""
    if not suppress_small_counts(user):
        return lambda value: value
    threshold = small_count_threshold()
    return lambda value: None if value is not None and 0 < value < threshold else value


# --- Lists ----------------------------------------------------------------------------------


def person_list(*, user, action: str = Action.VIEW, state: str = "active") -> QuerySet[Person]:
    """Persons the user may act on. ``state``: "active" (alive, not deleted, not merged),
    "deceased", "deleted" or "all"."""
    queryset = Person.objects.select_related("district", "village", "household")
    if state == "active":
        queryset = queryset.filter(deleted_at__isnull=True, deceased=False, merged_into=None)
    elif state == "deceased":
        queryset = queryset.filter(deleted_at__isnull=True, deceased=True)
    elif state == "deleted":
        queryset = queryset.filter(deleted_at__isnull=False)
    return restrict(queryset, user, action)


def household_list(
    *, user, action: str = Action.VIEW, state: str = "active"
) -> QuerySet[Household]:
    queryset = Household.objects.select_related("district", "village")
    if state == "active":
        queryset = queryset.filter(deleted_at__isnull=True)
    elif state == "deleted":
        queryset = queryset.filter(deleted_at__isnull=False)
    return restrict(queryset, user, action)


def with_member_counts(queryset: QuerySet[Household]) -> QuerySet[Household]:
    return queryset.annotate(
        member_count=Count(
            "members",
            filter=Q(members__deleted_at__isnull=True, members__deceased=False),
        )
    )


def household_members(household: Household) -> QuerySet[Person]:
    return household.members.filter(deleted_at__isnull=True, merged_into=None).order_by(
        "deceased", "birth_date"
    )


def placements_of_household(household: Household) -> QuerySet[CategoryPlacement]:
    """The household's own placements and those of its members."""
    # The members' keys first: one condition joined to the persons (household OR member's
    # household) made PostgreSQL scan the placements (1 s a household page at Lebak's size).
    members = list(Person.objects.filter(household=household).values_list("pk", flat=True))
    return (
        CategoryPlacement.objects.filter(Q(household=household) | Q(person_id__in=members))
        .select_related("category", "person")
        .order_by("category__number", "-identified_on")
    )


def categories_for(unit: str) -> QuerySet[PpksCategory]:
    units = [unit, PpksCategory.Unit.BOTH]
    return PpksCategory.objects.filter(active=True, unit__in=units).order_by("number")


def import_batch_list(*, user) -> QuerySet[ImportBatch]:
    return restrict(ImportBatch.objects.select_related("created_by"), user, Action.IMPORT)


# --- Duplicates -----------------------------------------------------------------------------


@dataclass
class DuplicateGroup:
    reason: str  # "same_name_birth" or "similar_name"
    persons: list[Person] = field(default_factory=list)
    similarity: float | None = None


def duplicate_candidates(*, user, district_code: str | None = None, limit: int = 100):
    """Probable duplicates among the active persons the user may see: the same normalised name
    and birth date; on PostgreSQL also names similar by trigrams (pg_trgm, similarity >= 0.6)
    with the same birth date in the same village. Each group is listed once."""
    persons = person_list(user=user)
    if district_code:
        persons = persons.filter(district_id=district_code)
    keys = (
        persons.values("name_normalized", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name_normalized", "birth_date")[:limit]
    )
    groups: list[DuplicateGroup] = []
    key_filter = Q()
    key_list = list(keys)
    for key in key_list:
        key_filter |= Q(name_normalized=key["name_normalized"], birth_date=key["birth_date"])
    if key_list:
        by_key: dict[tuple, list[Person]] = defaultdict(list)
        for person in persons.filter(key_filter).order_by("pk"):
            by_key[(person.name_normalized, person.birth_date)].append(person)
        for key in key_list:
            groups.append(
                DuplicateGroup(
                    reason="same_name_birth",
                    persons=by_key[(key["name_normalized"], key["birth_date"])],
                )
            )
    if connection.vendor == "postgresql" and len(groups) < limit:
        groups += _similar_name_groups(persons, limit - len(groups))
    return groups


def _similar_name_groups(persons: QuerySet[Person], limit: int) -> list[DuplicateGroup]:
    ids = persons.values("id")
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT a.id, b.id, similarity(a.name_normalized, b.name_normalized)
            FROM beneficiaries_person a
            JOIN beneficiaries_person b
              ON a.village_id = b.village_id AND a.birth_date = b.birth_date AND a.id < b.id
             AND a.name_normalized <> b.name_normalized
             AND a.name_normalized %% b.name_normalized
            WHERE a.id IN ({sql}) AND b.id IN ({sql})
              AND similarity(a.name_normalized, b.name_normalized) >= 0.6
            ORDER BY 3 DESC, a.id
            LIMIT %s
            """,  # noqa: S608 - the subquery is Django's, with its parameters
            [*params, *params, limit],
        )
        pairs = cursor.fetchall()
    found = Person.objects.in_bulk({pk for pair in pairs for pk in pair[:2]})
    return [
        DuplicateGroup(
            reason="similar_name",
            persons=[found[a], found[b]],
            similarity=round(float(score), 2),
        )
        for a, b, score in pairs
    ]


def same_identity(*, name: str, birth_date: datetime.date, exclude_pk=None) -> QuerySet[Person]:
    """Persons with the same normalised name and birth date (shown when a person is added)."""
    from .models import normalize_name

    queryset = Person.objects.filter(
        name_normalized=normalize_name(name), birth_date=birth_date, deleted_at__isnull=True
    )
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


# --- Statistics -----------------------------------------------------------------------------

STATS_DIMENSIONS = ("district", "village", "category", "desil", "sex", "age_band")


def _age_band_of(birth_date: datetime.date, today: datetime.date) -> str:
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    for band, (low, high) in AGE_BAND_BOUNDS.items():
        if age >= low and (high is None or age <= high):
            return band
    return ""


def _in_home_regency(field: str = "district") -> Q:
    """Rows of the home regency, by the code prefix (a kecamatan's Kemendagri code starts with
    its regency's): a condition on the big table itself. A join to the region tables for this
    misleads the planner into a nested loop over a million persons (measured: 8 s against
    0,6 s for the DTSEN recap at Lebak's size)."""
    return Q(**{f"{field}__code__startswith": f"{settings.WELFARE_HOME_REGENCY}."})


def _home_districts(user) -> QuerySet[District]:
    return District.objects.filter(regency_id=settings.WELFARE_HOME_REGENCY).filter(
        stats_filter(user, "code")
    )


def _open_placements(user, *, district_code=None, category_code=None):
    """Open placements of active categories in the home regency that the user may count, of
    persons alive and not deleted and of households not deleted."""
    base = CategoryPlacement.objects.filter(
        status__in=CategoryPlacement.OPEN_STATUSES,
        category__active=True,
    ).filter(stats_filter(user, "district_id"))
    # "Not of a deceased or deleted person, not of a deleted household", written as the
    # exclusion of those few (found through their partial indexes, hashed once) rather than
    # as a condition on a join: joining a hundred thousand placements to the million persons
    # cost the home dashboard 150-250 ms at Lebak's size, the exclusion 40 ms.
    inactive_persons = Person.objects.filter(Q(deceased=True) | Q(deleted_at__isnull=False))
    deleted_households = Household.objects.filter(deleted_at__isnull=False)
    base = base.exclude(person_id__in=inactive_persons.values("pk")).exclude(
        household_id__in=deleted_households.values("pk")
    )
    base = base.filter(_in_home_regency())
    if district_code:
        base = base.filter(district_id=district_code)
    if category_code:
        base = base.filter(category__code=category_code)
    return base


def _by_primary_keys(queryset) -> list:
    """The rows of an aggregate over the placements joined to their persons and households.
    The placements (a hundred thousand) find their persons through the primary key; with the
    default cost of a random read (4, a spinning disk) PostgreSQL hashes the whole person table
    instead (measured at Lebak's size: 2,1 s against 0,8 s). The cost is lowered for this
    transaction only."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL random_page_cost = 1.1")
        return list(queryset)


def ppks_by_category(*, user) -> dict:
    """The total of open PPKS placements and the count per category (the home dashboard's
    panel): ``ppks_counts`` without the other dimensions, in one aggregate."""
    rows = _by_primary_keys(
        _open_placements(user).values("category_id").annotate(n=Count("id")).order_by()
    )
    hide = _suppress(user)
    categories = {c.pk: c for c in PpksCategory.objects.all()}
    return {
        "total": hide(sum(row["n"] for row in rows)),
        "by_category": [
            {
                "code": categories[row["category_id"]].code,
                "name": categories[row["category_id"]].name,
                "count": hide(row["n"]),
            }
            for row in sorted(rows, key=lambda row: row["category_id"])
        ],
    }


def ppks_counts(
    *,
    user,
    district_code: str | None = None,
    category_code: str | None = None,
    on: datetime.date | None = None,
) -> dict:
    """Open PPKS placements (teridentifikasi, terverifikasi, ditangani) counted by kecamatan,
    desa, category, desil, sex and age band, in one SQL aggregate. Counts of 1
    to threshold-1 are None for API clients. Persons' placements count a person; households'
    placements count a household (their sex and age band are not applicable)."""
    today = on or timezone.localdate()
    hide = _suppress(user)
    base = _open_placements(user, district_code=district_code, category_code=category_code)

    # One aggregate at the finest grain (kecamatan x desa x category x desil x sex x age band:
    # some 13,000 rows at Lebak's size), summed per dimension here: each dimension in its own
    # aggregate joined the placements to the million persons again (seven passes, 6 s).
    fine = (
        base.annotate(
            village_code=_village_of_placement(),
            desil_value=_desil_of_placement(),
            age_band=Case(
                *[
                    When(_prefixed(birth_date_range(band, today), "person__"), then=Value(band))
                    for band, _label in AGE_BANDS
                ],
                default=None,
                output_field=CharField(),
            ),
        )
        .values(
            "district_id", "village_code", "category_id", "desil_value", "person__sex", "age_band"
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = _by_primary_keys(fine)
    total = 0
    per = {key: defaultdict(int) for key in ("district", "village", "category", "desil", "sex")}
    per_band = dict.fromkeys(AGE_BAND_BOUNDS, 0)
    for row in rows:
        n = row["n"]
        total += n
        per["district"][row["district_id"]] += n
        if row["village_code"]:
            per["village"][row["village_code"]] += n
        per["category"][row["category_id"]] += n
        per["desil"][row["desil_value"]] += n
        if row["person__sex"]:  # a person's placement (a household has no sex or age)
            per["sex"][row["person__sex"]] += n
        if row["age_band"]:
            per_band[row["age_band"]] += n
    districts = {
        d.code: d.name for d in District.objects.filter(regency_id=settings.WELFARE_HOME_REGENCY)
    }
    by_district = [
        {"code": code, "name": districts.get(code, ""), "count": hide(n)}
        for code, n in sorted(per["district"].items())
    ]
    villages = {
        v.code: (v.name, v.district_id) for v in Village.objects.filter(code__in=per["village"])
    }
    by_village = [
        {
            "code": code,
            "name": villages.get(code, ("", ""))[0],
            "district": villages.get(code, ("", ""))[1],
            "count": hide(n),
        }
        for code, n in sorted(per["village"].items())
    ]
    categories = {c.pk: c for c in PpksCategory.objects.all()}
    by_category = [
        {"code": categories[pk].code, "name": categories[pk].name, "count": hide(n)}
        for pk, n in sorted(per["category"].items())
    ]
    by_desil = [
        {"desil": desil, "count": hide(n)}
        for desil, n in sorted(per["desil"].items(), key=lambda item: (item[0] is None, item[0]))
    ]
    by_sex = [
        {"sex": sex, "label": str(Sex(sex).label), "count": hide(n)}
        for sex, n in sorted(per["sex"].items())
    ]
    by_age_band = [
        {"band": band, "label": str(label), "count": hide(per_band[band])}
        for band, label in AGE_BANDS
    ]
    return {
        "total": hide(total),
        "as_of": today,
        "suppressed_below": small_count_threshold() if suppress_small_counts(user) else None,
        "by_district": by_district,
        "by_village": by_village,
        "by_category": by_category,
        "by_desil": by_desil,
        "by_sex": by_sex,
        "by_age_band": by_age_band,
    }


def _prefixed(q: Q, prefix: str) -> Q:
    """The same Q with every lookup under ``prefix`` (birth_date -> person__birth_date)."""
    clone = Q()
    clone.connector = q.connector
    clone.negated = q.negated
    for child in q.children:
        if isinstance(child, Q):
            clone.children.append(_prefixed(child, prefix))
        else:
            clone.children.append((prefix + child[0], child[1]))
    return clone


def _village_of_placement():
    from django.db.models.functions import Coalesce

    return Coalesce("person__village_id", "household__village_id")


def _desil_of_placement():
    from django.db.models.functions import Coalesce

    return Coalesce("person__household__desil", "household__desil")


@dataclass
class DesilRecapRow:
    code: str
    name: str
    households: list  # index 0..9 = desil 1..10
    persons: list
    households_total: int | None
    persons_total: int | None
    households_unranked: int | None = None


def desil_recap(*, user, district_code: str | None = None) -> dict:
    """Households and persons per kecamatan x desil (LKjIP "Rekap DTSEN per desil"): active
    households and their alive members, in two aggregate queries. Counts below the threshold
    are None for API clients."""
    hide = _suppress(user)
    households = Household.objects.filter(deleted_at__isnull=True).filter(
        stats_filter(user, "district_id"), _in_home_regency()
    )
    persons = Person.objects.filter(
        deleted_at__isnull=True, deceased=False, merged_into=None, household__isnull=False
    ).filter(stats_filter(user, "district_id"), _in_home_regency())
    if district_code:
        households = households.filter(district_id=district_code)
        persons = persons.filter(district_id=district_code)
    h_counts: dict[tuple, int] = {
        (r["district_id"], r["desil"]): r["n"]
        for r in households.values("district_id", "desil").annotate(n=Count("id")).order_by()
    }
    p_counts: dict[tuple, int] = {
        (r["district_id"], r["household__desil"]): r["n"]
        for r in persons.values("district_id", "household__desil")
        .annotate(n=Count("id"))
        .order_by()
    }
    rows = []
    totals_h = [0] * 10
    totals_p = [0] * 10
    unranked_total = 0
    for district in _home_districts(user).order_by("code"):
        if district_code and district.code != district_code:
            continue
        h = [h_counts.get((district.code, d), 0) for d in range(1, 11)]
        p = [p_counts.get((district.code, d), 0) for d in range(1, 11)]
        unranked = h_counts.get((district.code, None), 0)
        totals_h = [a + b for a, b in zip(totals_h, h, strict=True)]
        totals_p = [a + b for a, b in zip(totals_p, p, strict=True)]
        unranked_total += unranked
        rows.append(
            DesilRecapRow(
                code=district.code,
                name=district.name,
                households=[hide(v) for v in h],
                persons=[hide(v) for v in p],
                households_total=hide(sum(h)),
                persons_total=hide(sum(p)),
                households_unranked=hide(unranked),
            )
        )
    return {
        "rows": rows,
        "households": [hide(v) for v in totals_h],
        "persons": [hide(v) for v in totals_p],
        "households_total": hide(sum(totals_h)),
        "persons_total": hide(sum(totals_p)),
        "households_unranked": hide(unranked_total),
    }


def registered_ppks_by_district(codes) -> dict[str, int]:
    """Open PPKS placements per kecamatan, for the field work workload view (one query)."""
    rows = (
        CategoryPlacement.objects.filter(
            district_id__in=list(codes), status__in=CategoryPlacement.OPEN_STATUSES
        )
        .values("district_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["district_id"]: row["n"] for row in rows}


def person_open_categories(person: Person) -> QuerySet[CategoryPlacement]:
    return person.placements.select_related("category").order_by(
        "category__number", "-identified_on"
    )


def members_exist(household: Household) -> bool:
    return Person.objects.filter(household=household, deleted_at__isnull=True).exists()


__all__ = [
    "Exists",
    "OuterRef",
]
