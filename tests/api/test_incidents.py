"""/api/v1/incidents/: list, register, read, edit; numbers and ids; ETags; query counts."""

from __future__ import annotations

import pytest

from incidents.choices import Level, State
from incidents.models import Incident
from tests import factories
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def test_an_agent_registers_an_incident_and_gets_it_back_with_a_location_and_an_etag(agent_api, requester, team):
    # given
    service = factories.ServiceFactory(name="VPN")
    # when
    response = agent_api.post(
        "/api/v1/incidents/",
        {
            "short_description": "VPN drops every 5 minutes",
            "caller": requester.username,
            "service": service.pk,
            "impact": "high",
            "urgency": "high",
            "assigned_team": team.pk,
        },
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("INC")
    assert body["priority"] == 1
    assert body["caller"]["username"] == "robin"
    assert body["channel"] == "api"
    assert response["Location"] == f"/api/v1/incidents/{body['number']}/"
    assert response["ETag"] == f'"{body["id"]}.{body["version"]}"'


def test_a_requester_registers_an_incident_as_themselves(requester_api, requester):
    response = requester_api.post("/api/v1/incidents/", {"short_description": "Cannot print"}, format="json")
    assert response.status_code == 201
    assert response.json()["caller"]["id"] == requester.pk


def test_a_requester_may_not_route_or_rate_an_incident_they_register(requester_api, agent, team):
    response = requester_api.post(
        "/api/v1/incidents/",
        {"short_description": "Cannot print", "impact": "high", "assigned_team": team.pk, "caller": agent.pk},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"impact", "assigned_team", "caller"}
    assert not Incident.objects.exists()


def test_every_bad_field_is_named_in_one_answer(agent_api):
    response = agent_api.post(
        "/api/v1/incidents/",
        {"short_description": "", "impact": "enormous", "service": 10**30, "caller": "nobody"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert {"short_description", "impact", "service", "caller"} <= set(body["errors"])


def test_an_incident_is_addressable_by_number_and_by_id(agent_api, incident):
    by_number = agent_api.get(url(incident))
    by_id = agent_api.get(f"/api/v1/incidents/{incident.pk}/")
    lower = agent_api.get(f"/api/v1/incidents/{incident.number.lower()}/")
    assert by_number.status_code == by_id.status_code == lower.status_code == 200
    assert by_number.json()["id"] == by_id.json()["id"] == incident.pk


def test_unknown_references_are_404_in_the_error_shape(agent_api):
    for ref in ("INC9999999", "99999999999999999999999", "abc", "0"):
        response = agent_api.get(f"/api/v1/incidents/{ref}/")
        assert response.status_code == 404, ref
        assert response.json()["type"] == "not_found"


def test_get_with_the_current_etag_is_not_modified(agent_api, incident):
    first = agent_api.get(url(incident))
    again = agent_api.get(url(incident), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_an_agent_edits_fields_and_the_priority_follows_the_matrix(agent_api, incident):
    etag = agent_api.get(url(incident))["ETag"]
    response = agent_api.patch(
        url(incident), {"impact": "high", "urgency": "high", "reason": "Whole floor"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["priority"] == 1
    assert response["ETag"] != etag


def test_a_patch_with_a_stale_etag_is_412_and_changes_nothing(agent_api, incident, agent):
    # given someone else changed the incident after we read it
    etag = agent_api.get(url(incident))["ETag"]
    from incidents import lifecycle

    lifecycle.incident_update(incident=incident, actor=agent, changes={"description": "more detail"})
    # when
    response = agent_api.patch(url(incident), {"impact": "high"}, format="json", HTTP_IF_MATCH=etag)
    # then
    assert response.status_code == 412
    assert response.json()["type"] == "stale_version"
    assert Incident.objects.get(pk=incident.pk).impact == Level.MEDIUM


def test_patch_refuses_fields_that_have_their_own_endpoint(agent_api, incident):
    response = agent_api.patch(url(incident), {"state": "resolved", "assignee": 1, "number": "x"}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "transition" in errors["state"][0]
    assert set(errors) == {"state", "assignee", "number"}


def test_a_requester_cannot_edit_fields(requester_api, incident):
    response = requester_api.patch(url(incident), {"short_description": "Mine"}, format="json")
    assert response.status_code == 403


def test_a_requester_sees_their_own_and_watched_incidents_only(requester_api, requester, other_requester, agent):
    own = factories.make_incident(caller=requester)
    watched = factories.make_incident(caller=other_requester, watchers=[requester])
    other = factories.make_incident(caller=other_requester)
    listed = {row["number"] for row in requester_api.get("/api/v1/incidents/").json()["results"]}
    assert listed == {own.number, watched.number}
    assert requester_api.get(url(other)).status_code == 404


def test_malformed_json_is_a_400_not_a_crash(agent_api):
    response = agent_api.generic("POST", "/api/v1/incidents/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["type"] == "parse_error"


def test_an_unsupported_content_type_is_415(agent_api):
    response = agent_api.generic("POST", "/api/v1/incidents/", "short_description=x", content_type="text/csv")
    assert response.status_code == 415


def test_put_and_delete_are_not_allowed(agent_api, incident):
    assert agent_api.put(url(incident), {}, format="json").status_code == 405
    assert agent_api.delete(url(incident)).status_code == 405


def test_a_missing_trailing_slash_gets_a_json_hint(agent_api):
    response = agent_api.get("/api/v1/incidents")
    assert response.status_code == 404
    assert "/api/v1/incidents/" in response.json()["detail"]


def test_the_list_costs_the_same_number_of_queries_for_any_page_size(agent_api, django_assert_max_num_queries, team):
    # given
    for i in range(30):
        factories.make_incident(short_description=f"Disk full {i}", assigned_team=team)
    agent_api.get("/api/v1/incidents/?limit=1")  # the viewer's roles are looked up once per user
    # then: a page of 5 and a page of 30 cost the same
    with django_assert_max_num_queries(14) as small:
        assert len(agent_api.get("/api/v1/incidents/?limit=5").json()["results"]) == 5
    with django_assert_max_num_queries(14) as large:
        assert len(agent_api.get("/api/v1/incidents/?limit=30").json()["results"]) == 30
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_list_walks_every_row_once_with_the_cursor(agent_api):
    created = {factories.make_incident(short_description=f"Case {i}").number for i in range(7)}
    seen, link = [], "/api/v1/incidents/?limit=3"
    while link:
        body = agent_api.get(link).json()
        seen += [row["number"] for row in body["results"]]
        link = body["next"]
    assert sorted(seen) == sorted(created) and len(seen) == 7


def test_the_previous_link_goes_back_to_the_same_rows(agent_api):
    for i in range(7):
        factories.make_incident(short_description=f"Case {i}")
    first = agent_api.get("/api/v1/incidents/?limit=3").json()
    second = agent_api.get(first["next"]).json()
    back = agent_api.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]


def test_ordering_by_priority_pages_without_gaps(agent_api):
    levels = [Level.HIGH, Level.MEDIUM, Level.LOW]
    for i in range(9):
        factories.make_incident(short_description=f"Case {i}", impact=levels[i % 3], urgency=levels[i // 3])
    seen, link = [], "/api/v1/incidents/?limit=2&ordering=priority"
    while link:
        body = agent_api.get(link).json()
        seen += [(row["priority"], row["id"]) for row in body["results"]]
        link = body["next"]
    assert len(seen) == 9
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)


def test_bad_cursor_ordering_and_limit_are_400_with_the_field_named(agent_api):
    assert "cursor" in agent_api.get("/api/v1/incidents/?cursor=garbage!!").json()["errors"]
    assert "ordering" in agent_api.get("/api/v1/incidents/?ordering=password").json()["errors"]
    assert "limit" in agent_api.get("/api/v1/incidents/?limit=lots").json()["errors"]


def test_the_page_size_is_capped(agent_api, settings):
    settings.API_MAX_PAGE_SIZE = 3
    for i in range(5):
        factories.make_incident(short_description=f"Case {i}")
    assert len(agent_api.get("/api/v1/incidents/?limit=1000").json()["results"]) == 3


def test_filters_narrow_the_list(agent_api, agent, team):
    # given
    mine = factories.make_incident(short_description="Mail bounce", assigned_team=team, assignee=agent)
    unassigned = factories.make_incident(short_description="Printer jam on floor 3")
    from incidents import lifecycle

    lifecycle.incident_transition(incident=unassigned, actor=agent, to_state=State.IN_PROGRESS)

    def numbers(query):
        response = agent_api.get(f"/api/v1/incidents/?{query}")
        assert response.status_code == 200, response.content
        return {row["number"] for row in response.json()["results"]}

    # then
    assert numbers("assignee=me") == {mine.number}
    assert numbers("assignee=none") == {unassigned.number}
    assert numbers(f"team={team.pk}") == {mine.number}
    assert numbers("state=new&state=in_progress") == {mine.number, unassigned.number}
    assert numbers("state=in_progress") == {unassigned.number}
    assert numbers("q=printer") == {unassigned.number}
    assert numbers(f"q={mine.number}") == {mine.number}
    assert numbers("priority=3") == {mine.number, unassigned.number}
    assert numbers("created_after=2999-01-01T00:00:00Z") == set()


def test_bad_filter_values_are_400_naming_the_filter(agent_api):
    response = agent_api.get("/api/v1/incidents/?state=sleeping&team=999999999999999999999&created_after=yesterday")
    assert response.status_code == 400
    assert {"state", "team", "created_after"} <= set(response.json()["errors"])
