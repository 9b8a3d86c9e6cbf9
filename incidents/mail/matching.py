"""Which incident a reply belongs to: our thread id or a notification's Message-ID in its headers, or its subject."""

from __future__ import annotations

import re

from django.db.models.fields.json import KeyTextTransform

from incidents import notify
from incidents.mail.parsing import ParsedMail
from incidents.models import Incident, Notification

THREAD_ID = re.compile(r"^<(inc\d{7,})@([^>]+)>$", re.IGNORECASE)
NUMBER = re.compile(r"(?<![A-Za-z0-9])INC\d{7,}(?![0-9])", re.IGNORECASE)


def incident_for(mail: ParsedMail) -> Incident | None:
    """The incident this message answers, if any (headers first: they survive an edited subject)."""
    domain = notify.message_domain().lower()
    for mid in mail.thread_ids:
        match = THREAD_ID.match(mid)
        if match and match.group(2).lower() == domain:
            incident = Incident.objects.filter(number=match.group(1).upper()).first()
            if incident is not None:
                return incident
    ours = [mid for mid in mail.thread_ids if mid.lower().endswith(f"@{domain}>")]
    if ours:
        notification = (
            # The same expression as notification_message_id_idx, so Postgres answers from the index.
            Notification.objects.annotate(message_id=KeyTextTransform("Message-ID", "headers"))
            .filter(message_id__in=ours, incident__isnull=False)
            .select_related("incident")
            .order_by("-created_at")
            .first()
        )
        if notification is not None:
            return notification.incident
    for number in NUMBER.findall(mail.subject or ""):
        incident = Incident.objects.filter(number=number.upper()).first()
        if incident is not None:
            return incident
    return None


PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|sv|vs|odp|pd|tr|rv|antw|antwort|r)\s*(\[\d+\])?\s*[:：]\s*)+", re.IGNORECASE
)
TAG = re.compile(r"\[\s*INC\d{7,}\s*\]|(?<![A-Za-z0-9])INC\d{7,}(?![0-9])\s*[:-]?", re.IGNORECASE)


def title_from_subject(subject: str) -> str:
    """A short description from a subject: without Re:/Fwd: prefixes and our number tags."""
    title = TAG.sub(" ", PREFIX.sub("", subject or ""))
    title = PREFIX.sub("", re.sub(r"\s+", " ", title).strip(" -:"))
    if len(title) > 200:
        title = title[:197].rsplit(" ", 1)[0] + "..."
    return title.strip()
