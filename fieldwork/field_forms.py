"""The forms of the field form kinds, and the base they share.

A kind's form validates the payload wherever it comes from (the page, the offline outbox, the
API): dates not in the future, a desa/kelurahan in the TKSK's own kecamatan, photos that are
real images within the size limit, and each kind's own rules. Messages are in Bahasa Indonesia
and name the field. ``to_payload`` turns the cleaned data into plain JSON that can be bound to
the same form again (to correct a returned submission, or to re-check it).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.id import nik as stdnum_nik

from regions.models import District, Village
from regions.selectors import district_exists_for_nik_prefix
from welfare.formatting import format_date, mask_identity_number, mask_name, mask_text
from welfare.forms import BootstrapFormMixin, style_form

from .kinds import PhotoField, SubmissionKind
from .models import (
    DisasterType,
    PsksInstitution,
    Referral,
    ReferralService,
    Sex,
    Submission,
)
from .photos import process_photo

EARLIEST_DATE = datetime.date(2000, 1, 1)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PastDateField(forms.DateField):
    """A date that is not in the future (the phone sets ``max`` to its own today)."""

    widget = forms.DateInput(attrs={"type": "date", "data-max-today": "1"}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value > today:
            raise ValidationError(
                _("%(label)s cannot be in the future (today is %(today)s)."),
                code="future",
                params={"label": self.label, "today": format_date(today)},
            )
        if value < EARLIEST_DATE:
            raise ValidationError(
                _("%(label)s is too far in the past: check the year."),
                code="too_old",
                params={"label": self.label},
            )


class CountField(forms.IntegerField):
    """A count of people or houses: a whole number, 0 or more."""

    def __init__(self, *, label, required=False, **kwargs):
        super().__init__(
            label=label,
            required=required,
            min_value=0,
            max_value=1_000_000,
            initial=0,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        return 0 if value is None else value


class VillageField(forms.ModelChoiceField):
    """A desa/kelurahan of one kecamatan. A village of another kecamatan is refused with a
    message that says where it is."""

    def __init__(self, *, district_code: str | None, **kwargs):
        queryset = Village.objects.filter(district_id=district_code).order_by("name")
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)
        self.district_code = district_code

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display().split(' ')[0]})"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return super().to_python(value)
        except ValidationError:
            other = Village.objects.select_related("district").filter(code=str(value)).first()
            if other is not None:
                own = District.objects.filter(code=self.district_code).first()
                raise ValidationError(
                    _(
                        "%(village)s is in Kecamatan %(district)s, outside your working area "
                        "(Kecamatan %(own)s)."
                    ),
                    code="outside_district",
                    params={
                        "village": other.name,
                        "district": other.district.name,
                        "own": own.name if own else "-",
                    },
                ) from None
            raise ValidationError(
                _("Choose a desa/kelurahan from the list."), code="invalid_choice"
            ) from None


class PhotoInputField(forms.FileField):
    """One or more photos; each is checked and re-encoded (``fieldwork.photos``)."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "data-photo-input": "1"})

    def __init__(self, *, spec: PhotoField, max_bytes: int, existing: int = 0, **kwargs):
        self.spec = spec
        self.max_bytes = max_bytes
        self.existing = existing
        help_text = spec.help_text or ""
        if spec.max_count > 1:
            limit = _("Up to %(count)s photos, each at most %(mb)s MB.") % {
                "count": spec.max_count,
                "mb": max_bytes // (1024 * 1024),
            }
        else:
            limit = _("One photo of at most %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}
        if existing:
            limit += " " + _("Photos you choose now replace the %(count)s sent before.") % {
                "count": existing
            }
        super().__init__(
            label=spec.label,
            required=False,
            help_text=f"{help_text} {limit}".strip(),
            **kwargs,
        )
        if spec.max_count > 1:
            self.widget.attrs["multiple"] = True
        else:
            self.widget = forms.FileInput(attrs={"accept": "image/*", "data-photo-input": "1"})

    def to_python(self, data):
        return data

    def clean(self, data, initial=None):
        if not data:
            files = []
        elif isinstance(data, list | tuple):
            files = [f for f in data if f]
        else:
            files = [data]
        if not files:
            if self.spec.required and not self.existing:
                raise ValidationError(
                    _("%(field)s: add a photo."), code="required", params={"field": self.label}
                )
            return []
        if len(files) > self.spec.max_count:
            raise ValidationError(
                _("%(field)s: at most %(count)s photos."),
                code="too_many",
                params={"field": self.label, "count": self.spec.max_count},
            )
        processed, errors = [], []
        for upload in files:
            try:
                processed.append(
                    process_photo(
                        upload,
                        max_bytes=self.max_bytes,
                        keep_location=self.spec.keep_location,
                        label=str(self.label),
                    )
                )
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return processed


def _plain(value: Any) -> Any:
    """A cleaned value as plain JSON that binds to the same form field again."""
    if value is None:
        return ""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.code if isinstance(value, Village) else value.pk)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)


class FieldForm(BootstrapFormMixin, forms.Form):
    """Base of every kind's form.

    date_field: the field holding the date of what is reported (the submission's date).
    village_field: the desa/kelurahan field (added here, limited to the kecamatan), or None.
    period_field: for a periodic report, the field holding the month.
    personal_fields: fields masked for roles that may not see personal data.
    """

    date_field: str = ""
    village_field: str | None = "village"
    village_required: bool = True
    period_field: str | None = None
    personal_fields: tuple[str, ...] = ()
    field_order: list[str] | None = None

    def __init__(
        self,
        data=None,
        files=None,
        *,
        kind: SubmissionKind,
        user,
        district_code: str | None,
        submission=None,
        existing_photos: dict[str, int] | None = None,
        max_photo_bytes: int | None = None,
        **kwargs,
    ):
        super().__init__(data, files, **kwargs)
        self.kind = kind
        self.user = user
        self.district_code = district_code
        self.submission = submission
        if self.village_field:
            self.fields[self.village_field] = VillageField(
                district_code=district_code,
                required=self.village_required,
                label=gettext_lazy("Desa/kelurahan"),
                empty_label=gettext_lazy("Choose a desa/kelurahan"),
            )
        if max_photo_bytes is None:
            from .selectors import fieldwork_settings

            max_photo_bytes = fieldwork_settings().photo_max_mb * 1024 * 1024
        existing_photos = existing_photos or {}
        for spec in kind.photos:
            self.fields[spec.name] = PhotoInputField(
                spec=spec, max_bytes=max_photo_bytes, existing=existing_photos.get(spec.name, 0)
            )
        if self.field_order:
            self.order_fields(self.field_order)
        style_form(self)
        self.setup()

    def setup(self) -> None:
        """Hook for subclasses: querysets that depend on the kecamatan or the user."""

    # --- what the framework reads -----------------------------------------------------------
    @property
    def photo_names(self) -> list[str]:
        return [spec.name for spec in self.kind.photos]

    def to_payload(self) -> dict[str, Any]:
        return {
            name: _plain(self.cleaned_data.get(name))
            for name in self.fields
            if name not in self.photo_names
        }

    def photos(self) -> dict[str, list]:
        return {name: self.cleaned_data.get(name) or [] for name in self.photo_names}

    def event_date(self) -> datetime.date:
        return self.cleaned_data[self.date_field]

    def village(self) -> Village | None:
        return self.cleaned_data.get(self.village_field) if self.village_field else None

    def period(self) -> datetime.date | None:
        return self.cleaned_data.get(self.period_field) if self.period_field else None

    def summary(self) -> str:
        village = self.village()
        return f"{self.kind.label} · {village.name}" if village else str(self.kind.label)

    # --- showing a stored payload ----------------------------------------------------------
    def display_rows(self, payload: dict[str, Any], *, mask: bool) -> list[tuple[str, str]]:
        """(label, text) for each field of a stored payload, in the form's order."""
        rows = []
        for name, field in self.fields.items():
            if name in self.photo_names or name not in payload:
                continue
            text = self._display_value(field, payload[name])
            if mask and name in self.personal_fields and text not in ("", "-"):
                text = (
                    mask_identity_number(text)
                    if name == "nik"
                    else mask_name(text)
                    if "name" in name
                    else mask_text(text)
                )
            rows.append((str(field.label), text))
        return rows

    def _display_value(self, field: forms.Field, value: Any) -> str:
        if value in ("", None, []):
            return "-"
        if isinstance(field, VillageField):
            village = Village.objects.filter(code=value).first()
            return village.name if village else str(value)
        if isinstance(field, forms.ModelChoiceField):
            obj = field.queryset.model._default_manager.filter(pk=value).first()
            return str(obj) if obj else f"#{value}"
        if isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)
            return ", ".join(str(labels.get(v, v)) for v in value)
        if isinstance(field, forms.ChoiceField):
            return str(dict(field.choices).get(value, value))
        if isinstance(field, forms.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(field, forms.DateField):
            try:
                return format_date(datetime.date.fromisoformat(str(value)))
            except ValueError:
                return str(value)
        if isinstance(field, forms.IntegerField):
            return formats.number_format(value, force_grouping=True)
        return str(value)


# --- (d) Disaster incident -----------------------------------------------------------------


class UrgentNeed(models.TextChoices):
    FOOD = "food", gettext_lazy("Ready-to-eat food")
    WATER = "water", gettext_lazy("Clean water")
    CLOTHING = "clothing", gettext_lazy("Clothing")
    BEDDING = "bedding", gettext_lazy("Blankets and mats")
    SHELTER = "shelter", gettext_lazy("Tents and tarpaulins")
    MEDICINE = "medicine", gettext_lazy("Medicine")
    BABY = "baby", gettext_lazy("Baby and toddler needs")
    HYGIENE = "hygiene", gettext_lazy("Hygiene kits")
    KITCHEN = "kitchen", gettext_lazy("Public kitchen (dapur umum)")
    BUILDING = "building", gettext_lazy("Building materials")


VICTIM_GROUPS = ("displaced", "injured", "infants", "children", "elderly", "disabled", "pregnant")


class DisasterIncidentForm(FieldForm):
    date_field = "incident_date"
    personal_fields = ("description", "location_detail")
    field_order = [
        "incident_date",
        "village",
        "location_detail",
        "disaster_type",
        "disaster_type_other",
        "description",
    ]

    incident_date = PastDateField(label=gettext_lazy("Date of the incident"))
    location_detail = forms.CharField(
        label=gettext_lazy("Location (kampung, RT/RW)"), max_length=200, required=False
    )
    disaster_type = forms.ChoiceField(
        label=gettext_lazy("Type of disaster"), choices=[("", "---------"), *DisasterType.choices]
    )
    disaster_type_other = forms.CharField(
        label=gettext_lazy("Other type: name it"), max_length=100, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    households_affected = CountField(label=gettext_lazy("Households affected (KK)"))
    persons_affected = CountField(label=gettext_lazy("Persons affected"))
    dead = CountField(label=gettext_lazy("Dead"))
    missing = CountField(label=gettext_lazy("Missing"))
    injured = CountField(label=gettext_lazy("Injured"))
    displaced = CountField(label=gettext_lazy("Displaced (in shelters)"))
    infants = CountField(label=gettext_lazy("Of them: infants and toddlers (0-5)"))
    children = CountField(label=gettext_lazy("Of them: children (6-18)"))
    elderly = CountField(label=gettext_lazy("Of them: elderly (60+)"))
    disabled = CountField(label=gettext_lazy("Of them: persons with disabilities"))
    pregnant = CountField(label=gettext_lazy("Of them: pregnant and nursing women"))
    houses_heavy = CountField(label=gettext_lazy("Houses heavily damaged"))
    houses_moderate = CountField(label=gettext_lazy("Houses moderately damaged"))
    houses_light = CountField(label=gettext_lazy("Houses lightly damaged"))
    urgent_needs = forms.MultipleChoiceField(
        label=gettext_lazy("Urgent needs"),
        choices=UrgentNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    urgent_needs_note = forms.CharField(
        label=gettext_lazy("Other urgent needs"), max_length=300, required=False
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "data-geo": "latitude"}),
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "data-geo": "longitude"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("disaster_type") == DisasterType.OTHER
            and not data.get("disaster_type_other", "").strip()
        ):
            self.add_error("disaster_type_other", _("Name the type of disaster."))
        persons = data.get("persons_affected") or 0
        households = data.get("households_affected") or 0
        if households and persons < households:
            self.add_error(
                "persons_affected",
                _("Persons affected cannot be fewer than the households affected (%(n)s).")
                % {"n": households},
            )
        for name in VICTIM_GROUPS:
            value = data.get(name) or 0
            if value > persons:
                self.add_error(
                    name,
                    _("%(group)s (%(value)s) cannot be more than the persons affected (%(n)s).")
                    % {"group": self.fields[name].label, "value": value, "n": persons},
                )
        houses = sum(data.get(n) or 0 for n in ("houses_heavy", "houses_moderate", "houses_light"))
        if not (persons or houses or data.get("dead") or data.get("missing")):
            raise ValidationError(
                _("Enter the number of persons affected or of houses damaged."), code="empty"
            )
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Enter both latitude and longitude, or neither."))
        elif latitude is not None:
            if not (Decimal(-11) <= latitude <= Decimal(6)):
                self.add_error("latitude", _("The latitude is outside Indonesia."))
            if not (Decimal(94) <= longitude <= Decimal(142)):
                self.add_error("longitude", _("The longitude is outside Indonesia."))
        return data

    def summary(self) -> str:
        data = self.cleaned_data
        kind = (
            data.get("disaster_type_other")
            if data.get("disaster_type") == DisasterType.OTHER
            else dict(DisasterType.choices).get(data.get("disaster_type"), "")
        )
        return _("%(type)s in %(village)s: %(persons)s persons affected") % {
            "type": kind,
            "village": self.village().name,
            "persons": formats.number_format(
                data.get("persons_affected") or 0, force_grouping=True
            ),
        }


# --- (e) Case referral and its follow-up -----------------------------------------------------


def validate_nik(value: str) -> str:
    value = re.sub(r"\s", "", value or "")
    if not value:
        return ""
    if not value.isdigit() or len(value) != 16:
        raise ValidationError(_("A NIK has 16 digits."), code="nik_length")
    try:
        stdnum_nik.get_birth_date(value)
    except ValueError:  # python-stdnum's errors are ValueErrors
        raise ValidationError(
            _("This NIK is not valid: the date of birth in it (digits 7-12) is not a real date."),
            code="nik_invalid",
        ) from None
    # The region part is checked against the kecamatan table (python-stdnum only knows the
    # provinces), so that the message says what is wrong.
    if not district_exists_for_nik_prefix(value[:6]) or not stdnum_nik.is_valid(value):
        raise ValidationError(
            _("This NIK is not valid: no kecamatan has the code in its first six digits."),
            code="nik_region",
        )
    return value


class ReferralForm(FieldForm):
    date_field = "referral_date"
    personal_fields = ("person_name", "nik", "address", "situation")
    field_order = ["referral_date", "village"]

    referral_date = PastDateField(label=gettext_lazy("Date of the referral"))
    person_name = forms.CharField(label=gettext_lazy("Name of the person"), max_length=200)
    nik = forms.CharField(
        label=gettext_lazy("NIK"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("16 digits, if known."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices)
    age = forms.IntegerField(
        label=gettext_lazy("Age (years)"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    situation = forms.CharField(
        label=gettext_lazy("Situation and problem"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    ppks_category = forms.CharField(
        label=gettext_lazy("PPKS category (if known)"), max_length=200, required=False
    )
    service = forms.ChoiceField(
        label=gettext_lazy("Service needed"), choices=[("", "---------"), *ReferralService.choices]
    )
    service_other = forms.CharField(
        label=gettext_lazy("Other service: name it"), max_length=200, required=False
    )
    referred_to = forms.CharField(
        label=gettext_lazy("Referred to"),
        max_length=200,
        help_text=gettext_lazy("The institution or service, e.g. RSUD, Puskesmas, an LKS."),
    )
    institution = forms.ModelChoiceField(
        label=gettext_lazy("PSKS institution (if the case goes to one)"),
        queryset=PsksInstitution.objects.none(),
        required=False,
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        choices=[
            ("normal", gettext_lazy("Normal")),
            ("urgent", gettext_lazy("Urgent")),
            ("emergency", gettext_lazy("Emergency")),
        ],
        initial="normal",
    )

    def setup(self) -> None:
        self.fields["institution"].queryset = (
            PsksInstitution.objects.filter(
                active=True, district__regency_id=settings.WELFARE_HOME_REGENCY
            )
            .select_related("district")
            .order_by("name")
        )

    def clean_nik(self) -> str:
        return validate_nik(self.cleaned_data.get("nik", ""))

    def clean(self):
        data = super().clean()
        if (
            data.get("service") == ReferralService.OTHER
            and not data.get("service_other", "").strip()
        ):
            self.add_error("service_other", _("Name the service needed."))
        return data

    def summary(self) -> str:
        data = self.cleaned_data
        return _("%(service)s, %(village)s") % {
            "service": dict(ReferralService.choices).get(data.get("service"), ""),
            "village": self.village().name,
        }


class ReferralFollowUpForm(FieldForm):
    date_field = "followup_date"
    village_field = None
    personal_fields = ("note",)

    referral = forms.ModelChoiceField(
        label=gettext_lazy("Referral"),
        queryset=Referral.objects.none(),
        empty_label=gettext_lazy("Choose the referral"),
    )
    followup_date = PastDateField(label=gettext_lazy("Date"))
    status = forms.ChoiceField(
        label=gettext_lazy("What is the state now?"),
        choices=[
            ("in_progress", gettext_lazy("In progress")),
            ("served", gettext_lazy("Served")),
            ("not_served", gettext_lazy("Could not be served")),
        ],
    )
    note = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def setup(self) -> None:
        field = self.fields["referral"]
        field.queryset = Referral.objects.filter(district_id=self.district_code).exclude(
            status__in=Referral.CLOSED
        )
        field.label_from_instance = lambda r: (
            f"#{r.pk} · {r.person_name} · {r.get_service_display()}"
        )
        field.error_messages["invalid_choice"] = _(
            "Choose an open referral of your kecamatan from the list."
        )

    def clean(self):
        data = super().clean()
        referral, date = data.get("referral"), data.get("followup_date")
        if referral and date and date < referral.referred_on:
            self.add_error(
                "followup_date",
                _("The follow-up cannot be before the referral (%(date)s).")
                % {"date": format_date(referral.referred_on)},
            )
        return data

    def village(self):
        referral = self.cleaned_data.get("referral")
        return referral.village if referral else None

    def summary(self) -> str:
        referral = self.cleaned_data["referral"]
        status = dict(self.fields["status"].choices).get(self.cleaned_data["status"], "")
        return _("Follow-up of referral #%(id)s: %(status)s") % {
            "id": referral.pk,
            "status": status,
        }


# --- (f) Monthly activity report -------------------------------------------------------------


def month_label(day: datetime.date) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


class MonthlyReportForm(FieldForm):
    date_field = "period"
    village_field = None
    period_field = "period"

    period = forms.CharField(
        label=gettext_lazy("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "data-max-month": "1"}),
        help_text=gettext_lazy("The month this report covers (year-month)."),
    )
    summary_text = forms.CharField(
        label=gettext_lazy("What was done and achieved"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    problems = forms.CharField(
        label=gettext_lazy("Problems met"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plans = forms.CharField(
        label=gettext_lazy("Plans and follow-up for next month"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def setup(self) -> None:
        if not self.is_bound and not self.initial.get("period"):
            first = timezone.localdate().replace(day=1)
            previous = (first - datetime.timedelta(days=1)).replace(day=1)
            self.initial["period"] = previous.strftime("%Y-%m")

    def clean_period(self) -> datetime.date:
        value = (self.cleaned_data.get("period") or "").strip()
        try:
            year, month = (int(part) for part in value.split("-"))
            period = datetime.date(year, month, 1)
        except ValueError:
            raise ValidationError(
                _("Enter the month as year-month, e.g. 2026-10."), code="invalid"
            ) from None
        today = timezone.localdate()
        if period > today.replace(day=1):
            raise ValidationError(_("The month cannot be in the future."), code="future")
        if period < EARLIEST_DATE:
            raise ValidationError(_("The month is too far in the past: check the year."))
        earlier = Submission.objects.filter(
            submitted_by=self.user, kind=self.kind.code, period=period
        ).exclude(status=Submission.Status.REJECTED)
        if self.submission is not None:
            earlier = earlier.exclude(pk=self.submission.pk)
        existing = earlier.first()
        if existing is not None:
            raise ValidationError(
                _("The report of %(month)s was already sent (#%(id)s, %(status)s).")
                % {
                    "month": month_label(period),
                    "id": existing.pk,
                    "status": existing.get_status_display().lower(),
                },
                code="duplicate",
            )
        return period

    def to_payload(self) -> dict:
        payload = super().to_payload()
        payload["period"] = self.cleaned_data["period"].strftime("%Y-%m")
        return payload

    def _display_value(self, field, value):
        if field is self.fields.get("period") and value:
            try:
                return month_label(datetime.date.fromisoformat(f"{value}-01"))
            except ValueError:
                return str(value)
        return super()._display_value(field, value)

    def summary(self) -> str:
        return _("Monthly report %(month)s") % {"month": month_label(self.cleaned_data["period"])}


def describe_form(form: forms.Form) -> list[dict[str, Any]]:
    """The fields of a form for API clients (a mobile app, an ODK/KoboToolbox bridge)."""
    described = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(field, PhotoInputField):
            continue
        if isinstance(field, VillageField):
            kind = "village"
        elif isinstance(field, forms.ModelChoiceField):
            kind = "choice"
        elif isinstance(field, forms.MultipleChoiceField):
            kind = "multiple_choice"
        elif isinstance(field, forms.ChoiceField):
            kind = "choice"
        elif isinstance(field, forms.DateField):
            kind = "date"
        elif isinstance(field, forms.IntegerField):
            kind = "integer"
        elif isinstance(field, forms.DecimalField):
            kind = "decimal"
        elif isinstance(field, forms.BooleanField):
            kind = "boolean"
        elif getattr(widget, "input_type", "") == "month":
            kind = "month"
        elif isinstance(widget, forms.Textarea):
            kind = "textarea"
        else:
            kind = "text"
        entry = {
            "name": name,
            "label": str(field.label),
            "type": kind,
            "required": field.required,
            "help_text": str(field.help_text or ""),
        }
        if isinstance(field, forms.ChoiceField):  # a ModelChoiceField is one too
            entry["choices"] = [
                {"value": str(value), "label": str(label)}
                for value, label in field.choices
                if value not in ("", None)
            ]
        described.append(entry)
    return described
