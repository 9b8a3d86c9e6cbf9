"""Fixtures of the API tests: clients signed in as each role, and bearer tokens of each scope."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from incidents.integrations.tokens import token_issue


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The matrix creates hundreds of users: hash their passwords cheaply (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _local_throttle_cache(settings):
    """Throttle counters in a per-test local cache, not the shared Redis."""
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "api_test": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.API_THROTTLE_CACHE = "api_test"
    caches["api_test"].clear()
    yield
    caches["api_test"].clear()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def token_client(user, scope: str) -> APIClient:
    client = APIClient()
    secret = token_issue(user=user, name=f"{scope} token", scope=scope).secret
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def requester_api(requester):
    return client_for(requester)


@pytest.fixture
def other_requester_api(other_requester):
    return client_for(other_requester)


@pytest.fixture
def manager_api(manager):
    return client_for(manager)


@pytest.fixture
def admin_api(admin_user):
    return client_for(admin_user)


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def read_token_api(agent):
    return token_client(agent, "read")


@pytest.fixture
def write_token_api(agent):
    return token_client(agent, "write")


def url(incident, suffix: str = "") -> str:
    return f"/api/v1/incidents/{incident.number}/{suffix}"
