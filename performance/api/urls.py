from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("performance/renstra", views.RenstraViewSet, basename="performance-renstra")
router.register("performance/indicators", views.IndicatorViewSet, basename="performance-indicator")
router.register("performance/agreements", views.AgreementViewSet, basename="performance-agreement")
router.register("performance/targets", views.TargetViewSet, basename="performance-target")
router.register(
    "performance/realizations", views.RealizationViewSet, basename="performance-realization"
)
router.register("performance/budget", views.BudgetViewSet, basename="performance-budget")

urlpatterns = [
    path("performance/summary/", views.SummaryView.as_view(), name="performance-summary"),
    path("performance/trend/", views.TrendView.as_view(), name="performance-trend"),
    path("performance/spm/", views.SpmView.as_view(), name="performance-spm"),
    path("performance/imports/", views.ImportView.as_view(), name="performance-import"),
    *router.urls,
]
