"""The transactional outbox: one row per cause, no duplicates on retry, failures retried, nothing lost."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from incidents import lifecycle, outbox
from incidents.choices import NotificationStatus, ResolutionCode, State
from incidents.models import Notification

pytestmark = pytest.mark.django_db


def test_registration_writes_one_email_to_the_caller_and_sends_it_after_commit(
    requester, team, django_capture_on_commit_callbacks
):
    from tests.factories import make_incident

    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(caller=requester, assigned_team=team)
    rows = Notification.objects.filter(incident=incident, kind="created")
    assert [r.recipient for r in rows] == [requester.email]
    assert rows.get().status == NotificationStatus.SENT
    sent = [m for m in mail.outbox if m.to == [requester.email]]
    assert len(sent) == 1 and incident.number in sent[0].subject
    assert sent[0].extra_headers["References"] == f"<{incident.number.lower()}@itsm.local>"


def test_the_same_cause_cannot_be_written_twice(incident, requester):
    entry = incident.timeline.get()
    key = f"created:{entry.pk}:{requester.email}"
    assert Notification.objects.filter(key=key).count() == 1
    assert outbox.enqueue(key=key, kind="created", recipient=requester.email) is None
    assert Notification.objects.filter(key=key).count() == 1


def test_delivering_twice_sends_once(incident, requester):
    row = Notification.objects.get(incident=incident, kind="created")
    mail.outbox.clear()
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.PENDING)
    assert outbox.deliver(row.pk) is True
    assert outbox.deliver(row.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_retried_with_backoff_by_the_sweep(incident, requester, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 30
    row = Notification.objects.get(incident=incident, kind="created")
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.PENDING)
    with mock.patch("incidents.outbox.send_email", side_effect=ConnectionRefusedError("smtp down")):
        assert outbox.deliver(row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert "smtp down" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=25)
    # the sweep leaves it alone until it is due, then delivers it
    assert outbox.sweep() == 0
    assert outbox.sweep(now=row.next_attempt_at + timedelta(seconds=1)) >= 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert list(row.attempt_log.values_list("success", flat=True)) == [False, True]


def test_a_notification_is_given_up_after_the_maximum_attempts(incident, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = Notification.objects.get(incident=incident, kind="created")
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.PENDING)
    with mock.patch("incidents.outbox.send_email", side_effect=OSError("nope")):
        outbox.deliver(row.pk)
        outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == NotificationStatus.DEAD


def test_nothing_is_lost_when_the_broker_is_down_at_commit_time(requester, team, django_capture_on_commit_callbacks):
    from tests.factories import make_incident

    broker_down = mock.patch("incidents.tasks.deliver_notification.delay", side_effect=ConnectionError("redis down"))
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(caller=requester, assigned_team=team)
    row = Notification.objects.get(incident=incident, kind="created")
    assert row.status == NotificationStatus.PENDING
    assert outbox.sweep(now=timezone.now() + timedelta(minutes=1)) >= 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT


def test_resolution_tells_the_caller_and_a_comment_by_the_caller_tells_the_assignee(incident, agent, requester):
    lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
    lifecycle.incident_comment(incident=incident, actor=requester, body="Any news?")
    assert Notification.objects.filter(incident=incident, kind="caller_replied", recipient=agent.email).exists()
    lifecycle.incident_transition(
        incident=incident,
        actor=agent,
        to_state=State.RESOLVED,
        resolution_code=ResolutionCode.FIXED,
        resolution_notes="Done",
    )
    assert Notification.objects.filter(incident=incident, kind="resolved", recipient=requester.email).exists()


def test_a_mention_in_a_work_note_notifies_the_agent_mentioned(incident, agent):
    from tests.factories import AgentFactory

    peer = AgentFactory(username="grace.kim")
    lifecycle.incident_comment(
        incident=incident, actor=agent, body="@grace.kim can you check the firewall?", public=False
    )
    assert Notification.objects.filter(kind="work_note_mention", recipient=peer.email).count() == 1


def test_nothing_is_queued_while_suppressed(requester, team):
    from tests.factories import make_incident

    with outbox.suppressed():
        incident = make_incident(caller=requester, assigned_team=team)
    assert not Notification.objects.filter(incident=incident).exists()
