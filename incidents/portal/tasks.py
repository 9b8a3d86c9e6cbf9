"""Thin Celery wrappers for the portal."""

from __future__ import annotations

from celery import shared_task

from incidents.portal import deflection


@shared_task(name="portal.decide_report_sessions", ignore_result=True, soft_time_limit=240, time_limit=300)
def decide_report_sessions() -> dict[str, int]:
    return deflection.decide_sessions()
