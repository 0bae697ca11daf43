"""Shared building blocks (abstract models) and the project-wide records: the agency profile
and background jobs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import AccessPolicy, Role


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing")
    VALID_ONLY = "valid", _("Save the valid rows, return the others")


class ImportRecord(TimeStampedModel):
    """What every file import keeps (the registry's ``ImportBatch``, the programs'
    ``ProgramImport``): who sent which file, how it was to be saved, the job that ran it and the
    row counts. Each subclass adds its statuses, its counts of what changed and its two files
    (the check report and the refused rows)."""

    Mode = ImportMode

    file_name = models.CharField(_("file name"), max_length=255)
    mode = models.CharField(
        _("mode"), max_length=5, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    job = models.ForeignKey(
        "welfare.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("background job"),
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_rows = models.PositiveIntegerField(_("invalid rows"), default=0)
    problems = models.PositiveIntegerField(_("problems"), default=0)
    committed_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class VersionedModel(models.Model):
    """Optimistic locking: every save through ``welfare.concurrency`` bumps ``version``.

    A form or API request carries the version it was based on; if the row has moved on in the
    meantime, the save is refused (see ``welfare.concurrency.check_version``).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class SoftDeleteModel(models.Model):
    """Records that are deleted by marking them, so that they can be restored."""

    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, db_index=True)
    deleted_reason = models.CharField(_("reason for deletion"), max_length=255, blank=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Agency(VersionedModel, TimeStampedModel):
    """The office running this installation (one row). Used on the cover and the running
    header of every report, and in the page header."""

    name = models.CharField(_("agency name"), max_length=200, default="Dinas Sosial")
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("regency"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    head_name = models.CharField(_("name of the head of office"), max_length=200, blank=True)
    head_nip = models.CharField(_("NIP of the head of office"), max_length=30, blank=True)
    head_title = models.CharField(_("title of the head of office"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="agency/", blank=True)

    history = HistoricalRecords()
    access = AccessPolicy(domain="admin", personal=False)

    class Meta:
        verbose_name = _("agency profile")
        verbose_name_plural = _("agency profile")

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """A long piece of work (an import, a report) run by the background worker.

    The task itself is thin (``welfare.tasks.run_job``); the work is a handler registered for
    ``kind`` in ``welfare.jobs``. Progress while running lives in the cache so that it is seen
    across processes even while the job's own transaction is open.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    input_file = models.FileField(
        _("input file"), upload_to="jobs/input/%Y/%m/", blank=True, max_length=300
    )
    result_file = models.FileField(
        _("result file"), upload_to="jobs/result/%Y/%m/", blank=True, max_length=300
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=100, blank=True)
    worker = models.CharField(
        _("worker"), max_length=200, blank=True, help_text="host:pid of the worker running it"
    )
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name=_("retry of"),
    )

    # Everyone sees the jobs they started; administrators and auditors see all.
    access = AccessPolicy(
        domain="jobs",
        owner_path="created_by",
        owner_scoped_roles=frozenset(set(Role) - {Role.ADMIN, Role.AUDITOR}),
        personal=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.INTERRUPTED}
