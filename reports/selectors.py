"""Reads of the reports app, shared by pages and the API."""

from __future__ import annotations

from django.db.models import F, QuerySet

from accounts.access import Action, Role, restrict, role_of

from .models import Narrative, Report, ReportVersion


def report_list(*, user) -> QuerySet[Report]:
    return restrict(Report.objects.all(), user, Action.VIEW).select_related("approved_version")


def version_list(*, user, report: Report | None = None) -> QuerySet[ReportVersion]:
    queryset = ReportVersion.objects.select_related("report", "created_by", "job").defer("snapshot")
    if report is not None:
        queryset = queryset.filter(report=report)
    queryset = restrict(queryset, user, Action.VIEW)
    if role_of(user) == Role.API_CLIENT:
        # API clients read only what the Kepala Dinas approved (the published report).
        queryset = queryset.filter(report__approved_version=F("pk"))
    return queryset


def narratives_for(*, kind: str, year: int) -> dict[str, Narrative]:
    return {n.section: n for n in Narrative.objects.filter(kind=kind, year=year)}
