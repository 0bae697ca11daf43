from django import forms
from django.forms.renderers import TemplatesSetting
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .models import Agency
from .validators import validate_plausible_date

# Texts of Django 6.1 that its Indonesian catalogue lacks yet (a select's empty choice read
# "- Select an option -"); translated in locale/, which Django reads before its own catalogues.
DJANGO_TEXTS_MISSING_IN_INDONESIAN = (
    gettext_noop("- Select an option -"),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("No %s matches the given query."),
    gettext_noop("Logout"),
    gettext_noop("Filter by %(field_name)s"),
)


class FormRenderer(TemplatesSetting):
    """``{{ form }}`` renders with the project's Bootstrap markup (templates/partials)."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/field.html"


def style_form(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class (also used for django-filter forms), and every date
    field the plausible-date check (a year typed 0001 is refused, not computed with)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and validate_plausible_date not in field.validators:
            field.validators.append(validate_plausible_date)
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = ""
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if css and css not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class BootstrapFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class TableRowFormMixin(BootstrapFormMixin):
    """A form shown as one row of a table whose column headers are the labels: each input
    names its column for screen readers (there is no <label> per cell)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = field.label


class VersionedFormMixin(BootstrapFormMixin, forms.Form):
    """Carries the version of the record the user opened (see ``welfare.concurrency``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version


class LogoInput(forms.ClearableFileInput):
    """The current logo as a picture (uploads are not served from /media/: the picture comes
    from a view that checks access), a box to remove it, and the file input."""

    template_name = "welfare/widgets/logo_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = reverse_lazy("agency_logo")
        return context


class AgencyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "regency",
            "address",
            "phone",
            "email",
            "website",
            "head_name",
            "head_nip",
            "head_title",
            "logo",
        ]
        help_texts = {"logo": _("PNG or JPEG, at most 2 MB; shown on the report cover.")}
        widgets = {"logo": LogoInput}

    def clean_head_nip(self):
        from .validators import validate_nip

        return validate_nip(self.cleaned_data.get("head_nip", ""))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The logo is larger than 2 MB."))
        return logo
