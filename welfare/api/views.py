import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Action, Domain, can_view_personal, has_permission
from accounts.api.permissions import DomainPermission, RestrictedQuerysetMixin
from welfare.models import Job
from welfare.selectors import agency_get
from welfare.services import agency_update

from .serializers import AgencySerializer, HealthSerializer, JobSerializer, MeSerializer


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "error", "detail": type(exc).__name__}
    return {
        "status": "ok",
        "vendor": connection.vendor,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _check_cache() -> dict:
    try:
        cache.set("health-check", "1", timeout=10)
        ok = cache.get("health-check") == "1"
    except Exception as exc:
        return {"status": "error", "detail": type(exc).__name__}
    return {
        "status": "ok" if ok else "error",
        "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def _check_queue() -> dict:
    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    state = {"backend": backend}
    try:
        state["queued_jobs"] = Job.objects.filter(status=Job.Status.QUEUED).count()
        state["running_jobs"] = Job.objects.filter(status=Job.Status.RUNNING).count()
    except DatabaseError:
        state["status"] = "unknown"
        return state
    state["status"] = "ok"
    return state


class HealthView(APIView):
    """Readiness: the application, its database, cache and queue. HTTP 503 when the database does
    not answer (a load balancer takes the instance out). No log-in needed; no personal data."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer})
    def get(self, request):
        database = _check_database()
        body = {
            "status": "ok" if database["status"] == "ok" else "error",
            "app": {
                "status": "ok",
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "time": timezone.now().isoformat(),
            },
            "database": database,
            "cache": _check_cache(),
            "queue": _check_queue() if database["status"] == "ok" else {"status": "unknown"},
        }
        if body["status"] == "ok" and body["cache"]["status"] != "ok":
            body["status"] = "degraded"
        return Response(body, status=200 if body["status"] != "error" else 503)


class LivenessView(APIView):
    """Liveness: the process answers (no database call). A failing liveness check means
    restart the process; a failing readiness check (``/health/``) means wait."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={200: inline_serializer("Liveness", {"status": serializers.CharField()})}
    )
    def get(self, request):
        return Response({"status": "up"})


class MetricsPermission(BasePermission):
    """The scraper's bearer token (WELFARE_METRICS_TOKEN), or an administrator."""

    message = gettext_lazy("Metrics need the metrics token or an administrator.")

    def has_permission(self, request, view):
        token = settings.WELFARE_METRICS_TOKEN
        header = request.headers.get("Authorization", "")
        if token and header.startswith("Bearer ") and secrets.compare_digest(header[7:], token):
            return True
        return has_permission(request.user, Domain.ADMIN, Action.VIEW)


class MetricsView(APIView):
    """Prometheus metrics of the app, the job queue and the database connections."""

    permission_classes = [MetricsPermission]

    def get_authenticators(self):
        # A bearer token here is the metrics token, not a user's API token.
        request = getattr(self, "request", None)
        header = request.headers.get("Authorization", "") if request is not None else ""
        if settings.WELFARE_METRICS_TOKEN and header == f"Bearer {settings.WELFARE_METRICS_TOKEN}":
            return []
        return super().get_authenticators()

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request):
        from welfare.metrics import render_metrics

        # Errors are JSON like everywhere in the API; the metrics themselves are Prometheus text.
        return HttpResponse(
            render_metrics(), content_type="text/plain; version=0.0.4; charset=utf-8"
        )


class MeView(APIView):
    """Who the caller is: role, division and region scope."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.username,
                "full_name": user.get_full_name(),
                "role": user.role,
                "role_label": user.get_role_display(),
                "bidang": user.bidang.code if user.bidang_id else None,
                "district": user.district_id,
                "can_view_personal": can_view_personal(user),
            }
        )


class AgencyView(generics.RetrieveUpdateAPIView):
    """The agency profile. An update must carry the ``version`` it is based on (HTTP 409 if
    someone else saved in between)."""

    serializer_class = AgencySerializer
    access_domain = Domain.ADMIN

    def get_object(self):
        return agency_get()

    def get_permissions(self):
        # Every signed-in user may read the profile (it is public); administrators change it.
        if self.request.method in SAFE_METHODS:
            return [IsAuthenticated()]
        return [DomainPermission()]

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = agency_update(
            agency=serializer.instance, actor=self.request.user, version=version, data=data
        )


class JobViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Background jobs the caller started (all of them for administrators and auditors)."""

    queryset = Job.objects.select_related("created_by")
    serializer_class = JobSerializer
    access_domain = Domain.JOBS
