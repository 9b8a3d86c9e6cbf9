"""Turns a ticket's public timeline into the sentences a requester reads."""

from __future__ import annotations

from dataclasses import dataclass

from incidents.choices import EntryKind, OnHoldReason, State
from incidents.models import Attachment, Incident, TimelineEntry, User
from incidents.portal.queries import PLAIN_WAITING


@dataclass
class Item:
    """One line of the conversation on a ticket's portal page."""

    entry: TimelineEntry
    who: str
    text: str
    body: str = ""
    is_message: bool = False
    is_mine: bool = False
    attachment: Attachment | None = None
    note: str = ""


def _who(entry: TimelineEntry, viewer: User) -> str:
    if entry.actor_id is None:
        return "Service desk"
    return "You" if entry.actor_id == viewer.pk else entry.actor.display_name


def _state_text(entry: TimelineEntry) -> str:
    new, old = entry.new_value, entry.old_value
    if new == State.IN_PROGRESS:
        if old == State.RESOLVED:
            return "reopened the ticket"
        if old == State.ON_HOLD:
            return "picked it up again"
        return "started working on it"
    if new == State.ON_HOLD:
        reason = (entry.data or {}).get("on_hold_reason", "")
        waiting = PLAIN_WAITING.get(reason, "Waiting").lower()
        return f"put it on hold: {waiting}" if reason != OnHoldReason.AWAITING_CALLER else "asked you for a reply"
    return {
        State.RESOLVED: "marked it as fixed",
        State.CLOSED: "closed it",
        State.CANCELLED: "cancelled it",
        State.NEW: "registered it again",
    }.get(new, f"changed the status to {new}")


def present(
    entries: list[TimelineEntry], *, incident: Incident, viewer: User, attachments: dict[int, Attachment]
) -> list[Item]:
    items = []
    for entry in entries:
        who = _who(entry, viewer)
        mine = entry.actor_id == viewer.pk
        if entry.kind == EntryKind.CREATED:
            # Registered by the caller, or by the desk (phone, email, agent form) on the caller's behalf.
            caller = "You" if incident.caller_id == viewer.pk else incident.caller.display_name
            if entry.actor_id and entry.actor_id != incident.caller_id:
                text = f"registered this for {'you' if caller == 'You' else caller}"
                items.append(Item(entry, who, text, is_mine=mine))
            else:
                items.append(Item(entry, caller, "reported this problem", is_mine=caller == "You"))
        elif entry.kind == EntryKind.COMMENT:
            outage = (entry.data or {}).get("major_update_from")
            note = f"Update on the outage {outage}" if outage else ""
            if (entry.data or {}).get("via") == "email":
                note = "Sent by email"
            items.append(Item(entry, who, "wrote", body=entry.body, is_message=True, is_mine=mine, note=note))
        elif entry.kind == EntryKind.STATE_CHANGE:
            items.append(Item(entry, who, _state_text(entry), body=entry.body, is_mine=mine))
        elif entry.kind == EntryKind.ATTACHMENT:
            attachment = attachments.get((entry.data or {}).get("attachment"))
            items.append(Item(entry, who, f"added a file: {entry.new_value}", attachment=attachment, is_mine=mine))
        elif entry.kind == EntryKind.FIELD_CHANGE:
            label = {"short_description": "title", "service": "service"}.get(entry.field, entry.field)
            items.append(Item(entry, who, f"changed the {label} to \u201c{entry.new_value}\u201d", is_mine=mine))
        elif entry.kind == EntryKind.RATING:
            items.append(Item(entry, who, f"rated the help {entry.new_value} out of 5", body=entry.body, is_mine=mine))
        else:
            items.append(Item(entry, who, entry.get_kind_display().lower(), body=entry.body, is_mine=mine))
    return items
