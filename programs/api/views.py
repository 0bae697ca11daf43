"""The programs API: the catalogue and its statistics (aggregated, safe for API clients, small
counts suppressed), the targeting checks per kecamatan, enrollments for staff (scoped,
masked; API clients get no personal rows) and the imports (disbursement results, recipient
lists), run as background jobs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Action, Domain, small_count_threshold, suppress_small_counts
from accounts.api.permissions import DomainPermission, RestrictedQuerysetMixin
from beneficiaries.models import Household, Person
from welfare.api.params import year_param
from welfare.uploads import serve_file

from .. import imports, selectors, services
from ..filters import EnrollmentFilter
from ..models import Enrollment, Program, ProgramImport, Stage, Unit
from . import serializers as s

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Year (default: this year)")
TAHAP = OpenApiParameter("tahap", OpenApiTypes.INT, description="Stage number (default: the year)")
GROUP_BY = OpenApiParameter(
    "group_by",
    OpenApiTypes.STR,
    enum=["district", "village"],
    description="Rows per kecamatan or desa",
)


def _stage_param(request, program: Program, year: int) -> Stage | None:
    value = request.query_params.get("tahap")
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ValidationError({"tahap": [_("The stage must be a number, e.g. 1.")]})
    stage = Stage.objects.filter(program=program, year=year, number=int(value)).first()
    if stage is None:
        raise ValidationError({"tahap": [_("This program has no such stage in that year.")]})
    return stage


def _group_by_param(request) -> str:
    value = request.query_params.get("group_by") or "district"
    if value not in selectors.GROUP_BY:
        raise ValidationError({"group_by": [_("Use district or village.")]})
    return value


def _row(row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "district_code": row.district_code,
        "quota": row.quota,
        "enrolled": row.enrolled,
        "active": row.active,
        "recipients": row.recipients,
        "paid_count": row.paid_count,
        "paid_amount": row.paid_amount,
        "planned_amount": row.planned_amount,
        "pct_paid": row.pct_paid,
        "pct_amount": row.pct_amount,
    }


class ProgramViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The program catalogue with eligibility rules; ``stats/`` gives its figures."""

    queryset = Program.objects.select_related("bidang").prefetch_related("categories")
    serializer_class = s.ProgramSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    access_actions = {"stats": Action.STATS}

    @extend_schema(parameters=[YEAR, TAHAP, GROUP_BY], responses=s.StatsSerializer)
    @action(detail=True, methods=["get"])
    def stats(self, request, code=None):
        """Quota, enrolled, active, recipients, paid (count, Rp) and % realized per kecamatan
        or desa for a year or one tahap. Counts below the threshold are null for API clients
        (and the amounts and percentages of such a row)."""
        program = self.get_object()
        year = year_param(request, default=lambda: timezone.localdate().year)
        stage = _stage_param(request, program, year)
        group_by = _group_by_param(request)
        stats = selectors.program_stats(
            user=request.user, program=program, year=year, stage=stage, group_by=group_by
        )
        return Response(
            {
                "program": program.code,
                "year": year,
                "tahap": stage.number if stage else None,
                "group_by": group_by,
                "suppressed_below": small_count_threshold()
                if suppress_small_counts(request.user)
                else None,
                "rows": [_row(r) for r in stats.rows],
                "total": _row(stats.total),
            }
        )


class TargetingView(APIView):
    """Possible exclusion (households in desil 1-4 with no program) and possible inclusion
    errors (recipients in desil 6-10) per kecamatan; counts only."""

    permission_classes = [DomainPermission]
    access_domain = Domain.PROGRAMS
    access_action = Action.STATS

    @extend_schema(
        parameters=[OpenApiParameter("program", OpenApiTypes.STR, description="Program code")],
        responses=s.TargetingRowSerializer(many=True),
    )
    def get(self, request):
        code = request.query_params.get("program") or ""
        program = None
        if code:
            program = Program.objects.filter(code=code).first()
            if program is None:
                raise ValidationError({"program": [_("Unknown program code.")]})
        rows = selectors.targeting_by_district(user=request.user, program=program)
        return Response([r.__dict__ for r in rows])


class EnrollmentViewSet(
    RestrictedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Enrollments for staff: region scope, personal data masked for roles that may not see
    it; API clients get no rows. POST enrolls through the same rules as the page."""

    queryset = Enrollment.objects.select_related(
        "program", "person__household", "household", "group"
    )
    serializer_class = s.EnrollmentSerializer
    filterset_class = EnrollmentFilter

    def get_serializer_class(self):
        return s.EnrollmentCreateSerializer if self.action == "create" else s.EnrollmentSerializer

    @extend_schema(request=s.EnrollmentCreateSerializer, responses={201: s.EnrollmentSerializer})
    def create(self, request, *args, **kwargs):
        body = s.EnrollmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        program = Program.objects.filter(code=data["program"]).first()
        if program is None:
            raise ValidationError({"program": [_("Unknown program code.")]})
        person = household = None
        if program.unit == Unit.PERSON:
            person = Person.objects.filter(nik=data.get("nik") or "-").first()
            if person is None:
                raise ValidationError({"nik": [_("This number is not in the registry.")]})
        elif program.unit == Unit.HOUSEHOLD:
            household = Household.objects.filter(no_kk=data.get("no_kk") or "-").first()
            if household is None:
                raise ValidationError({"no_kk": [_("This number is not in the registry.")]})
        else:
            raise ValidationError({"program": [_("Groups are enrolled one by one.")]})
        try:
            enrollment = services.enrollment_create(
                actor=request.user,
                program=program,
                person=person,
                household=household,
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                status=data["status"],
                decree_number=data["decree_number"],
                decree_date=data["decree_date"],
                override_justification=data["override_justification"],
            )
        except services.EligibilityError as exc:
            return Response(
                {
                    "detail": _("Not eligible."),
                    "code": "not_eligible",
                    "errors": {"non_field_errors": [f.message for f in exc.failures]},
                    "rules": [f.rule for f in exc.failures],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            ) from exc
        except PermissionDenied:
            raise
        return Response(
            s.EnrollmentSerializer(enrollment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProgramImportViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Program imports: a bank's or Pos's disbursement results, or recipients to enroll in a
    program. POST a CSV/XLSX file (multipart: file, kind, program, mode, commit): it is checked
    (and saved when asked) by a background job; follow ``status_url`` (``/api/v1/jobs/{id}/``),
    then read the import here. Who may import, and whose imports they see, as on the page: an
    operator or Kepala Bidang only their own bidang's."""

    queryset = ProgramImport.objects.select_related("program", "bidang", "created_by")
    serializer_class = s.ProgramImportSerializer
    access_action = Action.IMPORT
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["kind", "status"]

    def get_serializer_class(self):
        if self.action == "create":
            return s.ProgramImportUploadSerializer
        return s.ProgramImportSerializer

    @extend_schema(
        request=s.ProgramImportUploadSerializer, responses={202: s.ProgramImportSerializer}
    )
    def create(self, request, *args, **kwargs):
        body = s.ProgramImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        program = None
        if data["kind"] == ProgramImport.Kind.ENROLLMENTS:
            if not data["program"]:
                raise ValidationError(
                    {"program": [_("Choose the program to enroll the recipients in.")]}
                )
            program = Program.objects.filter(code=data["program"]).first()
            if program is None:
                raise ValidationError({"program": [_("Unknown program code.")]})
        upload = data["file"]
        try:
            record = imports.import_start(
                actor=request.user,
                kind=data["kind"],
                file=upload,
                file_name=upload.name,
                program=program,
                mode=data["mode"],
                commit=data["commit"],
            )
        except DjangoValidationError as exc:
            raise ValidationError({"program": exc.messages}) from exc
        # PermissionDenied (a program of another bidang) goes on: HTTP 403 with its message.
        return Response(
            s.ProgramImportSerializer(record, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    def _file(self, field):
        if not field:
            raise NotFound(_("This file does not exist."))
        return serve_file(field, inline=False)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The check report (XLSX: row, column, message, value); 404 when there was none."""
        return self._file(self.get_object().report_file)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def rejected(self, request, pk=None):
        """The refused rows as sent, a last column saying what is wrong (XLSX); 404 when no
        row was refused."""
        return self._file(self.get_object().rejected_file)
