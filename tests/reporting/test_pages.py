"""Dashboards, exports and the reports API: who may see them, what they show, bad input."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.reporting.helpers import resolve, respond

pytestmark = pytest.mark.django_db

PAGES = [
    "/reports/",
    "/reports/operations/",
    "/reports/sla/",
    "/reports/sla/at-risk/",
    "/reports/export/volume.csv",
    "/reports/subscriptions/",
]
API = [
    "/api/v1/reports/volume/",
    "/api/v1/reports/backlog/",
    "/api/v1/reports/response-times/",
    "/api/v1/reports/sla-compliance/",
    "/api/v1/reports/sla-at-risk/",
    "/api/v1/reports/summary/",
]


@pytest.fixture
def some_incidents(agent, team):
    now = timezone.now()
    incidents = [factories.make_incident(assigned_team=team, at=now - timedelta(hours=h)) for h in (30, 20, 10)]
    respond(incidents[0], agent, now - timedelta(hours=29))
    resolve(incidents[0], agent, now - timedelta(hours=25))
    return incidents


@pytest.mark.parametrize("url", PAGES)
def test_requesters_and_agents_get_403_on_report_pages(client, requester, agent, url):
    for user in (requester, agent):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", API)
def test_the_reports_api_refuses_requesters_and_agents(api_client, requester, agent, url):
    for user in (requester, agent):
        api_client.force_authenticate(user)
        assert api_client.get(url).status_code == 403
    api_client.force_authenticate(None)
    assert api_client.get(url).status_code in (401, 403)


def test_the_operations_dashboard_shows_figures_charts_and_links(
    client, manager, some_incidents, team, django_assert_max_num_queries
):
    client.force_login(manager)

    with django_assert_max_num_queries(40):
        response = client.get("/reports/operations/", {"team": team.pk})

    assert response.status_code == 200
    page = response.content.decode()
    charts = json.loads(page.split('id="report-charts" type="application/json">')[1].split("</script>")[0])
    assert {"volume", "backlog_trend", "histogram", "backlog_age"} <= set(charts)
    assert sum(charts["volume"]["datasets"][0]["data"]) == 3  # created
    assert charts["volume"]["datasets"][0]["urls"][0].startswith("/incidents/?team=")
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert f'href="/incidents/?team={team.pk}&amp;open=true"' in page


def test_business_time_rows_load_after_the_operations_page(client, manager, some_incidents):
    client.force_login(manager)
    page = client.get("/reports/operations/").content.decode()
    assert 'hx-get="/reports/operations/business-times/?' in page and 'hx-trigger="load"' in page
    fragment = client.get("/reports/operations/business-times/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content and b"Time to resolve" in fragment.content
    assert b"<html" in client.get("/reports/operations/business-times/").content


def test_the_sla_dashboard_has_the_live_board_polling_by_itself(client, manager, some_incidents):
    client.force_login(manager)
    response = client.get("/reports/sla/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-get="/reports/sla/at-risk/?' in page
    assert 'hx-trigger="every 30s"' in page
    fragment = client.get("/reports/sla/at-risk/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b"at risk" in fragment.content


def test_bad_filters_are_explained_not_crashed_on(client, manager):
    client.force_login(manager)
    response = client.get("/reports/operations/", {"start": "2025-02-10", "end": "2025-01-01", "priority": "9"})
    assert response.status_code == 400
    assert b"The end date must not be before the start date." in response.content
    assert b"Select a valid choice" in response.content


def test_every_table_exports_to_csv_with_the_same_filters(client, manager, some_incidents):
    from reporting.tables import TABLES

    client.force_login(manager)
    for name, table in TABLES.items():
        response = client.get(f"/reports/export/{name}.csv", {"granularity": "week"})
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert tuple(rows[0]) == table.columns
    volume = list(csv.DictReader(io.StringIO(client.get("/reports/export/volume.csv").content.decode())))
    assert sum(int(row["created"]) for row in volume) == 3
    assert client.get("/reports/export/nothing.csv").status_code == 404
    assert client.get("/reports/export/volume.csv", {"start": "soon"}).status_code == 400


def test_the_api_returns_the_same_figures_with_the_same_filters(api_client, manager, some_incidents, team):
    api_client.force_authenticate(manager)

    response = api_client.get("/api/v1/reports/volume/", {"team": team.pk, "granularity": "month"})

    assert response.status_code == 200
    assert response.json()["data"]["totals"]["created"] == 3
    assert response.json()["filters"]["team"] == str(team.pk)
    bad = api_client.get("/api/v1/reports/volume/", {"start": "yesterday", "team": "999999"})
    assert bad.status_code == 400
    assert "start" in json.dumps(bad.json()) and "team" in json.dumps(bad.json())
    assert api_client.get("/api/v1/reports/problem-candidates/", {"min_incidents": "0"}).status_code == 400
    times = api_client.get("/api/v1/reports/response-times/").json()["data"]
    assert times["mttr"]["count"] == 1
    assert times["mttr"]["mean"] == 5 * 3600  # created 30 h ago, resolved 25 h ago


def test_the_reports_endpoints_are_in_the_openapi_schema(api_client, manager):
    api_client.force_authenticate(manager)
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for name in ("volume", "backlog", "response-times", "sla-compliance", "sla-breaches", "sla-at-risk", "reviews"):
        assert f"/api/v1/reports/{name}/" in paths
    parameters = {p["name"] for p in paths["/api/v1/reports/volume/"]["get"]["parameters"]}
    assert {"start", "end", "team", "service", "priority"} <= parameters
