"""The field work API: field forms (same validation, scope and idempotency as the pages), the
daily journal, the PSKS registry, assignments, what approved forms created, and statistics."""

from __future__ import annotations

import datetime
import json
import uuid

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Action, Domain, user_district_code
from accounts.api.permissions import DomainPermission, RestrictedQuerysetMixin
from welfare.api.params import choice_param, object_body, year_param

from .. import selectors, services
from ..field_forms import describe_form
from ..filters import (
    ActivityEntryFilter,
    DisasterIncidentFilter,
    PsksInstitutionFilter,
    PsksPersonFilter,
    ReferralFilter,
    SubmissionFilter,
)
from ..forms import ActivityEntryForm
from ..kinds import all_kinds, get_kind
from ..models import (
    ActivityEntry,
    DisasterIncident,
    PsksInstitution,
    PsksKind,
    PsksPerson,
    Referral,
    Submission,
    SubmissionEvent,
    TkskAssignment,
)
from . import serializers as s

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _form_errors(form) -> dict:
    errors = {}
    for name, messages in form.errors.items():
        errors["non_field_errors" if name == "__all__" else name] = list(messages)
    return errors


def _payload(request) -> dict:
    value = object_body(request).get("payload")
    if isinstance(value, str):
        try:
            value = json.loads(value or "{}")
        except ValueError:
            raise ValidationError({"payload": [_("The payload is not valid JSON.")]}) from None
    if not isinstance(value, dict):
        raise ValidationError({"payload": [_("Send the form's fields as an object.")]})
    return value


def _django_errors(exc) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): value
            for key, value in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


# --- Field forms ----------------------------------------------------------------------------


class KindListView(APIView):
    """The field forms this user can send, with their fields (for a mobile app or an
    ODK/KoboToolbox bridge)."""

    permission_classes = [DomainPermission]
    access_domain = Domain.FIELDWORK

    @extend_schema(responses=s.KindSerializer(many=True))
    def get(self, request):
        district = user_district_code(request.user)
        result = []
        for kind in all_kinds():
            form = kind.form_class(
                kind=kind, user=request.user, district_code=district, max_photo_bytes=1
            )
            result.append(
                {
                    "code": kind.code,
                    "label": str(kind.label),
                    "description": str(kind.description),
                    "bidang": kind.bidang_code,
                    "periodic": kind.periodic,
                    "fields": describe_form(form),
                    "photos": [
                        {
                            "name": spec.name,
                            "label": str(spec.label),
                            "required": spec.required,
                            "max_count": spec.max_count,
                            "keeps_location": spec.keep_location,
                        }
                        for spec in kind.photos
                    ],
                }
            )
        return Response(result)


@extend_schema_view(
    list=extend_schema(description="Field forms: a TKSK's own; the office's, by division."),
    retrieve=extend_schema(description="One field form with its steps, photos and changes."),
)
class SubmissionViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Submission.objects.select_related(
        "submitted_by", "reviewed_by", "district", "village"
    ).prefetch_related(
        "photos",
        Prefetch("events", queryset=SubmissionEvent.objects.select_related("actor")),
        "applied_changes__content_type",
    )
    serializer_class = s.SubmissionSerializer
    filterset_class = SubmissionFilter
    parser_classes = PARSERS
    access_actions = {
        "create": Action.ADD,
        "resubmit": Action.CHANGE,
        "review": Action.APPROVE,
    }

    @extend_schema(
        request={
            "application/json": s.SubmissionCreateSerializer,
            "multipart/form-data": s.SubmissionCreateSerializer,
        },
        responses={200: s.SubmissionSerializer, 201: s.SubmissionSerializer},
        description=(
            "Send a field form. The payload is validated by the form of its kind (messages in "
            "Bahasa Indonesia per field under `errors`), for the sender's own kecamatan. "
            "A resend with the same `client_key` returns the first submission with HTTP 200."
        ),
    )
    def create(self, request):
        meta = s.SubmissionCreateSerializer(data=request.data)
        meta.is_valid(raise_exception=True)
        user = request.user
        existing = services.submission_by_key(
            actor=user, client_key=meta.validated_data["client_key"]
        )
        if existing is not None:
            return Response(self._out(existing), status=status.HTTP_200_OK)
        kind = get_kind(meta.validated_data["kind"])
        district = user_district_code(user)
        if not district:
            raise PermissionDenied(
                _("Field forms are sent by a TKSK for the kecamatan they are assigned to.")
            )
        form = kind.form_class(
            _payload(request), request.FILES, kind=kind, user=user, district_code=district
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        try:
            submission, created = services.submission_create(
                actor=user,
                kind=kind,
                form=form,
                client_key=meta.validated_data["client_key"],
                client_created_at=meta.validated_data.get("client_created_at"),
            )
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc)) from None
        return Response(
            self._out(submission),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _out(self, submission):
        fresh = self.queryset.filter(pk=submission.pk).first() or submission
        return s.SubmissionSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(
        request={
            "application/json": s.SubmissionResubmitSerializer,
            "multipart/form-data": s.SubmissionResubmitSerializer,
        },
        responses=s.SubmissionSerializer,
        description="Send a returned field form again with corrections (the sender only).",
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        submission = self.get_object()
        meta = s.SubmissionResubmitSerializer(data=request.data)
        meta.is_valid(raise_exception=True)
        kind = get_kind(submission.kind)
        if submission.events.filter(client_key=meta.validated_data["client_key"]).exists():
            return Response(self._out(submission))
        existing = {}
        for photo in submission.photos.filter(superseded=False):
            existing[photo.field] = existing.get(photo.field, 0) + 1
        form = kind.form_class(
            _payload(request),
            request.FILES,
            kind=kind,
            user=request.user,
            district_code=submission.district_id,
            submission=submission,
            existing_photos=existing,
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        try:
            submission, _changed = services.submission_resubmit(
                actor=request.user,
                submission=submission,
                form=form,
                client_key=meta.validated_data["client_key"],
                version=meta.validated_data.get("version"),
            )
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc)) from None
        return Response(self._out(submission))

    @extend_schema(
        request=s.SubmissionReviewSerializer,
        responses=s.SubmissionSerializer,
        description="Approve, return (comment required) or reject (comment required).",
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        submission = self.get_object()
        data = s.SubmissionReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            submission = services.submission_review(
                actor=request.user,
                submission=submission,
                decision=data.validated_data["decision"],
                comment=data.validated_data.get("comment", ""),
                version=data.validated_data["version"],
            )
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc)) from None
        return Response(self._out(submission))


@extend_schema_view(
    list=extend_schema(description="Daily activity entries (a TKSK's own)."),
    retrieve=extend_schema(description="One daily activity entry."),
)
class ActivityEntryViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ActivityEntry.objects.select_related("tksk", "district", "village")
    serializer_class = s.ActivityEntrySerializer
    filterset_class = ActivityEntryFilter
    parser_classes = PARSERS
    access_actions = {"create": Action.ADD, "destroy": Action.CHANGE}

    @extend_schema(
        request={
            "application/json": s.ActivityEntryCreateSerializer,
            "multipart/form-data": s.ActivityEntryCreateSerializer,
        },
        responses={200: s.ActivityEntrySerializer, 201: s.ActivityEntrySerializer},
        description="Add a daily entry; a resend with the same `client_key` returns HTTP 200.",
    )
    def create(self, request):
        user = request.user
        key = object_body(request).get("client_key")
        if key:
            existing = (
                ActivityEntry.objects.filter(tksk=user, client_key=key).first()
                if (_is_uuid(key))
                else None
            )
            if existing is not None:
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        district = user_district_code(user)
        if not district:
            raise PermissionDenied(_("Daily entries are written by a TKSK."))
        form = ActivityEntryForm(
            request.data,
            request.FILES,
            district_code=district,
            max_photo_bytes=selectors.fieldwork_settings().photo_max_mb * 1024 * 1024,
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        data = form.cleaned_data
        try:
            entry, created = services.activity_entry_create(
                actor=user,
                client_key=data["client_key"],
                date=data["date"],
                activity_type=data["activity_type"],
                description=data["description"],
                people_served=data.get("people_served") or 0,
                village=data.get("village"),
                photo=(data.get("photo") or [None])[0],
            )
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc)) from None
        return Response(
            self.get_serializer(entry).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def perform_destroy(self, instance):
        try:
            services.activity_entry_delete(actor=self.request.user, entry=instance)
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc)) from None


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- Registry and records (read) ------------------------------------------------------------


class PsksKindViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The kinds of PSKS (the 12 official ones and local ones)."""

    queryset = PsksKind.objects.all()
    serializer_class = s.PsksKindSerializer
    lookup_field = "code"
    pagination_class = None


class PsksPersonViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """People of the PSKS registry (personal data: not for API clients)."""

    queryset = PsksPerson.objects.select_related("kind")
    serializer_class = s.PsksPersonSerializer
    filterset_class = PsksPersonFilter


class PsksInstitutionViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Institutions of the PSKS registry (LKS with accreditation, LK3, Karang Taruna ...)."""

    queryset = PsksInstitution.objects.select_related("kind").prefetch_related("services")
    serializer_class = s.PsksInstitutionSerializer
    filterset_class = PsksInstitutionFilter


class TkskAssignmentViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """TKSK assignments, active and earlier."""

    queryset = TkskAssignment.objects.select_related("person", "district")
    serializer_class = s.TkskAssignmentSerializer
    filterset_fields = ["district"]


class DisasterIncidentViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Disaster incidents recorded from approved field forms."""

    queryset = DisasterIncident.objects.all()
    serializer_class = s.DisasterIncidentSerializer
    filterset_class = DisasterIncidentFilter


class ReferralViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Case referrals recorded from approved field forms (personal: not for API clients)."""

    queryset = Referral.objects.all()
    serializer_class = s.ReferralSerializer
    filterset_class = ReferralFilter


# --- Statistics -----------------------------------------------------------------------------

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Year (default: this year).")
DATE = OpenApiParameter("date", OpenApiTypes.DATE, description="Reference date (default: today).")


def _year(request) -> int:
    return year_param(request, default=lambda: timezone.localdate().year)


def _date(request) -> datetime.date:
    value = request.query_params.get("date")
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"date": [_("Use the format YYYY-MM-DD.")]}) from None


class StatsView(APIView):
    permission_classes = [DomainPermission]
    access_domain = Domain.FIELDWORK
    access_action = Action.STATS


def _matrix(matrix) -> dict:
    return {
        "columns": [{"key": key, "label": str(label)} for key, label in matrix.columns],
        "rows": [
            {"code": r.code, "name": r.name, "cells": r.cells, "total": r.total}
            for r in matrix.rows
        ],
        "totals": matrix.totals,
        "total": matrix.total,
        "meta": {
            key: str(value) if key.endswith("label") else value
            for key, value in matrix.meta.items()
        },
    }


class PsksWorkerStatsView(StatsView):
    """TKSK and social volunteers per kecamatan and how many are certified (LKjIP table
    3.12). Counts below the threshold are null for API clients."""

    @extend_schema(parameters=[DATE], responses=s.WorkerRecapSerializer)
    def get(self, request):
        recap = selectors.psks_worker_recap(user=request.user, on=_date(request))
        return Response(
            {"on": recap.on, "rows": [r.__dict__ for r in recap.rows], "totals": recap.totals}
        )


class LksStatsView(StatsView):
    """LKS per kecamatan and how many are accredited (LKjIP table 3.13)."""

    @extend_schema(parameters=[DATE], responses=s.LksRecapSerializer)
    def get(self, request):
        recap = selectors.lks_recap(user=request.user, on=_date(request))
        return Response(
            {"on": recap.on, "rows": [r.__dict__ for r in recap.rows], "totals": recap.totals}
        )


class WorkloadStatsView(StatsView):
    """Villages per kecamatan, whether it has a TKSK and whether the TKSK covers more villages
    than the limit; columns contributed by other modules under ``extra``."""

    @extend_schema(responses=s.WorkloadSerializer)
    def get(self, request):
        workload = selectors.tksk_workload(user=request.user)
        return Response(
            {
                "limit": workload.limit,
                "columns": [{"key": c.key, "label": str(c.label)} for c in workload.columns],
                "missing_columns": [
                    {"key": key, "label": str(label), "module": str(module)}
                    for key, label, module in workload.missing_columns
                ],
                "rows": [
                    {
                        "code": r.district.code,
                        "name": r.district.name,
                        "villages": r.villages,
                        "has_tksk": r.assignment is not None,
                        "tksk_certified": bool(r.assignment and r.assignment.person.certified_on),
                        "over_limit": r.over_limit,
                        "period_ended": r.period_ended,
                        "extra": r.extra,
                    }
                    for r in workload.rows
                ],
                "summary": workload.summary,
            }
        )


class DisasterVictimStatsView(StatsView):
    """Victims of approved disaster incidents per kecamatan and type (LKjIP table 3.32)."""

    @extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter(
                "measure",
                OpenApiTypes.STR,
                enum=list(selectors.DISASTER_MEASURES),
                description="What is counted (default persons_affected).",
            ),
        ],
        responses=s.MatrixSerializer,
    )
    def get(self, request):
        measure = choice_param(
            request, "measure", selectors.DISASTER_MEASURES, default="persons_affected"
        )
        return Response(
            _matrix(
                selectors.disaster_victims(user=request.user, year=_year(request), measure=measure)
            )
        )


class ReferralStatsView(StatsView):
    """Approved case referrals per kecamatan and service, and how many were served."""

    @extend_schema(parameters=[YEAR], responses=s.MatrixSerializer)
    def get(self, request):
        return Response(_matrix(selectors.referral_stats(user=request.user, year=_year(request))))


class MonthlyReportStatsView(StatsView):
    """Monthly reports per month: expected, received, on time, late, overdue."""

    @extend_schema(parameters=[YEAR], responses=s.MonthStatsSerializer(many=True))
    def get(self, request):
        stats = selectors.monthly_report_stats(user=request.user, year=_year(request))
        return Response([m.__dict__ for m in stats])


class KindFigureStatsView(StatsView):
    """Approved field forms per kecamatan, per form (PPKS identified and verification visits
    come with the registry's forms; until then ``available`` is false)."""

    @extend_schema(parameters=[YEAR], responses=s.KindFigureSerializer(many=True))
    def get(self, request):
        year = _year(request)
        figures = [
            selectors.ppks_identified_by_district(user=request.user, year=year),
            selectors.verification_visits_by_district(user=request.user, year=year),
        ]
        seen = {figure.kind for figure in figures}
        figures += [
            selectors.kind_figure(kind.code, user=request.user, year=year)
            for kind in all_kinds()
            if kind.code not in seen
        ]
        return Response(
            [
                {
                    "kind": f.kind,
                    "available": f.available,
                    "label": str(f.label),
                    "by_district": f.by_district,
                    "total": f.total,
                }
                for f in figures
            ]
        )
