"""The OpenAPI schema and the docs page; schemathesis checks that real answers match the schema and never 5xx."""

from __future__ import annotations

import re
import urllib.error

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from incidents.integrations.tokens import token_issue
from tests import factories

pytestmark = pytest.mark.django_db

# Our endpoints (the SLA endpoint, knowledge and reports have their own suites).
OURS = r"^/api/v1/(incidents/|services/|cis/|categories/|teams/|users/|priority-matrix/|webhooks/|integrations/)"
NOT_OURS = r"^/api/v1/incidents/\{[^}]+\}/sla/$"


def test_the_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "bearerAuth" in schema["components"]["securitySchemes"]
    assert "/api/v1/incidents/{ref}/transition/" in schema["paths"]
    assert "/api/v1/integrations/alertmanager/" in schema["paths"]


def test_the_docs_page_loads_its_assets_from_this_server_only(client, agent):
    client.force_login(agent)
    page = client.get("/api/docs/").content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page) + re.findall(r"https?://[^\s\"'<>)]+", page)
    assert urls, "the docs page should reference its assets"
    external = [u for u in urls if u.startswith(("http://", "https://", "//")) and "testserver" not in u]
    assert external == []


@pytest.fixture
def api_schema(db, settings, monkeypatch):
    """The live schema, with requests made as an agent holding a write token; webhooks never leave the machine."""
    from config.wsgi import application
    from incidents.integrations import webhooks

    settings.API_THROTTLE_ENABLED = False
    # The WSGI app closes the connection after each request, as in production; the test's transaction needs it open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def refuse(*args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(webhooks._opener, "open", refuse)
    agent = factories.AgentFactory(username="schemathesis")
    team = factories.TeamFactory(name="Fuzz", members=[agent])
    for i in range(3):
        factories.make_incident(short_description=f"Seed {i}", assigned_team=team)
    secret = token_issue(user=agent, name="schemathesis", scope="write").secret
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    schema = schema.include(path_regex=OURS).exclude(path_regex=NOT_OURS)
    schema.config.headers = {"Authorization": f"Bearer {secret}"}
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# schemathesis' pytest plugin does not run under pytest 9 yet, so each operation gets its own Hypothesis test here.
@pytest.mark.slow
def test_no_input_makes_the_api_fail_or_contradict_its_schema(api_schema):
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every operation's failure
            failures[operation.label] = "\n".join(
                f"{type(e).__name__}: {str(e)[:1500]}" for e in getattr(exc, "exceptions", [exc])
            )
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
