"""Known outages: banners on the home page, the outage's status page and "this affects me too"."""

from __future__ import annotations

import pytest

from incidents import lifecycle
from incidents.choices import Level, State
from incidents.models import Incident
from tests import factories
from tests.portal.conftest import resolve

pytestmark = pytest.mark.django_db


def test_a_requester_without_recent_tickets_sees_every_outage(portal, outage):
    html = portal.get("/portal/").content.decode()
    assert "We know Email and calendar is having problems" in html
    assert outage.short_description in html


def test_a_requester_sees_only_outages_on_services_they_use(portal, requester, outage, team):
    # given robin recently reported something about the VPN only
    vpn = factories.ServiceFactory(name="VPN")
    factories.make_incident(caller=requester, service=vpn)
    html = portal.get("/portal/").content.decode()
    assert outage.short_description not in html
    # when the VPN has an outage too
    vpn_outage = factories.make_incident(short_description="VPN gateway down", service=vpn, is_major=True)
    assert vpn_outage.short_description in portal.get("/portal/").content.decode()


def test_me_too_registers_the_requester_under_the_outage(portal, requester, outage):
    response = portal.post(f"/portal/status/{outage.number}/me-too/")
    child = Incident.objects.get(parent=outage)
    assert response.status_code == 302 and response["Location"] == f"/portal/incidents/{child.number}/"
    assert child.caller == requester and child.service == outage.service
    assert "You're on the list" in portal.get("/portal/").content.decode()


def test_me_too_twice_registers_only_one_ticket(portal, outage):
    portal.post(f"/portal/status/{outage.number}/me-too/")
    portal.post(f"/portal/status/{outage.number}/me-too/")
    assert Incident.objects.filter(parent=outage).count() == 1


def test_updates_on_the_outage_reach_the_people_who_joined_and_fixing_it_fixes_theirs(portal, outage, agent):
    portal.post(f"/portal/status/{outage.number}/me-too/")
    child = Incident.objects.get(parent=outage)
    lifecycle.incident_post_major_update(incident=outage, actor=agent, body="Failover in progress.")
    html = portal.get(f"/portal/incidents/{child.number}/").content.decode()
    assert "Failover in progress." in html
    assert f"Update on the outage {outage.number}" in html
    resolve(outage, agent, notes="Mail flows again.")
    child.refresh_from_db()
    assert child.state == State.RESOLVED


def test_the_status_page_shows_only_what_the_desk_published(client, other_requester, outage, agent):
    lifecycle.incident_comment(incident=outage, actor=agent, body="Provider is fixing it.", public=True)
    lifecycle.incident_comment(incident=outage, actor=agent, body="root password is hunter2", public=False)
    client.force_login(other_requester)
    html = client.get(f"/portal/status/{outage.number}/").content.decode()
    assert "Provider is fixing it." in html
    assert "hunter2" not in html


def test_an_ordinary_incident_has_no_status_page(portal, other_requester):
    private = factories.make_incident(caller=other_requester)
    assert portal.get(f"/portal/status/{private.number}/").status_code == 404
    assert portal.post(f"/portal/status/{private.number}/me-too/").status_code == 404


def test_a_fixed_outage_can_no_longer_be_joined(portal, outage, agent):
    resolve(outage, agent)
    response = portal.post(f"/portal/status/{outage.number}/me-too/", follow=True)
    assert "already over" in response.content.decode()
    assert not Incident.objects.filter(parent=outage).exists()


def test_major_incidents_without_a_service_concern_everybody(portal, requester):
    factories.make_incident(caller=requester, service=factories.ServiceFactory(name="VPN"))
    general = factories.make_incident(short_description="Building power cut", is_major=True, impact=Level.HIGH)
    assert general.short_description in portal.get("/portal/").content.decode()
