"""One JSON shape for every API error.

    {"detail": "...", "code": "...", "errors": {"field": ["message", ...]}}

`errors` is present on 400 responses with field errors; `detail` is always present.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; the API answers it like a serializer would.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "detail": _("The input is not valid."),
            "code": "invalid",
            "errors": errors,
        }
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else data
        code = getattr(detail, "code", None) or _code_for(exc, response.status_code)
        response.data = {"detail": str(detail), "code": code}
    return response


def _code_for(exc, status_code: int) -> str:
    if isinstance(exc, Http404) or status_code == status.HTTP_404_NOT_FOUND:
        return "not_found"
    if isinstance(exc, PermissionDenied):
        return "permission_denied"
    return "error"
