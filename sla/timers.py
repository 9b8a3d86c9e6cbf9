"""Incident changes move their SLA timers, inside the lifecycle's transaction, at the change's own instant.

Registration starts the timers; the first response stops the response timer; a hold with a pausing reason pauses,
leaving it resumes (the due instant moves by exactly the business time paused); resolving completes; reopening
resumes; cancelling cancels; closing completes what still runs. A change of priority, service, category, team,
organization or channel that changes the matching policy cancels the old timer and starts the new one from the
original start. OLA timers follow team assignment periods.

Checkpoints a clock passed before it pauses or stops, which the tick had not handled yet, are recorded at their
exact instants here (events, timeline, notifications); escalation rules are left to the tick, which only acts on
running timers.
"""

from __future__ import annotations

from datetime import datetime

from incidents.choices import OPEN_STATES, State
from incidents.hooks import IncidentChange
from sla import clock, policies, recording
from sla.calendars import work_calendars_by_id
from sla.choices import ACTIVE_STATES, Metric, TimerState
from sla.models import SlaTimer

RELEVANT = {"state", "first_response_at", "priority", "service", "category", "organization", "assigned_team", "channel"}
REMATCH = {"priority", "service", "category", "organization", "assigned_team", "channel"}


def on_incident_change(change: IncidentChange) -> None:
    """The incidents.hooks subscriber."""
    if change.kind != "created" and not (RELEVANT & change.changes.keys()):
        return
    apply_change(change.incident, change.kind, change.changes, change.at, live=True)


def _id(value) -> int | None:
    return getattr(value, "pk", value)


class _Run:
    """The timers of one incident during one change."""

    def __init__(self, incident, at: datetime, *, live: bool, snap: policies.Snapshot) -> None:
        self.incident = incident
        self.at = at
        self.live = live
        self.snap = snap
        self.timers = list(SlaTimer.objects.filter(incident_id=incident.pk)) if incident.pk else []
        self.cals = (
            work_calendars_by_id({p.calendar_id for p in self.snap.policies.values()}) if self.snap.policies else {}
        )
        self.dirty: dict[int, SlaTimer] = {}
        self.new: list[SlaTimer] = []
        self.crossings: list[clock.Crossing] = []

    def policy(self, timer: SlaTimer) -> policies.PolicyInfo:
        return self.snap.policies[timer.policy_id]

    def cal(self, timer_or_policy):
        policy = timer_or_policy if isinstance(timer_or_policy, policies.PolicyInfo) else self.policy(timer_or_policy)
        return self.cals[policy.calendar_id]

    def touched(self, timer: SlaTimer) -> None:
        if timer.pk is not None:
            self.dirty[timer.pk] = timer

    def active(self, metric: str, *, team_id: int | None = None) -> list[SlaTimer]:
        return [
            t
            for t in self.timers
            if t.metric == metric
            and t.state in ACTIVE_STATES
            and (metric != Metric.OLA or team_id in (None, t.team_id))
        ]

    # --- moves ---------------------------------------------------------------------------------------------------

    def catch_up(self, timer: SlaTimer) -> None:
        self.crossings += clock.advance(timer, self.policy(timer), self.cal(timer), self.at)

    def complete(self, timer: SlaTimer, state: str = TimerState.COMPLETED) -> None:
        if state == TimerState.COMPLETED:
            self.catch_up(timer)
        if clock.stop(timer, self.cal(timer), self.at, state=state):
            self.touched(timer)

    def pause(self, timer: SlaTimer) -> None:
        if self.incident.on_hold_reason in self.policy(timer).pause_reasons:
            self.catch_up(timer)
            if clock.pause(timer, self.cal(timer), self.at):
                self.touched(timer)

    def resume(self, timer: SlaTimer) -> None:
        if clock.resume(timer, self.policy(timer), self.cal(timer), self.at):
            self.touched(timer)

    def reopen(self, timer: SlaTimer) -> None:
        if clock.reopen(timer, self.policy(timer), self.cal(timer), self.at):
            self.touched(timer)

    def start(
        self,
        policy: policies.PolicyInfo,
        metric: str,
        *,
        started_at: datetime,
        team_id: int | None = None,
        history: SlaTimer | None = None,
    ) -> SlaTimer:
        """Starts a timer (reusing the row of an earlier cancelled one for the same policy)."""
        timer = next(
            (t for t in self.timers if t.policy_id == policy.id and t.metric == metric and t.team_id == team_id),
            None,
        )
        if timer is None:
            timer = SlaTimer(incident_id=self.incident.pk, metric=metric, team_id=team_id)
            self.timers.append(timer)
            self.new.append(timer)
        timer.pause_log = list(history.pause_log) if history is not None else []
        clock.start(timer, policy, self.cal(policy), started_at=started_at, at=self.at)
        if self.incident.state == State.ON_HOLD and self.incident.on_hold_reason in policy.pause_reasons:
            clock.pause(timer, self.cal(policy), self.at)
        self.touched(timer)
        return timer

    # --- what each change does -----------------------------------------------------------------------------------

    def created(self) -> None:
        incident = self.incident
        for metric in (Metric.RESPONSE, Metric.RESOLUTION):
            policy = self.snap.best(incident, metric)
            if policy is not None:
                self.start(policy, metric, started_at=incident.created_at)
        if incident.assigned_team_id:
            policy = self.snap.best(incident, Metric.OLA, team_id=incident.assigned_team_id)
            if policy is not None:
                self.start(policy, Metric.OLA, started_at=self.at, team_id=incident.assigned_team_id)
        if incident.first_response_at is not None:
            for timer in self.active(Metric.RESPONSE):
                self.complete(timer)

    def state(self, old: str, new: str) -> None:
        if new == State.ON_HOLD:
            for timer in [t for t in self.timers if t.state == TimerState.RUNNING]:
                self.pause(timer)
        elif new == State.RESOLVED:
            for timer in [t for t in self.timers if t.state in ACTIVE_STATES]:
                self.complete(timer)
        elif new == State.CANCELLED:
            for timer in [t for t in self.timers if t.state in ACTIVE_STATES]:
                self.complete(timer, TimerState.CANCELLED)
        elif new == State.CLOSED:
            for timer in [t for t in self.timers if t.state in ACTIVE_STATES]:
                self.complete(timer)
        elif old == State.RESOLVED and new in OPEN_STATES:
            self.reopened()
        if old == State.ON_HOLD and new in OPEN_STATES:
            for timer in [t for t in self.timers if t.state == TimerState.PAUSED]:
                self.resume(timer)

    def reopened(self) -> None:
        """Resolution resumes (the resolved period does not count), and the current team's OLA."""
        for metric, team_id in ((Metric.RESOLUTION, None), (Metric.OLA, self.incident.assigned_team_id)):
            if metric == Metric.OLA and team_id is None:
                continue
            candidates = [
                t
                for t in self.timers
                if t.metric == metric and t.state == TimerState.COMPLETED and (team_id is None or t.team_id == team_id)
            ]
            if candidates:
                self.reopen(max(candidates, key=lambda t: t.stopped_at or t.started_at))

    def rematch(self, *, with_ola: bool) -> None:
        incident = self.incident
        metrics = [Metric.RESPONSE, Metric.RESOLUTION] + ([Metric.OLA] if with_ola else [])
        for metric in metrics:
            team_id = incident.assigned_team_id if metric == Metric.OLA else None
            if metric == Metric.OLA and team_id is None:
                continue
            current = self.active(metric, team_id=team_id)
            done = [t for t in self.timers if t.metric == metric and t.state == TimerState.COMPLETED]
            if metric == Metric.RESPONSE and incident.first_response_at is not None:
                continue
            if not current and done:
                continue
            best = self.snap.best(incident, metric, team_id=team_id)
            if current and best is not None and all(t.policy_id == best.id for t in current):
                continue
            if not current and best is None:
                continue
            history = current[0] if current else None
            for timer in current:
                self.complete(timer, TimerState.CANCELLED)
            if best is not None:
                started_at = history.started_at if history is not None else incident.created_at
                if metric == Metric.OLA and history is None:
                    started_at = self.at
                self.start(best, metric, started_at=started_at, team_id=team_id, history=history)

    def handoff(self, old_team_id: int | None, new_team_id: int | None) -> None:
        """OLA: the old team's period ends; the new team's starts (or resumes, when the incident comes back)."""
        for timer in self.active(Metric.OLA):
            if timer.team_id != new_team_id:
                self.complete(timer)
        if new_team_id is None or self.incident.state not in OPEN_STATES:
            return
        if self.active(Metric.OLA, team_id=new_team_id):
            return
        policy = self.snap.best(self.incident, Metric.OLA, team_id=new_team_id)
        if policy is None:
            return
        earlier = next(
            (
                t
                for t in self.timers
                if t.metric == Metric.OLA
                and t.team_id == new_team_id
                and t.policy_id == policy.id
                and t.state == TimerState.COMPLETED
            ),
            None,
        )
        if earlier is not None:
            self.reopen(earlier)
            if self.incident.state == State.ON_HOLD:
                self.pause(earlier)
        else:
            self.start(policy, Metric.OLA, started_at=self.at, team_id=new_team_id)

    # --- saving --------------------------------------------------------------------------------------------------

    def save(self) -> None:
        if self.new:
            SlaTimer.objects.bulk_create(self.new)
        fields = [
            "policy",
            "target",
            "state",
            "breached",
            "breached_at",
            "warning_threshold",
            "checked_percent",
            "business_elapsed",
            "elapsed_at",
            "started_at",
            "due_at",
            "paused_at",
            "stopped_at",
            "next_check_at",
            "pause_log",
        ]
        for timer in self.dirty.values():
            timer.save(update_fields=[*fields, "updated_at"])
        if self.crossings:
            team_names = {}
            if any(c.timer.metric == Metric.OLA for c in self.crossings):
                from incidents.models import Team

                ids = {c.timer.team_id for c in self.crossings if c.timer.team_id}
                team_names = dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
            recording.record(
                self.crossings,
                snapshot=self.snap,
                incidents={self.incident.pk: self.incident},
                now=self.at,
                notify=self.live,
                escalate=False,
                team_names=team_names,
            )


def apply_change(incident, kind: str, changes: dict, at: datetime, *, live: bool = True) -> None:
    """Moves the incident's timers for one change (also used to replay history in rebuild_timers)."""
    snap = policies.snapshot()
    if not snap.policies:
        return
    run = _Run(incident, at, live=live, snap=snap)
    if kind == "created":
        run.created()
    else:
        if "first_response_at" in changes:
            for timer in run.active(Metric.RESPONSE):
                run.complete(timer)
        if "state" in changes:
            old, new = changes["state"]
            run.state(old, new)
        team_changed = "assigned_team" in changes
        if REMATCH & changes.keys() and incident.state in OPEN_STATES:
            run.rematch(with_ola=not team_changed)
        if team_changed:
            old_team, new_team = changes["assigned_team"]
            run.handoff(_id(old_team), _id(new_team))
    run.save()
