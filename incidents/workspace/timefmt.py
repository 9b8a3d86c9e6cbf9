"""Human durations for deadlines ("in 2 h 10 min", "overdue 5 min"); pure functions, no database."""

from __future__ import annotations

from datetime import datetime, timedelta


def short_duration(delta: timedelta) -> str:
    """A positive duration as the two largest units: "3 d 4 h", "2 h 10 min", "5 min", "less than 1 min"."""
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return "less than 1 min"


def until(remaining: timedelta) -> str:
    """Time left before a deadline, or how far past it: "in 2 h 10 min" / "overdue 5 min"."""
    if remaining.total_seconds() < 0:
        return f"overdue {short_duration(remaining)}"
    return f"in {short_duration(remaining)}"


def ago(moment: datetime, now: datetime) -> str:
    """How long ago `moment` was: "just now", "5 min ago", "2 h 10 min ago", "3 d ago"."""
    delta = now - moment
    if delta.total_seconds() < 60:
        return "just now" if delta.total_seconds() > -60 else f"in {short_duration(delta)}"
    return f"{short_duration(delta)} ago"


def sla_css(status: str, percent: float | None) -> str:
    """The colour class of an SLA clock: breached, at risk (status or 75 % used), else on track."""
    if status in ("breached", "missed"):
        return "sla-breach"
    if status == "at_risk" or (percent is not None and percent >= 75 and status not in ("met", "paused")):
        return "sla-risk"
    if status in ("met", "paused"):
        return "sla-muted"
    return "sla-ok"
