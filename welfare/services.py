from typing import Any

from django.db import transaction

from accounts.access import Action, Domain, require

from .concurrency import check_version
from .models import Agency

AGENCY_FIELDS = (
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
)


@transaction.atomic
def agency_update(*, agency: Agency, actor, version: int | None, data: dict[str, Any]) -> Agency:
    """Change the agency profile; refused if someone else saved it since ``version``."""
    require(actor, Domain.ADMIN, Action.CHANGE)
    check_version(agency, version)
    for field, value in data.items():
        if field not in AGENCY_FIELDS:
            raise ValueError(f"unknown agency field {field!r}")
        if field == "logo" and value is False:
            value = ""  # "remove the logo" ticked (the file stays for the reports made with it)
        setattr(agency, field, value)
    agency._history_user = actor
    agency.full_clean()
    agency.save()
    return agency
