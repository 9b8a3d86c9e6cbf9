"""What the portal's pages read: a requester's tickets, known outages, the public side of one ticket."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from incidents.choices import OPEN_STATES, EntryKind, OnHoldReason, State
from incidents.models import Attachment, Incident, Service, TimelineEntry, User
from incidents.permissions import is_agent, visible_incidents

PLAIN_STATES = {
    State.NEW: "Received",
    State.IN_PROGRESS: "Being worked on",
    State.RESOLVED: "Fixed, please confirm",
    State.CLOSED: "Closed",
    State.CANCELLED: "Cancelled",
}
PLAIN_WAITING = {
    OnHoldReason.AWAITING_CALLER: "Waiting for your reply",
    OnHoldReason.AWAITING_VENDOR: "Waiting for a supplier",
    OnHoldReason.AWAITING_CHANGE: "Waiting for a planned fix",
    OnHoldReason.AWAITING_PROBLEM: "Waiting for a lasting fix",
}
# Public field changes a requester is told about; priority and the major flag are the desk's business.
PUBLIC_FIELDS = {"short_description", "service"}
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "not",
        "with",
        "can",
        "cant",
        "cannot",
        "does",
        "doesnt",
        "dont",
        "from",
        "have",
        "has",
        "into",
        "its",
        "our",
        "out",
        "this",
        "that",
        "when",
        "what",
        "why",
        "who",
        "how",
        "are",
        "was",
        "were",
        "will",
        "wont",
        "just",
        "any",
        "all",
        "but",
        "get",
        "got",
        "too",
        "very",
        "my",
        "your",
        "you",
    ]
)


def plain_state(incident: Incident) -> str:
    """The ticket's state in words a requester uses."""
    if incident.state == State.ON_HOLD:
        return PLAIN_WAITING.get(incident.on_hold_reason, "Waiting")
    return PLAIN_STATES.get(incident.state, incident.get_state_display())


def working_on_it(incident: Incident) -> str:
    """Who is working on the ticket, as a requester would say it."""
    if incident.state in (State.CLOSED, State.CANCELLED):
        return incident.assignee.display_name if incident.assignee_id else "—"
    if incident.assignee_id:
        return incident.assignee.display_name
    if incident.assigned_team_id:
        return f"{incident.assigned_team.name} team"
    return "Not picked up yet"


def portal_incidents(user: User) -> QuerySet:
    """The tickets listed on "My tickets": one's own, watched ones and, for designated contacts, the organization's.

    Agents see every incident in the workspace; on the portal they get the same personal list as anybody.
    """
    if is_agent(user):
        watched = Incident.watchers.through.objects.filter(incident_id=OuterRef("pk"), user_id=user.pk)
        return Incident.objects.filter(Q(caller_id=user.pk) | Exists(watched))
    return visible_incidents(user)


def ticket_list(user: User, *, closed: bool) -> QuerySet:
    """Open tickets (fixed-but-unconfirmed ones included: they still need the requester), or closed ones."""
    states = [State.CLOSED, State.CANCELLED] if closed else [*OPEN_STATES, State.RESOLVED]
    return (
        portal_incidents(user)
        .filter(state__in=states)
        .select_related("assignee", "assigned_team", "service", "caller")
        .order_by("-updated_at", "-id")
    )


def ticket_for(user: User, number: str) -> Incident:
    """The ticket with this number if `user` may see it; anything else is a 404 (never a hint that it exists)."""
    queryset = visible_incidents(
        user, Incident.objects.select_related("assignee", "assigned_team", "service", "caller")
    )
    try:
        return queryset.get(number=(number or "").upper())
    except Incident.DoesNotExist:
        raise Http404("No such ticket.") from None


def public_timeline(incident: Incident) -> list[TimelineEntry]:
    """Only what the requester may read: public entries, without the desk's internal field changes."""
    return list(
        incident.timeline.filter(is_public=True)
        .exclude(Q(kind=EntryKind.FIELD_CHANGE) & ~Q(field__in=PUBLIC_FIELDS))
        .select_related("actor")
        .order_by("created_at", "id")
    )


def public_attachments(incident: Incident) -> dict[int, Attachment]:
    return {a.pk: a for a in incident.attachments.filter(is_public=True).order_by("created_at", "id")}


# --- known outages (open major incidents) -----------------------------------------------------------------------


def open_outages() -> QuerySet:
    return Incident.objects.filter(is_major=True, state__in=OPEN_STATES).select_related("service")


def outages_for(user: User, *, limit: int = 5) -> list[Incident]:
    """Known outages on the services this person used lately (all outages when they reported nothing lately).

    Outages without a service concern everybody and are always shown.
    """
    since = timezone.now() - timedelta(days=settings.PORTAL_RECENT_SERVICES_DAYS)
    services = set(
        Incident.objects.filter(caller_id=user.pk, created_at__gte=since, service__isnull=False)
        .values_list("service_id", flat=True)
        .distinct()
    )
    outages = open_outages()
    if services:
        outages = outages.filter(Q(service_id__in=services) | Q(service__isnull=True))
    outages = list(outages.order_by("-created_at")[:limit])
    _mark_joined(user, outages)
    return outages


def _mark_joined(user: User, outages: list[Incident]) -> None:
    joined = set(
        Incident.objects.filter(
            caller_id=user.pk, parent_id__in=[o.pk for o in outages], state__in=OPEN_STATES
        ).values_list("parent_id", flat=True)
    )
    for outage in outages:
        outage.joined = outage.pk in joined


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9][a-z0-9-]{2,}", (text or "").lower()) if w not in STOPWORDS}


def _related(typed: str, word: str) -> bool:
    """The same word, or (from four letters on) one the beginning of the other, as while someone is typing."""
    if typed == word:
        return True
    return len(typed) >= 4 and len(word) >= 4 and (word.startswith(typed) or typed.startswith(word))


def matching_outages(user: User, *, text: str, service: Service | None = None, limit: int = 3) -> list[Incident]:
    """Open outages that look like what the person is typing, or that are on the service they picked.

    There are only ever a handful of open major incidents, so they are matched in Python by word prefixes.
    """
    typed = _words(text)
    if not typed and service is None:
        return []
    found = []
    for outage in open_outages().order_by("-created_at")[:50]:
        names = f"{outage.short_description} {outage.description}"
        if outage.service_id:
            names += f" {outage.service.name} {outage.service.friendly_name}"
        theirs = _words(names)
        on_service = service is not None and outage.service_id == service.pk
        if on_service or any(_related(w, t) for w in typed for t in theirs):
            found.append(outage)
        if len(found) >= limit:
            break
    _mark_joined(user, found)
    return found


def outage_or_404(number: str) -> Incident:
    """A major incident's public status page exists while it is open and for a while after it is fixed."""
    try:
        outage = Incident.objects.select_related("service").get(number=(number or "").upper(), is_major=True)
    except Incident.DoesNotExist:
        raise Http404("No such outage.") from None
    if outage.state == State.CANCELLED:
        raise Http404("No such outage.")
    return outage


def outage_updates(outage: Incident) -> list[TimelineEntry]:
    """What the desk published on an outage: its public comments written by agents, and its state changes."""
    entries = (
        outage.timeline.filter(is_public=True, kind__in=[EntryKind.COMMENT, EntryKind.STATE_CHANGE])
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    agents: dict[int, bool] = {}
    published = []
    for entry in entries:
        if entry.kind == EntryKind.COMMENT:
            if not entry.actor_id:
                continue
            if entry.actor_id not in agents:
                agents[entry.actor_id] = is_agent(entry.actor)
            if not agents[entry.actor_id]:
                continue
        published.append(entry)
    return published
