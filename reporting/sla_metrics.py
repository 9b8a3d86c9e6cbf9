"""SLA metrics: compliance of completed timers, the breaches of the range and the timers at risk now.

Timers come from sla.models.SlaTimer (one per incident, policy and metric). Definitions are in docs/metrics.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from incidents import hooks
from reporting import links, periods, series
from reporting.filters import ReportFilters
from reporting.names import Names

DIMENSIONS = (
    ("priority", "priority"),
    ("team", "team_id"),
    ("service", "service_id"),
    ("category", "category_id"),
    ("organization", "organization_id"),
)
METRIC_LABELS = {"response": "Response", "resolution": "Resolution", "ola": "OLA"}


def _counts(met: int, breached: int) -> dict:
    total = met + breached
    return {
        "met": met,
        "breached": breached,
        "total": total,
        "percent": round(100.0 * met / total, 1) if total else None,
    }


def compliance(f: ReportFilters) -> dict:
    """Met vs breached among the SLA timers completed in the range (a timer is met when it stopped without having
    passed its target), overall, per metric, per month and by priority, team, service, category and organization."""
    groups = series.sla_breakdown(f)
    names = Names()
    labels = {
        "priority": names.priority,
        "team": names.team,
        "service": names.service,
        "category": names.category,
        "organization": names.organization,
    }
    met = sum(row[1] for row in groups["metric"])
    breached = sum(row[2] for row in groups["metric"])
    result = {
        "overall": _counts(met, breached),
        "by_metric": [
            {"metric": metric, "label": METRIC_LABELS.get(metric, metric), **_counts(m, b)}
            for metric, m, b in sorted(groups["metric"])
        ],
        "by_month": [{"month": month.strftime("%Y-%m"), **_counts(m, b)} for month, m, b in sorted(groups["month"])],
        "breaches_url": links.incidents(f, when="resolved"),
    }
    for name, column in DIMENSIONS:
        entries = []
        for value, m, b in groups[column]:
            link_dimension = {name: value} if name != "organization" and value is not None else {}
            entries.append(
                {
                    "id": value,
                    "label": labels[name].get(value, "?"),
                    **_counts(m, b),
                    "url": links.incidents(f, when="resolved", **link_dimension),
                }
            )
        entries.sort(key=lambda row: (row["percent"] if row["percent"] is not None else 101, row["label"]))
        result[f"by_{name}"] = entries
    return result


def _timers(f: ReportFilters):
    from sla.models import SlaTimer

    timers = SlaTimer.objects.all()
    fields = {"team": "incident__assigned_team_id", "service": "incident__service_id", "priority": "incident__priority"}
    fields["organization"] = "incident__organization_id"
    for name, lookup in fields.items():
        value = getattr(f, name)
        if value is not None:
            timers = timers.filter(**{lookup: value})
    if f.category is not None:
        timers = timers.filter(Q(incident__category_id=f.category) | Q(incident__category__parent_id=f.category))
    return timers


def breaches(f: ReportFilters, *, limit: int | None = 200) -> dict:
    """Timers that passed their target during the range (by the instant of the breach), newest first."""
    lo, hi = f.bounds
    timers = (
        _timers(f)
        .filter(breached=True, breached_at__gte=lo, breached_at__lt=hi)
        .select_related("incident", "incident__assigned_team", "policy")
        .order_by("-breached_at", "-id")
    )
    total = timers.count()
    rows = []
    for timer in timers[:limit] if limit else timers:
        incident = timer.incident
        rows.append(
            {
                "number": incident.number,
                "title": incident.short_description,
                "priority": incident.priority,
                "team": incident.assigned_team.name if incident.assigned_team_id else "",
                "metric": METRIC_LABELS.get(timer.metric, timer.metric),
                "policy": timer.policy.name,
                "due_at": timer.due_at.isoformat() if timer.due_at else None,
                "breached_at": timer.breached_at.isoformat(),
                "state": timer.state,
                "url": links.incident(incident.number),
            }
        )
    return {"total": total, "rows": rows, "url": links.incidents(f, sla="breached")}


def _percent_used(timers: list, now: datetime) -> dict[int, float]:
    """Business time used / target, now, per timer id; from the SLA app's summary provider when registered."""
    summary = hooks.call("sla_summary", [t.incident_id for t in timers], now, default=None)
    result: dict[int, float] = {}
    if summary is not None:
        for timer in timers:
            for item in summary.get(timer.incident_id, []):
                if item.get("metric") == timer.metric and item.get("state") == timer.state:
                    result[timer.pk] = float(item["percent"])
    from sla.businesstime import business_time_between
    from sla.calendars import work_calendars_by_id

    missing = [t for t in timers if t.pk not in result]
    calendars = work_calendars_by_id({t.policy.calendar_id for t in missing})
    for timer in missing:
        used = timer.business_elapsed
        if timer.state == "running" and timer.policy.calendar_id in calendars:
            used += business_time_between(calendars[timer.policy.calendar_id], timer.elapsed_at, now)
        result[timer.pk] = 100.0 * used / timer.target if timer.target else 0.0
    return result


def at_risk(f: ReportFilters, *, now: datetime | None = None, limit: int = 100) -> dict:
    """Running or paused timers that crossed a warning threshold but have not breached, by percent of target used
    now (highest first); also how many open timers are breached already. The date range does not apply."""
    now = now or timezone.now()
    open_timers = _timers(f).filter(state__in=["running", "paused"])
    risky = (
        open_timers.filter(breached=False, warning_threshold__gt=0)
        .select_related("incident", "incident__assigned_team", "incident__assignee", "policy")
        .order_by("due_at", "id")
    )
    total = risky.count()
    timers = list(risky[: limit * 3])
    percent = _percent_used(timers, now)
    timers.sort(key=lambda t: -percent.get(t.pk, 0.0))
    rows = []
    for timer in timers[:limit]:
        incident = timer.incident
        remaining = (timer.due_at - now) if timer.due_at else None
        rows.append(
            {
                "number": incident.number,
                "title": incident.short_description,
                "priority": incident.priority,
                "team": incident.assigned_team.name if incident.assigned_team_id else "",
                "assignee": incident.assignee.display_name if incident.assignee_id else "",
                "metric": METRIC_LABELS.get(timer.metric, timer.metric),
                "state": timer.state,
                "percent": round(percent.get(timer.pk, 0.0), 1),
                "due_at": timer.due_at.isoformat() if timer.due_at else None,
                "remaining": remaining.total_seconds() if remaining is not None else None,
                "url": links.incident(incident.number),
            }
        )
    return {
        "at_risk": total,
        "breached_open": open_timers.filter(breached=True).count(),
        "rows": rows,
        "at_risk_url": links.incidents(f, sla="at_risk"),
        "breached_url": links.incidents(f, sla="breached"),
        "now": now.isoformat(),
    }


def compliance_trend(f: ReportFilters) -> list[dict]:
    """Compliance percent per day/week/month of the range."""
    days = series.by_day(series.sla_rows(f, ("day",)))
    rows = []
    for bucket in periods.buckets(f.start, f.end, f.granularity):
        met = breached = 0
        day = bucket.start
        while day <= bucket.end:
            met += days.get(day, {}).get("met", 0)
            breached += days.get(day, {}).get("breached", 0)
            day += timedelta(days=1)
        rows.append({"period": bucket.label, **_counts(int(met), int(breached))})
    return rows
