"""Cutting time into report periods in a time zone: pure date arithmetic, no database."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

GRANULARITIES = ("day", "week", "month")


def valid_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def viewer_zone(user, default: str) -> str:
    """The viewer's own zone when their profile names a valid one, else the report zone."""
    zone = getattr(user, "time_zone", "") or ""
    return zone if valid_zone(zone) else default


def local_midnight(day: date, zone: str) -> datetime:
    """The instant a local day starts (DST-safe: midnight exists in every IANA zone we support, else the gap end)."""
    tz = zoneinfo.ZoneInfo(zone)
    return datetime.combine(day, time(0), tzinfo=tz)


def day_bounds(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the zone: the instants covered by the inclusive local date range."""
    return local_midnight(start, zone), local_midnight(end + timedelta(days=1), zone)


def bucket_start(day: date, granularity: str) -> date:
    """The first day of the day/week (Monday)/month that contains `day`."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def next_bucket(day: date, granularity: str) -> date:
    """The first day of the bucket after the one starting at `day`."""
    if granularity == "week":
        return day + timedelta(days=7)
    if granularity == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


@dataclass(frozen=True)
class Bucket:
    """One period of a trend: [start, end] local dates, clipped to the report range."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return self.start.isoformat()


def buckets(start: date, end: date, granularity: str) -> list[Bucket]:
    """The periods covering [start, end], the first and last clipped to the range."""
    result = []
    current = bucket_start(start, granularity)
    while current <= end:
        following = next_bucket(current, granularity)
        result.append(Bucket(max(current, start), min(following - timedelta(days=1), end)))
        current = following
    return result


def previous_period(today: date, frequency: str) -> tuple[date, date]:
    """The last complete week (Monday-Sunday) or month before `today`."""
    if frequency == "monthly":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(days=7), this_monday - timedelta(days=1)
