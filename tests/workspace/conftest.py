"""Fixtures of the agent workspace tests: signed-in clients, a second agent, a fake SLA provider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from incidents import hooks
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_menus(settings):
    """Teams and agents made by a test appear in the queue's menus at once."""
    settings.WORKSPACE_CATALOG_SECONDS = 0


@pytest.fixture
def agent_client(agent, team):
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def other_agent(db, team):
    other = factories.AgentFactory(username="blake", first_name="Blake", last_name="Rivera")
    team.members.add(other)
    return other


@pytest.fixture
def other_agent_client(other_agent):
    client = Client()
    client.force_login(other_agent)
    return client


@pytest.fixture
def requester_client(requester):
    client = Client()
    client.force_login(requester)
    return client


@pytest.fixture
def sla_provider():
    """Installs a stand-in "sla_summary" provider (the SLA app's contract) and counts its calls."""
    calls: list[list[int]] = []

    def provider(ids, now):
        calls.append(list(ids))
        return {
            pk: [
                {
                    "metric": "resolution",
                    "label": "Resolution",
                    "state": "running",
                    "breached": index % 3 == 2,
                    "due_at": now + timedelta(hours=2, minutes=10) if index % 3 != 2 else now - timedelta(minutes=5),
                    "target": timedelta(hours=8),
                    "elapsed": timedelta(hours=5, minutes=50),
                    "remaining": timedelta(hours=2, minutes=10) if index % 3 != 2 else -timedelta(minutes=5),
                    "percent": 73.0 if index % 3 == 0 else (85.0 if index % 3 == 1 else 101.0),
                    "status": ["ok", "at_risk", "breached"][index % 3],
                }
            ]
            for index, pk in enumerate(ids)
        }

    previous = hooks._providers.get("sla_summary")
    hooks.provide("sla_summary", provider)
    yield calls
    if previous is None:
        hooks._providers.pop("sla_summary", None)
    else:
        hooks.provide("sla_summary", previous)


@pytest.fixture
def no_sla_provider():
    """Runs a test as if no SLA app were installed (the provider returns nothing)."""
    previous = hooks._providers.pop("sla_summary", None)
    yield
    if previous is not None:
        hooks.provide("sla_summary", previous)
