"""Field work: the PSKS registry, TKSK assignments, field submissions and what they feed.

* PSKS (Potensi dan Sumber Kesejahteraan Sosial): ``PsksKind`` (the 12 kinds, seeded data),
  ``PsksPerson`` (TKSK, PSM, Tagana, pekerja sosial ...), ``PsksInstitution`` (LKS, LK3,
  Karang Taruna, WKSBM, dunia usaha).
* ``TkskAssignment``: the decree that places a TKSK in a kecamatan; at most one active per
  kecamatan (a partial unique index). The TKSK's user account takes its region scope from it.
* ``Submission``: a field form sent by a TKSK (kinds are registered in ``fieldwork.kinds``),
  with its review trail (``SubmissionEvent``), photos and the changes its approval made
  (``AppliedChange``).
* What approval creates here: ``DisasterIncident``, ``Referral`` (+ ``ReferralFollowUp``).
* ``ActivityEntry``: the TKSK's daily journal, assembled into the monthly report.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import AccessPolicy, Domain
from beneficiaries.models import Sex  # one definition of sex (L/P, as on the KTP)
from welfare.models import TimeStampedModel, VersionedModel

TKSK_KIND = "tksk"
LKS_KIND = "lks"


def _photo_path(instance, filename: str) -> str:
    today = timezone.localdate()
    return f"fieldwork/photos/{today:%Y/%m}/{uuid.uuid4().hex}.jpg"


# --- PSKS ----------------------------------------------------------------------------------


class PsksKind(models.Model):
    """One of the kinds of Potensi dan Sumber Kesejahteraan Sosial (seeded; editable data)."""

    class Unit(models.TextChoices):
        PERSON = "person", _("Person")
        INSTITUTION = "institution", _("Institution")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    official = models.BooleanField(
        _("one of the 12 official kinds"),
        default=True,
        help_text=_("The 12 PSKS kinds of the Ministry of Social Affairs; others are local."),
    )
    counts_as_volunteer = models.BooleanField(
        _("counted as social volunteer"),
        default=False,
        help_text=_("Counted in the 'social volunteers' column of the TKSK and volunteer recap."),
    )
    accreditable = models.BooleanField(_("can be accredited"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    access = AccessPolicy(domain=Domain.FIELDWORK, personal=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("PSKS kind")
        verbose_name_plural = _("PSKS kinds")

    def __str__(self) -> str:
        return self.name


class PsksService(models.Model):
    """A field of service of a welfare institution (children, elderly, disability ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    access = AccessPolicy(domain=Domain.FIELDWORK, personal=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("field of service")
        verbose_name_plural = _("fields of service")

    def __str__(self) -> str:
        return self.name


class PsksInstitution(VersionedModel, TimeStampedModel):
    """LKS, LK3, WKSBM, Karang Taruna, dunia usaha ... with their village and services."""

    class Grade(models.TextChoices):
        A = "A", _("A (very good)")
        B = "B", _("B (good)")
        C = "C", _("C (fair)")

    kind = models.ForeignKey(
        PsksKind,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("kind"),
        limit_choices_to={"unit": PsksKind.Unit.INSTITUTION},
    )
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="psks_institutions",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="psks_institutions",
        verbose_name=_("desa/kelurahan"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    leader_name = models.CharField(_("name of the head"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    services = models.ManyToManyField(
        PsksService, blank=True, related_name="institutions", verbose_name=_("fields of service")
    )
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    accreditation_grade = models.CharField(
        _("accreditation grade"), max_length=1, choices=Grade.choices, blank=True
    )
    accreditation_number = models.CharField(
        _("accreditation certificate number"), max_length=100, blank=True
    )
    accredited_on = models.DateField(_("accredited on"), null=True, blank=True)
    accreditation_valid_until = models.DateField(
        _("accreditation valid until"), null=True, blank=True
    )
    residential = models.BooleanField(
        _("residential (panti)"),
        default=False,
        help_text=_("The institution houses its clients."),
    )
    capacity = models.PositiveIntegerField(_("capacity (persons)"), null=True, blank=True)
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=[services])
    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        district_path="district",
        personal=False,
        personal_fields=("leader_name", "phone", "email"),
    )

    class Meta:
        ordering = ["district_id", "name"]
        verbose_name = _("PSKS institution")
        verbose_name_plural = _("PSKS institutions")
        constraints = [
            models.CheckConstraint(
                condition=Q(accreditation_valid_until__isnull=True)
                | Q(accredited_on__isnull=True)
                | Q(accreditation_valid_until__gte=models.F("accredited_on")),
                name="fieldwork_institution_accreditation_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.village_id
            and self.district_id
            and not self.village_id.startswith(self.district_id + ".")
        ):
            errors["village"] = _("This desa/kelurahan is not in the chosen kecamatan.")
        if self.kind_id and self.kind.unit != PsksKind.Unit.INSTITUTION:
            errors["kind"] = _("This kind is for persons, not institutions.")
        if self.accreditation_grade:
            if self.kind_id and not self.kind.accreditable:
                errors["accreditation_grade"] = _("Only an LKS can be accredited.")
            if not self.accredited_on:
                errors["accredited_on"] = _("Enter the date of the accreditation.")
            if not self.accreditation_valid_until:
                errors["accreditation_valid_until"] = _(
                    "Enter until when the accreditation is valid."
                )
        elif self.accredited_on or self.accreditation_valid_until:
            errors["accreditation_grade"] = _("Choose the accreditation grade.")
        if (
            self.accredited_on
            and self.accreditation_valid_until
            and self.accreditation_valid_until < self.accredited_on
        ):
            errors["accreditation_valid_until"] = _(
                "The accreditation cannot end before it was given."
            )
        if errors:
            raise ValidationError(errors)

    def accreditation_state(self, on=None) -> str:
        """ "valid", "expired" or "none" on the date ``on`` (today by default)."""
        on = on or timezone.localdate()
        if not self.accreditation_grade or not self.accredited_on:
            return "none"
        if self.accredited_on <= on <= self.accreditation_valid_until:
            return "valid"
        return "expired" if self.accreditation_valid_until < on else "none"


class PsksPerson(VersionedModel, TimeStampedModel):
    """A person who is a welfare resource: TKSK, PSM, Tagana, pekerja sosial, penyuluh ..."""

    kind = models.ForeignKey(
        PsksKind,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("kind"),
        limit_choices_to={"unit": PsksKind.Unit.PERSON},
    )
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="psks_people",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="psks_people",
        verbose_name=_("desa/kelurahan"),
        help_text=_("For workers of one village (PSM, for example)."),
    )
    position = models.CharField(
        _("function"),
        max_length=200,
        blank=True,
        help_text=_("For example: Pendamping PKH, Ketua Tagana Kecamatan."),
    )
    institution = models.ForeignKey(
        PsksInstitution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("institution"),
    )
    decree_number = models.CharField(_("decree (SK) number"), max_length=150, blank=True)
    decree_date = models.DateField(_("decree (SK) date"), null=True, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certification_body = models.CharField(
        _("certification body"),
        max_length=200,
        blank=True,
        help_text=_("For example: LSP Kementerian Sosial RI."),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="psks_person",
        verbose_name=_("user account"),
        help_text=_("The log-in of a TKSK; its kecamatan follows the active assignment."),
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        district_path="district",
        personal=True,
        personal_fields=("name", "nik", "birth_date", "phone", "email", "address"),
    )

    class Meta:
        ordering = ["district_id", "kind__order", "name"]
        verbose_name = _("PSKS person")
        verbose_name_plural = _("PSKS people")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "nik"],
                condition=~Q(nik=""),
                name="fieldwork_person_unique_nik_per_kind",
                violation_error_message=_("A person of this kind with this NIK is registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_certified(self) -> bool:
        return self.certified_on is not None

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.village_id
            and self.district_id
            and not self.village_id.startswith(self.district_id + ".")
        ):
            errors["village"] = _("This desa/kelurahan is not in the chosen kecamatan.")
        if self.kind_id and self.kind.unit != PsksKind.Unit.PERSON:
            errors["kind"] = _("This kind is for institutions, not persons.")
        if self.certified_on and not self.certification_body:
            errors["certification_body"] = _("Enter the body that issued the certification.")
        if self.certification_body and not self.certified_on:
            errors["certified_on"] = _("Enter the date of the certification.")
        if self.certified_on and self.certified_on > timezone.localdate():
            errors["certified_on"] = _("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class TkskAssignment(VersionedModel, TimeStampedModel):
    """A TKSK placed in a kecamatan by a decree, for a period.

    Active while ``ended_on`` is empty; the database holds at most one active assignment per
    kecamatan and per person (partial unique indexes), so no race can put two TKSK in one
    kecamatan. Services keep the TKSK's user account (``User.district``) in step."""

    person = models.ForeignKey(
        PsksPerson,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("TKSK"),
        limit_choices_to={"kind__code": TKSK_KIND},
    )
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="tksk_assignments",
        verbose_name=_("kecamatan"),
    )
    decree_number = models.CharField(_("decree (SK) number"), max_length=150)
    decree_date = models.DateField(_("decree (SK) date"))
    start_date = models.DateField(_("start of the assignment"))
    period_end = models.DateField(
        _("end of the decree period"),
        null=True,
        blank=True,
        help_text=_("The end of the period the decree names, if any."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    history = HistoricalRecords()
    access = AccessPolicy(domain=Domain.FIELDWORK, district_path="district", personal=True)

    class Meta:
        ordering = ["district_id", "-start_date"]
        verbose_name = _("TKSK assignment")
        verbose_name_plural = _("TKSK assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(ended_on__isnull=True),
                name="fieldwork_one_active_tksk_per_district",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="fieldwork_one_active_assignment_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="fieldwork_assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=models.F("start_date")),
                name="fieldwork_assignment_period_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.district}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class FieldworkSettings(VersionedModel):
    """Settings of field work (one row), changed by staff on the settings page."""

    tksk_village_limit = models.PositiveSmallIntegerField(
        _("villages one TKSK should cover at most"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Field studies propose at most 10 villages per TKSK."),
    )
    monthly_report_due_day = models.PositiveSmallIntegerField(
        _("monthly report due by day"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("The report of a month is due by this day of the next month."),
    )
    photo_max_mb = models.PositiveSmallIntegerField(
        _("largest photo (MB)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
    )

    history = HistoricalRecords()
    access = AccessPolicy(domain=Domain.FIELDWORK, personal=False, tksk_visible=False)

    class Meta:
        verbose_name = _("field work settings")
        verbose_name_plural = _("field work settings")

    def __str__(self) -> str:
        return str(_("Field work settings"))


# --- Submissions ---------------------------------------------------------------------------


class Submission(VersionedModel, TimeStampedModel):
    """A field form sent by a TKSK. ``kind`` names an entry of ``fieldwork.kinds``; the payload
    is what the TKSK typed, validated by that kind's form."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    AWAITING_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    kind = models.CharField(_("form"), max_length=40, db_index=True)
    client_key = models.UUIDField(
        _("sending key"),
        help_text=_("Made on the phone for each filled form: a resend is recognised."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="field_submissions",
        verbose_name=_("sent by"),
    )
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="field_submissions",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="field_submissions",
        verbose_name=_("desa/kelurahan"),
    )
    bidang = models.ForeignKey(
        "accounts.Bidang",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="field_submissions",
        verbose_name=_("reviewing division"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    payload = models.JSONField(_("content"), default=dict)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    event_date = models.DateField(_("date"), db_index=True)
    period = models.DateField(
        _("reporting month"), null=True, blank=True, help_text=_("First day of the month.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    client_created_at = models.DateTimeField(_("filled in on the phone at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("first sent at"), default=timezone.now)
    last_submitted_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["payload"])
    # A TKSK sees what they sent (wherever they were assigned then); reviewers of a bidang act
    # on the forms routed to their bidang.
    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        owner_path="submitted_by",
        bidang_path="bidang",
        personal=True,
        personal_fields=("payload",),
    )

    class Meta:
        ordering = ["-last_submitted_at", "-id"]
        verbose_name = _("field submission")
        verbose_name_plural = _("field submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "client_key"], name="fieldwork_submission_client_key"
            ),
            models.UniqueConstraint(
                fields=["submitted_by", "kind", "period"],
                condition=Q(period__isnull=False) & ~Q(status="rejected"),
                name="fieldwork_one_report_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="fieldwork_sub_status_kind"),
            models.Index(fields=["district", "kind", "event_date"], name="fieldwork_sub_district"),
            # The inbox and a TKSK's history list the newest first (benchmarks/fieldwork_figures).
            models.Index(fields=["-last_submitted_at", "-id"], name="fieldwork_sub_recent"),
            # The payload keys that name a record of the registry (SubmissionKind.subject_fields):
            # the household page finds its field visits by them (benchmarks/household_visits).
            # A kind that names a registry record under another key adds an index here.
            models.Index(KeyTransform("no_kk", "payload"), name="fieldwork_sub_no_kk"),
            models.Index(KeyTransform("nik", "payload"), name="fieldwork_sub_nik"),
            models.Index(
                KeyTransform("recipient_number", "payload"), name="fieldwork_sub_recipient"
            ),
            models.Index(KeyTransform("referral", "payload"), name="fieldwork_sub_referral"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        from .kinds import kind_label

        return kind_label(self.kind)

    @property
    def awaiting_review(self) -> bool:
        return self.status in self.AWAITING_REVIEW


class SubmissionEvent(models.Model):
    """One step of a submission's life: who did what, when, with which comment (append-only)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Sent")
        RETURNED = "returned", _("Returned for correction")
        RESUBMITTED = "resubmitted", _("Sent again after correction")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name=_("submission")
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(
        _("status before"), max_length=12, choices=Submission.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("status after"), max_length=12, choices=Submission.Status.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    payload = models.JSONField(_("content sent"), null=True, blank=True)
    client_key = models.UUIDField(_("sending key"), null=True, blank=True)

    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        owner_path="submission__submitted_by",
        personal=True,
        personal_fields=("payload",),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("submission step")
        verbose_name_plural = _("submission steps")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "client_key"], name="fieldwork_event_client_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.submission_id}"


class SubmissionPhoto(models.Model):
    """A photo of a submission, checked and re-encoded (no EXIF) on upload."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="photos", verbose_name=_("submission")
    )
    field = models.CharField(_("photo field"), max_length=40)
    image = models.ImageField(_("photo"), upload_to=_photo_path, max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    superseded = models.BooleanField(
        _("replaced by a newer photo"),
        default=False,
        help_text=_("Kept so that reviewers can compare; a correction sent new photos."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    access = AccessPolicy(
        domain=Domain.FIELDWORK, owner_path="submission__submitted_by", personal=True
    )

    class Meta:
        ordering = ["submission_id", "field", "id"]
        verbose_name = _("submission photo")
        verbose_name_plural = _("submission photos")

    def __str__(self) -> str:
        return f"{self.field} #{self.pk}"


class AppliedChange(models.Model):
    """A record that an approved submission created or changed (in any module)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Changed")

    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="applied_changes",
        verbose_name=_("submission"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    description = models.CharField(_("description"), max_length=300)
    at = models.DateTimeField(_("at"), default=timezone.now)

    access = AccessPolicy(
        domain=Domain.FIELDWORK, owner_path="submission__submitted_by", personal=True
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("change made by a submission")
        verbose_name_plural = _("changes made by submissions")
        indexes = [models.Index(fields=["content_type", "object_id"], name="fieldwork_applied_obj")]

    def __str__(self) -> str:
        return self.description

    @property
    def target_url(self) -> str | None:
        """The page of the changed record, when it has one (one query)."""
        target = self.target
        getter = getattr(target, "get_absolute_url", None)
        return getter() if getter else None


# --- What approved submissions create ------------------------------------------------------


class DisasterType(models.TextChoices):
    FLOOD = "banjir", _("Flood (banjir)")
    LANDSLIDE = "tanah_longsor", _("Landslide (tanah longsor)")
    WHIRLWIND = "puting_beliung", _("Whirlwind (puting beliung)")
    FIRE = "kebakaran", _("Fire (kebakaran)")
    EARTHQUAKE = "gempa", _("Earthquake (gempa)")
    OTHER = "lainnya", _("Other")


class DisasterIncident(VersionedModel, TimeStampedModel):
    """A disaster in a village, as approved from a TKSK's report."""

    source_submission = models.OneToOneField(
        Submission,
        on_delete=models.PROTECT,
        related_name="disaster_incident",
        verbose_name=_("from submission"),
    )
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="disaster_incidents",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="disaster_incidents",
        verbose_name=_("desa/kelurahan"),
    )
    location_detail = models.CharField(_("location (kampung, RT/RW)"), max_length=200, blank=True)
    occurred_on = models.DateField(_("date of the incident"), db_index=True)
    disaster_type = models.CharField(_("type"), max_length=20, choices=DisasterType.choices)
    other_type = models.CharField(_("other type"), max_length=100, blank=True)
    description = models.TextField(_("what happened"), blank=True)
    households_affected = models.PositiveIntegerField(_("households affected"), default=0)
    persons_affected = models.PositiveIntegerField(_("persons affected"), default=0)
    dead = models.PositiveIntegerField(_("dead"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    displaced = models.PositiveIntegerField(_("displaced"), default=0)
    infants = models.PositiveIntegerField(_("infants and toddlers"), default=0)
    children = models.PositiveIntegerField(_("children"), default=0)
    elderly = models.PositiveIntegerField(_("elderly"), default=0)
    disabled = models.PositiveIntegerField(_("persons with disabilities"), default=0)
    pregnant = models.PositiveIntegerField(_("pregnant and nursing women"), default=0)
    houses_heavy = models.PositiveIntegerField(_("houses heavily damaged"), default=0)
    houses_moderate = models.PositiveIntegerField(_("houses moderately damaged"), default=0)
    houses_light = models.PositiveIntegerField(_("houses lightly damaged"), default=0)
    urgent_needs = models.JSONField(_("urgent needs"), default=list, blank=True)
    urgent_needs_note = models.CharField(_("other urgent needs"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    history = HistoricalRecords()
    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        district_path="district",
        personal=False,
        personal_fields=("description", "location_detail"),
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("disaster incident")
        verbose_name_plural = _("disaster incidents")
        indexes = [
            models.Index(fields=["district", "occurred_on"], name="fieldwork_disaster_district")
        ]

    def __str__(self) -> str:
        return f"{self.type_label} · {self.village}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:incident_detail", kwargs={"pk": self.pk})

    @property
    def type_label(self) -> str:
        if self.disaster_type == DisasterType.OTHER and self.other_type:
            return self.other_type
        return self.get_disaster_type_display()

    @property
    def houses_damaged(self) -> int:
        return self.houses_heavy + self.houses_moderate + self.houses_light


class ReferralService(models.TextChoices):
    REHABILITATION = "rehabilitation", _("Social rehabilitation")
    HEALTH = "health", _("Health aid (PBI-JK, treatment)")
    RTLH = "rtlh", _("House repair (RTLH)")
    ASSISTANCE = "assistance", _("Social assistance (PKH, sembako)")
    PROTECTION = "protection", _("Protection of children and women")
    DISABILITY = "disability", _("Disability services and assistive devices")
    CIVIL_REGISTRATION = "civil_registration", _("Civil registration (KTP, KK)")
    SHELTER = "shelter", _("Residential care (LKS, panti)")
    OTHER = "other", _("Other")


class Referral(VersionedModel, TimeStampedModel):
    """A case a TKSK referred to a service, with its follow-up."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        IN_PROGRESS = "in_progress", _("In progress")
        SERVED = "served", _("Served")
        NOT_SERVED = "not_served", _("Could not be served")

    CLOSED = (Status.SERVED, Status.NOT_SERVED)

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")
        EMERGENCY = "emergency", _("Emergency")

    source_submission = models.OneToOneField(
        Submission,
        on_delete=models.PROTECT,
        related_name="referral",
        verbose_name=_("from submission"),
    )
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("desa/kelurahan"),
    )
    referred_on = models.DateField(_("referred on"), db_index=True)
    person_name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    situation = models.TextField(_("situation"))
    ppks_category = models.CharField(_("PPKS category"), max_length=200, blank=True)
    service = models.CharField(_("service needed"), max_length=20, choices=ReferralService.choices)
    service_other = models.CharField(_("other service"), max_length=200, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200)
    institution = models.ForeignKey(
        PsksInstitution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("PSKS institution"),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REFERRED
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()
    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        district_path="district",
        personal=True,
        personal_fields=("person_name", "nik", "address", "situation"),
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("case referral")
        verbose_name_plural = _("case referrals")

    def __str__(self) -> str:
        return f"{self.get_service_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:referral_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class ReferralFollowUp(models.Model):
    """What happened to a referral: a step of its follow-up."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="followups", verbose_name=_("referral")
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status after"), max_length=12, choices=Referral.Status.choices)
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    source_submission = models.OneToOneField(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral_followup",
        verbose_name=_("from submission"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        district_path="referral__district",
        personal=True,
        personal_fields=("note",),
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("referral follow-up")
        verbose_name_plural = _("referral follow-ups")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:referral_detail", kwargs={"pk": self.referral_id})


class ActivityType(models.TextChoices):
    IDENTIFICATION = "identification", _("Identifying PPKS and PSKS")
    VERIFICATION = "verification", _("Verifying and validating data (DTSEN)")
    AID_DISTRIBUTION = "aid_distribution", _("Accompanying aid distribution")
    REFERRAL = "referral", _("Case referral and assistance")
    DISASTER = "disaster", _("Disaster response")
    OUTREACH = "outreach", _("Outreach and counselling")
    COORDINATION = "coordination", _("Coordination and meetings")
    ADMINISTRATION = "administration", _("Administration and reporting")
    OTHER = "other", _("Other")


class ActivityEntry(TimeStampedModel):
    """One entry of a TKSK's daily journal; the monthly report is assembled from them."""

    tksk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activity_entries",
        verbose_name=_("TKSK"),
    )
    client_key = models.UUIDField(_("sending key"))
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="activity_entries",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_entries",
        verbose_name=_("desa/kelurahan"),
    )
    date = models.DateField(_("date"), db_index=True)
    activity_type = models.CharField(_("activity"), max_length=20, choices=ActivityType.choices)
    description = models.TextField(_("what was done"))
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    photo = models.ImageField(_("photo"), upload_to=_photo_path, max_length=200, blank=True)
    report = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_entries",
        verbose_name=_("monthly report"),
    )

    access = AccessPolicy(
        domain=Domain.FIELDWORK,
        owner_path="tksk",
        personal=True,
        personal_fields=("description",),
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity entries")
        constraints = [
            models.UniqueConstraint(fields=["tksk", "client_key"], name="fieldwork_activity_key")
        ]
        indexes = [models.Index(fields=["tksk", "date"], name="fieldwork_activity_tksk_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_activity_type_display()}"


# Module-level names of nested choices, for the API schema's enum names (settings.py).
SubmissionStatus = Submission.Status
ReferralStatus = Referral.Status
