"""Helpers shared by the pages of field work."""

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

from accounts.access import Action, Domain, has_permission, is_tksk, user_district_code
from welfare.forms import style_form

OFFLINE_HEADER = "X-Fieldwork-Offline"
USER_HEADER = "X-Fieldwork-User"


def user_tag(user) -> str:
    """Tells the service worker whose page it keeps, without naming anyone: when another user
    opens a kept page, the worker drops every kept page."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:fieldwork:{user.pk}".encode()).hexdigest()[:16]


def offline_page(view: Callable) -> Callable:
    """Mark a page the service worker may keep for use without a connection (the forms, the
    TKSK's lists). Only pages of a TKSK's own work are marked."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if (
            request.method == "GET"
            and response.status_code == 200
            and user_district_code(request.user)
        ):
            response[OFFLINE_HEADER] = "1"
            response[USER_HEADER] = user_tag(request.user)
            response["Cache-Control"] = "private, no-cache"
        return response

    return wrapper


def page_of(request, queryset, per_page: int = 30):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def can_manage(user) -> bool:
    """Whether the PSKS registry and assignments are editable by this user (office staff)."""
    return has_permission(user, Domain.FIELDWORK, Action.CHANGE) and not is_tksk(user)


def can_review(user) -> bool:
    return has_permission(user, Domain.FIELDWORK, Action.APPROVE)


def styled(filterset):
    style_form(filterset.form)
    return filterset


def attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
