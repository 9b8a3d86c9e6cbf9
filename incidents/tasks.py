"""Thin Celery wrappers around the outbox and the lifecycle; every task takes ids and is idempotent."""

from __future__ import annotations

from celery import shared_task

from incidents import lifecycle, outbox


@shared_task(name="incidents.deliver_notification", ignore_result=True, soft_time_limit=45, time_limit=60)
def deliver_notification(notification_id: int) -> None:
    outbox.deliver(notification_id)


@shared_task(name="incidents.deliver_notifications", ignore_result=True, soft_time_limit=120, time_limit=150)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Sends a batch written by outbox.enqueue_many; rows already sent or held by another worker are skipped."""
    return sum(1 for pk in notification_ids if outbox.deliver(pk))


@shared_task(name="incidents.outbox_sweep", ignore_result=True, soft_time_limit=240, time_limit=300)
def outbox_sweep() -> int:
    return outbox.sweep()


@shared_task(name="incidents.auto_close_resolved", ignore_result=True, soft_time_limit=240, time_limit=300)
def auto_close_resolved() -> int:
    return lifecycle.incidents_auto_close()
