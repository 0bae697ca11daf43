from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("grafik/", views.chart_data, name="chart_data"),
    path("renstra/", views.renstra_list, name="renstra_list"),
    path("renstra/tambah/", views.renstra_add, name="renstra_add"),
    path("renstra/<int:pk>/", views.renstra_detail, name="renstra_detail"),
    path("renstra/<int:pk>/ubah/", views.renstra_edit, name="renstra_edit"),
    path("renstra/<int:pk>/tujuan/tambah/", views.tujuan_add, name="tujuan_add"),
    path("renstra/<int:pk>/sasaran/tambah/", views.sasaran_add, name="sasaran_add"),
    path("renstra/<int:pk>/indikator/tambah/", views.indicator_add, name="indicator_add"),
    path("tujuan/<int:pk>/ubah/", views.tujuan_edit, name="tujuan_edit"),
    path("sasaran/<int:pk>/ubah/", views.sasaran_edit, name="sasaran_edit"),
    path("indikator/", views.indicator_list, name="indicator_list"),
    path("indikator/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indikator/<int:pk>/ubah/", views.indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/buka-kunci/", views.quarter_reopen, name="quarter_reopen"),
    path("pk/", views.agreement_list, name="agreement_list"),
    path("pk/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("pk/<int:pk>/ubah/", views.agreement_edit, name="agreement_edit"),
    path("pk/<int:pk>/target/", views.agreement_targets, name="agreement_targets"),
    path("pk/<int:pk>/perubahan/", views.agreement_revise, name="agreement_revise"),
    path("realisasi/", views.realization_list, name="realization_list"),
    path(
        "realisasi/<int:indicator>/<int:year>/<int:quarter>/",
        views.realization_entry,
        name="realization_entry",
    ),
    path(
        "realisasi/<int:indicator>/<int:year>/<int:quarter>/tinjau/",
        views.realization_review,
        name="realization_review",
    ),
    path(
        "realisasi/<int:indicator>/<int:year>/<int:quarter>/hitung/",
        views.realization_compute,
        name="realization_compute",
    ),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views.evidence_delete, name="evidence_delete"),
    path("anggaran/", views.budget_tree, name="budget_tree"),
    path("anggaran/tambah/", views.budget_add, name="budget_add"),
    path("anggaran/<int:pk>/", views.budget_edit, name="budget_edit"),
    path("spm/", views.spm, name="spm"),
    path("spm/<int:year>/ubah/", views.spm_edit, name="spm_edit"),
    path("pengaturan/", views.settings_view, name="settings"),
    path("impor/", views.import_start, name="import_start"),
    path("impor/<uuid:pk>/", views.import_result, name="import_result"),
    path("impor/<uuid:pk>/simpan/", views.import_commit, name="import_commit"),
    path("templat/<slug:kind>/", views.template_download, name="template_download"),
    path("ekspor/<slug:table>/", views.export, name="export"),
]
