"""SLA notifications written to the outbox in bulk: one INSERT per batch, then one Celery publish after commit.

The rows are the outbox's own (incidents_notification, unique key); only the writing is batched here.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction

from incidents import notify, outbox
from incidents.choices import NotificationChannel, NotificationStatus
from incidents.models import Incident, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One message to one recipient about one SLA event or rule firing."""

    key: str
    kind: str  # sla_warning, sla_breach, sla_escalation
    incident: Incident
    recipient: str
    context: dict


def _suppressed() -> bool:
    # Demo seeding and bulk loads wrap their work in outbox.suppressed(); honour it like outbox.enqueue does.
    return outbox._suppressed.get()  # noqa: SLF001


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
    """Inserts the notices in one statement (duplicate keys are dropped) and queues one delivery task after commit."""
    if not notices or _suppressed():
        return 0
    from sla.recording import insert_returning

    rows = []
    seen = set()
    for notice in notices:
        key = notice.key[:200]
        if key in seen:
            continue
        seen.add(key)
        subject, body = compose(notice)
        headers = {
            "Message-ID": notify.message_id(notice.key),
            "References": notify.thread_id(notice.incident),
            "In-Reply-To": notify.thread_id(notice.incident),
        }
        rows.append(
            (
                key,
                NotificationChannel.EMAIL,
                notice.kind,
                notice.recipient,
                subject,
                body,
                "{}",
                json.dumps(headers),
                notice.incident.pk,
                NotificationStatus.PENDING,
                0,
                now + outbox.SWEEP_GRACE,
                "",
                now,
            )
        )
    inserted = insert_returning(
        "INSERT INTO incidents_notification (key, channel, kind, recipient, subject, body, payload, headers, "
        "incident_id, status, attempts, next_attempt_at, last_error, created_at) VALUES %s "
        "ON CONFLICT (key) DO NOTHING RETURNING id",
        rows,
        "(%s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s, %s, %s, %s)",
    )
    ids = [row[0] for row in inserted]
    if ids:
        transaction.on_commit(lambda: _dispatch(ids))
    return len(ids)


def _dispatch(ids: list[int]) -> None:
    from sla.tasks import deliver_notifications

    try:
        deliver_notifications.delay(ids)
    except Exception:  # noqa: BLE001
        # Broker down: the rows are committed, so the outbox sweep delivers them later.
        log.warning("sla: could not queue notifications, the outbox sweep will send them", extra={"count": len(ids)})
