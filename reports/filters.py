"""The filters of the report versions list (``/api/v1/reports/``)."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from welfare.api.params import StrictBooleanFilter, YearFilter

from .kinds import kind_choices
from .models import ReportVersion


class ReportVersionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Report kind"), field_name="report__kind", choices=kind_choices
    )
    year = YearFilter(field_name="report__year")
    scope = django_filters.CharFilter(
        label=_("Scope"),
        field_name="report__scope",
        max_length=40,
        help_text=_("A program code: the versions of that program's report"),
    )
    whole = StrictBooleanFilter(
        label=_("Whole kind only"),
        method="filter_whole",
        help_text=_("true: only the reports of the whole kind (no program chosen)"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ReportVersion.Status.choices,
        method="filter_status",
        help_text=_("As the status field: a version whose job died counts as failed"),
    )
    approved = StrictBooleanFilter(
        label=_("Approved"),
        method="filter_approved",
        help_text=_("true: only the approved version of each report"),
    )

    class Meta:
        model = ReportVersion
        fields = ["kind", "year", "scope", "whole", "status", "approved"]

    def filter_whole(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(report__scope="") if value else queryset.exclude(report__scope="")

    def filter_status(self, queryset, name, value):
        died = ReportVersion.died()  # the rule of ``ReportVersion.state``
        if value == ReportVersion.Status.FAILED:
            return queryset.filter(Q(status=value) | died)
        return queryset.filter(status=value).exclude(died)

    def filter_approved(self, queryset, name, value):
        if value is None:
            return queryset
        approved = queryset.filter(report__approved_version=F("pk"))
        return approved if value else queryset.exclude(pk__in=approved.values("pk"))
