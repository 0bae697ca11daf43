"""One FilterSet per list, shared by the pages and the API."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.access import Action, restrict
from regions.filters import home_districts
from welfare.api.params import StrictBooleanFilter, YearFilter

from .kinds import kind_choices
from .models import (
    ActivityEntry,
    ActivityType,
    DisasterIncident,
    DisasterType,
    PsksInstitution,
    PsksKind,
    PsksPerson,
    PsksService,
    Referral,
    ReferralService,
    Submission,
)

AWAITING = "awaiting"


@extend_schema_field(OpenApiTypes.INT)
class HouseholdFilter(django_filters.ModelChoiceFilter):
    """A household of the registry, by its id (the API describes it as an integer)."""


def _households(request=None):
    """The households of the registry this user may see (a household out of scope is refused
    as an invalid choice: HTTP 400 in the API, 404 on the inbox page)."""
    from beneficiaries import selectors as registry
    from beneficiaries.models import Household

    user = getattr(request, "user", None)
    if user is None:
        return Household.objects.none()
    return registry.household_list(user=user, state="all")


class SubmissionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(AWAITING, _("Waiting for review")), *Submission.Status.choices],
        method="filter_status",
        empty_label=_("All statuses"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Form"), choices=kind_choices, empty_label=_("All forms")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="event_date", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="event_date", lookup_expr="lte"
    )
    late = django_filters.ChoiceFilter(
        label=_("Monthly reports"),
        choices=[("yes", _("Late only"))],
        empty_label=_("All"),
        method="filter_late",
    )
    mine = django_filters.ChoiceFilter(
        label=_("To review"),
        choices=[("yes", _("Those I may review"))],
        empty_label=_("All that I can see"),
        method="filter_mine",
    )
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q", help_text="Summary or user name of the TKSK."
    )
    household = HouseholdFilter(
        label=_("Household"),
        queryset=_households,
        method="filter_household",
        widget=forms.HiddenInput,
        help_text="Id of a household of the registry: the forms about it or its members.",
    )

    class Meta:
        model = Submission
        fields = [
            "status",
            "kind",
            "district",
            "date_from",
            "date_to",
            "late",
            "mine",
            "q",
            "household",
        ]

    def filter_household(self, queryset, name, value):
        """The forms about this household or its members (see selectors.household_visits)."""
        from .selectors import about_household, household_subjects

        return about_household(queryset, household_subjects(value))

    def filter_late(self, queryset, name, value):
        return queryset.filter(is_late=True) if value == "yes" else queryset

    def filter_mine(self, queryset, name, value):
        """The forms the user may review (a head of division: those of their bidang)."""
        user = getattr(self.request, "user", None)
        if value != "yes" or user is None:
            return queryset
        return restrict(queryset, user, Action.APPROVE)

    def filter_status(self, queryset, name, value):
        if value == AWAITING:
            return queryset.filter(status__in=Submission.AWAITING_REVIEW)
        return queryset.filter(status=value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(summary__icontains=value)
            | Q(submitted_by__username__icontains=value)
            | Q(submitted_by__first_name__icontains=value)
        )


class PsksPersonFilter(django_filters.FilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"),
        queryset=PsksKind.objects.filter(unit=PsksKind.Unit.PERSON),
        empty_label=_("All kinds"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    certified = StrictBooleanFilter(
        label=_("Certified"), field_name="certified_on", lookup_expr="isnull", exclude=True
    )
    active = StrictBooleanFilter(label=_("Active"))
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = PsksPerson
        fields = ["kind", "district", "certified", "active", "q"]


class PsksInstitutionFilter(django_filters.FilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"),
        queryset=PsksKind.objects.filter(unit=PsksKind.Unit.INSTITUTION),
        empty_label=_("All kinds"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Field of service"),
        queryset=PsksService.objects.all(),
        field_name="services",
        empty_label=_("All fields"),
    )
    accreditation = django_filters.ChoiceFilter(
        label=_("Accreditation"),
        choices=[
            ("valid", _("Accredited (valid)")),
            ("expired", _("Accreditation lapsed")),
            ("none", _("Never accredited")),
        ],
        method="filter_accreditation",
        empty_label=_("Any"),
    )
    active = StrictBooleanFilter(label=_("Active"))
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = PsksInstitution
        fields = ["kind", "district", "service", "accreditation", "active", "q"]

    def filter_accreditation(self, queryset, name, value):
        today = timezone.localdate()
        if value == "valid":
            return queryset.exclude(accreditation_grade="").filter(
                accredited_on__lte=today, accreditation_valid_until__gte=today
            )
        if value == "expired":
            return queryset.exclude(accreditation_grade="").filter(
                accreditation_valid_until__lt=today
            )
        return queryset.filter(accreditation_grade="")


class DisasterIncidentFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    disaster_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=DisasterType.choices, empty_label=_("All types")
    )
    year = YearFilter(field_name="occurred_on__year")
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_on", lookup_expr="lte"
    )

    class Meta:
        model = DisasterIncident
        fields = ["district", "disaster_type", "year", "date_from", "date_to"]


class ReferralFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    service = django_filters.ChoiceFilter(
        label=_("Service"), choices=ReferralService.choices, empty_label=_("All services")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Referral.Status.choices, empty_label=_("All statuses")
    )
    year = YearFilter(field_name="referred_on__year")

    class Meta:
        model = Referral
        fields = ["district", "service", "status", "year"]


class ActivityEntryFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=home_districts, empty_label=_("All kecamatan")
    )
    activity_type = django_filters.ChoiceFilter(
        label=_("Activity"), choices=ActivityType.choices, empty_label=_("All activities")
    )
    month = django_filters.CharFilter(
        label=_("Month"), method="filter_month", help_text="Year and month, e.g. 2026-10."
    )

    class Meta:
        model = ActivityEntry
        fields = ["district", "activity_type", "month"]

    def filter_month(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-"))
            first = datetime.date(year, month, 1)
        except ValueError:
            return queryset.none()
        return queryset.filter(date__year=first.year, date__month=first.month)
