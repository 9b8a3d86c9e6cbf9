"""Inbound monitoring: real Alertmanager payloads (firing, repeated, resolved, grouped) and generic events."""

from __future__ import annotations

import copy

import pytest

from incidents import lifecycle
from incidents.choices import Channel, EntryKind, Level, State
from incidents.integrations.models import AlertLabelMapping, AlertRecord
from incidents.models import Incident
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

ENDPOINT = "/api/v1/integrations/alertmanager/"

# As Alertmanager 0.27 sends it (webhook_config, send_resolved: true).
FIRING = {
    "receiver": "itsm",
    "status": "firing",
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "HighErrorRate",
                "instance": "erp-app-01:9100",
                "job": "erp",
                "severity": "critical",
                "service": "ERP",
            },
            "annotations": {
                "summary": "5xx responses above 5% for 10 minutes",
                "description": "The ERP front end answers 7.2% of requests with a 5xx.",
            },
            "startsAt": "2025-01-10T09:12:00.000Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph?g0.expr=rate%28http_5xx%5B5m%5D%29&g0.tab=1",
            "fingerprint": "c4a1e5b2d0f3a9e7",
        }
    ],
    "groupLabels": {"alertname": "HighErrorRate"},
    "commonLabels": {"alertname": "HighErrorRate", "job": "erp", "severity": "critical"},
    "commonAnnotations": {"summary": "5xx responses above 5% for 10 minutes"},
    "externalURL": "http://alertmanager:9093",
    "version": "4",
    "groupKey": '{}/{severity="critical"}:{alertname="HighErrorRate"}',
    "truncatedAlerts": 0,
}


def resolved(payload):
    body = copy.deepcopy(payload)
    body["status"] = "resolved"
    for alert in body["alerts"]:
        alert["status"] = "resolved"
        alert["endsAt"] = "2025-01-10T09:40:00.000Z"
    return body


@pytest.fixture
def monitoring(agent):
    return token_client(agent, "write")


def test_a_firing_alert_opens_a_monitoring_incident_with_priority_from_severity(monitoring, agent):
    response = monitoring.post(ENDPOINT, FIRING, format="json")
    assert response.status_code == 201, response.content
    result = response.json()["results"][0]
    assert result["action"] == "opened"
    incident = Incident.objects.get(number=result["incident"])
    assert incident.channel == Channel.MONITORING
    assert incident.caller == agent
    assert (incident.impact, incident.urgency, incident.priority) == (Level.HIGH, Level.HIGH, 1)
    assert incident.short_description.startswith("[critical] HighErrorRate: 5xx responses")
    assert "http://prometheus:9090/graph" in incident.description


def test_a_repeated_firing_adds_a_timeline_entry_and_a_count_not_an_incident(monitoring):
    first = monitoring.post(ENDPOINT, FIRING, format="json").json()["results"][0]
    again = monitoring.post(ENDPOINT, FIRING, format="json")
    assert again.status_code == 200
    assert again.json()["results"][0] == {**first, "action": "repeated"}
    assert Incident.objects.count() == 1
    assert AlertRecord.objects.get().count == 2
    incident = Incident.objects.get()
    assert incident.timeline.filter(kind=EntryKind.ALERT).count() == 2


def test_a_resolved_alert_adds_a_note_and_keeps_the_incident_open_by_default(monitoring):
    number = monitoring.post(ENDPOINT, FIRING, format="json").json()["results"][0]["incident"]
    response = monitoring.post(ENDPOINT, resolved(FIRING), format="json")
    assert response.json()["results"][0]["action"] == "resolved"
    incident = Incident.objects.get(number=number)
    assert incident.state == State.NEW
    assert "resolved at 2025-01-10T09:40:00" in incident.timeline.filter(kind=EntryKind.ALERT).last().body
    assert not AlertRecord.objects.get().is_open


def test_a_mapping_that_says_so_resolves_the_incident_when_the_alert_recovers(monitoring):
    AlertLabelMapping.objects.create(name="ERP", match_labels={"job": "erp"}, resolve_on_recovery=True)
    number = monitoring.post(ENDPOINT, FIRING, format="json").json()["results"][0]["incident"]
    monitoring.post(ENDPOINT, resolved(FIRING), format="json")
    incident = Incident.objects.get(number=number)
    assert incident.state == State.RESOLVED
    assert incident.resolution_code == "fixed"


def test_a_retried_resolved_delivery_changes_nothing_more(monitoring):
    monitoring.post(ENDPOINT, FIRING, format="json")
    monitoring.post(ENDPOINT, resolved(FIRING), format="json")
    entries = Incident.objects.get().timeline.count()
    retry = monitoring.post(ENDPOINT, resolved(FIRING), format="json")
    assert retry.json()["results"][0]["action"] == "ignored"
    assert Incident.objects.get().timeline.count() == entries


def test_firing_after_recovery_opens_a_new_incident(monitoring):
    monitoring.post(ENDPOINT, FIRING, format="json")
    monitoring.post(ENDPOINT, resolved(FIRING), format="json")
    again = monitoring.post(ENDPOINT, FIRING, format="json").json()["results"][0]
    assert again["action"] == "opened"
    assert Incident.objects.count() == 2


def test_firing_on_a_resolved_incident_reopens_it(monitoring, agent):
    number = monitoring.post(ENDPOINT, FIRING, format="json").json()["results"][0]["incident"]
    incident = Incident.objects.get(number=number)
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.RESOLVED, resolution_code="fixed", resolution_notes="Restarted"
    )
    result = monitoring.post(ENDPOINT, FIRING, format="json").json()["results"][0]
    assert result["action"] == "reopened"
    assert Incident.objects.get(pk=incident.pk).state == State.IN_PROGRESS


def test_a_grouped_payload_handles_each_alert_by_its_own_status(monitoring):
    grouped = copy.deepcopy(FIRING)
    second = copy.deepcopy(grouped["alerts"][0])
    second["labels"]["instance"] = "erp-app-02:9100"
    second["fingerprint"] = "d5b2f6c3e1a4b8f8"
    grouped["alerts"].append(second)
    assert {r["action"] for r in monitoring.post(ENDPOINT, grouped, format="json").json()["results"]} == {"opened"}
    # one of the two recovers, the other keeps firing
    grouped["alerts"][1]["status"] = "resolved"
    grouped["alerts"][1]["endsAt"] = "2025-01-10T09:30:00Z"
    results = {r["key"]: r["action"] for r in monitoring.post(ENDPOINT, grouped, format="json").json()["results"]}
    assert results == {"c4a1e5b2d0f3a9e7": "repeated", "d5b2f6c3e1a4b8f8": "resolved"}
    assert Incident.objects.count() == 2


def test_mappings_set_service_ci_category_and_levels_from_labels(monitoring):
    service = factories.ServiceFactory(name="ERP")
    ci = factories.ConfigurationItemFactory(name="erp-app-01:9100", service=service)
    category = factories.CategoryFactory(name="Software")
    AlertLabelMapping.objects.create(
        name="ERP errors",
        match_labels={"alertname": "HighErrorRate"},
        service_label="service",
        ci_label="instance",
        category=category,
        impact=Level.MEDIUM,
        urgency=Level.HIGH,
    )
    number = monitoring.post(ENDPOINT, FIRING, format="json").json()["results"][0]["incident"]
    incident = Incident.objects.get(number=number)
    assert (incident.service, incident.ci, incident.category) == (service, ci, category)
    assert (incident.impact, incident.urgency, incident.priority) == (Level.MEDIUM, Level.HIGH, 2)


def test_alertmanager_payloads_are_validated_with_every_bad_field_named(monitoring):
    response = monitoring.post(ENDPOINT, {"version": "3", "alerts": [{"labels": "x"}]}, format="json")
    assert response.status_code == 400
    assert {"version", "alerts.0.labels"} <= set(response.json()["errors"])


def test_alerts_need_an_agents_token_not_a_session(agent_api, requester):
    assert agent_api.post(ENDPOINT, FIRING, format="json").status_code == 403
    assert token_client(requester, "write").post(ENDPOINT, FIRING, format="json").status_code == 403


# --- generic events --------------------------------------------------------------------------------------------

EVENTS = "/api/v1/integrations/events/"


def test_a_generic_event_triggers_acknowledges_and_resolves_one_incident(monitoring):
    trigger = {
        "source": "zabbix",
        "dedup_key": "disk-db1",
        "action": "trigger",
        "summary": "Disk 95%",
        "severity": "warning",
    }
    opened = monitoring.post(EVENTS, trigger, format="json")
    assert opened.status_code == 201
    number = opened.json()["results"][0]["incident"]
    assert monitoring.post(EVENTS, trigger, format="json").json()["results"][0]["action"] == "repeated"
    ack = monitoring.post(EVENTS, {"source": "zabbix", "dedup_key": "disk-db1", "action": "acknowledge"}, format="json")
    assert ack.json()["results"][0]["action"] == "acknowledged"
    assert Incident.objects.get(number=number).state == State.IN_PROGRESS
    done = monitoring.post(EVENTS, {"source": "zabbix", "dedup_key": "disk-db1", "action": "resolve"}, format="json")
    assert done.json()["results"][0]["action"] == "resolved"
    assert Incident.objects.count() == 1
    assert Incident.objects.get().priority == 3  # warning: medium x medium


def test_the_same_key_from_two_sources_is_two_incidents(monitoring):
    for source in ("zabbix", "nagios"):
        monitoring.post(
            EVENTS, {"source": source, "dedup_key": "k", "action": "trigger", "summary": "Down"}, format="json"
        )
    assert Incident.objects.count() == 2


def test_resolving_needs_a_dedup_key_and_triggering_a_summary(monitoring):
    response = monitoring.post(EVENTS, {"source": "zabbix", "action": "resolve"}, format="json")
    assert "dedup_key" in response.json()["errors"]
    response = monitoring.post(EVENTS, {"source": "zabbix", "action": "trigger"}, format="json")
    assert "summary" in response.json()["errors"]


def test_an_idempotency_key_makes_a_retried_event_a_no_op(monitoring):
    event = {"source": "uptime", "dedup_key": "site", "action": "trigger", "summary": "Site down"}
    monitoring.post(EVENTS, event, format="json", HTTP_IDEMPOTENCY_KEY="delivery-1")
    monitoring.post(EVENTS, event, format="json", HTTP_IDEMPOTENCY_KEY="delivery-1")
    assert AlertRecord.objects.get().count == 1
