"""The API token page (/account/tokens/) and the webhook pages (/integrations/webhooks/)."""

from __future__ import annotations

import re

import pytest

from incidents.integrations.models import ApiToken, WebhookSubscription
from incidents.models import Notification

pytestmark = pytest.mark.django_db


def test_a_user_creates_a_token_sees_it_once_and_revokes_it(client, agent):
    client.force_login(agent)
    page = client.post("/account/tokens/", {"name": "Grafana", "scope": "read", "expires_days": "90"})
    assert page.status_code == 200
    secret = re.search(r'value="(itsm_[^"]+)"', page.content.decode()).group(1)
    token = ApiToken.objects.get(user=agent)
    assert token.expires_at is not None
    assert secret not in client.get("/account/tokens/").content.decode()
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_form_explains_bad_input(client, agent):
    client.force_login(agent)
    page = client.post("/account/tokens/", {"name": "", "scope": "admin", "expires_days": "0"})
    assert page.status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client, agent, requester):
    from incidents.integrations.tokens import token_issue

    token = token_issue(user=requester, name="Mine", scope="read").token
    client.force_login(agent)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404


def test_the_token_page_needs_a_sign_in(client):
    assert client.get("/account/tokens/").status_code == 302


def test_a_manager_subscribes_a_webhook_and_sees_its_delivery_log(client, manager):
    client.force_login(manager)
    created = client.post(
        "/integrations/webhooks/",
        {"name": "Chat", "url": "http://127.0.0.1:9/none", "events": ["incident.created"], "is_active": "on"},
    )
    assert created.status_code == 302
    sub = WebhookSubscription.objects.get()
    client.post(f"/integrations/webhooks/{sub.pk}/test/")
    page = client.get(f"/integrations/webhooks/{sub.pk}/").content.decode()
    assert "ping" in page and "Could not reach" in page
    assert Notification.objects.filter(channel="webhook").count() == 1


def test_the_webhook_form_refuses_other_schemes(client, manager):
    client.force_login(manager)
    page = client.post(
        "/integrations/webhooks/", {"name": "x", "url": "ftp://example.com/", "events": ["incident.created"]}
    )
    assert page.status_code == 400
    assert not WebhookSubscription.objects.exists()


def test_agents_and_requesters_cannot_manage_webhooks(client, agent, requester):
    sub = WebhookSubscription.objects.create(name="x", url="https://example.com/h", events=["incident.created"])
    for user in (agent, requester):
        client.force_login(user)
        assert client.get("/integrations/webhooks/").status_code == 403
        assert client.get(f"/integrations/webhooks/{sub.pk}/").status_code == 403
        assert client.post(f"/integrations/webhooks/{sub.pk}/delete/").status_code == 403
    assert WebhookSubscription.objects.exists()


def test_a_manager_deletes_a_subscription(client, manager):
    sub = WebhookSubscription.objects.create(name="x", url="https://example.com/h", events=["incident.created"])
    client.force_login(manager)
    assert client.post(f"/integrations/webhooks/{sub.pk}/delete/").status_code == 302
    assert not WebhookSubscription.objects.exists()
