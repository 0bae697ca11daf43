"""Forms of the performance pages. They parse and check input; the services apply the rules."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Bidang
from welfare.forms import BootstrapFormMixin, TableRowFormMixin, VersionedFormMixin, style_form

from . import calculations as calc
from .evidence import ACCEPT_ATTRIBUTE
from .models import (
    Agreement,
    Band,
    BudgetLine,
    Indicator,
    Kegiatan,
    PerformanceSettings,
    Program,
    Renstra,
    Sasaran,
    SubKegiatan,
    Tujuan,
)
from .sources import source_choices

MONTHS = (
    _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
    _("August"), _("September"), _("October"), _("November"), _("December"),
)  # fmt: skip


def plain(value):
    """A Decimal without trailing zeros (81.0800 -> 81.08, 100.0000 -> 100) for form fields."""
    if isinstance(value, Decimal):
        return Decimal(format(value.normalize(), "f"))
    return value


class NumberField(forms.DecimalField):
    """A decimal in Indonesian notation (8,23; 1.234.567,5), also accepting 8.23."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("required", False)
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.widget.is_localized = True

    def to_python(self, value):
        # Excel shows a long number as 3.6021E+15: refuse it rather than store a rounded figure.
        if isinstance(value, str) and re.search(r"\d\s*[eE]\s*[+-]?\d", value):
            raise ValidationError(
                _(
                    "%(value)s is a number in scientific notation, as Excel shows a long "
                    "number: type the whole figure."
                ),
                code="scientific",
                params={"value": value.strip()},
            )
        return super().to_python(value)


class MoneyField(NumberField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


# --- Plan ------------------------------------------------------------------------------------


class RenstraForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Renstra
        fields = ["name", "start_year", "end_year", "bidang", "vision", "mission", "legal_basis"]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 2}),
            "mission": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("bidang", Bidang.objects.filter(code="sekretariat").first())


class TujuanForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Tujuan
        fields = ["code", "name", "order"]


class SasaranForm(VersionedFormMixin, forms.ModelForm):
    programs = forms.ModelMultipleChoiceField(
        label=_("Supporting programs"),
        queryset=Program.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their budget counts for this sasaran (each program supports one sasaran)."),
    )

    class Meta:
        model = Sasaran
        fields = ["tujuan", "code", "name", "order"]

    def __init__(self, *args, renstra: Renstra, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tujuan"].queryset = Tujuan.objects.filter(renstra=renstra)
        if self.instance.pk and not self.is_bound:
            self.initial["programs"] = list(self.instance.programs.values_list("pk", flat=True))


class IndicatorForm(VersionedFormMixin, forms.ModelForm):
    source_code = forms.ChoiceField(label=_("Computed from operational data"), required=False)
    baseline_value = NumberField(label=_("Baseline"))

    class Meta:
        model = Indicator
        fields = [
            "level", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan", "code", "name",
            "definition", "formula", "unit", "data_source", "bidang", "is_iku", "direction",
            "lower_formula", "aggregation", "baseline_year", "baseline_value", "source_code",
            "continues", "order",
        ]  # fmt: skip
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 2}),
            "formula": forms.Textarea(attrs={"rows": 2}),
            "level": forms.Select(attrs={"data-indicator-level": ""}),
        }

    def __init__(self, *args, renstra: Renstra, **kwargs):
        super().__init__(*args, **kwargs)
        self.renstra = renstra
        self.fields["tujuan"].queryset = Tujuan.objects.filter(renstra=renstra)
        self.fields["sasaran"].queryset = Sasaran.objects.filter(renstra=renstra)
        self.fields["kegiatan"].queryset = Kegiatan.objects.select_related("program")
        self.fields["sub_kegiatan"].queryset = SubKegiatan.objects.all()
        self.fields["continues"].queryset = Indicator.objects.filter(
            renstra__start_year__lt=renstra.start_year
        ).select_related("renstra")
        self.fields["source_code"].choices = [("", "-"), *source_choices()]
        for name in ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"):
            self.fields[name].widget.attrs["data-level-owner"] = name
        self.year_fields = []
        existing = {}
        if self.instance.pk:
            existing = {t.year: t.value for t in self.instance.renstra_targets.all()}
            self.initial["baseline_value"] = plain(self.instance.baseline_value)
        for year in renstra.years:
            name = f"target_{year}"
            self.fields[name] = NumberField(label=_("Target %(year)s") % {"year": year})
            if year in existing and not self.is_bound:
                self.initial[name] = plain(existing[year])
            self.year_fields.append(name)
        self.order_fields([*self.Meta.fields, *self.year_fields])
        style_form(self)

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"target_{year}") for year in self.renstra.years}

    def model_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# --- Agreements --------------------------------------------------------------------------------


class AgreementCreateForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    signed_on = forms.DateField(label=_("Signed on"), required=False)
    first_party = forms.CharField(label=_("First party (head of office)"), required=False)
    second_party = forms.CharField(label=_("Second party (regent)"), required=False)


class AgreementForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["signed_on", "first_party", "second_party", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}


class AgreementReviseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False)


class TargetRowForm(TableRowFormMixin, forms.Form):
    """One indicator's row in the agreement's target table."""

    indicator = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    target = NumberField(label=_("Yearly target"))
    q1 = NumberField(label=_("Quarter I"))
    q2 = NumberField(label=_("Quarter II"))
    q3 = NumberField(label=_("Quarter III"))
    q4 = NumberField(label=_("Quarter IV"))


TargetFormSet = forms.formset_factory(TargetRowForm, extra=0)


# --- Realizations --------------------------------------------------------------------------------


class RealizationForm(VersionedFormMixin, forms.Form):
    value = NumberField(label=_("Realization"))
    numerator = NumberField(label=_("Numerator"))
    denominator = NumberField(label=_("Denominator"))
    unavailable_reason = forms.CharField(
        label=_("Why the figure is not available yet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when there is no figure yet: it counts as 0 % with this reason."),
    )
    obstacles = forms.CharField(
        label=_("Inhibiting factors (faktor penghambat)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    supporting_factors = forms.CharField(
        label=_("Supporting factors (faktor pendukung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    solutions = forms.CharField(
        label=_("Solutions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        help_text=_("PDF, JPEG, PNG, XLSX or DOCX; several files may be chosen."),
    )

    def __init__(self, *args, indicator: Indicator, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if indicator.aggregation == calc.Aggregation.RATIO:
            del self.fields["value"]
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
            self.fields["value"].label = _("Realization (%(unit)s)") % {"unit": indicator.unit}
        if indicator.source_code:
            for name in ("value", "numerator", "denominator"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Computed from operational data.")
        if instance is not None and not self.is_bound:
            for name in ("value", "numerator", "denominator", "unavailable_reason", "obstacles",
                         "supporting_factors", "solutions", "recommendations"):  # fmt: skip
                if name in self.fields:
                    self.initial[name] = plain(getattr(instance, name))

    def figure_data(self) -> dict:
        names = ("value", "numerator", "denominator", "unavailable_reason", "obstacles",
                 "supporting_factors", "solutions", "recommendations")  # fmt: skip
        return {
            n: self.cleaned_data.get(n)
            for n in names
            if n in self.fields and not self.fields[n].disabled
        }


class ReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("return", _("Return for correction"))],
        widget=forms.HiddenInput,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, q) for q in calc.QUARTERS]
    )
    days = forms.IntegerField(label=_("Open for (days)"), min_value=1, max_value=90, initial=7)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeleteForm(VersionedFormMixin):
    """The reason for deleting a plan item or a budget line, and the version the user saw."""

    reason = forms.CharField(
        label=_("Reason for deleting"),
        max_length=100,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history with your name (at most 100 characters)."),
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance  # VersionedFormMixin puts its version in the form
        super().__init__(*args, **kwargs)


# --- Budget, SPM, settings -----------------------------------------------------------------------


class BudgetLineForm(VersionedFormMixin, forms.ModelForm):
    pagu_murni = MoneyField(label=_("Budget ceiling before revision (Rp)"), required=True)
    pagu_perubahan = MoneyField(label=_("Budget ceiling after revision (Rp)"))

    class Meta:
        model = BudgetLine
        fields = ["year", "sub_kegiatan", "bidang", "pagu_murni", "pagu_perubahan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_kegiatan"].queryset = SubKegiatan.objects.all()
        months = {}
        if self.instance.pk:
            del self.fields["year"]
            del self.fields["sub_kegiatan"]
            months = {m.month: m.amount for m in self.instance.months.all()}
            for name in ("pagu_murni", "pagu_perubahan"):
                self.initial[name] = plain(getattr(self.instance, name))
        self.month_fields = []
        for month, label in enumerate(MONTHS, start=1):
            name = f"m{month}"
            self.fields[name] = MoneyField(label=label)
            if month in months and not self.is_bound:
                self.initial[name] = plain(months[month])
            self.month_fields.append(name)
        style_form(self)

    def _not_negative(self, name: str, message) -> Decimal | None:
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise ValidationError(message, code="negative")
        return value

    def clean_pagu_murni(self):
        return self._not_negative("pagu_murni", _("A budget ceiling cannot be negative."))

    def clean_pagu_perubahan(self):
        return self._not_negative("pagu_perubahan", _("A budget ceiling cannot be negative."))

    def clean(self):
        data = super().clean()
        for name in self.month_fields:
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("A realization cannot be negative."))
        return data

    def months(self) -> dict[int, Decimal | None]:
        return {m: self.cleaned_data.get(f"m{m}") for m in range(1, 13)}

    def model_data(self) -> dict:
        names = ["bidang", "pagu_murni", "pagu_perubahan"]
        if not self.instance.pk:
            names += ["year", "sub_kegiatan"]
        return {n: self.cleaned_data.get(n) for n in names}


class SpmRowForm(TableRowFormMixin, forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    target_group_count = forms.IntegerField(label=_("Target group"), min_value=0, required=False)
    served_count = forms.IntegerField(label=_("Served"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def clean(self):
        data = super().clean()
        group, served = data.get("target_group_count"), data.get("served_count")
        if (group is None) != (served is None):
            raise ValidationError(_("Give both the target group and the number served."))
        return data


SpmFormSet = forms.formset_factory(SpmRowForm, extra=0)


class SettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PerformanceSettings
        fields = ["lock_days", "evidence_max_mb"]


class BandForm(TableRowFormMixin, forms.Form):
    label = forms.CharField(label=_("Name"), max_length=60, required=False)
    lower_bound = NumberField(
        label=_("Lower bound (%)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Empty for the lowest band."),
    )
    lower_inclusive = forms.BooleanField(
        label=_("The bound itself belongs to the band"), required=False, initial=True
    )
    tone = forms.ChoiceField(label=_("Colour"), choices=Band.Tone.choices, initial="secondary")

    def has_content(self) -> bool:
        return bool(self.cleaned_data.get("label"))


BandFormSet = forms.formset_factory(BandForm, extra=2)


class ImportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("XLSX file"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    commit = forms.BooleanField(
        label=_("Save when the check finds no error"),
        required=False,
        help_text=_("Leave it off to check the file first; nothing is saved then."),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds

    def clean_file(self):
        from .spreadsheets import validate_workbook_upload

        upload = self.cleaned_data["file"]
        validate_workbook_upload(upload)
        return upload
