"""Browser journeys of the knowledge panel inside the agent workspace, and of the editor's live preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from incidents.models import TimelineEntry
from knowledge.demo import load_corpus
from knowledge.models import ArticleIncidentLink
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(transactional_db):
    agent = factories.AgentFactory(username="alex", first_name="Alex", last_name="Morgan")
    manager = factories.ManagerFactory(username="morgan")
    factories.TeamFactory(name="Service Desk", members=[agent])
    requester = factories.RequesterFactory(username="robin", first_name="Robin", last_name="Taylor")
    load_corpus(author=agent, reviewer=manager)
    return {"agent": agent, "requester": requester}


def test_an_agent_sees_suggestions_on_the_incident_page_and_marks_one_as_the_solution(page, desk):
    incident = factories.make_incident(
        caller=desk["requester"], short_description="Printer on floor 2 jams", description="Paper jam in tray 2"
    )
    sign_in(page, "alex", PASSWORD)

    page.goto(f"/incidents/{incident.number}/")

    panel = page.locator("#kb-panel")
    expect(panel).to_be_visible()
    first = panel.locator(".kb-panel-item").first
    expect(first.locator("a").first).to_have_attribute("href", "/knowledge/articles/kb-printer-jam/")
    first.get_by_role("button", name="This article solved it").click()
    expect(page.locator("#kb-panel").get_by_text("Solved this incident")).to_be_visible()
    assert ArticleIncidentLink.objects.filter(incident=incident, article__slug="kb-printer-jam").exists()
    assert TimelineEntry.objects.filter(incident=incident, kind="knowledge").count() == 1


def test_suggestions_follow_what_the_agent_types_on_the_registration_form(page, desk):
    sign_in(page, "alex", PASSWORD)
    page.goto("/incidents/new/")

    page.locator("#id_short_description").press_sequentially("vpn keeps disconnecting", delay=20)

    panel = page.locator("#kb-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("a[href='/knowledge/articles/kb-vpn-drops/']")).to_be_visible()


def test_the_editor_previews_markdown_as_the_agent_types(page, desk):
    sign_in(page, "alex", PASSWORD)
    page.goto("/knowledge/articles/new/")

    page.locator("#id_body").fill("")
    page.locator("#id_body").press_sequentially("**Bold step** <script>window.pwned=1</script>", delay=10)

    expect(page.locator("#kb-preview strong")).to_have_text("Bold step")
    assert page.evaluate("window.pwned === undefined")
