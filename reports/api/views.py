"""``/api/v1/reports/``: start a generation (POST kind and year, and for ``program_stats`` an
optional ``program``: a background job), then read its status, scope and the file from
``/api/v1/reports/{id}/``; the list filters by kind, year, scope (a program code), whole
(no program chosen), status and approved. API clients read only approved
versions and start nothing (their role holds no ADD in the reports domain)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import Action, Domain
from accounts.api.permissions import RestrictedQuerysetMixin
from welfare.api.params import object_body
from welfare.uploads import serve_file

from .. import selectors, services
from ..filters import ReportVersionFilter
from ..models import ReportVersion
from .serializers import GenerateSerializer, ReportVersionSerializer


class ReportViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ReportVersion.objects.select_related("report", "job").defer("snapshot")
    serializer_class = ReportVersionSerializer
    filterset_class = ReportVersionFilter
    access_domain = Domain.REPORTS
    access_actions = {"download": Action.VIEW}

    def get_queryset(self):
        return selectors.version_list(user=self.request.user).defer("snapshot")

    @extend_schema(
        request=GenerateSerializer,
        responses={
            202: ReportVersionSerializer,
            400: OpenApiResponse(
                description=(
                    "errors.problems: the check found errors and allow_draft is false; "
                    "errors.program: an unknown program, one outside the caller's access, or "
                    "a program given for a kind that takes none; errors.non_field_errors: the "
                    "report is approved (frozen)"
                )
            ),
        },
    )
    def create(self, request):
        serializer = GenerateSerializer(data=object_body(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        params = {"program": data["program"]} if data.get("program") else {}
        try:
            version = services.report_generate(
                actor=request.user,
                kind=data["kind"],
                year=data["year"],
                allow_draft=data["allow_draft"],
                params=params,
            )
        except services.CheckFailed as exc:
            raise ValidationError(
                {"problems": [p.message for p in exc.problems], "detail": exc.messages}
            ) from exc
        except DjangoValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else None
            raise ValidationError(errors or {"non_field_errors": exc.messages}) from exc
        version = self.get_queryset().get(pk=version.pk)
        return Response(ReportVersionSerializer(version).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        version = self.get_object()
        if version.status != ReportVersion.Status.DONE or not version.file:
            raise ValidationError({"detail": [_("This version has no file yet.")]})
        return serve_file(version.final_file or version.file, inline=False)
