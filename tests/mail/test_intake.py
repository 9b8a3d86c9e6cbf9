"""Inbound mail becomes an incident or a comment; what cannot be used is kept with its reason, never lost."""

from __future__ import annotations

import pytest

from incidents import lifecycle
from incidents.choices import Channel, OnHoldReason, State
from incidents.mail import intake
from incidents.mail.choices import Outcome, RejectReason
from incidents.mail.models import InboundMessage, RejectedMail
from incidents.models import Incident, Notification, User
from tests import factories
from tests.mail.conftest import corpus
from tests.portal.conftest import resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def northwind(db):
    return factories.OrganizationFactory(name="Northwind Traders", email_domain="northwind.example")


@pytest.fixture
def jane(northwind):
    return factories.RequesterFactory(
        username="jane", email="Jane.Doe@northwind.example", first_name="Jane", last_name="Doe", organization=northwind
    )


@pytest.fixture
def janes_incident(jane, team):
    return factories.make_incident(caller=jane, assigned_team=team, short_description="Printer prints blank pages")


def for_incident(raw: bytes, incident: Incident) -> bytes:
    """The corpus refers to INC0001042; point it at a real incident."""
    return raw.replace(b"INC0001042", incident.number.encode()).replace(b"inc0001042", incident.number.lower().encode())


def test_mail_from_a_known_user_opens_an_incident_as_that_caller(jane):
    result = intake.ingest(corpus("01_plain_new_report.eml"))
    incident = result.incident
    assert result.outcome == Outcome.CREATED
    assert incident.caller == jane and incident.channel == Channel.EMAIL
    assert incident.short_description == "Printer on floor 3 prints blank pages"
    assert "replaced the toner" in incident.description
    assert InboundMessage.objects.get().incident == incident


def test_an_unknown_sender_gets_a_requester_account_in_the_organization_of_their_domain(northwind):
    result = intake.ingest(corpus("01_plain_new_report.eml"))
    user = User.objects.get(email="jane.doe@northwind.example")
    assert result.incident.caller == user
    assert user.organization == northwind
    assert (user.first_name, user.last_name) == ("Jane", "Doe")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["requester"]


def test_an_unknown_sender_is_rejected_politely_when_configured(settings, northwind):
    settings.EMAIL_UNKNOWN_SENDERS = "reject"
    result = intake.ingest(corpus("01_plain_new_report.eml"))
    assert result.outcome == Outcome.REJECTED
    assert not Incident.objects.exists() and not User.objects.filter(email__iexact="jane.doe@northwind.example")
    rejected = RejectedMail.objects.get()
    assert rejected.reason == RejectReason.UNKNOWN_SENDER and rejected.replied
    assert bytes(rejected.raw) == corpus("01_plain_new_report.eml")
    reply = Notification.objects.get(kind="mail_rejected")
    assert reply.recipient == "jane.doe@northwind.example"
    assert reply.headers["Auto-Submitted"] == "auto-replied"
    assert reply.headers["In-Reply-To"] == "<20250603095800.4711@northwind.example>"
    assert "not an address we know" in reply.body


@pytest.mark.parametrize(
    "name",
    ["02_outlook_desktop_reply.eml", "03_outlook_web_reply.eml", "23_subject_number_only.eml",
     "24_references_only_new_subject.eml"],
)  # fmt: skip
def test_a_reply_becomes_a_public_comment_without_the_quoted_history(jane, janes_incident, name):
    result = intake.ingest(for_incident(corpus(name), janes_incident))
    assert result.outcome == Outcome.COMMENTED and result.incident == janes_incident
    entry = janes_incident.timeline.get(kind="comment")
    assert entry.is_public and entry.actor == jane
    assert "Please type your reply" not in entry.body and "Original Message" not in entry.body
    assert entry.data["via"] == "email"


def test_a_watcher_may_reply_by_email_and_their_signature_is_dropped(janes_incident, agent):
    kim = factories.RequesterFactory(username="kim", email="kim.novak@northwind.example")
    lifecycle.incident_watch(incident=janes_incident, actor=agent, user=kim)
    result = intake.ingest(for_incident(corpus("29_signature_and_original_message.eml"), janes_incident))
    assert result.outcome == Outcome.COMMENTED
    assert janes_incident.timeline.get(kind="comment").body == "Works for me now."


def test_a_stranger_replying_to_an_incident_number_is_refused(jane, janes_incident):
    result = intake.ingest(for_incident(corpus("29_signature_and_original_message.eml"), janes_incident))
    assert result.outcome == Outcome.REJECTED
    assert RejectedMail.objects.get().reason == RejectReason.NOT_ALLOWED


def test_a_reply_while_awaiting_the_caller_resumes_the_incident(jane, janes_incident, agent):
    lifecycle.incident_transition(
        incident=janes_incident, actor=agent, to_state=State.ON_HOLD, on_hold_reason=OnHoldReason.AWAITING_CALLER
    )
    intake.ingest(for_incident(corpus("24_references_only_new_subject.eml"), janes_incident))
    janes_incident.refresh_from_db()
    assert janes_incident.state == State.IN_PROGRESS


def test_a_reply_to_a_closed_incident_opens_a_new_one_that_refers_to_it(jane, janes_incident, agent):
    resolve(janes_incident, agent)
    lifecycle.incident_transition(incident=janes_incident, actor=agent, to_state=State.CLOSED)
    result = intake.ingest(for_incident(corpus("03_outlook_web_reply.eml"), janes_incident))
    assert result.outcome == Outcome.CREATED and result.incident != janes_incident
    assert f"This follows up {janes_incident.number}" in result.incident.description
    assert "It started again this morning" in result.incident.description
    assert result.incident.short_description == "Printer on floor 3 prints blank pages"
    assert janes_incident.timeline.filter(kind="comment").count() == 0


def test_someone_who_may_not_see_the_incident_cannot_write_on_it(janes_incident, other_requester):
    other_requester.email = "jane.doe@northwind.example"  # a different account than the caller's
    janes_incident.caller.email = "jane.private@northwind.example"
    janes_incident.caller.save()
    other_requester.save()
    result = intake.ingest(for_incident(corpus("24_references_only_new_subject.eml"), janes_incident))
    assert result.outcome == Outcome.REJECTED
    assert RejectedMail.objects.get().reason == RejectReason.NOT_ALLOWED
    assert not janes_incident.timeline.filter(kind="comment").exists()
    assert "only the people following that ticket" in Notification.objects.get(kind="mail_rejected").body


@pytest.mark.parametrize(
    "name",
    ["15_exchange_out_of_office.eml", "16_vacation_x_autoreply.eml", "17_x_autorespond.eml",
     "18_newsletter_precedence_bulk.eml", "19_mailing_list.eml", "20_bounce_mailer_daemon.eml",
     "21_bounce_postmaster.eml", "22_own_address_loop.eml"],
)  # fmt: skip
def test_automatic_mail_is_never_turned_into_incidents_nor_answered(jane, janes_incident, name):
    result = intake.ingest(for_incident(corpus(name), janes_incident))
    assert result.outcome == Outcome.IGNORED
    assert Incident.objects.count() == 1
    assert not janes_incident.timeline.filter(kind="comment").exists()
    assert not Notification.objects.filter(kind="mail_rejected").exists()
    assert InboundMessage.objects.get().outcome == Outcome.IGNORED


def test_the_same_message_is_processed_once(jane):
    first = intake.ingest(corpus("01_plain_new_report.eml"))
    second = intake.ingest(corpus("01_plain_new_report.eml"))
    assert (first.outcome, second.outcome) == (Outcome.CREATED, "duplicate")
    assert Incident.objects.count() == 1


def test_a_message_without_message_id_is_still_processed_once(jane):
    intake.ingest(corpus("26_no_message_id.eml"))
    assert intake.ingest(corpus("26_no_message_id.eml")).outcome == "duplicate"
    assert Incident.objects.count() == 1


def test_files_are_attached_and_oversized_ones_skipped_with_a_note(jane, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    incident = intake.ingest(corpus("13_oversize_attachment.eml")).incident
    assert [a.filename for a in incident.attachments.all()] == ["shot.png"]
    assert "The file logs.zip was not saved" in incident.description


def test_files_of_refused_types_are_skipped_with_a_note(jane):
    incident = intake.ingest(corpus("14_unsupported_attachment.eml")).incident
    assert not incident.attachments.exists()
    assert "files of type application/x-msdownload are not accepted" in incident.description


def test_inline_images_and_encoded_file_names_are_saved(jane):
    factories.RequesterFactory(username="rene", email="rene.dubois@contoso.example")
    factories.RequesterFactory(username="lee", email="lee.park@contoso.example")
    first = intake.ingest(corpus("25_rfc2231_filename.eml")).incident
    second = intake.ingest(corpus("12_inline_image_related.eml")).incident
    assert first.attachments.get().filename == "capture d’écran.png"
    assert second.attachments.get().content_type == "image/png"


def test_files_on_a_reply_are_attached_to_the_comment(jane, janes_incident):
    raw = corpus("11_pdf_attachment.eml").replace(
        b"Subject: Invoice", f"Subject: Re: [{janes_incident.number}] Invoice".encode()
    )
    result = intake.ingest(raw)
    attachment = janes_incident.attachments.get()
    assert result.outcome == Outcome.COMMENTED
    assert attachment.entry == janes_incident.timeline.get(kind="comment")


def test_known_people_in_copy_follow_the_new_incident(jane):
    kim = factories.RequesterFactory(username="kim", email="kim@northwind.example")
    raw = corpus("01_plain_new_report.eml").replace(
        b"To: Service Desk", b"Cc: Kim <kim@northwind.example>\r\nTo: Service Desk"
    )
    incident = intake.ingest(raw).incident
    assert list(incident.watchers.all()) == [kim]


def test_a_reply_with_nothing_new_is_kept_as_rejected(jane, janes_incident):
    raw = for_incident(corpus("24_references_only_new_subject.eml"), janes_incident).replace(
        b"The model is HP LaserJet M404.", b"> quoted only"
    )
    result = intake.ingest(raw)
    assert result.outcome == Outcome.REJECTED
    assert RejectedMail.objects.get().reason == RejectReason.EMPTY


def test_a_disabled_account_is_answered_politely(jane):
    jane.is_active = False
    jane.save()
    intake.ingest(corpus("01_plain_new_report.eml"))
    assert RejectedMail.objects.get().reason == RejectReason.INACTIVE_SENDER
    assert Notification.objects.filter(kind="mail_rejected").count() == 1


def test_an_agent_replying_by_email_writes_to_the_caller(janes_incident, agent):
    agent.email = "jane.doe@northwind.example"  # the agent is the sender of the corpus reply
    agent.save()
    janes_incident.caller.email = "jane.private@northwind.example"
    janes_incident.caller.save()
    intake.ingest(for_incident(corpus("24_references_only_new_subject.eml"), janes_incident))
    entry = janes_incident.timeline.get(kind="comment")
    assert entry.actor == agent and entry.is_public
    assert Notification.objects.filter(kind="comment", recipient="jane.private@northwind.example").exists()


def test_an_unexpected_failure_is_kept_with_its_reason_and_never_retried(jane, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake.lifecycle, "incident_create", broken)
    result = intake.ingest(corpus("01_plain_new_report.eml"))
    assert result.outcome == Outcome.REJECTED
    rejected = RejectedMail.objects.get()
    assert rejected.reason == RejectReason.ERROR and "disk full" in rejected.detail
    assert bytes(rejected.raw) == corpus("01_plain_new_report.eml")
    assert intake.ingest(corpus("01_plain_new_report.eml")).outcome == "duplicate"


def test_garbage_is_kept_as_unparseable(db):
    result = intake.ingest(b"\r\n\r\nno headers at all")
    assert result.outcome == Outcome.REJECTED
    assert RejectedMail.objects.get().reason == RejectReason.UNPARSEABLE


def test_a_message_over_the_size_limit_is_kept_unprocessed(jane, settings):
    settings.EMAIL_INBOUND_MAX_BYTES = 100
    result = intake.ingest(corpus("01_plain_new_report.eml"))
    rejected = RejectedMail.objects.get()
    assert result.outcome == Outcome.REJECTED and rejected.reason == RejectReason.TOO_LARGE
    assert rejected.sender == "jane.doe@northwind.example"
    assert InboundMessage.objects.get().message_id == "<20250603095800.4711@northwind.example>"


def test_a_flood_from_one_sender_is_treated_as_a_mail_loop(jane, settings):
    settings.EMAIL_LOOP_MAX_PER_HOUR = 2
    outcomes = [
        intake.ingest(corpus("01_plain_new_report.eml").replace(b"4711@", f"{n}@".encode())).outcome for n in range(3)
    ]
    assert outcomes == [Outcome.CREATED, Outcome.CREATED, Outcome.IGNORED]


def test_a_rejected_message_can_be_processed_again_after_fixing_the_cause(settings, northwind):
    settings.EMAIL_UNKNOWN_SENDERS = "reject"
    intake.ingest(corpus("01_plain_new_report.eml"))
    factories.RequesterFactory(username="jane", email="jane.doe@northwind.example")
    result = intake.reprocess(RejectedMail.objects.get())
    assert result.outcome == Outcome.CREATED
    assert not RejectedMail.objects.exists()


def test_rejected_mail_is_visible_in_the_admin(client, admin_user, settings):
    settings.EMAIL_UNKNOWN_SENDERS = "reject"
    intake.ingest(corpus("08_iso_8859_2_polish.eml"))
    rejected = RejectedMail.objects.get()
    client.force_login(admin_user)
    listing = client.get("/admin/mail/rejectedmail/")
    assert listing.status_code == 200 and "Nie mogę się zalogować" in listing.content.decode()
    page = client.get(f"/admin/mail/rejectedmail/{rejected.pk}/change/")
    assert page.status_code == 200 and "Content-Transfer-Encoding: quoted-printable" in page.content.decode()
    raw = client.get(f"/admin/mail/rejectedmail/{rejected.pk}/raw/")
    assert raw.content == corpus("08_iso_8859_2_polish.eml")
