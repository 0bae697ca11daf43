from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from accounts.api.permissions import RestrictedQuerysetMixin
from regions.filters import DistrictFilter, VillageFilter
from regions.models import District, Province, Regency, Village

from .serializers import (
    DistrictSerializer,
    ProvinceSerializer,
    RegencySerializer,
    VillageSerializer,
)


class ProvinceViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Provinces (Kemendagri codes)."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    lookup_value_regex = r"[0-9.]+"
    pagination_class = None


class RegencyViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Regencies and cities (kabupaten/kota)."""

    queryset = Regency.objects.all()
    serializer_class = RegencySerializer
    lookup_value_regex = r"[0-9.]+"
    filterset_fields = ["province"]


@extend_schema_view(
    list=extend_schema(description="Kecamatan; the home regency's unless `regency` is given.")
)
class DistrictViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    lookup_value_regex = r"[0-9.]+"
    filterset_class = DistrictFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and "regency" not in self.request.query_params:
            queryset = queryset.filter(regency_id=settings.WELFARE_HOME_REGENCY)
        return queryset


@extend_schema_view(
    list=extend_schema(
        description="Villages; the home regency's unless `district` or `regency` is given."
    )
)
class VillageViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Village.objects.all()
    serializer_class = VillageSerializer
    lookup_value_regex = r"[0-9.]+"
    filterset_class = VillageFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.query_params
        if self.action == "list" and not ({"district", "regency"} & set(params)):
            queryset = queryset.filter(district__regency_id=settings.WELFARE_HOME_REGENCY)
        return queryset
