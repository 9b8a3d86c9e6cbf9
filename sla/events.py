"""A small registry through which other apps react to SLA warnings and breaches (webhooks, chat alerts, ...).

    from sla import events

    def on_sla(name: str, payload: dict) -> None:   # name is "sla_warning" or "sla_breached"
        ...

    events.subscribe(on_sla)

Subscribers run inside the engine's transaction, once per recorded event (never twice: the event row is unique), so
they should only write rows (e.g. outbox.enqueue with a key derived from payload["event_id"]). An exception rolls
the batch back and the next tick retries it.

payload: event_id, kind ("warning" | "breach"), threshold (percent), timer_id, metric, label, policy (name),
incident_id, incident_number, incident (the Incident), due_at (the instant the threshold was reached), recorded_at,
target (timedelta).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Subscriber = Callable[[str, dict[str, Any]], None]
BatchSubscriber = Callable[[list[tuple[str, dict[str, Any]]]], None]
_subscribers: list[Subscriber] = []
_batch_subscribers: list[BatchSubscriber] = []

WARNING = "sla_warning"
BREACHED = "sla_breached"


def subscribe(fn: Subscriber) -> Subscriber:
    """Registers `fn(name, payload)` to be called for every recorded SLA event (idempotent); usable as a decorator."""
    if fn not in _subscribers:
        _subscribers.append(fn)
    return fn


def unsubscribe(fn: Subscriber) -> None:
    if fn in _subscribers:
        _subscribers.remove(fn)


def subscribe_batch(fn: BatchSubscriber) -> BatchSubscriber:
    """Registers `fn([(name, payload), ...])`, called once per engine batch: lets a subscriber keep its queries
    per batch constant (load what it needs once for all events)."""
    if fn not in _batch_subscribers:
        _batch_subscribers.append(fn)
    return fn


def publish_many(items: list[tuple[str, dict[str, Any]]]) -> None:
    """Tells batch subscribers once, then per-event subscribers for each event."""
    if not items:
        return
    for fn in list(_batch_subscribers):
        fn(items)
    for name, payload in items:
        for fn in list(_subscribers):
            fn(name, payload)
