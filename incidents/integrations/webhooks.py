"""Outbound webhooks: incident events written to the outbox in the change's transaction, signed when sent.

Signature: X-ITSM-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the subscription's secret>.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from incidents import hooks, outbox
from incidents.choices import EntryKind, NotificationChannel, NotificationStatus
from incidents.integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from incidents.models import Incident, Notification, User

log = logging.getLogger(__name__)

CHANGE_EVENTS = {
    "created": WebhookEvent.CREATED,
    "state": WebhookEvent.STATE_CHANGED,
    "fields": WebhookEvent.UPDATED,
    "assignment": WebhookEvent.ASSIGNED,
}
PING = "ping"
USER_AGENT = "ITSM-Webhooks/1.0"


class WebhookError(Exception):
    """A delivery failed; `status_code` is the receiver's HTTP status when it answered."""

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


# --- the event body --------------------------------------------------------------------------------------------


def _label(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, User):
        return value.username
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def incident_data(incident: Incident) -> dict:
    return {
        "id": incident.pk,
        "number": incident.number,
        "short_description": incident.short_description,
        "state": incident.state,
        "priority": incident.priority,
        "impact": incident.impact,
        "urgency": incident.urgency,
        "channel": incident.channel,
        "is_major": incident.is_major,
        "caller_id": incident.caller_id,
        "service_id": incident.service_id,
        "assigned_team_id": incident.assigned_team_id,
        "assignee_id": incident.assignee_id,
        "version": incident.version,
        "created_at": _label(incident.created_at),
        "updated_at": _label(incident.updated_at),
        "url": f"{settings.SITE_URL}{incident.get_absolute_url()}",
        "api_url": f"{settings.SITE_URL}/api/v1/incidents/{incident.number}/",
    }


def event_body(event_id: str, event_type: str, at, data: dict) -> dict:
    return {"id": event_id, "type": event_type, "created_at": _label(at), "data": data}


def serialize(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


# --- writing events (inside the cause's transaction) ---------------------------------------------------------------


def publish(event_type: str, data: dict, *, incident: Incident | None = None, at=None) -> int:
    """Writes one outbox row per active subscription to `event_type`; returns how many."""
    subscriptions = list(WebhookSubscription.objects.filter(is_active=True, events__contains=[event_type]))
    if not subscriptions:
        return 0
    event_id = f"evt_{uuid.uuid4().hex}"
    body = event_body(event_id, event_type, at or timezone.now(), data)
    return sum(1 for sub in subscriptions if _enqueue(sub, event_id, event_type, body, incident) is not None)


def _enqueue(sub: WebhookSubscription, event_id: str, event_type: str, body: dict, incident) -> Notification | None:
    notification = outbox.enqueue(
        key=f"{event_id}:{sub.pk}",
        kind=event_type,
        channel=NotificationChannel.WEBHOOK,
        recipient=sub.url,
        payload=body,
        headers={"X-ITSM-Event": event_type, "Idempotency-Key": event_id},
        incident=incident,
    )
    if notification is not None:
        WebhookDelivery.objects.create(
            subscription=sub, notification=notification, event_id=event_id, event_type=event_type
        )
    return notification


def on_incident_change(change: hooks.IncidentChange) -> None:
    if change.kind == "comment":
        _on_comment(change)
        return
    event_type = CHANGE_EVENTS.get(change.kind)
    if event_type is None:
        return
    data = {
        "incident": incident_data(change.incident),
        "changes": {name: [_label(old), _label(new)] for name, (old, new) in change.changes.items()},
        "actor_id": change.actor_id,
    }
    publish(event_type, data, incident=change.incident, at=change.at)


def _on_comment(change: hooks.IncidentChange) -> None:
    """Public comments only: work notes never leave the desk."""
    instance = change.entry
    if instance is None or instance.kind != EntryKind.COMMENT or not instance.is_public:
        return
    incident = change.incident
    data = {
        "incident": incident_data(incident),
        "comment": {"id": instance.pk, "body": instance.body, "author_id": instance.actor_id},
    }
    publish(WebhookEvent.COMMENTED, data, incident=incident, at=instance.created_at)


def send_test_event(sub: WebhookSubscription, *, actor: User) -> Notification:
    """Queues a `ping` event for one subscription (even a disabled one) and returns its outbox row."""
    event_id = f"evt_{uuid.uuid4().hex}"
    body = event_body(
        event_id, PING, timezone.now(), {"subscription": sub.pk, "message": f"Test event sent by {actor.username}."}
    )
    with transaction.atomic():
        notification = _enqueue(sub, event_id, PING, body, None)
    return notification


# --- sending (called by the outbox) ----------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise WebhookError(f"The receiver redirected ({code}) to {newurl}; use the final URL.", status_code=code)


_opener = urllib.request.build_opener(_NoRedirects)


def check_url(url: str) -> None:
    """Only http(s); with WEBHOOK_ALLOW_PRIVATE_ADDRESSES off, no loopback, private or link-local targets."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("Only http:// and https:// URLs can receive webhooks.")
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except OSError as exc:
        raise WebhookError(f"Cannot resolve {parts.hostname}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise WebhookError(f"{parts.hostname} resolves to a private address ({address}); not allowed.")


def send(notification: Notification) -> int:
    """Delivers one webhook notification; raises WebhookError on anything but a 2xx answer."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(notification=notification).first()
    if delivery is None:
        raise WebhookError("The subscription of this delivery was deleted.")
    sub = delivery.subscription
    if not sub.is_active and notification.kind != PING:
        raise WebhookError("The subscription is disabled.")
    check_url(sub.url)
    body = serialize(notification.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-ITSM-Event": notification.kind,
        "X-ITSM-Delivery": str(notification.pk),
        "Idempotency-Key": delivery.event_id,
        "X-ITSM-Signature": sign(sub.secret, int(time.time()), body),
    }
    request = urllib.request.Request(sub.url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            code = response.status
            response.read(1024)
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"The receiver answered {exc.code} {exc.reason}.", status_code=exc.code) from None
    except WebhookError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WebhookError(f"Could not reach the receiver: {reason}") from None
    if not 200 <= code < 300:
        raise WebhookError(f"The receiver answered {code}.", status_code=code)
    WebhookSubscription.objects.filter(pk=sub.pk).update(consecutive_failures=0, last_success_at=timezone.now())
    return code


def on_delivery_failure(notification: Notification) -> None:
    """Counts consecutive failures; past WEBHOOK_DISABLE_AFTER_FAILURES the subscription is switched off."""
    if notification.channel != NotificationChannel.WEBHOOK:
        return
    delivery = WebhookDelivery.objects.filter(notification=notification).only("subscription_id").first()
    if delivery is None:
        return
    now = timezone.now()
    WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(
        consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now
    )
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    disabled = WebhookSubscription.objects.filter(
        pk=delivery.subscription_id, is_active=True, consecutive_failures__gte=limit
    ).update(
        is_active=False,
        disabled_reason=f"Disabled after {limit} failed deliveries in a row ({now:%Y-%m-%d %H:%M} UTC).",
    )
    if disabled:
        give_up_pending(delivery.subscription_id, reason="The subscription was disabled after repeated failures.")
        log.warning("webhooks: subscription disabled after failures", extra={"subscription": delivery.subscription_id})


def give_up_pending(subscription_id: int, *, reason: str) -> int:
    """Stops retrying what is still queued for a subscription (it was disabled or deleted)."""
    return Notification.objects.filter(
        webhook_delivery__subscription_id=subscription_id,
        status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED],
    ).update(status=NotificationStatus.DEAD, last_error=reason)


def connect() -> None:
    """Registers the sender, the failure listener and the change subscribers (idempotent; from AppConfig.ready)."""
    outbox.register_sender(NotificationChannel.WEBHOOK, send)
    outbox.on_failure(on_delivery_failure)
    hooks.subscribe(on_incident_change)


SLA_EVENTS = {"sla_warning": WebhookEvent.SLA_WARNING, "sla_breached": WebhookEvent.SLA_BREACHED}


def on_sla_events(items: list[tuple[str, dict]]) -> None:
    """SLA warnings and breaches recorded by the engine in one batch (inside its transaction; each recorded once).

    Subscriptions are loaded once per batch, so a tick costs the same few queries for any number of events.
    """
    wanted = [(SLA_EVENTS[name], payload) for name, payload in items if name in SLA_EVENTS and payload.get("incident")]
    if not wanted:
        return
    subscriptions = list(WebhookSubscription.objects.filter(is_active=True, events__overlap=list(SLA_EVENTS.values())))
    for event_type, payload in wanted:
        targets = [sub for sub in subscriptions if event_type in sub.events]
        if not targets:
            continue
        incident = payload["incident"]
        target = payload.get("target")
        data = {
            "incident": incident_data(incident),
            "sla": {
                "kind": payload.get("kind"),
                "threshold": payload.get("threshold"),
                "metric": payload.get("metric"),
                "label": payload.get("label"),
                "policy": payload.get("policy"),
                "due_at": _label(payload.get("due_at")),
                "target_seconds": int(target.total_seconds()) if hasattr(target, "total_seconds") else None,
            },
        }
        # The engine's event id makes the outbox key stable, so a re-run of its batch cannot send it twice.
        event_id = f"evt_sla_{payload.get('event_id')}"
        body = event_body(event_id, event_type, payload.get("recorded_at") or timezone.now(), data)
        for sub in targets:
            _enqueue(sub, event_id, event_type, body, incident)
