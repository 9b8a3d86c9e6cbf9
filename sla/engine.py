"""The SLA tick: claims due timers from Postgres, records their checkpoint crossings once, escalates, reschedules.

The clock lives in rows, not in Celery ETAs: `next_check_at` on running timers, under a partial index. A tick with
nothing due is one index probe. A batch is one transaction: claim with FOR UPDATE SKIP LOCKED (timer and incident
rows, so a tick never waits for an agent's edit nor deadlocks with it), advance the timers in memory, save them with
one UPDATE, then record events, timeline entries and notifications with a constant number of bulk statements. Any
number of ticks may run at once; the unique constraints on events and rule firings make every effect happen once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from incidents.choices import EntryKind, State
from incidents.models import Incident, Team, TimelineEntry
from sla import clock, policies, recording
from sla.calendars import work_calendars_by_id
from sla.choices import Metric, TimerState
from sla.models import SlaTimer

log = logging.getLogger(__name__)

SAVED_FIELDS = ["checked_percent", "warning_threshold", "breached", "breached_at", "next_check_at", "due_at"]


def save_progress(timers: list[SlaTimer]) -> None:
    """Writes the tick's bookkeeping of many timers in one UPDATE ... FROM (VALUES ...).

    Django's bulk_update builds a CASE per field and row, which costs seconds of Python for a few hundred rows.
    """
    if not timers:
        return
    rows = ", ".join(["(%s, %s, %s, %s, %s::timestamptz, %s::timestamptz, %s::timestamptz)"] * len(timers))
    params = []
    for t in timers:
        params += [t.pk, t.checked_percent, t.warning_threshold, t.breached, t.breached_at, t.next_check_at, t.due_at]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sla_slatimer AS t SET checked_percent = v.checked, warning_threshold = v.warning, "
            "breached = v.breached, breached_at = v.breached_at, next_check_at = v.next_check, due_at = v.due, "
            "updated_at = now() "
            f"FROM (VALUES {rows}) AS v(id, checked, warning, breached, breached_at, next_check, due) "
            "WHERE t.id = v.id",
            params,
        )


@dataclass
class TickResult:
    """What one tick did."""

    batches: int = 0
    timers: int = 0
    events: int = 0
    firings: int = 0
    notifications: int = 0
    actions: list[str] = field(default_factory=list)


# Columns the tick never reads; loading them for a batch of incidents costs more than the rest of the claim.
_WIDE = (
    "incident__description",
    "incident__search_vector",
    "incident__resolution_notes",
    "incident__assignee__password",
    "incident__assigned_team__manager__password",
)


def anything_due(now: datetime) -> bool:
    """The one index probe of a tick with nothing to do (raw SQL: no ORM compilation, no transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sla_slatimer WHERE state = 'running' AND next_check_at <= %s LIMIT 1", [now])
        return cursor.fetchone() is not None


def claim(now: datetime, batch_size: int) -> list[SlaTimer]:
    """Locks up to batch_size due running timers (and their incidents), skipping rows another transaction holds."""
    return list(
        SlaTimer.objects.select_for_update(skip_locked=True, of=("self", "incident"))
        .select_related("incident", "incident__assignee", "incident__assigned_team__manager")
        .defer(*_WIDE)
        .filter(state=TimerState.RUNNING, next_check_at__lte=now)
        .order_by("next_check_at")[:batch_size]
    )


def process_batch(*, now: datetime | None = None, batch_size: int | None = None) -> tuple[int, recording.Outcome]:
    """One transaction: claim, advance, save, record, escalate. Returns (timers claimed, outcome)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.SLA_TICK_BATCH_SIZE
    if not anything_due(now):
        return 0, recording.Outcome()
    with transaction.atomic():
        timers = claim(now, batch_size)
        if not timers:
            return 0, recording.Outcome()
        snap = policies.snapshot()
        cals = work_calendars_by_id({snap.policies[t.policy_id].calendar_id for t in timers})
        crossings: list[clock.Crossing] = []
        for timer in timers:
            policy = snap.policies[timer.policy_id]
            crossings += clock.advance(timer, policy, cals[policy.calendar_id], now)
            if timer.next_check_at is not None and timer.next_check_at <= now:
                # Defensive: a checkpoint that cannot be reached any more must not be claimed on every tick.
                timer.next_check_at = None
        save_progress(timers)
        incidents = {t.incident_id: t.incident for t in timers}
        team_ids = {t.team_id for t in timers if t.metric == Metric.OLA and t.team_id}
        team_names = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name")) if team_ids else {}
        outcome = recording.record(
            crossings,
            snapshot=snap,
            incidents=incidents,
            now=now,
            notify=True,
            escalate=True,
            team_names=team_names,
        )
    return len(timers), outcome


def tick(*, now: datetime | None = None, batch_size: int | None = None, max_seconds: float | None = None) -> TickResult:
    """Processes due timers batch after batch until none is due (or the time budget is spent)."""
    batch_size = batch_size or settings.SLA_TICK_BATCH_SIZE
    budget = settings.SLA_TICK_MAX_SECONDS if max_seconds is None else max_seconds
    started = time.monotonic()
    result = TickResult()
    while True:
        count, outcome = process_batch(now=now, batch_size=batch_size)
        if count:
            result.batches += 1
            result.timers += count
            result.events += outcome.events
            result.firings += outcome.firings
            result.notifications += outcome.notifications
            result.actions += outcome.actions
        if count < batch_size or time.monotonic() - started > budget:
            break
    if result.timers:
        log.info(
            "sla tick",
            extra={
                "timers": result.timers,
                "events": result.events,
                "firings": result.firings,
                "batches": result.batches,
            },
        )
    return result


# --- rebuilding timers from history -----------------------------------------------------------------------------


class _Snapshot:
    """A stand-in for the incident as it was at one point of its timeline, for replaying changes."""

    def __init__(self, incident: Incident) -> None:
        for name in (
            "pk",
            "id",
            "number",
            "organization_id",
            "service_id",
            "category_id",
            "channel",
            "created_at",
            "short_description",
        ):
            setattr(self, name, getattr(incident, name))
        self.priority = incident.priority
        self.state = State.NEW
        self.on_hold_reason = ""
        self.assigned_team_id = incident.assigned_team_id
        self.assignee_id = None
        self.first_response_at = None


def rebuild_timers(incident_ids: list[int] | None = None, *, now: datetime | None = None) -> int:
    """Recomputes the timers of incidents from their timelines (state, priority, team, first response).

    Existing timers and their events are replaced; crossings in the past are recorded at their exact instants
    without notifications or escalation. Service, category, organization and channel are taken as they are now.
    Returns how many incidents were rebuilt.
    """
    from sla.timers import apply_change

    now = now or timezone.now()
    qs = Incident.objects.all() if incident_ids is None else Incident.objects.filter(pk__in=incident_ids)
    teams = dict(Team.objects.values_list("name", "pk"))
    count = 0
    for incident_id in qs.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            incident = Incident.objects.select_for_update().get(pk=incident_id)
            SlaTimer.objects.filter(incident=incident).delete()
            # The timeline is append-only: when an earlier rebuild already wrote the SLA history, do not repeat it.
            written = TimelineEntry.objects.filter(incident=incident, kind=EntryKind.SLA_EVENT).exists()
            with recording.timeline_suppressed(written):
                _replay(incident, teams, apply_change)
                _catch_up(incident, now)
        count += 1
    return count


def _replay(incident: Incident, teams: dict[str, int], apply_change) -> None:
    entries = list(incident.timeline.order_by("created_at", "id"))
    snap = _Snapshot(incident)
    created = next((e for e in entries if e.kind == EntryKind.CREATED), None)
    # Walk field changes backwards to learn the priority and team at registration.
    for entry in reversed(entries):
        data = entry.data or {}
        if entry.kind == EntryKind.FIELD_CHANGE and entry.field == "priority" and entry.old_value.isdigit():
            snap.priority = int(entry.old_value)
        elif entry.kind == EntryKind.ASSIGNMENT and "assigned_team" in data:
            old = data["assigned_team"][0]
            snap.assigned_team_id = teams.get(old) if old else None
        elif entry.kind == EntryKind.ESCALATION:
            snap.assigned_team_id = teams.get(entry.old_value)
    if created is not None:
        if created.data.get("priority"):
            snap.priority = created.data["priority"]
        if "team" in created.data:
            snap.assigned_team_id = teams.get(created.data["team"]) if created.data["team"] else None
    first_response = incident.first_response_at
    apply_change(snap, "created", {}, incident.created_at, live=False)
    responded = False
    for entry in entries:
        at = entry.created_at
        if first_response is not None and not responded and first_response <= at:
            responded = True
            snap.first_response_at = first_response
            apply_change(
                snap, "first_response", {"first_response_at": (None, first_response)}, first_response, live=False
            )
        if entry.kind == EntryKind.STATE_CHANGE:
            old, new = entry.old_value, entry.new_value
            snap.state = new
            snap.on_hold_reason = (entry.data or {}).get("on_hold_reason", "") if new == State.ON_HOLD else ""
            apply_change(snap, "state", {"state": (old, new)}, at, live=False)
        elif entry.kind == EntryKind.FIELD_CHANGE and entry.field == "priority" and entry.new_value.isdigit():
            old = snap.priority
            snap.priority = int(entry.new_value)
            apply_change(snap, "fields", {"priority": (old, snap.priority)}, at, live=False)
        elif entry.kind in (EntryKind.ASSIGNMENT, EntryKind.ESCALATION):
            if entry.kind == EntryKind.ASSIGNMENT:
                pair = (entry.data or {}).get("assigned_team")
                if not pair:
                    continue
                new_team = teams.get(pair[1]) if pair[1] else None
            else:
                new_team = teams.get(entry.new_value)
            old_team = snap.assigned_team_id
            if new_team != old_team:
                snap.assigned_team_id = new_team
                apply_change(snap, "assignment", {"assigned_team": (old_team, new_team)}, at, live=False)
    if first_response is not None and not responded:
        snap.first_response_at = first_response
        apply_change(snap, "first_response", {"first_response_at": (None, first_response)}, first_response, live=False)


def _catch_up(incident: Incident, now: datetime) -> None:
    """Records what running timers passed up to now, as history (the live tick takes over from here)."""
    snap = policies.snapshot()
    timers = list(SlaTimer.objects.filter(incident=incident, state=TimerState.RUNNING))
    if not timers:
        return
    cals = work_calendars_by_id({snap.policies[t.policy_id].calendar_id for t in timers})
    crossings = []
    for timer in timers:
        policy = snap.policies[timer.policy_id]
        crossings += clock.advance(timer, policy, cals[policy.calendar_id], now)
    save_progress(timers)
    recording.record(crossings, snapshot=snap, incidents={incident.pk: incident}, now=now, notify=False, escalate=False)
