"""The one place that decides who may do what, on which records, in which region.

Every page, API endpoint, export and report goes through these functions:

* ``has_permission(user, domain, action)`` - may this role do this action in this domain at all?
* ``restrict(queryset, user, action)`` - the records of a queryset this user may act on
  (role, region scope of a TKSK, bidang of an operator, personal data for API clients).
* ``access_object`` / ``check_district`` / ``check_bidang`` - checks for one record or target.
* ``can_view_personal(user)`` - whether NIK, No. KK, names and addresses are shown unmasked.
* ``stats_district_codes(user)`` and ``suppress_small_counts(user)`` - scope of statistics.

A model opts in by declaring ``access = AccessPolicy(...)``; ``restrict`` refuses a model that
has not (a forgotten model must fail loudly, not leak).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", gettext_lazy("Administrator")
    KEPALA_DINAS = "kepala_dinas", gettext_lazy("Head of office (Kepala Dinas)")
    KEPALA_BIDANG = "kepala_bidang", gettext_lazy("Head of division (Kepala Bidang)")
    OPERATOR = "operator", gettext_lazy("Operator")
    TKSK = "tksk", gettext_lazy("TKSK (district social worker)")
    AUDITOR = "auditor", gettext_lazy("Auditor")
    API_CLIENT = "api_client", gettext_lazy("API client")


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    APPROVE = "approve"
    IMPORT = "import"
    EXPORT = "export"
    STATS = "stats"  # aggregated statistics, no personal data


class Domain(StrEnum):
    REGIONS = "regions"
    REGISTRY = "registry"
    PROGRAMS = "programs"
    FIELDWORK = "fieldwork"
    PERFORMANCE = "performance"
    REPORTS = "reports"
    AUDIT = "audit"  # the audit trail
    ADMIN = "admin"  # users, agency profile, tokens
    JOBS = "jobs"  # background jobs a user started


WRITE_ACTIONS = frozenset({Action.ADD, Action.CHANGE, Action.DELETE, Action.IMPORT, Action.APPROVE})
READ = frozenset({Action.VIEW, Action.EXPORT, Action.STATS})
ALL = frozenset(Action)
WORK_DOMAINS = (
    Domain.REGISTRY,
    Domain.PROGRAMS,
    Domain.FIELDWORK,
    Domain.PERFORMANCE,
    Domain.REPORTS,
)

# The permission matrix: role -> domain -> actions. README.md shows it as a table.
PERMISSIONS: dict[str, dict[str, frozenset[Action]]] = {
    Role.ADMIN: dict.fromkeys(Domain, ALL),
    Role.KEPALA_DINAS: {
        Domain.REGIONS: READ,
        **{domain: READ | {Action.APPROVE} for domain in WORK_DOMAINS},
        Domain.AUDIT: frozenset({Action.VIEW}),
        Domain.JOBS: frozenset({Action.VIEW, Action.ADD}),
    },
    Role.KEPALA_BIDANG: {
        Domain.REGIONS: READ,
        **dict.fromkeys(WORK_DOMAINS, ALL),
        Domain.JOBS: frozenset({Action.VIEW, Action.ADD}),
    },
    Role.OPERATOR: {
        Domain.REGIONS: READ,
        **{domain: ALL - {Action.APPROVE} for domain in WORK_DOMAINS},
        Domain.JOBS: frozenset({Action.VIEW, Action.ADD}),
    },
    Role.TKSK: {
        Domain.REGIONS: READ,
        Domain.REGISTRY: frozenset({Action.VIEW, Action.STATS}),
        Domain.PROGRAMS: frozenset({Action.VIEW, Action.STATS}),
        Domain.FIELDWORK: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.STATS}),
        Domain.JOBS: frozenset({Action.VIEW}),
    },
    Role.AUDITOR: {
        **{domain: READ for domain in Domain if domain not in (Domain.ADMIN, Domain.JOBS)},
        Domain.AUDIT: frozenset({Action.VIEW, Action.EXPORT}),
        Domain.JOBS: frozenset({Action.VIEW}),
    },
    Role.API_CLIENT: {
        Domain.REGIONS: frozenset({Action.VIEW, Action.STATS}),
        **{domain: frozenset({Action.VIEW, Action.STATS}) for domain in WORK_DOMAINS},
    },
}

# Roles whose writes are limited to their own bidang on models that belong to a bidang.
BIDANG_BOUND_ROLES = frozenset({Role.KEPALA_BIDANG, Role.OPERATOR})


@dataclass(frozen=True)
class AccessPolicy:
    """How a model is scoped. Declared on the model as ``access = AccessPolicy(...)``.

    domain: the permission domain of the model.
    district_path: ORM path from the model to its kecamatan code (e.g. ``"district"`` or
        ``"household__district"``); None when the model is not tied to a region.
    bidang_path: ORM path to the bidang that owns the record, for bidang-bound writes.
    owner_path: ORM path to the user who owns the record; users of ``owner_scoped_roles``
        see only their own records.
    personal: the model holds personal data: never served to API clients.
    personal_fields: fields masked for roles that may not see personal data (audit trail,
        exports).
    tksk_visible: a region-free model a TKSK may read (reference data such as categories).
    """

    domain: str
    district_path: str | None = None
    bidang_path: str | None = None
    owner_path: str | None = None
    owner_scoped_roles: frozenset[str] = frozenset({Role.TKSK})
    personal: bool = True
    personal_fields: tuple[str, ...] = ()
    tksk_visible: bool = True


def policy_for(model: type[models.Model]) -> AccessPolicy:
    policy = getattr(model, "access", None)
    if not isinstance(policy, AccessPolicy):
        raise ImproperlyConfigured(
            f"{model._meta.label} declares no AccessPolicy; every model served to users must."
        )
    return policy


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def has_permission(user, domain: str, action: str) -> bool:
    role = role_of(user)
    if role is None:
        return False
    return Action(action) in PERMISSIONS.get(role, {}).get(domain, frozenset())


def require(user, domain: str, action: str) -> None:
    """Raise PermissionDenied unless the user's role may do ``action`` in ``domain``."""
    if not has_permission(user, domain, action):
        raise PermissionDenied(_("Your role may not do this."))


def is_tksk(user) -> bool:
    return role_of(user) == Role.TKSK


def is_api_client(user) -> bool:
    return role_of(user) == Role.API_CLIENT


def user_district_code(user) -> str | None:
    """The kecamatan a region-bound user (TKSK) is limited to, else None (whole regency)."""
    if is_tksk(user):
        return user.district_id
    return None


def _role_may(policy: AccessPolicy, role, user, action: str) -> bool:
    """Whether the role may act on any record under ``policy`` (before the row scope)."""
    if role is None or not has_permission(user, policy.domain, action):
        return False
    if role == Role.API_CLIENT and policy.personal and action != Action.STATS:
        return False
    if role == Role.TKSK and not policy.district_path and not policy.owner_path:
        return policy.tksk_visible and not policy.personal
    return True


def can_open(user, model: type[models.Model], action: str = Action.VIEW) -> bool:
    """Whether ``user``'s role may open records of ``model`` at all: a page links to a record
    (of a kind its user may not open) only then."""
    return _role_may(policy_for(model), role_of(user), user, action)


def restrict(queryset: QuerySet, user, action: str = Action.VIEW) -> QuerySet:
    """The part of ``queryset`` that ``user`` may act on with ``action``. Never raises."""
    policy = policy_for(queryset.model)
    role = role_of(user)
    if not _role_may(policy, role, user, action):
        return queryset.none()
    if role == Role.TKSK and policy.district_path:
        if not user.district_id:
            return queryset.none()
        queryset = queryset.filter(**{policy.district_path: user.district_id})
    if policy.owner_path and role in policy.owner_scoped_roles:
        queryset = queryset.filter(**{policy.owner_path: user.pk})
    if action in WRITE_ACTIONS and role in BIDANG_BOUND_ROLES and policy.bidang_path:
        if not user.bidang_id:
            return queryset.none()
        queryset = queryset.filter(**{policy.bidang_path: user.bidang_id})
    return queryset


def access_object(user, queryset: QuerySet, action: str = Action.VIEW, **lookup: Any):
    """Fetch one record through ``restrict``; out of scope looks the same as missing (404)."""
    try:
        return restrict(queryset, user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("The data was not found or is outside your access.")) from exc


def check_district(user, district_code: str | None) -> None:
    """Refuse a write that targets a kecamatan outside the user's region scope."""
    own = user_district_code(user)
    if is_tksk(user) and (own is None or district_code != own):
        raise PermissionDenied(_("This kecamatan is outside your working area."))


def check_bidang(user, bidang_id: int | None) -> None:
    """Refuse a write by an operator or head of division on another bidang's record."""
    if role_of(user) in BIDANG_BOUND_ROLES and bidang_id != user.bidang_id:
        raise PermissionDenied(_("This data belongs to another division (bidang)."))


def can_view_personal(user) -> bool:
    """Whether NIK, No. KK, names and addresses are shown in full to this user."""
    role = role_of(user)
    return role is not None and role in settings.WELFARE_PERSONAL_DATA_ROLES


def stats_district_codes(user) -> list[str] | None:
    """Kecamatan codes a user's statistics are limited to, or None for the whole regency."""
    own = user_district_code(user)
    return [own] if own else None


def stats_filter(user, district_path: str) -> Q:
    """A Q limiting an aggregation to the user's region scope."""
    codes = stats_district_codes(user)
    if codes is None:
        return Q()
    return Q(**{f"{district_path}__in": codes})


def suppress_small_counts(user) -> bool:
    """API clients get counts below the threshold suppressed, so no person can be singled out."""
    return is_api_client(user)


def small_count_threshold() -> int:
    return settings.WELFARE_SMALL_COUNT_THRESHOLD
