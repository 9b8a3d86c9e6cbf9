from datetime import timedelta

from sla import engine
from sla.models import SlaEvent, SlaTimer
from tests import factories
from tests.sla.conftest import T0


def test_registering_an_incident_starts_its_resolution_timer(resolution_4h, requester, team):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)

    timer = SlaTimer.objects.get(incident=incident)
    assert timer.state == "running"
    assert timer.due_at == T0 + timedelta(hours=4)
    assert timer.next_check_at == T0 + timedelta(hours=2)


def test_the_tick_records_warnings_and_the_breach_once(resolution_4h, requester, team):
    incident = factories.make_incident(caller=requester, assigned_team=team, at=T0)

    engine.tick(now=T0 + timedelta(hours=5))
    engine.tick(now=T0 + timedelta(hours=5))

    events = list(SlaEvent.objects.filter(incident=incident).values_list("kind", "threshold"))
    assert events == [("warning", 50), ("warning", 75), ("warning", 90), ("breach", 100)]
    timer = SlaTimer.objects.get(incident=incident)
    assert timer.breached and timer.state == "running" and timer.next_check_at is None
