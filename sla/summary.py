"""The "sla_summary" read provider: each incident's timers as agents see them, in one or two queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sla import clock
from sla.calendars import work_calendars
from sla.choices import Metric, TimerState
from sla.models import SlaTimer
from sla.recording import label

METRIC_ORDER = {Metric.RESPONSE: 0, Metric.RESOLUTION: 1, Metric.OLA: 2}


def describe(timer: SlaTimer, cal, now: datetime, thresholds) -> dict:
    """One timer as a plain dict (the contract of "sla_summary" and of /api/v1/incidents/<ref>/sla/)."""
    used = clock.elapsed(timer, cal, now)
    percent = clock.percent_used(used, timer.target)
    first_warning = min((p for p in thresholds or () if 0 < p < 100), default=None)
    return {
        "id": timer.pk,
        "metric": timer.metric,
        "label": label(timer.metric, timer.team.name if timer.team_id and timer.team else None),
        "policy": timer.policy.name,
        "state": timer.state,
        "breached": timer.breached or (timer.state == TimerState.RUNNING and used > timer.target),
        "due_at": timer.due_at,
        "target": timer.target,
        "elapsed": used,
        "remaining": timer.target - used,
        "percent": percent,
        "status": clock.status(timer, percent, first_warning),
        "started_at": timer.started_at,
        "paused_at": timer.paused_at,
        "stopped_at": timer.stopped_at,
        "warning_threshold": timer.warning_threshold,
    }


def timers_for(incident_ids, now: datetime, *, include_cancelled: bool = False) -> dict[int, list[dict]]:
    """Timers per incident id; calendars come from the per-process cache (holidays re-read only after a change)."""
    qs = SlaTimer.objects.filter(incident_id__in=list(incident_ids)).select_related("policy__calendar", "team")
    if not include_cancelled:
        qs = qs.exclude(state=TimerState.CANCELLED)
    timers = list(qs)
    cals = work_calendars({t.policy.calendar for t in timers}) if timers else {}
    result: dict[int, list[dict]] = defaultdict(list)
    for timer in sorted(timers, key=lambda t: (METRIC_ORDER.get(t.metric, 9), t.started_at, t.pk)):
        result[timer.incident_id].append(
            describe(timer, cals[timer.policy.calendar_id], now, timer.policy.warning_thresholds)
        )
    return {incident_id: result.get(incident_id, []) for incident_id in incident_ids}


def sla_summary(incident_ids: list[int], now: datetime) -> dict[int, list[dict]]:
    """The provider registered as "sla_summary" in incidents.hooks."""
    return timers_for(incident_ids, now)
