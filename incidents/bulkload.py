"""Bulk-loads synthetic incidents and their timelines with COPY, for benchmarks at a million rows.

Rows are built in Python in chunks and streamed to Postgres with COPY; ids and numbers are reserved from their
sequences first, so the loader never collides with incidents registered at the same time.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from incidents import hooks
from incidents.choices import Channel, EntryKind, Level, OnHoldReason, ResolutionCode, Role, State
from incidents.models import Category, Incident, Service, Team, User
from incidents.priority import DEFAULT_MATRIX, compute_priority

INCIDENT_COLUMNS = (
    "id",
    "number",
    "short_description",
    "description",
    "channel",
    "impact",
    "urgency",
    "priority",
    "state",
    "on_hold_reason",
    "is_major",
    "resolution_code",
    "resolution_notes",
    "escalation_level",
    "reopen_count",
    "version",
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "cancelled_at",
    "assignee_id",
    "caller_id",
    "category_id",
    "ci_id",
    "created_by_id",
    "parent_id",
    "organization_id",
    "service_id",
    "assigned_team_id",
)
TIMELINE_COLUMNS = (
    "incident_id",
    "kind",
    "actor_id",
    "created_at",
    "field",
    "old_value",
    "new_value",
    "body",
    "is_public",
    "data",
)
SUBJECTS = [
    "cannot connect to {s}",
    "{s} is very slow",
    "error message when opening {s}",
    "{s} not working since update",
    "access denied on {s}",
    "{s} keeps disconnecting",
    "{s} shows a blank page",
    "{s} crashes on start",
    "password prompt loops in {s}",
    "{s} data missing",
]
STATE_WEIGHTS = [
    (State.NEW, 3),
    (State.IN_PROGRESS, 6),
    (State.ON_HOLD, 3),
    (State.RESOLVED, 5),
    (State.CLOSED, 80),
    (State.CANCELLED, 3),
]


@dataclass
class Catalog:
    teams: list[tuple[int, list[int]]]
    services: list[tuple[int, str, int | None]]
    categories: list[int]
    callers: list[tuple[int, int | None]]
    matrix: dict


def load_catalog() -> Catalog:
    teams = []
    for team in Team.objects.prefetch_related("members"):
        members = [m.pk for m in team.members.all() if m.groups.filter(name__in=[Role.AGENT]).exists()]
        teams.append((team.pk, members))
    services = [(s.pk, s.name, s.owner_team_id) for s in Service.objects.all()]
    categories = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    callers = list(User.objects.filter(groups__name=Role.REQUESTER).values_list("pk", "organization_id"))
    if not (teams and services and callers):
        raise RuntimeError("No catalog: run `python manage.py seed_demo` first.")
    from incidents.lifecycle import priority_matrix

    return Catalog(teams, services, categories, callers, priority_matrix() or DEFAULT_MATRIX)


def _reserve(sequence: str, count: int) -> int:
    """Reserves `count` values of a sequence and returns the first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s::regclass)", [sequence])
        (first,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s::regclass, %s)", [sequence, first + count - 1])
    return first


def _text(value) -> str:
    """COPY text format: \\N for NULL, escaped backslashes, tabs and newlines."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _row(values) -> str:
    return "\t".join(_text(v) for v in values) + "\n"


def generate(
    count: int,
    *,
    chunk_size: int = 50_000,
    seed: int = 7,
    days: int = 365,
    progress: Callable[[int], None] | None = None,
) -> float:
    """Inserts `count` incidents with 2-6 timeline entries each; returns incidents per second."""
    rng = random.Random(seed)
    catalog = load_catalog()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('incidents_incident', 'id')")
        (id_sequence,) = cursor.fetchone()
    first_id = _reserve(id_sequence, count)
    first_number = _reserve("incident_number_seq", count)
    started = time.perf_counter()
    done = 0
    while done < count:
        size = min(chunk_size, count - done)
        incidents, timeline = io.StringIO(), io.StringIO()
        for offset in range(size):
            index = done + offset
            _one(rng, catalog, now, days, first_id + index, first_number + index, incidents, timeline)
        incidents.seek(0)
        timeline.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.copy_expert(f"COPY incidents_incident ({', '.join(INCIDENT_COLUMNS)}) FROM STDIN", incidents)
            cursor.copy_expert(f"COPY incidents_timelineentry ({', '.join(TIMELINE_COLUMNS)}) FROM STDIN", timeline)
        done += size
        if progress:
            progress(done)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident")
        cursor.execute("ANALYZE incidents_timelineentry")
    rate = count / (time.perf_counter() - started)
    # Other apps (the SLA engine) may add their own rows for the new range, e.g. timers for the open incidents.
    hooks.call("incidents_bulk_loaded", first_id, first_id + count - 1)
    return rate


def _one(rng: random.Random, cat: Catalog, now: datetime, days: int, pk: int, number: int, out, timeline) -> None:
    state = rng.choices([s for s, _ in STATE_WEIGHTS], weights=[w for _, w in STATE_WEIGHTS])[0]
    open_state = state in (State.NEW, State.IN_PROGRESS, State.ON_HOLD)
    max_age = 30 * 24 * 3600 if open_state else days * 24 * 3600
    created = now - timedelta(seconds=rng.randint(600, max_age))
    service_id, service_name, owner_team = rng.choice(cat.services)
    team_id, members = (
        rng.choice(cat.teams)
        if owner_team is None or rng.random() < 0.3
        else next((t for t in cat.teams if t[0] == owner_team), rng.choice(cat.teams))
    )
    caller_id, org_id = rng.choice(cat.callers)
    impact = rng.choices(Level.values, weights=[1, 3, 6])[0]
    urgency = rng.choices(Level.values, weights=[2, 4, 4])[0]
    priority = compute_priority(cat.matrix, impact, urgency)
    assignee = rng.choice(members) if members and state != State.NEW else None
    subject = rng.choice(SUBJECTS).format(s=service_name)
    short = subject[0].upper() + subject[1:]
    first_response = created + timedelta(seconds=rng.randint(60, 4 * 3600)) if assignee else None
    resolved = closed = cancelled = None
    code = notes = ""
    updated = first_response or created
    if state in (State.RESOLVED, State.CLOSED):
        resolved = (first_response or created) + timedelta(seconds=rng.randint(600, 5 * 24 * 3600))
        resolved = min(resolved, now - timedelta(seconds=60))
        code = rng.choice(ResolutionCode.values)
        notes = "Applied the standard fix and confirmed with the caller."
        updated = resolved
        if state == State.CLOSED:
            closed = resolved + timedelta(days=3)
            if closed > now:
                state, closed = State.RESOLVED, None
            else:
                updated = closed
    elif state == State.CANCELLED:
        cancelled = created + timedelta(seconds=rng.randint(60, 3600))
        updated = cancelled
    hold = OnHoldReason.AWAITING_CALLER if state == State.ON_HOLD else ""
    channel = rng.choices(Channel.values, weights=[4, 4, 3, 1, 1])[0]
    category = rng.choice(cat.categories) if cat.categories and rng.random() < 0.8 else None
    out.write(
        _row(
            (
                pk,
                f"INC{number:07d}",
                short,
                f"{short}. Reported via {channel}.",
                channel,
                impact,
                urgency,
                priority,
                state,
                hold,
                False,
                code,
                notes,
                0,
                0,
                1,
                created,
                updated,
                first_response,
                resolved,
                closed,
                cancelled,
                assignee,
                caller_id,
                category,
                None,
                None,
                None,
                org_id,
                service_id,
                team_id,
            )
        )
    )
    timeline.write(
        _row((pk, EntryKind.CREATED, None, created, "", "", "", f"{short}.", True, json.dumps({"channel": channel})))
    )
    if assignee:
        timeline.write(_row((pk, EntryKind.ASSIGNMENT, assignee, first_response, "", "", "", "", False, "{}")))
        if state != State.CANCELLED:
            timeline.write(
                _row(
                    (
                        pk,
                        EntryKind.STATE_CHANGE,
                        assignee,
                        first_response,
                        "state",
                        "new",
                        "in_progress",
                        "",
                        True,
                        "{}",
                    )
                )
            )
    if resolved:
        timeline.write(
            _row(
                (pk, EntryKind.STATE_CHANGE, assignee, resolved, "state", "in_progress", "resolved", notes, True, "{}")
            )
        )
    if closed:
        timeline.write(_row((pk, EntryKind.STATE_CHANGE, None, closed, "state", "resolved", "closed", "", True, "{}")))
    if cancelled:
        timeline.write(_row((pk, EntryKind.STATE_CHANGE, None, cancelled, "state", "new", "cancelled", "", True, "{}")))
    if hold:
        timeline.write(
            _row((pk, EntryKind.STATE_CHANGE, assignee, updated, "state", "in_progress", "on_hold", "", True, "{}"))
        )


def incident_count() -> int:
    return Incident.objects.count()
