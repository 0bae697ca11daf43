from django.urls import path

from . import imports_views, views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("penerima/", views.enrollment_list, name="enrollment_list"),
    path("penerima/unduh/", views.enrollment_export, name="enrollment_export"),
    path("penerima/<int:pk>/", views.enrollment_detail, name="enrollment_detail"),
    path("penerima/<int:pk>/status/", views.enrollment_transition, name="enrollment_transition"),
    path("penerima/<int:pk>/ganti/", views.enrollment_replace, name="enrollment_replace"),
    path("sasaran/", views.targeting, name="targeting"),
    path("sasaran/tidak-tercakup/", views.targeting_exclusion, name="targeting_exclusion"),
    path("sasaran/salah-sasaran/", views.targeting_inclusion, name="targeting_inclusion"),
    path("kube/", views.group_list, name="group_list"),
    path("kube/<int:pk>/", views.group_detail, name="group_detail"),
    path("impor/", imports_views.import_page, name="import"),
    path("impor/templat/", imports_views.import_template, name="import_template"),
    path("impor/<int:pk>/", imports_views.import_detail, name="import_detail"),
    path("impor/<int:pk>/<str:kind>/", imports_views.import_download, name="import_download"),
    path("<slug:code>/", views.program_detail, name="program_detail"),
    path("<slug:code>/realisasi/", views.program_realization, name="program_realization"),
    path("<slug:code>/rekap/", views.program_recap_export, name="program_recap_export"),
    path("<slug:code>/daftarkan/", views.enrollment_add, name="enrollment_add"),
    path("<slug:code>/calon/", views.candidates, name="candidates"),
    path("<slug:code>/tahap/<int:stage_id>/rencanakan/", views.stage_plan, name="stage_plan"),
]
