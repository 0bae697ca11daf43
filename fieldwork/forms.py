"""Forms of the office's pages (PSKS registry, assignments, review, settings) and of the daily
activity entry. The field form kinds' forms are in ``field_forms``."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import Role
from accounts.models import User
from regions.models import District, Village
from welfare.forms import BootstrapFormMixin, VersionedFormMixin

from .field_forms import PastDateField, PhotoInputField, VillageField, validate_nik
from .kinds import PhotoField
from .models import (
    TKSK_KIND,
    ActivityType,
    FieldworkSettings,
    PsksInstitution,
    PsksKind,
    PsksPerson,
    PsksService,
    Referral,
    TkskAssignment,
)
from .services import Decision


def _home_districts():
    return District.objects.filter(regency_id=settings.WELFARE_HOME_REGENCY).order_by("name")


class _RegionFieldsMixin:
    """District and village selects of the home regency; the village must lie in the district
    (checked again by the model)."""

    def _setup_regions(self) -> None:
        self.fields["district"].queryset = _home_districts()
        self.fields["village"].queryset = Village.objects.filter(
            district__regency_id=settings.WELFARE_HOME_REGENCY
        ).select_related("district")
        self.fields["village"].label_from_instance = lambda v: f"{v.name} ({v.district.name})"


class PsksPersonForm(_RegionFieldsMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PsksPerson
        fields = [
            "kind",
            "name",
            "nik",
            "sex",
            "birth_date",
            "phone",
            "email",
            "address",
            "district",
            "village",
            "position",
            "institution",
            "decree_number",
            "decree_date",
            "certified_on",
            "certification_body",
            "certificate_number",
            "user",
            "active",
            "notes",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decree_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "certified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_regions()
        self.fields["kind"].queryset = PsksKind.objects.filter(unit=PsksKind.Unit.PERSON)
        self.fields["institution"].queryset = PsksInstitution.objects.filter(
            district__regency_id=settings.WELFARE_HOME_REGENCY
        ).order_by("name")
        taken = PsksPerson.objects.exclude(user=None)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        self.fields["user"].queryset = User.objects.filter(role=Role.TKSK).exclude(
            pk__in=taken.values("user_id")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.username} ({u})"

    def clean_nik(self) -> str:
        return validate_nik(self.cleaned_data.get("nik", ""))

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PsksInstitutionForm(_RegionFieldsMixin, VersionedFormMixin, forms.ModelForm):
    services = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Fields of service"),
        queryset=PsksService.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PsksInstitution
        fields = [
            "kind",
            "name",
            "district",
            "village",
            "address",
            "leader_name",
            "phone",
            "email",
            "registration_number",
            "registered_on",
            "accreditation_grade",
            "accreditation_number",
            "accredited_on",
            "accreditation_valid_until",
            "residential",
            "capacity",
            "members",
            "active",
            "notes",
        ]
        widgets = {
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accredited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accreditation_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_regions()
        self.fields["kind"].queryset = PsksKind.objects.filter(unit=PsksKind.Unit.INSTITUTION)
        if self.instance.pk:
            self.initial["services"] = list(self.instance.services.all())

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AssignmentForm(BootstrapFormMixin, forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("TKSK"),
        queryset=PsksPerson.objects.none(),
        help_text=gettext_lazy("A person registered as TKSK in the PSKS registry."),
    )
    district = forms.ModelChoiceField(label=gettext_lazy("Kecamatan"), queryset=District.objects)
    decree_number = forms.CharField(label=gettext_lazy("Decree (SK) number"), max_length=150)
    decree_date = forms.DateField(
        label=gettext_lazy("Decree (SK) date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_date = forms.DateField(
        label=gettext_lazy("Start of the assignment"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    period_end = forms.DateField(
        label=gettext_lazy("End of the decree period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_current = forms.BooleanField(
        label=gettext_lazy("End the assignment of the kecamatan's current TKSK"),
        required=False,
        help_text=gettext_lazy("It ends the day before this assignment starts."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            PsksPerson.objects.filter(kind__code=TKSK_KIND, active=True)
            .select_related("district")
            .order_by("name")
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.name} ({p.district.name})"
        self.fields["district"].queryset = _home_districts()


class AssignmentEndForm(VersionedFormMixin, forms.Form):
    ended_on = PastDateField(label=gettext_lazy("Ended on"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)

    def __init__(self, *args, instance: TkskAssignment | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("ended_on", timezone.localdate())


class ReviewForm(VersionedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (Decision.APPROVE, gettext_lazy("Approve")),
            (Decision.RETURN, gettext_lazy("Return for correction")),
            (Decision.REJECT, gettext_lazy("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required to return or reject: the TKSK reads it."),
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (Decision.RETURN, Decision.REJECT)
            and not (data.get("comment") or "").strip()
        ):
            self.add_error(
                "comment",
                _("Say what the TKSK must correct.")
                if data["decision"] == Decision.RETURN
                else _("Say why the form is rejected."),
            )
        return data


class SettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FieldworkSettings
        fields = ["tksk_village_limit", "monthly_report_due_day", "photo_max_mb"]


class SubmissionMetaForm(forms.Form):
    """The sending key made on the phone (hidden) and when the form was filled in."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)
    client_created_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["client_key"] = uuid.uuid4()

    def clean_client_key(self):
        return self.cleaned_data["client_key"]


class ActivityEntryForm(BootstrapFormMixin, forms.Form):
    client_key = forms.UUIDField(widget=forms.HiddenInput)
    date = PastDateField(label=gettext_lazy("Date"))
    activity_type = forms.ChoiceField(label=gettext_lazy("Activity"), choices=ActivityType.choices)
    description = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    people_served = forms.IntegerField(
        label=gettext_lazy("People served"),
        min_value=0,
        max_value=100_000,
        required=False,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )

    def __init__(self, *args, district_code: str | None, max_photo_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = VillageField(
            district_code=district_code,
            required=False,
            label=gettext_lazy("Desa/kelurahan"),
            empty_label=gettext_lazy("The whole kecamatan"),
        )
        self.fields["photo"] = PhotoInputField(
            spec=PhotoField("photo", gettext_lazy("Photo"), max_count=1),
            max_bytes=max_photo_bytes,
        )
        self.order_fields(
            ["client_key", "date", "activity_type", "village", "description", "people_served"]
        )
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4())
            self.initial.setdefault("date", timezone.localdate())
        from welfare.forms import style_form

        style_form(self)


class FollowUpForm(BootstrapFormMixin, forms.Form):
    date = PastDateField(label=gettext_lazy("Date"))
    status = forms.ChoiceField(
        label=gettext_lazy("State now"),
        choices=[
            (Referral.Status.IN_PROGRESS, Referral.Status.IN_PROGRESS.label),
            (Referral.Status.SERVED, Referral.Status.SERVED.label),
            (Referral.Status.NOT_SERVED, Referral.Status.NOT_SERVED.label),
        ],
    )
    note = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
