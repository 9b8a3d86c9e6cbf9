"""Builders for report tests: incidents at chosen instants through the lifecycle, bulk rows, SLA timers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection

from incidents import lifecycle
from incidents.choices import Level, State
from incidents.models import Incident
from tests import factories

RESOLVE = {"resolution_code": "fixed", "resolution_notes": "Fixed it."}


def at(text: str) -> datetime:
    """An aware instant from ISO text with an offset, e.g. 2025-03-07T16:00:00+01:00."""
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def create(*, when: datetime, caller=None, agent=None, **fields) -> Incident:
    """An incident registered at `when` through the lifecycle (no first response unless an assignee is given)."""
    return factories.make_incident(caller=caller, actor=agent, at=when, **fields)


def respond(incident: Incident, agent, when: datetime) -> Incident:
    """The agent starts work at `when`: the first response."""
    return lifecycle.incident_transition(incident=incident.pk, actor=agent, to_state=State.IN_PROGRESS, at=when)


def resolve(incident: Incident, agent, when: datetime) -> Incident:
    return lifecycle.incident_transition(incident=incident.pk, actor=agent, to_state=State.RESOLVED, at=when, **RESOLVE)


def worked(*, created: datetime, responded: datetime | None, resolved: datetime | None, agent, **fields) -> Incident:
    incident = create(when=created, **fields)
    if responded:
        respond(incident, agent, responded)
    if resolved:
        resolve(incident, agent, resolved)
    incident.refresh_from_db()
    return incident


def bulk_incidents(rows: list[dict], *, caller) -> list[Incident]:
    """Inserts incident rows directly (fast, for larger generated sets); numbers come from the sequence."""
    objects = []
    for row in rows:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('incident_number_seq')")
            (number,) = cursor.fetchone()
        row.setdefault("updated_at", row["created_at"])
        objects.append(
            Incident(
                number=f"INC{number:07d}",
                short_description="Generated",
                caller=caller,
                impact=Level.LOW,
                urgency=Level.LOW,
                **row,
            )
        )
    return Incident.objects.bulk_create(objects, batch_size=500)


def sla_setup(*, timezone: str = "UTC", hours=None, holidays=()):
    """A calendar and response/resolution policies on it; returns (calendar, {metric: policy})."""
    from sla.models import BusinessCalendar, Holiday, SlaPolicy

    calendar = BusinessCalendar.objects.create(
        name=f"Calendar {BusinessCalendar.objects.count() + 1}",
        timezone=timezone,
        weekly_hours=hours
        or {d: [["09:00", "17:00"]] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
    )
    for day in holidays:
        Holiday.objects.create(calendar=calendar, date=day, name="Holiday")
    policies = {
        metric: SlaPolicy.objects.create(
            name=f"{metric} {calendar.pk}", metric=metric, target=timedelta(hours=4), calendar=calendar
        )
        for metric in ("response", "resolution")
    }
    return calendar, policies


def timer(incident: Incident, policy, **fields):
    """An SLA timer row written directly (the SLA engine is not under test here)."""
    from sla.models import SlaTimer

    start = fields.pop("started_at", incident.created_at)
    defaults = {
        "metric": policy.metric,
        "state": "completed",
        "target": policy.target,
        "elapsed_at": start,
        "started_at": start,
    }
    defaults.update(fields)
    return SlaTimer.objects.create(incident=incident, policy=policy, **defaults)
