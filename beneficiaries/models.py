"""The PPKS registry: households (by No. KK), persons (by NIK), PPKS categories and DTSEN desil.

* ``PpksCategory``: the 26 kinds of Pemerlu Pelayanan Kesejahteraan Sosial, seeded as data with
  their rules (age band, sex, disability required, unit), since the ministry changes them.
* ``Household``: a family by its No. KK, in a village, with its DTSEN desil; ``DesilRecord`` keeps
  every desil a household had (each DTSEN update, or a correction).
* ``Person``: a person by NIK, usually a member of a household; deceased persons stay.
* ``CategoryPlacement``: a person or a household placed in a PPKS category, with its status
  (teridentifikasi -> terverifikasi -> ditangani -> selesai/keluar), source and dates.

``district`` and ``village`` are stored on persons and placements as well as on households so
that region scope and statistics filter one table at district scale (1.2 million persons).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import AccessPolicy, Domain
from welfare.models import ImportRecord, SoftDeleteModel, TimeStampedModel, VersionedModel

desil_validators = [MinValueValidator(1), MaxValueValidator(10)]


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class DisabilitySeverity(models.TextChoices):
    MILD = "ringan", _("Mild")
    MODERATE = "sedang", _("Moderate")
    SEVERE = "berat", _("Severe")


class Relationship(models.TextChoices):
    """Status hubungan dalam keluarga, as on the family card (Dukcapil)."""

    HEAD = "kepala", _("Head of family")
    SPOUSE = "pasangan", _("Husband or wife")
    CHILD = "anak", _("Child")
    CHILD_IN_LAW = "menantu", _("Son or daughter-in-law")
    GRANDCHILD = "cucu", _("Grandchild")
    PARENT = "orang_tua", _("Parent")
    PARENT_IN_LAW = "mertua", _("Parent-in-law")
    OTHER_FAMILY = "famili", _("Other relative")
    HOUSEHOLD_HELP = "pembantu", _("Household help")
    OTHER = "lainnya", _("Other")


class Source(models.TextChoices):
    TKSK = "tksk", _("TKSK report")
    DTSEN = "dtsen", _("DTSEN import")
    WALK_IN = "walk_in", _("Walk-in")
    REFERRAL = "referral", _("Referral")
    IMPORT = "import", _("District import")
    OTHER = "other", _("Other")


class PpksCategory(models.Model):
    """A kind of PPKS with the rules checked when a person or household is placed in it."""

    class Unit(models.TextChoices):
        PERSON = "person", _("Person")
        HOUSEHOLD = "household", _("Household")
        BOTH = "both", _("Person or household")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), default=0)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PERSON)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=Sex.choices,
        blank=True,
        help_text=_("Leave empty when the category is open to both sexes."),
    )
    requires_disability = models.BooleanField(_("requires a disability type"), default=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories take no new placements.")
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    access = AccessPolicy(domain=Domain.REGISTRY, personal=False)

    class Meta:
        ordering = ["number", "name"]
        verbose_name = _("PPKS category")
        verbose_name_plural = _("PPKS categories")

    def __str__(self) -> str:
        return self.name


class Household(VersionedModel, TimeStampedModel, SoftDeleteModel):
    """A family (keluarga) identified by its No. KK."""

    class Status(models.TextChoices):
        ACTIVE = "aktif", _("Active")
        MOVED = "pindah", _("Moved away")
        NOT_FOUND = "tidak_ditemukan", _("Not found")
        INACTIVE = "nonaktif", _("Inactive")

    # Unique by a constraint in Meta, not ``unique=True``: that would add a pattern-ops index
    # (for LIKE) besides the unique one, and No. KK is only ever looked up whole.
    no_kk = models.CharField(_("family card number (No. KK)"), max_length=16)
    # No single-column indexes on the region keys: household_region_idx serves kecamatan
    # filters and household_village_idx the desa ones (the default ForeignKey index would add a
    # second, pattern-ops index per key that nothing uses, and every import pays for each).
    district = models.ForeignKey(
        "regions.District",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="households",
        db_index=False,
    )
    village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="households",
        db_index=False,
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    desil = models.PositiveSmallIntegerField(
        _("DTSEN desil"), null=True, blank=True, validators=desil_validators
    )
    desil_date = models.DateField(_("desil as of"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.OTHER
    )
    notes = models.TextField(_("notes"), blank=True)
    # Shown on the record's page, never searched by: no index (an indexed column that every
    # import rewrites would also rule out PostgreSQL's in-place "HOT" updates).
    import_batch = models.ForeignKey(
        "beneficiaries.ImportBatch",
        verbose_name=_("last import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    # SoftDeleteModel's field without its full index: the deleted rows are few and
    # ``*_deleted_idx`` (Meta) indexes only them.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    access = AccessPolicy(
        domain=Domain.REGISTRY,
        district_path="district",
        personal=True,
        personal_fields=("no_kk", "address", "rt", "rw"),
    )

    class Meta:
        ordering = ["village_id", "no_kk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["district", "village"], name="household_region_idx"),
            models.Index(fields=["village"], name="household_village_idx"),
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="household_deleted_idx",
            ),
            models.Index(fields=["desil"], name="household_desil_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["no_kk"], name="household_no_kk_unique"),
            models.CheckConstraint(
                condition=Q(desil__isnull=True) | Q(desil__gte=1, desil__lte=10),
                name="household_desil_1_10",
            ),
        ]

    def __str__(self) -> str:
        return self.no_kk

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:household_detail", args=[self.pk])


class DesilRecord(models.Model):
    """One desil a household held from a date (every DTSEN update or correction)."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="desil_records",
        verbose_name=_("household"),
    )
    desil = models.PositiveSmallIntegerField(_("DTSEN desil"), validators=desil_validators)
    as_of = models.DateField(_("as of"))
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.DTSEN
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    access = AccessPolicy(
        domain=Domain.REGISTRY, district_path="household__district", personal=True
    )

    class Meta:
        ordering = ["household", "-as_of"]
        verbose_name = _("desil record")
        verbose_name_plural = _("desil records")
        constraints = [
            models.UniqueConstraint(fields=["household", "as_of"], name="desil_record_unique_date"),
            models.CheckConstraint(
                condition=Q(desil__gte=1, desil__lte=10), name="desil_record_desil_1_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.desil} ({self.as_of})"


class Person(VersionedModel, TimeStampedModel, SoftDeleteModel):
    """A person identified by NIK."""

    nik = models.CharField(_("NIK"), max_length=16)  # unique: see Meta (and Household.no_kk)
    name = models.CharField(_("name"), max_length=150)
    # Upper case, single spaces, letters only: what duplicate detection compares.
    name_normalized = models.CharField(_("normalised name"), max_length=150, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    relationship = models.CharField(
        _("relationship to the head"),
        max_length=12,
        choices=Relationship.choices,
        blank=True,
    )
    # Copied from the household (or set for a person without one) for scope and statistics.
    # Indexed by person_region_idx, person_active_list_idx and person_village_idx only (see
    # Household).
    district = models.ForeignKey(
        "regions.District",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="persons",
        db_index=False,
    )
    village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="persons",
        db_index=False,
    )
    deceased = models.BooleanField(_("deceased"), default=False)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    # Disability types of UU 8/2016 (a person may have several).
    disability_physical = models.BooleanField(_("physical disability"), default=False)
    disability_intellectual = models.BooleanField(_("intellectual disability"), default=False)
    disability_mental = models.BooleanField(_("mental disability"), default=False)
    disability_sensory = models.BooleanField(_("sensory disability"), default=False)
    disability_severity = models.CharField(
        _("disability severity"), max_length=8, choices=DisabilitySeverity.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.OTHER
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        db_index=False,  # person_merged_idx: only the few merged rows are indexed
    )
    notes = models.TextField(_("notes"), blank=True)
    # Shown on the record's page, never searched by: no index (an indexed column that every
    # import rewrites would also rule out PostgreSQL's in-place "HOT" updates).
    import_batch = models.ForeignKey(
        "beneficiaries.ImportBatch",
        verbose_name=_("last import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    # SoftDeleteModel's field without its full index: the deleted rows are few and
    # ``*_deleted_idx`` (Meta) indexes only them.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "name_normalized"])
    access = AccessPolicy(
        domain=Domain.REGISTRY,
        district_path="district",
        personal=True,
        personal_fields=("nik", "name", "birth_place", "birth_date", "phone"),
    )

    class Meta:
        ordering = ["name", "nik"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["district", "village"], name="person_region_idx"),
            models.Index(fields=["name_normalized", "birth_date"], name="person_dupe_idx"),
            models.Index(fields=["village"], name="person_village_idx"),
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="person_merged_idx",
            ),
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="person_deleted_idx",
            ),
            models.Index(fields=["birth_date"], name="person_birth_idx"),
            # The deceased (a few percent): with person_deleted_idx, what the PPKS counts
            # exclude, found without reading the table (beneficiaries.selectors).
            models.Index(fields=["id"], condition=Q(deceased=True), name="person_deceased_idx"),
            # The active list of a kecamatan, in its order: the page and its count read the
            # index only (measured in benchmarks/registry_import.py).
            models.Index(
                fields=["district", "name", "nik"],
                condition=Q(deleted_at__isnull=True, deceased=False, merged_into__isnull=True),
                name="person_active_list_idx",
            ),
            # The count of the active persons (the home dashboard, a kecamatan's list): on
            # district alone the index is a sixth of the list index (key deduplication), and
            # counting the regency's 1,2 million reads it only once the table is vacuumed:
            # 45-72 ms instead of a 203-215 ms scan of the table, which the planner prefers
            # to the wide list index (benchmarks/registry_import.py).
            models.Index(
                fields=["district"],
                condition=Q(deleted_at__isnull=True, deceased=False, merged_into__isnull=True),
                name="person_active_count_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nik"], name="person_nik_unique"),
            models.CheckConstraint(
                condition=Q(deceased=True) | Q(death_date__isnull=True),
                name="person_death_date_only_if_deceased",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:person_detail", args=[self.pk])

    @property
    def has_disability(self) -> bool:
        return (
            self.disability_physical
            or self.disability_intellectual
            or self.disability_mental
            or self.disability_sensory
        )

    def save(self, *args, **kwargs):
        self.name_normalized = normalize_name(self.name)
        super().save(*args, **kwargs)


def normalize_name(name: str) -> str:
    """Upper case, letters and single spaces: 'Siti  Nur-Aisyah ' -> 'SITI NUR AISYAH'."""
    cleaned = "".join(ch if ch.isalpha() else " " for ch in (name or "").upper())
    return " ".join(cleaned.split())


class CategoryPlacement(VersionedModel, TimeStampedModel):
    """A person or a household placed in a PPKS category."""

    class Status(models.TextChoices):
        IDENTIFIED = "teridentifikasi", _("Identified")
        VERIFIED = "terverifikasi", _("Verified")
        HANDLED = "ditangani", _("Being handled")
        COMPLETED = "selesai", _("Completed")
        EXITED = "keluar", _("Exited")

    OPEN_STATUSES = (Status.IDENTIFIED, Status.VERIFIED, Status.HANDLED)
    CLOSED_STATUSES = (Status.COMPLETED, Status.EXITED)

    category = models.ForeignKey(
        PpksCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="placements",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="placements",
    )
    district = models.ForeignKey(
        "regions.District",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="ppks_placements",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IDENTIFIED
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.OTHER
    )
    identified_on = models.DateField(_("identified on"))
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    handled_on = models.DateField(_("handling started on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(_("reason for closing"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    access = AccessPolicy(domain=Domain.REGISTRY, district_path="district", personal=True)

    class Meta:
        ordering = ["category__number", "-identified_on"]
        verbose_name = _("PPKS placement")
        verbose_name_plural = _("PPKS placements")
        indexes = [
            models.Index(fields=["category", "status"], name="placement_category_idx"),
            models.Index(fields=["district", "category"], name="placement_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(household__isnull=True))
                | (Q(person__isnull=True) & Q(household__isnull=False)),
                name="placement_person_xor_household",
            ),
            models.UniqueConstraint(
                fields=["person", "category"],
                condition=Q(status__in=["teridentifikasi", "terverifikasi", "ditangani"]),
                name="placement_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["household", "category"],
                condition=Q(status__in=["teridentifikasi", "terverifikasi", "ditangani"]),
                name="placement_one_open_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ImportBatch(ImportRecord):
    """One import of a district file: its check report, the rows it refused, what it changed.

    Rows an import wrote carry it (``Household.import_batch``, ``Person.import_batch``) so that
    a record's page says which import last changed it; their history entries name it too
    (except the creation of the rows of a district's first load)."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked")
        COMMITTED = "committed", _("Saved")
        REFUSED = "refused", _("Not saved")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKED
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.DTSEN
    )
    households_created = models.PositiveIntegerField(_("households added"), default=0)
    households_updated = models.PositiveIntegerField(_("households changed"), default=0)
    persons_created = models.PositiveIntegerField(_("persons added"), default=0)
    persons_updated = models.PositiveIntegerField(_("persons changed"), default=0)
    report_file = models.FileField(
        _("check report"), upload_to="registry/imports/%Y/%m/", blank=True, max_length=300
    )
    rejected_file = models.FileField(
        _("rejected rows"), upload_to="registry/imports/%Y/%m/", blank=True, max_length=300
    )

    access = AccessPolicy(domain=Domain.REGISTRY, personal=True, tksk_visible=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
