"""Scheduled summaries: each subscription gets the summary of every finished week or month once, via the outbox.

The outbox key is report:<subscription id>:<period start>, so running the sender again (another beat, a retry, two
workers) writes nothing new.
"""

from __future__ import annotations

import io
import logging
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from incidents import outbox
from incidents.permissions import can_view_reports
from reporting import metrics, periods, series, sla_metrics
from reporting.filters import ReportFilters
from reporting.models import ReportSubscription
from reporting.tables import TABLES

log = logging.getLogger(__name__)
CSV_TABLE = "volume"


def subscription_filters(subscription: ReportSubscription, start: date, end: date) -> ReportFilters:
    zone = periods.viewer_zone(subscription.user, settings.REPORTING_TIME_ZONE)
    return ReportFilters(
        start=start,
        end=end,
        zone=zone,
        team=subscription.team_id,
        service=subscription.service_id,
        priority=subscription.priority,
        granularity="day",
    )


def outbox_key(subscription: ReportSubscription, start: date) -> str:
    return f"report:{subscription.pk}:{start.isoformat()}"


def render_summary(subscription: ReportSubscription, start: date, end: date) -> tuple[str, str, str, str]:
    """(subject, text body, HTML body, CSV) of the summary for [start, end]."""
    from reporting.views.dashboards import write_csv

    f = subscription_filters(subscription, start, end)
    with series.memoized():
        figures = metrics.summary(f)
        compliance = sla_metrics.compliance(f)["overall"]
    scope = ", ".join(
        part
        for part in (
            subscription.team.name if subscription.team_id else "",
            subscription.service.name if subscription.service_id else "",
            f"P{subscription.priority}" if subscription.priority else "",
        )
        if part
    )
    context = {
        "subscription": subscription,
        "figures": figures,
        "compliance": compliance,
        "start": start,
        "end": end,
        "zone": f.zone,
        "scope": scope or "All incidents",
        "site_url": settings.SITE_URL,
        "query": f"start={start}&end={end}" + "".join(f"&{k}={v}" for k, v in f.dimensions.items()),
    }
    kind = "Weekly" if subscription.frequency == "weekly" else "Monthly"
    subject = f"{kind} service desk summary {start:%Y-%m-%d} – {end:%Y-%m-%d}" + (f" ({scope})" if scope else "")
    text = render_to_string("reporting/email/summary.txt", context)
    html = render_to_string("reporting/email/summary.html", context)
    buffer = io.StringIO()
    table = TABLES[CSV_TABLE]
    write_csv(buffer, table.columns, table.rows(f))
    return subject, text, html, buffer.getvalue()


def queue_summary(subscription: ReportSubscription, *, today: date) -> bool:
    """Queues the summary of the last finished period unless it was queued before; returns whether it queued."""
    start, end = periods.previous_period(today, subscription.frequency)
    if subscription.created_at.date() > end:
        # Subscribed after the period ended: the first summary is the next period's.
        return False
    subject, text, html, csv_text = render_summary(subscription, start, end)
    with transaction.atomic():
        notification = outbox.enqueue(
            key=outbox_key(subscription, start),
            kind="report_summary",
            recipient=subscription.user.email,
            subject=subject,
            body=text,
            payload={
                "html": html,
                "attachments": [
                    {"filename": f"incidents-{start}-{end}.csv", "content": csv_text, "mimetype": "text/csv"}
                ],
            },
        )
        ReportSubscription.objects.filter(pk=subscription.pk).update(last_period_start=start)
    return notification is not None


def send_due(*, now: datetime | None = None) -> int:
    """Queues every active subscription's summary of its last finished period; returns how many were new."""
    now = now or timezone.now()
    queued = 0
    subscriptions = ReportSubscription.objects.filter(is_active=True).select_related("user", "team", "service")
    for subscription in subscriptions:
        user = subscription.user
        if not user.is_active or not user.email or not can_view_reports(user):
            continue
        zone = periods.viewer_zone(user, settings.REPORTING_TIME_ZONE)
        today = timezone.localdate(now, zoneinfo.ZoneInfo(zone))
        start, _ = periods.previous_period(today, subscription.frequency)
        if subscription.last_period_start == start:
            continue
        try:
            queued += queue_summary(subscription, today=today)
        except Exception:  # noqa: BLE001
            # One broken subscription must not stop the others; the next run tries it again.
            log.exception("reporting: summary failed", extra={"subscription": subscription.pk})
    return queued
