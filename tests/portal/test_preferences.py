"""Email preferences: requesters choose which emails they get; notify asks the portal's recipient filter."""

from __future__ import annotations

import pytest

from incidents import lifecycle
from incidents.models import Notification
from incidents.portal.models import NotificationPreference
from tests import factories
from tests.portal.conftest import resolve

pytestmark = pytest.mark.django_db


def test_everything_is_on_until_the_requester_chooses(portal):
    html = portal.get("/portal/preferences/").content.decode()
    assert html.count("checked") == 4


def test_switching_off_replies_stops_comment_emails_but_not_the_rest(portal, requester, team, agent):
    portal.post("/portal/preferences/", {"confirmations": "on", "status_changes": "on", "solved": "on"})
    assert NotificationPreference.objects.get(user=requester).replies is False
    incident = factories.make_incident(caller=requester, assigned_team=team)
    lifecycle.incident_comment(incident=incident, actor=agent, body="Can you restart?", public=True)
    resolve(incident, agent)
    kinds = sorted(Notification.objects.filter(recipient=requester.email).values_list("kind", flat=True))
    assert kinds == ["created", "resolved"]  # no comment email


def test_switching_off_confirmations_stops_the_registration_email(portal, requester):
    portal.post("/portal/preferences/", {"replies": "on", "status_changes": "on", "solved": "on"})
    factories.make_incident(caller=requester)
    assert not Notification.objects.filter(recipient=requester.email).exists()


def test_agents_working_mail_is_never_filtered(agent, team, requester):
    NotificationPreference.objects.create(
        user=agent, confirmations=False, replies=False, status_changes=False, solved=False
    )
    factories.make_incident(caller=requester, assigned_team=team, assignee=agent)
    assert Notification.objects.filter(recipient=agent.email, kind="assigned").exists()


def test_the_preferences_page_needs_sign_in(client):
    response = client.get("/portal/preferences/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
