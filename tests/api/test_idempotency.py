"""Idempotency-Key on POST: retries replay the first answer; a reused key with another body is 422."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.api.idempotency import purge_expired
from incidents.choices import EntryKind
from incidents.integrations.models import IdempotencyKey
from incidents.integrations.tasks import purge_idempotency_keys
from incidents.models import Incident
from tests.api.conftest import client_for, url

pytestmark = pytest.mark.django_db


def test_a_retried_create_returns_the_first_incident_and_creates_nothing(agent_api):
    body = {"short_description": "Payroll export fails", "urgency": "high"}
    first = agent_api.post("/api/v1/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = agent_api.post("/api/v1/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json()["number"] == first.json()["number"]
    assert retry["Idempotent-Replayed"] == "true"
    assert retry["Location"] == first["Location"]
    assert Incident.objects.count() == 1


def test_the_same_json_in_another_key_order_is_the_same_request(agent_api):
    agent_api.post(
        "/api/v1/incidents/", {"short_description": "A", "urgency": "low"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    retry = agent_api.post(
        "/api/v1/incidents/", {"urgency": "low", "short_description": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert retry.status_code == 201
    assert Incident.objects.count() == 1


def test_reusing_a_key_with_another_body_is_422(agent_api):
    agent_api.post("/api/v1/incidents/", {"short_description": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = agent_api.post(
        "/api/v1/incidents/", {"short_description": "B"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 422
    assert response.json()["type"] == "idempotency_key_reused"
    assert Incident.objects.count() == 1


def test_keys_belong_to_one_user(agent_api, requester):
    agent_api.post("/api/v1/incidents/", {"short_description": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = client_for(requester).post(
        "/api/v1/incidents/", {"short_description": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert theirs.status_code == 201
    assert Incident.objects.count() == 2


def test_a_failed_request_does_not_burn_the_key(agent_api):
    bad = agent_api.post("/api/v1/incidents/", {"short_description": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 400
    good = agent_api.post(
        "/api/v1/incidents/", {"short_description": "Fixed"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert good.status_code == 201


def test_comments_work_notes_and_transitions_are_idempotent(agent_api, incident):
    for _ in range(2):
        assert (
            agent_api.post(
                url(incident, "comments/"), {"body": "On it"}, format="json", HTTP_IDEMPOTENCY_KEY="c"
            ).status_code
            == 201
        )
        assert (
            agent_api.post(
                url(incident, "work-notes/"), {"body": "Vendor"}, format="json", HTTP_IDEMPOTENCY_KEY="w"
            ).status_code
            == 201
        )
        assert (
            agent_api.post(
                url(incident, "transition/"), {"state": "in_progress"}, format="json", HTTP_IDEMPOTENCY_KEY="t"
            ).status_code
            == 200
        )
    kinds = list(incident.timeline.values_list("kind", flat=True))
    assert kinds.count(EntryKind.COMMENT) == 1
    assert kinds.count(EntryKind.WORK_NOTE) == 1
    assert kinds.count(EntryKind.STATE_CHANGE) == 1


def test_an_overlong_key_is_400(agent_api):
    response = agent_api.post(
        "/api/v1/incidents/", {"short_description": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


def test_keys_older_than_a_day_are_purged_and_may_be_used_again(agent_api, agent):
    agent_api.post("/api/v1/incidents/", {"short_description": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_expired() == 1
    assert purge_idempotency_keys.delay().get() == 0
    again = agent_api.post("/api/v1/incidents/", {"short_description": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Incident.objects.count() == 2
