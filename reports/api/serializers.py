from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from welfare.api.params import YEAR_MAX, YEAR_MIN

from ..kinds import kind_choices
from ..models import ReportVersion


class GenerateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=(), help_text=_("Report kind, e.g. lkjip"))
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    allow_draft = serializers.BooleanField(
        default=False, help_text=_("Generate despite the problems found by the check (draft)")
    )
    program = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=_(
            "program_stats only: the code of one program the caller may see (its own report); "
            "empty or left out: every program. Refused for other kinds."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()


class ProblemSerializer(serializers.Serializer):
    message = serializers.CharField()
    severity = serializers.CharField()
    where = serializers.CharField()


class ReportVersionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="report.kind")
    year = serializers.IntegerField(source="report.year")
    scope = serializers.CharField(
        source="report.scope",
        help_text=_("What the report covers: empty = the whole kind, else the program code"),
    )
    status = serializers.SerializerMethodField()
    approved = serializers.SerializerMethodField()
    job = serializers.UUIDField(source="job_id", allow_null=True)
    progress = serializers.SerializerMethodField()
    problems = ProblemSerializer(many=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "kind",
            "year",
            "scope",
            "number",
            "status",
            "approved",
            "draft",
            "job",
            "progress",
            "problems",
            "fingerprint",
            "pages",
            "created_at",
            "finished_at",
            "download_url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["pending", "done", "failed"]))
    def get_status(self, obj) -> str:
        return obj.state

    def get_approved(self, obj) -> bool:
        return obj.report.approved_version_id == obj.pk

    def get_progress(self, obj) -> int:
        if obj.status == ReportVersion.Status.DONE:
            return 100
        if obj.job_id is None:
            return 0
        from welfare.jobs import job_live_state

        return int(job_live_state(obj.job)["progress"])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, obj) -> str | None:
        if obj.status != ReportVersion.Status.DONE:
            return None
        return reverse("api:report-download", args=[obj.pk])
