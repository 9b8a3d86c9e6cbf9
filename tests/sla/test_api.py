"""The SLA API: managers configure, agents read, requesters see only their own incidents' timers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sla.models import BusinessCalendar, SlaPolicy
from tests import factories
from tests.sla.conftest import make_policy

CALENDAR = {
    "name": "Office",
    "timezone": "Europe/Warsaw",
    "weekly_hours": {"monday": [["08:00", "16:00"]], "tuesday": [["08:00", "12:00"], ["13:00", "17:00"]]},
    "holidays": [{"date": "2026-12-25", "name": "Christmas"}],
}


def _client(api_client, user):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (None, 401, 401),
        ("requester", 403, 403),
        ("agent", 200, 403),
        ("manager", 200, 201),
        ("admin_user", 200, 201),
    ],
)
def test_who_may_read_and_write_calendars_and_policies(request, api_client, always, role, read, write):
    client = _client(api_client, request.getfixturevalue(role) if role else None)

    assert client.get("/api/v1/sla/calendars/").status_code == read
    assert client.get("/api/v1/sla/policies/").status_code == read
    assert client.post("/api/v1/sla/calendars/", CALENDAR, format="json").status_code == write
    policy = {"name": "P1 response", "metric": "response", "target": "00:15:00", "calendar": always.pk}
    assert client.post("/api/v1/sla/policies/", policy, format="json").status_code == write


def test_a_manager_creates_a_calendar_with_holidays(api_client, manager):
    response = _client(api_client, manager).post("/api/v1/sla/calendars/", CALENDAR, format="json")

    assert response.status_code == 201
    calendar = BusinessCalendar.objects.get(name="Office")
    assert [str(h.date) for h in calendar.holidays.all()] == ["2026-12-25"]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
        ({"weekly_hours": {"monday": [["08:00", "16:00"], ["15:00", "18:00"]]}}, "weekly_hours", "overlap"),
        ({"weekly_hours": {"funday": [["08:00", "16:00"]]}}, "weekly_hours", "not a weekday"),
        ({"weekly_hours": {"monday": [["8 am", "16:00"]]}}, "weekly_hours", "not a time of day"),
    ],
)
def test_bad_calendars_get_400_with_a_field_message(api_client, manager, change, field, fragment):
    response = _client(api_client, manager).post("/api/v1/sla/calendars/", {**CALENDAR, **change}, format="json")

    assert response.status_code == 400
    assert fragment in str(response.json()).lower()
    assert field in str(response.json())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"warning_thresholds": [50, 120]}, "warning_thresholds"),
        ({"warning_thresholds": [50, 50]}, "warning_thresholds"),
        ({"target": "00:00:00"}, "target"),
        ({"priorities": [9]}, "priorities"),
        ({"pause_reasons": ["awaiting_godot"]}, "pause_reasons"),
        ({"metric": "speed"}, "metric"),
        ({"rules": [{"at_percent": 100}]}, "rules"),
    ],
)
def test_bad_policies_get_400_with_a_field_message(api_client, manager, always, change, field):
    policy = {"name": "P1 response", "metric": "response", "target": "00:15:00", "calendar": always.pk, **change}

    response = _client(api_client, manager).post("/api/v1/sla/policies/", policy, format="json")

    assert response.status_code == 400
    assert field in str(response.json())


def test_a_manager_creates_a_policy_with_conditions_and_escalation_rules(api_client, manager, always, team):
    policy = {
        "name": "P1 resolution",
        "metric": "resolution",
        "target": "04:00:00",
        "calendar": always.pk,
        "priorities": [1],
        "teams": [team.pk],
        "warning_thresholds": [90, 50],
        "rules": [
            {"at_percent": 75, "notify_team_manager": True, "notify_users": [manager.pk]},
            {"at_percent": 100, "reassign_to_escalation_team": True},
        ],
    }

    response = _client(api_client, manager).post("/api/v1/sla/policies/", policy, format="json")

    assert response.status_code == 201, response.json()
    created = SlaPolicy.objects.get(name="P1 resolution")
    assert created.warning_thresholds == [50, 90]
    assert list(created.teams.all()) == [team]
    assert [r.at_percent for r in created.rules.all()] == [75, 100]


def test_an_incidents_sla_lists_its_timers_with_live_figures(api_client, agent, requester, team, always):
    make_policy(always, metric="resolution", target=timedelta(hours=4))
    incident = factories.make_incident(caller=requester, assigned_team=team, at=timezone.now() - timedelta(hours=1))

    response = _client(api_client, agent).get(f"/api/v1/incidents/{incident.number}/sla/")

    assert response.status_code == 200
    (timer,) = response.json()["timers"]
    assert timer["metric"] == "resolution" and timer["state"] == "running" and timer["status"] == "ok"
    assert timer["target_seconds"] == 4 * 3600
    assert 3590 <= timer["elapsed_seconds"] <= 3700
    assert 24 <= timer["percent"] <= 26
    assert timer["breached"] is False
    assert _client(api_client, agent).get(f"/api/v1/incidents/{incident.pk}/sla/").status_code == 200


def test_requesters_see_the_sla_of_their_own_incidents_only(api_client, requester, other_requester, team, always):
    make_policy(always, metric="resolution", target=timedelta(hours=4))
    incident = factories.make_incident(caller=requester, assigned_team=team)

    assert _client(api_client, other_requester).get(f"/api/v1/incidents/{incident.number}/sla/").status_code == 404
    assert _client(api_client, requester).get(f"/api/v1/incidents/{incident.number}/sla/").status_code == 200


def test_anonymous_visitors_get_no_incident_sla(api_client, incident):
    assert api_client.get(f"/api/v1/incidents/{incident.number}/sla/").status_code == 401


def test_the_policy_list_costs_a_fixed_number_of_queries(
    api_client, manager, always, team, django_assert_max_num_queries
):
    for n in range(10):
        make_policy(
            always,
            metric="resolution",
            target=timedelta(hours=n + 1),
            priorities=[1],
            teams=[team],
            rules=[{"at_percent": 100, "notify_team_manager": True}],
            name=f"policy {n}",
        )
    client = _client(api_client, manager)

    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/sla/policies/")

    assert response.status_code == 200
    assert response.json()["count"] == 10
