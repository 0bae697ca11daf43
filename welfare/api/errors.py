"""Every API error is JSON with a clear message: ``{"detail": ..., "code": ..., "errors": {...}}``.

``errors`` maps a field name to its messages (for validation errors); ``detail`` is always a
sentence a user can read. A stale write (someone else saved first) is HTTP 409.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from welfare.concurrency import ConcurrentUpdateError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat = []
        for item in detail:
            value = _flatten(item)
            flat.extend(value if isinstance(value, list) else [value])
        return flat
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, ConcurrentUpdateError):
        return Response(
            {"detail": exc.message, "code": "conflict", "current_version": exc.current_version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or _("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("Your role may not do this."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = {
            "detail": _("The data sent is not valid: see the messages per field."),
            "code": "invalid",
            "errors": errors,
        }
    else:
        detail = getattr(exc, "detail", None)
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        response.data = {
            "detail": str(detail) if detail is not None else str(exc),
            "code": codes if isinstance(codes, str) else "error",
        }
    return response
