"""Thin Celery wrappers around knowledge.lifecycle; idempotent because the functions are."""

from __future__ import annotations

from celery import shared_task

from knowledge import lifecycle


@shared_task(name="knowledge.flag_overdue_reviews", ignore_result=True, soft_time_limit=240, time_limit=300)
def flag_overdue_reviews() -> int:
    """Reminds owners of articles past their review-by date, once per overdue period; repeats until none is left."""
    flagged = lifecycle.articles_flag_overdue()
    if flagged >= 500:
        flag_overdue_reviews.delay()
    return flagged
