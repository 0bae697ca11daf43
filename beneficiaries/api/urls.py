from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("registry/imports", views.ImportBatchViewSet, basename="registry-import")

urlpatterns = [
    path("stats/ppks/", views.PpksStatsView.as_view(), name="stats-ppks"),
    path("stats/desil/", views.DesilRecapView.as_view(), name="stats-desil"),
    *router.urls,
]
