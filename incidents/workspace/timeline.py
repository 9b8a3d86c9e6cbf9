"""The incident timeline as the agent page shows it: filtered, ordered, described in words."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from incidents.choices import EntryKind, Level, OnHoldReason, Priority, ResolutionCode, State
from incidents.models import Incident, TimelineEntry

FILTERS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "all": ("Everything", None),
    "comments": ("Comments", (EntryKind.COMMENT,)),
    "work_notes": ("Work notes", (EntryKind.WORK_NOTE,)),
    "changes": (
        "Changes",
        (
            EntryKind.CREATED,
            EntryKind.FIELD_CHANGE,
            EntryKind.STATE_CHANGE,
            EntryKind.ASSIGNMENT,
            EntryKind.ESCALATION,
            EntryKind.LINK,
            EntryKind.WATCHER,
            EntryKind.ATTACHMENT,
            EntryKind.ALERT,
            EntryKind.KNOWLEDGE,
            EntryKind.RATING,
        ),
    ),
    "sla": ("SLA events", (EntryKind.SLA_EVENT,)),
}
ORDERS = {"newest": "Newest first", "oldest": "Oldest first"}
FIELD_LABELS = {
    "short_description": "Short description",
    "description": "Description",
    "caller": "Caller",
    "service": "Service",
    "ci": "Configuration item",
    "category": "Category",
    "impact": "Impact",
    "urgency": "Urgency",
    "priority": "Priority",
    "is_major": "Major incident",
    "state": "State",
    "parent": "Parent incident",
    "children": "Child incidents",
    "watchers": "Watchers",
}


def entries(incident: Incident, *, show: str = "all", order: str = "newest") -> QuerySet:
    """The incident's timeline in one query, whatever its length (attachments come with the incident's list)."""
    qs = TimelineEntry.objects.filter(incident=incident).select_related("actor")
    kinds = FILTERS.get(show, FILTERS["all"])[1]
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("created_at", "id") if order == "oldest" else qs.order_by("-created_at", "-id")


def changes_since(incident: Incident, since: datetime | None) -> list[TimelineEntry]:
    """What others did after `since` (the incident's updated_at when the writer loaded it), oldest first."""
    qs = TimelineEntry.objects.filter(incident=incident).select_related("actor").order_by("created_at", "id")
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    return list(qs[:50])


def _value(field: str, value: str) -> str:
    if not value:
        return "(empty)"
    lookups = {
        "state": State,
        "impact": Level,
        "urgency": Level,
        "on_hold_reason": OnHoldReason,
        "resolution_code": ResolutionCode,
    }
    if field in lookups:
        try:
            return str(lookups[field](value).label)
        except ValueError:
            return value
    if field == "priority" and value.isdigit():
        try:
            return str(Priority(int(value)).label)
        except ValueError:
            return value
    if field == "is_major":
        return "yes" if value in ("True", "true", "1") else "no"
    return value


def describe(entry: TimelineEntry) -> str:
    """One line saying what the entry records ("State: New -> In progress")."""
    kind = entry.kind
    if kind == EntryKind.CREATED:
        return f"Registered via {entry.data.get('channel', 'agent')}" + (
            f", routed to {entry.data['team']}" if entry.data.get("routed") and entry.data.get("team") else ""
        )
    if kind == EntryKind.STATE_CHANGE:
        text = f"State: {_value('state', entry.old_value)} → {_value('state', entry.new_value)}"
        if entry.data.get("on_hold_reason"):
            text += f" ({_value('on_hold_reason', entry.data['on_hold_reason'])})"
        if entry.data.get("resolution_code"):
            text += f" ({_value('resolution_code', entry.data['resolution_code'])})"
        return text
    if kind == EntryKind.FIELD_CHANGE:
        label = FIELD_LABELS.get(entry.field, entry.field.replace("_", " ").capitalize())
        if entry.field == "description":
            return "Description edited"
        return f"{label}: {_value(entry.field, entry.old_value)} → {_value(entry.field, entry.new_value)}"
    if kind == EntryKind.ASSIGNMENT:
        return f"Assignment: {entry.old_value or 'nobody'} → {entry.new_value or 'nobody'}"
    if kind == EntryKind.ESCALATION:
        return f"Escalated from {entry.old_value} to {entry.new_value} (level {entry.data.get('level', '?')})"
    if kind == EntryKind.LINK:
        if entry.field == "parent":
            return f"Linked to parent {entry.new_value}" if entry.new_value else f"Unlinked from {entry.old_value}"
        return f"Child {entry.new_value} linked" if entry.new_value else f"Child {entry.old_value} unlinked"
    if kind == EntryKind.WATCHER:
        return f"{entry.new_value} now watches" if entry.new_value else f"{entry.old_value} stopped watching"
    if kind == EntryKind.ATTACHMENT:
        return f"Attached {entry.new_value}"
    if kind == EntryKind.RATING:
        return f"Rated {entry.new_value}/5 by the caller"
    if kind == EntryKind.COMMENT:
        return "Comment"
    if kind == EntryKind.WORK_NOTE:
        return "Work note"
    return entry.get_kind_display()
