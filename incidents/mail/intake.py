"""Inbound mail becomes an incident or a comment; what cannot be used is kept with its reason, never lost.

One message is processed at most once: its Message-ID is claimed in InboundMessage (unique) in the same transaction
as the incident or comment it produces, so a crash rolls both back and a re-delivery is processed again, while a
message processed before is recognised and skipped. A message that fails is recorded as rejected (with the raw
message) in a transaction of its own, so it is never retried automatically.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.parser import BytesHeaderParser

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from incidents import lifecycle
from incidents.choices import FINAL_STATES, Channel
from incidents.errors import IncidentError
from incidents.mail import matching, replies, senders
from incidents.mail.autodetect import automatic_reason
from incidents.mail.choices import Outcome, RejectReason, Source
from incidents.mail.models import InboundMessage, RejectedMail
from incidents.mail.parsing import MailAttachment, ParsedMail, header, message_ids, parse, synthetic_message_id
from incidents.mail.quotes import strip_reply
from incidents.models import Incident, User
from incidents.permissions import can_comment

log = logging.getLogger(__name__)
MAX_ATTACHMENTS = 20


@dataclass
class IngestResult:
    """What became of one message."""

    outcome: str  # created | commented | ignored | rejected | duplicate
    reason: str = ""
    incident: Incident | None = None
    inbound_id: int | None = None

    def __str__(self) -> str:
        if self.incident is not None:
            return f"{self.outcome} {self.incident.number}"
        return f"{self.outcome}: {self.reason}" if self.reason else self.outcome


# --- entry point -------------------------------------------------------------------------------------------------


def ingest(raw: bytes, *, source: str = Source.PIPE) -> IngestResult:
    """Processes one RFC 822 message; never raises for bad mail (it is recorded as rejected instead)."""
    if len(raw) > settings.EMAIL_INBOUND_MAX_BYTES:
        return _record_failure(
            raw,
            source,
            _headers_only(raw),
            RejectReason.TOO_LARGE,
            f"The message is {filesizeformat(len(raw))}; at most {filesizeformat(settings.EMAIL_INBOUND_MAX_BYTES)}.",
        )
    try:
        mail = parse(raw)
    except Exception as exc:  # noqa: BLE001 - whatever broke the parser, the message is kept
        return _record_failure(
            raw, source, _headers_only(raw), RejectReason.UNPARSEABLE, f"{type(exc).__name__}: {exc}"
        )
    try:
        with transaction.atomic():
            inbound, created = _claim(mail, raw, source)
            if not created:
                return IngestResult("duplicate", f"{mail.message_id} was processed before", inbound_id=inbound.pk)
            return _process(mail, raw, inbound)
    except Exception as exc:  # noqa: BLE001 - rolled back; recorded once so it is never retried forever
        log.exception("mail: processing failed", extra={"message_id": mail.message_id})
        return _record_failure(raw, source, mail, RejectReason.ERROR, f"{type(exc).__name__}: {exc}")


def _headers_only(raw: bytes) -> ParsedMail:
    """Enough of a message to record it when the whole cannot be parsed or is too large."""
    try:
        msg = BytesHeaderParser(policy=policy.default).parsebytes(raw[: 256 * 1024])
        ids = message_ids(header(msg, "Message-ID"))
        sender = msg.get("From")
        address = sender.addresses[0].addr_spec.lower() if sender is not None and sender.addresses else ""
        subject = header(msg, "Subject")
    except Exception:  # noqa: BLE001
        ids, address, subject = [], "", ""
    return ParsedMail(
        message_id=ids[0] if ids else synthetic_message_id(raw),
        has_message_id=bool(ids),
        subject=subject,
        from_address=address,
        from_name="",
    )


def _claim(mail: ParsedMail, raw: bytes, source: str) -> tuple[InboundMessage, bool]:
    # get_or_create waits for a concurrent insert of the same Message-ID and then reports it as existing.
    return InboundMessage.objects.get_or_create(
        message_id=mail.message_id[:998],
        defaults={
            "source": source,
            "sender": mail.from_address[:320],
            "subject": mail.subject[:500],
            "size": len(raw),
            "received_at": timezone.now(),
            "outcome": Outcome.REJECTED,
            "reason": "processing",
        },
    )


def _record_failure(raw: bytes, source: str, mail: ParsedMail, reason: str, detail: str) -> IngestResult:
    with transaction.atomic():
        inbound, created = _claim(mail, raw, source)
        if not created:
            return IngestResult("duplicate", f"{mail.message_id} was processed before", inbound_id=inbound.pk)
        return _reject(inbound, mail, raw, reason, detail, reply=False)


# --- the rules ---------------------------------------------------------------------------------------------------


def _process(mail: ParsedMail, raw: bytes, inbound: InboundMessage) -> IngestResult:
    automatic = automatic_reason(mail, own_addresses=senders.own_addresses())
    if automatic:
        return _finish(inbound, Outcome.IGNORED, automatic)
    if not mail.from_address or "@" not in mail.from_address:
        return _reject(inbound, mail, raw, RejectReason.NO_SENDER, "The message has no usable From address.")
    recent = (
        InboundMessage.objects.filter(sender=mail.from_address, received_at__gte=timezone.now() - timedelta(hours=1))
        .exclude(pk=inbound.pk)
        .count()
    )
    if recent >= settings.EMAIL_LOOP_MAX_PER_HOUR:
        return _finish(inbound, Outcome.IGNORED, f"mail loop suspected: {recent} messages from this sender in an hour")

    user = senders.find_user(mail.from_address)
    if user is not None and not user.is_active:
        return _reject(inbound, mail, raw, RejectReason.INACTIVE_SENDER, f"{user.username} is disabled.", reply=True)
    if user is None:
        if settings.EMAIL_UNKNOWN_SENDERS != "create":
            return _reject(
                inbound, mail, raw, RejectReason.UNKNOWN_SENDER, f"No account uses {mail.from_address}.", reply=True
            )
        user = senders.create_requester(address=mail.from_address, name=mail.from_name)

    incident = matching.incident_for(mail)
    try:
        with transaction.atomic():
            if incident is None:
                return _create(mail, user, inbound)
            if not can_comment(user, incident):
                return _reject(
                    inbound,
                    mail,
                    raw,
                    RejectReason.NOT_ALLOWED,
                    f"{user.username} may not write on {incident.number}.",
                    reply=True,
                    context={"incident": incident},
                )
            if incident.state in FINAL_STATES:
                return _create(mail, user, inbound, follow_up=incident)
            return _comment(mail, raw, user, inbound, incident)
    except IncidentError as exc:
        return _reject(inbound, mail, raw, RejectReason.REFUSED, exc.message, reply=True)


def _uploads(mail: ParsedMail) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The files we can keep, and a note for each one we skipped."""
    uploads, notes = [], []
    for index, attachment in enumerate(mail.attachments):
        if index >= MAX_ATTACHMENTS:
            notes.append(
                f"[{len(mail.attachments) - MAX_ATTACHMENTS} more files were not saved: at most {MAX_ATTACHMENTS}.]"
            )
            break
        skipped = _skip_reason(attachment)
        if skipped:
            notes.append(f"[The file {attachment.filename} was not saved: {skipped}.]")
            continue
        uploads.append(SimpleUploadedFile(attachment.filename, attachment.data, content_type=attachment.content_type))
    return uploads, notes


def _skip_reason(attachment: MailAttachment) -> str:
    if attachment.size == 0:
        return "it is empty"
    if attachment.size > settings.ATTACHMENT_MAX_BYTES:
        return (
            f"it is {filesizeformat(attachment.size)} and files may be at most "
            f"{filesizeformat(settings.ATTACHMENT_MAX_BYTES)}"
        )
    if attachment.content_type not in settings.ATTACHMENT_ALLOWED_TYPES:
        return f"files of type {attachment.content_type} are not accepted"
    return ""


def _create(mail: ParsedMail, user: User, inbound: InboundMessage, follow_up: Incident | None = None) -> IngestResult:
    uploads, notes = _uploads(mail)
    text = strip_reply(mail.text) if follow_up is not None else mail.text.strip()
    title = matching.title_from_subject(mail.subject)
    if not title:
        first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
        title = first_line[:120] or f"Email from {mail.from_address}"
    parts = []
    if follow_up is not None:
        parts.append(
            f"This follows up {follow_up.number} (\u201c{follow_up.short_description}\u201d), which is "
            f"{follow_up.get_state_display().lower()}: a reply to it arrived by email."
        )
    parts += [text, *notes]
    own = senders.own_addresses() | {mail.from_address}
    watchers = senders.users_with_addresses([a for a in [*mail.to, *mail.cc] if a not in own])
    incident = lifecycle.incident_create(
        actor=user,
        caller=user,
        short_description=title[:200],
        description="\n\n".join(p for p in parts if p),
        channel=Channel.EMAIL,
        watchers=[w for w in watchers if w.pk != user.pk],
    )
    for upload in uploads:
        lifecycle.incident_attach(incident=incident, actor=user, uploaded_file=upload, public=True)
    reason = f"follow-up to {follow_up.number}" if follow_up is not None else ""
    return _finish(inbound, Outcome.CREATED, reason, incident=incident)


def _comment(mail: ParsedMail, raw: bytes, user: User, inbound: InboundMessage, incident: Incident) -> IngestResult:
    uploads, notes = _uploads(mail)
    body = "\n\n".join(p for p in [strip_reply(mail.text), *notes] if p)
    if not body and uploads:
        body = f"Sent {len(uploads)} file{'s' if len(uploads) > 1 else ''} by email."
    if not body:
        return _reject(inbound, mail, raw, RejectReason.EMPTY, "The reply had no new text and no files.")
    entry = lifecycle.incident_comment(
        incident=incident,
        actor=user,
        body=body,
        public=True,
        data={"via": "email", "message_id": mail.message_id[:300]},
    )
    for upload in uploads:
        lifecycle.incident_attach(incident=incident, actor=user, uploaded_file=upload, entry=entry, public=True)
    return _finish(inbound, Outcome.COMMENTED, incident=incident)


# --- recording ---------------------------------------------------------------------------------------------------


def _finish(inbound: InboundMessage, outcome: str, reason: str = "", incident: Incident | None = None) -> IngestResult:
    inbound.outcome = outcome
    inbound.reason = reason[:500]
    inbound.incident = incident
    inbound.save(update_fields=["outcome", "reason", "incident"])
    return IngestResult(outcome, reason, incident=incident, inbound_id=inbound.pk)


def _reject(
    inbound: InboundMessage,
    mail: ParsedMail,
    raw: bytes,
    reason: str,
    detail: str,
    *,
    reply: bool = False,
    context: dict | None = None,
) -> IngestResult:
    replied = reply and replies.polite_reply(mail=mail, reason=reason, context=context or {})
    RejectedMail.objects.create(
        inbound=inbound,
        reason=reason,
        detail=detail,
        sender=mail.from_address[:320],
        subject=mail.subject[:500],
        raw=raw,
        replied=bool(replied),
    )
    inbound.incident = (context or {}).get("incident")
    return _finish(inbound, Outcome.REJECTED, f"{RejectReason(reason).label}: {detail}", incident=inbound.incident)


def reprocess(rejected: RejectedMail) -> IngestResult:
    """Processes a rejected message again, by hand from the admin (after fixing the cause, e.g. adding the sender)."""
    raw = bytes(rejected.raw)
    if not raw:
        raise ValueError("The raw message was not kept for this rejection.")
    with transaction.atomic():
        InboundMessage.objects.filter(pk=rejected.inbound_id).delete()
    return ingest(raw, source=Source.ADMIN)
