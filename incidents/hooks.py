"""A small hook through which other apps (the SLA engine) follow incident changes inside the same transaction.

incidents never imports sla; sla registers a subscriber in its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incidents.models import Incident, TimelineEntry


@dataclass(frozen=True)
class IncidentChange:
    """What one lifecycle call did to an incident, handed to subscribers before the transaction commits."""

    incident: Incident
    kind: str  # created, state, fields, assignment, comment, first_response
    at: datetime
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    actor_id: int | None = None
    entry: TimelineEntry | None = None  # the comment or work note, for kind "comment"


Subscriber = Callable[[IncidentChange], None]
_subscribers: list[Subscriber] = []


def subscribe(fn: Subscriber) -> Subscriber:
    """Registers `fn` to be called on every incident change (idempotent)."""
    if fn not in _subscribers:
        _subscribers.append(fn)
    return fn


def publish(change: IncidentChange) -> None:
    """Calls every subscriber; an exception rolls back the whole change, on purpose."""
    for fn in list(_subscribers):
        fn(change)


# --- Providers: read-side services another app offers to incidents' pages and API (SLA summaries, ...). ---------

_providers: dict[str, Callable[..., Any]] = {}


def provide(name: str, fn: Callable[..., Any]) -> None:
    """Registers the provider of a named read service (e.g. sla registers "sla_summary")."""
    _providers[name] = fn


def call(name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    """Calls a provider if one is registered, else returns `default`."""
    fn = _providers.get(name)
    return fn(*args, **kwargs) if fn is not None else default
