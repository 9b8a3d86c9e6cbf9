"""Every allowed and every refused transition of the lifecycle, pure and through incident_transition."""

import itertools

import pytest

from incidents import lifecycle
from incidents.choices import OnHoldReason, ResolutionCode, State
from incidents.errors import IncidentError
from incidents.models import Incident
from incidents.transitions import ALLOWED, allowed_targets, can_transition
from tests.factories import make_incident

DESIGN_TABLE = {
    "new": {"in_progress", "on_hold", "resolved", "cancelled"},
    "in_progress": {"on_hold", "resolved", "cancelled"},
    "on_hold": {"in_progress", "resolved", "cancelled"},
    "resolved": {"in_progress", "closed"},
    "closed": set(),
    "cancelled": set(),
}
ALL_PAIRS = [(a, b) for a, b in itertools.product(State.values, State.values) if a != b]

# The shortest path from a new incident to each state, used to put an incident in it.
PATH_TO = {
    "new": [],
    "in_progress": ["in_progress"],
    "on_hold": ["on_hold"],
    "resolved": ["resolved"],
    "closed": ["resolved", "closed"],
    "cancelled": ["cancelled"],
}


def needs(to_state):
    if to_state == State.ON_HOLD:
        return {"on_hold_reason": OnHoldReason.AWAITING_VENDOR}
    if to_state == State.RESOLVED:
        return {"resolution_code": ResolutionCode.FIXED, "resolution_notes": "Replaced the toner."}
    return {}


def put_in(incident, state, actor):
    for step in PATH_TO[state]:
        incident = lifecycle.incident_transition(incident=incident, actor=actor, to_state=step, **needs(step))
    return incident


def test_the_transition_table_is_the_one_in_the_design():
    assert {k: set(v) for k, v in ALLOWED.items()} == DESIGN_TABLE


@pytest.mark.parametrize(("from_state", "to_state"), ALL_PAIRS)
def test_can_transition_answers_exactly_the_design_table(from_state, to_state):
    assert can_transition(from_state, to_state) == (to_state in DESIGN_TABLE[from_state])


def test_allowed_targets_are_listed_in_lifecycle_order():
    assert allowed_targets("new") == ["in_progress", "on_hold", "resolved", "cancelled"]
    assert allowed_targets("closed") == []


@pytest.mark.django_db
@pytest.mark.parametrize(("from_state", "to_state"), ALL_PAIRS)
def test_incident_transition_allows_and_refuses_every_pair_as_designed(from_state, to_state, agent, team):
    # given an incident in `from_state`
    incident = put_in(make_incident(assigned_team=team), from_state, agent)
    version = incident.version
    entries = incident.timeline.count()
    # when
    if to_state in DESIGN_TABLE[from_state]:
        result = lifecycle.incident_transition(incident=incident, actor=agent, to_state=to_state, **needs(to_state))
        # then it moved, with one more version and one more timeline entry
        assert result.state == to_state
        assert Incident.objects.get(pk=incident.pk).version == version + 1
        last = incident.timeline.order_by("-id").first()
        assert (last.kind, last.old_value, last.new_value) == ("state_change", from_state, to_state)
    else:
        with pytest.raises(IncidentError) as refused:
            lifecycle.incident_transition(incident=incident, actor=agent, to_state=to_state, **needs(to_state))
        # then nothing changed and the message says why
        assert refused.value.field == "state"
        assert "cannot" in refused.value.message or "final" in refused.value.message
        fresh = Incident.objects.get(pk=incident.pk)
        assert (fresh.state, fresh.version, fresh.timeline.count()) == (from_state, version, entries)
