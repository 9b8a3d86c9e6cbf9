"""Races on real Postgres with threads: stale If-Match, racing idempotent retries, racing alert deliveries."""

from __future__ import annotations

import pytest

from incidents.integrations.models import AlertRecord
from incidents.integrations.tokens import token_issue
from incidents.models import Incident
from tests import factories
from tests.api.conftest import client_for
from tests.concurrency import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agent_user(_local_throttle_cache):
    return factories.AgentFactory(username="racer")


def test_two_edits_with_the_same_if_match_one_wins_the_other_gets_412(agent_user):
    incident = factories.make_incident(short_description="Shared")
    etag = f'"{incident.pk}.{incident.version}"'

    def edit(i):
        client = client_for(agent_user)
        response = client.patch(
            f"/api/v1/incidents/{incident.number}/",
            {"description": f"edit {i}"},
            format="json",
            HTTP_IF_MATCH=etag,
        )
        return response.status_code

    codes, errors = run_in_threads(4, edit)
    assert not errors
    assert sorted(codes) == [200, 412, 412, 412]
    assert Incident.objects.get(pk=incident.pk).version == incident.version + 1


def test_racing_retries_with_one_idempotency_key_create_one_incident(agent_user):
    def create(i):
        response = client_for(agent_user).post(
            "/api/v1/incidents/", {"short_description": "Checkout down"}, format="json", HTTP_IDEMPOTENCY_KEY="race-1"
        )
        return response.status_code, response.json()["number"]

    results, errors = run_in_threads(6, create)
    assert not errors
    assert {code for code, _ in results} == {201}
    assert len({number for _, number in results}) == 1
    assert Incident.objects.count() == 1


def test_racing_deliveries_of_one_alert_open_one_incident(agent_user):
    secret = token_issue(user=agent_user, name="Alertmanager", scope="write").secret
    payload = {
        "version": "4",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "DiskFull", "instance": "db-1", "severity": "critical"},
                "annotations": {"summary": "Disk 98% full"},
                "startsAt": "2025-01-10T09:12:00Z",
                "fingerprint": "race-fp",
            }
        ],
    }

    def deliver(i):
        client = client_for(None)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        response = client.post("/api/v1/integrations/alertmanager/", payload, format="json")
        return response.status_code, response.json()["results"][0]["action"]

    results, errors = run_in_threads(6, deliver)
    assert not errors, errors
    actions = sorted(action for _, action in results)
    assert actions == ["opened"] + ["repeated"] * 5
    assert Incident.objects.count() == 1
    record = AlertRecord.objects.get()
    assert record.count == 6 and record.is_open
