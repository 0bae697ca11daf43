"""Every write of the registry, with its rules (identity, categories, scope, versions).

Functions are ``<entity>_<action>``, keyword-only, atomic; they raise ``ValidationError`` with
messages in Bahasa Indonesia naming the field, ``PermissionDenied`` for scope, and
``ConcurrentUpdateError`` for a stale version. Imports go through ``beneficiaries.importer``
(set-based), which applies the same identity rules.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Action, Domain, check_district, require
from welfare.concurrency import check_version

from . import identity
from .models import (
    CategoryPlacement,
    DesilRecord,
    Household,
    Person,
    PpksCategory,
    Sex,
    Source,
)

HOUSEHOLD_FIELDS = (
    "no_kk",
    "village",
    "address",
    "rt",
    "rw",
    "desil",
    "desil_date",
    "status",
    "source",
    "notes",
)
PERSON_FIELDS = (
    "nik",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "household",
    "relationship",
    "village",
    "deceased",
    "death_date",
    "disability_physical",
    "disability_intellectual",
    "disability_mental",
    "disability_sensory",
    "disability_severity",
    "phone",
    "source",
    "notes",
)


class DuplicateNikError(ValidationError):
    """The NIK is already in the registry; ``existing`` is that person (link to it)."""

    def __init__(self, existing: Person):
        self.existing = existing
        super().__init__(
            {
                "nik": _(
                    "A person with this NIK is already in the registry (%(name)s); open that record instead of adding a new one."
                )
                % {"name": existing.name}
            }
        )


def _save(instance: models.Model, actor, reason: str | None = None) -> None:
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save()


def _set_fields(instance, names, data: dict[str, Any]) -> None:
    for name in names:
        if name in data:
            setattr(instance, name, data[name])


def _digits(value) -> str:
    return "".join(str(value or "").split())


# --- Households -----------------------------------------------------------------------------


def _check_household(household: Household) -> None:
    errors: dict[str, list[str]] = {}
    household.no_kk = _digits(household.no_kk)
    if problems := identity.no_kk_errors(household.no_kk):
        errors["no_kk"] = problems
    if problems := identity.desil_errors(household.desil):
        errors["desil"] = problems
    if household.desil and not household.desil_date:
        errors["desil_date"] = [_("Give the date of the desil (the DTSEN ranking it comes from).")]
    if household.rt:
        household.rt = household.rt.strip().zfill(3)
    if household.rw:
        household.rw = household.rw.strip().zfill(3)
    for name, value in (("rt", household.rt), ("rw", household.rw)):
        if value and not value.isdigit():
            errors[name] = [_("RT and RW are numbers, e.g. 003.")]
    if household.village_id:
        household.district_id = household.village.district_id
    if household.no_kk and not errors.get("no_kk"):
        clash = Household.objects.filter(no_kk=household.no_kk).exclude(pk=household.pk).first()
        if clash:
            errors["no_kk"] = [_("A household with this No. KK is already in the registry.")]
    if errors:
        raise ValidationError(errors)


def _record_desil(household: Household, actor, source: str) -> None:
    if household.desil and household.desil_date:
        DesilRecord.objects.update_or_create(
            household=household,
            as_of=household.desil_date,
            defaults={"desil": household.desil, "source": source, "recorded_by": actor},
        )


@transaction.atomic
def household_create(*, actor, data: dict[str, Any]) -> Household:
    require(actor, Domain.REGISTRY, Action.ADD)
    household = Household()
    _set_fields(household, HOUSEHOLD_FIELDS, data)
    _check_household(household)
    check_district(actor, household.district_id)
    _save(household, actor)
    _record_desil(household, actor, household.source or Source.OTHER)
    return household


@transaction.atomic
def household_update(
    *, actor, household: Household, version: int | None, data: dict[str, Any]
) -> Household:
    require(actor, Domain.REGISTRY, Action.CHANGE)
    check_district(actor, household.district_id)
    check_version(household, version)
    # The stored values (a ModelForm has already put the new ones on the instance).
    old = (
        Household.objects.filter(pk=household.pk)
        .values_list("desil", "desil_date", "district_id", "village_id")
        .get()
    )
    _set_fields(household, HOUSEHOLD_FIELDS, data)
    _check_household(household)
    check_district(actor, household.district_id)
    _save(household, actor)
    if (household.desil, household.desil_date) != old[:2]:
        _record_desil(household, actor, Source.OTHER)
    if (household.district_id, household.village_id) != old[2:]:
        # Members follow their household (scope and statistics read the person's region).
        for person in household.members.all():
            person.district_id, person.village_id = household.district_id, household.village_id
            person._history_user = actor
            person.save(update_fields=["district", "village", "updated_at"])
        household.placements.update(district_id=household.district_id)
        CategoryPlacement.objects.filter(person__household=household).update(
            district_id=household.district_id
        )
    return household


@transaction.atomic
def household_delete(*, actor, household: Household, reason: str) -> Household:
    """Soft delete: the household and its members leave the lists; ``household_restore``
    brings them back."""
    require(actor, Domain.REGISTRY, Action.DELETE)
    check_district(actor, household.district_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for deleting.")})
    now = timezone.now()
    household.deleted_at = now
    household.deleted_reason = reason.strip()[:255]
    _save(household, actor, reason)
    for person in household.members.filter(deleted_at__isnull=True):
        person.deleted_at = now
        person.deleted_reason = household.deleted_reason
        _save(person, actor, reason)
    return household


@transaction.atomic
def household_restore(*, actor, household: Household) -> Household:
    require(actor, Domain.REGISTRY, Action.DELETE)
    check_district(actor, household.district_id)
    deleted_at = household.deleted_at
    household.deleted_at = None
    household.deleted_reason = ""
    _save(household, actor, _("Restored"))
    if deleted_at:
        for person in household.members.filter(deleted_at=deleted_at):
            person.deleted_at = None
            person.deleted_reason = ""
            _save(person, actor, _("Restored"))
    return household


# --- Persons --------------------------------------------------------------------------------


def check_person(person: Person) -> list[str]:
    """Apply the identity rules to a person about to be saved; return the notes (never
    refusals), raise ValidationError for what is wrong."""
    errors: dict[str, list[str]] = {}
    person.nik = _digits(person.nik)
    if problems := identity.nik_errors(person.nik):
        errors["nik"] = problems
    else:
        for name, message in identity.nik_agreement_errors(
            person.nik, birth_date=person.birth_date, sex=person.sex
        ).items():
            errors.setdefault(name, []).append(message)
    if person.birth_date and person.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("The date of birth is in the future."))
    if person.household_id:
        person.village_id = person.household.village_id
    if person.village_id:
        person.district_id = person.village.district_id
    else:
        errors.setdefault("village", []).append(
            _("Choose the desa/kelurahan where the person lives.")
        )
    if person.deceased:
        if not person.death_date:
            errors.setdefault("death_date", []).append(_("Give the date of death."))
        elif person.birth_date and person.death_date < person.birth_date:
            errors.setdefault("death_date", []).append(
                _("The date of death is before the date of birth.")
            )
    else:
        person.death_date = None
    if person.disability_severity and not person.has_disability:
        errors.setdefault("disability_severity", []).append(
            _("A severity needs at least one disability type.")
        )
    if errors:
        raise ValidationError(errors)
    if not errors:
        existing = (
            Person.objects.filter(nik=person.nik).exclude(pk=person.pk).first()
            if person.nik
            else None
        )
        if existing:
            raise DuplicateNikError(existing)
    return identity.nik_notes(person.nik, district_code=person.district_id)


@transaction.atomic
def person_create(*, actor, data: dict[str, Any]) -> tuple[Person, list[str]]:
    """Add a person; returns (person, notes) - notes such as a NIK registered elsewhere."""
    require(actor, Domain.REGISTRY, Action.ADD)
    person = Person()
    _set_fields(person, PERSON_FIELDS, data)
    notes = check_person(person)
    check_district(actor, person.district_id)
    _save(person, actor)
    return person, notes


@transaction.atomic
def person_update(
    *, actor, person: Person, version: int | None, data: dict[str, Any]
) -> tuple[Person, list[str]]:
    require(actor, Domain.REGISTRY, Action.CHANGE)
    check_district(actor, person.district_id)
    check_version(person, version)
    was_deceased = Person.objects.filter(pk=person.pk).values_list("deceased", flat=True).get()
    _set_fields(person, PERSON_FIELDS, data)
    notes = check_person(person)
    check_district(actor, person.district_id)
    _save(person, actor)
    if person.deceased and not was_deceased:
        _close_open_placements(person, actor, person.death_date, _("Died"))
    CategoryPlacement.objects.filter(person=person).exclude(district_id=person.district_id).update(
        district_id=person.district_id
    )
    return person, notes


def _close_open_placements(person: Person, actor, on: datetime.date | None, reason: str) -> None:
    for placement in person.placements.filter(status__in=CategoryPlacement.OPEN_STATUSES):
        placement.status = CategoryPlacement.Status.EXITED
        placement.closed_on = on or timezone.localdate()
        placement.closing_reason = reason
        placement.version += 1
        _save(placement, actor, reason)


@transaction.atomic
def person_mark_deceased(
    *, actor, person: Person, version: int | None, death_date: datetime.date
) -> Person:
    """A deceased person stays in the registry, out of the active lists; open placements end."""
    person, _notes = person_update(
        actor=actor,
        person=person,
        version=version,
        data={"deceased": True, "death_date": death_date},
    )
    return person


@transaction.atomic
def person_delete(*, actor, person: Person, reason: str) -> Person:
    require(actor, Domain.REGISTRY, Action.DELETE)
    check_district(actor, person.district_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for deleting.")})
    person.deleted_at = timezone.now()
    person.deleted_reason = reason.strip()[:255]
    _save(person, actor, reason)
    return person


@transaction.atomic
def person_restore(*, actor, person: Person) -> Person:
    require(actor, Domain.REGISTRY, Action.DELETE)
    check_district(actor, person.district_id)
    if person.merged_into_id:
        raise ValidationError(_("This record was merged into another one; it cannot be restored."))
    person.deleted_at = None
    person.deleted_reason = ""
    _save(person, actor, _("Restored"))
    return person


@transaction.atomic
def person_merge(*, actor, keep: Person, duplicate: Person, reason: str = "") -> Person:
    """Merge ``duplicate`` into ``keep``: its placements move to ``keep`` (an open placement in
    a category ``keep`` already has open is closed as merged), empty fields of ``keep`` are
    filled from it, and it stays as a record merged into ``keep`` (soft deleted), so that the
    history of both is kept and both pages link to each other."""
    require(actor, Domain.REGISTRY, Action.CHANGE)
    check_district(actor, keep.district_id)
    check_district(actor, duplicate.district_id)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different persons to merge."))
    if duplicate.merged_into_id or keep.merged_into_id:
        raise ValidationError(_("One of these records was already merged."))
    label = _("Merged: %(nik)s into %(keep)s") % {"nik": duplicate.nik, "keep": keep.nik}
    if reason:
        label = f"{label} ({reason})"[:100]
    open_codes = set(
        keep.placements.filter(status__in=CategoryPlacement.OPEN_STATUSES).values_list(
            "category_id", flat=True
        )
    )
    for placement in duplicate.placements.all():
        if placement.is_open and placement.category_id in open_codes:
            placement.status = CategoryPlacement.Status.EXITED
            placement.closed_on = timezone.localdate()
            placement.closing_reason = _("Double record, merged")
        else:
            placement.person = keep
            placement.district_id = keep.district_id
        placement.version += 1
        _save(placement, actor, label)
    for name in ("birth_place", "phone", "relationship", "disability_severity", "notes"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    for name in (
        "disability_physical",
        "disability_intellectual",
        "disability_mental",
        "disability_sensory",
    ):
        if getattr(duplicate, name):
            setattr(keep, name, True)
    if keep.household_id is None and duplicate.household_id:
        keep.household_id = duplicate.household_id
    keep.version += 1
    _save(keep, actor, label)
    duplicate.merged_into = keep
    duplicate.deleted_at = timezone.now()
    duplicate.deleted_reason = str(label)[:255]
    duplicate.version += 1
    _save(duplicate, actor, label)
    return keep


# --- Placements in PPKS categories ----------------------------------------------------------


def _age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def category_rule_errors(
    category: PpksCategory,
    *,
    person: Person | None = None,
    household: Household | None = None,
    on: datetime.date | None = None,
) -> list[str]:
    """Why a person or household may not be placed in ``category`` (its rules are data)."""
    on = on or timezone.localdate()
    errors: list[str] = []
    if not category.active:
        errors.append(_("The category %(name)s takes no new placements.") % {"name": category.name})
    if person is not None:
        if category.unit == PpksCategory.Unit.HOUSEHOLD:
            errors.append(
                _("%(name)s is a category for households, not for a person.")
                % {"name": category.name}
            )
        if person.deceased:
            errors.append(_("A deceased person cannot be placed in a category."))
        age = _age_on(person.birth_date, on)
        if category.min_age is not None and age < category.min_age:
            errors.append(
                _("%(name)s is for persons aged %(min)s or more; this person is %(age)s.")
                % {"name": category.name, "min": category.min_age, "age": age}
            )
        if category.max_age is not None and age > category.max_age:
            errors.append(
                _("%(name)s is for persons aged at most %(max)s; this person is %(age)s.")
                % {"name": category.name, "max": category.max_age, "age": age}
            )
        if category.sex and person.sex != category.sex:
            errors.append(
                _("%(name)s is only for %(sex)s persons.")
                % {"name": category.name, "sex": Sex(category.sex).label.lower()}
            )
        if category.requires_disability and not person.has_disability:
            errors.append(
                _("%(name)s needs a disability type recorded on the person.")
                % {"name": category.name}
            )
    elif household is not None and category.unit == PpksCategory.Unit.PERSON:
        errors.append(
            _("%(name)s is a category for persons, not for a household.") % {"name": category.name}
        )
    return errors


@transaction.atomic
def placement_create(
    *,
    actor,
    category: PpksCategory,
    person: Person | None = None,
    household: Household | None = None,
    source: str = Source.OTHER,
    identified_on: datetime.date | None = None,
    notes: str = "",
) -> CategoryPlacement:
    require(actor, Domain.REGISTRY, Action.ADD)
    if (person is None) == (household is None):
        raise ValidationError(_("Place either a person or a household."))
    target = person or household
    check_district(actor, target.district_id)
    identified_on = identified_on or timezone.localdate()
    if problems := category_rule_errors(
        category, person=person, household=household, on=identified_on
    ):
        raise ValidationError({"category": problems})
    already = (
        CategoryPlacement.objects.filter(
            category=category, status__in=CategoryPlacement.OPEN_STATUSES
        ).filter(person=person)
        if person
        else CategoryPlacement.objects.filter(
            category=category, status__in=CategoryPlacement.OPEN_STATUSES, household=household
        )
    )
    if already.exists():
        raise ValidationError(
            {"category": _("%(name)s is already open for this record.") % {"name": category.name}}
        )
    placement = CategoryPlacement(
        category=category,
        person=person,
        household=household,
        district_id=target.district_id,
        source=source,
        identified_on=identified_on,
        notes=notes,
    )
    _save(placement, actor)
    return placement


NEXT_STATUS = {
    CategoryPlacement.Status.IDENTIFIED: (
        CategoryPlacement.Status.VERIFIED,
        CategoryPlacement.Status.HANDLED,
        CategoryPlacement.Status.COMPLETED,
        CategoryPlacement.Status.EXITED,
    ),
    CategoryPlacement.Status.VERIFIED: (
        CategoryPlacement.Status.HANDLED,
        CategoryPlacement.Status.COMPLETED,
        CategoryPlacement.Status.EXITED,
    ),
    CategoryPlacement.Status.HANDLED: (
        CategoryPlacement.Status.COMPLETED,
        CategoryPlacement.Status.EXITED,
    ),
}


@transaction.atomic
def placement_transition(
    *,
    actor,
    placement: CategoryPlacement,
    version: int | None,
    status: str,
    on: datetime.date | None = None,
    reason: str = "",
) -> CategoryPlacement:
    """Move a placement forward: teridentifikasi -> terverifikasi -> ditangani ->
    selesai/keluar (closing needs a reason)."""
    require(actor, Domain.REGISTRY, Action.CHANGE)
    check_district(actor, placement.district_id)
    on = on or timezone.localdate()
    allowed = NEXT_STATUS.get(placement.status, ())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("A placement that is %(current)s cannot become %(new)s.")
                % {
                    "current": placement.get_status_display().lower(),
                    "new": CategoryPlacement.Status(status).label.lower()
                    if status in CategoryPlacement.Status.values
                    else status,
                }
            }
        )
    if on < placement.identified_on:
        raise ValidationError({"on": _("The date is before the date of identification.")})
    closing = status in CategoryPlacement.CLOSED_STATUSES
    if closing and not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for closing.")})
    check_version(placement, version)
    placement.status = status
    if status == CategoryPlacement.Status.VERIFIED:
        placement.verified_on = on
    elif status == CategoryPlacement.Status.HANDLED:
        placement.handled_on = on
        placement.verified_on = placement.verified_on or on
    else:
        placement.closed_on = on
        placement.closing_reason = reason.strip()[:255]
    _save(placement, actor)
    return placement


def can_write(user, record) -> bool:
    """Whether the user may change this record (role and region)."""
    from accounts.access import has_permission

    if not has_permission(user, Domain.REGISTRY, Action.CHANGE):
        return False
    try:
        check_district(user, record.district_id)
    except PermissionDenied:
        return False
    return True
