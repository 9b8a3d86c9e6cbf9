"""The requester's journey in a real browser: search, report with a file, follow, reply, confirm, rate; and privacy."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from incidents import lifecycle
from incidents.choices import ResolutionCode, State
from incidents.models import Incident, IncidentRating
from incidents.portal.models import ReportSession
from knowledge import lifecycle as knowledge
from knowledge.choices import REVIEWER_GROUP, Audience
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(transactional_db):
    agent = factories.AgentFactory(username="alex", first_name="Alex", last_name="Morgan")
    agent.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    team = factories.TeamFactory(name="Network", members=[agent])
    requester = factories.RequesterFactory(username="robin", first_name="Robin", last_name="Taylor")
    service = factories.ServiceFactory(name="VPN", portal_name="Remote access (VPN)", owner_team=team)
    article = knowledge.article_create(
        actor=agent,
        title="Reset your VPN password",
        summary="When the VPN keeps asking for your password.",
        body="Open the password page and choose **Reset**.",
        keywords="vpn, password",
        audience=Audience.PUBLIC,
    )
    knowledge.article_submit(actor=agent, article=article)
    article = knowledge.article_publish(actor=agent, article=article, comment="ok")
    return {"agent": agent, "team": team, "requester": requester, "service": service, "article": article}


def test_a_requester_searches_reports_follows_confirms_and_rates(page, desk, tmp_path):
    sign_in(page, "robin", PASSWORD)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", name="Hi Robin, how can we help?")).to_be_visible()

    # search knowledge from the home page
    page.fill("#p-q", "vpn password")
    page.press("#p-q", "Enter")
    expect(page.locator("#p-search-results")).to_contain_text("Reset your VPN password")

    # report a problem: the article is suggested while typing; opening it is recorded for deflection
    page.get_by_role("link", name="Report a problem").first.click()
    page.fill("#id_short_description", "VPN keeps asking for my password")
    suggestion = page.locator("#suggestions a", has_text="Reset your VPN password")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page).to_have_url(re.compile(r"/knowledge/articles/"))
    assert ReportSession.objects.get().opens.count() == 1
    page.go_back()

    # it did not help: fill in the form with a screenshot and send it
    page.goto("/portal/report/")
    page.fill("#id_short_description", "VPN keeps asking for my password")
    page.fill("#id_description", "Even after resetting it.")
    page.select_option("#id_service", label="Remote access (VPN)")
    page.get_by_label("I can't work at all").check()
    screenshot = tmp_path / "prompt.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    page.set_input_files("#id_attachments", str(screenshot))
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thanks, we've got it")).to_be_visible()
    incident = Incident.objects.get(caller=desk["requester"])
    expect(page.locator(".p-big-number")).to_contain_text(incident.number)
    assert incident.attachments.get().filename == "prompt.png"

    # it is listed under My tickets
    page.get_by_role("link", name="My tickets").click()
    expect(page.locator(".p-table")).to_contain_text("VPN keeps asking for my password")
    expect(page.locator(".p-table")).to_contain_text("Received")

    # reply on the ticket
    page.get_by_role("link", name="VPN keeps asking for my password").click()
    page.fill("#id_body", "It happens on the home Wi-Fi only.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".p-timeline")).to_contain_text("It happens on the home Wi-Fi only.")

    # the desk fixes it; the requester confirms and rates with one click
    lifecycle.incident_transition(
        incident=incident,
        actor=desk["agent"],
        to_state=State.RESOLVED,
        resolution_code=ResolutionCode.FIXED,
        resolution_notes="Your account was locked; we unlocked it.",
    )
    page.reload()
    expect(page.get_by_text("We think this is fixed. Is it working now?")).to_be_visible()
    page.get_by_role("button", name="Yes, it works").click()
    expect(page.locator("[data-testid=ticket-state]")).to_have_text("Closed")
    page.fill("#rate-comment", "Quick and friendly")
    page.locator("button.p-star", has_text="Excellent").click()
    expect(page.get_by_text("You rated us 5 out of 5")).to_be_visible()
    rating = IncidentRating.objects.get(incident=incident)
    assert (rating.score, rating.comment) == (5, "Quick and friendly")


def test_a_requester_opening_someone_elses_ticket_gets_not_found(page, desk):
    other = factories.RequesterFactory(username="sam")
    private = factories.make_incident(caller=other, short_description="Sam's private problem")
    sign_in(page, "robin", PASSWORD)
    response = page.goto(f"/portal/incidents/{private.number}/")
    assert response.status == 404
    expect(page.get_by_text("Sam's private problem")).to_have_count(0)
