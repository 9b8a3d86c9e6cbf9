"""The incident page: header, SLA clocks, timeline, and a fixed number of queries however long the history."""

from __future__ import annotations

import pytest

from incidents import lifecycle
from incidents.choices import State
from tests import factories


def test_the_header_shows_number_state_priority_caller_team_and_assignee(agent_client, agent, incident):
    lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
    html = agent_client.get(f"/incidents/{incident.number}/").content.decode()
    for text in (
        incident.number,
        "New",
        "P3 - Moderate",
        incident.caller.display_name,
        "Service Desk",
        agent.display_name,
    ):
        assert text in html


def test_only_transitions_allowed_from_the_current_state_are_offered(agent_client, agent, incident):
    response = agent_client.get(f"/incidents/{incident.number}/")
    targets = [t["target"] for t in response.context["transitions"]]
    assert targets == ["in_progress", "on_hold", "resolved", "cancelled"]
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.RESOLVED, resolution_code="fixed", resolution_notes="ok"
    )
    response = agent_client.get(f"/incidents/{incident.number}/")
    assert [t["label"] for t in response.context["transitions"]] == ["Reopen", "Close"]


def test_a_closed_incident_offers_no_actions(agent_client, agent, incident):
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.CANCELLED, reason="dup")
    response = agent_client.get(f"/incidents/{incident.number}/")
    assert response.context["transitions"] == []
    assert b"Assign to me" not in response.content
    assert b'name="body"' not in response.content


def test_sla_clocks_show_label_time_left_and_percent(agent_client, incident, sla_provider):
    html = agent_client.get(f"/incidents/{incident.number}/").content.decode()
    assert "Resolution" in html
    assert "in 2 h 10 min" in html
    assert "73 percent of the target used" in html
    assert "data-due=" in html


def test_without_an_sla_app_the_page_says_no_clock_runs(agent_client, incident, no_sla_provider):
    response = agent_client.get(f"/incidents/{incident.number}/")
    assert b"No SLA clock runs" in response.content


def test_the_major_banner_shows_on_major_incidents(agent_client, agent, incident):
    lifecycle.incident_update(incident=incident, actor=agent, changes={"is_major": True})
    html = agent_client.get(f"/incidents/{incident.number}/").content.decode()
    assert "Major incident." in html
    assert "Post an update to every affected caller" in html


def test_the_timeline_lists_every_entry_newest_first_with_who_and_when(agent_client, agent, incident):
    lifecycle.incident_comment(incident=incident, actor=agent, body="First public reply", public=True)
    lifecycle.incident_comment(incident=incident, actor=agent, body="Internal *finding*", public=False)
    response = agent_client.get(f"/incidents/{incident.number}/")
    kinds = [e.kind for e in response.context["entries"]]
    assert kinds == ["work_note", "comment", "created"]
    assert "<em>finding</em>" in response.content.decode()
    assert agent.display_name in response.content.decode()


def test_the_timeline_filters_and_orders(agent_client, agent, incident):
    lifecycle.incident_comment(incident=incident, actor=agent, body="Reply", public=True)
    lifecycle.incident_comment(incident=incident, actor=agent, body="Note", public=False)
    lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
    notes = agent_client.get(f"/incidents/{incident.number}/?show=work_notes")
    assert [e.body for e in notes.context["entries"]] == ["Note"]
    changes = agent_client.get(f"/incidents/{incident.number}/?show=changes&order=oldest")
    assert [e.kind for e in changes.context["entries"]] == ["created", "assignment"]
    fragment = agent_client.get(f"/incidents/{incident.number}/timeline/?show=comments", HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"Reply" in fragment.content and b"Note</p>" not in fragment.content


def test_unknown_timeline_options_fall_back_to_everything(agent_client, incident):
    response = agent_client.get(f"/incidents/{incident.number}/?show=bogus&order=sideways")
    assert response.context["show"] == "all" and response.context["order"] == "newest"


def test_markdown_is_rendered_and_scripts_are_removed(agent_client, agent, incident):
    lifecycle.incident_comment(
        incident=incident, actor=agent, body="**bold** <script>alert(1)</script> [x](javascript:alert(2))", public=False
    )
    html = agent_client.get(f"/incidents/{incident.number}/").content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_the_markdown_preview_is_sanitised(agent_client, db):
    response = agent_client.post("/incidents/preview/", {"body": "# Title\n<img src=x onerror=alert(1)>"})
    assert b"<h1>Title</h1>" in response.content
    assert b"onerror" not in response.content


@pytest.mark.parametrize("entries", [10, 200])
def test_the_page_costs_the_same_queries_with_200_timeline_entries(
    agent_client, agent, incident, sla_provider, entries, django_assert_max_num_queries
):
    for index in range(entries // 2):
        lifecycle.incident_comment(incident=incident, actor=agent, body=f"Note {index}", public=False)
        lifecycle.incident_comment(incident=incident, actor=incident.caller, body=f"Reply {index}", public=True)
    children = [factories.make_incident(caller=incident.caller) for _ in range(3)]
    for child in children:
        lifecycle.incident_link_child(parent=incident, child=child, actor=agent)
    with django_assert_max_num_queries(24):
        response = agent_client.get(f"/incidents/{incident.number}/")
    assert response.status_code == 200
    assert len(response.context["entries"]) >= entries
    assert len(sla_provider) == 1  # one provider call for the incident and its children


def test_related_incidents_of_the_same_caller_are_listed(agent_client, incident, team):
    other = factories.make_incident(caller=incident.caller, assigned_team=team, short_description="Monitor flickers")
    html = agent_client.get(f"/incidents/{incident.number}/").content.decode()
    assert other.number in html and "Monitor flickers" in html


def test_an_attachment_downloads_for_agents(agent_client, agent, incident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = lifecycle.incident_attach(
        incident=incident, actor=agent, uploaded_file=SimpleUploadedFile("log.txt", b"hello", content_type="text/plain")
    )
    response = agent_client.get(f"/incidents/{incident.number}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert agent_client.get(f"/incidents/INC0000001/attachments/{attachment.pk}/").status_code == 404
