"""Every metric of the reports, one function each; docs/metrics.md states the same definitions for people.

All take ReportFilters (a local date range in a zone and optional team/service/priority/category/organization, by
the incident's current values) and return plain data (numbers, strings, ISO dates) that pages, CSV exports, the
API and the summary email share. Durations are seconds.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from incidents.choices import OPEN_STATES, State
from reporting import links, periods, rollups, series, sql
from reporting.businessclock import BusinessClock
from reporting.filters import ReportFilters
from reporting.names import Names

AGE_BUCKETS = [  # (label, lower bound in days); open incidents by time since creation
    ("Under 1 day", 0),
    ("1-3 days", 1),
    ("3-7 days", 3),
    ("7-14 days", 7),
    ("14-30 days", 14),
    ("Over 30 days", 30),
]
DURATION_BUCKETS = [  # (label, lower bound in hours); the resolution-time histogram
    ("< 1 h", 0),
    ("1-4 h", 1),
    ("4-8 h", 4),
    ("8-24 h", 8),
    ("1-2 d", 24),
    ("2-3 d", 48),
    ("3-5 d", 72),
    ("5-7 d", 120),
    ("1-2 wk", 168),
    ("> 2 wk", 336),
]


def _rate(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _where(f: ReportFilters, **params) -> tuple[str, dict]:
    params = {"zone": f.zone, **params}
    return sql.dimension_where(f, params=params), params


def _fetch(query: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


# --- volume and backlog ----------------------------------------------------------------------------------------


def volume(f: ReportFilters) -> dict:
    """Created (by created_at), resolved (by current resolved_at), reopened (resolved -> open state changes) and
    cancelled incidents per day, week or month of the range, in the report zone."""
    days = series.daily(f)
    rows = []
    for bucket in periods.buckets(f.start, f.end, f.granularity):
        sums = dict.fromkeys(("created", "resolved", "reopened", "cancelled"), 0)
        day = bucket.start
        while day <= bucket.end:
            for name in sums:
                sums[name] += int(days.get(day, {}).get(name, 0))
            day += timedelta(days=1)
        lo, hi = periods.day_bounds(bucket.start, bucket.end, f.zone)
        rows.append(
            {
                "period": bucket.label,
                "start": bucket.start.isoformat(),
                "end": bucket.end.isoformat(),
                **sums,
                "created_url": links.incidents(f, when="created", start=lo, end=hi),
                "resolved_url": links.incidents(f, when="resolved", start=lo, end=hi),
            }
        )
    totals = {name: sum(row[name] for row in rows) for name in ("created", "resolved", "reopened", "cancelled")}
    totals["created_url"] = links.incidents(f, when="created")
    totals["resolved_url"] = links.incidents(f, when="resolved")
    totals["reopened_url"] = links.incidents(f, reopened="true")
    return {"rows": rows, "totals": totals}


def backlog(f: ReportFilters, *, now: datetime | None = None) -> dict:
    """Open incidents now (new, in progress, on hold) by age since creation, state, team and priority.

    The date range does not apply: this is the live backlog."""
    now = now or timezone.now()
    where, params = _where(f, now=now)
    bounds = ", ".join(str(days * 86400) for _, days in AGE_BUCKETS[1:])
    rows = _fetch(
        f"SELECT i.state, i.assigned_team_id, i.priority, "
        f"width_bucket(extract(epoch FROM %(now)s - i.created_at), ARRAY[{bounds}]::float8[]) AS age, count(*) "
        f"FROM incidents_incident i WHERE i.state IN {sql.OPEN_STATES_SQL} AND {where} GROUP BY 1, 2, 3, 4",
        params,
    )
    names = Names()
    counts: dict[str, dict] = {"state": {}, "team": {}, "priority": {}, "age": {}}
    for state, team, priority, age, count in rows:
        for key, value in (("state", state), ("team", team), ("priority", priority), ("age", age)):
            counts[key][value] = counts[key].get(value, 0) + count
    by_age = []
    for index, (label, days) in enumerate(AGE_BUCKETS):
        upper = AGE_BUCKETS[index + 1][1] if index + 1 < len(AGE_BUCKETS) else None
        by_age.append(
            {
                "label": label,
                "count": counts["age"].get(index, 0),
                "url": links.incidents(
                    f,
                    open="true",
                    created_before=(now - timedelta(days=days)).isoformat(timespec="seconds"),
                    created_after=(now - timedelta(days=upper)).isoformat(timespec="seconds") if upper else None,
                ),
            }
        )
    by_state = [
        {"state": s, "label": State(s).label, "count": counts["state"].get(s, 0), "url": links.incidents(f, state=s)}
        for s in OPEN_STATES
    ]
    by_team = sorted(
        (
            {"team_id": t, "label": names.team.get(t, "?"), "count": c, "url": links.incidents(f, open="true", team=t)}
            for t, c in counts["team"].items()
        ),
        key=lambda row: -row["count"],
    )
    by_priority = [
        {
            "priority": p,
            "label": f"P{p}",
            "count": counts["priority"].get(p, 0),
            "url": links.incidents(f, open="true", priority=p),
        }
        for p in range(1, 6)
    ]
    total = sum(counts["state"].values())
    return {
        "total": total,
        "url": links.incidents(f, open="true"),
        "by_age": by_age,
        "by_state": by_state,
        "by_team": by_team,
        "by_priority": by_priority,
    }


def backlog_trend(f: ReportFilters) -> list[dict]:
    """Open incidents at the end of each day/week/month: created by then and neither resolved nor cancelled by then
    (an incident reopened and resolved again counts as open from creation to its last resolution)."""
    running = series.open_before(f, f.start)
    days = series.daily(f)
    result = []
    for bucket in periods.buckets(f.start, f.end, f.granularity):
        day = bucket.start
        while day <= bucket.end:
            values = days.get(day)
            if values:
                running += int(values["created"] - values["resolved"] - values["cancelled"])
            day += timedelta(days=1)
        result.append({"period": bucket.label, "date": bucket.end.isoformat(), "open": running})
    return result


# --- response and resolution times ------------------------------------------------------------------------------


def _percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, as Postgres percentile_cont."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (position - lower)


def _stats(count, mean, median, p90) -> dict:
    return {
        "count": int(count or 0),
        "mean": round(mean, 1) if mean is not None else None,
        "median": round(median, 1) if median is not None else None,
        "p90": round(p90, 1) if p90 is not None else None,
    }


def _duration_source(f: ReportFilters, column: str) -> tuple[str, str]:
    """The table to read durations ending at `column` from, and the seconds expression on its alias `i`: the
    per-incident fact table once the rollups of the zone are built (kept by the same refresh), else the incidents."""
    if rollups.ready_zone(f.zone):
        return (
            "reporting_incidentfact",
            "i.response_seconds" if column == "first_response_at" else "i.resolution_seconds",
        )
    expression = sql.RESPONSE_SECONDS_SQL if column == "first_response_at" else sql.RESOLUTION_SECONDS_SQL
    return "incidents_incident", expression


def _wall_stats(f: ReportFilters, column: str) -> dict:
    lo, hi = f.bounds
    table, seconds = _duration_source(f, column)
    where, params = _where(f, lo=lo, hi=hi)
    with transaction.atomic(), connection.cursor() as cursor:
        # The exact percentiles sort every duration of the range: in memory, not in temporary files.
        cursor.execute(f"SET LOCAL work_mem = '{int(settings.REPORTING_SORT_WORK_MEM_MB)}MB'")
        ((count, mean, median, p90),) = _fetch(
            "SELECT count(*), avg(s), percentile_cont(0.5) WITHIN GROUP (ORDER BY s), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FROM ("
            f"SELECT {seconds} AS s FROM {table} i "
            f"WHERE i.{column} >= %(lo)s AND i.{column} < %(hi)s AND {where}) x",
            params,
        )
    return _stats(count, mean, median, p90)


def _business_stats(f: ReportFilters, column: str, metric: str) -> dict:
    """Business time from creation to `column` under the chosen calendar, else each incident's `metric` timer's."""
    from sla.calendars import work_calendars_by_id

    lo, hi = f.bounds
    where, params = _where(f, lo=lo, hi=hi, metric=metric)
    rows = _fetch(
        f"SELECT i.id, extract(epoch FROM i.created_at)::float8, extract(epoch FROM i.{column})::float8 "
        f"FROM incidents_incident i WHERE i.{column} >= %(lo)s AND i.{column} < %(hi)s AND {where}",
        params,
    )
    if f.calendar:
        rows = [(created, ended, f.calendar) for _, created, ended in rows]
    else:
        # One bitmap probe of the timers for all the incidents (a per-incident lateral lookup costs 3x more).
        found = dict(
            _fetch(
                "SELECT DISTINCT ON (t.incident_id) t.incident_id, p.calendar_id FROM sla_slatimer t "
                "JOIN sla_slapolicy p ON p.id = t.policy_id WHERE t.incident_id = ANY(%(ids)s) "
                "AND t.metric = %(metric)s AND t.state <> 'cancelled' ORDER BY t.incident_id, t.id DESC",
                {"ids": [row[0] for row in rows], "metric": metric},
            )
        )
        rows = [(created, ended, found.get(pk)) for pk, created, ended in rows]
    calendars = work_calendars_by_id({row[2] for row in rows if row[2] is not None})
    clocks: dict[int, BusinessClock] = {}
    values: list[float] = []
    excluded = 0
    first = min((row[0] for row in rows), default=0.0)
    for created, ended, calendar_id in rows:
        calendar = calendars.get(calendar_id)
        if calendar is None:
            excluded += 1
            continue
        clock = clocks.get(calendar_id)
        if clock is None:
            clock = clocks[calendar_id] = BusinessClock(calendar, datetime.fromtimestamp(first, tz=UTC), hi)
        values.append(clock.between(created, ended))
    values.sort()
    mean = sum(values) / len(values) if values else None
    return {**_stats(len(values), mean, _percentile(values, 0.5), _percentile(values, 0.9)), "excluded": excluded}


def response_times(f: ReportFilters, *, business: bool = True) -> dict:
    """MTTA: first_response_at - created_at over incidents first responded to in the range; MTTR: resolved_at -
    created_at over incidents resolved in the range. Mean, median and 90th percentile (percentile_cont), in wall-clock
    time and in business time (the chosen calendar, else each incident's response/resolution timer's calendar;
    incidents without such a timer are left out of the business figures and counted as `excluded`)."""
    result = {"mtta": _wall_stats(f, "first_response_at"), "mttr": _wall_stats(f, "resolved_at")}
    days = (f.end - f.start).days + 1
    if business and days > settings.REPORTING_BUSINESS_TIME_MAX_DAYS:
        # Business time is computed per incident; past this range it costs more than a page may take.
        result["business_note"] = (
            f"Business-time figures cover ranges of up to {settings.REPORTING_BUSINESS_TIME_MAX_DAYS} days; "
            "choose a shorter range to see them."
        )
        result["mtta_business"] = result["mttr_business"] = _stats(0, None, None, None) | {"excluded": 0}
    elif business:
        result["mtta_business"] = _business_stats(f, "first_response_at", "response")
        result["mttr_business"] = _business_stats(f, "resolved_at", "resolution")
    result["calendar"] = _calendar_label(f.calendar)
    result["mtta_url"] = links.incidents(f)
    result["mttr_url"] = links.incidents(f, when="resolved")
    return result


def _calendar_label(calendar_id: int | None) -> str:
    if not calendar_id:
        return "Each incident's SLA calendar"
    from sla.models import BusinessCalendar

    return BusinessCalendar.objects.filter(pk=calendar_id).values_list("name", flat=True).first() or "?"


def resolution_histogram(f: ReportFilters) -> list[dict]:
    """How many incidents resolved in the range took how long (wall clock, creation to resolution)."""
    lo, hi = f.bounds
    where, params = _where(f, lo=lo, hi=hi)
    bounds = ", ".join(str(hours * 3600) for _, hours in DURATION_BUCKETS[1:])
    table, seconds = _duration_source(f, "resolved_at")
    counts = dict(
        _fetch(
            f"SELECT width_bucket({seconds}, ARRAY[{bounds}]::float8[]), "
            f"count(*) FROM {table} i WHERE i.resolved_at >= %(lo)s AND i.resolved_at < %(hi)s AND {where} "
            "GROUP BY 1",
            params,
        )
    )
    return [
        {"label": label, "from_hours": hours, "count": counts.get(index, 0)}
        for index, (label, hours) in enumerate(DURATION_BUCKETS)
    ]


def mttr_trend(f: ReportFilters) -> list[dict]:
    """Mean time to resolve and to respond per day/week/month (sums and counts of the rollup)."""
    days = series.daily(f)
    rows = []
    for bucket in periods.buckets(f.start, f.end, f.granularity):
        sums = dict.fromkeys(("resolved", "resolution_seconds", "responded", "response_seconds"), 0.0)
        day = bucket.start
        while day <= bucket.end:
            for name in sums:
                sums[name] += days.get(day, {}).get(name, 0)
            day += timedelta(days=1)
        rows.append(
            {
                "period": bucket.label,
                "mttr": round(sums["resolution_seconds"] / sums["resolved"], 1) if sums["resolved"] else None,
                "mtta": round(sums["response_seconds"] / sums["responded"], 1) if sums["responded"] else None,
            }
        )
    return rows


# --- quality ---------------------------------------------------------------------------------------------------


def quality(f: ReportFilters) -> dict:
    """First-contact resolution, reopen rate, satisfaction and escalations of the range.

    First contact: resolved in the range, never reopened, never on hold, never escalated and never moved away from a
    team or person it already had. Reopen rate: reopen events in the range / incidents resolved in the range.
    Satisfaction: ratings (1-5) of the incidents resolved in the range. Escalations: timeline escalation entries."""
    t = series.totals(f)
    distribution = [
        {"score": n, "count": int(t[f"rating_{n}"]), "url": links.incidents(f, when="resolved", rating=n)}
        for n in range(1, 6)
    ]
    return {
        "resolved": int(t["resolved"]),
        "first_contact": int(t["first_contact"]),
        "first_contact_rate": _rate(t["first_contact"], t["resolved"]),
        "reopened": int(t["reopened"]),
        "reopen_rate": _rate(t["reopened"], t["resolved"]),
        "rated": int(t["rated"]),
        "satisfaction": round(t["rating_sum"] / t["rated"], 2) if t["rated"] else None,
        "satisfaction_distribution": distribution,
        "escalated": int(t["escalated"]),
        "escalated_url": links.incidents(f, escalated="true", when="created"),
        "resolved_url": links.incidents(f, when="resolved"),
    }


def escalation_trend(f: ReportFilters) -> list[dict]:
    """Escalation entries per day/week/month."""
    days = series.daily(f)
    rows = []
    for bucket in periods.buckets(f.start, f.end, f.granularity):
        count, day = 0, bucket.start
        while day <= bucket.end:
            count += int(days.get(day, {}).get("escalated", 0))
            day += timedelta(days=1)
        rows.append({"period": bucket.label, "escalated": count})
    return rows


# --- major incidents, workload, problem candidates ---------------------------------------------------------------


def major_impact(ids: list[int]) -> dict[int, dict]:
    """For each major incident: its descendants (children, their children, ...), distinct callers among it and them
    (affected users), their distinct services and how many of their SLA timers breached."""
    if not ids:
        return {}
    rows = _fetch(
        """
        WITH RECURSIVE tree(root, id) AS (
            SELECT id, id FROM incidents_incident WHERE id = ANY(%(ids)s)
            UNION SELECT tree.root, c.id FROM incidents_incident c JOIN tree ON c.parent_id = tree.id
        )
        SELECT tree.root, count(*) - 1, count(DISTINCT i.caller_id),
               array_remove(array_agg(DISTINCT i.service_id), NULL),
               (SELECT count(*) FROM sla_slatimer s WHERE s.breached AND s.incident_id IN
                   (SELECT t2.id FROM tree t2 WHERE t2.root = tree.root))
        FROM tree JOIN incidents_incident i ON i.id = tree.id GROUP BY tree.root
        """,
        {"ids": list(ids)},
    )
    return {
        root: {"children": children, "affected_users": users, "service_ids": services, "sla_breaches": breaches}
        for root, children, users, services, breaches in rows
    }


def major_incidents(f: ReportFilters, *, now: datetime | None = None) -> dict:
    """Major incidents open at any moment of the range: duration (creation to resolution, or to now while open),
    child incidents, affected users (distinct callers of the major incident and its descendants)."""
    now = now or timezone.now()
    lo, hi = f.bounds
    where, params = _where(f, lo=lo, hi=hi)
    rows = _fetch(
        "SELECT i.id, i.number, i.short_description, i.state, i.created_at, i.resolved_at, i.cancelled_at "
        "FROM incidents_incident i WHERE i.is_major AND i.created_at < %(hi)s "
        f"AND coalesce(i.resolved_at, i.cancelled_at, 'infinity') >= %(lo)s AND {where} ORDER BY i.created_at DESC",
        params,
    )
    impact = major_impact([row[0] for row in rows])
    names = Names()
    items = []
    for pk, number, title, state, created, resolved, cancelled in rows:
        ended = resolved or cancelled
        extra = impact.get(pk, {})
        items.append(
            {
                "number": number,
                "title": title,
                "state": state,
                "created_at": created.isoformat(),
                "resolved_at": ended.isoformat() if ended else None,
                "duration": round(((ended or now) - created).total_seconds(), 1),
                "ongoing": ended is None,
                "children": extra.get("children", 0),
                "affected_users": extra.get("affected_users", 0),
                "services": ", ".join(sorted(names.service.get(s, "?") for s in extra.get("service_ids", []))),
                "sla_breaches": extra.get("sla_breaches", 0),
                "url": links.incident(number),
                "children_url": links.incidents(None, parent=number),
            }
        )
    durations = [item["duration"] for item in items]
    return {
        "count": len(items),
        "total_duration": round(sum(durations), 1),
        "affected_users": sum(item["affected_users"] for item in items),
        "items": items,
        "url": links.incidents(f, major="true"),
    }


def workload(f: ReportFilters) -> dict:
    """Per team and per agent: open incidents assigned now, and incidents resolved in the range (by current team and
    assignee)."""
    lo, hi = f.bounds
    where, params = _where(f, lo=lo, hi=hi)
    open_rows = _fetch(
        f"SELECT i.assigned_team_id, i.assignee_id, count(*) FROM incidents_incident i "
        f"WHERE i.state IN {sql.OPEN_STATES_SQL} AND {where} GROUP BY 1, 2",
        params,
    )
    table, _ = _duration_source(f, "resolved_at")
    resolved_rows = _fetch(
        f"SELECT i.assigned_team_id, i.assignee_id, count(*) FROM {table} i "
        f"WHERE i.resolved_at >= %(lo)s AND i.resolved_at < %(hi)s AND {where} GROUP BY 1, 2",
        params,
    )
    teams: dict = {}
    agents: dict = {}
    for rows, key in ((open_rows, "open_assigned"), (resolved_rows, "resolved")):
        for team, assignee, count in rows:
            teams.setdefault(team, {"open_assigned": 0, "resolved": 0})[key] += count
            if assignee is not None:
                agents.setdefault(assignee, {"open_assigned": 0, "resolved": 0})[key] += count
    names = Names()
    users = names.users(agents.keys())
    team_rows = [
        {
            "team_id": team,
            "label": names.team.get(team, "?"),
            **values,
            "open_url": links.incidents(f, open="true", team=team) if team else links.incidents(f, open="true"),
            "resolved_url": links.incidents(f, when="resolved", team=team),
        }
        for team, values in teams.items()
    ]
    agent_rows = [
        {
            "user_id": user,
            "label": users.get(user, "?"),
            **values,
            "open_url": links.incidents(f, open="true", assignee=user),
            "resolved_url": links.incidents(f, when="resolved", assignee=user),
        }
        for user, values in agents.items()
    ]
    order = lambda row: (-row["open_assigned"], -row["resolved"], row["label"])  # noqa: E731
    return {"teams": sorted(team_rows, key=order), "agents": sorted(agent_rows, key=order)}


def problem_candidates(f: ReportFilters, *, min_incidents: int, window_days: int) -> dict:
    """Services, configuration items and categories with at least `min_incidents` incidents created in the
    `window_days` days ending with the range's last day: the input to problem management."""
    from incidents.models import ConfigurationItem

    end = f.end
    start = end - timedelta(days=window_days - 1)
    lo, hi = periods.day_bounds(start, end, f.zone)
    where, params = _where(f, lo=lo, hi=hi)
    rows = _fetch(
        "SELECT i.service_id, i.ci_id, i.category_id, count(*) FROM incidents_incident i "
        f"WHERE i.created_at >= %(lo)s AND i.created_at < %(hi)s AND {where} GROUP BY 1, 2, 3",
        params,
    )
    names = Names()
    ci_names = dict(ConfigurationItem.objects.filter(pk__in={r[1] for r in rows if r[1]}).values_list("pk", "name"))
    groups: dict[str, dict] = {"service": {}, "ci": {}, "category": {}}
    for service, ci, category, count in rows:
        for key, value in (("service", service), ("ci", ci), ("category", category)):
            if value is not None:
                groups[key][value] = groups[key].get(value, 0) + count
    labels = {"service": names.service, "ci": ci_names, "category": names.category}

    def listing(key: str) -> list[dict]:
        found = [
            {
                "id": pk,
                "label": labels[key].get(pk, "?"),
                "count": count,
                "url": links.incidents(f, when="created", start=lo, end=hi, **{key: pk}),
            }
            for pk, count in groups[key].items()
            if count >= min_incidents
        ]
        return sorted(found, key=lambda row: (-row["count"], row["label"]))

    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "min_incidents": min_incidents,
        "window_days": window_days,
        "services": listing("service"),
        "cis": listing("ci"),
        "categories": listing("category"),
    }


def summary(f: ReportFilters) -> dict:
    """The key figures of the range, for the summary email and the dashboard tiles."""
    v = volume(f)["totals"]
    return {
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "created": v["created"],
        "resolved": v["resolved"],
        "reopened": v["reopened"],
        "open_now": backlog(f)["total"],
        **{key: value for key, value in quality(f).items() if not key.endswith("_url")},
        "times": response_times(f, business=False),
    }


def day_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
