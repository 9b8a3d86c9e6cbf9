"""Turning checkpoint crossings into effects: SLA events (exactly once), timeline entries, notifications, rule firings.

Each row that proves an effect (SlaEvent, EscalationFiring) is inserted with ON CONFLICT DO NOTHING ... RETURNING,
and only what was actually inserted acts, so concurrent ticks cannot double anything. Queries are per batch, not per
timer: one INSERT for events, one for firings, one for timeline entries, one or two for notifications.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection

from incidents import lifecycle
from incidents.choices import EntryKind
from incidents.errors import IncidentError
from incidents.models import Incident, Team, User
from sla import events, notices
from sla.choices import BREACH_PERCENT, EventKind
from sla.clock import Crossing
from sla.policies import PolicyInfo, RuleInfo, Snapshot

log = logging.getLogger(__name__)


_LABELS = {"response": "Response", "resolution": "Resolution"}


def label(metric: str, team_name: str | None = None) -> str:
    """Response, Resolution or OLA <team> (a dict, not the enum: this runs for every event of a batch)."""
    if metric == "ola":
        return f"OLA {team_name}" if team_name else "OLA"
    return _LABELS.get(metric, str(metric).capitalize())


def duration_text(value: timedelta) -> str:
    """4 h, 3 d 2 h, 15 min, 1 h 30 min."""
    seconds = int(abs(value.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    text = " ".join(p for p in parts if p) or f"{seconds} s"
    return f"-{text}" if value < timedelta(0) else text


_no_timeline: contextvars.ContextVar[bool] = contextvars.ContextVar("sla_no_timeline", default=False)


@contextlib.contextmanager
def timeline_suppressed(active: bool = True) -> Iterator[None]:
    """Records events without appending timeline entries (a rebuild whose history is already on the timeline)."""
    token = _no_timeline.set(active)
    try:
        yield
    finally:
        _no_timeline.reset(token)


@dataclass
class Outcome:
    """What one recording produced, for callers and benchmarks."""

    events: int = 0
    firings: int = 0
    notifications: int = 0
    actions: list[str] = field(default_factory=list)


def insert_returning(sql: str, rows: list[tuple], template: str) -> list[tuple]:
    """One INSERT ... VALUES (...), (...) ... RETURNING for all rows (through Django's cursor, so it is counted)."""
    if not rows:
        return []
    values = ", ".join([template] * len(rows))
    params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%s", values, 1), params)
        return cursor.fetchall()


def record(
    crossings: list[Crossing],
    *,
    snapshot: Snapshot,
    incidents: dict[int, Incident],
    now: datetime,
    notify: bool,
    escalate: bool,
    team_names: dict[int, str] | None = None,
) -> Outcome:
    """Records the crossings; notifies and escalates when asked (the live tick does both, history replay neither)."""
    outcome = Outcome()
    if not crossings:
        return outcome
    team_names = team_names or {}
    by_key = {}
    event_rows = []
    for crossing in crossings:
        timer = crossing.timer
        for kind, threshold in crossing.events:
            by_key[(timer.pk, kind, threshold)] = crossing
            event_rows.append((timer.pk, timer.incident_id, kind, threshold, crossing.instant, now))
    inserted = insert_returning(
        "INSERT INTO sla_slaevent (timer_id, incident_id, kind, threshold, due_at, recorded_at) VALUES %s "
        "ON CONFLICT (timer_id, kind, threshold) DO NOTHING RETURNING id, timer_id, kind, threshold",
        event_rows,
        "(%s, %s, %s, %s, %s, %s)",
    )
    outcome.events = len(inserted)
    new_events = [
        (event_id, kind, threshold, by_key[(timer_id, kind, threshold)])
        for event_id, timer_id, kind, threshold in inserted
    ]
    new_events.sort(key=lambda item: (item[3].instant, item[2] == EventKind.BREACH))

    timeline = []
    for event_id, kind, threshold, crossing in new_events:
        timer = crossing.timer
        policy = snapshot.policies[timer.policy_id]
        text = label(timer.metric, team_names.get(timer.team_id))
        if kind == EventKind.BREACH:
            body = f"{text} SLA breached: the target of {duration_text(timer.target)} passed."
        else:
            body = f"{text} SLA warning: {threshold}% of {duration_text(timer.target)} used."
        timeline.append(
            {
                "incident_id": timer.incident_id,
                "kind": EntryKind.SLA_EVENT,
                "at": now if escalate else crossing.instant,
                "body": body,
                "data": {
                    "event": event_id,
                    "timer": timer.pk,
                    "metric": timer.metric,
                    "kind": kind,
                    "threshold": threshold,
                    "policy": policy.name,
                    "due_at": crossing.instant.isoformat(),
                },
            }
        )
    if timeline and not _no_timeline.get():
        lifecycle.incidents_record_events(timeline)

    if notify:
        notices_out = _event_notices(new_events, snapshot=snapshot, incidents=incidents, team_names=team_names)
        published = []
        for event_id, kind, threshold, crossing in new_events:
            timer = crossing.timer
            published.append(
                (
                    events.BREACHED if kind == EventKind.BREACH else events.WARNING,
                    {
                        "event_id": event_id,
                        "kind": kind,
                        "threshold": threshold,
                        "timer_id": timer.pk,
                        "metric": timer.metric,
                        "label": label(timer.metric, team_names.get(timer.team_id)),
                        "policy": snapshot.policies[timer.policy_id].name,
                        "incident_id": timer.incident_id,
                        "incident_number": incidents[timer.incident_id].number,
                        "incident": incidents[timer.incident_id],
                        "due_at": crossing.instant,
                        "recorded_at": now,
                        "target": timer.target,
                    },
                )
            )
        events.publish_many(published)
    else:
        notices_out = []

    pending_actions: list[tuple[Crossing, RuleInfo]] = []
    if escalate:
        firing_rows = [(c.timer.pk, rule_id, now, "") for c in crossings for rule_id in c.rule_ids]
        fired = insert_returning(
            "INSERT INTO sla_escalationfiring (timer_id, rule_id, fired_at, outcome) VALUES %s "
            "ON CONFLICT (timer_id, rule_id) DO NOTHING RETURNING timer_id, rule_id",
            firing_rows,
            "(%s, %s, %s, %s)",
        )
        outcome.firings = len(fired)
        crossing_of = {(c.timer.pk, rule_id): c for c in crossings for rule_id in c.rule_ids}
        for timer_id, rule_id in fired:
            crossing = crossing_of[(timer_id, rule_id)]
            rule = next(r for r in snapshot.policies[crossing.timer.policy_id].rules if r.id == rule_id)
            pending_actions.append((crossing, rule))
        notices_out += _rule_notices(pending_actions, snapshot=snapshot, incidents=incidents, team_names=team_names)

    outcome.notifications = notices.write(notices_out, now=now)
    if pending_actions:
        outcome.actions = _run_actions(pending_actions, snapshot=snapshot, now=now, team_names=team_names)
    return outcome


def _context(crossing: Crossing, policy: PolicyInfo, threshold: int, team_names: dict[int, str]) -> dict:
    timer = crossing.timer
    return {
        "label": label(timer.metric, team_names.get(timer.team_id)),
        "threshold": threshold,
        "policy": policy.name,
        "target_text": duration_text(timer.target),
        "due_at": timer.due_at or crossing.instant,
    }


def _members(team_ids: set[int]) -> dict[int, list[User]]:
    """Active members of teams without a shared mailbox, in one query."""
    if not team_ids:
        return {}
    members: dict[int, list[User]] = defaultdict(list)
    through = Team.members.through
    for link in through.objects.filter(team_id__in=team_ids, user__is_active=True).select_related("user"):
        members[link.team_id].append(link.user)
    return members


def _event_notices(new_events, *, snapshot, incidents, team_names) -> list[notices.Notice]:
    """Warnings go to the assignee (or the team); a breach to the team's manager and the assignee.

    When a timer passed several thresholds at once (a late tick, a re-matched policy), only the highest is sent.
    """
    highest: dict[int, tuple] = {}
    for item in new_events:
        timer_id = item[3].timer.pk
        if timer_id not in highest or item[2] > highest[timer_id][2] or item[1] == EventKind.BREACH:
            highest[timer_id] = item
    need_members = {
        incidents[item[3].timer.incident_id].assigned_team_id
        for item in highest.values()
        if item[1] == EventKind.WARNING
        and incidents[item[3].timer.incident_id].assignee_id is None
        and incidents[item[3].timer.incident_id].assigned_team_id
        and not incidents[item[3].timer.incident_id].assigned_team.email
    }
    members = _members(need_members)
    out: list[notices.Notice] = []
    for event_id, kind, threshold, crossing in highest.values():
        incident = incidents[crossing.timer.incident_id]
        policy = snapshot.policies[crossing.timer.policy_id]
        context = _context(crossing, policy, threshold, team_names)
        key = f"sla:{event_id}"
        team = incident.assigned_team
        if kind == EventKind.BREACH:
            users = [team.manager if team is not None else None, incident.assignee]
            out += notices.for_users(key=key, kind="sla_breach", incident=incident, users=users, context=context)
        elif incident.assignee_id:
            out += notices.for_users(
                key=key, kind="sla_warning", incident=incident, users=[incident.assignee], context=context
            )
        else:
            out += notices.for_team(
                key=key,
                kind="sla_warning",
                incident=incident,
                team=team,
                members=members.get(incident.assigned_team_id, []),
                context=context,
            )
    return out


def _rule_notices(actions, *, snapshot, incidents, team_names) -> list[notices.Notice]:
    """Hierarchical escalation: the team's manager, named users, a named team."""
    user_ids = {uid for _, rule in actions for uid in rule.notify_user_ids}
    team_ids = {rule.notify_team_id for _, rule in actions if rule.notify_team_id}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    teams = {t.pk: t for t in Team.objects.filter(pk__in=team_ids)} if team_ids else {}
    members = _members({pk for pk, t in teams.items() if not t.email})
    out: list[notices.Notice] = []
    for crossing, rule in actions:
        incident = incidents[crossing.timer.incident_id]
        policy = snapshot.policies[crossing.timer.policy_id]
        context = _context(crossing, policy, rule.at_percent, team_names)
        key = f"sla-rule:{rule.id}:{crossing.timer.pk}"
        recipients = [users[uid] for uid in rule.notify_user_ids if uid in users]
        if rule.notify_manager and incident.assigned_team is not None:
            recipients.append(incident.assigned_team.manager)
        out += notices.for_users(key=key, kind="sla_escalation", incident=incident, users=recipients, context=context)
        if rule.notify_team_id in teams:
            team = teams[rule.notify_team_id]
            out += notices.for_team(
                key=key,
                kind="sla_escalation",
                incident=incident,
                team=team,
                members=members.get(team.pk, []),
                context=context,
            )
    return out


def _run_actions(actions, *, snapshot, now, team_names) -> list[str]:
    """Functional escalation and priority raises, through the lifecycle as the system (actor=None).

    One reassignment and one priority step per incident per batch, however many rules asked for it.
    """
    done: list[str] = []
    reassigned: set[int] = set()
    raised: set[int] = set()
    for crossing, rule in actions:
        timer = crossing.timer
        policy = snapshot.policies[timer.policy_id]
        what = "breach" if rule.at_percent == BREACH_PERCENT else f"{rule.at_percent}% of target"
        reason = f"SLA {label(timer.metric, team_names.get(timer.team_id))} ({policy.name}): {what}."
        if rule.reassign and timer.incident_id not in reassigned:
            reassigned.add(timer.incident_id)
            try:
                lifecycle.incident_escalate(incident=timer.incident_id, actor=None, reason=reason, at=now)
                done.append(f"escalated {timer.incident_id}")
            except IncidentError as exc:
                log.info("sla: escalation rule could not reassign", extra={"incident": timer.incident_id})
                done.append(f"not escalated {timer.incident_id}: {exc.message}")
        if rule.raise_priority and timer.incident_id not in raised:
            raised.add(timer.incident_id)
            current = Incident.objects.filter(pk=timer.incident_id).values_list("priority", "state").first()
            if current and current[0] > 1:
                try:
                    lifecycle.incident_update(
                        incident=timer.incident_id,
                        actor=None,
                        changes={"priority": current[0] - 1},
                        reason=reason,
                        at=now,
                    )
                    done.append(f"raised {timer.incident_id} to P{current[0] - 1}")
                except IncidentError as exc:
                    done.append(f"not raised {timer.incident_id}: {exc.message}")
    return done
