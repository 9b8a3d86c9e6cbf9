"""One JSON error shape for every API response: {"type": ..., "detail": ..., "errors": {field: [messages]}}."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from incidents.errors import IncidentError, StaleVersionError

log = logging.getLogger(__name__)

# IncidentError codes the lifecycle raises, and the HTTP status each one means.
INCIDENT_ERROR_STATUS = {
    "stale": status.HTTP_412_PRECONDITION_FAILED,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_found": status.HTTP_404_NOT_FOUND,
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    "unsupported_type": status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    "invalid_transition": status.HTTP_409_CONFLICT,
    "conflict": status.HTTP_409_CONFLICT,
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The incident was changed by someone else; reload it and apply your change again."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class IdempotencyMismatch(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used with a different request."
    default_code = "idempotency_key_reused"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turns DRF's nested error detail into {"field" or "field.sub" or "items.0.field": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "non_field_errors" if key in ("non_field_errors", "__all__") and not prefix else key
            for field, messages in _flatten(value, f"{prefix}.{name}" if prefix else str(name)).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def body(type_: str, detail: str, errors: dict[str, list[str]] | None = None) -> dict:
    return {"type": type_, "detail": detail, "errors": errors or {}}


def incident_error_response(exc: IncidentError) -> Response:
    code = INCIDENT_ERROR_STATUS.get(exc.code)
    if code is None:
        # A refusal about the incident as a whole (it is final, already in that state) conflicts with its state.
        code = status.HTTP_400_BAD_REQUEST if exc.field else status.HTTP_409_CONFLICT
    type_ = "stale_version" if isinstance(exc, StaleVersionError) else exc.code
    errors = exc.as_dict() if exc.field else {}
    return Response(body(type_, exc.message, errors), status=code)


def exception_handler(exc, context):
    """DRF's handler, then reshaped; domain errors mapped to their status; never an HTML page."""
    if isinstance(exc, IncidentError):
        return incident_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("api: unhandled error", exc_info=exc)
        return Response(
            body("server_error", "Something went wrong on our side; it has been logged."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, serializers.ValidationError):
        errors = _flatten(exc.detail)
        names = [name for name in errors if name != "non_field_errors"]
        if names:
            detail = f"Check these fields: {', '.join(names)}."
        else:
            detail = next(iter(errors.get("non_field_errors", [])), "The request is not valid.")
        response.data = body("validation_error", detail, errors)
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(detail, dict | list):
        errors = _flatten(detail)
        response.data = body(getattr(exc, "default_code", "error"), "The request is not valid.", errors)
    else:
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = body(str(code), str(detail))
    if isinstance(exc, exceptions.Throttled):
        response.data["retry_after"] = exc.wait and int(exc.wait + 0.999)
    return response


def api_not_found(request, path: str = ""):
    """Unknown URLs under /api/ answer in the API's shape, with a hint when only the trailing slash is missing."""
    detail = f"No API endpoint at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail += f" Did you mean {request.path}/ ? API URLs end with a slash."
    return JsonResponse(body("not_found", detail), status=404)
