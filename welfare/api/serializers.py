from rest_framework import serializers

from welfare.models import Agency, Job
from welfare.validators import validate_plausible_date


class AgencySerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(
        required=True,
        help_text="The version the change is based on; a stale version gives HTTP 409.",
    )

    class Meta:
        model = Agency
        fields = [
            "name",
            "regency",
            "address",
            "phone",
            "email",
            "website",
            "head_name",
            "head_nip",
            "head_title",
            "logo",
            "version",
            "updated_at",
        ]
        read_only_fields = ["logo", "updated_at"]


class JobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "status_label",
            "progress",
            "message",
            "error",
            "result",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if not job.result_file:
            return None
        request = self.context.get("request")
        from django.urls import reverse

        url = reverse("job_download", args=[job.pk])
        return request.build_absolute_uri(url) if request else url

    def to_representation(self, job):
        from welfare.jobs import job_live_state

        data = super().to_representation(job)
        live = job_live_state(job)
        data["progress"] = live["progress"]
        data["message"] = live["message"]
        return data


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "degraded", "error"])
    app = serializers.DictField()
    database = serializers.DictField()
    cache = serializers.DictField()
    queue = serializers.DictField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    bidang = serializers.CharField(allow_null=True)
    district = serializers.CharField(allow_null=True)
    can_view_personal = serializers.BooleanField()


class PlausibleDateField(serializers.DateField):
    """A date of 1900-2100, as on the pages (``welfare.validators.validate_plausible_date``): a
    year typed wrong is refused naming the field instead of failing in date arithmetic."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_plausible_date)
