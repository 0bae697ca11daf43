from django import forms
from django.utils.translation import gettext_lazy as _

from welfare.api.params import YEAR_MAX, YEAR_MIN
from welfare.forms import BootstrapFormMixin, VersionedFormMixin

from .kinds import kind_choices


class GenerateForm(BootstrapFormMixin, forms.Form):
    allow_draft = forms.BooleanField(
        label=_("Generate anyway as a draft despite the problems found"), required=False
    )


class OpenReportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()


class NarrativeForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("Separate paragraphs with an empty line."),
    )
