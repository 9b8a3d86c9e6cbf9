"""Bulk actions from the queue: each row through the lifecycle, with per-row outcomes."""

from __future__ import annotations

import pytest

from incidents import lifecycle
from incidents.choices import State
from incidents.models import TimelineEntry
from tests import factories


@pytest.fixture
def three(db, requester, team):
    return [factories.make_incident(caller=requester, assigned_team=team) for _ in range(3)]


def ids(incidents):
    return [f"{i.pk}:{i.version}" for i in incidents]


def test_bulk_assign_to_me_assigns_every_selected_incident(agent_client, agent, three):
    response = agent_client.post("/incidents/bulk/", {"action": "assign", "assignee": "me", "ids": ids(three)})
    assert response.status_code == 200
    for incident in three:
        incident.refresh_from_db()
        assert incident.assignee == agent
    assert b"3 done" in response.content


def test_bulk_state_change_asks_for_what_the_state_needs(agent_client, three):
    response = agent_client.post("/incidents/bulk/", {"action": "state", "to_state": "on_hold", "ids": ids(three)})
    assert response.status_code == 400
    assert b"Say what the incidents are waiting for" in response.content
    assert {i.state for i in three} == {State.NEW}


def test_bulk_resolve_needs_a_code_and_notes_then_resolves_all(agent_client, three):
    response = agent_client.post(
        "/incidents/bulk/",
        {
            "action": "state",
            "to_state": "resolved",
            "resolution_code": "fixed",
            "resolution_notes": "Driver",
            "ids": ids(three),
        },
    )
    assert response.status_code == 200
    for incident in three:
        incident.refresh_from_db()
        assert incident.state == State.RESOLVED
        assert incident.resolution_notes == "Driver"


def test_a_failing_row_is_reported_and_the_others_still_change(agent_client, agent, three):
    lifecycle.incident_transition(incident=three[0], actor=agent, to_state=State.CANCELLED, reason="Duplicate")
    three[0].refresh_from_db()
    response = agent_client.post("/incidents/bulk/", {"action": "raise", "ids": ids(three)})
    html = response.content.decode()
    assert "2 done" in html and "1 failed" in html
    assert f"{three[0].number}" in html and "can no longer change" in html
    three[1].refresh_from_db()
    assert three[1].priority == 2


def test_a_row_changed_since_the_list_was_loaded_is_refused(agent_client, agent, three):
    stale = ids(three)
    lifecycle.incident_comment(incident=three[1], actor=agent, body="Someone else got here", public=False)
    response = agent_client.post("/incidents/bulk/", {"action": "lower", "ids": stale})
    assert b"Someone else changed it after your list was loaded" in response.content
    three[1].refresh_from_db()
    assert three[1].priority == 3
    three[0].refresh_from_db()
    assert three[0].priority == 4


def test_bulk_work_note_adds_an_internal_note_to_each(agent_client, three):
    agent_client.post("/incidents/bulk/", {"action": "note", "body": "Vendor contacted", "ids": ids(three)})
    notes = TimelineEntry.objects.filter(kind="work_note", body="Vendor contacted")
    assert notes.count() == 3
    assert not any(n.is_public for n in notes)


def test_bulk_lowering_past_p5_is_a_row_failure(agent_client, requester, team):
    lowest = factories.make_incident(caller=requester, assigned_team=team, impact="low", urgency="low")
    response = agent_client.post("/incidents/bulk/", {"action": "lower", "ids": ids([lowest])})
    assert b"Already P5" in response.content


def test_bulk_without_a_selection_changes_nothing(agent_client, three):
    response = agent_client.post("/incidents/bulk/", {"action": "note", "body": "x"})
    assert response.status_code == 400
    assert b"Select at least one incident" in response.content


def test_bulk_assign_needs_a_team_or_an_assignee(agent_client, three):
    response = agent_client.post("/incidents/bulk/", {"action": "assign", "ids": ids(three)})
    assert b"Choose a team or an assignee" in response.content


def test_bulk_assign_to_someone_outside_the_team_fails_per_row(agent_client, three):
    outsider = factories.AgentFactory(username="outsider")
    response = agent_client.post(
        "/incidents/bulk/", {"action": "assign", "assignee": str(outsider.pk), "ids": ids(three)}
    )
    assert response.content.decode().count("is not a member of Service Desk") == 3


def test_from_htmx_the_results_are_a_fragment_and_the_table_refreshes(agent_client, three):
    response = agent_client.post(
        "/incidents/bulk/", {"action": "assign", "assignee": "me", "ids": ids(three)}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger"] == "queue-refresh"
    assert b"<html" not in response.content
    assert f'data-ok-ids="{three[0].pk} {three[1].pk} {three[2].pk}"'.encode() in response.content
