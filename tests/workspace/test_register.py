"""Registering an incident from the agent workspace, with its live helpers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import Attachment, Incident, TimelineEntry
from tests import factories


@pytest.fixture
def catalog(db, team):
    service = factories.ServiceFactory(name="Email", owner_team=team)
    other_service = factories.ServiceFactory(name="VPN")
    ci = factories.ConfigurationItemFactory(name="Exchange Online", service=service)
    other_ci = factories.ConfigurationItemFactory(name="vpn-gw-01", service=other_service)
    network = factories.TeamFactory(name="Network Operations")
    category = factories.CategoryFactory(name="Network", default_team=network)
    sub = factories.CategoryFactory(name="VPN", parent=category)
    return {"service": service, "ci": ci, "other_ci": other_ci, "category": category, "sub": sub, "network": network}


def form(requester, **overrides):
    data = {
        "caller": requester.email,
        "short_description": "Outlook keeps asking for my password",
        "description": "Since this morning.",
        "impact": "medium",
        "urgency": "high",
    }
    data.update(overrides)
    return data


def test_the_form_page_offers_every_field(agent_client, catalog):
    html = agent_client.get("/incidents/new/").content.decode()
    for name in (
        "caller",
        "short_description",
        "service",
        "ci",
        "category",
        "subcategory",
        "impact",
        "urgency",
        "attachments",
    ):
        assert f'name="{name}"' in html
    assert 'type="file"' in html and "data-dropzone" in html


def test_registering_creates_the_incident_and_opens_it(agent_client, agent, requester, catalog):
    response = agent_client.post("/incidents/new/", form(requester, service=catalog["service"].pk, ci=catalog["ci"].pk))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.number}/"
    assert incident.caller == requester
    assert incident.priority == 2
    assert incident.created_by == agent
    assert incident.assigned_team.name == "Service Desk"  # the service owner


def test_the_subcategory_routes_to_its_parents_team(agent_client, requester, catalog):
    agent_client.post(
        "/incidents/new/", form(requester, category=catalog["category"].pk, subcategory=catalog["sub"].pk)
    )
    incident = Incident.objects.get()
    assert incident.category == catalog["sub"]
    assert incident.assigned_team == catalog["network"]


def test_the_caller_can_be_given_by_name_or_username(agent_client, requester, catalog):
    agent_client.post("/incidents/new/", form(requester, caller=f"{requester.first_name} {requester.last_name}"))
    agent_client.post("/incidents/new/", form(requester, caller=requester.username.upper()))
    assert Incident.objects.filter(caller=requester).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"caller": ""}, "caller", "Choose who reported the incident."),
        ({"caller": "nobody@nowhere.example"}, "caller", "Nobody called"),
        ({"short_description": ""}, "short_description", "Say in a few words what is wrong."),
        ({"short_description": "x" * 201}, "short_description", "at most 200 characters"),
        ({"impact": "enormous"}, "impact", "Select a valid choice"),
    ],
)
def test_each_invalid_field_gets_its_message_beside_it(agent_client, requester, catalog, overrides, field, message):
    response = agent_client.post("/incidents/new/", form(requester, **overrides))
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Incident.objects.exists()


def test_a_ci_of_another_service_is_refused_beside_the_ci(agent_client, requester, catalog):
    response = agent_client.post(
        "/incidents/new/", form(requester, service=catalog["service"].pk, ci=catalog["other_ci"].pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ci"]
    assert not Incident.objects.exists()


def test_a_lifecycle_refusal_lands_on_the_field_it_names(agent_client, requester, catalog):
    outsider = factories.AgentFactory(username="outsider")
    response = agent_client.post(
        "/incidents/new/", form(requester, assigned_team=catalog["network"].pk, assignee=outsider.pk)
    )
    assert response.status_code == 400
    assert "is not a member of Network Operations" in response.context["form"].errors["assignee"][0]


def test_two_people_with_the_same_name_must_be_told_apart(agent_client, requester, catalog):
    factories.RequesterFactory(username="twin1", first_name="Sam", last_name="Lee")
    factories.RequesterFactory(username="twin2", first_name="Sam", last_name="Lee")
    response = agent_client.post("/incidents/new/", form(requester, caller="Sam Lee"))
    assert "Several people match" in response.context["form"].errors["caller"][0]


def test_attachments_are_stored_with_the_new_incident(agent_client, requester, catalog):
    upload = SimpleUploadedFile("error.txt", b"Stack trace", content_type="text/plain")
    agent_client.post("/incidents/new/", {**form(requester), "attachments": [upload]})
    attachment = Attachment.objects.get()
    assert attachment.filename == "error.txt"
    assert attachment.incident == Incident.objects.get()


def test_a_refused_attachment_registers_nothing_and_says_why(agent_client, requester, catalog):
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdownload")
    response = agent_client.post("/incidents/new/", {**form(requester), "attachments": [upload]})
    assert response.status_code == 400
    assert "are not accepted" in response.context["form"].errors["attachments"][0]
    assert not Incident.objects.exists()


def test_the_priority_preview_follows_the_matrix(agent_client, catalog):
    response = agent_client.get("/incidents/new/preview/?impact=high&urgency=high")
    assert b"P1" in response.content
    response = agent_client.get("/incidents/new/preview/?impact=low&urgency=medium")
    assert b"P4" in response.content


def test_the_preview_shows_where_routing_sends_the_incident(agent_client, catalog):
    response = agent_client.get(f"/incidents/new/preview/?impact=low&urgency=low&subcategory={catalog['sub'].pk}")
    assert b"Network Operations" in response.content
    assert b"default of category" in response.content
    response = agent_client.get(f"/incidents/new/preview/?impact=low&urgency=low&service={catalog['service'].pk}")
    assert b"Service Desk" in response.content


def test_the_preview_survives_nonsense(agent_client, catalog):
    response = agent_client.get("/incidents/new/preview/?impact=huge&urgency=&service=abc")
    assert response.status_code == 200
    assert b"choose impact and urgency" in response.content


def test_caller_lookup_returns_options_by_name_or_email(agent_client, requester):
    response = agent_client.get(f"/incidents/new/callers/?caller={requester.first_name[:3]}")
    assert f'value="{requester.email}"'.encode() in response.content
    assert agent_client.get("/incidents/new/callers/?caller=z").content.strip() == b""


def test_ci_choices_follow_the_service(agent_client, catalog):
    response = agent_client.get(f"/incidents/new/cis/?service={catalog['service'].pk}")
    assert b"Exchange Online" in response.content
    assert b"vpn-gw-01" not in response.content
    assert response["HX-Trigger"] == "ci-options-changed"


def test_subcategory_choices_follow_the_category(agent_client, catalog):
    response = agent_client.get(f"/incidents/new/subcategories/?category={catalog['category'].pk}")
    assert b">VPN<" in response.content


def test_similar_open_incidents_are_suggested_as_duplicates(agent_client, requester, team):
    match = factories.make_incident(
        caller=requester, assigned_team=team, short_description="Outlook password prompt loops"
    )
    factories.make_incident(caller=requester, assigned_team=team, short_description="Printer jams on floor 2")
    response = agent_client.get("/incidents/new/similar/?short_description=outlook asks for password")
    html = response.content.decode()
    assert match.number in html
    assert "Printer jams" not in html
    assert "Link as child instead" in html


def test_link_instead_registers_nothing_and_makes_the_caller_a_watcher(agent_client, requester, team):
    existing = factories.make_incident(caller=factories.RequesterFactory(), assigned_team=team)
    response = agent_client.post(
        "/incidents/new/link/",
        {"caller": requester.email, "duplicate_of": existing.number, "short_description": "Printer broken"},
    )
    assert response["Location"] == f"/incidents/{existing.number}/"
    assert Incident.objects.count() == 1
    assert requester in existing.watchers.all()
    assert TimelineEntry.objects.filter(
        incident=existing, kind="work_note", body__contains="reported the same problem"
    ).exists()


def test_link_instead_without_a_caller_says_to_choose_one(agent_client, team, requester):
    existing = factories.make_incident(caller=requester, assigned_team=team)
    response = agent_client.post("/incidents/new/link/", {"caller": "", "duplicate_of": existing.number}, follow=True)
    assert b"Choose the caller first" in response.content
