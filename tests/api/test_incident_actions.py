"""Actions on an incident: transition, assign, escalate, comments, work notes, timeline, watchers, children."""

from __future__ import annotations

import pytest

from incidents import lifecycle
from incidents.choices import EntryKind, State
from incidents.models import Incident
from tests import factories
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def test_an_agent_resolves_with_the_fields_resolving_needs(agent_api, incident):
    missing = agent_api.post(url(incident, "transition/"), {"state": "resolved"}, format="json")
    assert missing.status_code == 400
    assert "resolution_code" in missing.json()["errors"]
    done = agent_api.post(
        url(incident, "transition/"),
        {"state": "resolved", "resolution_code": "fixed", "resolution_notes": "Replaced the toner."},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "resolved"


def test_a_transition_the_lifecycle_forbids_is_409(agent_api, incident, agent):
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.CANCELLED)
    response = agent_api.post(url(incident, "transition/"), {"state": "in_progress"}, format="json")
    assert response.status_code == 409
    assert response.json()["type"] == "invalid_transition"


def test_a_stale_if_match_on_a_transition_is_412_and_changes_nothing(agent_api, incident):
    response = agent_api.post(
        url(incident, "transition/"),
        {"state": "in_progress"},
        format="json",
        HTTP_IF_MATCH=f'"{incident.pk}.{incident.version - 1 or 99}"',
    )
    assert response.status_code == 412
    assert Incident.objects.get(pk=incident.pk).state == State.NEW


def test_an_if_match_for_another_incident_never_matches(agent_api, incident):
    other = factories.make_incident()
    response = agent_api.post(
        url(incident, "transition/"), {"state": "in_progress"}, format="json", HTTP_IF_MATCH=f'"{other.pk}.1"'
    )
    assert response.status_code == 412


def test_the_caller_reopens_a_resolved_incident_with_a_reason(requester_api, incident, agent):
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.RESOLVED, resolution_code="fixed", resolution_notes="Done"
    )
    no_reason = requester_api.post(url(incident, "transition/"), {"state": "in_progress"}, format="json")
    assert no_reason.status_code == 400
    response = requester_api.post(
        url(incident, "transition/"), {"state": "in_progress", "reason": "Still jams"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["reopen_count"] == 1


def test_the_caller_withdraws_a_new_incident_but_cannot_resolve_it(requester_api, incident):
    refused = requester_api.post(
        url(incident, "transition/"),
        {"state": "resolved", "resolution_code": "fixed", "resolution_notes": "x"},
        format="json",
    )
    assert refused.status_code == 403
    assert requester_api.post(url(incident, "transition/"), {"state": "cancelled"}, format="json").status_code == 200


def test_an_agent_takes_an_incident_with_assignee_me(agent_api, incident, agent):
    response = agent_api.post(url(incident, "assign/"), {"assignee": "me"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["assignee"]["id"] == agent.pk


def test_assigning_a_non_member_names_the_assignee_field(agent_api, incident):
    outsider = factories.AgentFactory(username="outsider")
    response = agent_api.post(url(incident, "assign/"), {"assignee": outsider.pk}, format="json")
    assert response.status_code == 400
    assert "assignee" in response.json()["errors"]


def test_assign_needs_a_team_or_an_assignee(agent_api, incident):
    assert agent_api.post(url(incident, "assign/"), {}, format="json").status_code == 400


def test_escalating_hands_the_incident_to_the_escalation_team(agent_api, incident, team):
    second = factories.TeamFactory(name="Infrastructure")
    team.escalation_team = second
    team.save()
    no_reason = agent_api.post(url(incident, "escalate/"), {}, format="json")
    assert no_reason.status_code == 400
    response = agent_api.post(url(incident, "escalate/"), {"reason": "Needs root access"}, format="json")
    assert response.status_code == 200
    assert response.json()["assigned_team"]["name"] == "Infrastructure"
    assert response.json()["escalation_level"] == 1


def test_escalating_without_an_escalation_team_is_a_clear_400(agent_api, incident):
    response = agent_api.post(url(incident, "escalate/"), {"reason": "Help"}, format="json")
    assert response.status_code == 400
    assert "escalation team" in response.json()["detail"]


def test_comments_are_listed_and_added_for_the_caller(requester_api, incident):
    added = requester_api.post(url(incident, "comments/"), {"body": "It happens on A4 only"}, format="json")
    assert added.status_code == 201
    assert added["ETag"]
    listed = requester_api.get(url(incident, "comments/")).json()["results"]
    assert [c["body"] for c in listed] == ["It happens on A4 only"]


def test_work_notes_are_for_agents_only(requester_api, agent_api, incident):
    assert agent_api.post(url(incident, "work-notes/"), {"body": "Check the driver"}, format="json").status_code == 201
    assert requester_api.get(url(incident, "work-notes/")).status_code == 403
    assert requester_api.post(url(incident, "work-notes/"), {"body": "x"}, format="json").status_code == 403
    assert [n["body"] for n in agent_api.get(url(incident, "work-notes/")).json()["results"]] == ["Check the driver"]


def test_the_caller_sees_only_public_timeline_entries(requester_api, agent_api, incident, agent):
    lifecycle.incident_comment(incident=incident, actor=agent, body="Internal: vendor ticket 42", public=False)
    lifecycle.incident_comment(incident=incident, actor=agent, body="We are on it", public=True)
    theirs = [e["kind"] for e in requester_api.get(url(incident, "timeline/")).json()["results"]]
    ours = [e["kind"] for e in agent_api.get(url(incident, "timeline/")).json()["results"]]
    assert EntryKind.WORK_NOTE not in theirs
    assert EntryKind.WORK_NOTE in ours
    assert theirs[0] == EntryKind.CREATED


def test_commenting_on_a_closed_incident_is_409(agent_api, incident, agent):
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.CANCELLED)
    assert agent_api.post(url(incident, "comments/"), {"body": "late"}, format="json").status_code == 409


def test_a_requester_watches_and_unwatches_only_themselves(requester_api, requester, other_requester, incident):
    assert (
        requester_api.post(url(incident, "watchers/"), {"user": other_requester.pk}, format="json").status_code == 403
    )
    added = requester_api.post(url(incident, "watchers/"), {"user": requester.username}, format="json")
    assert added.status_code == 200
    assert [w["username"] for w in added.json()] == ["robin"]
    removed = requester_api.delete(url(incident, f"watchers/{requester.pk}/"))
    assert removed.status_code == 200 and removed.json() == []


def test_an_agent_adds_a_watcher_by_email(agent_api, incident, other_requester):
    response = agent_api.post(url(incident, "watchers/"), {"user": other_requester.email.upper()}, format="json")
    assert response.status_code == 200
    assert [w["id"] for w in agent_api.get(url(incident, "watchers/")).json()] == [other_requester.pk]


def test_removing_someone_who_is_not_watching_is_404(agent_api, incident, agent):
    assert agent_api.delete(url(incident, f"watchers/{agent.pk}/")).status_code == 404


def test_an_agent_links_and_unlinks_a_child_by_number(agent_api, incident):
    child = factories.make_incident(short_description="Same printer, other user")
    linked = agent_api.post(url(incident, "children/"), {"child": child.number}, format="json")
    assert linked.status_code == 201, linked.content
    assert linked.json()["parent"]["number"] == incident.number
    assert [c["number"] for c in agent_api.get(url(incident, "children/")).json()] == [child.number]
    unlinked = agent_api.delete(url(incident, f"children/{child.number}/"))
    assert unlinked.status_code == 200
    assert unlinked.json()["parent"] is None


def test_linking_an_incident_to_itself_is_400(agent_api, incident):
    response = agent_api.post(url(incident, "children/"), {"child": incident.pk}, format="json")
    assert response.status_code == 400
    assert "child" in response.json()["errors"]


def test_a_requester_cannot_link_children(requester_api, incident):
    child = factories.make_incident(caller=incident.caller)
    assert requester_api.post(url(incident, "children/"), {"child": child.pk}, format="json").status_code == 403
