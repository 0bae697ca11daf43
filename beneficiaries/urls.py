from django.urls import path

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("keluarga/", views.household_list, name="household_list"),
    path("keluarga/tambah/", views.household_add, name="household_add"),
    path("keluarga/<int:pk>/", views.household_detail, name="household_detail"),
    path("keluarga/<int:pk>/ubah/", views.household_edit, name="household_edit"),
    path("keluarga/<int:pk>/hapus/", views.household_delete, name="household_delete"),
    path("keluarga/<int:pk>/pulihkan/", views.household_restore, name="household_restore"),
    path("keluarga/<int:pk>/ppks/", views.household_placement_add, name="household_placement_add"),
    path("orang/tambah/", views.person_add, name="person_add"),
    path("orang/<int:pk>/", views.person_detail, name="person_detail"),
    path("orang/<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("orang/<int:pk>/meninggal/", views.person_deceased, name="person_deceased"),
    path("orang/<int:pk>/hapus/", views.person_delete, name="person_delete"),
    path("orang/<int:pk>/pulihkan/", views.person_restore, name="person_restore"),
    path("orang/<int:pk>/ppks/", views.person_placement_add, name="person_placement_add"),
    path("ppks/<int:pk>/status/", views.placement_transition, name="placement_transition"),
    path("duplikat/", views.duplicates, name="duplicates"),
    path("duplikat/gabung/", views.merge, name="merge"),
    path("impor/", views.import_start, name="import_start"),
    path("impor/templat/", views.import_template, name="import_template"),
    path("impor/contoh/", views.import_example, name="import_example"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/<str:kind>/", views.import_download, name="import_download"),
    path("statistik/", views.stats, name="stats"),
]
