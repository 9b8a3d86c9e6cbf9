"""Thin Celery wrappers: the periodic tick and a batched delivery of the notifications it queued."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from incidents import outbox
from sla import engine


@shared_task(
    name="sla.tick",
    ignore_result=True,
    soft_time_limit=settings.SLA_TICK_SOFT_TIME_LIMIT,
    time_limit=settings.SLA_TICK_TIME_LIMIT,
    # A tick older than a few intervals is pointless: the next one does the same work.
    expires=settings.SLA_TICK_SECONDS * 5,
)
def tick() -> int:
    return engine.tick().timers


@shared_task(name="sla.deliver_notifications", ignore_result=True, soft_time_limit=120, time_limit=150)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Kept so messages queued by an older release still drain during a rolling deploy; new ones go to incidents'."""
    return sum(1 for pk in notification_ids if outbox.deliver(pk))


@shared_task(name="sla.rebuild_timers", ignore_result=True, soft_time_limit=1800, time_limit=1900)
def rebuild_timers(incident_ids: list[int]) -> int:
    return engine.rebuild_timers(incident_ids)
