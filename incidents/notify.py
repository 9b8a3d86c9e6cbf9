"""Who is told about what: turns a lifecycle change into outbox rows (in the caller's transaction)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.template.loader import render_to_string

from incidents import outbox
from incidents.models import Incident, TimelineEntry, User
from incidents.permissions import is_agent

MENTION = re.compile(r"(?<![\w.])@([\w.+-]{2,150})")

# Other apps may veto a recipient (the portal's per-user notification preferences): fn(user, kind) -> bool.
RecipientFilter = Callable[[User, str], bool]
_recipient_filters: list[RecipientFilter] = []


def add_recipient_filter(fn: RecipientFilter) -> None:
    if fn not in _recipient_filters:
        _recipient_filters.append(fn)


def wants(user: User | None, kind: str) -> bool:
    if user is None or not user.email or not user.is_active:
        return False
    return all(fn(user, kind) for fn in _recipient_filters)


def message_domain() -> str:
    return getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", "") or "itsm.local"


def thread_id(incident: Incident) -> str:
    """The Message-ID every notification of an incident refers to, so mail clients thread them."""
    return f"<{incident.number.lower()}@{message_domain()}>"


def message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{message_domain()}>"


def email_headers(key: str, incident: Incident) -> dict[str, str]:
    """Threading headers (replies come back to the incident) and Auto-Submitted (auto-responders stay quiet)."""
    return {
        "Message-ID": message_id(key),
        "References": thread_id(incident),
        "In-Reply-To": thread_id(incident),
        "Auto-Submitted": "auto-generated",
    }


def email(
    *, incident: Incident, entry: TimelineEntry, kind: str, to: Iterable[User], exclude: Iterable[User] = ()
) -> int:
    """Queues one email per distinct recipient; the key (kind, entry, address) makes a duplicate impossible."""
    excluded = {u.pk for u in exclude if u is not None}
    sent = 0
    seen: set[str] = set()
    for user in to:
        if user is None or user.pk in excluded or not wants(user, kind):
            continue
        address = user.email.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        key = f"{kind}:{entry.pk}:{address}"
        context = {
            "incident": incident,
            "entry": entry,
            "recipient": user,
            "for_agent": is_agent(user),
            "site_url": settings.SITE_URL,
            "kind": kind,
        }
        subject = render_to_string("email/subject.txt", context).strip()
        body = render_to_string(f"email/{kind}.txt", context)
        if outbox.enqueue(
            key=key,
            kind=kind,
            recipient=address,
            subject=subject,
            body=body,
            headers=email_headers(key, incident),
            incident=incident,
        ):
            sent += 1
    return sent


def email_team(*, incident: Incident, entry: TimelineEntry, kind: str, team, exclude: Iterable[User] = ()) -> None:
    """A team's shared mailbox when it has one, else its members."""
    if team is None:
        return
    if team.email:
        key = f"{kind}:{entry.pk}:{team.email.lower()}"
        context = {"incident": incident, "entry": entry, "recipient": None, "team": team, "site_url": settings.SITE_URL}
        outbox.enqueue(
            key=key,
            kind=kind,
            recipient=team.email,
            subject=render_to_string("email/subject.txt", context).strip(),
            body=render_to_string(f"email/{kind}.txt", context),
            headers=email_headers(key, incident),
            incident=incident,
        )
    else:
        email(incident=incident, entry=entry, kind=kind, to=team.members.filter(is_active=True), exclude=exclude)


def watchers(incident: Incident) -> list[User]:
    return list(incident.watchers.filter(is_active=True))


def mentioned_agents(body: str) -> list[User]:
    """Agents named as @username in a work note."""
    names = set(MENTION.findall(body or ""))
    if not names:
        return []
    return [u for u in User.objects.filter(username__in=names, is_active=True) if is_agent(u)]
