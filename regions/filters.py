import django_filters

from .models import District, Village


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
