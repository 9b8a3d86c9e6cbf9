"""The whole loop: a notification goes out, the person replies from their mail client, the reply lands as a comment."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

import pytest
from django.core import mail

from incidents import lifecycle
from incidents.mail import intake
from incidents.mail.choices import Outcome
from tests import factories

pytestmark = pytest.mark.django_db


def _reply_to(sent, *, body: str, in_reply_to: str, references: str | None, subject: str | None = None) -> bytes:
    """A reply as a mail client builds it from the message it received."""
    original = sent.message()
    reply = EmailMessage()
    reply["From"] = f"Robin <{sent.to[0]}>"
    reply["To"] = original["From"]
    reply["Subject"] = subject if subject is not None else f"Re: {original['Subject']}"
    reply["Date"] = formatdate()
    reply["Message-ID"] = "<reply-1@client.example>"
    reply["In-Reply-To"] = in_reply_to
    if references:
        reply["References"] = references
    quoted = "\n".join(f"> {line}" for line in sent.body.splitlines())
    reply.set_content(f"{body}\n\nOn Tue, 3 Jun 2025 at 10:12, Service Desk wrote:\n{quoted}\n")
    return reply.as_bytes()


def _deliver(django_capture_on_commit_callbacks, **kwargs):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return factories.make_incident(**kwargs)


def test_a_reply_to_a_notification_comes_back_as_a_comment_on_the_right_incident(
    requester, team, agent, django_capture_on_commit_callbacks
):
    # given two incidents of the same requester, and the notification of the second one delivered by the outbox
    factories.make_incident(caller=requester, assigned_team=team, short_description="Other problem")
    incident = _deliver(django_capture_on_commit_callbacks, caller=requester, assigned_team=team)
    sent = next(m for m in mail.outbox if m.to == [requester.email])
    headers = sent.message()
    assert "##- Please type your reply above this line -##" in sent.body
    assert headers["References"] == f"<{incident.number.lower()}@acme.example>"
    # when the requester answers it
    raw = _reply_to(
        sent,
        body="It is the one by the window.",
        in_reply_to=headers["Message-ID"],
        references=headers["References"] + " " + headers["Message-ID"],
    )
    result = intake.ingest(raw)
    # then the answer, without the quoted notification, is a public comment on that incident
    assert result.outcome == Outcome.COMMENTED and result.incident == incident
    entry = incident.timeline.get(kind="comment")
    assert entry.body == "It is the one by the window." and entry.actor == requester and entry.is_public


def test_the_notifications_message_id_alone_finds_the_incident(requester, team, django_capture_on_commit_callbacks):
    incident = _deliver(django_capture_on_commit_callbacks, caller=requester, assigned_team=team)
    sent = next(m for m in mail.outbox if m.to == [requester.email])
    raw = _reply_to(
        sent, body="More details.", in_reply_to=sent.message()["Message-ID"], references=None, subject="details"
    )
    assert intake.ingest(raw).incident == incident


def test_the_agent_is_told_about_the_reply(requester, team, agent, django_capture_on_commit_callbacks):
    incident = _deliver(django_capture_on_commit_callbacks, caller=requester, assigned_team=team)
    lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
    sent = next(m for m in mail.outbox if m.to == [requester.email])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intake.ingest(_reply_to(sent, body="Ping", in_reply_to=sent.message()["Message-ID"], references=None))
    told = [m for m in mail.outbox if m.to == [agent.email]]
    assert len(told) == 1 and "Ping" in told[0].body
