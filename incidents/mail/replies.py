"""Polite answers to mail we could not use, queued through the outbox and marked so nobody auto-answers them."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from incidents import notify, outbox
from incidents.mail.parsing import ParsedMail
from incidents.models import Notification

KIND = "mail_rejected"
MAX_REPLIES_PER_HOUR = 3


def polite_reply(*, mail: ParsedMail, reason: str, context: dict) -> bool:
    """Queues one reply to the sender (in the current transaction); at most a few per address and hour."""
    if not mail.from_address:
        return False
    since = timezone.now() - timedelta(hours=1)
    if Notification.objects.filter(kind=KIND, recipient=mail.from_address, created_at__gte=since).count() >= (
        MAX_REPLIES_PER_HOUR
    ):
        return False
    key = f"{KIND}:{hashlib.sha256(mail.message_id.encode()).hexdigest()[:40]}"
    subject = mail.subject or "your message"
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    body = render_to_string(
        f"mail/reply_{reason}.txt",
        {**context, "mail": mail, "site_url": settings.SITE_URL, "reason": reason},
    )
    headers = {
        "Message-ID": notify.message_id(key),
        "In-Reply-To": mail.message_id,
        "References": mail.message_id,
        # RFC 3834: an automatic answer, which well-behaved auto-responders never answer in turn.
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",
    }
    return (
        outbox.enqueue(key=key, kind=KIND, recipient=mail.from_address, subject=subject, body=body, headers=headers)
        is not None
    )
