"""Portal demo data: one open outage on Email, so the banner and "this affects me too" can be tried."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from incidents import lifecycle, outbox
from incidents.choices import OPEN_STATES, Level
from incidents.models import Incident, Service, User
from incidents.permissions import is_agent

OUTAGE_TITLE = "Email cannot be sent or received"


def seed(*, stdout) -> None:
    if Incident.objects.filter(is_major=True, short_description=OUTAGE_TITLE, state__in=OPEN_STATES).exists():
        return
    service = Service.objects.filter(name="Email").first()
    agent = User.objects.filter(username="agent").first()
    caller = User.objects.filter(username="requester").first()
    if service is None or agent is None or caller is None or not is_agent(agent):
        return
    with outbox.suppressed(), transaction.atomic():
        outage = lifecycle.incident_create(
            actor=agent,
            caller=agent,
            short_description=OUTAGE_TITLE,
            description="Mail delivery is failing for everyone since this morning.",
            service=service,
            impact=Level.HIGH,
            urgency=Level.HIGH,
            is_major=True,
            at=timezone.now() - timedelta(minutes=45),
        )
        lifecycle.incident_comment(
            incident=outage,
            actor=agent,
            body="Our mail provider confirmed an outage in their data centre. Next update within 30 minutes.",
        )
    stdout.write(f"Portal: open outage {outage.number} on Email for the banner.")
