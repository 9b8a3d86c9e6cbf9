"""Racing ticks, a broker that is down: the clock lives in Postgres rows, so nothing is lost or doubled."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from incidents import lifecycle
from incidents.choices import State
from incidents.models import Notification
from sla import engine
from sla.models import SlaEvent, SlaTimer
from tests import factories
from tests.sla.conftest import T0

H = timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_two_ticks_racing_over_the_same_due_timers_record_each_event_once(resolution_4h, requester, agent):
    # Given 60 incidents whose timers are all past every threshold
    team = factories.TeamFactory(name="Desk", members=[agent])
    for _ in range(60):
        factories.make_incident(caller=requester, assigned_team=team, assignee=agent, at=T0)
    start = threading.Barrier(4)
    errors = []

    def run():
        try:
            start.wait()
            engine.tick(now=T0 + 5 * H, batch_size=7)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    # When four ticks in four connections race over them
    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then every crossing is recorded exactly once and every notification written once
    assert errors == []
    assert SlaEvent.objects.count() == 60 * 4
    assert SlaEvent.objects.filter(kind="breach").count() == 60
    assert Notification.objects.filter(kind="sla_breach").count() == 60
    assert Notification.objects.filter(kind="sla_warning").count() == 0  # crossed together: only the breach mails
    assert not SlaTimer.objects.filter(state="running", next_check_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_a_tick_skips_an_incident_an_agent_is_editing_and_takes_it_on_the_next_tick(resolution_4h, requester, team):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)
    locked = threading.Event()
    release = threading.Event()

    def agent_edit():
        from django.db import transaction

        with transaction.atomic():
            list(type(incident).objects.select_for_update().filter(pk=incident.pk))
            locked.set()
            release.wait(10)
        connection.close()

    editor = threading.Thread(target=agent_edit)
    editor.start()
    locked.wait(10)
    try:
        assert engine.tick(now=T0 + 5 * H).timers == 0
    finally:
        release.set()
        editor.join()
    assert engine.tick(now=T0 + 5 * H).timers == 1


def test_with_the_broker_down_incidents_still_change_and_the_tick_processes_the_backlog(
    resolution_4h, requester, agent, monkeypatch, settings
):
    # Given a broker that refuses every publish
    from celery.app.task import Task

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(Task, "apply_async", refuse)
    monkeypatch.setattr(Task, "delay", refuse)
    team = factories.TeamFactory(name="Desk", members=[agent])

    # When incidents are registered and worked
    incidents = [factories.make_incident(caller=requester, assigned_team=team, assignee=agent, at=T0) for _ in range(3)]
    lifecycle.incident_transition(incident=incidents[0], actor=agent, to_state=State.IN_PROGRESS, at=T0 + H)

    # Then their timers are rows, and the tick (run again once the broker is back) handles the backlog
    assert SlaTimer.objects.filter(state="running").count() == 3
    result = engine.tick(now=T0 + 5 * H)
    assert result.timers == 3
    assert SlaEvent.objects.filter(kind="breach").count() == 3
    assert Notification.objects.filter(kind="sla_breach", status="pending").count() == 3
