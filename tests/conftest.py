"""Fixtures every app's tests share; app-specific fixtures live beside their tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process so a test sees their effects; emails go to django.core.mail.outbox."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def requester(db):
    return factories.RequesterFactory(username="robin")


@pytest.fixture
def other_requester(db):
    return factories.RequesterFactory(username="sam")


@pytest.fixture
def agent(db):
    return factories.AgentFactory(username="alex")


@pytest.fixture
def manager(db):
    return factories.ManagerFactory(username="morgan")


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory(username="ada")


@pytest.fixture
def team(db, agent):
    return factories.TeamFactory(name="Service Desk", members=[agent])


@pytest.fixture
def incident(db, requester, team):
    return factories.make_incident(caller=requester, assigned_team=team)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def agent_api(api_client, agent):
    api_client.force_authenticate(agent)
    return api_client
