"""Daily sums of the counted events, read from the rollups when they cover the filters, else from the incidents.

Both paths return the same shape and the same numbers (tests/reporting/test_rollup_equivalence.py).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import Sum

from reporting import periods, rollups, sql
from reporting.filters import ReportFilters
from reporting.models import IncidentCategoryDailyRollup, IncidentDailyRollup, SlaDailyRollup

FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)
FAR_PAST = datetime(1900, 1, 1, tzinfo=UTC)
SLA_DIMENSIONS = ("metric", "team_id", "service_id", "priority", "category_id", "organization_id")


def uses_rollup(f: ReportFilters) -> bool:
    """Whether a rollup covers the filters: the (team, service, priority) one, or, for a category or organization
    filter (with a priority at most), the (category, organization, priority) one; other combinations read incidents."""
    if f.category is None and f.organization is None:
        return rollups.ready_zone(f.zone)
    return f.team is None and f.service is None and rollups.ready_zone(f.zone)


def _empty() -> dict[str, float]:
    return dict.fromkeys(sql.MEASURES, 0)


def category_ids(category: int) -> list[int]:
    """A category and its subcategories (a top-level category covers them, as in the incident list)."""
    from incidents.models import Category

    return [category, *Category.objects.filter(parent_id=category).values_list("pk", flat=True)]


def _rollup_rows(f: ReportFilters):
    if f.category is not None or f.organization is not None:
        rows = IncidentCategoryDailyRollup.objects.filter(zone=f.zone)
        if f.category is not None:
            rows = rows.filter(category_id__in=category_ids(f.category))
        if f.organization is not None:
            rows = rows.filter(organization_id=f.organization)
    else:
        rows = IncidentDailyRollup.objects.filter(zone=f.zone)
    if f.team is not None:
        rows = rows.filter(team_id=f.team)
    if f.service is not None:
        rows = rows.filter(service_id=f.service)
    if f.priority is not None:
        rows = rows.filter(priority=f.priority)
    return rows


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("reporting_series_memo", default=None)


@contextlib.contextmanager
def memoized() -> Iterator[None]:
    """Within the block (one request), daily() answers the same question once: dashboards ask it several times."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def daily(f: ReportFilters, start: date | None = None, end: date | None = None) -> dict[date, dict[str, float]]:
    """Every measure summed per local day in [start, end] (defaults: the report range), days without events omitted."""
    start = start or f.start
    end = end or f.end
    memo = _memo.get()
    if memo is None:
        return _daily(f, start, end)
    key = (f.zone, f.team, f.service, f.priority, f.category, f.organization, start, end)
    if key not in memo:
        memo[key] = _daily(f, start, end)
    return memo[key]


def _daily(f: ReportFilters, start: date, end: date) -> dict[date, dict[str, float]]:
    result: dict[date, dict[str, float]] = {}
    if uses_rollup(f):
        rows = _rollup_rows(f).filter(day__gte=start, day__lte=end).values("day")
        for row in rows.annotate(**{name: Sum(name) for name in sql.MEASURES}).order_by():
            result[row.pop("day")] = {name: row[name] or 0 for name in sql.MEASURES}
        return result
    params: dict = {"zone": f.zone}
    params["lo"], params["hi"] = periods.day_bounds(start, end, f.zone)
    where = sql.dimension_where(f, params=params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT day, {sql.sums_sql()} FROM ({sql.events_sql(where)}) ev GROUP BY day", params)
        for day, *values in cursor.fetchall():
            result[day] = dict(zip(sql.MEASURES, (v or 0 for v in values), strict=True))
    return result


def totals(f: ReportFilters, start: date | None = None, end: date | None = None) -> dict[str, float]:
    """Every measure summed over [start, end] (defaults: the report range)."""
    total = _empty()
    for values in daily(f, start, end).values():
        for name, value in values.items():
            total[name] += value
    return total


def open_before(f: ReportFilters, day: date) -> int:
    """Incidents (of the filters' dimensions) created before `day` and neither resolved nor cancelled before it."""
    if uses_rollup(f):
        sums = (
            _rollup_rows(f)
            .filter(day__lt=day)
            .aggregate(created=Sum("created"), resolved=Sum("resolved"), cancelled=Sum("cancelled"))
        )
        return int((sums["created"] or 0) - (sums["resolved"] or 0) - (sums["cancelled"] or 0))
    # Without rollups: open now, minus what was created since, plus what ended since (all index range scans).
    params: dict = {"zone": f.zone, "lo": periods.local_midnight(day, f.zone), "hi": FAR_FUTURE}
    where = sql.dimension_where(f, params=params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM incidents_incident i WHERE i.resolved_at IS NULL AND i.cancelled_at IS NULL "
            f"AND {where}",
            params,
        )
        (open_now,) = cursor.fetchone()
        counts = []
        for column in ("created_at", "resolved_at", "cancelled_at"):
            # Plain index range counts: only these three measures matter for the backlog.
            cursor.execute(f"SELECT count(*) FROM incidents_incident i WHERE i.{column} >= %(lo)s AND {where}", params)
            counts.append(cursor.fetchone()[0])
        created, resolved, cancelled = counts
    return int(open_now - created + resolved + cancelled)


def sla_rows(f: ReportFilters, group_by: tuple[str, ...]) -> list[dict]:
    """Met and breached counts of timers completed in the range, grouped by SLA dimensions and/or "day"."""
    if rollups.ready_zone(f.zone):
        rows = SlaDailyRollup.objects.filter(zone=f.zone, day__gte=f.start, day__lte=f.end)
        conditions = {
            "team": "team_id",
            "service": "service_id",
            "priority": "priority",
            "organization": "organization_id",
        }
        for name, column in conditions.items():
            if getattr(f, name) is not None:
                rows = rows.filter(**{column: getattr(f, name)})
        if f.category is not None:
            rows = rows.filter(category_id__in=category_ids(f.category))
        return list(rows.values(*group_by).annotate(met=Sum("met"), breached=Sum("breached")).order_by())
    params: dict = {"zone": f.zone}
    params["lo"], params["hi"] = f.bounds
    where = sql.dimension_where(f, alias="s", params=params)
    columns = ", ".join(group_by)
    query = (
        f"SELECT {columns}, sum(met), sum(breached) FROM (SELECT {sql.SLA_SELECT} {sql.SLA_FROM} {sql.SLA_GROUP}) s "
        f"WHERE {where} GROUP BY {columns}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [
            {**dict(zip(group_by, row[: len(group_by)], strict=True)), "met": row[-2], "breached": row[-1]}
            for row in cursor.fetchall()
        ]


def by_day(rows: list[dict]) -> dict[date, dict]:
    grouped: dict[date, dict] = defaultdict(lambda: {"met": 0, "breached": 0})
    for row in rows:
        grouped[row["day"]]["met"] += row["met"]
        grouped[row["day"]]["breached"] += row["breached"]
    return grouped


BREAKDOWNS = ("metric", "month", "priority", "team_id", "service_id", "category_id", "organization_id")


def sla_breakdown(f: ReportFilters) -> dict[str, list[tuple]]:
    """Met and breached sums by each of BREAKDOWNS separately, in one grouping-sets query: {name: [(value, met,
    breached)]}; month is the first day of the local month."""
    params: dict = {"zone": f.zone}
    params["lo"], params["hi"] = f.bounds
    where = sql.dimension_where(f, alias="s", params=params)
    if rollups.ready_zone(f.zone):
        params["lo_day"], params["hi_day"] = f.start, f.end
        source = (
            "SELECT * FROM reporting_sladailyrollup s WHERE s.zone = %(zone)s AND s.day >= %(lo_day)s "
            f"AND s.day <= %(hi_day)s AND {where}"
        )
    else:
        source = f"SELECT s.* FROM (SELECT {sql.SLA_SELECT} {sql.SLA_FROM} {sql.SLA_GROUP}) s WHERE {where}"
    columns = ", ".join(f"GROUPING({c})" for c in BREAKDOWNS)
    sets = ", ".join(f"({c})" for c in BREAKDOWNS)
    query = (
        f"SELECT metric, month, priority, team_id, service_id, category_id, organization_id, {columns}, "
        f"sum(met), sum(breached) FROM (SELECT *, date_trunc('month', day)::date AS month FROM ({source}) src) x "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    result: dict[str, list[tuple]] = {name: [] for name in BREAKDOWNS}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for row in cursor.fetchall():
            values, flags, (met, breached) = row[:7], row[7:14], row[14:]
            index = flags.index(0)
            result[BREAKDOWNS[index]].append((values[index], int(met or 0), int(breached or 0)))
    return result
