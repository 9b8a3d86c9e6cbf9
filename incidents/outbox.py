"""Writing to and delivering from the notification outbox.

A row is written in the cause's transaction; after commit a Celery task delivers it; a periodic sweep retries
what failed or was never picked up (broker down, worker killed), with exponential backoff.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone

from incidents.choices import NotificationChannel, NotificationStatus
from incidents.models import Notification, NotificationAttempt

log = logging.getLogger(__name__)

# Fresh rows are left to the on-commit task for this long before the sweep may pick them up.
SWEEP_GRACE = timedelta(seconds=30)

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_suppressed", default=False)


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Writes no notifications inside the block: demo data and bulk loads must not mail anybody."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def is_suppressed() -> bool:
    """Whether the current block writes no notifications (see `suppressed`)."""
    return _suppressed.get()


Sender = Callable[[Notification], int | None]
_senders: dict[str, Sender] = {}


def register_sender(channel: str, sender: Sender) -> None:
    """Lets another app (integrations' webhooks) deliver a channel; the sender raises on failure."""
    _senders[channel] = sender


def enqueue(
    *,
    key: str,
    kind: str,
    recipient: str,
    subject: str = "",
    body: str = "",
    channel: str = NotificationChannel.EMAIL,
    payload: dict | None = None,
    headers: dict | None = None,
    incident=None,
) -> Notification | None:
    """Writes a notification in the current transaction; returns None when the same key was already written."""
    if is_suppressed():
        return None
    notification, created = Notification.objects.get_or_create(
        key=key[:200],
        defaults={
            "kind": kind,
            "channel": channel,
            "recipient": recipient,
            "subject": subject[:300],
            "body": body,
            "payload": payload or {},
            "headers": headers or {},
            "incident": incident,
            "next_attempt_at": timezone.now() + SWEEP_GRACE,
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda: _dispatch(notification.pk))
    return notification


def _dispatch(notification_id: int) -> None:
    from incidents.tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception:  # noqa: BLE001
        # The broker is down: the row is committed, so the sweep delivers it later. Never fail the user's request.
        log.warning(
            "outbox: could not queue notification, the sweep will retry", extra={"notification": notification_id}
        )


@dataclass(frozen=True)
class Outgoing:
    """One notification for enqueue_many: the same fields as enqueue, for writers of thousands at once."""

    key: str
    kind: str
    recipient: str
    subject: str = ""
    body: str = ""
    incident_id: int | None = None
    headers: dict = field(default_factory=dict)
    channel: str = NotificationChannel.EMAIL


def enqueue_many(items: list[Outgoing], *, now: datetime | None = None) -> list[int]:
    """Writes many notifications in one INSERT (duplicate keys dropped) and one delivery task after commit.

    Returns the ids actually written; the SLA tick uses it so its cost per batch stays constant.
    """
    if not items or is_suppressed():
        return []
    now = now or timezone.now()
    rows, seen = [], set()
    for item in items:
        key = item.key[:200]
        if key in seen:
            continue
        seen.add(key)
        rows += [
            key,
            item.channel,
            item.kind,
            item.recipient,
            item.subject[:300],
            item.body,
            "{}",
            json.dumps(item.headers),
            item.incident_id,
            NotificationStatus.PENDING,
            0,
            now + SWEEP_GRACE,
            "",
            now,
        ]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s, %s, %s, %s)"] * len(seen))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO incidents_notification (key, channel, kind, recipient, subject, body, payload, headers, "
            "incident_id, status, attempts, next_attempt_at, last_error, created_at) VALUES "
            f"{values} ON CONFLICT (key) DO NOTHING RETURNING id",
            rows,
        )
        ids = [row[0] for row in cursor.fetchall()]
    if ids:
        transaction.on_commit(lambda: _dispatch_many(ids))
    return ids


def _dispatch_many(ids: list[int]) -> None:
    from incidents.tasks import deliver_notifications

    try:
        deliver_notifications.delay(ids)
    except Exception:  # noqa: BLE001
        log.warning("outbox: could not queue notifications, the sweep will retry", extra={"count": len(ids)})


def backoff(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failures: base, 2x, 4x ... capped at six hours."""
    return timedelta(seconds=min(settings.OUTBOX_BACKOFF_SECONDS * (2 ** max(attempts - 1, 0)), 6 * 3600))


def deliver(notification_id: int, *, now: datetime | None = None) -> bool:
    """Sends one notification if it is still due; the row lock makes concurrent deliveries of it impossible."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED])
            .first()
        )
        if notification is None:
            return False
        now = now or timezone.now()
        response_code = None
        try:
            response_code = _send(notification)
        except Exception as exc:  # noqa: BLE001
            notification.attempts += 1
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            gave_up = notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS
            notification.status = NotificationStatus.DEAD if gave_up else NotificationStatus.FAILED
            notification.next_attempt_at = now + backoff(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            NotificationAttempt.objects.create(
                notification=notification,
                success=False,
                error=notification.last_error,
                response_code=getattr(exc, "status_code", None),
            )
            _after_failure(notification)
            log.warning("outbox: delivery failed", extra={"notification": notification.pk})
            return False
        notification.attempts += 1
        notification.status = NotificationStatus.SENT
        notification.sent_at = now
        notification.last_error = ""
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        NotificationAttempt.objects.create(notification=notification, success=True, response_code=response_code)
        return True


_failure_listeners: list[Callable[[Notification], None]] = []


def on_failure(listener: Callable[[Notification], None]) -> None:
    """Lets a channel react to a failed attempt (webhooks disable a subscription after repeated failures)."""
    if listener not in _failure_listeners:
        _failure_listeners.append(listener)


def _after_failure(notification: Notification) -> None:
    for listener in _failure_listeners:
        listener(notification)


def _send(notification: Notification) -> int | None:
    if notification.channel == NotificationChannel.EMAIL:
        return send_email(notification)
    sender = _senders.get(notification.channel)
    if sender is None:
        raise RuntimeError(f"No sender registered for channel {notification.channel!r}")
    return sender(notification)


def send_email(notification: Notification) -> None:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers=notification.headers or None,
    )
    html = notification.payload.get("html") if notification.payload else None
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in (notification.payload or {}).get("attachments", []):
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype", "text/plain"))
    message.send(fail_silently=False)


def sweep(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Delivers due pending or failed notifications; returns how many were sent."""
    now = now or timezone.now()
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    due = list(
        Notification.objects.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    return sum(1 for pk in due if deliver(pk, now=now))
