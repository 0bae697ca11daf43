from django.db.models import QuerySet

from accounts.access import Action, restrict

from .models import Agency, Job


def agency_get() -> Agency:
    """The agency profile (created on first use)."""
    agency = Agency.objects.select_related("regency").first()
    if agency is None:
        agency, _ = Agency.objects.get_or_create(pk=1)
    return agency


def job_list(*, user) -> QuerySet[Job]:
    return restrict(Job.objects.select_related("created_by"), user, Action.VIEW)
