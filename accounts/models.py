"""Users, their role, their bidang and, for a TKSK, the kecamatan they work in."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from welfare.models import VersionedModel

from .access import AccessPolicy, Role


class Bidang(models.Model):
    """A division of the office (Sekretariat, Pemberdayaan Sosial, ...)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    access = AccessPolicy(domain="admin", personal=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("division (bidang)")
        verbose_name_plural = _("divisions (bidang)")

    def __str__(self) -> str:
        return self.name


class User(VersionedModel, AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OPERATOR)
    bidang = models.ForeignKey(
        Bidang,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("division (bidang)"),
    )
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("kecamatan (for a TKSK)"),
    )
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    access = AccessPolicy(domain="admin", personal=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.role == Role.TKSK and not self.district_id:
            errors["district"] = _("A TKSK must be assigned to a kecamatan.")
        if self.role != Role.TKSK and self.district_id:
            errors["district"] = _("Only a TKSK is limited to a kecamatan.")
        if self.nip:
            from welfare.validators import validate_nip

            try:
                self.nip = validate_nip(self.nip)
            except ValidationError as exc:
                errors["nip"] = exc.messages
        if self.role in (Role.KEPALA_BIDANG, Role.OPERATOR) and not self.bidang_id:
            errors["bidang"] = _(
                "A head of division or an operator belongs to a division (bidang)."
            )
        if errors:
            raise ValidationError(errors)
