from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView

from . import views
from .api.docs import ApiDocsView, ApiRedocView

admin.site.site_header = _("Administration of the social office's information system")
admin.site.site_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("akun/", include("accounts.urls")),
    path("wilayah/", include("regions.urls")),
    path("registri/", include("beneficiaries.urls")),
    path("program/", include("programs.urls")),
    path("lapangan/", include("fieldwork.urls")),
    path("kinerja/", include("performance.urls")),
    path("laporan/", include("reports.urls")),
    path("pengaturan/instansi/", views.agency_edit, name="agency_edit"),
    path("pengaturan/instansi/logo/", views.agency_logo, name="agency_logo"),
    path("tugas/", views.job_index, name="job_list"),
    path("tugas/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("tugas/<uuid:pk>/unduh/", views.job_download, name="job_download"),
    path("tugas/<uuid:pk>/ulangi/", views.job_retry_view, name="job_retry"),
    path("audit/", views.audit_trail_view, name="audit_trail"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include(("welfare.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api_docs"),
    path("api/redoc/", ApiRedocView.as_view(url_name="schema"), name="api_redoc"),
    path("admin/", admin.site.urls),
    # Pages without the app's <link rel="icon"> (the admin, the API docs) ask for this one.
    path("favicon.ico", views.favicon, name="favicon"),
]

handler403 = "welfare.views.error_403"
handler404 = "welfare.views.error_404"
handler500 = "welfare.views.error_500"
