"""Polling an IMAP mailbox: each message is fetched, ingested, then moved to the processed folder (or flagged).

A message is never processed twice: ingestion deduplicates by Message-ID, so a crash between ingesting and moving
only means the next poll finds it again, skips it as a duplicate and moves it then.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from incidents.mail import intake
from incidents.mail.choices import Source

log = logging.getLogger(__name__)
# One poller at a time across all workers: a Postgres advisory lock, released when the poll ends.
LOCK_KEY = 0x6D61696C  # "mail"


@dataclass
class PollResult:
    """What one poll did."""

    fetched: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    skipped: bool = False

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def connect() -> imaplib.IMAP4:
    """A logged-in IMAP connection from the settings (tests replace this function)."""
    if settings.IMAP_USE_SSL:
        conn = imaplib.IMAP4_SSL(settings.IMAP_HOST, settings.IMAP_PORT, timeout=settings.IMAP_TIMEOUT)
    else:
        conn = imaplib.IMAP4(settings.IMAP_HOST, settings.IMAP_PORT, timeout=settings.IMAP_TIMEOUT)
    conn.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
    return conn


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(typ: str, data, what: str) -> None:
    if typ != "OK":
        raise imaplib.IMAP4.error(f"IMAP {what} failed: {data!r}")


def _message_bytes(data) -> bytes | None:
    for item in data or []:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes | bytearray):
            return bytes(item[1])
    return None


def _capabilities(conn) -> set[str]:
    return {str(c.decode() if isinstance(c, bytes) else c).upper() for c in getattr(conn, "capabilities", ())}


def _mark_done(conn, uid: bytes, *, can_move: bool) -> bool:
    """Moves the message out of the inbox (MOVE, or COPY + \\Deleted), or flags it \\Seen; True if it needs EXPUNGE."""
    folder = settings.IMAP_PROCESSED_FOLDER
    if not folder:
        _check(*conn.uid("STORE", uid, "+FLAGS", "(\\Seen)"), "STORE")
        return False
    if can_move:
        _check(*conn.uid("MOVE", uid, _quote(folder)), "MOVE")
        return False
    _check(*conn.uid("COPY", uid, _quote(folder)), "COPY")
    _check(*conn.uid("STORE", uid, "+FLAGS", "(\\Deleted)"), "STORE")
    return True


def poll(*, batch_size: int | None = None) -> PollResult:
    """Fetches up to `batch_size` new messages and ingests each one."""
    result = PollResult()
    if not settings.IMAP_HOST:
        result.skipped = True
        return result
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            result.skipped = True
            return result
    try:
        _poll(result, batch_size or settings.IMAP_BATCH_SIZE)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    return result


def _poll(result: PollResult, batch_size: int) -> None:
    conn = connect()
    try:
        _check(*conn.select(_quote(settings.IMAP_FOLDER)), "SELECT")
        # Moved mail leaves the folder; without a processed folder the \Seen flag marks what was done.
        criteria = "UNDELETED" if settings.IMAP_PROCESSED_FOLDER else "UNSEEN UNDELETED"
        typ, data = conn.uid("SEARCH", None, criteria)
        _check(typ, data, "SEARCH")
        uids = (data[0] or b"").split()[:batch_size] if data else []
        can_move = "MOVE" in _capabilities(conn)
        needs_expunge = False
        for uid in uids:
            # BODY.PEEK leaves \Seen alone until the message is really processed.
            typ, fetched = conn.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = _message_bytes(fetched) if typ == "OK" else None
            if raw is None:
                log.warning("mail: could not fetch message", extra={"uid": uid.decode(errors="replace")})
                continue
            result.fetched += 1
            outcome = intake.ingest(raw, source=Source.IMAP)
            result.count(outcome.outcome)
            needs_expunge |= _mark_done(conn, uid, can_move=can_move)
        if needs_expunge:
            conn.expunge()
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            conn.logout()
