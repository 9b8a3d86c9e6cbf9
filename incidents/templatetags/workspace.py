"""Template helpers of the agent workspace: relative times, priority and SLA classes, query strings."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone

from incidents.workspace import timefmt

register = template.Library()


@register.filter
def until(value: timedelta | None) -> str:
    """timedelta -> "in 2 h 10 min" / "overdue 5 min"."""
    return timefmt.until(value) if isinstance(value, timedelta) else ""


@register.filter
def deadline(value: datetime | None) -> str:
    """An instant -> "in 2 h 10 min" / "overdue 5 min" from now."""
    return timefmt.until(value - timezone.now()) if isinstance(value, datetime) else ""


@register.filter
def ago(value: datetime | None) -> str:
    """An instant -> "5 min ago"."""
    return timefmt.ago(value, timezone.now()) if isinstance(value, datetime) else ""


@register.filter
def iso(value: datetime | None) -> str:
    return value.isoformat() if isinstance(value, datetime) else ""


@register.filter
def priority_label(value: int | None) -> str:
    return f"P{value}" if value else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None/"" removes them)."""
    data = context["request"].GET.copy()
    for name, value in changes.items():
        data.pop(name, None)
        if value not in (None, ""):
            data[name] = value
    return data.urlencode()


@register.filter
def selected_in(value, values) -> bool:
    """Whether `value` (as text) is among `values` (a QueryDict list)."""
    return str(value) in {str(v) for v in (values or [])}


@register.filter
def getlist(querydict, name: str) -> list[str]:
    return querydict.getlist(name) if hasattr(querydict, "getlist") else []
