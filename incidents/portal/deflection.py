"""Counting deflections: problems people solved with a suggestion instead of reporting them.

The rule (also in docs/portal.md): every visit to the report form carries a token. Opening a suggested article or
known outage from the form records a "suggestion opened" event on that form's session. Submitting the form, or
joining a known outage from it, settles the session as reported. A session that saw at least one suggestion opened
and was not submitted is settled by a periodic task once PORTAL_DEFLECTION_WINDOW_MINUTES have passed since the last
suggestion was opened: if the same person registered no incident in that time (through any channel), it counts as
one deflection; otherwise it is "reported elsewhere". Submitting the same form later still wins over a deflection.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef
from django.utils import timezone

from incidents.models import Incident, User
from incidents.portal.choices import SessionOutcome
from incidents.portal.models import ReportSession, SuggestionOpen


def window() -> timedelta:
    return timedelta(minutes=settings.PORTAL_DEFLECTION_WINDOW_MINUTES)


def parse_token(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _session(*, user: User, token: str | None, at: datetime) -> ReportSession | None:
    """The session of this form, created on first use; a token that belongs to somebody else is ignored."""
    parsed = parse_token(token)
    if parsed is None:
        return None
    session, _ = ReportSession.objects.get_or_create(token=parsed, defaults={"user": user, "started_at": at})
    return session if session.user_id == user.pk else None


@transaction.atomic
def record_open(*, user: User, token: str | None, kind: str, target: str, query: str = "", at=None) -> bool:
    """Records that a suggestion was opened from the report form; returns False for a bad or foreign token."""
    at = at or timezone.now()
    session = _session(user=user, token=token, at=at)
    if session is None:
        return False
    session = ReportSession.objects.select_for_update().get(pk=session.pk)
    SuggestionOpen.objects.create(session=session, kind=kind, target=target[:300], opened_at=at)
    session.last_opened_at = at
    fields = ["last_opened_at"]
    if query:
        session.query = query[:200]
        fields.append("query")
    session.save(update_fields=fields)
    return True


def record_reported(
    *, user: User, token: str | None, incident: Incident, outcome: str = SessionOutcome.SUBMITTED, at=None
) -> None:
    """Settles the form's session as reported (call inside the transaction that registered the incident)."""
    at = at or timezone.now()
    session = _session(user=user, token=token, at=at)
    if session is None:
        return
    ReportSession.objects.filter(pk=session.pk).update(
        incident=incident, outcome=outcome, decided_at=at, query=incident.short_description[:200]
    )


def decide_sessions(*, now: datetime | None = None, batch_size: int = 500) -> dict[str, int]:
    """Settles the open sessions whose window has passed; safe to run from several workers at once."""
    now = now or timezone.now()
    span = window()
    counts = {SessionOutcome.DEFLECTED.value: 0, SessionOutcome.REPORTED_ELSEWHERE.value: 0}
    while True:
        with transaction.atomic():
            deadline = ExpressionWrapper(OuterRef("last_opened_at") + span, output_field=DateTimeField())
            reported = Incident.objects.filter(
                caller_id=OuterRef("user_id"), created_at__gte=OuterRef("started_at"), created_at__lte=deadline
            )
            batch = list(
                ReportSession.objects.select_for_update(skip_locked=True)
                .filter(outcome=SessionOutcome.OPEN, last_opened_at__lte=now - span)
                .annotate(reported=Exists(reported))
                .order_by("last_opened_at")
                .values_list("pk", "reported")[:batch_size]
            )
            for outcome, flag in ((SessionOutcome.DEFLECTED, False), (SessionOutcome.REPORTED_ELSEWHERE, True)):
                ids = [pk for pk, was_reported in batch if was_reported is flag]
                if ids:
                    # The outcome condition makes a second decision of the same session impossible.
                    counts[outcome.value] += ReportSession.objects.filter(
                        pk__in=ids, outcome=SessionOutcome.OPEN
                    ).update(outcome=outcome, decided_at=now)
        if len(batch) < batch_size:
            return counts


def deflection_stats(*, start: datetime, end: datetime) -> dict[str, int]:
    """How report forms ended between start and end: deflected, submitted, joined an outage, reported elsewhere."""
    rows = (
        ReportSession.objects.filter(decided_at__gte=start, decided_at__lt=end)
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    stats = {outcome.value: 0 for outcome in SessionOutcome if outcome != SessionOutcome.OPEN}
    for row in rows:
        if row["outcome"] in stats:
            stats[row["outcome"]] = row["n"]
    stats["with_suggestion_opened"] = ReportSession.objects.filter(
        decided_at__gte=start, decided_at__lt=end, last_opened_at__isnull=False
    ).count()
    return stats
