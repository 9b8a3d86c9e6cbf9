"""The queue page: views, filters, sorting, keyset pages, polling fragment, saved views, search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import lifecycle
from incidents.choices import Level, OnHoldReason, State
from incidents.workspace.models import SavedView
from tests import factories


def numbers(response) -> list[str]:
    return [row["incident"].number for row in response.context["rows"]]


@pytest.fixture
def many(db, requester, team, agent):
    """Twelve incidents: a mix of states, priorities and assignments, updated at distinct times."""
    made = []
    base = timezone.now() - timedelta(days=1)
    for index in range(12):
        incident = factories.make_incident(
            caller=requester,
            assigned_team=team,
            short_description=f"Printer {index} jams" if index % 2 else f"VPN drops {index}",
            impact=[Level.HIGH, Level.MEDIUM, Level.LOW][index % 3],
            urgency=Level.HIGH,
            at=base + timedelta(minutes=index),
        )
        made.append(incident)
    lifecycle.incident_assign(incident=made[0], actor=agent, assignee=agent)
    lifecycle.incident_transition(
        incident=made[1], actor=agent, to_state=State.ON_HOLD, on_hold_reason=OnHoldReason.AWAITING_CALLER
    )
    lifecycle.incident_transition(
        incident=made[2], actor=agent, to_state=State.RESOLVED, resolution_code="fixed", resolution_notes="Done."
    )
    lifecycle.incident_update(incident=made[3], actor=agent, changes={"is_major": True})
    return made


def test_the_default_view_lists_open_incidents_most_recently_updated_first(agent_client, many):
    response = agent_client.get("/incidents/")
    assert response.status_code == 200
    assert response.context["view"].name == "All open incidents"
    shown = numbers(response)
    assert many[2].number not in shown  # resolved
    assert shown[0] == many[3].number  # updated last (declared major)
    assert len(shown) == 11


def test_each_row_shows_what_an_agent_needs(agent_client, many):
    html = agent_client.get("/incidents/").content.decode()
    first = many[0]
    assert first.number in html
    assert first.short_description in html
    assert first.caller.display_name in html
    assert "Service Desk" in html
    assert "Unassigned" in html


@pytest.mark.parametrize(
    ("view", "expected"),
    [("mine", [0]), ("waiting", [1]), ("major", [3])],
)
def test_builtin_views_filter_as_named(agent_client, many, view, expected):
    response = agent_client.get(f"/incidents/?view={view}")
    assert numbers(response) == [many[i].number for i in expected]


def test_unassigned_in_my_teams_leaves_out_other_teams_and_assigned_ones(agent_client, many, requester):
    elsewhere = factories.make_incident(caller=requester, assigned_team=factories.TeamFactory(name="Network"))
    shown = numbers(agent_client.get("/incidents/?view=unassigned"))
    assert many[0].number not in shown
    assert elsewhere.number not in shown
    assert many[4].number in shown


def test_filters_are_the_shared_filterset(agent_client, many):
    response = agent_client.get("/incidents/?state=on_hold")
    assert numbers(response) == [many[1].number]
    response = agent_client.get("/incidents/?priority=1&open=true")
    assert set(numbers(response)) == {i.number for i in many if i.priority == 1 and i.state != "resolved"}
    response = agent_client.get("/incidents/?q=printer")
    assert all("Printer" in n.short_description for n in (r["incident"] for r in response.context["rows"]))


def test_a_submitted_filter_form_with_empty_fields_filters_only_on_what_was_chosen(agent_client, many):
    blank = "&".join(
        f"{name}=" for name in ("q", "team", "assignee", "service", "category", "major", "sla", "created_after")
    )
    response = agent_client.get(f"/incidents/?sort=-updated&state=on_hold&{blank}")
    assert response.context["errors"] == []
    assert numbers(response) == [many[1].number]
    assert response.context["save_query"] == "sort=-updated&state=on_hold"


def test_an_invalid_filter_value_is_explained_not_a_500(agent_client, many):
    response = agent_client.get("/incidents/?state=exploded")
    assert response.status_code == 200
    assert response.context["errors"]
    assert b"exploded" in response.content


def test_sorting_by_priority_puts_p1_first(agent_client, many):
    response = agent_client.get("/incidents/?open=true&sort=priority")
    priorities = [row["incident"].priority for row in response.context["rows"]]
    assert priorities == sorted(priorities)


def test_keyset_pages_walk_the_whole_list_without_gaps_or_repeats(agent_client, many):
    seen: list[str] = []
    url = "/incidents/?open=true&size=4"
    while url:
        response = agent_client.get(url)
        seen += numbers(response)
        query = response.context["next_query"]
        url = f"/incidents/?{query}&size=4" if query else ""
    assert len(seen) == len(set(seen)) == 11


def test_paging_never_uses_offset_or_counts_all_rows(agent_client, many):
    with CaptureQueriesContext(connection) as queries:
        agent_client.get("/incidents/?open=true&size=4")
        first = agent_client.get("/incidents/?open=true&size=4")
        agent_client.get(f"/incidents/?{first.context['next_query']}&size=4")
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries if "INCIDENTS_INCIDENT" in q["sql"].upper())
    assert "OFFSET" not in sql
    assert "COUNT(" not in sql


def test_a_tampered_cursor_falls_back_to_the_first_page_with_a_message(agent_client, many):
    response = agent_client.get("/incidents/?open=true&cursor=not-a-cursor")
    assert response.status_code == 200
    assert response.context["errors"]
    assert len(numbers(response)) == 11


def test_the_queue_page_runs_a_fixed_number_of_queries(agent_client, many, sla_provider, django_assert_max_num_queries):
    for _ in range(20):
        factories.make_incident(caller=many[0].caller, assigned_team=many[0].assigned_team)
    with django_assert_max_num_queries(14):
        response = agent_client.get("/incidents/")
    assert len(response.context["rows"]) == 31
    assert len(sla_provider) == 1  # SLA summaries fetched once for the whole page


def test_the_polling_fragment_returns_only_the_table_body(agent_client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = agent_client.get("/incidents/?view=open&fragment=rows&size=50", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<tbody id="queue-body"')
    assert "<html" not in html
    assert f'value="{many[0].pk}:{many[0].version + 1}"' in html or f'value="{many[0].pk}:' in html


def test_load_more_appends_rows_after_the_cursor(agent_client, many):
    first = agent_client.get("/incidents/?open=true&size=5")
    more = agent_client.get(f"/incidents/?{first.context['next_query']}&size=5&fragment=rows", HTTP_HX_REQUEST="true")
    html = more.content.decode()
    assert "<tbody" not in html
    assert numbers(more)[0] not in numbers(first)


def test_sla_clock_shows_time_left_and_colour(agent_client, many, sla_provider):
    html = agent_client.get("/incidents/").content.decode()
    assert "in 2 h 10 min" in html
    assert "overdue 5 min" in html
    assert "sla-breach" in html and "sla-risk" in html


def test_without_an_sla_app_the_queue_shows_a_dash(agent_client, many, no_sla_provider):
    response = agent_client.get("/incidents/")
    assert response.status_code == 200
    assert all(row["sla"] is None for row in response.context["rows"])


def test_saving_a_view_keeps_the_filters_and_lists_it(agent_client, agent, many):
    response = agent_client.post("/incidents/views/", {"name": "On hold", "query": "state=on_hold&sort=-updated"})
    saved = SavedView.objects.get(owner=agent, name="On hold")
    assert response["Location"] == f"/incidents/?view={saved.pk}"
    page = agent_client.get(response["Location"])
    assert page.context["view"].name == "On hold"
    assert numbers(page) == [many[1].number]


def test_saving_again_under_the_same_name_updates_the_view(agent_client, agent):
    agent_client.post("/incidents/views/", {"name": "Mine", "query": "assignee=me"})
    agent_client.post("/incidents/views/", {"name": "Mine", "query": "assignee=me&priority=1", "shared": "on"})
    saved = SavedView.objects.get(owner=agent, name="Mine")
    assert saved.query == "assignee=me&priority=1"
    assert saved.shared


def test_a_view_without_a_name_is_refused_with_a_message(agent_client, agent):
    response = agent_client.post("/incidents/views/", {"name": "", "query": "state=new"}, follow=True)
    assert not SavedView.objects.filter(owner=agent).exists()
    assert b"Give the view a name" in response.content


def test_shared_views_appear_for_other_agents_private_ones_do_not(agent_client, agent, other_agent_client):
    SavedView.objects.create(owner=agent, name="Team P1s", query="priority=1", shared=True)
    SavedView.objects.create(owner=agent, name="Secret", query="priority=2")
    html = other_agent_client.get("/incidents/").content.decode()
    assert "Team P1s" in html
    assert "Secret" not in html


def test_only_the_owner_deletes_a_view(agent_client, agent, other_agent_client):
    saved = SavedView.objects.create(owner=agent, name="Team P1s", query="priority=1", shared=True)
    assert other_agent_client.post(f"/incidents/views/{saved.pk}/delete/").status_code == 404
    agent_client.post(f"/incidents/views/{saved.pk}/delete/")
    assert not SavedView.objects.filter(pk=saved.pk).exists()


def test_searching_a_number_jumps_to_the_incident(agent_client, incident):
    digits = str(int(incident.number[3:]))
    response = agent_client.get(f"/incidents/search/?q={digits}")
    assert response["Location"] == f"/incidents/{incident.number}/"
    response = agent_client.get(f"/incidents/search/?q={incident.number.lower()}")
    assert response["Location"] == f"/incidents/{incident.number}/"


def test_searching_text_lists_matches_in_the_queue(agent_client, many):
    response = agent_client.get("/incidents/search/?q=printer jams")
    assert response["Location"] == "/incidents/?q=printer+jams"
    page = agent_client.get(response["Location"])
    assert numbers(page) and all("Printer" in r["incident"].short_description for r in page.context["rows"])


def test_searching_an_unknown_number_says_so(agent_client, db):
    response = agent_client.get("/incidents/search/?q=INC0999999", follow=True)
    assert b"There is no incident INC0999999" in response.content
