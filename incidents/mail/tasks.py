"""Thin Celery wrappers for the email channel."""

from __future__ import annotations

from celery import shared_task

from incidents.mail import imap


@shared_task(name="mail.poll_imap", ignore_result=True, soft_time_limit=240, time_limit=300)
def poll_imap() -> dict[str, int]:
    result = imap.poll()
    return {"fetched": result.fetched, **result.outcomes}
