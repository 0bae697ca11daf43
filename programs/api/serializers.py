from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.access import can_view_personal, is_api_client
from welfare import formatting
from welfare.api.serializers import PlausibleDateField
from welfare.uploads import validate_upload

from ..forms import ImportForm
from ..models import Enrollment, Program, ProgramImport


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
    start_date = PlausibleDateField()
    end_date = PlausibleDateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=["usulan", "terverifikasi", "aktif"], default="usulan")
    decree_number = serializers.CharField(required=False, allow_blank=True, default="")
    decree_date = PlausibleDateField(required=False, allow_null=True, default=None)
    override_justification = serializers.CharField(required=False, allow_blank=True, default="")


class ImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row of the file (the header is row 1; 0: the file).")
    column = serializers.CharField()
    message = serializers.CharField()


class ProgramImportSerializer(serializers.ModelSerializer):
    """An import as its page shows it: counts, status, the first problems (the report file has
    them all) and links to the job and the files."""

    program = serializers.SlugRelatedField(slug_field="code", read_only=True)
    bidang = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    job = serializers.UUIDField(source="job_id", read_only=True, allow_null=True)
    status_url = serializers.SerializerMethodField()
    first_problems = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()
    rejected_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = ProgramImport
        fields = [
            "id",
            "kind",
            "program",
            "bidang",
            "file_name",
            "mode",
            "commit",
            "status",
            "error",
            "job",
            "status_url",
            "rows",
            "valid_rows",
            "invalid_rows",
            "problems",
            "saved",
            "first_problems",
            "created_by",
            "created_at",
            "committed_at",
            "report_url",
            "rejected_url",
            "page_url",
        ]
        read_only_fields = fields

    def get_status_url(self, obj) -> str | None:
        """The background job at ``/api/v1/jobs/{id}/`` (progress, messages)."""
        return reverse("api:job-detail", args=[obj.job_id]) if obj.job_id else None

    @extend_schema_field(ImportProblemSerializer(many=True))
    def get_first_problems(self, obj) -> list[dict]:
        return [
            {"row": row, "column": column, "message": message}
            for row, column, message in obj.first_problems
        ]

    def get_report_url(self, obj) -> str | None:
        """The check report (XLSX: row, column, message, value), when there were problems."""
        if not obj.report_file:
            return None
        return reverse("api:program-import-report", args=[obj.pk])

    def get_rejected_url(self, obj) -> str | None:
        """The refused rows as sent (XLSX, a last column says what is wrong)."""
        if not obj.rejected_file:
            return None
        return reverse("api:program-import-rejected", args=[obj.pk])

    def get_page_url(self, obj) -> str:
        return obj.get_absolute_url()


class ProgramImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (separated by ; , or tab; UTF-8 or Windows-1252) or XLSX (first sheet), "
        "at most 20 MB; the columns are in README.md, section Programs."
    )
    kind = serializers.ChoiceField(
        choices=ProgramImport.Kind.choices,
        help_text="disbursements: a bank's or Pos's results; enrollments: recipients to enroll.",
    )
    program = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=30,
        default="",
        help_text="The program's code (required for enrollments; ignored for results).",
    )
    mode = serializers.ChoiceField(
        choices=ProgramImport.Mode.choices,
        default=ProgramImport.Mode.ALL_OR_NOTHING,
        help_text="all: saved only when no row has a problem; valid: save the valid rows.",
    )
    commit = serializers.BooleanField(
        default=False, help_text="Save when the check allows it (else only check)."
    )

    def validate_file(self, upload):
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise serializers.ValidationError(_("Upload a CSV or XLSX file."))
        try:
            validate_upload(
                upload,
                allowed={"csv", "xlsx"},
                max_bytes=ImportForm.MAX_BYTES,
                field_label=_("The file"),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return upload
