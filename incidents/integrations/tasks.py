"""Thin Celery wrappers of the integrations app."""

from __future__ import annotations

from celery import shared_task

from incidents.api.idempotency import purge_expired


@shared_task(name="integrations.purge_idempotency_keys", ignore_result=True, soft_time_limit=240, time_limit=300)
def purge_idempotency_keys() -> int:
    return purge_expired()
