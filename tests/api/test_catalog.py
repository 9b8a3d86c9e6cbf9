"""Catalog and people: services, CIs, categories, teams, users (caller lookup), the priority matrix."""

from __future__ import annotations

import pytest

from incidents.models import PriorityRule
from tests import factories

pytestmark = pytest.mark.django_db


def test_services_are_listed_by_name_and_searchable(agent_api):
    factories.ServiceFactory(name="VPN", portal_name="Remote access")
    factories.ServiceFactory(name="Email")
    assert [s["name"] for s in agent_api.get("/api/v1/services/").json()["results"]] == ["Email", "VPN"]
    assert [s["name"] for s in agent_api.get("/api/v1/services/?q=remote").json()["results"]] == ["VPN"]


def test_cis_filter_by_service(agent_api):
    vpn = factories.ServiceFactory(name="VPN")
    factories.ConfigurationItemFactory(name="vpn-gw-01", service=vpn)
    factories.ConfigurationItemFactory(name="mx-01")
    assert [c["name"] for c in agent_api.get(f"/api/v1/cis/?service={vpn.pk}").json()["results"]] == ["vpn-gw-01"]


def test_categories_show_their_full_name_and_filter_top_level(agent_api):
    hardware = factories.CategoryFactory(name="Hardware")
    factories.CategoryFactory(name="Printer", parent=hardware)
    top = agent_api.get("/api/v1/categories/?parent=none").json()["results"]
    assert [c["name"] for c in top] == ["Hardware"]
    children = agent_api.get(f"/api/v1/categories/?parent={hardware.pk}").json()["results"]
    assert [c["full_name"] for c in children] == ["Hardware / Printer"]


def test_teams_list_their_members_for_agents(agent_api, team, agent):
    body = agent_api.get("/api/v1/teams/?member=me").json()["results"]
    assert [(t["name"], t["member_ids"]) for t in body] == [("Service Desk", [agent.pk])]


def test_users_are_found_by_name_or_email_for_caller_fields(agent_api, requester):
    requester.first_name, requester.last_name = "Robin", "Hood"
    requester.save()
    for query in ("robin", "Robin Ho", "ROBIN@EXAMPLE.COM"):
        results = agent_api.get(f"/api/v1/users/?q={query}").json()["results"]
        assert [u["username"] for u in results] == ["robin"], query
    assert agent_api.get(f"/api/v1/users/{requester.pk}/").json()["role"] == "requester"


def test_users_filter_by_role(agent_api, agent, requester, manager):
    agents = {u["username"] for u in agent_api.get("/api/v1/users/?role=agent").json()["results"]}
    requesters = {u["username"] for u in agent_api.get("/api/v1/users/?role=requester").json()["results"]}
    assert agents == {agent.username, manager.username}
    assert requesters == {requester.username}


def test_the_user_list_costs_the_same_queries_for_any_page_size(agent_api, django_assert_max_num_queries):
    for i in range(12):
        factories.AgentFactory(username=f"bulk{i:02d}")
    agent_api.get("/api/v1/users/?limit=1")
    with django_assert_max_num_queries(5) as small:
        agent_api.get("/api/v1/users/?limit=2")
    with django_assert_max_num_queries(5) as large:
        agent_api.get("/api/v1/users/?limit=12")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_priority_matrix_shows_itils_defaults(agent_api):
    cells = agent_api.get("/api/v1/priority-matrix/").json()
    assert len(cells) == 9
    assert {"impact": "high", "urgency": "high", "priority": 1, "is_default": True} in cells


def test_a_manager_changes_a_cell_and_new_incidents_follow_it(manager_api, agent_api):
    response = manager_api.put("/api/v1/priority-matrix/low/low/", {"priority": 4}, format="json")
    assert response.status_code == 200
    assert response.json() == {"impact": "low", "urgency": "low", "priority": 4, "is_default": False}
    assert PriorityRule.objects.get(impact="low", urgency="low").priority == 4
    created = agent_api.post(
        "/api/v1/incidents/", {"short_description": "x", "impact": "low", "urgency": "low"}, format="json"
    )
    assert created.json()["priority"] == 4


def test_a_bad_cell_or_priority_is_rejected(manager_api):
    assert manager_api.patch("/api/v1/priority-matrix/huge/low/", {"priority": 1}, format="json").status_code == 404
    response = manager_api.patch("/api/v1/priority-matrix/low/low/", {"priority": 9}, format="json")
    assert response.status_code == 400 and "priority" in response.json()["errors"]
