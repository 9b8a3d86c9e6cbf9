"""Bearer tokens: hashing, scopes, expiry, revocation, last use, the command; throttling; CSRF for sessions."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.integrations.models import ApiToken
from incidents.integrations.tokens import hash_secret, token_issue, token_revoke
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_a_hash_of_the_token_is_stored(agent):
    issued = token_issue(user=agent, name="Script", scope="write")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret.startswith(stored.prefix + "_")
    assert stored.token_hash == hash_secret(issued.secret)
    assert issued.secret not in str(ApiToken.objects.filter(pk=stored.pk).values().first())


def test_a_read_token_reads_but_cannot_write(agent):
    client = _bearer(token_issue(user=agent, name="Dashboards", scope="read").secret)
    assert client.get("/api/v1/incidents/").status_code == 200
    refused = client.post("/api/v1/incidents/", {"short_description": "x"}, format="json")
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]


def test_a_write_token_acts_as_its_user(agent):
    client = _bearer(token_issue(user=agent, name="Script", scope="write").secret)
    response = client.post("/api/v1/incidents/", {"short_description": "From a script"}, format="json")
    assert response.status_code == 201
    assert response.json()["caller"]["username"] == agent.username


def test_revoked_expired_and_unknown_tokens_are_401(agent):
    revoked = token_issue(user=agent, name="Old", scope="read")
    token_revoke(token=revoked.token, actor=agent)
    expired = token_issue(user=agent, name="Short", scope="read", expires_days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for secret in (revoked.secret, expired.secret, "itsm_deadbeef_nope", "not-a-token"):
        response = _bearer(secret).get("/api/v1/incidents/")
        assert response.status_code == 401, secret
        assert response.json()["type"] == "authentication_failed"


def test_a_token_of_a_deactivated_user_stops_working(agent):
    issued = token_issue(user=agent, name="Script", scope="read")
    agent.is_active = False
    agent.save()
    assert _bearer(issued.secret).get("/api/v1/incidents/").status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(agent, django_assert_max_num_queries):
    issued = token_issue(user=agent, name="Script", scope="read")
    client = _bearer(issued.secret)
    client.get("/api/v1/services/")
    first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first is not None
    client.get("/api/v1/services/")
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == first


def test_a_malformed_authorization_header_is_401(agent):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two words")
    assert client.get("/api/v1/incidents/").status_code == 401


def test_the_command_prints_a_working_token(agent):
    out = io.StringIO()
    call_command(
        "create_api_token",
        agent.username,
        "--scope",
        "write",
        "--expires-days",
        "30",
        "--name",
        "CI",
        stdout=out,
        stderr=io.StringIO(),
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(token_hash=hash_secret(secret))
    assert (token.scope, token.name) == ("write", "CI")
    assert token.expires_at > timezone.now() + timedelta(days=29)
    assert _bearer(secret).post("/api/v1/incidents/", {"short_description": "x"}, format="json").status_code == 201


def test_the_command_refuses_unknown_users_and_bad_expiry(agent):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", agent.username, "--expires-days", "0", stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_throttling_answers_429_with_retry_after(agent, settings):
    settings.API_THROTTLE_TOKEN = "2/min"
    client = _bearer(token_issue(user=agent, name="Busy", scope="read").secret)
    codes = [client.get("/api/v1/services/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    throttled = client.get("/api/v1/services/")
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["type"] == "throttled"


def test_users_are_throttled_per_user_from_settings(agent_api, settings):
    settings.API_THROTTLE_USER = "1/min"
    assert agent_api.get("/api/v1/services/").status_code == 200
    assert agent_api.get("/api/v1/services/").status_code == 429


def test_a_browser_session_needs_the_csrf_token_to_write(agent):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=agent.username, password=PASSWORD)
    assert client.get("/api/v1/incidents/").status_code == 200
    response = client.post("/api/v1/incidents/", {"short_description": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
