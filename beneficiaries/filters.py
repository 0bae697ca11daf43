"""The FilterSets of the registry: one for persons, one for households, serving the pages, the
API and the exports. Filters other modules register (``extensions.register_list_filter``, e.g.
"program") are added to both at each request."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from regions.filters import home_districts, home_villages

from . import extensions
from .models import CategoryPlacement, Household, Person, PpksCategory, Sex, normalize_name

AGE_BANDS = [
    ("0-5", _("0-5 years")),
    ("6-18", _("6-18 years")),
    ("19-59", _("19-59 years")),
    ("60+", _("60 years and over")),
]
AGE_BAND_BOUNDS = {"0-5": (0, 5), "6-18": (6, 18), "19-59": (19, 59), "60+": (60, None)}
DESIL_CHOICES = [(str(n), str(n)) for n in range(1, 11)]


def birth_date_range(band: str, today: datetime.date | None = None) -> Q:
    """A Q on ``birth_date`` for persons whose age (in whole years) falls in ``band``."""
    today = today or timezone.localdate()
    low, high = AGE_BAND_BOUNDS[band]

    def years_ago(years: int) -> datetime.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    q = Q(birth_date__lte=years_ago(low))
    if high is not None:
        q &= Q(birth_date__gt=years_ago(high + 1))
    return q


def _villages(request=None):
    queryset = home_villages(request)
    district = request.GET.get("district") if request is not None else None
    if district:
        queryset = queryset.filter(district_id=district)
    return queryset.order_by("name")


def _categories(request=None):
    return PpksCategory.objects.order_by("number")


@extend_schema_field(OpenApiTypes.STR)
class CategoryCodeFilter(django_filters.ModelChoiceFilter):
    """A PPKS category by its code (the API documents it as a string)."""


class _RegistryFilter(django_filters.FilterSet):
    model_name = ""

    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Desa/kelurahan"), queryset=_villages, empty_label=_("All villages")
    )
    category = CategoryCodeFilter(
        label=capfirst(_("PPKS category")),
        queryset=_categories,
        to_field_name="code",
        empty_label=_("All categories"),
        method="filter_category",
    )
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q", help_text=_("NIK (16 digits, exact) or name.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for extra in extensions.list_filters(self.model_name):
            self.filters[extra.name] = django_filters.ChoiceFilter(
                field_name=extra.name,
                label=extra.label,
                choices=extra.choices,
                method=_extension_method(extra),
                empty_label=_("All"),
            )

    def filter_category(self, queryset, name, value):
        return queryset.filter(self._placement_exists(category=value))

    def _placement_exists(self, **lookups) -> Q:
        raise NotImplementedError


def _extension_method(extra: extensions.ListFilter):
    def method(queryset, name, value):
        return extra.apply(queryset, value)

    return method


class PersonFilter(_RegistryFilter):
    model_name = "person"

    desil = django_filters.ChoiceFilter(
        label=_("Desil"),
        choices=DESIL_CHOICES,
        field_name="household__desil",
        empty_label=_("All desil"),
    )
    status = django_filters.ChoiceFilter(
        label=_("PPKS status"),
        choices=CategoryPlacement.Status.choices,
        method="filter_status",
        empty_label=_("All statuses"),
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("All"))
    age_band = django_filters.ChoiceFilter(
        label=_("Age"), choices=AGE_BANDS, method="filter_age_band", empty_label=_("All ages")
    )

    class Meta:
        model = Person
        fields = ["district", "village", "category", "desil", "status", "sex", "age_band", "q"]

    def _placement_exists(self, **lookups) -> Q:
        status = self.form.cleaned_data.get("status") if hasattr(self.form, "cleaned_data") else ""
        if status:
            lookups["status"] = status
        else:
            lookups["status__in"] = CategoryPlacement.OPEN_STATUSES
        return Q(Exists(CategoryPlacement.objects.filter(person=OuterRef("pk"), **lookups)))

    def filter_status(self, queryset, name, value):
        if self.form.cleaned_data.get("category"):
            return queryset  # applied together with the category
        return queryset.filter(
            Exists(CategoryPlacement.objects.filter(person=OuterRef("pk"), status=value))
        )

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(birth_date_range(value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        digits = value.replace(" ", "")
        if digits.isdigit() and len(digits) == 16:
            return queryset.filter(nik=digits)
        normalized = normalize_name(value)
        if not normalized:
            return queryset.none()
        return queryset.filter(name_normalized__contains=normalized)


class HouseholdFilter(_RegistryFilter):
    model_name = "household"

    desil = django_filters.ChoiceFilter(
        label=_("Desil"), choices=DESIL_CHOICES, empty_label=_("All desil")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Household.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Household
        fields = ["district", "village", "category", "desil", "status", "q"]

    def _placement_exists(self, **lookups) -> Q:
        lookups["status__in"] = CategoryPlacement.OPEN_STATUSES
        own = CategoryPlacement.objects.filter(household=OuterRef("pk"), **lookups)
        members = CategoryPlacement.objects.filter(person__household=OuterRef("pk"), **lookups)
        return Q(Exists(own)) | Q(Exists(members))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        digits = value.replace(" ", "")
        if digits.isdigit() and len(digits) == 16:
            member = Person.objects.filter(household=OuterRef("pk"), nik=digits)
            return queryset.filter(Q(no_kk=digits) | Q(Exists(member)))
        normalized = normalize_name(value)
        if not normalized:
            return queryset.none()
        member = Person.objects.filter(
            household=OuterRef("pk"), name_normalized__contains=normalized
        )
        return queryset.filter(Exists(member))
