"""The registry API: households and persons (the same FilterSets as the pages, cursor
pagination, region scope, masking; no rows for API clients), imports, PPKS statistics."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Action, Domain
from accounts.api.permissions import DomainPermission, RestrictedQuerysetMixin
from welfare.api.pagination import CursorPagination
from welfare.jobs import job_start
from welfare.uploads import validate_upload

from .. import selectors
from ..filters import HouseholdFilter, PersonFilter
from ..forms import ImportForm
from ..jobs import IMPORT_JOB
from ..models import Household, ImportBatch, Person, PpksCategory
from . import serializers as s


class PersonViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Persons of the registry (alive, not deleted). Personal data: not for API clients."""

    queryset = Person.objects.filter(
        deleted_at__isnull=True, deceased=False, merged_into=None
    ).select_related("household")
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilter
    pagination_class = CursorPagination


class HouseholdViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Households (families by No. KK). Personal data: not for API clients."""

    queryset = Household.objects.filter(deleted_at__isnull=True)
    serializer_class = s.HouseholdSerializer
    filterset_class = HouseholdFilter
    pagination_class = CursorPagination


class ImportBatchViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Registry imports. POST a CSV/XLSX file (multipart: file, mode, commit, source): it is
    checked (and saved when asked) by a background job; follow ``job`` at /api/v1/jobs/<id>/."""

    queryset = ImportBatch.objects.all()
    serializer_class = s.ImportBatchSerializer
    access_action = Action.IMPORT
    parser_classes = [MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "create":
            return s.ImportUploadSerializer
        return s.ImportBatchSerializer

    @extend_schema(request=s.ImportUploadSerializer, responses={202: s.ImportBatchSerializer})
    def create(self, request, *args, **kwargs):
        upload_serializer = s.ImportUploadSerializer(data=request.data)
        upload_serializer.is_valid(raise_exception=True)
        data = upload_serializer.validated_data
        upload = data["file"]
        try:
            validate_upload(
                upload,
                allowed={"csv", "xlsx"},
                max_bytes=ImportForm.MAX_BYTES,
                field_label=_("The file"),
            )
        except DjangoValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        batch = ImportBatch.objects.create(
            file_name=upload.name[:255],
            created_by=request.user,
            mode=data["mode"],
            source=data["source"],
        )
        job = job_start(
            kind=IMPORT_JOB,
            title=_("Registry import: %(name)s") % {"name": upload.name[:120]},
            created_by=request.user,
            params={"batch": batch.pk, "commit": data["commit"]},
            input_file=upload,
        )
        batch.job = job
        batch.save(update_fields=["job"])
        return Response(s.ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class PpksStatsView(APIView):
    """Open PPKS placements by kecamatan, desa, category, desil, sex and age band. Counts
    below the small-count threshold are null for API clients."""

    permission_classes = [DomainPermission]
    access_domain = Domain.REGISTRY
    access_action = Action.STATS

    @extend_schema(
        parameters=[
            OpenApiParameter("district", OpenApiTypes.STR, description="kecamatan code"),
            OpenApiParameter("category", OpenApiTypes.STR, description="category code"),
        ],
        responses=s.PpksStatsSerializer,
    )
    def get(self, request):
        district = request.query_params.get("district") or None
        category = request.query_params.get("category") or None
        if district and (
            len(district) > 8
            or not district.replace(".", "").isdigit()
            or not selectors.District.objects.filter(code=district).exists()
        ):
            raise ValidationError({"district": [_("Unknown kecamatan code.")]})
        if category and (
            len(category) > 40
            or not (category.isascii() and category.replace("_", "").isalnum())
            or not PpksCategory.objects.filter(code=category).exists()
        ):
            raise ValidationError({"category": [_("Unknown PPKS category.")]})
        return Response(
            selectors.ppks_counts(user=request.user, district_code=district, category_code=category)
        )


class DesilRecapView(APIView):
    """Households and persons per kecamatan and desil (LKjIP "Rekap DTSEN per desil")."""

    permission_classes = [DomainPermission]
    access_domain = Domain.REGISTRY
    access_action = Action.STATS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        recap = selectors.desil_recap(user=request.user)
        return Response({**recap, "rows": [row.__dict__ for row in recap["rows"]]})
