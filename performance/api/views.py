"""``/api/v1/performance/``: plans, indicators, agreements and targets, realizations, budget,
the year's summary, the five-year trend, SPM and imports. Reads come from the selectors that
the pages use; writes go through the same services (and their validation and versions)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Action, Domain, access_object
from accounts.api.permissions import DomainPermission, RestrictedQuerysetMixin
from performance import selectors, services
from performance.models import (
    Agreement,
    AgreementTarget,
    BudgetLine,
    BudgetRealization,
    Indicator,
    Realization,
    Renstra,
    RenstraTarget,
    Sasaran,
    Tujuan,
)
from welfare.api.errors import Conflict
from welfare.api.params import bool_param, choice_param, year_param

from .serializers import (
    AgreementSerializer,
    AgreementTargetSerializer,
    BudgetLineSerializer,
    BudgetWriteSerializer,
    DeletionSerializer,
    ImportSerializer,
    ImportStartedSerializer,
    IndicatorSerializer,
    RealizationSerializer,
    RealizationWriteSerializer,
    RenstraSerializer,
    ReviewSerializer,
    SpmSerializer,
    SummarySerializer,
    TrendSerializer,
    VersionOnlySerializer,
)

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="The year (default: this year).")
BASIS = OpenApiParameter(
    "basis",
    OpenApiTypes.STR,
    enum=list(selectors.BASES),
    description="murni: the original agreement and pagu; perubahan: the latest revision; "
    "latest (default): the latest there is.",
)


def _year(request) -> int:
    return year_param(request, default=selectors.default_year)


def _basis(request) -> str:
    basis = request.query_params.get("basis") or selectors.LATEST
    if basis not in selectors.BASES:
        raise ApiValidationError({"basis": [_("Use latest, murni or perubahan.")]})
    return basis


DELETE_PARAMS = [
    OpenApiParameter(
        "version",
        OpenApiTypes.INT,
        required=True,
        description="The version the deletion is based on; a stale version gives HTTP 409.",
    ),
    OpenApiParameter(
        "reason",
        OpenApiTypes.STR,
        required=True,
        description="Why it is deleted (at most 100 characters), kept in the history.",
    ),
]
DELETE_DESCRIPTION = (
    "Delete an item entered by mistake, through the same service as the page. Send `version` "
    "and `reason` as query parameters (or in a JSON body). Refused with HTTP 409 (code "
    "`protected`, the message names what still depends on it) while it has dependants that "
    "carry data."
)


def _destroy(request, delete) -> Response:
    """A DELETE through ``delete(actor=, version=, reason=)`` (a ``services.<entity>_delete``)."""
    params = request.query_params.dict()
    body = request.data
    if hasattr(body, "dict"):
        body = body.dict()
    if isinstance(body, dict):
        params.update(body)
    serializer = DeletionSerializer(data=params)
    serializer.is_valid(raise_exception=True)
    try:
        delete(
            actor=request.user,
            version=serializer.validated_data["version"],
            reason=serializer.validated_data.get("reason", ""),
        )
    except services.DeletionRefused as exc:
        raise Conflict(detail=" ".join(exc.messages), code="protected") from exc
    return Response(status=status.HTTP_204_NO_CONTENT)


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ApiValidationError({name: [_("Must be a number.")]}) from exc


# --- Representations of selector results ------------------------------------------------------


def _s(value):
    return None if value is None else str(value)


def _band(spec):
    return spec.label if spec else None


def budget_data(figures) -> dict | None:
    if figures is None:
        return None
    return {
        "pagu_murni": _s(figures.pagu_murni),
        "pagu_perubahan": _s(figures.pagu_perubahan),
        "pagu": _s(figures.pagu),
        "realization": _s(figures.realization),
        "absorption": _s(figures.absorption.value),
        "effectiveness": _band(figures.effectiveness),
    }


def indicator_data(result: selectors.IndicatorResult) -> dict:
    indicator = result.indicator
    previous = result.previous
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "level": indicator.level,
        "sasaran": indicator.sasaran.code if indicator.sasaran_id else None,
        "is_iku": indicator.is_iku,
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "target": _s(result.target),
        "target_source": result.target_source,
        "realization": _s(result.realization.value),
        "capaian": _s(result.capaian.value),
        "capaian_note": result.capaian.message,
        "rating": _band(result.rating),
        "absorption": _s(result.budget.absorption.value) if result.budget else None,
        "efisiensi": _s(result.efisiensi),
        "quarters": [
            {
                "quarter": q.quarter,
                "target": _s(q.target),
                "realization": _s(q.value),
                "capaian": _s(q.capaian.value) if q.value is not None else None,
                "cumulative_target": _s(q.cumulative.target),
                "cumulative_realization": _s(q.cumulative.realization.value),
                "cumulative_capaian": _s(q.cumulative.capaian.value),
                "status": q.status or None,
            }
            for q in result.quarters
        ],
        "previous_year": (
            {
                "year": previous.year,
                "target": _s(previous.target),
                "realization": _s(previous.realization),
                "capaian": _s(previous.capaian.value),
            }
            if previous and previous.target is not None
            else None
        ),
        "renstra_end_target": _s(result.end_target),
        "capaian_vs_end_target": _s(result.capaian_vs_end_target.value),
    }


def spm_data(spm: selectors.SpmSummary) -> dict:
    return {
        "year": spm.year,
        "services": [
            {
                "code": row.service.code,
                "name": row.service.name,
                "target_group": row.service.target_group,
                "target_group_count": row.target_group,
                "served": row.served,
                "percent": _s(row.percent.value) if row.achievement else None,
            }
            for row in spm.rows
        ],
        "total_target_group": spm.total_target_group,
        "total_served": spm.total_served,
        "total_percent": _s(spm.total.value) if spm.total_target_group else None,
    }


def summary_data(summary: selectors.YearSummary) -> dict:
    return {
        "year": summary.year,
        "basis": summary.basis,
        "renstra": summary.renstra.name,
        "agreement": str(summary.agreement) if summary.agreement else None,
        "indicators": [indicator_data(r) for r in summary.indicators],
        "sasaran": [
            {
                "id": s.sasaran.pk,
                "code": s.sasaran.code,
                "name": s.sasaran.name,
                "capaian": _s(s.capaian.value) if s.indicators else None,
                "rating": _band(s.rating),
                "realized": s.realized,
                "indicators": [r.indicator.code for r in s.indicators],
                "budget": budget_data(s.budget),
            }
            for s in summary.sasaran
        ],
        "year_result": {
            "capaian": _s(summary.capaian.value),
            "rating": _band(summary.rating),
            "realized": summary.realized,
        },
        "budget": budget_data(summary.budget.total),
        "programs": [
            {"code": p.code, "name": p.name, **budget_data(f)} for p, f in summary.program_budgets()
        ],
        "spm": spm_data(summary.spm),
    }


# --- Read-only summaries -----------------------------------------------------------------------


class SummaryView(APIView):
    """The year's performance: per indicator target, realization, capaian, rating and
    efisiensi; per sasaran and for the year capaian and rating; the budget (pagu, realization,
    absorption, effectiveness) and SPM. Aggregated data only."""

    permission_classes = [DomainPermission]
    access_domain = Domain.PERFORMANCE
    access_action = Action.VIEW

    @extend_schema(parameters=[YEAR, BASIS], responses=SummarySerializer)
    def get(self, request):
        year, basis = _year(request), _basis(request)
        summary = selectors.year_summary(year=year, basis=basis)
        if summary is None:
            raise NotFound(_("No Renstra covers %(year)s.") % {"year": year})
        return Response(summary_data(summary))


class TrendView(APIView):
    """The last five years up to ``year``: the year's capaian, budget absorption, each IKU."""

    permission_classes = [DomainPermission]
    access_domain = Domain.PERFORMANCE
    access_action = Action.VIEW

    @extend_schema(parameters=[YEAR, BASIS], responses=TrendSerializer)
    def get(self, request):
        trend = selectors.trend(end_year=_year(request), basis=_basis(request))
        return Response(
            {
                "years": trend.years,
                "points": [
                    {
                        "year": p.year,
                        "capaian": _s(p.capaian.value) if p.capaian else None,
                        "rating": _band(p.rating),
                        "budget": budget_data(p.budget),
                    }
                    for p in trend.points
                ],
                "indicators": [
                    {
                        "code": r.indicator.code,
                        "name": r.indicator.name,
                        "history": [
                            {
                                "year": p.year,
                                "target": _s(p.target),
                                "realization": _s(p.realization),
                                "capaian": _s(p.capaian.value) if p.target is not None else None,
                            }
                            for p in r.history
                        ],
                    }
                    for r in trend.indicators
                ],
            }
        )


class SpmView(APIView):
    """SPM bidang sosial: the five services' target group, people served and %."""

    permission_classes = [DomainPermission]
    access_domain = Domain.PERFORMANCE
    access_action = Action.VIEW

    @extend_schema(parameters=[YEAR], responses=SpmSerializer)
    def get(self, request):
        return Response(spm_data(selectors.spm_summary(year=_year(request))))


# --- Plans, indicators, agreements -----------------------------------------------------------


class RenstraViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Strategic plans with their goals and objectives (and the programs supporting each)."""

    queryset = Renstra.objects.select_related("bidang").prefetch_related(
        Prefetch("tujuan", queryset=Tujuan.objects.order_by("order", "code")),
        Prefetch(
            "tujuan__sasaran",
            queryset=Sasaran.objects.order_by("order", "code").prefetch_related("programs"),
        ),
    )
    serializer_class = RenstraSerializer
    pagination_class = None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(Indicator.Level.values)),
            OpenApiParameter("renstra", OpenApiTypes.INT),
            OpenApiParameter(
                "iku", OpenApiTypes.BOOL, description="true: only the IKU; false: only the others"
            ),
        ],
        description="Indicators of the Renstra covering `year` (or of `renstra`).",
    ),
    partial_update=extend_schema(
        description="Change an indicator's texts or rules; send the `version` it is based on."
    ),
    destroy=extend_schema(
        parameters=DELETE_PARAMS, description=DELETE_DESCRIPTION, responses={204: None}
    ),
)
class IndicatorViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Indicator.objects.select_related(
        "bidang", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"
    ).prefetch_related(Prefetch("renstra_targets", queryset=RenstraTarget.objects.order_by("year")))
    serializer_class = IndicatorSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        renstra = _int_param(self.request, "renstra")
        if renstra:
            queryset = queryset.filter(renstra_id=renstra)
        else:
            found = selectors.renstra_for_year(_year(self.request))
            queryset = queryset.filter(renstra=found) if found else queryset.none()
        level = choice_param(self.request, "level", Indicator.Level.values)
        if level:
            queryset = queryset.filter(level=level)
        iku = bool_param(self.request, "iku")
        if iku is not None:
            queryset = queryset.filter(is_iku=iku)
        return queryset.order_by("order", "code")

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.indicator_save(
            actor=self.request.user,
            renstra=serializer.instance.renstra,
            indicator=serializer.instance,
            version=version,
            data=data,
        )

    def destroy(self, request, *args, **kwargs):
        indicator = self.get_object()
        return _destroy(
            request,
            lambda **given: services.indicator_delete(indicator=indicator, **given),
        )


class AgreementViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Performance agreements: revision 0 is the original (murni), 1+ the revisions."""

    queryset = Agreement.objects.prefetch_related(
        Prefetch(
            "targets", queryset=AgreementTarget.objects.select_related("indicator", "agreement")
        )
    )
    serializer_class = AgreementSerializer

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        year = _int_param(self.request, "year")
        return queryset.filter(year=year) if year else queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[YEAR, BASIS, OpenApiParameter("indicator", OpenApiTypes.INT)],
        description="The targets of the agreement `basis` chooses for `year`.",
    ),
    partial_update=extend_schema(description="Change a target; send its `version`."),
)
class TargetViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = AgreementTarget.objects.select_related("agreement__renstra", "indicator")
    serializer_class = AgreementTargetSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        agreement = selectors.agreement_for(_year(self.request), _basis(self.request))
        queryset = queryset.filter(agreement=agreement) if agreement else queryset.none()
        indicator = _int_param(self.request, "indicator")
        if indicator:
            queryset = queryset.filter(indicator_id=indicator)
        return queryset.order_by("indicator__order", "indicator__code")

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.agreement_target_update(
            actor=self.request.user, target=serializer.instance, version=version, data=data
        )


# --- Realizations --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter("quarter", OpenApiTypes.INT),
            OpenApiParameter("indicator", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(Realization.Status.values)),
        ]
    ),
    create=extend_schema(
        request=RealizationWriteSerializer, responses={201: RealizationSerializer}
    ),
    partial_update=extend_schema(
        request=RealizationWriteSerializer, responses=RealizationSerializer
    ),
)
class RealizationViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Quarterly realizations. Entering and correcting follow the page's rules; ``submit``,
    ``approve`` and ``return`` move them through the approval."""

    queryset = Realization.objects.select_related("indicator").annotate(
        evidence_count=Count("evidence")
    )
    serializer_class = RealizationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    access_actions = {
        "approve": Action.APPROVE,
        "return_": Action.APPROVE,
        "submit": Action.CHANGE,
        "partial_update": Action.CHANGE,
        "create": Action.ADD,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        queryset = queryset.filter(year=_year(self.request))
        for name in ("quarter", "indicator"):
            value = _int_param(self.request, name)
            if value:
                queryset = queryset.filter(**{name: value})
        status_filter = choice_param(self.request, "status", Realization.Status.values)
        if status_filter:
            queryset = queryset.filter(status=status_filter)
        return queryset.order_by("indicator__code", "quarter")

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return RealizationWriteSerializer
        return RealizationSerializer

    def _respond(self, realization, code=status.HTTP_200_OK):
        fresh = (
            self.get_queryset()
            .model.objects.select_related("indicator")
            .annotate(evidence_count=Count("evidence"))
            .get(pk=realization.pk)
        )
        return Response(RealizationSerializer(fresh).data, status=code)

    def _save(self, data: dict, version):
        indicator = access_object(
            self.request.user, Indicator.objects.select_related("renstra"), Action.VIEW,
            pk=data["indicator"].pk,
        )  # fmt: skip
        fields = {
            k: v
            for k, v in data.items()
            if k not in ("indicator", "year", "quarter", "submit", "version")
        }
        return services.realization_save(
            actor=self.request.user,
            indicator=indicator,
            year=data["year"],
            quarter=data["quarter"],
            data=fields,
            version=version,
            submit=data.get("submit", False),
        )

    def create(self, request, *args, **kwargs):
        serializer = RealizationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existing = Realization.objects.filter(
            indicator=data["indicator"], year=data["year"], quarter=data["quarter"]
        ).first()
        if existing is not None:
            raise DjangoValidationError(
                {
                    "quarter": _(
                        "This quarter's realization exists: change it with PATCH and its version."
                    )
                }
            )
        return self._respond(self._save(data, None), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        realization = self.get_object()
        payload = {
            "indicator": realization.indicator_id,
            "year": realization.year,
            "quarter": realization.quarter,
            **{k: v for k, v in request.data.items() if k not in ("indicator", "year", "quarter")},
        }
        serializer = RealizationWriteSerializer(data=payload)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in request.data:
            raise DjangoValidationError({"version": _("Send the version of the data you change.")})
        figures = {"value", "numerator", "denominator"} & set(request.data)
        if not figures:
            for name in ("value", "numerator", "denominator"):
                data[name] = getattr(realization, name)
        return self._respond(self._save(data, data.get("version")))

    @extend_schema(request=VersionOnlySerializer, responses=RealizationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        serializer = VersionOnlySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        realization = services.realization_submit(
            actor=request.user, realization=self.get_object(),
            version=serializer.validated_data["version"],
        )  # fmt: skip
        return self._respond(realization)

    @extend_schema(request=ReviewSerializer, responses=RealizationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        realization = services.realization_approve(
            actor=request.user, realization=self.get_object(), **serializer.validated_data
        )
        return self._respond(realization)

    @extend_schema(request=ReviewSerializer, responses=RealizationSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        realization = services.realization_return(
            actor=request.user, realization=self.get_object(), **serializer.validated_data
        )
        return self._respond(realization)


# --- Budget ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[YEAR]),
    partial_update=extend_schema(request=BudgetWriteSerializer, responses=BudgetLineSerializer),
    destroy=extend_schema(
        parameters=DELETE_PARAMS, description=DELETE_DESCRIPTION, responses={204: None}
    ),
)
class BudgetViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Budget lines per sub kegiatan: pagu before/after revision, realization per month,
    absorption. The totals per program, sasaran and year are in ``summary``."""

    queryset = BudgetLine.objects.select_related(
        "sub_kegiatan__kegiatan__program", "bidang"
    ).prefetch_related(Prefetch("months", queryset=BudgetRealization.objects.order_by("month")))
    serializer_class = BudgetLineSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.filter(year=_year(self.request))
        return queryset.order_by("sub_kegiatan__code")

    def partial_update(self, request, *args, **kwargs):
        line = self.get_object()
        serializer = BudgetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        months_raw = data.pop("months", {}) or {}
        try:
            months = {int(k): v for k, v in months_raw.items()}
        except ValueError as exc:
            raise ApiValidationError({"months": [_("A month is 1 to 12.")]}) from exc
        services.budget_line_save(
            actor=request.user, data=data, months=months, line=line, version=version
        )
        return Response(BudgetLineSerializer(self.get_queryset().get(pk=line.pk)).data)

    def destroy(self, request, *args, **kwargs):
        line = self.get_object()
        return _destroy(request, lambda **given: services.budget_line_delete(line=line, **given))


# --- Imports -----------------------------------------------------------------------------------


class ImportView(APIView):
    """Check (and with ``commit`` save) an XLSX workbook in the background, the same steps as
    the page: the job's result lists every problem (sheet, row, column, message)."""

    permission_classes = [DomainPermission]
    access_domain = Domain.PERFORMANCE
    access_action = Action.IMPORT
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImportSerializer, responses={202: ImportStartedSerializer})
    def post(self, request):
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.import_start(
            actor=request.user,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            commit=serializer.validated_data["commit"],
        )
        return Response(
            {"job": job.pk, "status_url": reverse("api:job-detail", args=[job.pk])},
            status=status.HTTP_202_ACCEPTED,
        )
