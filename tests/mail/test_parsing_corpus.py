"""The parser against a corpus of real-world-shaped messages (tests/mail/corpus/, expectations in expected.json)."""

from __future__ import annotations

import pytest

from incidents.mail.autodetect import automatic_reason
from incidents.mail.parsing import parse
from incidents.mail.quotes import strip_reply
from tests.mail.conftest import CORPUS, EXPECTED, OUR_ADDRESS, corpus

NAMES = sorted(EXPECTED)


def test_the_corpus_has_at_least_25_messages_each_with_expectations():
    files = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert len(files) >= 25
    assert files == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_message_parses_as_expected(name):
    expected = EXPECTED[name]
    # when the raw message is parsed
    mail = parse(corpus(name))
    # then sender, subject, text, threading and files are what a person sees in their mail client
    assert mail.from_address == expected["from"]
    if "from_name" in expected:
        assert mail.from_name == expected["from_name"]
    if "subject" in expected:
        assert mail.subject == expected["subject"]
    for fragment in expected.get("text_contains", []):
        assert fragment in mail.text
    for fragment in expected.get("text_not_contains", []):
        assert fragment not in mail.text
    if "reply" in expected:
        assert strip_reply(mail.text) == expected["reply"]
    if "thread_ids" in expected:
        assert mail.thread_ids == expected["thread_ids"]
    if "from_html" in expected:
        assert mail.from_html is expected["from_html"]
    assert mail.has_message_id is expected.get("has_message_id", True)
    if expected.get("attachments") is not None:
        found = [(a.filename, a.content_type, a.size) for a in mail.attachments]
        wanted = [
            (n, t, s if s is not None else found[i][2] if i < len(found) else None)
            for i, (n, t, s) in enumerate(expected["attachments"])
        ]
        assert found == wanted
    assert "\ufffd" not in mail.text


@pytest.mark.parametrize("name", NAMES)
def test_automatic_mail_is_recognised_and_mail_written_by_people_is_not(name):
    expected = EXPECTED[name]
    reason = automatic_reason(parse(corpus(name)), own_addresses={OUR_ADDRESS})
    if expected.get("auto"):
        assert reason is not None and expected["auto"].lower() in reason.lower()
    else:
        assert reason is None


def test_a_message_without_message_id_gets_a_stable_stand_in():
    first = parse(corpus("26_no_message_id.eml")).message_id
    assert first == parse(corpus("26_no_message_id.eml")).message_id
    assert first.startswith("<sha256-") and first.endswith("@no-message-id>")


def test_inline_images_are_kept_as_attachments():
    mail = parse(corpus("12_inline_image_related.eml"))
    assert [a.inline for a in mail.attachments] == [True]


def test_a_forwarded_message_is_kept_whole_as_an_eml_attachment():
    (attachment,) = parse(corpus("28_forwarded_as_attachment.eml")).attachments
    assert b"Disk C: is 97% full." in attachment.data
    assert b"Subject: Disk almost full" in attachment.data


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"\r\n\r\njust a body"])
def test_empty_or_headerless_input_is_refused(raw):
    with pytest.raises(ValueError):
        parse(raw)
