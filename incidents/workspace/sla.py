"""SLA clocks for the workspace, read once per page through the "sla_summary" provider (empty until sla exists)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from incidents import hooks
from incidents.workspace.timefmt import sla_css, until

# Most urgent first: which clock a queue row shows when an incident has several.
SEVERITY = {"breached": 0, "at_risk": 1, "ok": 2, "paused": 3, "missed": 4, "met": 5}


def decorate(timer: dict) -> dict:
    """A timer as the templates show it: colour class, percent used and the relative deadline text."""
    percent = float(timer.get("percent") or 0.0)
    status = timer.get("status", "ok")
    remaining = timer.get("remaining")
    if status == "met":
        text = "met"
    elif status == "missed":
        text = "missed"
    elif remaining is None:
        text = ""
    else:
        text = until(remaining)
        if status == "paused":
            text = f"paused, {text.replace('in ', '')} left" if remaining.total_seconds() >= 0 else f"paused, {text}"
    return {
        **timer,
        "css": sla_css(status, percent),
        "percent_shown": round(percent),
        "bar": max(0, min(100, round(percent))),
        "text": text,
        "running": timer.get("state") == "running",
        "remaining_seconds": int(remaining.total_seconds()) if remaining is not None else None,
    }


def summaries(incident_ids: Iterable[int], now: datetime) -> dict[int, list[dict]]:
    """Decorated timers per incident id, in one provider call; {} when no SLA engine is installed."""
    ids = list(incident_ids)
    if not ids:
        return {}
    raw = hooks.call("sla_summary", ids, now, default={}) or {}
    return {pk: [decorate(t) for t in timers] for pk, timers in raw.items()}


def headline(timers: list[dict]) -> dict | None:
    """The clock that matters most: breached, then at risk, then the one with least time left."""
    if not timers:
        return None
    return min(
        timers,
        key=lambda t: (
            SEVERITY.get(t.get("status", "ok"), 9),
            t["remaining_seconds"] if t["remaining_seconds"] is not None else 0,
        ),
    )
