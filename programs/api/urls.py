from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
# Before "programs": /programs/imports/ is not the program with the code "imports".
router.register("programs/imports", views.ProgramImportViewSet, basename="program-import")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")

urlpatterns = [
    path("programs-targeting/", views.TargetingView.as_view(), name="program-targeting"),
    *router.urls,
]
