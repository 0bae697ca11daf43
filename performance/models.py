"""SAKIP: the strategic plan (Renstra), its indicators and targets, the yearly performance
agreement (Perjanjian Kinerja, with its revisions), the budget structure in the Kemendagri
nomenclature, realizations with their evidence, SPM and the settings of the arithmetic.

Who may change what (``accounts.access``): the plan, the agreements, the budget and the SPM
figures belong to the unit that keeps the plan (``Renstra.bidang``, normally the Sekretariat's
Subbagian Program); a realization belongs to the bidang responsible for its indicator.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import AccessPolicy, Domain
from welfare.models import TimeStampedModel, VersionedModel

from . import calculations as calc

VALUE = {"max_digits": 20, "decimal_places": 4}
MONEY = {"max_digits": 18, "decimal_places": 2}
PERCENT_UNITS = {"%", "persen", "percent", "persentase"}


def _policy(bidang_path: str | None = None, *, personal: bool = False) -> AccessPolicy:
    return AccessPolicy(
        domain=Domain.PERFORMANCE,
        bidang_path=bidang_path,
        personal=personal,
        tksk_visible=False,
    )


# --- Settings of the arithmetic ----------------------------------------------------------------


class PerformanceSettings(VersionedModel, TimeStampedModel):
    """One row: when quarters lock and how large an evidence file may be."""

    lock_days = models.PositiveSmallIntegerField(
        _("days after the end of a quarter until it locks"),
        default=15,
        validators=[MaxValueValidator(366)],
    )
    evidence_max_mb = models.PositiveSmallIntegerField(
        _("largest evidence file (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    history = HistoricalRecords()
    access = _policy()

    class Meta:
        verbose_name = _("performance settings")
        verbose_name_plural = _("performance settings")

    def __str__(self) -> str:
        return str(_("Performance settings"))


class Band(models.Model):
    """A band of the rating scale (capaian) or of the effectiveness scale (absorption)."""

    class Scale(models.TextChoices):
        RATING = "rating", _("Rating of achievement")
        EFFECTIVENESS = "effectiveness", _("Effectiveness of budget absorption")

    class Tone(models.TextChoices):
        SUCCESS = "success", _("Green")
        PRIMARY = "primary", _("Blue")
        INFO = "info", _("Light blue")
        WARNING = "warning", _("Yellow")
        DANGER = "danger", _("Red")
        SECONDARY = "secondary", _("Grey")

    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices)
    label = models.CharField(_("name"), max_length=60)
    lower_bound = models.DecimalField(
        _("lower bound (%)"), null=True, blank=True, max_digits=8, decimal_places=2
    )
    lower_inclusive = models.BooleanField(_("the bound itself belongs to the band"), default=True)
    tone = models.CharField(_("colour"), max_length=10, choices=Tone.choices, default="secondary")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    access = _policy()

    class Meta:
        ordering = ["scale", "order"]
        verbose_name = _("band")
        verbose_name_plural = _("bands")

    def __str__(self) -> str:
        return self.label

    def spec(self) -> calc.BandSpec:
        return calc.BandSpec(
            label=self.label,
            lower=self.lower_bound,
            inclusive=self.lower_inclusive,
            tone=self.tone,
            key=str(self.pk),
        )


# --- Budget nomenclature (Kemendagri, urusan 1.06 Sosial) --------------------------------------


class Program(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)

    history = HistoricalRecords()
    access = _policy()

    class Meta:
        ordering = ["code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Kegiatan(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="kegiatan", verbose_name=_("program")
    )
    code = models.CharField(_("code"), max_length=25, unique=True)
    name = models.CharField(_("name"), max_length=400)

    history = HistoricalRecords()
    access = _policy()

    class Meta:
        ordering = ["code"]
        verbose_name = _("activity (kegiatan)")
        verbose_name_plural = _("activities (kegiatan)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SubKegiatan(models.Model):
    kegiatan = models.ForeignKey(
        Kegiatan,
        on_delete=models.PROTECT,
        related_name="sub_kegiatan",
        verbose_name=_("activity (kegiatan)"),
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=400)

    history = HistoricalRecords()
    access = _policy()

    class Meta:
        ordering = ["code"]
        verbose_name = _("sub-activity (sub kegiatan)")
        verbose_name_plural = _("sub-activities (sub kegiatan)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# --- The plan ----------------------------------------------------------------------------------


class Renstra(VersionedModel, TimeStampedModel):
    """The office's strategic plan for a period of (normally) five years."""

    name = models.CharField(_("name"), max_length=300)
    start_year = models.PositiveSmallIntegerField(
        _("first year"), unique=True, validators=[MinValueValidator(2000)]
    )
    end_year = models.PositiveSmallIntegerField(_("last year"))
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    bidang = models.ForeignKey(
        "accounts.Bidang",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit keeping the plan"),
        help_text=_("Its operators and head may change the plan, agreements and budget."),
    )

    history = HistoricalRecords()
    access = _policy("bidang")

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("strategic plan (Renstra)")
        verbose_name_plural = _("strategic plans (Renstra)")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="renstra_years_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def clean(self) -> None:
        super().clean()
        if self.start_year and self.end_year:
            if self.end_year < self.start_year:
                raise ValidationError({"end_year": _("The last year is before the first year.")})
            if self.end_year - self.start_year > 5:
                raise ValidationError({"end_year": _("A strategic plan covers at most six years.")})


class Tujuan(VersionedModel):
    renstra = models.ForeignKey(
        Renstra, on_delete=models.CASCADE, related_name="tujuan", verbose_name=_("Renstra")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("statement"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    access = _policy("renstra__bidang")

    class Meta:
        ordering = ["renstra", "order", "code"]
        verbose_name = _("goal (tujuan)")
        verbose_name_plural = _("goals (tujuan)")
        constraints = [
            models.UniqueConstraint(fields=["renstra", "code"], name="tujuan_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Sasaran(VersionedModel):
    """A strategic objective (sasaran strategis); the programs that support it carry its budget."""

    renstra = models.ForeignKey(
        Renstra, on_delete=models.CASCADE, related_name="sasaran", verbose_name=_("Renstra")
    )
    tujuan = models.ForeignKey(
        Tujuan, on_delete=models.CASCADE, related_name="sasaran", verbose_name=_("goal (tujuan)")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("statement"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    programs = models.ManyToManyField(
        Program,
        through="SasaranProgram",
        related_name="sasaran",
        blank=True,
        verbose_name=_("supporting programs"),
    )

    history = HistoricalRecords()
    access = _policy("renstra__bidang")

    class Meta:
        ordering = ["renstra", "order", "code"]
        verbose_name = _("strategic objective (sasaran)")
        verbose_name_plural = _("strategic objectives (sasaran)")
        constraints = [
            models.UniqueConstraint(fields=["renstra", "code"], name="sasaran_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.tujuan_id and self.renstra_id and self.tujuan.renstra_id != self.renstra_id:
            raise ValidationError({"tujuan": _("The goal belongs to another Renstra.")})


class SasaranProgram(models.Model):
    """A program supports one sasaran within a Renstra: its budget counts for that sasaran."""

    renstra = models.ForeignKey(
        Renstra,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("strategic plan (Renstra)"),
    )
    sasaran = models.ForeignKey(
        Sasaran,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("strategic objective (sasaran)"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )

    history = HistoricalRecords()
    access = _policy("renstra__bidang")

    class Meta:
        verbose_name = _("program of a sasaran")
        verbose_name_plural = _("programs of a sasaran")
        constraints = [
            models.UniqueConstraint(
                fields=["renstra", "program"], name="sasaran_program_once_per_renstra"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sasaran_id} - {self.program_id}"


class Indicator(VersionedModel, TimeStampedModel):
    """A performance indicator of a goal, a sasaran (IKU), a program, a kegiatan or a sub
    kegiatan, with its formula and how its quarters combine."""

    class Level(models.TextChoices):
        TUJUAN = "tujuan", _("Goal (tujuan)")
        SASARAN = "sasaran", _("Objective (sasaran)")
        PROGRAM = "program", _("Program")
        KEGIATAN = "kegiatan", _("Activity (kegiatan)")
        SUB_KEGIATAN = "sub_kegiatan", _("Sub-activity (sub kegiatan)")

    class Direction(models.TextChoices):
        HIGHER = calc.Direction.HIGHER, _("More is better")
        LOWER = calc.Direction.LOWER, _("Less is better")

    class LowerFormula(models.TextChoices):
        RATIO = calc.LowerFormula.RATIO, _("target / realization x 100")
        DIFFERENCE = calc.LowerFormula.DIFFERENCE, _("(2 x target - realization) / target x 100")

    class Aggregation(models.TextChoices):
        SUM = calc.Aggregation.SUM, _("Sum of the quarters (counts)")
        LAST = calc.Aggregation.LAST, _("Latest quarter's value (a level, rate or index)")
        AVERAGE = (
            calc.Aggregation.AVERAGE,
            _("Average of the quarters (a level measured each quarter)"),
        )
        RATIO = calc.Aggregation.RATIO, _("Numerators and denominators summed (a percentage)")

    renstra = models.ForeignKey(
        Renstra, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("Renstra")
    )
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    tujuan = models.ForeignKey(
        Tujuan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("goal (tujuan)"),
    )
    sasaran = models.ForeignKey(
        Sasaran,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("strategic objective (sasaran)"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("program"),
    )
    kegiatan = models.ForeignKey(
        Kegiatan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("activity (kegiatan)"),
    )
    sub_kegiatan = models.ForeignKey(
        SubKegiatan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("sub-activity (sub kegiatan)"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    definition = models.TextField(_("definition"), blank=True)
    formula = models.TextField(_("formula"), blank=True)
    unit = models.CharField(_("unit"), max_length=50)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    bidang = models.ForeignKey(
        "accounts.Bidang",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("division responsible"),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    lower_formula = models.CharField(
        _("formula when less is better"),
        max_length=12,
        choices=LowerFormula.choices,
        default=LowerFormula.RATIO,
    )
    aggregation = models.CharField(
        _("how quarters combine into the year"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    is_iku = models.BooleanField(_("key performance indicator (IKU)"), default=False)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE)
    source_code = models.CharField(
        _("computed from operational data"),
        max_length=100,
        blank=True,
        help_text=_("When set, the realization is computed from the system's data, not typed."),
    )
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        verbose_name=_("same indicator in the previous Renstra"),
        help_text=_("Links the years before this Renstra for the five-year comparison."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    access = _policy("renstra__bidang")

    OWNER_FIELDS = {
        Level.TUJUAN: "tujuan",
        Level.SASARAN: "sasaran",
        Level.PROGRAM: "program",
        Level.KEGIATAN: "kegiatan",
        Level.SUB_KEGIATAN: "sub_kegiatan",
    }

    class Meta:
        ordering = ["renstra", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["renstra", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                name="indicator_owner_matches_level",
                condition=(
                    Q(
                        level="tujuan",
                        tujuan__isnull=False,
                        sasaran__isnull=True,
                        program__isnull=True,
                        kegiatan__isnull=True,
                        sub_kegiatan__isnull=True,
                    )
                    | Q(
                        level="sasaran",
                        tujuan__isnull=True,
                        sasaran__isnull=False,
                        program__isnull=True,
                        kegiatan__isnull=True,
                        sub_kegiatan__isnull=True,
                    )
                    | Q(
                        level="program",
                        tujuan__isnull=True,
                        sasaran__isnull=True,
                        program__isnull=False,
                        kegiatan__isnull=True,
                        sub_kegiatan__isnull=True,
                    )
                    | Q(
                        level="kegiatan",
                        tujuan__isnull=True,
                        sasaran__isnull=True,
                        program__isnull=True,
                        kegiatan__isnull=False,
                        sub_kegiatan__isnull=True,
                    )
                    | Q(
                        level="sub_kegiatan",
                        tujuan__isnull=True,
                        sasaran__isnull=True,
                        program__isnull=True,
                        kegiatan__isnull=True,
                        sub_kegiatan__isnull=False,
                    )
                ),
            ),
        ]
        indexes = [models.Index(fields=["renstra", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def owner(self):
        return getattr(self, self.OWNER_FIELDS[self.level])

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip().lower() in PERCENT_UNITS

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.level in self.OWNER_FIELDS:
            owner_field = self.OWNER_FIELDS[self.level]
            for level, field_name in self.OWNER_FIELDS.items():
                if level != self.level:
                    setattr(self, field_name, None)
            if getattr(self, f"{owner_field}_id") is None:
                errors[owner_field] = _("Choose what this indicator measures.")
            elif self.level in (self.Level.TUJUAN, self.Level.SASARAN):
                owner = getattr(self, owner_field)
                if self.renstra_id and owner.renstra_id != self.renstra_id:
                    errors[owner_field] = _("It belongs to another Renstra.")
        if self.aggregation == self.Aggregation.AVERAGE and self.is_percentage:
            errors["aggregation"] = _(
                "A percentage is never averaged over quarters: choose 'numerators and "
                "denominators summed' (or the latest quarter's value)."
            )
        if self.direction == self.Direction.HIGHER:
            self.lower_formula = self.LowerFormula.RATIO
        if self.continues_id and self.renstra_id and self.continues.renstra_id == self.renstra_id:
            errors["continues"] = _("The previous indicator must belong to an earlier Renstra.")
        if self.source_code:
            from .sources import get_source

            if get_source(self.source_code) is None:
                errors["source_code"] = _("This data source is not known.")
        if errors:
            raise ValidationError(errors)


class RenstraTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="renstra_targets",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), **VALUE)

    history = HistoricalRecords()
    access = _policy("indicator__renstra__bidang")

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("Renstra target")
        verbose_name_plural = _("Renstra targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="renstra_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


# --- The yearly performance agreement ----------------------------------------------------------


class Agreement(VersionedModel, TimeStampedModel):
    """A Perjanjian Kinerja: revision 0 is the original (murni), 1 and above its revisions
    (perubahan). Every revision is kept; reports choose which one they are based on."""

    renstra = models.ForeignKey(
        Renstra, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("Renstra")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("revises"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    first_party = models.CharField(_("first party (head of office)"), max_length=200, blank=True)
    second_party = models.CharField(_("second party (regent)"), max_length=200, blank=True)
    reason = models.TextField(_("reason for the revision"), blank=True)

    history = HistoricalRecords()
    access = _policy("renstra__bidang")

    class Meta:
        ordering = ["-year", "revision"]
        verbose_name = _("performance agreement (PK)")
        verbose_name_plural = _("performance agreements (PK)")
        constraints = [
            models.UniqueConstraint(fields=["year", "revision"], name="agreement_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"

    @property
    def is_original(self) -> bool:
        return self.revision == 0

    @property
    def label(self) -> str:
        if self.revision == 0:
            return str(_("PK Murni"))
        if self.revision == 1:
            return str(_("PK Perubahan"))
        return str(_("PK Perubahan %(n)s")) % {"n": self.revision}

    def clean(self) -> None:
        super().clean()
        if (
            self.renstra_id
            and self.year
            and not (self.renstra.start_year <= self.year <= self.renstra.end_year)
        ):
            raise ValidationError({"year": _("The year is outside the Renstra period.")})


class AgreementTarget(VersionedModel):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("performance agreement (PK)"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="agreement_targets",
        verbose_name=_("indicator"),
    )
    target = models.DecimalField(_("yearly target"), **VALUE)
    q1 = models.DecimalField(_("quarter I target"), null=True, blank=True, **VALUE)
    q2 = models.DecimalField(_("quarter II target"), null=True, blank=True, **VALUE)
    q3 = models.DecimalField(_("quarter III target"), null=True, blank=True, **VALUE)
    q4 = models.DecimalField(_("quarter IV target"), null=True, blank=True, **VALUE)

    history = HistoricalRecords()
    access = _policy("agreement__renstra__bidang")

    class Meta:
        ordering = ["agreement", "indicator__order", "indicator__code"]
        verbose_name = _("agreement target")
        verbose_name_plural = _("agreement targets")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "indicator"], name="agreement_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.indicator.code}"

    @property
    def quarter_targets(self) -> list[Decimal | None]:
        return [self.q1, self.q2, self.q3, self.q4]


# --- Realizations --------------------------------------------------------------------------------


class Realization(VersionedModel, TimeStampedModel):
    """One quarter's realization of an indicator: entered by the bidang's operator (or computed
    from operational data), submitted, and approved or returned by the Kepala Bidang. Only
    approved realizations count in the figures."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="realizations",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField(_("realization"), null=True, blank=True, **VALUE)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE)
    unavailable_reason = models.TextField(_("why the figure is not available yet"), blank=True)
    obstacles = models.TextField(_("inhibiting factors (faktor penghambat)"), blank=True)
    supporting_factors = models.TextField(_("supporting factors (faktor pendukung)"), blank=True)
    solutions = models.TextField(_("solutions"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source_code = models.CharField(_("data source"), max_length=100, blank=True)
    provenance = models.TextField(_("where the figure came from"), blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)

    history = HistoricalRecords()
    access = _policy("indicator__bidang")

    class Meta:
        ordering = ["-year", "-quarter", "indicator__code"]
        verbose_name = _("realization")
        verbose_name_plural = _("realizations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="realization_quarter_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="realization_quarter_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} TW{self.quarter}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def figure(self) -> calc.QuarterFigure:
        return calc.QuarterFigure(
            quarter=self.quarter,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            missing_detail=self.unavailable_reason,
        )


def evidence_path(instance, filename: str) -> str:
    # The stored name is random: the original name is kept in the row, never in a URL.
    return f"performance/evidence/{instance.realization.year}/{uuid.uuid4().hex}"


class Evidence(TimeStampedModel):
    """A supporting document (bukti dukung) of a realization. Served only through an access
    checked view; may hold personal data, so never sent to API clients."""

    realization = models.ForeignKey(
        Realization,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("realization"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    history = HistoricalRecords()
    access = _policy("realization__indicator__bidang", personal=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class QuarterReopen(TimeStampedModel):
    """An administrator opened a locked quarter again for one indicator, with a reason."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    reason = models.TextField(_("reason"))
    open_until = models.DateField(_("open until"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )

    history = HistoricalRecords()
    access = _policy("indicator__bidang")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reopened quarter")
        verbose_name_plural = _("reopened quarters")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} TW{self.quarter}"


# --- Budget ----------------------------------------------------------------------------------


class BudgetLine(VersionedModel, TimeStampedModel):
    """A sub kegiatan's budget in one year: pagu before and after the revision (APBD
    Perubahan); its realization is recorded per month."""

    renstra = models.ForeignKey(
        Renstra, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("Renstra")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sub_kegiatan = models.ForeignKey(
        SubKegiatan,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("sub-activity (sub kegiatan)"),
    )
    bidang = models.ForeignKey(
        "accounts.Bidang",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("implementing division"),
    )
    pagu_murni = models.DecimalField(_("budget ceiling before revision"), **MONEY)
    pagu_perubahan = models.DecimalField(
        _("budget ceiling after revision"), null=True, blank=True, **MONEY
    )

    history = HistoricalRecords()
    access = _policy("renstra__bidang")

    class Meta:
        ordering = ["year", "sub_kegiatan__code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["year", "sub_kegiatan"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(pagu_murni__gte=0), name="pagu_murni_positive"),
            models.CheckConstraint(
                condition=Q(pagu_perubahan__isnull=True) | Q(pagu_perubahan__gte=0),
                name="pagu_perubahan_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.sub_kegiatan.code}"

    @property
    def pagu(self) -> Decimal:
        return self.pagu_perubahan if self.pagu_perubahan is not None else self.pagu_murni


class BudgetRealization(models.Model):
    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="months", verbose_name=_("budget line")
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(_("realization (Rp)"), **MONEY)

    history = HistoricalRecords()
    access = _policy("line__renstra__bidang")

    class Meta:
        ordering = ["line", "month"]
        verbose_name = _("monthly budget realization")
        verbose_name_plural = _("monthly budget realizations")
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="budget_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="budget_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month}"


# --- SPM bidang sosial (Permensos 9/2018) -------------------------------------------------------


class SpmService(models.Model):
    """One of the five basic services of a kabupaten/kota."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("service"), max_length=300)
    target_group = models.CharField(_("target group"), max_length=300)
    bidang = models.ForeignKey(
        "accounts.Bidang",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("division responsible"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    access = _policy()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("SPM service")
        verbose_name_plural = _("SPM services")

    def __str__(self) -> str:
        return self.name


class SpmAchievement(VersionedModel, TimeStampedModel):
    service = models.ForeignKey(
        SpmService,
        on_delete=models.PROTECT,
        related_name="achievements",
        verbose_name=_("SPM service"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target_group_count = models.PositiveIntegerField(_("target group (people)"))
    served_count = models.PositiveIntegerField(_("served (people)"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    access = _policy("service__bidang")

    class Meta:
        ordering = ["-year", "service__order"]
        verbose_name = _("SPM achievement")
        verbose_name_plural = _("SPM achievements")
        constraints = [
            models.UniqueConstraint(fields=["service", "year"], name="spm_achievement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.year}"

    def clean(self) -> None:
        super().clean()
        if (
            self.served_count is not None
            and self.target_group_count is not None
            and self.served_count > self.target_group_count
        ):
            raise ValidationError(
                {"served_count": _("More people served than in the target group.")}
            )
