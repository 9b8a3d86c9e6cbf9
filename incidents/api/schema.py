"""Shared pieces of the OpenAPI description: error responses and the concurrency headers."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from incidents.api.serializers import ErrorSerializer

ERROR_TEXT = {
    400: "Bad input; `errors` names every bad field.",
    401: "Not signed in, or the token is unknown, revoked or expired.",
    403: "Signed in, but your role or token scope does not allow this.",
    404: "No such resource, or you may not see it.",
    409: "The change conflicts with the incident's state (e.g. it is closed).",
    412: "If-Match named an older version: someone else changed it. Nothing was changed.",
    413: "The upload is too large.",
    415: "Unsupported content type.",
    422: "The Idempotency-Key was already used with a different request.",
    429: "Too many requests; wait Retry-After seconds.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses for extend_schema(responses=...): 401, 403 and 429 are always possible."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_TEXT[code]) for code in sorted({401, 403, 429, *codes})
    }


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you last saw; a stale one gets 412 and changes nothing.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="An ETag you hold; 304 when unchanged."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string (e.g. a UUID): a retry with the same key and body returns the first response.",
)
