"""Portal demo data: one open outage on Email, so the banner and "this affects me too" can be tried.

An existing open demo incident on Email is promoted to a major incident (no incident is added, so the demo's
numbers stay what incidents.demo made them).
"""

from __future__ import annotations

from django.db import transaction

from incidents import lifecycle, outbox
from incidents.choices import OPEN_STATES, Level
from incidents.models import Incident, User
from incidents.permissions import is_agent

OUTAGE_TITLE = "Email cannot be sent or received"


def seed(*, stdout) -> None:
    if Incident.objects.filter(is_major=True, short_description=OUTAGE_TITLE).exists():
        return
    agent = User.objects.filter(username="agent").first()
    candidate = (
        Incident.objects.filter(service__name="Email", state__in=OPEN_STATES, is_major=False, parent__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if agent is None or candidate is None or not is_agent(agent):
        return
    with outbox.suppressed(), transaction.atomic():
        lifecycle.incident_update(
            incident=candidate,
            actor=agent,
            changes={"short_description": OUTAGE_TITLE, "is_major": True, "impact": Level.HIGH, "urgency": Level.HIGH},
            reason="Many users affected: declared a major incident.",
        )
        lifecycle.incident_comment(
            incident=candidate,
            actor=agent,
            body="Our mail provider confirmed an outage in their data centre. Next update within 30 minutes.",
        )
    stdout.write(f"Portal: {candidate.number} is now an open outage on Email, shown as a banner on the portal.")
