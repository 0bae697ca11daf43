"""What field work contributes to other apps, registered from ``FieldworkConfig.ready()``:

* the registry's household panel "Field visits" (``household_visits_panel``): the field forms
  about the household or its members (verification visits, new PPKS, aid monitoring,
  referrals and their follow-ups), read through ``selectors.household_visits`` with the scope
  of the inbox, and a link to the inbox filtered on the household (``?household=<id>``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy


def household_visits_panel(request, household) -> str | None:
    """The household's field visits on the registry's household page; None for users who may
    see no field forms (their role, or an API client)."""
    from . import selectors

    visits = selectors.household_visits(user=request.user, household=household)
    if visits is None:
        return None
    query = urlencode({"status": "", "household": household.pk})
    return render_to_string(
        "fieldwork/_household_visits.html",
        {
            "visits": visits,
            "household": household,
            "all_url": f"{reverse('fieldwork:inbox')}?{query}",
        },
        request=request,
    )


def register() -> None:
    if apps.is_installed("beneficiaries"):
        from beneficiaries import extensions

        extensions.register_household_panel(
            "fieldwork",
            title=gettext_lazy("Field visits"),
            render=household_visits_panel,
            order=20,
        )
