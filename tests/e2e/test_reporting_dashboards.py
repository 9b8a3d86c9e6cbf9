"""A manager opens the operations and SLA dashboards in a real browser: the charts are drawn from vendored Chart.js."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories
from tests.e2e.conftest import sign_in
from tests.reporting.helpers import resolve, respond, sla_setup, timer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# The README's screenshots are rewritten only on request (SCREENSHOTS=1), so a test run leaves the tree clean.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "itsm-screenshots"
)


@pytest.fixture
def activity():
    """A month of incidents for two teams, with responses, resolutions and SLA timers."""
    agent = factories.AgentFactory(username="dana")
    teams = [factories.TeamFactory(name=name, members=[agent]) for name in ("Service Desk", "Network Operations")]
    services = [factories.ServiceFactory(name=name) for name in ("Email", "VPN", "ERP")]
    now = timezone.now()
    made = []
    for n in range(60):
        created = now - timedelta(days=n % 28, hours=n % 7 + 1)
        incident = factories.make_incident(
            assigned_team=teams[n % 2], service=services[n % 3], at=created, impact=["high", "medium", "low"][n % 3]
        )
        if n % 4 != 0:
            respond(incident, agent, created + timedelta(minutes=15 + n))
            if n % 3 != 0 and created + timedelta(hours=2 + n % 30) < now:
                resolve(incident, agent, created + timedelta(hours=2 + n % 30))
        made.append(incident)
    _, policies = sla_setup()
    for n, incident in enumerate(made):
        incident.refresh_from_db()
        if incident.resolved_at:
            breached = n % 5 == 0
            timer(
                incident,
                policies["resolution"],
                stopped_at=incident.resolved_at,
                breached=breached,
                breached_at=incident.resolved_at if breached else None,
            )
        elif n % 2:
            timer(
                incident,
                policies["resolution"],
                state="running",
                warning_threshold=75,
                elapsed_at=now,
                due_at=now + timedelta(hours=1 + n % 5),
                business_elapsed=timedelta(minutes=150 + n),
            )
    return made


def _charts_drawn(page) -> int:
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn=true]').length >= 3")
    return page.evaluate("document.querySelectorAll('canvas[data-drawn=true]').length")


def test_a_manager_sees_both_dashboards_with_charts_drawn(page, activity):
    manager = factories.ManagerFactory(username="mona")
    sign_in(page, manager.username, factories.PASSWORD)

    page.goto("/reports/operations/?granularity=day")
    assert page.locator("h1").inner_text() == "Operations dashboard"
    assert _charts_drawn(page) >= 6
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "operations-dashboard.png"), full_page=True)

    page.goto("/reports/sla/?granularity=week")
    assert _charts_drawn(page) >= 3
    assert page.locator("#at-risk-board tbody tr").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "sla-dashboard.png"), full_page=True)

    # a click on a figure opens the incident list behind it
    href = page.locator(".tile").first.get_attribute("href")
    assert href.startswith("/incidents/?")


def test_an_agent_without_the_manager_role_is_refused(page, activity):
    agent = factories.AgentFactory(username="eli")
    sign_in(page, agent.username, factories.PASSWORD)
    response = page.goto("/reports/operations/")
    assert response.status == 403
