"""Django admin for field work's reference data (PSKS kinds and fields of service). Records
users work on (people, institutions, assignments, submissions) are kept through the pages,
whose services hold the rules; the admin shows them read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DisasterIncident,
    PsksKind,
    PsksService,
    Referral,
    Submission,
    TkskAssignment,
)


@admin.register(PsksKind)
class PsksKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "abbreviation", "unit", "official", "counts_as_volunteer"]
    list_filter = ["unit", "official", "counts_as_volunteer"]


@admin.register(PsksService)
class PsksServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TkskAssignment)
class TkskAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["district", "person", "decree_number", "start_date", "ended_on"]
    list_filter = ["district"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "district", "status", "submitted_by", "submitted_at"]
    list_filter = ["kind", "status"]


@admin.register(DisasterIncident)
class DisasterIncidentAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "disaster_type", "district", "village", "persons_affected"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["id", "referred_on", "service", "district", "status"]
