"""The lifecycle rules and the timeline each change leaves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import lifecycle
from incidents.choices import EntryKind, Level, OnHoldReason, ResolutionCode, State
from incidents.errors import IncidentError
from incidents.models import Incident, PriorityRule
from tests.factories import (
    AgentFactory,
    CategoryFactory,
    ConfigurationItemFactory,
    ServiceFactory,
    TeamFactory,
    make_incident,
)

pytestmark = pytest.mark.django_db

RESOLVE = {"resolution_code": ResolutionCode.FIXED, "resolution_notes": "Restarted the spooler."}


def kinds(incident):
    return list(incident.timeline.order_by("id").values_list("kind", flat=True))


def test_registration_computes_priority_from_the_itil_matrix(requester):
    incident = make_incident(caller=requester, impact=Level.HIGH, urgency=Level.MEDIUM)
    assert incident.priority == 2


def test_a_manager_edited_matrix_cell_changes_the_computed_priority(requester):
    PriorityRule.objects.filter(impact="low", urgency="low").update(priority=4)
    assert make_incident(caller=requester, impact=Level.LOW, urgency=Level.LOW).priority == 4


def test_registration_takes_the_callers_organization_and_records_who_registered(requester, agent):
    incident = make_incident(caller=requester, actor=agent)
    assert incident.organization == requester.organization
    entry = incident.timeline.get()
    assert (entry.kind, entry.actor, entry.is_public) == (EntryKind.CREATED, agent, True)
    assert entry.data["priority"] == incident.priority


def test_registration_routes_to_the_categorys_team_before_the_services(requester):
    network, workplace = TeamFactory(name="Network"), TeamFactory(name="Workplace")
    parent = CategoryFactory(name="Network", default_team=network)
    vpn = CategoryFactory(name="VPN", parent=parent)
    service = ServiceFactory(name="Remote access", owner_team=workplace)
    assert make_incident(caller=requester, category=vpn, service=service).assigned_team == network
    assert make_incident(caller=requester, service=service).assigned_team == workplace


def test_registration_with_a_ci_fills_in_its_service_and_refuses_a_mismatch(requester):
    ci = ConfigurationItemFactory(name="vpn-gw-01")
    assert make_incident(caller=requester, ci=ci).service == ci.service
    with pytest.raises(IncidentError) as error:
        make_incident(caller=requester, ci=ci, service=ServiceFactory(name="Email"))
    assert error.value.field == "ci"


def test_registration_refuses_an_empty_short_description(requester):
    with pytest.raises(IncidentError) as error:
        make_incident(caller=requester, short_description="   ")
    assert error.value.field == "short_description"


def test_numbers_are_sequential_and_never_reused(requester):
    first = make_incident(caller=requester)
    second = make_incident(caller=requester)
    assert int(second.number[3:]) == int(first.number[3:]) + 1


def test_assigning_to_a_person_is_the_first_response_and_is_logged(incident, agent):
    updated = lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
    assert updated.first_response_at is not None
    entry = updated.timeline.order_by("-id").first()
    assert entry.kind == EntryKind.ASSIGNMENT
    assert entry.data["assignee"] == ["", agent.display_name]


def test_a_person_outside_the_team_cannot_be_assigned(incident):
    outsider = AgentFactory(username="outsider")
    with pytest.raises(IncidentError) as error:
        lifecycle.incident_assign(incident=incident, actor=outsider, assignee=outsider)
    assert error.value.field == "assignee"


def test_moving_to_another_team_unassigns_a_person_who_is_not_in_it(incident, agent):
    lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
    network = TeamFactory(name="Network")
    updated = lifecycle.incident_assign(incident=incident, actor=agent, team=network)
    assert (updated.assigned_team, updated.assignee) == (network, None)


def test_the_system_assigning_is_not_a_first_response(incident, agent):
    updated = lifecycle.incident_assign(incident=incident, actor=None, assignee=agent)
    assert updated.first_response_at is None


def test_a_public_comment_by_an_agent_is_the_first_response_but_a_work_note_is_not(incident, agent):
    lifecycle.incident_comment(incident=incident, actor=agent, body="Looking at it", public=False)
    assert Incident.objects.get(pk=incident.pk).first_response_at is None
    lifecycle.incident_comment(incident=incident, actor=agent, body="We are on it", public=True)
    assert Incident.objects.get(pk=incident.pk).first_response_at is not None
    assert kinds(incident)[-2:] == [EntryKind.WORK_NOTE, EntryKind.COMMENT]


def test_a_requester_cannot_add_a_work_note(incident, requester):
    with pytest.raises(IncidentError):
        lifecycle.incident_comment(incident=incident, actor=requester, body="secret", public=False)


def test_putting_on_hold_needs_a_reason(incident, agent):
    with pytest.raises(IncidentError) as error:
        lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.ON_HOLD)
    assert error.value.field == "on_hold_reason"


def test_a_callers_comment_while_awaiting_the_caller_resumes_work(incident, agent, requester):
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.ON_HOLD, on_hold_reason=OnHoldReason.AWAITING_CALLER
    )
    lifecycle.incident_comment(incident=incident, actor=requester, body="Here is the screenshot", public=True)
    fresh = Incident.objects.get(pk=incident.pk)
    assert (fresh.state, fresh.on_hold_reason) == (State.IN_PROGRESS, "")
    assert kinds(incident)[-2:] == [EntryKind.COMMENT, EntryKind.STATE_CHANGE]


def test_a_callers_comment_while_awaiting_a_vendor_does_not_resume(incident, agent, requester):
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.ON_HOLD, on_hold_reason=OnHoldReason.AWAITING_VENDOR
    )
    lifecycle.incident_comment(incident=incident, actor=requester, body="Any news?", public=True)
    assert Incident.objects.get(pk=incident.pk).state == State.ON_HOLD


@pytest.mark.parametrize(
    ("code", "notes", "field"), [("", "notes", "resolution_code"), ("fixed", " ", "resolution_notes")]
)
def test_resolving_needs_a_code_and_notes(incident, agent, code, notes, field):
    with pytest.raises(IncidentError) as error:
        lifecycle.incident_transition(
            incident=incident, actor=agent, to_state=State.RESOLVED, resolution_code=code, resolution_notes=notes
        )
    assert error.value.field == field


def test_resolving_a_parent_resolves_its_open_children_with_the_same_resolution(incident, agent, requester):
    child = make_incident(caller=requester)
    done = make_incident(caller=requester)
    lifecycle.incident_link_child(parent=incident, child=child, actor=agent)
    lifecycle.incident_link_child(parent=incident, child=done, actor=agent)
    lifecycle.incident_transition(incident=done, actor=agent, to_state=State.CANCELLED)
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.RESOLVED, **RESOLVE)
    child.refresh_from_db()
    assert (child.state, child.resolution_code, child.resolution_notes) == (
        State.RESOLVED,
        "fixed",
        RESOLVE["resolution_notes"],
    )
    assert Incident.objects.get(pk=done.pk).state == State.CANCELLED


def test_linking_refuses_loops_and_self_links(incident, agent, requester):
    child = make_incident(caller=requester)
    lifecycle.incident_link_child(parent=incident, child=child, actor=agent)
    with pytest.raises(IncidentError):
        lifecycle.incident_link_child(parent=child, child=incident, actor=agent)
    with pytest.raises(IncidentError):
        lifecycle.incident_link_child(parent=incident, child=incident, actor=agent)


def test_reopening_counts_and_clears_the_resolution(incident, agent, requester):
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.RESOLVED, **RESOLVE)
    reopened = lifecycle.incident_reopen(incident=incident, actor=requester, reason="Still jams")
    assert (reopened.state, reopened.reopen_count, reopened.resolved_at) == (State.IN_PROGRESS, 1, None)
    entry = reopened.timeline.order_by("-id").first()
    assert (entry.body, entry.data["reopen"]) == ("Still jams", True)


def test_another_requester_cannot_reopen(incident, agent, other_requester):
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.RESOLVED, **RESOLVE)
    with pytest.raises(IncidentError):
        lifecycle.incident_reopen(incident=incident, actor=other_requester, reason="no")


def test_closed_and_cancelled_incidents_accept_no_change(incident, agent):
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.CANCELLED)
    for change in (
        lambda: lifecycle.incident_comment(incident=incident, actor=agent, body="hi"),
        lambda: lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent),
        lambda: lifecycle.incident_update(incident=incident, actor=agent, changes={"urgency": "high"}),
    ):
        with pytest.raises(IncidentError):
            change()


def test_auto_close_closes_only_incidents_resolved_longer_ago_than_the_window(settings, agent, requester, team):
    settings.INCIDENT_AUTO_CLOSE_DAYS = 3
    now = timezone.now()
    old = make_incident(caller=requester, assigned_team=team)
    recent = make_incident(caller=requester, assigned_team=team)
    lifecycle.incident_transition(
        incident=old, actor=agent, to_state=State.RESOLVED, at=now - timedelta(days=4), **RESOLVE
    )
    lifecycle.incident_transition(
        incident=recent, actor=agent, to_state=State.RESOLVED, at=now - timedelta(days=1), **RESOLVE
    )
    assert lifecycle.incidents_auto_close(now=now) == 1
    assert Incident.objects.get(pk=old.pk).state == State.CLOSED
    assert Incident.objects.get(pk=recent.pk).state == State.RESOLVED
    closing = Incident.objects.get(pk=old.pk).timeline.order_by("-id").first()
    assert closing.actor is None and "automatically" in closing.body


def test_changing_impact_recomputes_priority_and_logs_each_field(incident, agent):
    updated = lifecycle.incident_update(incident=incident, actor=agent, changes={"impact": "high", "urgency": "high"})
    assert updated.priority == 1
    changes = {e.field: (e.old_value, e.new_value) for e in updated.timeline.filter(kind=EntryKind.FIELD_CHANGE)}
    assert changes == {"impact": ("medium", "high"), "urgency": ("medium", "high"), "priority": ("3", "1")}


def test_editing_a_field_that_is_not_editable_is_refused(incident, agent):
    with pytest.raises(IncidentError) as error:
        lifecycle.incident_update(incident=incident, actor=agent, changes={"state": "closed"})
    assert error.value.field == "state"


def test_escalation_goes_to_the_escalation_team_and_raises_the_level(incident, agent):
    second_line = TeamFactory(name="Second line")
    incident.assigned_team.escalation_team = second_line
    incident.assigned_team.save()
    escalated = lifecycle.incident_escalate(incident=incident, actor=agent, reason="Needs a network engineer")
    assert (escalated.assigned_team, escalated.escalation_level) == (second_line, 1)
    entry = escalated.timeline.order_by("-id").first()
    assert (entry.kind, entry.old_value, entry.new_value) == (EntryKind.ESCALATION, "Service Desk", "Second line")


def test_escalating_without_an_escalation_team_says_so(incident, agent):
    with pytest.raises(IncidentError) as error:
        lifecycle.incident_escalate(incident=incident, actor=agent, reason="Help")
    assert "escalation team" in error.value.message


def test_a_major_update_reaches_every_open_child_once(incident, agent, requester):
    lifecycle.incident_update(incident=incident, actor=agent, changes={"is_major": True})
    children = [make_incident(caller=requester) for _ in range(3)]
    for child in children:
        lifecycle.incident_link_child(parent=incident, child=child, actor=agent)
    assert lifecycle.incident_post_major_update(incident=incident, actor=agent, body="Fix deployed at 10:40") == 3
    for child in children:
        assert child.timeline.filter(kind=EntryKind.COMMENT, body="Fix deployed at 10:40").count() == 1


def test_rating_needs_a_resolved_incident_and_the_caller(incident, agent, requester, other_requester):
    with pytest.raises(IncidentError):
        lifecycle.incident_rate(incident=incident, actor=requester, score=5)
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.RESOLVED, **RESOLVE)
    with pytest.raises(IncidentError):
        lifecycle.incident_rate(incident=incident, actor=other_requester, score=5)
    with pytest.raises(IncidentError):
        lifecycle.incident_rate(incident=incident, actor=requester, score=9)
    assert lifecycle.incident_rate(incident=incident, actor=requester, score=4, comment="Quick").score == 4


def test_attachments_over_the_limit_or_of_a_refused_type_are_rejected(settings, incident, agent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(IncidentError) as too_big:
        lifecycle.incident_attach(
            incident=incident, actor=agent, uploaded_file=SimpleUploadedFile("a.txt", b"x" * 11, "text/plain")
        )
    assert too_big.value.code == "too_large"
    with pytest.raises(IncidentError) as bad_type:
        lifecycle.incident_attach(
            incident=incident, actor=agent, uploaded_file=SimpleUploadedFile("a.exe", b"MZ", "application/x-msdownload")
        )
    assert bad_type.value.code == "unsupported_type"
    attachment = lifecycle.incident_attach(
        incident=incident, actor=agent, uploaded_file=SimpleUploadedFile("log.txt", b"ok", "text/plain")
    )
    assert attachment.file.read() == b"ok"
    assert incident.timeline.filter(kind=EntryKind.ATTACHMENT, new_value="log.txt").exists()


def test_watchers_are_added_once_and_logged(incident, agent, other_requester):
    lifecycle.incident_watch(incident=incident, actor=agent, user=other_requester)
    lifecycle.incident_watch(incident=incident, actor=agent, user=other_requester)
    assert list(incident.watchers.all()) == [other_requester]
    assert incident.timeline.filter(kind=EntryKind.WATCHER).count() == 1
