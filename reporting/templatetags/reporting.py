"""Formatting of report figures: durations in words, percentages, ISO instants in the viewer's zone."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """3 h 12 min, 2 d 4 h, 45 s; an em dash when there is no value."""
    if seconds is None or seconds == "":
        return "—"
    seconds = float(seconds)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 60:
        return f"{sign}{seconds:.0f} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{sign}{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{sign}{hours} h {minutes} min" if minutes else f"{sign}{hours} h"
    days, hours = divmod(hours, 24)
    return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.1f} %"


@register.filter
def instant(value) -> str:
    """An ISO timestamp shown in the active (viewer's) zone."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@register.simple_tag(takes_context=True)
def export_url(context, table: str) -> str:
    query = context.get("query_string", "")
    return f"/reports/export/{table}.csv" + (f"?{query}" if query else "")
