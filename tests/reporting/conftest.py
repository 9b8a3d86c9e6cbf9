"""Fixtures of the reporting tests."""

from __future__ import annotations

import pytest

from reporting import rollups
from tests import factories


@pytest.fixture
def desk(db, agent):
    """Two teams with the agent in both, and a second agent."""
    other = factories.AgentFactory(username="blake")
    first = factories.TeamFactory(name="Service Desk", members=[agent, other])
    second = factories.TeamFactory(name="Network", members=[agent])
    return {"first": first, "second": second, "other_agent": other}


@pytest.fixture
def both_paths():
    """Runs a measurement from the incidents, then again from freshly built rollups; returns both results."""

    def measure(fn, zone: str = "UTC"):
        raw = fn()
        rollups.rebuild(zone)
        from_rollup = fn()
        rollups.drop([zone])
        return raw, from_rollup

    return measure
