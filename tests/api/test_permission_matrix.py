"""Who may call what: every endpoint for requester (the caller), another requester, agent, manager, admin,
anonymous, and agent tokens with the read and write scopes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.api.conftest import client_for, token_client

pytestmark = pytest.mark.django_db

ROLES = ("requester", "other_requester", "agent", "manager", "admin", "anonymous", "read_token", "write_token")

# Expected status per role; "requester" is the incident's caller. Roles not listed get the default of the row.
AGENTS_ONLY = {"requester": 403, "other_requester": 404, "anonymous": 401, "read_token": 403}
EVERYONE_ON_OWN = {"other_requester": 404, "anonymous": 401}
EVERYONE_WRITES_OWN = {"other_requester": 404, "anonymous": 401, "read_token": 403}
MANAGERS_ONLY = {
    "requester": 403,
    "other_requester": 403,
    "agent": 403,
    "anonymous": 401,
    "read_token": 403,
    "write_token": 403,
}
SIGNED_IN = {"anonymous": 401}

CASES = [
    # (name, method, path, body, format, default status, exceptions)
    ("list incidents", "get", "/api/v1/incidents/", None, None, 200, SIGNED_IN),
    (
        "create incident",
        "post",
        "/api/v1/incidents/",
        {"short_description": "x"},
        "json",
        201,
        {"anonymous": 401, "read_token": 403},
    ),
    ("read incident", "get", "{inc}", None, None, 200, EVERYONE_ON_OWN),
    ("edit incident", "patch", "{inc}", {"description": "more"}, "json", 200, AGENTS_ONLY),
    ("transition", "post", "{inc}transition/", {"state": "in_progress"}, "json", 200, AGENTS_ONLY),
    ("assign", "post", "{inc}assign/", {"team": "{other_team}"}, "json", 200, AGENTS_ONLY),
    ("escalate", "post", "{inc}escalate/", {"reason": "needs infra"}, "json", 200, AGENTS_ONLY),
    ("list comments", "get", "{inc}comments/", None, None, 200, EVERYONE_ON_OWN),
    ("add comment", "post", "{inc}comments/", {"body": "hello"}, "json", 201, EVERYONE_WRITES_OWN),
    ("list work notes", "get", "{inc}work-notes/", None, None, 200, {**AGENTS_ONLY, "read_token": 200}),
    ("add work note", "post", "{inc}work-notes/", {"body": "internal"}, "json", 201, AGENTS_ONLY),
    ("timeline", "get", "{inc}timeline/", None, None, 200, EVERYONE_ON_OWN),
    ("list attachments", "get", "{inc}attachments/", None, None, 200, EVERYONE_ON_OWN),
    ("upload attachment", "post", "{inc}attachments/", "FILE", "multipart", 201, EVERYONE_WRITES_OWN),
    ("list watchers", "get", "{inc}watchers/", None, None, 200, EVERYONE_ON_OWN),
    ("watch", "post", "{inc}watchers/", {"user": "{me}"}, "json", 200, {**EVERYONE_WRITES_OWN}),
    ("list children", "get", "{inc}children/", None, None, 200, EVERYONE_ON_OWN),
    ("link child", "post", "{inc}children/", {"child": "{child}"}, "json", 201, AGENTS_ONLY),
    ("services", "get", "/api/v1/services/", None, None, 200, SIGNED_IN),
    ("cis", "get", "/api/v1/cis/", None, None, 200, SIGNED_IN),
    ("categories", "get", "/api/v1/categories/", None, None, 200, SIGNED_IN),
    ("teams", "get", "/api/v1/teams/", None, None, 200, {"requester": 403, "other_requester": 403, "anonymous": 401}),
    ("users", "get", "/api/v1/users/", None, None, 200, SIGNED_IN),
    ("priority matrix", "get", "/api/v1/priority-matrix/", None, None, 200, SIGNED_IN),
    (
        "change priority cell",
        "patch",
        "/api/v1/priority-matrix/high/high/",
        {"priority": 2},
        "json",
        200,
        {**MANAGERS_ONLY},
    ),
    ("list webhooks", "get", "/api/v1/webhooks/", None, None, 200, {**MANAGERS_ONLY}),
    (
        "create webhook",
        "post",
        "/api/v1/webhooks/",
        {"name": "chat", "url": "https://chat.example/hook", "events": ["incident.created"]},
        "json",
        201,
        {**MANAGERS_ONLY},
    ),
    (
        "alertmanager",
        "post",
        "/api/v1/integrations/alertmanager/",
        {"version": "4", "status": "firing", "alerts": [{"labels": {"alertname": "Down"}, "fingerprint": "f1"}]},
        "json",
        403,
        {"anonymous": 401, "write_token": 201},
    ),
    (
        "events",
        "post",
        "/api/v1/integrations/events/",
        {"source": "zabbix", "action": "trigger", "summary": "Disk full", "dedup_key": "d1"},
        "json",
        403,
        {"anonymous": 401, "write_token": 201},
    ),
]


@pytest.fixture
def world(requester, other_requester, agent, manager, admin_user, team):
    incident = factories.make_incident(caller=requester, assigned_team=team)
    escalation = factories.TeamFactory(name="Infrastructure")
    team.escalation_team = escalation
    team.save()
    child = factories.make_incident(caller=requester)
    return {
        "incident": incident,
        "child": child,
        "other_team": escalation,
        "users": {
            "requester": requester,
            "other_requester": other_requester,
            "agent": agent,
            "manager": manager,
            "admin": admin_user,
        },
    }


def _client(role, world):
    if role == "anonymous":
        return client_for(None), None
    if role in ("read_token", "write_token"):
        user = world["users"]["agent"]
        return token_client(user, role.split("_")[0]), user
    user = world["users"][role]
    return client_for(user), user


def _fill(value, world, me):
    if isinstance(value, dict):
        return {k: _fill(v, world, me) for k, v in value.items()}
    if value == "{other_team}":
        return world["other_team"].pk
    if value == "{child}":
        return world["child"].number
    if value == "{me}":
        return me.pk if me else 1
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "fmt", "default", "exceptions"), CASES, ids=[c[0] for c in CASES]
)
def test_permission_matrix(world, role, name, method, path, body, fmt, default, exceptions):
    # given
    client, me = _client(role, world)
    path = path.replace("{inc}", f"/api/v1/incidents/{world['incident'].number}/")
    if body == "FILE":
        body = {"file": SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")}
    else:
        body = _fill(body, world, me)
    # when
    kwargs = {"format": fmt} if fmt else {}
    response = getattr(client, method)(path, body, **kwargs) if body is not None else getattr(client, method)(path)
    # then
    expected = exceptions.get(role, default)
    assert response.status_code == expected, f"{name} as {role}: {response.status_code} {response.content[:300]!r}"
    if response.status_code >= 400:
        assert set(response.json()) >= {"type", "detail", "errors"}


def test_a_requester_sees_only_themselves_in_users(requester, other_requester):
    body = client_for(requester).get("/api/v1/users/").json()
    assert [u["username"] for u in body["results"]] == ["robin"]
    assert client_for(requester).get(f"/api/v1/users/{other_requester.pk}/").status_code == 404


def test_an_unauthenticated_answer_says_how_to_authenticate(anon_api):
    response = anon_api.get("/api/v1/incidents/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
