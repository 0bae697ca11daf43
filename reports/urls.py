from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("buka/", views.report_open, name="report_open"),
    path("<slug:kind>/<int:year>/", views.report_detail, name="report_detail"),
    path("<slug:kind>/<int:year>/buat/", views.report_generate, name="report_generate"),
    path("<slug:kind>/<int:year>/narasi/", views.narrative_list, name="narrative_list"),
    path(
        "<slug:kind>/<int:year>/narasi/<str:section>/",
        views.narrative_edit,
        name="narrative_edit",
    ),
    path("versi/<int:pk>/unduh/", views.version_download, name="version_download"),
    path("versi/<int:pk>/tabel/<str:key>/", views.version_table, name="version_table"),
    path("versi/<int:pk>/setujui/", views.version_approve, name="version_approve"),
]
