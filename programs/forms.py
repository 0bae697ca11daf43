"""Forms of the programs pages: enrollment, status changes, replacement, bulk enrollment and the
disbursement results import. Services do the rules; forms parse and name the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import Action, restrict
from beneficiaries.models import Household, Person
from welfare.forms import BootstrapFormMixin
from welfare.uploads import MB, validate_upload

from .models import Enrollment, ExitReason, Program, ProgramImport, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecipientField(forms.CharField):
    """A NIK (person programs) or a No. KK (household programs): 16 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("min_length", 16)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean((value or "").strip())
        if value and not value.isdigit():
            raise forms.ValidationError(_("Enter 16 digits."))
        return value


def find_recipient(unit: str, number: str):
    """The registry record of a NIK or No. KK, or None."""
    if unit == Unit.PERSON:
        return Person.objects.filter(nik=number, deleted_at__isnull=True).first()
    return Household.objects.filter(no_kk=number, deleted_at__isnull=True).first()


class EnrollmentForm(BootstrapFormMixin, forms.Form):
    number = RecipientField(label=_("NIK or No. KK"))
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), widget=DATE, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Enrollment.Status.PROPOSED, Enrollment.Status.PROPOSED.label),
            (Enrollment.Status.VERIFIED, Enrollment.Status.VERIFIED.label),
            (Enrollment.Status.ACTIVE, Enrollment.Status.ACTIVE.label),
        ],
    )
    decree_number = forms.CharField(label=_("Decree (SK penetapan) number"), required=False)
    decree_date = forms.DateField(label=_("Decree date"), widget=DATE, required=False)
    override_justification = forms.CharField(
        label=_("Justification to override the rules (Kepala Bidang only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["number"].label = (
            _("NIK of the person") if program.unit == Unit.PERSON else _("No. KK of the household")
        )

    def clean_number(self):
        number = self.cleaned_data["number"]
        recipient = find_recipient(self.program.unit, number)
        if recipient is None:
            raise forms.ValidationError(_("This number is not in the registry."))
        self.recipient = recipient
        return number


class TransitionForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("New status"), choices=Enrollment.Status.choices)
    on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    exit_reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=[("", "---------"), *ExitReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    decree_number = forms.CharField(label=_("Decree (SK penetapan) number"), required=False)
    decree_date = forms.DateField(label=_("Decree date"), widget=DATE, required=False)

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = Enrollment.TRANSITIONS[enrollment.status]
        self.fields["status"].choices = [c for c in Enrollment.Status.choices if c[0] in allowed]
        if not self.is_bound:
            self.initial["version"] = enrollment.version


class ReplaceForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = RecipientField(label=_("NIK or No. KK of the new recipient"))
    exit_reason = forms.ChoiceField(
        label=_("Why the current recipient leaves"), choices=ExitReason.choices
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    override_justification = forms.CharField(
        label=_("Justification to override the rules (Kepala Bidang only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        if not self.is_bound:
            self.initial["version"] = enrollment.version

    def clean_number(self):
        number = self.cleaned_data["number"]
        recipient = find_recipient(self.enrollment.program.unit, number)
        if recipient is None:
            raise forms.ValidationError(_("This number is not in the registry."))
        self.recipient = recipient
        return number


class BulkEnrollForm(BootstrapFormMixin, forms.Form):
    ids = forms.TypedMultipleChoiceField(label=_("Selected"), coerce=int, choices=())
    start_date = forms.DateField(label=_("From"), widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Enrollment.Status.PROPOSED, Enrollment.Status.PROPOSED.label),
            (Enrollment.Status.VERIFIED, Enrollment.Status.VERIFIED.label),
            (Enrollment.Status.ACTIVE, Enrollment.Status.ACTIVE.label),
        ],
    )
    decree_number = forms.CharField(label=_("Decree (SK penetapan) number"), required=False)
    decree_date = forms.DateField(label=_("Decree date"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be posted; the service checks each against the registry and the rules.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()


class ImportForm(BootstrapFormMixin, forms.Form):
    """An import of a program file, checked (and saved) by a background job."""

    MAX_BYTES = 20 * MB

    kind = forms.ChoiceField(label=_("What the file holds"), choices=ProgramImport.Kind.choices)
    program = forms.ModelChoiceField(
        label=_("Program (for recipients to enroll)"),
        queryset=Program.objects.none(),
        to_field_name="code",
        required=False,
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"), help_text=_("At most %(max)s MB.") % {"max": 20}
    )
    mode = forms.ChoiceField(
        label=_("When some rows have problems"),
        choices=ProgramImport.Mode.choices,
        initial=ProgramImport.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    commit = forms.BooleanField(
        label=_("Save when the check allows it (otherwise only check)"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        programs = Program.objects.exclude(unit=Unit.GROUP).order_by("code")
        # The programs the user may enroll in: an operator's or a head of division's own bidang.
        self.fields["program"].queryset = restrict(programs, user, Action.IMPORT)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        validate_upload(
            upload,
            allowed={"csv", "xlsx"},
            max_bytes=self.MAX_BYTES,
            field_label=str(self.fields["file"].label),
        )
        return upload

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") == ProgramImport.Kind.ENROLLMENTS
            and not data.get("program")
            and not self.has_error("program")
        ):
            self.add_error("program", _("Choose the program to enroll the recipients in."))
        return data


class ProgramStatsReportParams(BootstrapFormMixin, forms.Form):
    """The parameter of the program statistics report (``reports`` kind ``program_stats``):
    one program, or none for every program with a recipient in the year. Only the programs the
    user may see are offered, and only those are accepted."""

    program = forms.ChoiceField(
        label=_("Program"),
        required=False,
        help_text=_("Empty: every program with a recipient in the year."),
        error_messages={
            "invalid_choice": _("Program: %(value)s is unknown or outside your access."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import program_list

        self.fields["program"].choices = [("", _("All programs"))] + [
            (code, f"{code} - {name}")
            for code, name in program_list(user=user).order_by("code").values_list("code", "name")
        ]
