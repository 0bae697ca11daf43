"""API serializers of performance management. Figures are decimals sent as strings (exact);
no personal data: no user names, no evidence file names."""

from rest_framework import serializers

from performance.models import (
    Agreement,
    AgreementTarget,
    BudgetLine,
    Indicator,
    Realization,
    Renstra,
    Sasaran,
    Tujuan,
)

DECIMAL = {"max_digits": 20, "decimal_places": 4}
PERCENT = {"max_digits": 12, "decimal_places": 2}
MONEY = {"max_digits": 18, "decimal_places": 2}


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", "The version the change is based on; a stale version gives HTTP 409."
        )
        super().__init__(**kwargs)


# --- Plan ------------------------------------------------------------------------------------


class SasaranSerializer(serializers.ModelSerializer):
    programs = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Sasaran
        fields = ["id", "code", "name", "order", "programs"]


class TujuanSerializer(serializers.ModelSerializer):
    sasaran = SasaranSerializer(many=True, read_only=True)

    class Meta:
        model = Tujuan
        fields = ["id", "code", "name", "order", "sasaran"]


class RenstraSerializer(serializers.ModelSerializer):
    bidang = serializers.SlugRelatedField(read_only=True, slug_field="code")
    tujuan = TujuanSerializer(many=True, read_only=True)

    class Meta:
        model = Renstra
        fields = [
            "id", "name", "start_year", "end_year", "vision", "mission", "legal_basis",
            "bidang", "tujuan", "version", "updated_at",
        ]  # fmt: skip


class RenstraTargetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(**DECIMAL)


class IndicatorSerializer(serializers.ModelSerializer):
    bidang = serializers.SlugRelatedField(read_only=True, slug_field="code")
    owner_code = serializers.SerializerMethodField()
    renstra_targets = RenstraTargetSerializer(many=True, read_only=True)
    version = VersionField(required=False)

    class Meta:
        model = Indicator
        fields = [
            "id", "renstra", "level", "owner_code", "code", "name", "definition", "formula",
            "unit", "data_source", "bidang", "direction", "lower_formula", "aggregation",
            "is_iku", "baseline_year", "baseline_value", "source_code", "continues", "order",
            "renstra_targets", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "renstra", "level", "owner_code", "code", "bidang", "source_code",
            "continues", "renstra_targets", "updated_at",
        ]  # fmt: skip

    def get_owner_code(self, indicator) -> str:
        return indicator.owner.code


class AgreementTargetSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="agreement.year", read_only=True)
    revision = serializers.IntegerField(source="agreement.revision", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    version = VersionField(required=False)

    class Meta:
        model = AgreementTarget
        fields = [
            "id", "agreement", "year", "revision", "indicator", "indicator_code", "target",
            "q1", "q2", "q3", "q4", "version",
        ]  # fmt: skip
        read_only_fields = ["id", "agreement", "indicator"]


class AgreementSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    targets = AgreementTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id", "renstra", "year", "revision", "label", "based_on", "signed_on",
            "first_party", "second_party", "reason", "targets", "version",
        ]  # fmt: skip


# --- Realizations --------------------------------------------------------------------------------


class RealizationSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    evidence_count = serializers.IntegerField(read_only=True)
    version = VersionField(required=False)

    class Meta:
        model = Realization
        fields = [
            "id", "indicator", "indicator_code", "year", "quarter", "value", "numerator",
            "denominator", "unavailable_reason", "obstacles", "supporting_factors", "solutions",
            "recommendations", "status", "status_label", "source_code", "provenance",
            "computed_at", "submitted_at", "reviewed_at", "review_note", "evidence_count",
            "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "indicator_code", "status", "status_label", "source_code", "provenance",
            "computed_at", "submitted_at", "reviewed_at", "review_note", "evidence_count",
            "updated_at",
        ]  # fmt: skip


class RealizationWriteSerializer(serializers.Serializer):
    """Enter (POST) or correct (PATCH) a quarter's realization; ``submit`` sends it for approval.
    The same rules as the page: the indicator's division, the quarter lock, the figures its rule
    needs, evidence before submitting a typed figure."""

    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    value = serializers.DecimalField(required=False, allow_null=True, **DECIMAL)
    numerator = serializers.DecimalField(required=False, allow_null=True, **DECIMAL)
    denominator = serializers.DecimalField(required=False, allow_null=True, **DECIMAL)
    unavailable_reason = serializers.CharField(required=False, allow_blank=True)
    obstacles = serializers.CharField(required=False, allow_blank=True)
    supporting_factors = serializers.CharField(required=False, allow_blank=True)
    solutions = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(required=False, default=False)
    version = VersionField(required=False, allow_null=True)


class ReviewSerializer(serializers.Serializer):
    version = VersionField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VersionOnlySerializer(serializers.Serializer):
    version = VersionField()


class DeletionSerializer(serializers.Serializer):
    """The query parameters (or JSON body) of a DELETE: the version and the reason, kept in
    the history (required; at most 100 characters, checked by the service)."""

    version = VersionField()
    reason = serializers.CharField(required=False, allow_blank=True, trim_whitespace=True)


# --- Budget ------------------------------------------------------------------------------------


class BudgetLineSerializer(serializers.ModelSerializer):
    sub_kegiatan_code = serializers.CharField(source="sub_kegiatan.code", read_only=True)
    sub_kegiatan_name = serializers.CharField(source="sub_kegiatan.name", read_only=True)
    kegiatan_code = serializers.CharField(source="sub_kegiatan.kegiatan.code", read_only=True)
    program_code = serializers.CharField(
        source="sub_kegiatan.kegiatan.program.code", read_only=True
    )
    bidang = serializers.SlugRelatedField(read_only=True, slug_field="code")
    months = serializers.SerializerMethodField()
    realization = serializers.SerializerMethodField()
    absorption = serializers.SerializerMethodField()
    version = VersionField(required=False)

    class Meta:
        model = BudgetLine
        fields = [
            "id", "year", "program_code", "kegiatan_code", "sub_kegiatan", "sub_kegiatan_code",
            "sub_kegiatan_name", "bidang", "pagu_murni", "pagu_perubahan", "realization",
            "absorption", "months", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "year", "sub_kegiatan", "updated_at"]

    def _months(self, line) -> list:
        amounts = ["0.00"] * 12
        for month in line.months.all():
            amounts[month.month - 1] = str(month.amount)
        return amounts

    def get_months(self, line) -> list[str]:
        return self._months(line)

    def get_realization(self, line) -> str:
        return str(sum((m.amount for m in line.months.all()), 0))

    def get_absorption(self, line) -> str:
        from performance.calculations import absorption

        total = sum((m.amount for m in line.months.all()), 0)
        return str(absorption(realization=total, pagu=line.pagu).value)


class BudgetWriteSerializer(serializers.Serializer):
    pagu_murni = serializers.DecimalField(required=False, **MONEY)
    pagu_perubahan = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    months = serializers.DictField(
        child=serializers.DecimalField(allow_null=True, **MONEY),
        required=False,
        help_text="Month number (1-12) -> realization in Rp; null leaves a month as it is.",
    )
    version = VersionField()


# --- The summary (issue 6 point 8) -----------------------------------------------------------


class BandSerializer(serializers.Serializer):
    label = serializers.CharField()
    tone = serializers.CharField()


class BudgetFiguresSerializer(serializers.Serializer):
    pagu_murni = serializers.DecimalField(**MONEY)
    pagu_perubahan = serializers.DecimalField(**MONEY)
    pagu = serializers.DecimalField(help_text="The ceiling of the chosen basis.", **MONEY)
    realization = serializers.DecimalField(**MONEY)
    absorption = serializers.DecimalField(**PERCENT)
    effectiveness = serializers.CharField(allow_null=True)


class SummaryIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    level = serializers.CharField()
    sasaran = serializers.CharField(allow_null=True)
    is_iku = serializers.BooleanField()
    direction = serializers.CharField()
    aggregation = serializers.CharField()
    target = serializers.DecimalField(allow_null=True, **DECIMAL)
    target_source = serializers.CharField()
    realization = serializers.DecimalField(allow_null=True, **DECIMAL)
    capaian = serializers.DecimalField(**PERCENT)
    capaian_note = serializers.CharField()
    rating = serializers.CharField(allow_null=True)
    absorption = serializers.DecimalField(allow_null=True, **PERCENT)
    efisiensi = serializers.DecimalField(allow_null=True, **PERCENT)
    quarters = serializers.ListField(child=serializers.DictField())
    previous_year = serializers.DictField(allow_null=True)
    renstra_end_target = serializers.DecimalField(allow_null=True, **DECIMAL)
    capaian_vs_end_target = serializers.DecimalField(**PERCENT)


REALIZED_HELP = (
    "Whether an indicator counted here has an approved realization this year; while none has"
    " (IKU measured at the year's end, say) the capaian of 0 is no achievement."
)


class SummarySasaranSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    capaian = serializers.DecimalField(allow_null=True, **PERCENT)
    rating = serializers.CharField(allow_null=True)
    realized = serializers.BooleanField(help_text=REALIZED_HELP)
    indicators = serializers.ListField(child=serializers.CharField())
    budget = BudgetFiguresSerializer(allow_null=True)


class SpmRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    target_group = serializers.CharField()
    target_group_count = serializers.IntegerField(allow_null=True)
    served = serializers.IntegerField(allow_null=True)
    percent = serializers.DecimalField(allow_null=True, **PERCENT)


class SpmSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    services = SpmRowSerializer(many=True)
    total_target_group = serializers.IntegerField()
    total_served = serializers.IntegerField()
    total_percent = serializers.DecimalField(allow_null=True, **PERCENT)


class SummaryYearSerializer(serializers.Serializer):
    capaian = serializers.DecimalField(allow_null=True, **PERCENT)
    rating = serializers.CharField(allow_null=True)
    realized = serializers.BooleanField(help_text=REALIZED_HELP)


class ProgramBudgetSerializer(BudgetFiguresSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    basis = serializers.CharField()
    renstra = serializers.CharField()
    agreement = serializers.CharField(allow_null=True)
    indicators = SummaryIndicatorSerializer(many=True)
    sasaran = SummarySasaranSerializer(many=True)
    year_result = SummaryYearSerializer()
    budget = BudgetFiguresSerializer()
    programs = ProgramBudgetSerializer(many=True)
    spm = SpmSerializer()


class TrendPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    capaian = serializers.DecimalField(allow_null=True, **PERCENT)
    rating = serializers.CharField(allow_null=True)
    budget = BudgetFiguresSerializer()


class TrendSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    points = TrendPointSerializer(many=True)
    indicators = serializers.ListField(child=serializers.DictField())


class ImportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["plan", "budget", "realization"])
    file = serializers.FileField(help_text="An XLSX workbook made from the template.")
    commit = serializers.BooleanField(
        default=False, help_text="Save when the check finds no problem (else only check)."
    )

    def validate_file(self, upload):
        from django.core.exceptions import ValidationError as DjangoValidationError

        from performance.spreadsheets import validate_workbook_upload

        try:
            validate_workbook_upload(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return upload


class ImportStartedSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    status_url = serializers.CharField()
