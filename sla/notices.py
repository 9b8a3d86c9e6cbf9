"""SLA notifications written to the outbox in bulk: one INSERT per batch, then one Celery publish after commit."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from incidents import notify, outbox
from incidents.choices import NotificationChannel, NotificationStatus
from incidents.models import Incident, Notification, User

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


def write(notices: list[Notice], *, now: datetime) -> int:
    """Inserts the notices (duplicates by key are dropped) and queues one delivery task after commit."""
    if not notices or _suppressed():
        return 0
    rows = []
    for notice in notices:
        context = {**notice.context, "incident": notice.incident, "site_url": settings.SITE_URL, "kind": notice.kind}
        rows.append(
            Notification(
                key=notice.key[:200],
                channel=NotificationChannel.EMAIL,
                kind=notice.kind,
                recipient=notice.recipient,
                subject=render_to_string("sla/email/subject.txt", context).strip()[:300],
                body=render_to_string("sla/email/notice.txt", context),
                headers={
                    "Message-ID": notify.message_id(notice.key),
                    "References": notify.thread_id(notice.incident),
                    "In-Reply-To": notify.thread_id(notice.incident),
                },
                incident=notice.incident,
                status=NotificationStatus.PENDING,
                next_attempt_at=now + outbox.SWEEP_GRACE,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.key for row in rows]
    ids = list(
        Notification.objects.filter(key__in=keys, status=NotificationStatus.PENDING).values_list("pk", flat=True)
    )
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
