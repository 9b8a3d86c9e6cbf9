"""Fixtures for the portal's tests."""

from __future__ import annotations

import pytest

from incidents import lifecycle
from incidents.choices import Level, ResolutionCode, State
from tests import factories


@pytest.fixture
def email_service(db, team):
    return factories.ServiceFactory(name="Email", portal_name="Email and calendar", owner_team=team)


@pytest.fixture
def portal(client, requester):
    """A Django test client signed in as the requester."""
    client.force_login(requester)
    return client


@pytest.fixture
def outage(db, agent, email_service):
    """An open major incident on Email, registered by an agent."""
    return lifecycle.incident_create(
        actor=agent,
        caller=agent,
        short_description="Email is down for everyone",
        service=email_service,
        impact=Level.HIGH,
        urgency=Level.HIGH,
        is_major=True,
    )


def resolve(incident, agent, notes="Restarted the print spooler."):
    return lifecycle.incident_transition(
        incident=incident,
        actor=agent,
        to_state=State.RESOLVED,
        resolution_code=ResolutionCode.FIXED,
        resolution_notes=notes,
    )


@pytest.fixture
def resolved_incident(incident, agent):
    return resolve(incident, agent)
