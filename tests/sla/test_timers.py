"""Incident changes move their timers in the same transaction, at the change's own instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from incidents import lifecycle
from incidents.choices import OnHoldReason, State
from sla import engine
from sla.models import SlaEvent, SlaTimer
from tests import factories
from tests.sla.conftest import T0, make_policy

H = timedelta(hours=1)


def _timer(incident, metric="resolution"):
    return SlaTimer.objects.exclude(state="cancelled").get(incident=incident, metric=metric)


def test_registering_an_incident_starts_its_timers_due_after_the_target(resolution_4h, response_1h, requester, team):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)

    assert _timer(incident).due_at == T0 + 4 * H
    assert _timer(incident).next_check_at == T0 + 2 * H
    assert _timer(incident, "response").due_at == T0 + H


def test_an_agents_first_response_completes_the_response_timer_only(resolution_4h, response_1h, agent, team, requester):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)

    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.IN_PROGRESS, at=T0 + 20 * 60 * H / 3600
    )

    response = _timer(incident, "response")
    assert response.state == "completed" and not response.breached
    assert response.business_elapsed == timedelta(minutes=20)
    assert _timer(incident).state == "running"


def test_a_hold_awaiting_the_caller_pauses_and_resuming_moves_the_due_instant_by_the_business_time_paused(
    office, agent, team, requester
):
    # Given an office-hours policy (Warsaw 08:00-16:00) and an incident registered Monday 10:00 local time
    make_policy(office, metric="resolution", target=8 * H)
    monday_10 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    incident = factories.make_incident(caller=requester, assigned_team=team, at=monday_10)
    assert _timer(incident).due_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # Tuesday 10:00 local

    # When it waits for the caller from Monday 12:00 to Tuesday 09:00 local (5 business hours paused)
    lifecycle.incident_transition(
        incident=incident,
        actor=agent,
        to_state=State.ON_HOLD,
        on_hold_reason=OnHoldReason.AWAITING_CALLER,
        at=monday_10 + 2 * H,
    )
    paused = _timer(incident)
    assert paused.state == "paused" and paused.business_elapsed == 2 * H and paused.next_check_at is None
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.IN_PROGRESS, at=datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    )

    # Then the due instant moved by exactly those 5 business hours: Tuesday 15:00 local
    resumed = _timer(incident)
    assert resumed.state == "running"
    assert resumed.due_at == datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    assert resumed.business_elapsed == 2 * H


def test_a_hold_for_a_reason_that_does_not_pause_keeps_the_clock_running(resolution_4h, agent, team, requester):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)

    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.ON_HOLD, on_hold_reason=OnHoldReason.AWAITING_VENDOR, at=T0 + H
    )

    assert _timer(incident).state == "running"
    assert _timer(incident).due_at == T0 + 4 * H


def test_resolving_completes_and_reopening_resumes_without_counting_the_resolved_time(
    resolution_4h, agent, team, requester
):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    lifecycle.incident_transition(
        incident=incident,
        actor=agent,
        to_state=State.RESOLVED,
        resolution_code="fixed",
        resolution_notes="ok",
        at=T0 + H,
    )
    assert _timer(incident).state == "completed"

    lifecycle.incident_reopen(incident=incident, actor=requester, reason="Still broken", at=T0 + 3 * H)

    timer = _timer(incident)
    assert timer.state == "running"
    assert timer.due_at == T0 + 6 * H


def test_resolving_after_the_target_counts_as_missed_with_the_overrun_measured(resolution_4h, agent, team, requester):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)

    lifecycle.incident_transition(
        incident=incident,
        actor=agent,
        to_state=State.RESOLVED,
        resolution_code="fixed",
        resolution_notes="ok",
        at=T0 + 5 * H,
    )

    timer = _timer(incident)
    assert timer.state == "completed" and timer.breached
    assert timer.business_elapsed == 5 * H
    assert set(SlaEvent.objects.filter(timer=timer).values_list("kind", flat=True)) == {"warning", "breach"}


def test_cancelling_cancels_and_closing_completes_what_still_runs(resolution_4h, response_1h, agent, team, requester):
    cancelled = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    lifecycle.incident_transition(incident=cancelled, actor=agent, to_state=State.CANCELLED, at=T0 + H)
    assert set(SlaTimer.objects.filter(incident=cancelled).values_list("state", flat=True)) == {"cancelled"}

    closed = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    lifecycle.incident_transition(
        incident=closed, actor=None, to_state=State.RESOLVED, resolution_code="fixed", resolution_notes="ok", at=T0 + H
    )
    lifecycle.incident_transition(incident=closed, actor=None, to_state=State.CLOSED, at=T0 + 2 * H)
    assert set(SlaTimer.objects.filter(incident=closed).values_list("state", flat=True)) == {"completed"}


def test_raising_a_p3_to_p1_after_the_p1_target_passed_is_breached_at_once(always, agent, team, requester):
    # Given P3 (8 h) and P1 (1 h) resolution policies and a P3 incident registered 2 hours ago
    p3 = make_policy(always, metric="resolution", target=8 * H, priorities=[3])
    p1 = make_policy(always, metric="resolution", target=H, priorities=[1])
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    assert incident.priority == 3

    # When an agent raises it to P1
    lifecycle.incident_update(incident=incident, actor=agent, changes={"priority": 1}, at=T0 + 2 * H)

    # Then the P3 timer is cancelled and the P1 timer, started from the original start, is breached at once
    assert SlaTimer.objects.get(incident=incident, policy=p3).state == "cancelled"
    timer = SlaTimer.objects.get(incident=incident, policy=p1)
    assert timer.state == "running" and timer.breached
    assert timer.started_at == T0 and timer.due_at == T0 + H
    # And the next tick records the breach at its real instant
    engine.tick(now=T0 + 2 * H)
    breach = SlaEvent.objects.get(timer=timer, kind="breach")
    assert breach.due_at == T0 + H


def test_a_change_that_keeps_the_same_policy_leaves_the_timer_alone(resolution_4h, agent, team, requester):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    before = _timer(incident)

    lifecycle.incident_update(incident=incident, actor=agent, changes={"priority": 2}, at=T0 + H)

    after = _timer(incident)
    assert after.pk == before.pk and after.due_at == before.due_at


def test_the_most_specific_policy_wins_and_order_breaks_ties(always, requester, team):
    make_policy(always, metric="resolution", target=10 * H, name="catch-all")
    make_policy(always, metric="resolution", target=6 * H, priorities=[3], order=20, name="P3 late")
    make_policy(always, metric="resolution", target=5 * H, priorities=[3], order=10, name="P3 early")
    make_policy(always, metric="resolution", target=2 * H, priorities=[3], teams=[team], name="P3 of the team")

    with_team = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    other_team = factories.TeamFactory(name="Other")
    without = factories.make_incident(caller=requester, assigned_team=other_team, at=T0)

    assert _timer(with_team).policy.name == "P3 of the team"
    assert _timer(without).policy.name == "P3 early"


def test_an_ola_timer_measures_each_team_period_and_resumes_when_the_incident_comes_back(always, agent, requester):
    team_a = factories.TeamFactory(name="A", members=[agent])
    team_b = factories.TeamFactory(name="B", members=[agent])
    make_policy(always, metric="ola", target=4 * H, name="OLA")
    incident = factories.make_incident(caller=requester, assigned_team=team_a, at=T0)

    lifecycle.incident_assign(incident=incident, actor=agent, team=team_b, at=T0 + H)
    lifecycle.incident_assign(incident=incident, actor=agent, team=team_a, at=T0 + 3 * H)

    a = SlaTimer.objects.get(incident=incident, metric="ola", team=team_a)
    b = SlaTimer.objects.get(incident=incident, metric="ola", team=team_b)
    assert b.state == "completed" and b.business_elapsed == 2 * H
    assert a.state == "running" and a.business_elapsed == H
    assert a.due_at == T0 + 6 * H  # 1 h used, 3 h left from the return at T0+3h
