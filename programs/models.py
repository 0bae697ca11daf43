"""Social assistance programs: the catalogue, enrollment, KUBE groups, stages and disbursements.

* ``Program``: code, name, level and funding, the bidang responsible, the unit enrolled (person,
  household or group), the benefit (kind, amount per stage, schedule) and the eligibility rules
  (PPKS categories, desil at most N, age band, disability severity, household composition).
* ``ProgramQuota``: a yearly quota per kecamatan (``village`` empty) or per desa.
* ``Stage``: a tahap (or a month) of a program year.
* ``Enrollment``: a person, household or group in a program for a period, with its status, the
  decree (SK penetapan), the reason for leaving, an override of the eligibility rules by a Kepala
  Bidang (with the justification kept) and the recipient it replaced.
* ``Disbursement``: one payment of an enrollment in a stage (planned, paid, channel, status).
* ``KubeGroup`` / ``KubeMember`` / ``KubeBusinessReport``: Kelompok Usaha Bersama.

``program``, ``district`` and ``village`` are copied onto enrollments and disbursements (and
``year`` onto disbursements) so that statistics aggregate one table at district scale.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.access import AccessPolicy, Domain
from welfare.models import ImportRecord, TimeStampedModel, VersionedModel


class SummarizedQuerySet(models.QuerySet):
    """Bulk writes of enrollments and disbursements refresh the figures they touch
    (``programs.summary``), once per statement: ``update``, ``bulk_create``, ``bulk_update`` and
    ``delete`` behave as Django's and keep ``EnrollmentSummary``/``DisbursementSummary`` true."""

    def _summary_keys(self) -> set[tuple]:
        from . import summary

        fields = summary.ENROLLMENT_KEY if self.model is Enrollment else summary.DISBURSEMENT_KEY
        return set(self.order_by().values_list(*fields).distinct())

    def _summary_touched(self, keys) -> None:
        from . import summary

        if self.model is Enrollment:
            summary.enrollments_touched(keys)
        else:
            summary.disbursements_touched(keys)

    def update(self, **kwargs):
        from . import summary

        with summary.batch():
            keys = self._summary_keys()
            rows = super().update(**kwargs)
            fields = (
                summary.ENROLLMENT_KEY if self.model is Enrollment else summary.DISBURSEMENT_KEY
            )
            moved = {f.removesuffix("_id") for f in fields} | set(fields)
            if moved & set(kwargs):
                # The rows left their slice: refresh the programs involved whole.
                programs = {key[0] for key in keys} | {
                    kwargs.get("program_id", getattr(kwargs.get("program"), "pk", None))
                }
                for program_id in programs - {None}:
                    if self.model is Enrollment:
                        summary.enrollments_refresh(program_id=program_id)
                    else:
                        summary.disbursements_refresh(program_id=program_id)
            self._summary_touched(keys)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from . import summary

        with summary.batch():
            created = super().bulk_create(objs, *args, **kwargs)
            self._summary_touched({summary.key_of(obj) for obj in created})
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        from . import summary

        objs = list(objs)
        with summary.batch():
            rows = super().bulk_update(objs, fields, *args, **kwargs)
            keys = {summary.key_of(obj) for obj in objs}
            keys |= {obj._summary_key for obj in objs if getattr(obj, "_summary_key", None)}
            self._summary_touched(keys)
        return rows

    bulk_update.alters_data = True

    def delete(self):
        from . import summary

        # Each row deleted (and cascaded) is noted by the post_delete receiver; refreshed once.
        with summary.batch():
            return super().delete()

    delete.alters_data = True


class SummarizedModel:
    """Remembers the slice a row was loaded in (program, desa...), so that a save moving it
    refreshes the slice it left too; a delete refreshes once whatever it cascades to."""

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        from . import summary

        instance = super().from_db(db, field_names, values, **kwargs)
        instance._summary_key = summary.key_of(instance)
        return instance

    def delete(self, *args, **kwargs):
        from . import summary

        with summary.batch():
            return super().delete(*args, **kwargs)


class Level(models.TextChoices):
    NATIONAL = "nasional", _("National")
    PROVINCE = "provinsi", _("Province")
    DISTRICT = "kabupaten", _("District (kabupaten)")


class Funding(models.TextChoices):
    APBN = "apbn", _("APBN")
    APBD_PROVINCE = "apbd_provinsi", _("APBD provinsi")
    APBD_DISTRICT = "apbd_kabupaten", _("APBD kabupaten")
    CSR = "csr", _("CSR")


class Unit(models.TextChoices):
    PERSON = "person", _("Person")
    HOUSEHOLD = "household", _("Household")
    GROUP = "group", _("Group")


class BenefitKind(models.TextChoices):
    CASH = "tunai", _("Cash")
    FOOD = "pangan", _("Food")
    GOODS = "barang", _("Goods")
    SERVICE = "layanan", _("Service")
    CAPITAL = "modal_usaha", _("Business capital")


class Schedule(models.TextChoices):
    MONTHLY = "bulanan", _("Monthly")
    STAGED = "tahap", _("Per stage (tahap)")
    ONCE = "sekali", _("Once")


class Composition(models.TextChoices):
    """Members a household must include (any of those a program lists)."""

    TODDLER = "balita", _("a child under 6")
    SCHOOL_CHILD = "anak_sekolah", _("a school-age child (6-18)")
    ELDERLY = "lansia", _("an elderly member (60+)")
    DISABLED = "disabilitas", _("a member with a disability")


SEVERITY_ORDER = {"ringan": 1, "sedang": 2, "berat": 3}


# Words the program pages and the API use as paths next to /<code>/.
RESERVED_PROGRAM_CODES = frozenset({"penerima", "sasaran", "kube", "impor", "imports"})


def validate_program_code(value: str) -> None:
    if value.lower() in RESERVED_PROGRAM_CODES:
        raise ValidationError(
            _("%(code)s is a word the application uses in its addresses; choose another code."),
            params={"code": value},
        )


class Program(VersionedModel, TimeStampedModel):
    code = models.SlugField(
        _("code"), max_length=30, unique=True, validators=[validate_program_code]
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices)
    funding_note = models.CharField(
        _("budget line"), max_length=200, blank=True, help_text=_("e.g. Belanja Tidak Terduga")
    )
    bidang = models.ForeignKey(
        "accounts.Bidang",
        verbose_name=_("division (bidang)"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    benefit = models.CharField(_("benefit"), max_length=12, choices=BenefitKind.choices)
    amount_per_stage = models.DecimalField(
        _("amount per stage (Rp)"), max_digits=14, decimal_places=2, default=0
    )
    schedule = models.CharField(_("schedule"), max_length=8, choices=Schedule.choices)
    stages_per_year = models.PositiveSmallIntegerField(_("stages per year"), default=1)
    # Eligibility rules (empty = no rule).
    categories = models.ManyToManyField(
        "beneficiaries.PpksCategory",
        verbose_name=_("PPKS categories (any of)"),
        blank=True,
        related_name="programs",
    )
    max_desil = models.PositiveSmallIntegerField(_("desil at most"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    min_disability_severity = models.CharField(
        _("disability severity at least"),
        max_length=8,
        blank=True,
        choices=[("ringan", _("Mild")), ("sedang", _("Moderate")), ("berat", _("Severe"))],
    )
    composition = models.JSONField(_("household composition (any of)"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    access = AccessPolicy(domain=Domain.PROGRAMS, bidang_path="bidang", personal=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.code])

    def composition_labels(self) -> list[str]:
        labels = dict(Composition.choices)
        return [str(labels.get(c, c)) for c in self.composition]


class ProgramQuota(models.Model):
    """How many may be enrolled in a year, in a kecamatan (no village) or a desa."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        "regions.District", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quota = models.PositiveIntegerField(_("quota"))

    history = HistoricalRecords()
    access = AccessPolicy(
        domain=Domain.PROGRAMS,
        district_path="district",
        bidang_path="program__bidang",
        personal=False,
    )

    class Meta:
        ordering = ["program", "year", "district", "village"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "district"],
                condition=Q(village__isnull=True),
                name="quota_one_per_district",
            ),
            models.UniqueConstraint(
                fields=["program", "year", "village"],
                condition=Q(village__isnull=False),
                name="quota_one_per_village",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.year} {self.village_id or self.district_id}: {self.quota}"


class Stage(models.Model):
    """A tahap (or a month) of a program year."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="stages", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("stage"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)

    history = HistoricalRecords()
    access = AccessPolicy(domain=Domain.PROGRAMS, bidang_path="program__bidang", personal=False)

    class Meta:
        ordering = ["program", "year", "number"]
        verbose_name = _("stage (tahap)")
        verbose_name_plural = _("stages (tahap)")
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "number"], name="stage_unique"),
        ]

    def __str__(self) -> str:
        return self.name or _("Tahap %(n)s %(year)s") % {"n": self.number, "year": self.year}


class KubeGroup(VersionedModel, TimeStampedModel):
    """A Kelompok Usaha Bersama: about ten poor families running a business together."""

    class BusinessState(models.TextChoices):
        STARTING = "rintisan", _("Starting")
        GROWING = "berkembang", _("Growing")
        STABLE = "tetap", _("Stable")
        DECLINING = "menurun", _("Declining")
        STOPPED = "berhenti", _("Stopped")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=150)
    district = models.ForeignKey(
        "regions.District", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    business_type = models.CharField(_("business type"), max_length=150)
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    capital_received = models.DecimalField(
        _("capital received (Rp)"), max_digits=14, decimal_places=2, default=0
    )
    state = models.CharField(
        _("business state"),
        max_length=12,
        choices=BusinessState.choices,
        default=BusinessState.STARTING,
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    access = AccessPolicy(
        domain=Domain.PROGRAMS,
        district_path="district",
        bidang_path="program__bidang",
        personal=False,
    )

    class Meta:
        ordering = ["district", "village", "name"]
        verbose_name = _("KUBE group")
        verbose_name_plural = _("KUBE groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:group_detail", args=[self.pk])


class KubeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "ketua", _("Chair")
        SECRETARY = "sekretaris", _("Secretary")
        TREASURER = "bendahara", _("Treasurer")
        MEMBER = "anggota", _("Member")

    group = models.ForeignKey(
        KubeGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("KUBE group")
    )
    household = models.ForeignKey(
        "beneficiaries.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="kube_memberships",
    )
    role = models.CharField(
        pgettext_lazy("KUBE member", "role"),
        max_length=12,
        choices=Role.choices,
        default=Role.MEMBER,
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()
    access = AccessPolicy(domain=Domain.PROGRAMS, district_path="group__district", personal=True)

    class Meta:
        ordering = ["group", "role", "pk"]
        verbose_name = _("KUBE member")
        verbose_name_plural = _("KUBE members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "household"],
                condition=Q(left_on__isnull=True),
                name="kube_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.household_id}"


class KubeBusinessReport(models.Model):
    """The state of a group's business on a date (monitoring over time)."""

    group = models.ForeignKey(
        KubeGroup, on_delete=models.CASCADE, related_name="reports", verbose_name=_("KUBE group")
    )
    reported_on = models.DateField(_("date"))
    state = models.CharField(
        _("business state"), max_length=12, choices=KubeGroup.BusinessState.choices
    )
    revenue = models.DecimalField(
        _("monthly revenue (Rp)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets = models.DecimalField(
        _("assets (Rp)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()
    access = AccessPolicy(domain=Domain.PROGRAMS, district_path="group__district", personal=False)

    class Meta:
        ordering = ["group", "-reported_on"]
        verbose_name = _("business report")
        verbose_name_plural = _("business reports")

    def __str__(self) -> str:
        return f"{self.group_id} {self.reported_on}"


class ExitReason(models.TextChoices):
    DIED = "meninggal", _("Died")
    MOVED = "pindah", _("Moved away")
    DOUBLE_NIK = "nik_ganda", _("Double NIK")
    NOT_FOUND = "tidak_ditemukan", _("Not found")
    NOT_ELIGIBLE = "tidak_memenuhi_syarat", _("No longer eligible")
    GRADUATED = "graduasi_mandiri", _("Graduated (self-reliant)")


class Enrollment(SummarizedModel, VersionedModel, TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "usulan", _("Proposed")
        VERIFIED = "terverifikasi", _("Verified")
        ACTIVE = "aktif", _("Active")
        SUSPENDED = "ditangguhkan", _("Suspended")
        EXITED = "keluar", _("Exited")
        GRADUATED = "graduasi", _("Graduated")

    OPEN_STATUSES = ("usulan", "terverifikasi", "aktif", "ditangguhkan")
    CLOSED_STATUSES = ("keluar", "graduasi")
    # Allowed moves of the status.
    TRANSITIONS = {
        "usulan": ("terverifikasi", "keluar"),
        "terverifikasi": ("aktif", "keluar"),
        "aktif": ("ditangguhkan", "keluar", "graduasi"),
        "ditangguhkan": ("aktif", "keluar", "graduasi"),
        "keluar": (),
        "graduasi": (),
    }

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="enrollments"
    )
    person = models.ForeignKey(
        "beneficiaries.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    household = models.ForeignKey(
        "beneficiaries.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    group = models.ForeignKey(
        KubeGroup,
        verbose_name=pgettext_lazy("KUBE", "group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    district = models.ForeignKey(
        "regions.District", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PROPOSED
    )
    decree_number = models.CharField(_("decree (SK penetapan) number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=24, choices=ExitReason.choices, blank=True
    )
    exit_date = models.DateField(_("left on"), null=True, blank=True)
    exit_note = models.TextField(_("note on leaving"), blank=True)
    override_justification = models.TextField(_("justification of the override"), blank=True)
    override_failures = models.JSONField(_("rules overridden"), default=list, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = SummarizedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    access = AccessPolicy(
        domain=Domain.PROGRAMS,
        district_path="district",
        bidang_path="program__bidang",
        personal=True,
        personal_fields=("person", "household"),
    )

    class Meta:
        ordering = ["program", "village", "pk"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        indexes = [
            models.Index(fields=["program", "status", "village"], name="enrollment_stats_idx"),
            models.Index(fields=["household", "status"], name="enrollment_household_idx"),
            models.Index(fields=["person", "status"], name="enrollment_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, household__isnull=True, group__isnull=True)
                    | Q(person__isnull=True, household__isnull=False, group__isnull=True)
                    | Q(person__isnull=True, household__isnull=True, group__isnull=False)
                ),
                name="enrollment_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=Q(status__in=["usulan", "terverifikasi", "aktif", "ditangguhkan"]),
                name="enrollment_open_person",
            ),
            models.UniqueConstraint(
                fields=["program", "household"],
                condition=Q(status__in=["usulan", "terverifikasi", "aktif", "ditangguhkan"]),
                name="enrollment_open_household",
            ),
            models.UniqueConstraint(
                fields=["program", "group"],
                condition=Q(status__in=["usulan", "terverifikasi", "aktif", "ditangguhkan"]),
                name="enrollment_open_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("programs:enrollment_detail", args=[self.pk])

    @property
    def recipient(self):
        return self.person or self.household or self.group

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Channel(models.TextChoices):
    BANK = "bank", _("Bank")
    POS = "pos", _("Pos")
    EWARONG = "e_warong", _("e-Warong")
    CASH = "tunai", _("Cash")


class Disbursement(SummarizedModel, TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "direncanakan", _("Planned")
        PAID = "disalurkan", _("Paid")
        FAILED = "gagal", _("Failed")
        POSTPONED = "ditunda", _("Postponed")

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="disbursements",
        verbose_name=_("enrollment"),
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="disbursements"
    )
    # Copies for statistics (one table, no join): program, year, kecamatan, desa.
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district (kecamatan)"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village (desa/kelurahan)"),
    )
    planned_amount = models.DecimalField(
        _("planned amount (Rp)"), max_digits=14, decimal_places=2, default=0
    )
    paid_amount = models.DecimalField(
        _("paid amount (Rp)"), max_digits=14, decimal_places=2, default=0
    )
    paid_on = models.DateField(_("date"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PLANNED
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    reference = models.CharField(_("transaction reference"), max_length=60, blank=True)
    import_batch = models.CharField(_("import"), max_length=60, blank=True)

    objects = SummarizedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    access = AccessPolicy(
        domain=Domain.PROGRAMS,
        district_path="district",
        bidang_path="program__bidang",
        personal=True,
    )

    class Meta:
        ordering = ["stage", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        indexes = [
            # Covering: the statistics read only the index (measured in benchmarks/).
            models.Index(
                fields=["program", "year", "stage", "village"],
                include=["district", "enrollment", "status", "paid_amount", "planned_amount"],
                name="disbursement_stats_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "stage"], name="disbursement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.stage_id}: {self.status}"


class ProgramImport(ImportRecord):
    """One import of a program file, run as a background job: the results a bank or Pos returns
    (``disbursements``) or a list of recipients to enroll in one program (``enrollments``). It
    keeps the counts, the check report (row, column, message) and the file of refused rows.

    Disbursements an import changed carry its id in ``Disbursement.import_batch``."""

    class Kind(models.TextChoices):
        DISBURSEMENTS = "disbursements", _("Disbursement results from a bank or Pos")
        ENROLLMENTS = "enrollments", _("Recipients to enroll in a program")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CHECKED = "checked", _("Checked")
        COMMITTED = "committed", _("Saved")
        REFUSED = "refused", _("Not saved")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
    )
    # The bidang that owns the record: the program's (enrollments) or the importer's (results).
    bidang = models.ForeignKey(
        "accounts.Bidang",
        verbose_name=_("division (bidang)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commit = models.BooleanField(_("save asked"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    saved = models.PositiveIntegerField(_("rows saved"), default=0)
    # The first problems, shown on the import's page (the report file has them all).
    first_problems = models.JSONField(_("first problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    report_file = models.FileField(
        _("check report"), upload_to="programs/imports/%Y/%m/", blank=True, max_length=300
    )
    rejected_file = models.FileField(
        _("rejected rows"), upload_to="programs/imports/%Y/%m/", blank=True, max_length=300
    )

    access = AccessPolicy(
        domain=Domain.PROGRAMS, bidang_path="bidang", personal=True, tksk_visible=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("program import")
        verbose_name_plural = _("program imports")

    def get_absolute_url(self) -> str:
        return reverse("programs:import_detail", args=[self.pk])


# --- Figures kept per desa (derived; see programs/summary.py) ----------------------------------


class EnrollmentSummary(models.Model):
    """Enrollments counted per program, desa, status and the years their period starts and ends
    (``end_year`` empty: open-ended). "Enrolled in year Y" is ``start_year <= Y`` and
    (``end_year`` empty or ``>= Y``), exactly the selectors' ``in_year``. Derived: rewritten by
    ``programs.summary`` on every write of an enrollment, never edited."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.District", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Village", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=14, choices=Enrollment.Status.choices)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField()

    access = AccessPolicy(
        domain=Domain.PROGRAMS,
        district_path="district",
        bidang_path="program__bidang",
        personal=False,
    )

    class Meta:
        verbose_name = _("enrollment figures")
        verbose_name_plural = _("enrollment figures")
        indexes = [
            models.Index(fields=["program", "village"], name="enrollment_summary_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.village_id} {self.status}: {self.count}"


class DisbursementSummary(models.Model):
    """Per program, year, stage and desa: recipients (disbursements planned), paid (count),
    amounts paid and planned. A row with no ``stage`` is the year: each enrollment counted
    once (recipients = enrollments with a disbursement in any stage of the year, paid = those
    with one paid). Derived: rewritten by ``programs.summary`` on every write of a
    disbursement, never edited."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey("regions.District", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Village", on_delete=models.PROTECT, related_name="+")
    recipients = models.PositiveIntegerField()
    paid_count = models.PositiveIntegerField()
    paid_amount = models.DecimalField(max_digits=18, decimal_places=2)
    planned_amount = models.DecimalField(max_digits=18, decimal_places=2)

    access = AccessPolicy(
        domain=Domain.PROGRAMS,
        district_path="district",
        bidang_path="program__bidang",
        personal=False,
    )

    class Meta:
        verbose_name = _("disbursement figures")
        verbose_name_plural = _("disbursement figures")
        indexes = [
            models.Index(fields=["program", "year", "stage", "village"], name="disb_summary_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.year} {self.stage_id or '-'} {self.village_id}"


class TargetingSummary(models.Model):
    """Per desa and program (empty: any program): households of the desa in desil 1-4 (active,
    not deleted), those of them covered by a current enrollment, and active enrollments of the
    desa whose household is in desil 6-10; a kecamatan's figures are the sums of its desa.
    Derived: recomputed by ``programs.targeting`` when read after a write marked the desa out
    of date, never edited."""

    district = models.ForeignKey("regions.District", on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey("regions.Village", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    households = models.PositiveIntegerField()
    covered = models.PositiveIntegerField()
    inclusion = models.PositiveIntegerField()

    access = AccessPolicy(domain=Domain.PROGRAMS, district_path="district", personal=False)

    class Meta:
        verbose_name = _("targeting figures")
        verbose_name_plural = _("targeting figures")
        indexes = [models.Index(fields=["program", "district"], name="targeting_summary_idx")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.program_id or '*'}"


class TargetingStale(models.Model):
    """A desa whose ``TargetingSummary`` rows are out of date (empty: every desa)."""

    village = models.ForeignKey(
        "regions.Village", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    access = AccessPolicy(domain=Domain.PROGRAMS, district_path="village__district", personal=False)

    class Meta:
        verbose_name = _("targeting figures out of date")
        verbose_name_plural = _("targeting figures out of date")

    def __str__(self) -> str:
        return self.village_id or "*"
