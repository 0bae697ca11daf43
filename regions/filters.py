import django_filters
from django.conf import settings
from django.db.models import QuerySet

from accounts.access import user_district_code

from .models import District, Village


def _own_district(request) -> str | None:
    return user_district_code(getattr(request, "user", None))


def home_districts(request=None) -> QuerySet[District]:
    """The kecamatan a filter of the home regency offers: a TKSK only their own (another could
    only ever show nothing). A django-filter ``queryset`` callable."""
    queryset = District.objects.filter(regency_id=settings.WELFARE_HOME_REGENCY)
    own = _own_district(request)
    if own:
        queryset = queryset.filter(code=own)
    return queryset.order_by("name")


def home_villages(request=None) -> QuerySet[Village]:
    """The desa/kelurahan a filter of the home regency offers, scoped as ``home_districts``."""
    queryset = Village.objects.filter(district__regency_id=settings.WELFARE_HOME_REGENCY)
    own = _own_district(request)
    if own:
        queryset = queryset.filter(district_id=own)
    return queryset


class DistrictFilter(django_filters.FilterSet):
    regency = django_filters.CharFilter(
        field_name="regency_id", help_text="Regency code, e.g. 36.02"
    )
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = District
        fields = ["regency", "name"]


class VillageFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(
        field_name="district_id", help_text="Kecamatan code, e.g. 36.02.14"
    )
    regency = django_filters.CharFilter(
        field_name="district__regency_id", help_text="Regency code, e.g. 36.02"
    )
    kind = django_filters.ChoiceFilter(choices=Village.Kind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Village
        fields = ["district", "regency", "kind", "name"]
