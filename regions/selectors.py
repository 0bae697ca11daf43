"""Reads of the region tables, scoped to what a user may see."""

from django.conf import settings
from django.db.models import Count, QuerySet

from accounts.access import Action, restrict

from .models import District, Regency, Village


def home_regency_code() -> str:
    return settings.WELFARE_HOME_REGENCY


def home_regency() -> Regency | None:
    return Regency.objects.filter(code=home_regency_code()).first()


def district_list(*, user, regency_code: str | None = None) -> QuerySet[District]:
    """The kecamatan of the home regency (or another regency) that the user may see."""
    queryset = District.objects.filter(regency_id=regency_code or home_regency_code())
    return restrict(queryset, user, Action.VIEW).annotate(village_count=Count("villages"))


def village_list(
    *, user, district_code: str | None = None, regency_code: str | None = None
) -> QuerySet[Village]:
    queryset = Village.objects.select_related("district")
    if district_code:
        queryset = queryset.filter(district_id=district_code)
    else:
        queryset = queryset.filter(district__regency_id=regency_code or home_regency_code())
    return restrict(queryset, user, Action.VIEW)


def district_exists_for_nik_prefix(prefix: str) -> bool:
    """Whether the first six digits of a NIK name a kecamatan that exists."""
    if len(prefix) != 6 or not prefix.isdigit():
        return False
    return District.objects.filter(code=f"{prefix[:2]}.{prefix[2:4]}.{prefix[4:6]}").exists()
