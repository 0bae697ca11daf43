"""``/api/v1/``: each app contributes its endpoints through ``<app>/api/urls.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("jobs", views.JobViewSet, basename="job")

urlpatterns = [
    path("health/", views.HealthView.as_view(), name="health"),
    path("health/live/", views.LivenessView.as_view(), name="health-live"),
    path("metrics/", views.MetricsView.as_view(), name="metrics"),
    path("me/", views.MeView.as_view(), name="me"),
    path("agency/", views.AgencyView.as_view(), name="agency"),
    path("", include("accounts.api.urls")),
    path("", include("regions.api.urls")),
    path("", include("beneficiaries.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("fieldwork.api.urls")),
    path("", include("performance.api.urls")),
    path("", include("reports.api.urls")),
    path("", include(router.urls)),
]
