"""Numbering and lost-update protection under real concurrent transactions (threads, separate connections)."""

import threading

import pytest
from django.db import close_old_connections, connection

from incidents import lifecycle
from incidents.errors import StaleVersionError
from incidents.models import Incident
from tests.factories import RequesterFactory, TeamFactory, make_incident

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results, errors


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
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleVersionError)
    fresh = Incident.objects.get(pk=incident.pk)
    assert fresh.version == loaded + 1
    assert fresh.timeline.filter(kind="field_change").count() == 1
