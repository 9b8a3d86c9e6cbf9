"""Idempotency-Key on POST: a retry gets the first response back and changes nothing.

The key row is inserted in the same transaction as the work. A concurrent retry with the same key blocks on the
unique index until the first request commits (then it replays the stored response) or rolls back (then it acts
itself), so two requests with one key can never both act.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from incidents.api.errors import IdempotencyMismatch
from incidents.integrations.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("ETag", "Location")


def request_fingerprint(request) -> str:
    """SHA-256 over method, path and body: JSON compared by meaning (key order ignored), anything else by bytes."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data  # malformed JSON raises ParseError here: a 400, as without the key
    if not hasattr(data, "lists"):
        digest.update(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode())
        return digest.hexdigest()
    for name, values in sorted(data.lists()):
        for value in values:
            digest.update(name.encode())
            if hasattr(value, "chunks"):
                for chunk in value.chunks():
                    digest.update(chunk)
                value.seek(0)
            else:
                digest.update(str(value).encode())
    return digest.hexdigest()


def _claim(user_id: int, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Inserts the key row, or waits for and locks the row another request inserted; None when we inserted it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO integrations_idempotencykey "
            "(user_id, key, fingerprint, response_status, response_body, response_headers, created_at) "
            "VALUES (%s, %s, %s, NULL, NULL, '{}'::jsonb, %s) ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
            [user_id, key, fingerprint, timezone.now()],
        )
        if cursor.fetchone() is not None:
            return None
    return IdempotencyKey.objects.select_for_update().get(user_id=user_id, key=key)


def idempotent(request, handler: Callable[[], Response]) -> Response:
    """Runs `handler` once per (user, Idempotency-Key); replays its 2xx response to identical retries."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError({HEADER: [f"Use 1 to {MAX_KEY_LENGTH} printable characters, e.g. a UUID."]})
    fingerprint = request_fingerprint(request)
    expiry = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    IdempotencyKey.objects.filter(user_id=request.user.pk, key=key, created_at__lt=expiry).delete()
    with transaction.atomic():
        existing = _claim(request.user.pk, key, fingerprint)
        if existing is not None:
            if existing.fingerprint != fingerprint:
                raise IdempotencyMismatch()
            headers = {**existing.response_headers, "Idempotent-Replayed": "true"}
            return Response(existing.response_body, status=existing.response_status, headers=headers)
        response = handler()
        if not 200 <= response.status_code < 300:
            # Nothing to remember: undo the key (and anything else) so that a retry acts afresh.
            transaction.set_rollback(True)
            return response
        stored = json.loads(JSONRenderer().render(response.data) or b"null")
        IdempotencyKey.objects.filter(user_id=request.user.pk, key=key).update(
            response_status=response.status_code,
            response_body=stored,
            response_headers={name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)},
        )
        return response


def purge_expired(*, now=None) -> int:
    """Deletes keys older than the retention window; returns how many."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    ).delete()
    return deleted
