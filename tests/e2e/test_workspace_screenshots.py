"""Screenshots of the queue and the incident page for the README (run with SCREENSHOTS=1).

SCREENSHOTS=1 .venv/bin/python -m pytest tests/e2e/test_workspace_screenshots.py -q
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from incidents.models import Incident
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="set SCREENSHOTS=1 to write docs/screenshots"),
]
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_write_queue_and_incident_screenshots(page, settings):
    # Given: the demo desk (catalog, people, incidents worked over weeks, SLA clocks when the SLA app is present)
    call_command("seed_demo", password=PASSWORD, incidents=120, force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    OUT.mkdir(parents=True, exist_ok=True)
    sign_in(page, "agent", PASSWORD)

    # When: the agent looks at the queue and at the busiest open incident
    page.goto("/incidents/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / "queue.png"))
    busiest = (
        Incident.objects.filter(state__in=["new", "in_progress", "on_hold"])
        .order_by("-is_major", "priority", "-updated_at")
        .first()
    )
    page.goto(f"/incidents/{busiest.number}/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / "incident.png"))

    # Then: both files exist and are real images
    for name in ("queue.png", "incident.png"):
        assert (OUT / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
