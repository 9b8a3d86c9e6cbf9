"""Stored calendars turned into WorkCalendar objects (cached per process until the row changes), and holiday loading."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from datetime import date, time

from django.db import transaction

from sla.businesstime import WorkCalendar
from sla.models import BusinessCalendar, Holiday

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
ALWAYS_HOURS = {day: [["00:00", "00:00"]] for day in DAYS}

# calendar id -> (updated_at, WorkCalendar); a changed row (holidays bump updated_at too) is rebuilt on next use.
_cache: dict[int, tuple[object, WorkCalendar]] = {}
_lock = threading.Lock()


def parse_weekly_hours(raw: object) -> dict[int, list[tuple[time, time]]]:
    """Turns {"monday": [["08:00", "16:00"]], ...} into {0: [(time, time)]}, or raises ValueError with a message."""
    if not isinstance(raw, dict):
        raise ValueError('Give working hours per weekday, e.g. {"monday": [["08:00", "16:00"]]}.')
    week: dict[int, list[tuple[time, time]]] = {}
    for key, spans in raw.items():
        name = str(key).strip().lower()
        if name not in DAYS:
            raise ValueError(f"{key!r} is not a weekday; use monday ... sunday.")
        if not isinstance(spans, list):
            raise ValueError(f"{name}: give a list of [start, end] pairs.")
        pairs = []
        for span in spans:
            if not isinstance(span, list | tuple) or len(span) != 2:
                raise ValueError(f'{name}: each interval is a [start, end] pair such as ["08:00", "16:00"].')
            bounds = []
            for value in span:
                match = _CLOCK.match(str(value))
                if not match:
                    raise ValueError(f"{name}: {value!r} is not a time of day (HH:MM, 00:00 to 23:59).")
                bounds.append(time(int(match.group(1)), int(match.group(2))))
            pairs.append((bounds[0], bounds[1]))
        week[DAYS.index(name)] = pairs
    return week


def build(timezone: str, weekly_hours: object, holidays: Iterable[date] = ()) -> WorkCalendar:
    """A WorkCalendar from stored values; ValueError (unknown zone, overlapping hours, ...) carries a user message."""
    week = parse_weekly_hours(weekly_hours)
    return WorkCalendar(timezone=timezone, weekly_hours=week, holidays=frozenset(holidays))


def work_calendars(calendars: Iterable[BusinessCalendar]) -> dict[int, WorkCalendar]:
    """WorkCalendars for rows already loaded; holidays of the changed ones are read in one query."""
    result: dict[int, WorkCalendar] = {}
    stale: dict[int, BusinessCalendar] = {}
    for cal in calendars:
        cached = _cache.get(cal.pk)
        if cached is not None and cached[0] == cal.updated_at:
            result[cal.pk] = cached[1]
        else:
            stale[cal.pk] = cal
    if stale:
        dates: dict[int, set[date]] = {pk: set() for pk in stale}
        for calendar_id, day in Holiday.objects.filter(calendar_id__in=stale).values_list("calendar_id", "date"):
            dates[calendar_id].add(day)
        with _lock:
            for pk, cal in stale.items():
                work = build(cal.timezone, cal.weekly_hours, dates[pk])
                _cache[pk] = (cal.updated_at, work)
                result[pk] = work
    return result


def work_calendars_by_id(ids: Iterable[int]) -> dict[int, WorkCalendar]:
    """WorkCalendars by calendar id: one query for the rows (plus one for holidays when a row changed)."""
    ids = set(ids)
    if not ids:
        return {}
    return work_calendars(
        BusinessCalendar.objects.filter(pk__in=ids).only("pk", "timezone", "weekly_hours", "updated_at")
    )


def clear_cache() -> None:
    """Forgets every cached calendar (tests)."""
    _cache.clear()


@transaction.atomic
def load_holidays(calendar: BusinessCalendar, *, country: str, years: Iterable[int], subdiv: str | None = None) -> int:
    """Adds the public holidays of a country (and optional subdivision) for some years; returns how many were new."""
    import holidays as holidays_lib

    try:
        table = holidays_lib.country_holidays(country.upper(), subdiv=subdiv, years=list(years))
    except NotImplementedError as exc:
        raise ValueError(f"The holidays package does not know the country {country!r}.") from exc
    except Exception as exc:  # the package raises NotImplementedError or plain errors for bad subdivisions
        raise ValueError(str(exc)) from exc
    existing = set(Holiday.objects.filter(calendar=calendar).values_list("date", flat=True))
    new = [
        Holiday(calendar=calendar, date=day, name=str(name)[:120])
        for day, name in sorted(table.items())
        if day not in existing
    ]
    Holiday.objects.bulk_create(new, ignore_conflicts=True)
    calendar.touch()
    return len(new)
