"""The tick records each crossing once, escalates through the lifecycle once, and costs a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Notification, TimelineEntry
from sla import engine, events, recording
from sla.models import EscalationFiring, SlaEvent, SlaTimer
from tests import factories
from tests.sla.conftest import T0, make_policy

H = timedelta(hours=1)


def test_a_tick_with_nothing_due_costs_one_query(resolution_4h, requester, team):
    factories.make_incident(caller=requester, assigned_team=team, at=T0)

    with CaptureQueriesContext(connection) as queries:
        result = engine.tick(now=T0 + H)

    assert result.timers == 0
    assert len([q for q in queries.captured_queries if "sla_slatimer" in q["sql"]]) == 1
    assert len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]) == 1


def test_each_threshold_is_recorded_once_on_the_timeline_as_done_by_the_system(resolution_4h, requester, team):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)

    engine.tick(now=T0 + 2 * H)
    engine.tick(now=T0 + 2 * H)
    engine.tick(now=T0 + 3 * H + 40 * timedelta(minutes=1))

    assert list(SlaEvent.objects.filter(incident=incident).values_list("kind", "threshold")) == [
        ("warning", 50),
        ("warning", 75),
        ("warning", 90),
    ]
    entries = TimelineEntry.objects.filter(incident=incident, kind="sla_event")
    assert entries.count() == 3 and all(e.actor_id is None for e in entries)
    assert SlaTimer.objects.get(incident=incident).warning_threshold == 90


def test_warnings_go_to_the_assignee_and_the_breach_to_the_teams_manager(resolution_4h, requester, agent, manager):
    team = factories.TeamFactory(name="Desk", members=[agent], manager=manager)
    incident = factories.make_incident(caller=requester, assigned_team=team, assignee=agent, at=T0)

    engine.tick(now=T0 + 2 * H)
    engine.tick(now=T0 + 5 * H)
    engine.tick(now=T0 + 5 * H)

    sent = list(
        Notification.objects.filter(incident=incident, kind__startswith="sla_").values_list("kind", "recipient")
    )
    assert ("sla_warning", agent.email) in sent
    assert ("sla_breach", manager.email) in sent
    assert len(sent) == len(set(sent))
    # The tick at +5 h crossed 75 %, 90 % and the breach at once: only the breach is mailed.
    assert sorted(k for k, _ in sent) == ["sla_breach", "sla_breach", "sla_warning"]


def test_escalation_rules_fire_once_and_act_through_the_lifecycle(always, requester, agent, manager):
    escalation = factories.TeamFactory(name="Level 2", manager=manager)
    team = factories.TeamFactory(name="Desk", members=[agent], escalation_team=escalation)
    make_policy(
        always,
        metric="resolution",
        target=4 * H,
        rules=[
            {"at_percent": 75, "notify_users": [manager]},
            {"at_percent": 100, "reassign_to_escalation_team": True, "raise_priority": True},
        ],
    )
    incident = factories.make_incident(caller=requester, assigned_team=team, assignee=agent, at=T0)

    engine.tick(now=T0 + 3 * H)
    first = engine.tick(now=T0 + 5 * H)
    again = engine.tick(now=T0 + 5 * H)

    incident.refresh_from_db()
    assert incident.assigned_team == escalation and incident.assignee is None
    assert incident.priority == 2 and incident.escalation_level == 1
    assert EscalationFiring.objects.count() == 2
    assert first.firings == 1 and again.firings == 0
    escalated = TimelineEntry.objects.get(incident=incident, kind="escalation")
    assert escalated.actor_id is None and "SLA" in escalated.body
    assert Notification.objects.filter(kind="sla_escalation", recipient=manager.email).count() == 1


def test_a_crash_in_the_middle_of_a_batch_leaves_nothing_and_the_next_tick_does_the_work(
    resolution_4h, requester, team, monkeypatch
):
    incidents = [factories.make_incident(caller=requester, assigned_team=team, at=T0) for _ in range(3)]
    real = recording.lifecycle.incidents_record_events

    def explode(entries):
        real(entries)  # events and timeline rows are written ...
        raise RuntimeError("worker died")  # ... then the batch fails before it commits

    monkeypatch.setattr(recording.lifecycle, "incidents_record_events", explode)
    with pytest.raises(RuntimeError):
        engine.tick(now=T0 + 5 * H)

    assert SlaEvent.objects.count() == 0
    assert TimelineEntry.objects.filter(kind="sla_event").count() == 0
    assert not SlaTimer.objects.filter(breached=True).exists()

    monkeypatch.setattr(recording.lifecycle, "incidents_record_events", real)
    result = engine.tick(now=T0 + 5 * H)
    assert result.timers == 3
    assert SlaEvent.objects.filter(kind="breach").count() == len(incidents)


def test_queries_per_batch_do_not_grow_with_the_batch(resolution_4h, requester, team, agent, monkeypatch):
    # The engine's own queries: other apps' per-event subscribers (webhooks) are measured by their own tests.
    monkeypatch.setattr(events, "_subscribers", [])

    def one_batch(count: int, at) -> int:
        for _ in range(count):
            factories.make_incident(caller=requester, assigned_team=team, assignee=agent, at=at)
        with CaptureQueriesContext(connection) as queries:
            engine.process_batch(now=at + 5 * H, batch_size=1000)
        return len(queries.captured_queries)

    small = one_batch(2, T0)
    large = one_batch(20, T0 + 10 * H)

    assert small == large


def test_subscribers_hear_each_warning_and_breach_once(resolution_4h, requester, team):
    heard = []
    batches = []
    events.subscribe(lambda name, payload: heard.append((name, payload["threshold"], payload["incident_number"])))
    events.subscribe_batch(lambda items: batches.append(len(items)))
    try:
        incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)
        engine.tick(now=T0 + 2 * H)
        engine.tick(now=T0 + 5 * H)
        engine.tick(now=T0 + 5 * H)
    finally:
        events._subscribers[:] = [fn for fn in events._subscribers if getattr(fn, "__name__", "") != "<lambda>"]
        events._batch_subscribers.clear()

    assert heard == [
        ("sla_warning", 50, incident.number),
        ("sla_warning", 75, incident.number),
        ("sla_warning", 90, incident.number),
        ("sla_breached", 100, incident.number),
    ]
    assert batches == [1, 3]


def test_a_breached_timer_keeps_running_until_resolution_so_the_overrun_is_measured(resolution_4h, requester, team):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    engine.tick(now=T0 + 5 * H)

    from incidents import lifecycle

    lifecycle.incident_transition(
        incident=incident,
        actor=None,
        to_state="resolved",
        resolution_code="fixed",
        resolution_notes="ok",
        at=T0 + 7 * H,
    )
    timer = SlaTimer.objects.get(incident=incident)
    assert timer.state == "completed" and timer.breached and timer.business_elapsed == 7 * H
