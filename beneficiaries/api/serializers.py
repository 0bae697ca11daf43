"""Serializers of the registry API. Personal fields (the models' AccessPolicy) are masked for
roles that may not see personal data; API clients never get rows of these models at all."""

from rest_framework import serializers

from accounts.access import can_view_personal, policy_for
from welfare import formatting
from welfare.api.serializers import PlausibleDateField

from ..models import CategoryPlacement, Household, ImportBatch, Person


class MaskedMixin:
    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or can_view_personal(user):
            return data
        for name in policy_for(type(instance)).personal_fields:
            value = data.get(name)
            if not value:
                continue
            value = str(value)
            if name in ("nik", "no_kk"):
                data[name] = formatting.mask_identity_number(value)
            elif name == "name":
                data[name] = formatting.mask_name(value)
            else:
                data[name] = formatting.mask_text(value)
        if data.get("household_no_kk"):
            data["household_no_kk"] = formatting.mask_identity_number(data["household_no_kk"])
        return data


class PlacementSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CategoryPlacement
        fields = [
            "id",
            "category",
            "status",
            "source",
            "identified_on",
            "verified_on",
            "handled_on",
            "closed_on",
            "closing_reason",
        ]


class PersonSerializer(MaskedMixin, serializers.ModelSerializer):
    household_no_kk = serializers.CharField(source="household.no_kk", read_only=True, default=None)

    class Meta:
        model = Person
        fields = [
            "id",
            "nik",
            "name",
            "sex",
            "birth_place",
            "birth_date",
            "household",
            "household_no_kk",
            "relationship",
            "district",
            "village",
            "deceased",
            "death_date",
            "disability_physical",
            "disability_intellectual",
            "disability_mental",
            "disability_sensory",
            "disability_severity",
            "phone",
            "source",
            "import_batch",
            "version",
        ]


class HouseholdSerializer(MaskedMixin, serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = [
            "id",
            "no_kk",
            "district",
            "village",
            "address",
            "rt",
            "rw",
            "desil",
            "desil_date",
            "status",
            "source",
            "import_batch",
            "version",
        ]


class ImportBatchSerializer(serializers.ModelSerializer):
    job = serializers.UUIDField(source="job_id", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_name",
            "status",
            "mode",
            "source",
            "job",
            "rows",
            "valid_rows",
            "invalid_rows",
            "problems",
            "households_created",
            "households_updated",
            "persons_created",
            "persons_updated",
            "created_at",
            "committed_at",
        ]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    mode = serializers.ChoiceField(
        choices=ImportBatch.Mode.choices, default=ImportBatch.Mode.ALL_OR_NOTHING
    )
    commit = serializers.BooleanField(default=False)
    source = serializers.ChoiceField(
        choices=Person._meta.get_field("source").choices, default="dtsen"
    )


class CountSerializer(serializers.Serializer):
    code = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    count = serializers.IntegerField(allow_null=True)


class PpksStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField(allow_null=True)
    as_of = PlausibleDateField()
    suppressed_below = serializers.IntegerField(allow_null=True)
    by_district = CountSerializer(many=True)
    by_village = CountSerializer(many=True)
    by_category = CountSerializer(many=True)
    by_desil = serializers.ListField(child=serializers.DictField())
    by_sex = serializers.ListField(child=serializers.DictField())
    by_age_band = serializers.ListField(child=serializers.DictField())
