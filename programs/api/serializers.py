from __future__ import annotations

from rest_framework import serializers

from accounts.access import can_view_personal, is_api_client
from welfare import formatting

from ..models import Enrollment, Program


class ProgramSerializer(serializers.ModelSerializer):
    bidang = serializers.SlugRelatedField(slug_field="code", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "code",
            "name",
            "level",
            "funding",
            "funding_note",
            "bidang",
            "unit",
            "benefit",
            "amount_per_stage",
            "schedule",
            "stages_per_year",
            "categories",
            "max_desil",
            "min_age",
            "max_age",
            "min_disability_severity",
            "composition",
            "active",
        ]


class StatsRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    district_code = serializers.CharField()
    quota = serializers.IntegerField(allow_null=True)
    enrolled = serializers.IntegerField(allow_null=True)
    active = serializers.IntegerField(allow_null=True)
    recipients = serializers.IntegerField(allow_null=True)
    paid_count = serializers.IntegerField(allow_null=True)
    paid_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    planned_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    pct_paid = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    pct_amount = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class StatsSerializer(serializers.Serializer):
    program = serializers.CharField()
    year = serializers.IntegerField()
    tahap = serializers.IntegerField(allow_null=True)
    group_by = serializers.CharField()
    suppressed_below = serializers.IntegerField(allow_null=True)
    rows = StatsRowSerializer(many=True)
    total = StatsRowSerializer()


class TargetingRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    exclusion = serializers.IntegerField(allow_null=True)
    inclusion = serializers.IntegerField(allow_null=True)


class EnrollmentSerializer(serializers.ModelSerializer):
    """An enrollment for staff: personal data masked for roles that may not see it (API
    clients get no rows at all: ``restrict``)."""

    program = serializers.SlugRelatedField(slug_field="code", read_only=True)
    nik = serializers.SerializerMethodField()
    no_kk = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "version",
            "program",
            "person",
            "household",
            "group",
            "nik",
            "no_kk",
            "name",
            "district",
            "village",
            "start_date",
            "end_date",
            "status",
            "decree_number",
            "decree_date",
            "exit_reason",
            "exit_date",
            "override_justification",
            "replaces",
        ]

    def _show(self, value, mask):
        user = getattr(self.context.get("request"), "user", None)
        if not value:
            return ""
        if user is None or is_api_client(user):
            return ""
        return value if can_view_personal(user) else mask(value)

    def get_nik(self, obj) -> str:
        return self._show(obj.person.nik if obj.person else "", formatting.mask_identity_number)

    def get_no_kk(self, obj) -> str:
        household = obj.household or (obj.person.household if obj.person else None)
        return self._show(household.no_kk if household else "", formatting.mask_identity_number)

    def get_name(self, obj) -> str:
        if obj.group:
            return obj.group.name
        return self._show(obj.person.name if obj.person else "", formatting.mask_name)


class EnrollmentCreateSerializer(serializers.Serializer):
    program = serializers.SlugField()
    nik = serializers.CharField(required=False, allow_blank=True, max_length=16)
    no_kk = serializers.CharField(required=False, allow_blank=True, max_length=16)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=["usulan", "terverifikasi", "aktif"], default="usulan")
    decree_number = serializers.CharField(required=False, allow_blank=True, default="")
    decree_date = serializers.DateField(required=False, allow_null=True, default=None)
    override_justification = serializers.CharField(required=False, allow_blank=True, default="")
