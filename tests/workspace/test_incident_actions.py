"""Writes from the incident page, their error paths, and refusal of stale saves (never a silent overwrite)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import lifecycle
from incidents.choices import State
from incidents.models import Attachment, Incident, Notification, TimelineEntry
from incidents.views.incident_page import fields_original
from tests import factories


def v(incident: Incident) -> dict:
    incident.refresh_from_db()
    return {"expected_version": incident.version, "loaded_at": incident.updated_at.isoformat()}


def url(incident: Incident, action: str) -> str:
    return f"/incidents/{incident.number}/{action}/"


def fields(incident: Incident, **changes) -> dict:
    incident.refresh_from_db()
    data = {
        "short_description": incident.short_description,
        "description": incident.description,
        "caller": incident.caller.email,
        "service": incident.service_id or "",
        "ci": incident.ci_id or "",
        "category": incident.category_id or "",
        "impact": incident.impact,
        "urgency": incident.urgency,
        "original": fields_original(incident),
        **v(incident),
    }
    data.update(changes)
    return data


# --- state -------------------------------------------------------------------------------------------------------


def test_putting_on_hold_awaiting_the_caller(agent_client, incident):
    response = agent_client.post(
        url(incident, "transition"), {"to_state": "on_hold", "on_hold_reason": "awaiting_caller", **v(incident)}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == State.ON_HOLD and incident.on_hold_reason == "awaiting_caller"


def test_on_hold_without_a_reason_is_refused_beside_the_reason(agent_client, incident):
    response = agent_client.post(url(incident, "transition"), {"to_state": "on_hold", **v(incident)})
    assert response.status_code == 400
    assert b"Say what the incident is waiting for" in response.content
    assert response.context["open_panel"] == "t-on_hold"
    assert b'id="t_on_hold_on_hold_reason_error"' in response.content


def test_resolving_needs_a_code_and_notes(agent_client, incident):
    response = agent_client.post(url(incident, "transition"), {"to_state": "resolved", **v(incident)})
    assert response.status_code == 400
    assert b"Choose a resolution code" in response.content
    assert b"Describe how the incident was resolved" in response.content
    response = agent_client.post(
        url(incident, "transition"),
        {"to_state": "resolved", "resolution_code": "fixed", "resolution_notes": "Replaced the fuser.", **v(incident)},
    )
    incident.refresh_from_db()
    assert incident.state == State.RESOLVED and incident.resolution_notes == "Replaced the fuser."


def test_a_transition_not_allowed_from_here_is_refused(agent_client, incident):
    response = agent_client.post(url(incident, "transition"), {"to_state": "closed", **v(incident)})
    assert response.status_code == 400
    assert b"is not possible from New" in response.content


def test_cancelling_needs_a_reason(agent_client, incident):
    response = agent_client.post(url(incident, "transition"), {"to_state": "cancelled", **v(incident)})
    assert b"Say why the incident is cancelled" in response.content


def test_resolving_a_major_parent_resolves_its_children(agent_client, agent, incident, requester):
    child = factories.make_incident(caller=requester)
    lifecycle.incident_update(incident=incident, actor=agent, changes={"is_major": True})
    lifecycle.incident_link_child(parent=incident, child=child, actor=agent)
    agent_client.post(
        url(incident, "transition"),
        {"to_state": "resolved", "resolution_code": "fixed", "resolution_notes": "Core switch replaced", **v(incident)},
    )
    child.refresh_from_db()
    assert child.state == State.RESOLVED and child.resolution_notes == "Core switch replaced"


# --- assignment -------------------------------------------------------------------------------------------------------


def test_assign_to_me(agent_client, agent, incident):
    response = agent_client.post(url(incident, "assign-to-me"), v(incident))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.assignee == agent


def test_assign_to_me_outside_the_team_explains_why_not(agent_client, agent, requester):
    other = factories.make_incident(caller=requester, assigned_team=factories.TeamFactory(name="Network"))
    response = agent_client.post(url(other, "assign-to-me"), v(other), follow=True)
    assert b"is not a member of Network" in response.content


def test_assigning_a_team_and_a_person(agent_client, incident, other_agent):
    agent_client.post(
        url(incident, "assign"), {"assigned_team": incident.assigned_team_id, "assignee": other_agent.pk, **v(incident)}
    )
    incident.refresh_from_db()
    assert incident.assignee == other_agent


def test_assigning_nothing_new_says_so(agent_client, incident):
    response = agent_client.post(url(incident, "assign"), {"assigned_team": incident.assigned_team_id, **v(incident)})
    assert response.status_code == 400
    assert b"Nothing to change" in response.content


def test_escalating_without_an_escalation_team_is_explained(agent_client, incident):
    response = agent_client.post(url(incident, "escalate"), {"reason": "Needs level 2", **v(incident)})
    assert response.status_code == 400
    assert b"has no escalation team configured" in response.content


def test_escalating_needs_a_reason_and_moves_the_incident(agent_client, incident, team):
    level2 = factories.TeamFactory(name="Level 2")
    team.escalation_team = level2
    team.save()
    response = agent_client.post(url(incident, "escalate"), {"reason": "", **v(incident)})
    assert response.status_code == 400
    agent_client.post(url(incident, "escalate"), {"reason": "Needs level 2", **v(incident)})
    incident.refresh_from_db()
    assert incident.assigned_team == level2 and incident.escalation_level == 1


# --- major incidents and links --------------------------------------------------------------------------------------


def test_declaring_and_ending_a_major_incident(agent_client, incident):
    agent_client.post(url(incident, "major"), {"declare": "1", "reason": "Whole floor down", **v(incident)})
    incident.refresh_from_db()
    assert incident.is_major
    response = agent_client.post(url(incident, "major"), {"declare": "1", **v(incident)})
    assert b"already a major incident" in response.content
    agent_client.post(url(incident, "major"), {"declare": "0", **v(incident)})
    incident.refresh_from_db()
    assert not incident.is_major


def test_a_major_update_reaches_each_childs_caller_once(agent_client, agent, incident):
    callers = [factories.RequesterFactory() for _ in range(2)]
    children = [factories.make_incident(caller=c) for c in callers]
    lifecycle.incident_update(incident=incident, actor=agent, changes={"is_major": True})
    for child in children:
        lifecycle.incident_link_child(parent=incident, child=child, actor=agent)
    response = agent_client.post(url(incident, "major-update"), {"body": "Engineers on site; ETA 14:00."}, follow=True)
    assert b"2 child incidents" in response.content
    for child in children:
        assert TimelineEntry.objects.filter(incident=child, kind="comment", body__startswith="Engineers").count() == 1


def test_a_major_update_on_a_normal_incident_is_refused(agent_client, incident):
    response = agent_client.post(url(incident, "major-update"), {"body": "Update"})
    assert response.status_code == 400
    assert b"is not a major incident" in response.content


def test_linking_a_child_and_unlinking_it(agent_client, incident, requester):
    child = factories.make_incident(caller=requester)
    agent_client.post(url(incident, "link"), {"relation": "child", "other": child.number, **v(incident)})
    child.refresh_from_db()
    assert child.parent == incident
    agent_client.post(url(incident, "unlink"), {"child": child.number})
    child.refresh_from_db()
    assert child.parent is None


def test_setting_the_parent_from_the_child(agent_client, incident, requester):
    parent = factories.make_incident(caller=requester)
    agent_client.post(url(incident, "link"), {"relation": "parent", "other": parent.number, **v(incident)})
    incident.refresh_from_db()
    assert incident.parent == parent


@pytest.mark.parametrize(
    ("other", "message"), [("INC0999999", b"There is no incident INC0999999"), ("self", b"cannot be its own parent")]
)
def test_linking_errors_are_shown_beside_the_number(agent_client, incident, other, message):
    target = incident.number if other == "self" else other
    response = agent_client.post(url(incident, "link"), {"relation": "child", "other": target, **v(incident)})
    assert response.status_code == 400
    assert message in response.content


# --- watchers -------------------------------------------------------------------------------------------------------


def test_watching_and_adding_another_watcher(agent_client, agent, other_agent, incident):
    agent_client.post(url(incident, "watch"), {"watch": "1"})
    agent_client.post(url(incident, "watch"), {"watch": "1", "user": other_agent.pk})
    assert set(incident.watchers.all()) == {agent, other_agent}
    agent_client.post(url(incident, "watch"), {"watch": "0"})
    assert set(incident.watchers.all()) == {other_agent}


# --- compose --------------------------------------------------------------------------------------------------------


def test_a_public_comment_is_visible_to_the_caller(agent_client, incident):
    agent_client.post(url(incident, "comment"), {"visibility": "public", "body": "We are on it.", **v(incident)})
    entry = TimelineEntry.objects.get(incident=incident, kind="comment")
    assert entry.is_public and entry.body == "We are on it."


def test_a_work_note_stays_internal_and_notifies_mentioned_agents(agent_client, incident, other_agent):
    agent_client.post(
        url(incident, "comment"), {"visibility": "work_note", "body": "@blake can you check the VPN?", **v(incident)}
    )
    entry = TimelineEntry.objects.get(incident=incident, kind="work_note")
    assert not entry.is_public
    assert Notification.objects.filter(kind="work_note_mention", recipient=other_agent.email).count() == 1


def test_an_empty_comment_is_refused(agent_client, incident):
    response = agent_client.post(url(incident, "comment"), {"visibility": "public", "body": "  ", **v(incident)})
    assert response.status_code == 400
    assert b"Write something first" in response.content


def test_a_comment_with_attachments_links_them_to_the_entry(agent_client, incident):
    upload = SimpleUploadedFile("shot.png", b"\x89PNG....", content_type="image/png")
    agent_client.post(
        url(incident, "comment"),
        {"visibility": "work_note", "body": "Screenshot", "attachments": [upload], **v(incident)},
    )
    attachment = Attachment.objects.get()
    assert attachment.entry.body == "Screenshot" and not attachment.is_public


# --- editing fields in place ------------------------------------------------------------------------------------------


def test_editing_impact_recomputes_the_priority(agent_client, incident):
    response = agent_client.post(url(incident, "edit"), fields(incident, impact="high", urgency="high"))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.priority == 1


def test_an_invalid_field_is_refused_beside_it(agent_client, incident):
    response = agent_client.post(
        url(incident, "edit"), fields(incident, short_description="", caller="ghost@x.example")
    )
    assert response.status_code == 400
    assert response.context["fields_form"].errors.keys() >= {"short_description", "caller"}
    assert response.context["open_panel"] == "fields_form"


def test_a_ci_from_another_service_is_refused_beside_the_ci(agent_client, incident):
    service = factories.ServiceFactory(name="Email")
    foreign = factories.ConfigurationItemFactory(name="vpn-gw", service=factories.ServiceFactory(name="VPN"))
    response = agent_client.post(url(incident, "edit"), fields(incident, service=service.pk, ci=foreign.pk))
    assert response.status_code == 400
    assert "ci" in response.context["fields_form"].errors


# --- concurrency ----------------------------------------------------------------------------------------------------


def test_a_stale_save_is_refused_showing_what_changed_and_keeping_the_input(agent_client, other_agent, incident):
    loaded = v(incident)
    lifecycle.incident_comment(incident=incident, actor=other_agent, body="I'm calling the user now", public=False)
    response = agent_client.post(
        url(incident, "transition"),
        {"to_state": "resolved", "resolution_code": "fixed", "resolution_notes": "My fix", **loaded},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not saved: someone else changed this incident" in html
    assert "Blake Rivera" in html and "calling the user now" in html
    assert "My fix" in html  # the agent's input is kept
    assert "Reload the incident" in html
    incident.refresh_from_db()
    assert incident.state == State.NEW
    resubmit = [t["form"] for t in response.context["transitions"] if t["target"] == "resolved"][0]
    assert resubmit.data["expected_version"] == str(incident.version)


def test_a_stale_field_edit_keeps_only_the_agents_own_edits_on_top_of_the_current_values(
    agent_client, other_agent, incident
):
    loaded = fields(incident)
    lifecycle.incident_update(incident=incident, actor=other_agent, changes={"urgency": "high"})
    stale = {**loaded, "short_description": "Printer on floor 2 jams on every job"}
    response = agent_client.post(url(incident, "edit"), stale)
    assert response.status_code == 409
    form = response.context["fields_form"]
    assert form.data["short_description"] == "Printer on floor 2 jams on every job"
    assert form.data["urgency"] == "high"  # the other agent's change is not reverted on resubmit
    resubmitted = agent_client.post(url(incident, "edit"), form.data)
    assert resubmitted.status_code == 302
    incident.refresh_from_db()
    assert incident.urgency == "high"
    assert incident.short_description == "Printer on floor 2 jams on every job"


def test_a_field_save_sends_only_what_the_agent_edited(agent_client, other_agent, incident):
    data = fields(incident, description="More detail")
    original = json.loads(data["original"])
    assert original["short_description"] == incident.short_description
    agent_client.post(url(incident, "edit"), data)
    changed = TimelineEntry.objects.filter(incident=incident, kind="field_change").values_list("field", flat=True)
    assert list(changed) == ["description"]


def test_a_stale_assign_to_me_is_refused(agent_client, other_agent, incident):
    loaded = v(incident)
    lifecycle.incident_assign(incident=incident, actor=other_agent, assignee=other_agent)
    response = agent_client.post(url(incident, "assign-to-me"), loaded)
    assert response.status_code == 409
    incident.refresh_from_db()
    assert incident.assignee == other_agent


def test_a_stale_comment_is_refused_and_the_text_kept(agent_client, other_agent, incident):
    loaded = v(incident)
    lifecycle.incident_assign(incident=incident, actor=other_agent, assignee=other_agent)
    response = agent_client.post(url(incident, "comment"), {"visibility": "public", "body": "Fixed it?", **loaded})
    assert response.status_code == 409
    assert "Fixed it?" in response.content.decode()
    assert not TimelineEntry.objects.filter(kind="comment").exists()
