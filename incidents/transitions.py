"""The incident state machine as data: which state may go to which (no ORM here)."""

from __future__ import annotations

from incidents.choices import State

ALLOWED: dict[str, frozenset[str]] = {
    State.NEW: frozenset({State.IN_PROGRESS, State.ON_HOLD, State.RESOLVED, State.CANCELLED}),
    State.IN_PROGRESS: frozenset({State.ON_HOLD, State.RESOLVED, State.CANCELLED}),
    State.ON_HOLD: frozenset({State.IN_PROGRESS, State.RESOLVED, State.CANCELLED}),
    State.RESOLVED: frozenset({State.IN_PROGRESS, State.CLOSED}),
    State.CLOSED: frozenset(),
    State.CANCELLED: frozenset(),
}


def can_transition(from_state: str, to_state: str) -> bool:
    """Whether the lifecycle allows going from one state to another."""
    return to_state in ALLOWED.get(from_state, frozenset())


def allowed_targets(from_state: str) -> list[str]:
    """The states reachable from `from_state`, in the lifecycle's natural order."""
    order = [s.value for s in State]
    return sorted(ALLOWED.get(from_state, frozenset()), key=order.index)


def is_reopen(from_state: str, to_state: str) -> bool:
    return from_state == State.RESOLVED and to_state == State.IN_PROGRESS
