"""The permission matrix: every agent page sends anonymous people to sign in and turns requesters away."""

from __future__ import annotations

import pytest
from django.test import Client

GET_PAGES = [
    "/incidents/",
    "/incidents/?view=mine",
    "/incidents/search/?q=printer",
    "/incidents/new/",
    "/incidents/new/callers/?caller=ro",
    "/incidents/new/cis/?service=1",
    "/incidents/new/subcategories/?category=1",
    "/incidents/new/preview/?impact=high&urgency=high",
    "/incidents/new/similar/?short_description=printer",
    "/incidents/{number}/",
    "/incidents/{number}/timeline/",
    "/incidents/{number}/attachments/1/",
]
POST_PAGES = [
    "/incidents/bulk/",
    "/incidents/views/",
    "/incidents/views/1/delete/",
    "/incidents/new/",
    "/incidents/new/link/",
    "/incidents/preview/",
    "/incidents/{number}/edit/",
    "/incidents/{number}/transition/",
    "/incidents/{number}/assign/",
    "/incidents/{number}/assign-to-me/",
    "/incidents/{number}/escalate/",
    "/incidents/{number}/major/",
    "/incidents/{number}/major-update/",
    "/incidents/{number}/link/",
    "/incidents/{number}/unlink/",
    "/incidents/{number}/watch/",
    "/incidents/{number}/comment/",
]


@pytest.mark.parametrize("path", GET_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(db, incident, path):
    response = Client().get(path.format(number=incident.number))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", POST_PAGES)
def test_anonymous_writes_are_sent_to_sign_in(db, incident, path):
    response = Client().post(path.format(number=incident.number), {"expected_version": incident.version})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", GET_PAGES)
def test_requesters_get_403_on_every_agent_page_even_for_their_own_incident(requester_client, incident, path):
    response = requester_client.get(path.format(number=incident.number))
    assert response.status_code == 403
    assert b"/portal/" in response.content


@pytest.mark.parametrize("path", POST_PAGES)
def test_requesters_cannot_write_through_agent_pages(requester_client, incident, path):
    version = incident.version
    response = requester_client.post(
        path.format(number=incident.number), {"expected_version": version, "body": "x", "to_state": "cancelled"}
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.version == version


def test_agents_open_the_queue_and_the_incident_page(agent_client, incident):
    assert agent_client.get("/incidents/").status_code == 200
    assert agent_client.get(f"/incidents/{incident.number}/").status_code == 200


def test_an_unknown_incident_number_is_404_for_agents(agent_client):
    assert agent_client.get("/incidents/INC9999999/").status_code == 404


def test_managers_see_the_admin_link_and_agents_do_not(agent_client, manager):
    assert b'href="/admin/"' not in agent_client.get("/incidents/").content
    client = Client()
    client.force_login(manager)
    assert b'href="/admin/"' in client.get("/incidents/").content
