"""Outbound webhooks: signed deliveries checked by a real receiver, retries, auto-disable, test events, the API."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from incidents import lifecycle, outbox
from incidents.choices import NotificationStatus, State
from incidents.integrations import webhooks
from incidents.integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from incidents.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (the snippet in docs/api.md)."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


class Receiver:
    """A local HTTP endpoint that records what it gets and answers with `status`."""

    def __init__(self, status: int = 200):
        self.status = status
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/itsm"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def subscribe(url: str, events=None) -> WebhookSubscription:
    return WebhookSubscription.objects.create(name="Receiver", url=url, events=events or list(WebhookEvent.values))


def test_a_created_incident_reaches_the_receiver_signed_and_verifiable(receiver, django_capture_on_commit_callbacks):
    sub = subscribe(receiver.url, [WebhookEvent.CREATED])
    with django_capture_on_commit_callbacks(execute=True):
        incident = factories.make_incident(short_description="Mail is down")
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert verify(sub.secret, request["headers"]["x-itsm-signature"], request["body"])
    assert not verify("whsec_wrong", request["headers"]["x-itsm-signature"], request["body"])
    body = json.loads(request["body"])
    assert body["type"] == "incident.created"
    assert body["data"]["incident"]["number"] == incident.number
    assert request["headers"]["x-itsm-event"] == "incident.created"
    assert request["headers"]["idempotency-key"] == body["id"]
    notification = Notification.objects.get(channel="webhook")
    assert notification.key == f"{body['id']}:{sub.pk}"
    assert notification.status == NotificationStatus.SENT


def test_state_changes_assignments_edits_and_public_comments_are_events(receiver, django_capture_on_commit_callbacks):
    subscribe(receiver.url)
    agent = factories.AgentFactory(username="hook-agent")
    team = factories.TeamFactory(name="Hooks", members=[agent])
    incident = factories.make_incident()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.incident_assign(incident=incident, actor=agent, team=team, assignee=agent)
        lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.IN_PROGRESS)
        lifecycle.incident_update(incident=incident, actor=agent, changes={"impact": "high"})
        lifecycle.incident_comment(incident=incident, actor=agent, body="Restarting the server", public=True)
        lifecycle.incident_comment(incident=incident, actor=agent, body="internal only", public=False)
    types = [json.loads(r["body"])["type"] for r in receiver.requests]
    assert types == ["incident.assigned", "incident.state_changed", "incident.updated", "incident.commented"]
    state = json.loads(receiver.requests[1]["body"])
    assert state["data"]["changes"]["state"] == ["new", "in_progress"]
    assert b"internal only" not in b"".join(r["body"] for r in receiver.requests)


def test_only_subscribed_events_are_written(receiver):
    subscribe(receiver.url, [WebhookEvent.SLA_BREACHED])
    factories.make_incident()
    assert not Notification.objects.filter(channel="webhook").exists()


def test_a_failing_receiver_is_retried_then_the_subscription_is_switched_off(settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    failing = Receiver(status=500)
    try:
        sub = subscribe(failing.url)
        for _ in range(3):
            factories.make_incident()
        for notification in Notification.objects.filter(channel="webhook"):
            outbox.deliver(notification.pk)
        sub.refresh_from_db()
        assert not sub.is_active
        assert "3 failed deliveries" in sub.disabled_reason
        assert set(Notification.objects.filter(channel="webhook").values_list("status", flat=True)) == {
            NotificationStatus.DEAD
        }
        attempts = WebhookDelivery.objects.first().notification.attempt_log.get()
        assert attempts.response_code == 500 and not attempts.success
        # a disabled subscription gets nothing new
        factories.make_incident()
        assert Notification.objects.filter(channel="webhook").count() == 3
    finally:
        failing.close()


def test_a_success_resets_the_failure_count(receiver):
    sub = subscribe(receiver.url)
    WebhookSubscription.objects.filter(pk=sub.pk).update(consecutive_failures=4)
    factories.make_incident()
    outbox.sweep(now=Notification.objects.get(channel="webhook").next_attempt_at)
    sub.refresh_from_db()
    assert sub.consecutive_failures == 0 and sub.last_success_at is not None


def test_an_unreachable_receiver_is_a_failure_with_a_reason():
    sub = subscribe("http://127.0.0.1:9/nothing-listens-here")
    notification = webhooks.send_test_event(sub, actor=factories.AgentFactory())
    outbox.deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert "Could not reach" in notification.last_error


def test_private_addresses_can_be_refused(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(webhooks.WebhookError):
        webhooks.check_url("http://127.0.0.1:8080/x")
    with pytest.raises(webhooks.WebhookError):
        webhooks.check_url("ftp://example.com/x")


def test_sla_warnings_and_breaches_become_events(receiver):
    from sla import events as sla_events

    sub = subscribe(receiver.url, [WebhookEvent.SLA_BREACHED])
    incident = factories.make_incident()
    payload = {"event_id": 77, "kind": "breach", "threshold": 100, "metric": "resolution", "incident": incident}
    sla_events.publish_many([(sla_events.BREACHED, payload)])
    sla_events.publish_many([(sla_events.BREACHED, payload)])  # a re-run of the engine's batch
    notification = Notification.objects.get(channel="webhook")
    assert notification.key == f"evt_sla_77:{sub.pk}"
    assert notification.payload["data"]["sla"]["kind"] == "breach"


# --- the API -------------------------------------------------------------------------------------------------------


def test_a_manager_subscribes_tests_and_reads_the_delivery_log(manager, receiver):
    from tests.api.conftest import client_for

    api = client_for(manager)
    created = api.post(
        "/api/v1/webhooks/",
        {"name": "Chat", "url": receiver.url, "events": ["incident.created", "incident.created"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    sub = created.json()
    assert sub["events"] == ["incident.created"] and sub["secret"].startswith("whsec_")
    tested = api.post(f"/api/v1/webhooks/{sub['id']}/test/")
    assert tested.status_code == 200
    assert tested.json()["status"] == "sent"
    assert json.loads(receiver.requests[-1]["body"])["type"] == "ping"
    log = api.get(f"/api/v1/webhooks/{sub['id']}/deliveries/").json()["results"]
    assert log[0]["event_type"] == "ping" and log[0]["attempts"][0]["success"]


def test_webhook_urls_must_be_http_or_https(manager_api):
    for bad in ("ftp://example.com/x", "javascript:alert(1)", "https://user:pw@example.com/x"):
        response = manager_api.post(
            "/api/v1/webhooks/", {"name": "x", "url": bad, "events": ["incident.created"]}, format="json"
        )
        assert response.status_code == 400 and "url" in response.json()["errors"], bad


def test_switching_a_subscription_back_on_clears_its_failures(manager_api):
    sub = WebhookSubscription.objects.create(
        name="x", url="https://example.com/h", events=["incident.created"], is_active=False, consecutive_failures=10
    )
    response = manager_api.patch(f"/api/v1/webhooks/{sub.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 200
    assert response.json()["consecutive_failures"] == 0


def test_rotating_the_secret_changes_it(manager_api):
    sub = WebhookSubscription.objects.create(name="x", url="https://example.com/h", events=["incident.created"])
    rotated = manager_api.post(f"/api/v1/webhooks/{sub.pk}/rotate-secret/").json()
    assert rotated["secret"] != sub.secret
