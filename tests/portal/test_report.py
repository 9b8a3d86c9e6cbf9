"""Report a problem: the form in plain words, its attachments, the confirmation and the suggestions beside it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.choices import Channel, Level
from incidents.models import Incident, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_form_speaks_plainly(portal, email_service):
    html = portal.get("/portal/report/").content.decode()
    assert "How badly does this stop your work?" in html
    assert "I can&#x27;t work at all" in html
    assert "Email and calendar" in html  # the service's friendly name
    for word in ("Urgency", "urgency", "Impact", "Priority", "Configuration item"):
        assert word not in html


def test_reporting_registers_an_incident_with_the_mapped_urgency_and_a_file(portal, requester, email_service):
    response = portal.post(
        "/portal/report/",
        {
            "short_description": "Outlook keeps asking for my password",
            "description": "Since this morning.",
            "service": email_service.pk,
            "how_bad": Level.HIGH,
            "who_else": Level.MEDIUM,
            "attachments": [SimpleUploadedFile("prompt.png", b"\x89PNG fake", "image/png")],
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/report/done/{incident.number}/"
    assert incident.caller == requester and incident.channel == Channel.PORTAL
    assert incident.service == email_service
    assert (incident.urgency, incident.impact) == (Level.HIGH, Level.MEDIUM)
    assert incident.attachments.get().filename == "prompt.png"
    assert Notification.objects.filter(kind="created", recipient=requester.email, incident=incident).exists()


def test_impact_defaults_to_just_me(portal):
    portal.post("/portal/report/", {"short_description": "Mouse broken", "how_bad": Level.LOW, "who_else": ""})
    assert Incident.objects.get().impact == Level.LOW


def test_the_confirmation_shows_the_number_and_what_happens_next(portal):
    portal.post("/portal/report/", {"short_description": "Mouse broken", "how_bad": Level.LOW})
    incident = Incident.objects.get()
    html = portal.get(f"/portal/report/done/{incident.number}/").content.decode()
    assert incident.number in html
    assert "What happens next" in html


def test_missing_answers_get_friendly_errors_and_nothing_is_registered(portal):
    response = portal.post("/portal/report/", {"short_description": "  ", "how_bad": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tell us in a few words what is wrong." in html
    assert "Tell us how badly this stops your work." in html
    assert not Incident.objects.exists()


def test_an_oversized_file_refuses_the_whole_report(portal, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    response = portal.post(
        "/portal/report/",
        {
            "short_description": "Screen flickers",
            "how_bad": Level.MEDIUM,
            "attachments": [SimpleUploadedFile("video.png", b"x" * 100, "image/png")],
        },
    )
    assert response.status_code == 200
    assert "video.png is too big" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_search_box_prefills_the_report_form(portal):
    html = portal.get("/portal/report/?q=VPN+drops").content.decode()
    assert 'value="VPN drops"' in html


def test_suggestions_offer_matching_outages_and_embed_knowledge_answers(portal, outage):
    html = portal.get("/portal/report/suggest/", {"short_description": "my email won't send"}).content.decode()
    assert outage.short_description in html
    assert "This affects me too" in html
    assert 'hx-get="/knowledge/suggest/?q=my%20email%20won%27t%20send"' in html


def test_suggestions_offer_the_outage_on_the_chosen_service(portal, outage, email_service):
    html = portal.get("/portal/report/suggest/", {"short_description": "", "service": email_service.pk}).content
    assert outage.short_description in html.decode()


def test_unrelated_text_suggests_no_outage(portal, outage):
    html = portal.get("/portal/report/suggest/", {"short_description": "printer jams"}).content.decode()
    assert outage.short_description not in html


def test_a_short_word_like_vpn_matches_an_outage_exactly(portal, team):
    vpn = factories.ServiceFactory(name="VPN", owner_team=team)
    outage = factories.make_incident(short_description="Gateway is down", service=vpn, is_major=True)
    html = portal.get("/portal/report/suggest/", {"short_description": "vpn password"}).content.decode()
    assert outage.short_description in html
