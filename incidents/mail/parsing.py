"""Reading one RFC 822 message into what the intake needs: who, what, which thread, the text, the files.

Built on the standard library's email package with policy=default (decoded headers, RFC 2231 file names), with
fallbacks for the mail found in the wild: unknown or wrong charsets, HTML-only bodies, malformed headers.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from incidents.mail.htmltext import html_to_text

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
CHARSET_ALIASES = {
    "iso-8859-8-i": "iso-8859-8",
    "x-unknown": "utf-8",
    "unknown-8bit": "utf-8",
    "ks_c_5601-1987": "cp949",
}
INTERESTING_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "x-autoreply-from",
    "x-mail-autoreply",
    "precedence",
    "x-precedence",
    "return-path",
    "x-failed-recipients",
    "x-loop",
    "list-id",
    "x-auto-response-suppress",
)


@dataclass
class MailAttachment:
    """A file carried by the message (attached, or an inline image)."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class ParsedMail:
    """The parts of a message the intake uses."""

    message_id: str
    has_message_id: bool
    subject: str
    from_address: str
    from_name: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    date: datetime | None = None
    content_type: str = "text/plain"
    text: str = ""
    from_html: bool = False
    attachments: list[MailAttachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, nearest first."""
        seen: list[str] = []
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            if mid not in seen:
                seen.append(mid)
        return seen


def _raw_header(msg: EmailMessage, name: str) -> str:
    """A header's value even when the policy cannot parse it (decoded by hand, never raising)."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            try:
                return str(make_header(decode_header(str(value))))
            except Exception:  # noqa: BLE001 - whatever is wrong with it, the raw text is better than nothing
                return str(value)
    return ""


def header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - malformed headers must not lose the message
        return _raw_header(msg, name).strip()
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _addresses(msg: EmailMessage, name: str) -> list[tuple[str, str]]:
    try:
        value = msg.get(name)
        if value is not None and hasattr(value, "addresses"):
            return [(a.display_name or "", (a.addr_spec or "").strip().lower()) for a in value.addresses if a.addr_spec]
    except Exception:  # noqa: BLE001
        pass
    raw = _raw_header(msg, name)
    return [(n, a.strip().lower()) for n, a in getaddresses([raw]) if "@" in a]


def message_ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value or "")


def synthetic_message_id(raw: bytes) -> str:
    """A stable stand-in for a message without a Message-ID, so re-deliveries of it are still recognised."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Bytes to text: the declared charset if it works, else UTF-8, else Windows-1252 (which never fails)."""
    candidates = []
    if charset:
        charset = charset.strip().strip('"').lower()
        candidates.append(CHARSET_ALIASES.get(charset, charset))
    candidates += ["utf-8", "cp1252"]
    for candidate in candidates:
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def part_text(part: EmailMessage) -> str:
    """A text part's content, surviving unknown or wrong charsets."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        text = None
    if not isinstance(text, str):
        text = decode_bytes(payload, charset)
    elif "\ufffd" in text:
        # The declared charset was wrong (commonly us-ascii or none on UTF-8 text): decode again.
        text = decode_bytes(payload, None if (charset or "us-ascii") in ("us-ascii", "ascii") else charset)
        if "\ufffd" in text:
            text = decode_bytes(payload, None)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _leaves(part: EmailMessage):
    """Every non-multipart part, without descending into attached messages (those are attachments themselves)."""
    if part.get_content_maintype() == "multipart":
        for child in part.iter_parts():
            yield from _leaves(child)
    else:
        yield part


def _safe_filename(name: str) -> str:
    name = re.sub(r"[\x00-\x1f\x7f]", "", name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().strip(".")
    return name[:200]


def _attachment(part: EmailMessage, index: int) -> MailAttachment:
    content_type = part.get_content_type()
    try:
        filename = part.get_filename() or ""
    except Exception:  # noqa: BLE001
        filename = ""
    filename = _safe_filename(filename)
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        data = inner.as_bytes() if hasattr(inner, "as_bytes") else str(inner).encode()
        filename = filename or f"message-{index}.eml"
    else:
        data = part.get_payload(decode=True) or b""
    if content_type == "application/octet-stream" and filename:
        content_type = mimetypes.guess_type(filename)[0] or content_type
    if not filename:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        stem = "image" if content_type.startswith("image/") else "attachment"
        filename = f"{stem}-{index}{extension}"
    inline = part.get_content_disposition() == "inline" or bool(part.get("Content-ID"))
    return MailAttachment(filename=filename, content_type=content_type, data=data, inline=inline)


def _is_body_candidate(part: EmailMessage) -> bool:
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and part.get_content_disposition() != "attachment"
        and not part.get_filename()
    )


def _body(msg: EmailMessage) -> tuple[str, bool, set[int]]:
    """The message's text (HTML turned to text when there is no plain text) and the ids of the parts used."""
    try:
        plain = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
    except Exception:  # noqa: BLE001
        plain = html = None
    used = {id(p) for p in (plain, html) if p is not None}
    text, from_html = "", False
    if plain is not None:
        pieces = [plain]
        if msg.get_content_type() == "multipart/mixed" and any(p is plain for p in msg.iter_parts()):
            # Apple Mail splits a body around inline pictures into several text parts: keep them all, in order.
            pieces = [
                p
                for p in msg.iter_parts()
                if p is plain or (p.get_content_type() == "text/plain" and _is_body_candidate(p))
            ]
            used |= {id(p) for p in pieces}
        text = "\n".join(part_text(p).strip("\n") for p in pieces)
    if not text.strip() and html is not None:
        text, from_html = html_to_text(part_text(html)), True
    if not text.strip() and msg.get_content_maintype() == "text" and plain is None and html is None:
        text = part_text(msg)
        used.add(id(msg))
    return text, from_html, used


def parse(raw: bytes) -> ParsedMail:
    """Parses one message; never raises for odd content, only when the bytes are not a message at all."""
    if not raw or not raw.strip():
        raise ValueError("The message is empty.")
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    if not list(msg):
        raise ValueError("The message has no headers.")
    ids = message_ids(header(msg, "Message-ID"))
    senders = _addresses(msg, "From")
    from_name, from_address = senders[0] if senders else ("", "")
    if not from_address:
        from_name, from_address = parseaddr(_raw_header(msg, "From"))
        from_address = from_address.lower() if "@" in from_address else ""
    try:
        date = parsedate_to_datetime(header(msg, "Date")) if header(msg, "Date") else None
    except (TypeError, ValueError, IndexError):
        date = None
    text, from_html, used = _body(msg)
    present = {key.lower() for key in msg}
    attachments = []
    for index, part in enumerate(_leaves(msg), start=1):
        if id(part) in used or (_is_body_candidate(part) and part is not msg):
            continue
        if part is msg:
            continue
        attachments.append(_attachment(part, index))
    return ParsedMail(
        message_id=ids[0] if ids else synthetic_message_id(raw),
        has_message_id=bool(ids),
        subject=header(msg, "Subject"),
        from_address=from_address,
        from_name=(from_name or "").strip().strip('"'),
        to=[a for _n, a in _addresses(msg, "To")],
        cc=[a for _n, a in _addresses(msg, "Cc")],
        in_reply_to=message_ids(header(msg, "In-Reply-To")),
        references=message_ids(header(msg, "References")),
        date=date,
        content_type=msg.get_content_type(),
        text=text.strip("\n"),
        from_html=from_html,
        attachments=attachments,
        headers={name: header(msg, name) for name in INTERESTING_HEADERS if name in present},
    )
