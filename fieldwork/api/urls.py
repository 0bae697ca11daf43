from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("fieldwork/submissions", views.SubmissionViewSet, basename="fieldwork-submission")
router.register("fieldwork/activities", views.ActivityEntryViewSet, basename="fieldwork-activity")
router.register("fieldwork/psks-kinds", views.PsksKindViewSet, basename="fieldwork-psks-kind")
router.register("fieldwork/psks-people", views.PsksPersonViewSet, basename="fieldwork-psks-person")
router.register(
    "fieldwork/psks-institutions",
    views.PsksInstitutionViewSet,
    basename="fieldwork-psks-institution",
)
router.register(
    "fieldwork/tksk-assignments", views.TkskAssignmentViewSet, basename="fieldwork-assignment"
)
router.register(
    "fieldwork/disaster-incidents", views.DisasterIncidentViewSet, basename="fieldwork-incident"
)
router.register("fieldwork/referrals", views.ReferralViewSet, basename="fieldwork-referral")

urlpatterns = [
    path("fieldwork/kinds/", views.KindListView.as_view(), name="fieldwork-kinds"),
    path(
        "fieldwork/stats/psks-workers/",
        views.PsksWorkerStatsView.as_view(),
        name="fieldwork-stats-workers",
    ),
    path("fieldwork/stats/lks/", views.LksStatsView.as_view(), name="fieldwork-stats-lks"),
    path(
        "fieldwork/stats/workload/",
        views.WorkloadStatsView.as_view(),
        name="fieldwork-stats-workload",
    ),
    path(
        "fieldwork/stats/disaster-victims/",
        views.DisasterVictimStatsView.as_view(),
        name="fieldwork-stats-disaster-victims",
    ),
    path(
        "fieldwork/stats/referrals/",
        views.ReferralStatsView.as_view(),
        name="fieldwork-stats-referrals",
    ),
    path(
        "fieldwork/stats/monthly-reports/",
        views.MonthlyReportStatsView.as_view(),
        name="fieldwork-stats-monthly-reports",
    ),
    path(
        "fieldwork/stats/figures/",
        views.KindFigureStatsView.as_view(),
        name="fieldwork-stats-figures",
    ),
    *router.urls,
]
