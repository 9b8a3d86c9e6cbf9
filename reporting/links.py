"""Links from every figure to the incident list behind it (/incidents/ with IncidentFilterSet parameters)."""

from __future__ import annotations

from datetime import datetime

from django.utils.http import urlencode

from reporting.filters import ReportFilters

QUEUE = "/incidents/"
# The incident list filters by every report dimension.
LIST_DIMENSIONS = ("team", "service", "priority", "category", "organization")


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def incidents(
    f: ReportFilters | None,
    *,
    when: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    **params,
) -> str:
    """The incident list for the filters' dimensions, narrowed by `params` (state, open, sla, team, ...).

    when="created" limits to incidents created in [start, end) (default: the report range); when="resolved" to
    incidents resolved in it (resolved_after/resolved_before).
    """
    query: list[tuple[str, str]] = []
    if f is not None:
        for name in LIST_DIMENSIONS:
            value = getattr(f, name)
            if value is not None and name not in params:
                query.append((name, str(value)))
        if when is not None:
            lo, hi = f.bounds
            start, end = start or lo, end or hi
    if when is not None and start is not None:
        query += [(f"{when}_after", _iso(start)), (f"{when}_before", _iso(end))]
    for name, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        query += [(name, str(v)) for v in values]
    return f"{QUEUE}?{urlencode(query)}" if query else QUEUE


def incident(number: str) -> str:
    return f"/incidents/{number}/"
