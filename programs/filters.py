"""One FilterSet per list, shared by the pages, the API and the exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Household, Person
from regions.filters import home_districts, home_villages
from welfare.api.params import StrictBooleanFilter, YearFilter

from .models import Disbursement, Enrollment, ExitReason, Program


def _villages(request=None):
    return home_villages(request).order_by("district__name", "name")


def _programs(request=None):
    return Program.objects.order_by("code")


def in_year(queryset, year):
    return queryset.filter(start_date__year__lte=year).filter(
        Q(end_date__isnull=True) | Q(end_date__year__gte=year)
    )


class EnrollmentFilter(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=_programs, to_field_name="code", empty_label=_("All programs")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Enrollment.Status.choices, empty_label=_("All statuses")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Desa/kelurahan"), queryset=_villages, empty_label=_("All desa")
    )
    year = YearFilter(method="filter_year")
    exit_reason = django_filters.ChoiceFilter(
        label=_("Reason for leaving"), choices=ExitReason.choices, empty_label=_("All")
    )
    overridden = StrictBooleanFilter(label=_("Rules overridden"), method="filter_overridden")
    q = django_filters.CharFilter(label=_("Name, NIK or No. KK"), method="filter_q")

    class Meta:
        model = Enrollment
        fields = ["program", "status", "district", "village", "year", "exit_reason"]

    def filter_year(self, queryset, name, value):
        return in_year(queryset, value) if value else queryset

    def filter_overridden(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(override_by=None) if value else queryset.filter(override_by=None)

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(
                Q(person__nik=value) | Q(household__no_kk=value) | Q(person__household__no_kk=value)
            )
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(
                household__members__name__icontains=value, household__members__relationship="kepala"
            )
            | Q(group__name__icontains=value)
        ).distinct()


class DisbursementFilter(django_filters.FilterSet):
    stage = django_filters.NumberFilter(label=_("Stage"), field_name="stage__number")
    year = YearFilter(field_name="year")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Disbursement.Status.choices, empty_label=_("All statuses")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )

    class Meta:
        model = Disbursement
        fields = ["stage", "year", "status", "district"]


class CandidateHouseholdFilter(django_filters.FilterSet):
    """The registry list from which eligible households are selected for a program."""

    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Desa/kelurahan"), queryset=_villages, empty_label=_("All desa")
    )
    desil_max = django_filters.NumberFilter(
        label=_("Desil at most"), field_name="desil", lookup_expr="lte", min_value=1, max_value=10
    )

    class Meta:
        model = Household
        fields = ["district", "village"]


class CandidatePersonFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Desa/kelurahan"), queryset=_villages, empty_label=_("All desa")
    )
    desil_max = django_filters.NumberFilter(
        label=_("Desil at most"),
        field_name="household__desil",
        lookup_expr="lte",
        min_value=1,
        max_value=10,
    )

    class Meta:
        model = Person
        fields = ["district", "village"]
