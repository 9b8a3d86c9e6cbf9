"""Numbering and lost-update protection under real concurrent transactions (threads, separate connections)."""

import pytest

from incidents import lifecycle
from incidents.errors import StaleVersionError
from incidents.models import Incident
from tests.concurrency import run_in_threads
from tests.factories import RequesterFactory, TeamFactory, make_incident

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_registrations_get_distinct_consecutive_numbers():
    caller = RequesterFactory(username="caller")
    results, errors = run_in_threads(8, lambda i: make_incident(caller=caller, short_description=f"Outage {i}").number)
    assert errors == []
    numbers = sorted(int(n[3:]) for n in results)
    assert len(set(numbers)) == 8
    assert numbers == list(range(numbers[0], numbers[0] + 8))


def test_two_writers_with_the_same_version_never_lose_an_update():
    # given two agents who both loaded version 1
    incident = make_incident(caller=RequesterFactory(username="caller"), assigned_team=TeamFactory(name="Desk"))
    loaded = incident.version

    def write(index):
        change = {"short_description": f"Edited by writer {index}"}
        return lifecycle.incident_update(
            incident=incident.pk, actor=None, changes=change, expected_version=loaded
        ).version

    # when both save at once
    results, errors = run_in_threads(2, write)
    # then exactly one wins and the other is told its version is stale; nothing is silently overwritten
    assert len([r for r in results if r is not None]) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleVersionError)
    fresh = Incident.objects.get(pk=incident.pk)
    assert fresh.version == loaded + 1
    assert fresh.timeline.filter(kind="field_change").count() == 1
