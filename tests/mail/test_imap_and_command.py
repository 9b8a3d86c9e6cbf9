"""The IMAP poller (against an in-memory IMAP server double) and the ingest_email command for a mail server's pipe."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from incidents.mail import imap, intake
from incidents.mail.models import InboundMessage
from incidents.mail.tasks import poll_imap
from incidents.models import Incident
from tests.mail.conftest import corpus

pytestmark = pytest.mark.django_db


class FakeMailbox:
    """Just enough of imaplib.IMAP4 over an in-memory folder: UID SEARCH/FETCH/STORE/COPY/MOVE, EXPUNGE."""

    def __init__(self, messages: list[bytes], *, can_move: bool = True):
        self.folders: dict[str, dict[int, dict]] = {"INBOX": {}, "Processed": {}}
        for uid, raw in enumerate(messages, start=1):
            self.folders["INBOX"][uid] = {"raw": raw, "flags": set()}
        self.capabilities = ("IMAP4REV1", "MOVE") if can_move else ("IMAP4REV1",)
        self.selected = None
        self.logged_out = False
        self.fail_fetch: set[int] = set()

    def select(self, folder):
        self.selected = folder.strip('"')
        return "OK", [str(len(self.folders[self.selected])).encode()]

    def uid(self, command, *args):
        box = self.folders[self.selected]
        if command == "SEARCH":
            criteria = args[1]
            uids = [
                u for u, m in box.items()
                if "\\Deleted" not in m["flags"] and ("UNSEEN" not in criteria or "\\Seen" not in m["flags"])
            ]  # fmt: skip
            return "OK", [b" ".join(str(u).encode() for u in uids)]
        uid = int(args[0])
        if command == "FETCH":
            if uid in self.fail_fetch:
                return "NO", [b"server error"]
            return "OK", [(f"{uid} (UID {uid} BODY[] {{n}}".encode(), box[uid]["raw"]), b")"]
        if command == "STORE":
            box[uid]["flags"].add(args[2].strip("()"))
            return "OK", [b""]
        if command in ("COPY", "MOVE"):
            target = args[1].strip('"')
            self.folders[target][len(self.folders[target]) + 1] = {"raw": box[uid]["raw"], "flags": set()}
            if command == "MOVE":
                del box[uid]
            return "OK", [b""]
        raise AssertionError(command)

    def expunge(self):
        box = self.folders[self.selected]
        for uid in [u for u, m in box.items() if "\\Deleted" in m["flags"]]:
            del box[uid]
        return "OK", [b""]

    def logout(self):
        self.logged_out = True
        return "BYE", [b""]


@pytest.fixture
def mailbox(settings, monkeypatch, requester):
    settings.IMAP_HOST = "imap.acme.example"
    settings.IMAP_PROCESSED_FOLDER = "Processed"
    box = FakeMailbox([corpus("01_plain_new_report.eml"), corpus("15_exchange_out_of_office.eml")])
    monkeypatch.setattr(imap, "connect", lambda: box)
    return box


def test_polling_ingests_new_mail_and_moves_it_to_the_processed_folder(mailbox):
    result = imap.poll()
    assert result.fetched == 2 and result.outcomes == {"created": 1, "ignored": 1}
    assert mailbox.folders["INBOX"] == {} and len(mailbox.folders["Processed"]) == 2
    assert mailbox.logged_out
    assert imap.poll().fetched == 0


def test_without_move_support_mail_is_copied_flagged_deleted_and_expunged(mailbox):
    mailbox.capabilities = ("IMAP4REV1",)
    imap.poll()
    assert mailbox.folders["INBOX"] == {} and len(mailbox.folders["Processed"]) == 2


def test_without_a_processed_folder_mail_is_flagged_seen_and_left_alone_after(mailbox, settings):
    settings.IMAP_PROCESSED_FOLDER = ""
    imap.poll()
    assert all("\\Seen" in m["flags"] for m in mailbox.folders["INBOX"].values())
    assert imap.poll().fetched == 0


def test_mail_processed_before_a_crash_is_not_processed_again(mailbox):
    # given the first message was ingested but the poller died before moving it
    intake.ingest(corpus("01_plain_new_report.eml"))
    # when the next poll finds it again
    result = imap.poll()
    # then it is recognised, moved, and registered only once
    assert result.outcomes["duplicate"] == 1
    assert Incident.objects.count() == 1
    assert mailbox.folders["INBOX"] == {}


def test_a_message_that_cannot_be_fetched_stays_for_the_next_poll(mailbox):
    mailbox.fail_fetch = {1}
    imap.poll()
    assert list(mailbox.folders["INBOX"]) == [1]


def test_the_celery_task_polls_and_reports_counts(mailbox):
    assert poll_imap.delay().get() == {"fetched": 2, "created": 1, "ignored": 1}
    assert InboundMessage.objects.count() == 2


def test_no_imap_host_means_no_polling(settings):
    settings.IMAP_HOST = ""
    assert imap.poll().skipped


def test_ingest_email_reads_a_file(tmp_path, requester):
    path = tmp_path / "message.eml"
    path.write_bytes(corpus("01_plain_new_report.eml"))
    out = io.StringIO()
    call_command("ingest_email", str(path), stdout=out)
    incident = Incident.objects.get()
    assert out.getvalue().strip() == f"created {incident.number}"


def test_ingest_email_reads_standard_input(monkeypatch, requester):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(corpus("10_utf8_base64_emoji.eml"))))
    out = io.StringIO()
    call_command("ingest_email", stdout=out)
    assert Incident.objects.get().short_description == "Laptop won’t charge 🔋"


def test_ingest_email_refuses_empty_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(CommandError, match="No message given"):
        call_command("ingest_email")


def test_ingest_email_asks_the_mail_server_to_retry_when_the_database_is_down(tmp_path, monkeypatch):
    path = tmp_path / "m.eml"
    path.write_bytes(corpus("01_plain_new_report.eml"))

    def down(raw, source):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(intake, "ingest", down)
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest_email", str(path), stderr=io.StringIO())
    assert exit_info.value.code == 75
