"""Indonesian administrative regions with their Kemendagri codes.

The code is the primary key everywhere (``36.02.14.2003``), so that imports and APIs can use
the official code directly and a region's parents can be read from its code. Codes are not
contiguous: nothing may assume a range of codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import AccessPolicy


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    access = AccessPolicy(domain="regions", personal=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")
        KOTA = "kota", _("City (kota)")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    access = AccessPolicy(domain="regions", personal=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A kecamatan."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("regency")
    )
    name = models.CharField(_("name"), max_length=100)

    access = AccessPolicy(domain="regions", personal=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district (kecamatan)")
        verbose_name_plural = _("districts (kecamatan)")

    def __str__(self) -> str:
        return self.name

    @property
    def nik_prefix(self) -> str:
        """The six digits a NIK registered in this kecamatan starts with."""
        return self.code.replace(".", "")


class Village(models.Model):
    """A desa or kelurahan."""

    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
        DESA = "desa", _("Village (desa)")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("district (kecamatan)"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    access = AccessPolicy(domain="regions", personal=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("village (desa/kelurahan)")
        verbose_name_plural = _("villages (desa/kelurahan)")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def kind_for_code(code: str) -> str:
        """A village number starting with 1 is a kelurahan, with 2 a desa (Kemendagri)."""
        return (
            Village.Kind.KELURAHAN if code.rsplit(".", 1)[-1].startswith("1") else Village.Kind.DESA
        )
