from django.urls import path

from .views import field, psks, records, tksk

app_name = "fieldwork"

urlpatterns = [
    path("", field.home, name="home"),
    path("sw.js", field.service_worker, name="service_worker"),
    # The TKSK's forms and what they sent
    path("formulir/<slug:kind>/", field.submission_form, name="form"),
    path("kiriman/", field.my_submissions, name="my_submissions"),
    path("kiriman/<int:pk>/", field.submission_detail, name="submission_detail"),
    path("kiriman/<int:pk>/perbaiki/", field.submission_edit, name="submission_edit"),
    path("kiriman/<int:pk>/tinjau/", field.submission_review, name="submission_review"),
    path("foto/<int:pk>/", field.submission_photo, name="submission_photo"),
    path("kotak-masuk/", field.inbox, name="inbox"),
    path("kegiatan/", field.activity_list, name="activity_list"),
    path("kegiatan/<int:pk>/hapus/", field.activity_delete, name="activity_delete"),
    path("kegiatan/<int:pk>/foto/", field.activity_photo, name="activity_photo"),
    path("laporan-bulanan/", field.monthly_reports, name="monthly_reports"),
    # What approved forms created
    path("bencana/", records.incident_list, name="incident_list"),
    path("bencana/rekap/", records.disaster_recap, name="disaster_recap"),
    path("bencana/<int:pk>/", records.incident_detail, name="incident_detail"),
    path("rujukan/", records.referral_list, name="referral_list"),
    path("rujukan/<int:pk>/", records.referral_detail, name="referral_detail"),
    # PSKS registry
    path("psks/orang/", psks.people, name="psks_people"),
    path("psks/orang/tambah/", psks.person_add, name="psks_person_add"),
    path("psks/orang/<int:pk>/", psks.person_detail, name="psks_person_detail"),
    path("psks/orang/<int:pk>/ubah/", psks.person_edit, name="psks_person_edit"),
    path("psks/lembaga/", psks.institutions, name="psks_institutions"),
    path("psks/lembaga/tambah/", psks.institution_add, name="psks_institution_add"),
    path("psks/lembaga/<int:pk>/", psks.institution_detail, name="psks_institution_detail"),
    path("psks/lembaga/<int:pk>/ubah/", psks.institution_edit, name="psks_institution_edit"),
    path("psks/rekap/", psks.recap, name="psks_recap"),
    # TKSK assignments and workload
    path("tksk/", tksk.workload, name="tksk_workload"),
    path("tksk/penugasan/tambah/", tksk.assignment_add, name="assignment_add"),
    path("tksk/penugasan/<int:pk>/", tksk.assignment_detail, name="assignment_detail"),
    path("tksk/penugasan/<int:pk>/akhiri/", tksk.assignment_end, name="assignment_end"),
    path("tksk/kecamatan/<str:code>/", tksk.district_assignments, name="district_assignments"),
    path("pengaturan/", tksk.settings_edit, name="settings"),
]
