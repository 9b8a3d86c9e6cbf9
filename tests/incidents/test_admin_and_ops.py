"""Admin pages for managers, the health endpoint, demo data and the bulk generator."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from incidents.models import Incident, TimelineEntry, User

pytestmark = pytest.mark.django_db

CONFIG_MODELS = ["organization", "team", "service", "configurationitem", "category", "priorityrule", "user"]


@pytest.mark.parametrize("model", CONFIG_MODELS)
def test_a_manager_can_open_the_admin_list_and_add_pages_of_configuration(client, manager, model):
    from incidents.roles import sync_role_permissions

    sync_role_permissions()
    client.force_login(manager)
    assert client.get(reverse(f"admin:incidents_{model}_changelist")).status_code == 200
    if model != "priorityrule":
        assert client.get(reverse(f"admin:incidents_{model}_add")).status_code == 200


def test_incidents_are_read_only_in_the_admin_even_for_admins(client, admin_user, incident):
    client.force_login(admin_user)
    assert client.get(reverse("admin:incidents_incident_changelist")).status_code == 200
    assert client.get(reverse("admin:incidents_incident_add")).status_code == 403


def test_an_agent_cannot_open_the_admin(client, agent):
    client.force_login(agent)
    assert client.get("/admin/incidents/team/").status_code == 302


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_says_503_when_the_broker_is_down(client):
    with mock.patch("incidents.views.health.redis.Redis.from_url", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_seed_demo_creates_every_role_and_running_it_twice_adds_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "pw-123456", "--incidents", "25", stdout=StringIO())
    counts = (User.objects.count(), Incident.objects.count(), TimelineEntry.objects.count())
    call_command("seed_demo", "--password", "pw-123456", "--incidents", "25", stdout=StringIO())
    assert (User.objects.count(), Incident.objects.count(), TimelineEntry.objects.count()) == counts
    for username, group in [("agent", "agent"), ("manager", "manager"), ("requester", "requester"), ("admin", "admin")]:
        user = User.objects.get(username=username)
        assert user.groups.filter(name=group).exists() and user.check_password("pw-123456")
    assert Incident.objects.count() == 25
    assert set(Incident.objects.values_list("state", flat=True)) >= {"closed", "in_progress"}


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", stdout=StringIO())


def test_generate_incidents_bulk_loads_incidents_with_timelines_and_real_numbers(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "pw-123456", "--incidents", "0", stdout=StringIO())
    out = StringIO()
    call_command("generate_incidents", "500", "--chunk-size", "200", stdout=out)
    assert Incident.objects.count() == 500
    assert TimelineEntry.objects.filter(kind="created").count() == 500
    assert "incidents/s" in out.getvalue()
    numbers = list(Incident.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 500
    # the sequence moved past the loaded numbers, so the next registration does not collide
    from tests.factories import make_incident

    assert make_incident().number not in numbers
