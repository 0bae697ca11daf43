from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.access import can_view_personal, is_api_client, policy_for
from welfare import formatting
from welfare.api.serializers import PlausibleDateField

from ..kinds import kind_label
from ..models import (
    ActivityEntry,
    AppliedChange,
    DisasterIncident,
    PsksInstitution,
    PsksKind,
    PsksPerson,
    Referral,
    Submission,
    SubmissionEvent,
    SubmissionPhoto,
    TkskAssignment,
)


class PersonalDataMixin:
    """Fields the model's AccessPolicy names as personal are left out for API clients and
    masked for roles that may not see personal data."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        personal = policy_for(type(instance)).personal_fields
        if user is None or can_view_personal(user):
            return data
        for name in personal:
            if name not in data:
                continue
            if is_api_client(user):
                data.pop(name)
            elif data[name]:
                value = str(data[name])
                data[name] = (
                    formatting.mask_identity_number(value)
                    if len(value) == 16 and value.isdigit()
                    else formatting.mask_name(value)
                    if "name" in name
                    else formatting.mask_text(value)
                )
        return data


class PsksKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = PsksKind
        fields = ["code", "name", "abbreviation", "unit", "official", "counts_as_volunteer"]


class PsksPersonSerializer(PersonalDataMixin, serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    certified = serializers.BooleanField(source="is_certified", read_only=True)

    class Meta:
        model = PsksPerson
        fields = [
            "id",
            "kind",
            "name",
            "sex",
            "phone",
            "email",
            "district",
            "village",
            "position",
            "institution",
            "decree_number",
            "decree_date",
            "certified",
            "certified_on",
            "certification_body",
            "certificate_number",
            "active",
            "version",
        ]


class PsksInstitutionSerializer(PersonalDataMixin, serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    services = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    accreditation_state = serializers.SerializerMethodField()

    class Meta:
        model = PsksInstitution
        fields = [
            "id",
            "kind",
            "name",
            "district",
            "village",
            "address",
            "leader_name",
            "phone",
            "email",
            "services",
            "registration_number",
            "registered_on",
            "accreditation_grade",
            "accredited_on",
            "accreditation_valid_until",
            "accreditation_state",
            "residential",
            "capacity",
            "members",
            "active",
            "version",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["valid", "expired", "none"]))
    def get_accreditation_state(self, obj) -> str:
        return obj.accreditation_state()


class TkskAssignmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = TkskAssignment
        fields = [
            "id",
            "person",
            "person_name",
            "district",
            "decree_number",
            "decree_date",
            "start_date",
            "period_end",
            "ended_on",
            "end_reason",
            "active",
            "version",
        ]


class SubmissionPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionPhoto
        fields = ["id", "field", "url", "width", "height", "latitude", "longitude", "superseded"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return reverse("fieldwork:submission_photo", kwargs={"pk": obj.pk})


class SubmissionEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = SubmissionEvent
        fields = ["action", "action_label", "from_status", "to_status", "actor", "at", "comment"]


class AppliedChangeSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = AppliedChange
        fields = ["model", "object_id", "action", "description", "at"]


class SubmissionSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", read_only=True, allow_null=True
    )
    district_name = serializers.CharField(source="district.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True, allow_null=True)
    page_url = serializers.SerializerMethodField()
    photos = SubmissionPhotoSerializer(many=True, read_only=True)
    events = SubmissionEventSerializer(many=True, read_only=True)
    applied_changes = AppliedChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "kind",
            "kind_label",
            "client_key",
            "status",
            "status_label",
            "district",
            "district_name",
            "village",
            "village_name",
            "summary",
            "payload",
            "event_date",
            "period",
            "due_date",
            "is_late",
            "submitted_by",
            "client_created_at",
            "submitted_at",
            "last_submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "applied_at",
            "version",
            "page_url",
            "photos",
            "events",
            "applied_changes",
        ]
        read_only_fields = fields

    def get_kind_label(self, obj) -> str:
        return kind_label(obj.kind)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj) -> str:
        return reverse("fieldwork:submission_detail", kwargs={"pk": obj.pk})


class SubmissionCreateSerializer(serializers.Serializer):
    """A field form sent by a TKSK: JSON, or multipart/form-data when it carries photos (the
    photos go in file fields named after the form's photo fields, e.g. ``photos``; ``payload``
    is then a JSON string)."""

    kind = serializers.CharField(help_text="The form, e.g. disaster_incident (see /kinds/).")
    client_key = serializers.UUIDField(
        help_text="A UUID made by the phone for this filled form. Sending it again returns "
        "the first submission (HTTP 200) instead of a new one."
    )
    payload = serializers.JSONField(help_text="The form's fields (see /kinds/ for each form).")
    client_created_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When the form was filled in on the phone."
    )


class SubmissionResubmitSerializer(serializers.Serializer):
    client_key = serializers.UUIDField(
        help_text="A UUID for this correction; a resend with it changes nothing."
    )
    payload = serializers.JSONField()
    version = serializers.IntegerField(required=False, allow_null=True)


class SubmissionReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return", "reject"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        help_text="The version the decision is based on; a stale version gives HTTP 409."
    )


class KindFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    help_text = serializers.CharField(allow_blank=True)
    choices = serializers.ListField(child=serializers.DictField(), required=False)


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    bidang = serializers.CharField()
    periodic = serializers.BooleanField()
    fields = KindFieldSerializer(many=True)
    photos = serializers.ListField(child=serializers.DictField())


class ActivityEntrySerializer(serializers.ModelSerializer):
    tksk = serializers.CharField(source="tksk.username", read_only=True)
    activity_label = serializers.CharField(source="get_activity_type_display", read_only=True)
    report = serializers.PrimaryKeyRelatedField(read_only=True)
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = ActivityEntry
        fields = [
            "id",
            "client_key",
            "tksk",
            "district",
            "village",
            "date",
            "activity_type",
            "activity_label",
            "description",
            "people_served",
            "photo_url",
            "report",
            "created_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_photo_url(self, obj) -> str | None:
        if not obj.photo:
            return None
        return reverse("fieldwork:activity_photo", kwargs={"pk": obj.pk})


class ActivityEntryCreateSerializer(serializers.Serializer):
    client_key = serializers.UUIDField()
    date = PlausibleDateField()
    activity_type = serializers.CharField()
    description = serializers.CharField()
    people_served = serializers.IntegerField(required=False, default=0)
    village = serializers.CharField(required=False, allow_blank=True)


class DisasterIncidentSerializer(PersonalDataMixin, serializers.ModelSerializer):
    type_label = serializers.CharField(read_only=True)
    houses_damaged = serializers.IntegerField(read_only=True)

    class Meta:
        model = DisasterIncident
        fields = [
            "id",
            "source_submission",
            "district",
            "village",
            "location_detail",
            "occurred_on",
            "disaster_type",
            "other_type",
            "type_label",
            "description",
            "households_affected",
            "persons_affected",
            "dead",
            "missing",
            "injured",
            "displaced",
            "infants",
            "children",
            "elderly",
            "disabled",
            "pregnant",
            "houses_heavy",
            "houses_moderate",
            "houses_light",
            "houses_damaged",
            "urgent_needs",
            "urgent_needs_note",
            "latitude",
            "longitude",
        ]


class ReferralSerializer(PersonalDataMixin, serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = [
            "id",
            "source_submission",
            "district",
            "village",
            "referred_on",
            "person_name",
            "nik",
            "sex",
            "age",
            "address",
            "situation",
            "ppks_category",
            "service",
            "service_other",
            "referred_to",
            "institution",
            "urgency",
            "status",
            "closed_on",
            "version",
        ]


# --- Statistics -----------------------------------------------------------------------------


class WorkerRecapRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    tksk = serializers.IntegerField(allow_null=True)
    tksk_certified = serializers.IntegerField(allow_null=True)
    volunteers = serializers.IntegerField(allow_null=True)
    volunteers_certified = serializers.IntegerField(allow_null=True)


class WorkerRecapSerializer(serializers.Serializer):
    on = PlausibleDateField()
    rows = WorkerRecapRowSerializer(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())


class LksRecapRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    accredited = serializers.IntegerField(allow_null=True)
    expired = serializers.IntegerField(allow_null=True)
    never = serializers.IntegerField(allow_null=True)


class LksRecapSerializer(serializers.Serializer):
    on = PlausibleDateField()
    rows = LksRecapRowSerializer(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())


class MatrixRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    cells = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True)


class MatrixSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.DictField())
    rows = MatrixRowSerializer(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    meta = serializers.DictField()


class WorkloadRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    villages = serializers.IntegerField()
    has_tksk = serializers.BooleanField()
    tksk_certified = serializers.BooleanField()
    over_limit = serializers.BooleanField()
    period_ended = serializers.BooleanField()
    extra = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class WorkloadSerializer(serializers.Serializer):
    limit = serializers.IntegerField()
    columns = serializers.ListField(child=serializers.DictField())
    missing_columns = serializers.ListField(child=serializers.DictField())
    rows = WorkloadRowSerializer(many=True)
    summary = serializers.DictField()


class MonthStatsSerializer(serializers.Serializer):
    period = PlausibleDateField()
    due_date = PlausibleDateField()
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()


class KindFigureSerializer(serializers.Serializer):
    kind = serializers.CharField()
    available = serializers.BooleanField()
    label = serializers.CharField()
    by_district = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField()
