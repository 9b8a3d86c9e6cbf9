"""My tickets: the lists and one ticket's public page, with what the requester can do there."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import lifecycle
from incidents.choices import OnHoldReason, State
from incidents.models import Incident
from tests import factories
from tests.portal.conftest import resolve

pytestmark = pytest.mark.django_db


def test_my_open_tickets_show_plain_state_last_update_and_who_is_on_it(portal, incident, agent):
    # given an incident assigned to an agent
    lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
    # when the requester opens "My tickets"
    response = portal.get("/portal/incidents/")
    # then it is listed with plain words and the agent's name, and no ITIL words
    html = response.content.decode()
    assert response.status_code == 200
    assert incident.short_description in html
    assert agent.display_name in html
    assert "ago" in html
    for word in ("Urgency", "Impact", "Priority", "P3"):
        assert word not in html


def test_closed_tickets_are_on_their_own_tab(portal, incident, agent):
    resolve(incident, agent)
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.CLOSED)
    open_list = portal.get("/portal/incidents/").content.decode()
    closed_list = portal.get("/portal/incidents/?show=closed").content.decode()
    assert incident.number not in open_list
    assert incident.number in closed_list
    assert "Closed" in closed_list


def test_the_ticket_list_makes_a_fixed_number_of_queries(portal, requester, team, django_assert_max_num_queries):
    for n in range(12):
        factories.make_incident(caller=requester, assigned_team=team, short_description=f"Problem {n}")
    with django_assert_max_num_queries(8):
        response = portal.get("/portal/incidents/")
    assert response.content.decode().count("/portal/incidents/INC") >= 12


def test_watched_and_organization_tickets_are_listed_for_who_may_see_them(client, requester, other_requester, team):
    # given sam's incident which robin watches, and another organization member's incident
    watched = factories.make_incident(caller=other_requester, watchers=[requester], short_description="Watched one")
    colleague = factories.RequesterFactory(username="kim", organization=requester.organization)
    org_incident = factories.make_incident(caller=colleague, short_description="Colleague problem")
    client.force_login(requester)
    html = client.get("/portal/incidents/").content.decode()
    assert watched.number in html
    assert org_incident.number not in html
    # when robin becomes the organization's designated contact
    requester.is_org_contact = True
    requester.save()
    html = client.get("/portal/incidents/").content.decode()
    assert org_incident.number in html


def test_the_ticket_page_shows_public_comments_but_never_work_notes(portal, incident, agent):
    lifecycle.incident_comment(incident=incident, actor=agent, body="We are looking into it.", public=True)
    lifecycle.incident_comment(incident=incident, actor=agent, body="SECRET internal note", public=False)
    lifecycle.incident_update(incident=incident, actor=agent, changes={"priority": 1})
    html = portal.get(f"/portal/incidents/{incident.number}/").content.decode()
    assert "We are looking into it." in html
    assert "SECRET" not in html
    assert "priority" not in html.lower()


def test_internal_attachments_are_neither_listed_nor_downloadable(portal, incident, agent):
    public = lifecycle.incident_attach(
        incident=incident, actor=agent, uploaded_file=SimpleUploadedFile("fix.txt", b"steps", "text/plain")
    )
    internal = lifecycle.incident_attach(
        incident=incident,
        actor=agent,
        uploaded_file=SimpleUploadedFile("server-dump.txt", b"secret", "text/plain"),
        public=False,
    )
    html = portal.get(f"/portal/incidents/{incident.number}/").content.decode()
    assert "fix.txt" in html
    assert "server-dump.txt" not in html
    download = portal.get(f"/portal/incidents/{incident.number}/files/{public.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"steps"
    assert portal.get(f"/portal/incidents/{incident.number}/files/{internal.pk}/").status_code == 404


def test_a_reply_with_a_file_becomes_a_public_comment_with_the_file(portal, incident):
    response = portal.post(
        f"/portal/incidents/{incident.number}/reply/",
        {
            "body": "It happens again today.",
            "attachments": [SimpleUploadedFile("error.png", b"\x89PNG..", "image/png")],
        },
    )
    assert response.status_code == 302
    entry = incident.timeline.filter(kind="comment").get()
    assert entry.is_public and entry.body == "It happens again today."
    attachment = incident.attachments.get()
    assert attachment.filename == "error.png" and attachment.entry_id == entry.pk and attachment.is_public


def test_an_empty_reply_is_refused_with_a_message(portal, incident):
    response = portal.post(f"/portal/incidents/{incident.number}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert "Write something or add a file first." in response.content.decode()


def test_a_file_of_a_refused_type_is_refused_with_a_friendly_message(portal, incident):
    response = portal.post(
        f"/portal/incidents/{incident.number}/reply/",
        {"body": "see file", "attachments": [SimpleUploadedFile("tool.exe", b"MZ", "application/x-msdownload")]},
    )
    assert response.status_code == 400
    assert "We can&#x27;t accept tool.exe" in response.content.decode()
    assert not incident.timeline.filter(kind="comment").exists()


def test_a_reply_while_waiting_for_the_requester_puts_the_ticket_back_in_progress(portal, incident, agent):
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.ON_HOLD, on_hold_reason=OnHoldReason.AWAITING_CALLER
    )
    assert "Waiting for your reply" in portal.get(f"/portal/incidents/{incident.number}/").content.decode()
    portal.post(f"/portal/incidents/{incident.number}/reply/", {"body": "Here is the info."})
    incident.refresh_from_db()
    assert incident.state == State.IN_PROGRESS


def test_the_requester_can_cancel_their_new_ticket(portal, incident):
    assert "Cancel this ticket" in portal.get(f"/portal/incidents/{incident.number}/").content.decode()
    portal.post(f"/portal/incidents/{incident.number}/cancel/", {"reason": "Fixed itself"})
    incident.refresh_from_db()
    assert incident.state == State.CANCELLED
    assert incident.timeline.filter(kind="state_change", body="Fixed itself").exists()


def test_a_ticket_someone_started_on_can_no_longer_be_cancelled(portal, incident, agent):
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.IN_PROGRESS)
    assert "Cancel this ticket" not in portal.get(f"/portal/incidents/{incident.number}/").content.decode()
    response = portal.post(f"/portal/incidents/{incident.number}/cancel/", {}, follow=True)
    incident.refresh_from_db()
    assert incident.state == State.IN_PROGRESS
    assert "can no longer be cancelled" in response.content.decode()


def test_it_works_closes_a_fixed_ticket(portal, resolved_incident):
    html = portal.get(f"/portal/incidents/{resolved_incident.number}/").content.decode()
    assert "Is it working now?" in html and "Restarted the print spooler." in html
    portal.post(f"/portal/incidents/{resolved_incident.number}/confirm/")
    resolved_incident.refresh_from_db()
    assert resolved_incident.state == State.CLOSED


def test_still_broken_reopens_with_the_reason(portal, resolved_incident):
    portal.post(f"/portal/incidents/{resolved_incident.number}/reopen/", {"reason": "Jams again"})
    resolved_incident.refresh_from_db()
    assert resolved_incident.state == State.IN_PROGRESS
    assert resolved_incident.reopen_count == 1
    assert resolved_incident.timeline.filter(kind="state_change", body="Jams again").exists()


def test_still_broken_needs_a_reason(portal, resolved_incident):
    response = portal.post(f"/portal/incidents/{resolved_incident.number}/reopen/", {"reason": ""})
    assert response.status_code == 400
    assert "Tell us what is still wrong" in response.content.decode()
    resolved_incident.refresh_from_db()
    assert resolved_incident.state == State.RESOLVED


def test_a_watcher_cannot_confirm_or_reopen_someone_elses_ticket(client, other_requester, requester, agent, team):
    incident = factories.make_incident(caller=other_requester, watchers=[requester], assigned_team=team)
    resolve(incident, agent)
    client.force_login(requester)
    html = client.get(f"/portal/incidents/{incident.number}/").content.decode()
    assert "Yes, it works" not in html
    client.post(f"/portal/incidents/{incident.number}/confirm/")
    client.post(f"/portal/incidents/{incident.number}/reopen/", {"reason": "no"})
    assert Incident.objects.get(pk=incident.pk).state == State.RESOLVED


def test_an_agent_on_the_portal_sees_the_public_view_with_a_link_to_the_workspace(client, agent, incident):
    lifecycle.incident_comment(incident=incident, actor=agent, body="internal only", public=False)
    client.force_login(agent)
    html = client.get(f"/portal/incidents/{incident.number}/").content.decode()
    assert "Open it in the agent workspace" in html
    assert "internal only" not in html
