from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regions.models import District
from welfare.forms import VersionedFormMixin

from .models import User


class UserForm(VersionedFormMixin, forms.ModelForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("At least 10 characters. Leave empty for an API client (it uses a token)."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "bidang",
            "district",
            "nip",
            "position",
            "phone",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(
            regency_id=settings.WELFARE_HOME_REGENCY
        )
        if self.instance.pk:
            del self.fields["password"]
            self.fields["username"].disabled = True
