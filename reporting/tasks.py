"""Thin Celery wrappers: refresh the rollups, queue the scheduled summaries. Both are idempotent."""

from __future__ import annotations

from celery import shared_task

from reporting import rollups, subscriptions


@shared_task(name="reporting.refresh_rollups", ignore_result=True, soft_time_limit=540, time_limit=600)
def refresh_rollups() -> dict:
    return rollups.refresh_all()


@shared_task(name="reporting.send_scheduled_reports", ignore_result=True, soft_time_limit=540, time_limit=600)
def send_scheduled_reports() -> int:
    return subscriptions.send_due()
