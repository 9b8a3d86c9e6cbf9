"""SLA notifications: who hears about a warning, breach or escalation, and what the message says.

They are written with outbox.enqueue_many: one INSERT per batch, one Celery publish after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from incidents import notify, outbox
from incidents.models import Incident, User


@dataclass(frozen=True)
class Notice:
    """One message to one recipient about one SLA event or rule firing."""

    key: str
    kind: str  # sla_warning, sla_breach, sla_escalation
    incident: Incident
    recipient: str
    context: dict


def for_users(*, key: str, kind: str, incident: Incident, users, context: dict) -> list[Notice]:
    notices = []
    seen = set()
    for user in users:
        if user is None or not notify.wants(user, kind):
            continue
        address = user.email.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        notices.append(
            Notice(
                key=f"{key}:{address}",
                kind=kind,
                incident=incident,
                recipient=address,
                context={**context, "recipient": user},
            )
        )
    return notices


def for_team(*, key: str, kind: str, incident: Incident, team, members: list[User], context: dict) -> list[Notice]:
    """The team's mailbox when it has one, else its active members."""
    if team is None:
        return []
    if team.email:
        address = team.email.strip().lower()
        return [Notice(key=f"{key}:{address}", kind=kind, incident=incident, recipient=address, context=context)]
    return for_users(key=key, kind=kind, incident=incident, users=members, context=context)


def compose(notice: Notice) -> tuple[str, str]:
    """Subject and plain-text body. Plain string formatting: the tick writes thousands of these per second."""
    c = notice.context
    incident = notice.incident
    label = c["label"]
    if notice.kind == "sla_breach":
        subject = f"[{incident.number}] SLA breached: {label} - {incident.short_description}"
        lead = f"The {label.lower()} target of {incident.number} has been missed."
    elif notice.kind == "sla_warning":
        subject = f"[{incident.number}] SLA warning: {label} {c['threshold']}% used - {incident.short_description}"
        lead = f"{c['threshold']}% of the {label.lower()} target of {incident.number} is used up."
    else:
        subject = f"[{incident.number}] SLA escalation: {label} {c['threshold']}% - {incident.short_description}"
        lead = (
            f'An escalation rule of "{c["policy"]}" fired for {incident.number} at {c["threshold"]}% '
            f"of its {label.lower()} target."
        )
    team = incident.assigned_team.name if incident.assigned_team_id and incident.assigned_team else "none"
    due = c["due_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M") if c.get("due_at") else "-"
    lines = [
        lead,
        "",
        incident.short_description,
        f"Priority: P{incident.priority}",
        f"Team: {team}",
        f"Policy: {c['policy']} (target {c['target_text']})",
        f"Due: {due} UTC",
        "",
        f"{settings.SITE_URL}/incidents/{incident.number}/",
        "",
    ]
    return subject[:300], "\n".join(lines)


def write(notices: list[Notice], *, now: datetime) -> int:
    """Writes the notices through the outbox in one statement; duplicate keys are dropped."""
    items = []
    for notice in notices:
        subject, body = compose(notice)
        items.append(
            outbox.Outgoing(
                key=notice.key,
                kind=notice.kind,
                recipient=notice.recipient,
                subject=subject,
                body=body,
                incident_id=notice.incident.pk,
                headers=notify.email_headers(notice.key, notice.incident),
            )
        )
    return len(outbox.enqueue_many(items, now=now))
