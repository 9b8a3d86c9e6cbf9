"""The portal's home and search, and who may open which page (the permission matrix)."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

TICKET_PAGES = ["", "reply/", "cancel/", "confirm/", "reopen/", "rate/", "files/1/"]


def test_home_has_one_search_box_and_a_report_button(portal, requester):
    html = portal.get("/portal/").content.decode()
    assert f"Hi {requester.first_name}" in html
    assert 'action="/portal/search/"' in html
    assert "Report a problem" in html


def test_search_embeds_the_knowledge_suggestions_for_the_query(portal):
    html = portal.get("/portal/search/", {"q": "vpn drops"}).content.decode()
    assert 'hx-get="/knowledge/suggest/?q=vpn%20drops"' in html
    assert "/portal/report/?q=vpn%20drops" in html


@pytest.mark.parametrize(
    "path", ["/portal/", "/portal/search/", "/portal/report/", "/portal/incidents/", "/portal/preferences/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_visitors_cannot_open_a_ticket(client, incident):
    response = client.get(f"/portal/incidents/{incident.number}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("suffix", TICKET_PAGES)
def test_another_requesters_ticket_is_404_on_every_page(client, other_requester, incident, suffix):
    client.force_login(other_requester)
    method = client.get if suffix in ("", "rate/", "files/1/") else client.post
    assert method(f"/portal/incidents/{incident.number}/{suffix}").status_code == 404


def test_an_unknown_number_is_404(portal):
    assert portal.get("/portal/incidents/INC9999999/").status_code == 404


@pytest.mark.parametrize("role", ["agent", "manager", "admin_user"])
def test_agents_and_managers_can_use_the_portal_too(client, request, role, incident):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get("/portal/").status_code == 200
    assert client.get(f"/portal/incidents/{incident.number}/").status_code == 200
    assert "Agent workspace" in client.get("/portal/").content.decode()


def test_a_designated_contact_opens_their_organizations_tickets(client, requester):
    contact = factories.RequesterFactory(username="lee", organization=requester.organization, is_org_contact=True)
    incident = factories.make_incident(caller=requester)
    client.force_login(contact)
    assert client.get(f"/portal/incidents/{incident.number}/").status_code == 200


def test_the_portal_pages_render_in_the_portal_layout(portal):
    html = portal.get("/portal/").content.decode()
    assert "portal/portal.css" in html and "Help centre" in html
