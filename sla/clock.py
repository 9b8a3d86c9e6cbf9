"""Arithmetic on one SLA timer row: start, pause, resume, stop, reopen, elapsed time and checkpoint crossings.

No queries: callers load timers, policies and calendars and save what changed. A timer's history is its start,
`pause_log` (intervals in which the clock stood still: holds with a pausing reason, resolved-then-reopened gaps,
OLA periods with another team) and `elapsed_at`, the instant up to which `business_elapsed` has been counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sla.businesstime import WorkCalendar, add_business_time, business_time_between
from sla.choices import BREACH_PERCENT, EventKind, TimerState
from sla.models import SlaTimer
from sla.policies import PolicyInfo

ZERO = timedelta(0)


@dataclass(frozen=True)
class Crossing:
    """A checkpoint a timer passed: `percent` of its target, reached at `instant`."""

    timer: SlaTimer
    percent: int
    instant: datetime
    events: tuple[tuple[str, int], ...]  # (kind, threshold) rows to record: warnings and the breach
    rule_ids: tuple[int, ...]


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def pauses(timer: SlaTimer) -> list[tuple[datetime, datetime]]:
    return sorted((_parse(a), _parse(b)) for a, b in timer.pause_log or ())


def _add_pause(timer: SlaTimer, since: datetime, until: datetime) -> None:
    if until > since:
        timer.pause_log = [*(timer.pause_log or []), [since.isoformat(), until.isoformat()]]


def active_segments(timer: SlaTimer, until: datetime) -> list[tuple[datetime, datetime]]:
    """The wall-clock intervals between the start and `until` in which the clock ran."""
    segments = []
    cursor = timer.started_at
    for since, stop in pauses(timer):
        if since >= until:
            break
        if since > cursor:
            segments.append((cursor, since))
        cursor = max(cursor, stop)
    if until > cursor:
        segments.append((cursor, until))
    return segments


def recount(timer: SlaTimer, cal: WorkCalendar, upto: datetime) -> None:
    """Recomputes business time used from the history, e.g. for a new policy with another calendar."""
    timer.business_elapsed = sum((business_time_between(cal, a, b) for a, b in active_segments(timer, upto)), ZERO)
    timer.elapsed_at = upto


def elapsed(timer: SlaTimer, cal: WorkCalendar, now: datetime) -> timedelta:
    """Business time used at `now`."""
    if timer.state == TimerState.RUNNING and now > timer.elapsed_at:
        return timer.business_elapsed + business_time_between(cal, timer.elapsed_at, now)
    return timer.business_elapsed


def instant_for(timer: SlaTimer, cal: WorkCalendar, amount: timedelta) -> datetime | None:
    """The instant the timer's business time reaches `amount` (None if that lies ahead of a stopped clock)."""
    if amount > timer.business_elapsed:
        if timer.state != TimerState.RUNNING:
            return None
        return add_business_time(cal, timer.elapsed_at, amount - timer.business_elapsed)
    used = ZERO
    for since, until in active_segments(timer, timer.elapsed_at):
        part = business_time_between(cal, since, until)
        if used + part >= amount:
            return add_business_time(cal, since, amount - used)
        used += part
    return timer.elapsed_at


def share(target: timedelta, percent: int) -> timedelta:
    return target * percent / 100


def percent_used(used: timedelta, target: timedelta) -> float:
    return round(used / target * 100, 1) if target > ZERO else 0.0


def schedule(timer: SlaTimer, policy: PolicyInfo, cal: WorkCalendar) -> None:
    """Sets next_check_at: the instant of the next checkpoint not yet handled, or None."""
    timer.next_check_at = None
    if timer.state != TimerState.RUNNING:
        return
    for percent in policy.checkpoints:
        if percent > timer.checked_percent:
            timer.next_check_at = instant_for(timer, cal, share(timer.target, percent))
            return


def _refresh_due(timer: SlaTimer, cal: WorkCalendar) -> None:
    if not timer.breached:
        timer.due_at = instant_for(timer, cal, timer.target)


def start(timer: SlaTimer, policy: PolicyInfo, cal: WorkCalendar, *, started_at: datetime, at: datetime) -> None:
    """Starts (or restarts, for a new policy) a timer at `started_at`, counted up to `at`, keeping its pause log."""
    timer.policy_id = policy.id
    timer.target = policy.target
    timer.state = TimerState.RUNNING
    timer.started_at = started_at
    timer.paused_at = None
    timer.stopped_at = None
    timer.breached = False
    timer.breached_at = None
    timer.warning_threshold = 0
    timer.checked_percent = 0
    recount(timer, cal, max(at, started_at))
    timer.due_at = instant_for(timer, cal, timer.target)
    if timer.due_at is not None and timer.due_at <= at:
        # A re-matched policy whose target already passed: breached at once; the tick records it and escalates.
        timer.breached = True
        timer.breached_at = timer.due_at
    schedule(timer, policy, cal)


def pause(timer: SlaTimer, cal: WorkCalendar, at: datetime) -> bool:
    if timer.state != TimerState.RUNNING:
        return False
    timer.business_elapsed = elapsed(timer, cal, at)
    timer.elapsed_at = max(at, timer.elapsed_at)
    timer.state = TimerState.PAUSED
    timer.paused_at = at
    timer.next_check_at = None
    return True


def resume(timer: SlaTimer, policy: PolicyInfo, cal: WorkCalendar, at: datetime) -> bool:
    """Restarts a paused clock: the due instant moves by exactly the business time the pause covered."""
    if timer.state != TimerState.PAUSED:
        return False
    _add_pause(timer, timer.paused_at or at, at)
    timer.paused_at = None
    timer.elapsed_at = max(at, timer.elapsed_at)
    timer.state = TimerState.RUNNING
    _refresh_due(timer, cal)
    schedule(timer, policy, cal)
    return True


def stop(timer: SlaTimer, cal: WorkCalendar, at: datetime, *, state: str = TimerState.COMPLETED) -> bool:
    """Completes or cancels a running or paused timer; completing after the target marks it breached (missed)."""
    if timer.state not in (TimerState.RUNNING, TimerState.PAUSED):
        return False
    if timer.state == TimerState.RUNNING:
        timer.business_elapsed = elapsed(timer, cal, at)
    else:
        _add_pause(timer, timer.paused_at or at, at)
    timer.elapsed_at = max(at, timer.elapsed_at)
    timer.state = state
    timer.stopped_at = at
    timer.paused_at = None
    timer.next_check_at = None
    if state == TimerState.COMPLETED and not timer.breached and timer.business_elapsed > timer.target:
        timer.breached = True
        timer.breached_at = timer.due_at
    return True


def reopen(timer: SlaTimer, policy: PolicyInfo, cal: WorkCalendar, at: datetime) -> bool:
    """Resumes a completed timer (a reopened incident, an incident back with an OLA team); the gap does not count."""
    if timer.state != TimerState.COMPLETED:
        return False
    _add_pause(timer, timer.stopped_at or at, at)
    timer.stopped_at = None
    timer.elapsed_at = max(at, timer.elapsed_at)
    timer.state = TimerState.RUNNING
    _refresh_due(timer, cal)
    schedule(timer, policy, cal)
    return True


def advance(timer: SlaTimer, policy: PolicyInfo, cal: WorkCalendar, upto: datetime) -> list[Crossing]:
    """Marks every checkpoint the running timer passed by `upto` as handled and returns them, oldest first."""
    if timer.state != TimerState.RUNNING:
        return []
    crossings = []
    thresholds = set(policy.thresholds)
    for percent in policy.checkpoints:
        if percent <= timer.checked_percent:
            continue
        instant = instant_for(timer, cal, share(timer.target, percent))
        if instant is None or instant > upto:
            break
        events = []
        if percent in thresholds and percent < BREACH_PERCENT:
            events.append((EventKind.WARNING, percent))
            timer.warning_threshold = max(timer.warning_threshold, percent)
        if percent == BREACH_PERCENT:
            events.append((EventKind.BREACH, BREACH_PERCENT))
            timer.breached = True
            timer.breached_at = timer.breached_at or instant
        rules = tuple(rule.id for rule in policy.rules if rule.at_percent == percent)
        crossings.append(Crossing(timer=timer, percent=percent, instant=instant, events=tuple(events), rule_ids=rules))
        timer.checked_percent = percent
    schedule(timer, policy, cal)
    return crossings


def status(timer: SlaTimer, percent: float, first_warning: int | None) -> str:
    """ok, at_risk, breached, paused, met or missed, as agents see it."""
    if timer.state == TimerState.COMPLETED:
        return "missed" if timer.breached else "met"
    if timer.breached or percent >= BREACH_PERCENT:
        return "breached"
    if timer.state == TimerState.PAUSED:
        return "paused"
    if timer.warning_threshold > 0 or (first_warning is not None and percent >= first_warning):
        return "at_risk"
    return "ok"
