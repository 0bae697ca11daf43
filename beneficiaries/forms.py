"""Forms of the registry pages. The rules live in the services; forms parse input."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from regions.models import Village
from welfare.forms import BootstrapFormMixin, VersionedFormMixin
from welfare.uploads import MB

from . import services
from .models import (
    CategoryPlacement,
    Household,
    ImportBatch,
    Person,
    PpksCategory,
    Source,
)

DATE = {"type": "date"}


def _villages(user=None):
    queryset = Village.objects.filter(district__regency_id=settings.WELFARE_HOME_REGENCY)
    district = getattr(user, "district_id", None) if user is not None else None
    if district and getattr(user, "role", "") == "tksk":
        queryset = queryset.filter(district_id=district)
    return queryset.select_related("district").order_by("district__name", "name")


class _VillageMixin:
    def _setup_village(self, user) -> None:
        field = self.fields["village"]
        field.queryset = _villages(user)
        field.label_from_instance = lambda v: f"{v.name} ({v.district.name})"


class _ServiceCheckedIdentity:
    """The No. KK's and the NIK's uniqueness is checked by the service, whose message links to
    the existing record: the form checks every other constraint of the model."""

    identity_field = ""

    def validate_unique(self):
        pass

    def validate_constraints(self):
        exclude = self._get_validation_exclusions() | {self.identity_field}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as exc:
            self._update_errors(exc)


class HouseholdForm(_ServiceCheckedIdentity, _VillageMixin, VersionedFormMixin, forms.ModelForm):
    identity_field = "no_kk"

    class Meta:
        model = Household
        fields = [
            "no_kk",
            "village",
            "address",
            "rt",
            "rw",
            "desil",
            "desil_date",
            "status",
            "source",
            "notes",
        ]
        widgets = {
            "desil_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "no_kk": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_village(user)

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PersonForm(_ServiceCheckedIdentity, _VillageMixin, VersionedFormMixin, forms.ModelForm):
    identity_field = "nik"

    household_no_kk = forms.CharField(
        label=_("No. KK of the household"),
        required=False,
        max_length=20,
        help_text=_("Leave empty for a person without a household in the registry."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Person
        fields = [
            "nik",
            "name",
            "sex",
            "birth_place",
            "birth_date",
            "household_no_kk",
            "relationship",
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
            "notes",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "death_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_village(user)
        self.fields["village"].required = False
        self.fields["village"].help_text = _("Taken from the household when it has one.")
        if self.instance.pk and self.instance.household_id and not self.is_bound:
            self.initial["household_no_kk"] = self.instance.household.no_kk

    def clean_household_no_kk(self):
        value = "".join((self.cleaned_data.get("household_no_kk") or "").split())
        if not value:
            return None
        household = Household.objects.filter(no_kk=value, deleted_at__isnull=True).first()
        if household is None:
            raise forms.ValidationError(
                _("No household with this No. KK is in the registry; add the household first.")
            )
        return household

    def data_for_service(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name != "household_no_kk"
        }
        data["household"] = self.cleaned_data.get("household_no_kk")
        return data


class DeleteForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class DeceasedForm(VersionedFormMixin):
    death_date = forms.DateField(
        label=_("Date of death"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


class PlacementForm(BootstrapFormMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=capfirst(_("PPKS category")), queryset=PpksCategory.objects.none()
    )
    identified_on = forms.DateField(
        label=_("Identified on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = PpksCategory.objects.filter(
            active=True, unit__in=[unit, PpksCategory.Unit.BOTH]
        ).order_by("number")


class TransitionForm(VersionedFormMixin):
    status = forms.ChoiceField(label=_("New status"), choices=CategoryPlacement.Status.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("Reason (when closing)"), required=False, max_length=255)


class MergeForm(BootstrapFormMixin, forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    duplicate = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Note"), required=False, max_length=100)


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("In the format of the template; at most %(max)s MB.") % {"max": 300},
    )
    mode = forms.ChoiceField(
        label=_("When some rows have problems"),
        choices=ImportBatch.Mode.choices,
        initial=ImportBatch.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    commit = forms.BooleanField(
        label=_("Save when the check allows it (otherwise only check)"), required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.DTSEN)

    MAX_BYTES = 300 * MB

    def clean_file(self):
        upload = self.cleaned_data["file"]
        from welfare.uploads import validate_upload

        validate_upload(
            upload,
            allowed={"csv", "xlsx"},
            max_bytes=self.MAX_BYTES,
            field_label=str(self.fields["file"].label),
        )
        return upload


__all__ = ["services"]
