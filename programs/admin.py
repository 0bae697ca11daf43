"""Django admin for the program catalogue (programs with their rules, quotas, stages), kept by
administrators. Enrollments and disbursements go through the pages and imports, whose services
hold the rules; the admin shows them read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Disbursement,
    Enrollment,
    KubeGroup,
    Program,
    ProgramImport,
    ProgramQuota,
    Stage,
)


class QuotaInline(admin.TabularInline):
    model = ProgramQuota
    extra = 0
    autocomplete_fields = []
    raw_id_fields = ["district", "village"]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "funding", "bidang", "unit", "benefit", "active"]
    list_filter = ["level", "funding", "unit", "benefit", "active"]
    filter_horizontal = ["categories"]
    inlines = [StageInline, QuotaInline]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "program", "status", "district", "village", "start_date"]
    list_filter = ["program", "status"]
    raw_id_fields = ["person", "household", "group", "replaces"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["pk", "program", "stage", "status", "paid_amount", "paid_on"]
    list_filter = ["program", "status"]


@admin.register(KubeGroup)
class KubeGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "program", "district", "village", "state"]


@admin.register(ProgramImport)
class ProgramImportAdmin(admin.ModelAdmin):
    """Imports are made on the page, the API or ``manage.py programs_import``; read-only here."""

    list_display = [
        "pk",
        "kind",
        "program",
        "bidang",
        "file_name",
        "status",
        "rows",
        "invalid_rows",
        "saved",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status", "mode", "bidang"]
    search_fields = ["file_name", "program__code", "created_by__username"]
    date_hierarchy = "created_at"
    list_select_related = ["program", "bidang", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
