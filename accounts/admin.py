from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bidang, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "bidang",
        "district",
        "is_active",
    ]
    list_filter = ["role", "bidang", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Dinas Sosial", {"fields": ("role", "bidang", "district", "nip", "position", "phone")}),
    )


@admin.register(Bidang)
class BidangAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "order"]
