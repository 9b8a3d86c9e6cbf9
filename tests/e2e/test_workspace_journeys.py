"""Key agent journeys in a real browser (Debian's Chromium via Playwright) against the live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from incidents import lifecycle
from incidents.models import Incident
from incidents.workspace.models import SavedView
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_menus(settings):
    settings.WORKSPACE_CATALOG_SECONDS = 0


@pytest.fixture
def desk(transactional_db):
    agent = factories.AgentFactory(username="alex", first_name="Alex", last_name="Morgan")
    second = factories.AgentFactory(username="blake", first_name="Blake", last_name="Rivera")
    team = factories.TeamFactory(name="Service Desk", members=[agent, second])
    requester = factories.RequesterFactory(username="robin", first_name="Robin", last_name="Taylor")
    service = factories.ServiceFactory(name="Email", owner_team=team)
    factories.ConfigurationItemFactory(name="Exchange Online", service=service)
    return {"agent": agent, "second": second, "team": team, "requester": requester, "service": service}


def test_an_agent_signs_in_and_lands_on_the_queue(page, desk):
    sign_in(page, "alex", PASSWORD)
    expect(page).to_have_url(re.compile(r"/incidents/$"))
    expect(page.get_by_role("heading", name="All open incidents")).to_be_visible()


def test_register_an_incident_with_the_live_priority_preview(page, desk):
    sign_in(page, "alex", PASSWORD)
    page.keyboard.press("c")
    expect(page).to_have_url(re.compile(r"/incidents/new/$"))
    page.fill("#id_caller", desk["requester"].email)
    page.fill("#id_short_description", "Outlook keeps asking for my password")
    page.select_option("#id_service", label="Email")
    expect(page.locator("#id_ci option", has_text="Exchange Online")).to_have_count(1)
    page.select_option("#id_impact", "high")
    page.select_option("#id_urgency", "high")
    expect(page.locator("[data-priority-preview]")).to_contain_text("P1")
    expect(page.locator("[data-team-preview]")).to_contain_text("Service Desk")
    page.click("button:has-text('Register incident')")
    expect(page.locator("#incident-title")).to_contain_text("Outlook keeps asking for my password")
    expect(page.locator(".headfacts")).to_contain_text("P1 - Critical")


def test_work_an_incident_assign_note_comment_hold_and_resolve(page, desk):
    incident = factories.make_incident(caller=desk["requester"], assigned_team=desk["team"])
    sign_in(page, "alex", PASSWORD)
    page.goto(f"/incidents/{incident.number}/")

    page.click("button:has-text('Assign to me')")
    expect(page.locator("[data-assignee]")).to_contain_text("Alex Morgan")

    page.check("#compose_visibility_1")  # work note
    page.fill("#compose_body", "Checked the **mail flow** logs")
    page.click("button:has-text('Preview')")
    expect(page.locator("#compose-preview strong")).to_have_text("mail flow")
    page.click(".compose button[type=submit]")
    expect(page.locator(".timeline .kind-work_note").first).to_contain_text("Checked the mail flow logs")

    page.check("#compose_visibility_0")  # public comment
    page.fill("#compose_body", "Could you restart Outlook and tell us if it still asks?")
    page.click(".compose button[type=submit]")
    expect(page.locator(".timeline .kind-comment").first).to_contain_text("restart Outlook")

    page.click("summary:has-text('Put on hold')")
    page.select_option("#t_on_hold_on_hold_reason", "awaiting_caller")
    page.click("form:has(#t_on_hold_on_hold_reason) button[type=submit]")
    expect(page.locator("[data-state]")).to_have_text("On hold")
    expect(page.locator(".headfacts")).to_contain_text("Awaiting caller")

    page.click("summary:has-text('Resolve')")
    page.select_option("#t_resolved_resolution_code", "configuration")
    page.fill("#t_resolved_resolution_notes", "Re-created the Outlook profile.")
    page.click("form:has(#t_resolved_resolution_code) button[type=submit]")
    expect(page.locator("[data-state]")).to_have_text("Resolved")
    incident.refresh_from_db()
    assert incident.state == "resolved"


def test_a_second_agents_stale_save_is_refused(browser, live_server, desk):
    incident = factories.make_incident(caller=desk["requester"], assigned_team=desk["team"])
    pages = []
    for username in ("alex", "blake"):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
        agent_page = context.new_page()
        agent_page.set_default_timeout(10_000)
        sign_in(agent_page, username, PASSWORD)
        agent_page.goto(f"/incidents/{incident.number}/")
        pages.append(agent_page)
    alex, blake = pages

    alex.check("#compose_visibility_0")
    alex.fill("#compose_body", "We are replacing your laptop today.")
    alex.click(".compose button[type=submit]")
    expect(alex.locator(".timeline .kind-comment").first).to_contain_text("replacing your laptop")

    blake.click("summary:has-text('Resolve')")
    blake.select_option("#t_resolved_resolution_code", "fixed")
    blake.fill("#t_resolved_resolution_notes", "Fixed remotely")
    blake.click("form:has(#t_resolved_resolution_code) button[type=submit]")
    expect(blake.locator("#conflict")).to_contain_text("Not saved: someone else changed this incident")
    expect(blake.locator("#conflict")).to_contain_text("Alex Morgan")
    expect(blake.locator("#t_resolved_resolution_notes")).to_have_value("Fixed remotely")
    incident.refresh_from_db()
    assert incident.state == "new"
    for p in pages:
        p.context.close()


def test_bulk_assign_from_the_queue(page, desk):
    made = [factories.make_incident(caller=desk["requester"], assigned_team=desk["team"]) for _ in range(3)]
    sign_in(page, "alex", PASSWORD)
    for incident in made[:2]:
        page.check(f"input[aria-label='Select {incident.number}']")
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.select_option("#bulk-action", "assign")
    page.select_option("#bulk-assignee", "me")
    page.click("button:has-text('Apply to selected')")
    expect(page.locator("#bulk-results")).to_contain_text("2 done")
    assert {i.assignee_id for i in Incident.objects.filter(pk__in=[m.pk for m in made[:2]])} == {desk["agent"].pk}
    assert Incident.objects.get(pk=made[2].pk).assignee_id is None


def test_keyboard_moves_through_the_queue_and_opens_an_incident(page, desk):
    made = [factories.make_incident(caller=desk["requester"], assigned_team=desk["team"]) for _ in range(2)]
    sign_in(page, "alex", PASSWORD)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/incidents/{made[0].number}/$"))
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()


def test_save_a_view_from_a_filter(page, desk):
    incident = factories.make_incident(caller=desk["requester"], assigned_team=desk["team"])
    lifecycle.incident_transition(
        incident=incident, actor=desk["agent"], to_state="on_hold", on_hold_reason="awaiting_vendor"
    )
    sign_in(page, "alex", PASSWORD)
    page.click("summary:has-text('Filters')")
    page.check("input[name=state][value=on_hold]")
    page.click("button:has-text('Apply filters')")
    page.click("summary:has-text('Save view')")
    page.fill("#id_view_name", "On hold")
    page.click(".saveview button[type=submit]")
    expect(page.locator(".viewlist a[aria-current=page]")).to_have_text("On hold")
    expect(page.locator("#queue-body")).to_contain_text(incident.number)
    assert SavedView.objects.filter(owner=desk["agent"], name="On hold").exists()
