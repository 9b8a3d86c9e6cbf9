"""Building and refreshing the daily rollups: exact, idempotent, one zone at a time.

A refresh finds the local days touched by incidents changed since the last refresh (their creation, response,
resolution, cancellation, every state change and escalation, their completed SLA timers, a new rating) and
recomputes those whole days from the incidents, so the result never depends on how often or how many times it ran.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from incidents.choices import Role
from incidents.models import User
from reporting import periods, sql
from reporting.models import RollupState

log = logging.getLogger(__name__)
LOCK_KEY = 7_412_001  # pg advisory lock: one rollup writer at a time, whatever the number of workers

INCIDENT_COLUMNS = ("zone", "day", "team_id", "service_id", "priority", *sql.MEASURES)
CATEGORY_COLUMNS = ("zone", "day", "category_id", "organization_id", "priority", *sql.MEASURES)
SLA_COLUMNS = ("zone", "day", "metric", "team_id", "service_id", "priority", "category_id", "organization_id")


def zones_to_keep() -> list[str]:
    """The report zone, the configured extra zones and the managers' own zones (up to the cap), valid ones only."""
    zones = [settings.REPORTING_TIME_ZONE, *settings.REPORTING_ROLLUP_TIME_ZONES]
    managers = (
        User.objects.filter(groups__name__in=[Role.MANAGER, Role.ADMIN], is_active=True)
        .exclude(time_zone="")
        .values_list("time_zone", flat=True)
        .distinct()
    )
    zones += sorted(managers)
    result: list[str] = []
    for zone in zones:
        if periods.valid_zone(zone) and zone not in result:
            result.append(zone)
    return result[: max(settings.REPORTING_ROLLUP_MAX_ZONES, 1)]


def ready_zone(zone: str) -> bool:
    """Whether dashboards may read rollups for this zone (it was completely built once)."""
    return RollupState.objects.filter(zone=zone).exists()


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Sorted days grouped into contiguous inclusive runs."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def _rebuild_range(cursor, zone: str, lo: datetime | None, hi: datetime | None) -> None:
    """Replaces the rollup rows of the local days in [lo, hi) (None: unbounded) with sums from the incidents."""
    tz = zoneinfo.ZoneInfo(zone)
    lo = lo or datetime(1900, 1, 1, tzinfo=UTC)
    hi = hi or datetime(9000, 1, 1, tzinfo=UTC)
    params = {"zone": zone, "lo": lo, "hi": hi, "lo_day": lo.astimezone(tz).date(), "hi_day": hi.astimezone(tz).date()}
    for table in ("reporting_incidentdailyrollup", "reporting_incidentcategorydailyrollup", "reporting_sladailyrollup"):
        cursor.execute(f"DELETE FROM {table} WHERE zone = %(zone)s AND day >= %(lo_day)s AND day < %(hi_day)s", params)
    # The events are read once and summed into both incident rollups (one statement, a materialized CTE).
    cursor.execute(
        f"WITH ev AS MATERIALIZED ({sql.events_sql()}), "
        f"by_team AS (INSERT INTO reporting_incidentdailyrollup ({', '.join(INCIDENT_COLUMNS)}) "
        f"SELECT %(zone)s, day, team_id, service_id, priority, {sql.sums_sql()} "
        "FROM ev GROUP BY day, team_id, service_id, priority) "
        f"INSERT INTO reporting_incidentcategorydailyrollup ({', '.join(CATEGORY_COLUMNS)}) "
        f"SELECT %(zone)s, day, category_id, organization_id, priority, {sql.sums_sql()} "
        "FROM ev GROUP BY day, category_id, organization_id, priority",
        params,
    )
    cursor.execute(
        f"INSERT INTO reporting_sladailyrollup ({', '.join(SLA_COLUMNS)}, met, breached) "
        f"SELECT %(zone)s, s.* FROM (SELECT {sql.SLA_SELECT} {sql.SLA_FROM} {sql.SLA_GROUP}) s",
        params,
    )


FACT_COLUMNS = (
    "incident_id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "assigned_team_id",
    "service_id",
    "priority",
    "category_id",
    "organization_id",
    "assignee_id",
    "response_seconds",
    "resolution_seconds",
)
FACT_SELECT = (
    "SELECT i.id, i.created_at, i.first_response_at, i.resolved_at, i.assigned_team_id, i.service_id, i.priority, "
    "i.category_id, i.organization_id, i.assignee_id, "
    f"{sql.RESPONSE_SECONDS_SQL}, {sql.RESOLUTION_SECONDS_SQL} FROM incidents_incident i "
    "WHERE (i.first_response_at IS NOT NULL OR i.resolved_at IS NOT NULL)"
)


def _write_facts(cursor, ids_sql: str | None, params: dict) -> None:
    """Replaces the fact rows of the incidents `ids_sql` selects (None: all of them) with their current values."""
    insert = f"INSERT INTO reporting_incidentfact ({', '.join(FACT_COLUMNS)}) {FACT_SELECT}"
    if ids_sql is None:
        cursor.execute("DELETE FROM reporting_incidentfact")
        cursor.execute(insert)
        return
    cursor.execute(f"DELETE FROM reporting_incidentfact WHERE incident_id IN ({ids_sql})", params)
    cursor.execute(f"{insert} AND i.id IN ({ids_sql})", params)


# Incidents whose facts may have changed from `lo` on: any of their instants is later, or their old fact row's is.
FACTS_SINCE_SQL = (
    "SELECT id FROM incidents_incident WHERE created_at >= %(lo)s OR first_response_at >= %(lo)s "
    "OR resolved_at >= %(lo)s OR updated_at >= %(lo)s "
    "UNION SELECT incident_id FROM reporting_incidentfact WHERE first_response_at >= %(lo)s OR resolved_at >= %(lo)s"
)


def rebuild(zone: str, *, since: date | None = None, now: datetime | None = None) -> None:
    """Rebuilds the zone's rollups from `since` (a local date; None: everything) and marks the zone ready."""
    now = now or timezone.now()
    if since is not None and not ready_zone(zone):
        since = None  # a zone never built must be built entirely before dashboards may read it
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        lo = periods.local_midnight(since, zone) if since else None
        _rebuild_range(cursor, zone, lo, None)
        _write_facts(cursor, FACTS_SINCE_SQL if lo else None, {"lo": lo})
        state = RollupState.objects.filter(zone=zone).first()
        if state is None:
            RollupState.objects.create(zone=zone, built_at=now, refreshed_at=now)
        elif since is None:
            RollupState.objects.filter(pk=state.pk).update(built_at=now, refreshed_at=now)
        else:
            RollupState.objects.filter(pk=state.pk).update(refreshed_at=now)


AFFECTED_DAYS_SQL = """
WITH changed AS (
    SELECT id FROM incidents_incident WHERE updated_at >= %(since)s
    UNION SELECT incident_id FROM incidents_incidentrating WHERE updated_at >= %(since)s
), instants AS (
    SELECT unnest(ARRAY[i.created_at, i.resolved_at, i.cancelled_at, i.first_response_at]) AS ts
    FROM incidents_incident i WHERE i.id IN (SELECT id FROM changed)
    UNION ALL
    SELECT t.created_at FROM incidents_timelineentry t
    WHERE t.incident_id IN (SELECT id FROM changed) AND t.kind IN ('state_change', 'escalation')
    UNION ALL
    SELECT s.stopped_at FROM sla_slatimer s WHERE s.incident_id IN (SELECT id FROM changed) AND s.state = 'completed'
)
SELECT DISTINCT (ts AT TIME ZONE %(zone)s)::date FROM instants WHERE ts IS NOT NULL
"""


def refresh(zone: str, *, now: datetime | None = None) -> int:
    """Recomputes the days touched since the zone's last refresh; builds the zone first if it has none. Returns days."""
    now = now or timezone.now()
    state = RollupState.objects.filter(zone=zone).first()
    if state is None:
        rebuild(zone, now=now)
        return -1
    since = state.refreshed_at - timedelta(minutes=settings.REPORTING_ROLLUP_OVERLAP_MINUTES)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(AFFECTED_DAYS_SQL, {"since": since, "zone": zone})
        days = [row[0] for row in cursor.fetchall()]
        for first, last in _runs(days):
            _rebuild_range(cursor, zone, *periods.day_bounds(first, last, zone))
        _write_facts(cursor, "SELECT id FROM incidents_incident WHERE updated_at >= %(since)s", {"since": since})
        RollupState.objects.filter(pk=state.pk).update(refreshed_at=now)
    return len(days)


def refresh_all(*, now: datetime | None = None) -> dict[str, int]:
    """Refreshes (or first builds) every zone to keep, and drops zones nobody needs any more."""
    zones = zones_to_keep()
    result = {zone: refresh(zone, now=now) for zone in zones}
    stale = list(RollupState.objects.exclude(zone__in=zones).values_list("zone", flat=True))
    if stale:
        drop(stale)
    return result


def drop(zones: list[str]) -> None:
    from reporting.models import IncidentCategoryDailyRollup, IncidentDailyRollup, IncidentFact, SlaDailyRollup

    with transaction.atomic():
        IncidentDailyRollup.objects.filter(zone__in=zones).delete()
        IncidentCategoryDailyRollup.objects.filter(zone__in=zones).delete()
        SlaDailyRollup.objects.filter(zone__in=zones).delete()
        RollupState.objects.filter(zone__in=zones).delete()
        if not RollupState.objects.exists():
            IncidentFact.objects.all().delete()  # no refresh keeps it any more; rebuilt with the next zone
