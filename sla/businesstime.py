"""Business-time arithmetic: weekly working hours, holidays and time zones, in real elapsed time.

Pure Python on purpose (no Django, no database) so the SLA engine, reports and tests can share it.
See docs/businesstime.md for the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "WorkCalendar",
    "add_business_time",
    "business_time_between",
    "is_working_at",
    "next_working_instant",
]

WeeklyHours = tuple[tuple[tuple[time, time], ...], ...]
Span = tuple[datetime, datetime]

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
_MIDNIGHT = time(0)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# An interval of local date X lies between X 00:00 and X+2 00:00 wall time, and a UTC offset is always
# strictly less than a day, so in UTC it lies strictly between X-1 and X+3. Starting a scan 3 days before
# an instant therefore sees every interval that can contain it.
_LOOKBACK = timedelta(days=3)
# Bounds the search for the next working time so a calendar made only of holidays fails instead of looping.
_SCAN_LIMIT_DAYS = 3 * 366


@dataclass(frozen=True)
class WorkCalendar:
    """Weekly working intervals in wall-clock time of one IANA zone, minus holiday dates."""

    timezone: str
    # Given as a mapping {weekday: [(start, end), ...]} (Monday=0, days may be omitted); always stored as a
    # 7-tuple indexed by weekday so the calendar is immutable and hashable and cal.weekly_hours[0] still works.
    weekly_hours: WeeklyHours | Mapping[int, Iterable[tuple[time, time]]]
    # Local dates in the calendar's zone; any iterable is accepted and stored as a frozenset.
    holidays: frozenset[date] = frozenset()
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _always: bool = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        zone = _load_zone(self.timezone)
        week = _normalize_week(self.weekly_hours)
        _check_overlaps(week)
        holidays = _normalize_holidays(self.holidays)
        first = week[0]
        # One start==end interval on every day tiles time completely, so such a calendar is plain elapsed time.
        always = not holidays and len(first) == 1 and first[0][0] == first[0][1] and all(d == first for d in week)
        object.__setattr__(self, "weekly_hours", week)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_always", always)
        # Calendars are lru_cache keys on every scanned day, so hash the nested tuples once.
        object.__setattr__(self, "_hash", hash((self.timezone, week, holidays)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[WorkCalendar], tuple[str, WeeklyHours, frozenset[date]]]:
        # Rebuild through __init__ so an unpickled calendar recomputes its hash under the new process's seed.
        return (type(self), (self.timezone, self.weekly_hours, self.holidays))

    @classmethod
    def always(cls, timezone: str = "UTC") -> WorkCalendar:
        """Return a 24x7 calendar without holidays, where business time is plain elapsed time."""
        return cls(timezone=timezone, weekly_hours={day: [(_MIDNIGHT, _MIDNIGHT)] for day in range(7)})

    def intervals_on(self, local_date: date) -> list[tuple[datetime, datetime]]:
        """Return the working intervals that start on a local date, as aware datetimes in the calendar's zone."""
        if isinstance(local_date, datetime) or not isinstance(local_date, date):
            raise TypeError(f"local_date must be a datetime.date, got {type(local_date).__name__}")
        return [
            (start.astimezone(self._zone), end.astimezone(self._zone)) for start, end in _day_spans(self, local_date)
        ]


def add_business_time(cal: WorkCalendar, start: datetime, duration: timedelta) -> datetime:
    """Return the earliest instant by which `duration` of business time has elapsed since `start`."""
    _check_calendar(cal)
    since = _to_utc(start, "start")
    if not isinstance(duration, timedelta):
        raise TypeError(f"duration must be a datetime.timedelta, got {type(duration).__name__}")
    if duration < _ZERO:
        raise ValueError(f"duration must not be negative, got {duration}")
    if duration == _ZERO:
        # No business time is needed, so the start itself qualifies even outside working hours.
        return since.astimezone(cal._zone)
    if cal._always:
        return (since + duration).astimezone(cal._zone)
    _require_working_time(cal)
    remaining = duration
    for begin, end in _blocks(cal, since, None):
        begin = max(begin, since)
        available = end - begin
        if remaining <= available:
            # `<=` so that a duration used up exactly at closing time ends there, not at the next opening.
            return (begin + remaining).astimezone(cal._zone)
        remaining -= available
    raise AssertionError("unreachable: _blocks without a bound is infinite or raises")


def business_time_between(cal: WorkCalendar, start: datetime, end: datetime) -> timedelta:
    """Return the business time inside [start, end), or zero when end is not after start."""
    _check_calendar(cal)
    since = _to_utc(start, "start")
    until = _to_utc(end, "end")
    if until <= since:
        return _ZERO
    if cal._always:
        return until - since
    if not any(cal.weekly_hours):
        return _ZERO
    total = _ZERO
    for begin, stop in _blocks(cal, since, until):
        if begin >= until:
            break
        total += min(stop, until) - max(begin, since)
    return total


def is_working_at(cal: WorkCalendar, instant: datetime) -> bool:
    """Return whether the instant falls inside a working interval (start inclusive, end exclusive)."""
    _check_calendar(cal)
    moment = _to_utc(instant, "instant")
    if cal._always:
        return True
    if not any(cal.weekly_hours):
        return False
    for begin, _end in _blocks(cal, moment, moment):
        return begin <= moment
    return False


def next_working_instant(cal: WorkCalendar, instant: datetime) -> datetime:
    """Return the instant itself when it is working time, else the start of the next working interval."""
    _check_calendar(cal)
    moment = _to_utc(instant, "instant")
    if cal._always:
        return moment.astimezone(cal._zone)
    _require_working_time(cal)
    for begin, _end in _blocks(cal, moment, None):
        return max(begin, moment).astimezone(cal._zone)
    raise AssertionError("unreachable: _blocks without a bound is infinite or raises")


# --- scanning -------------------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _day_spans(cal: WorkCalendar, day: date) -> tuple[Span, ...]:
    """Return the UTC spans of the intervals starting on a local date, sorted, without empty ones."""
    if day in cal.holidays:
        return ()
    zone = cal._zone
    spans = []
    for start, end in cal.weekly_hours[day.weekday()]:
        # fold=0 (the default) reads gap and ambiguous wall times the way zoneinfo does; the real length
        # comes from subtracting in UTC, never from wall-clock arithmetic.
        begin = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        end_day = day if end > start else day + _DAY
        stop = datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)
        # A gap can make a wall-clock interval empty or even negative in real time (02:30-03:00 on a
        # spring-forward night); it holds no business time.
        if stop > begin:
            spans.append((begin, stop))
    spans.sort()
    return tuple(spans)


def _blocks(cal: WorkCalendar, since: datetime, until: datetime | None) -> Iterator[Span]:
    """Yield non-overlapping working blocks in UTC order that end after `since`; stop once past `until` if given."""
    day = (since - _LOOKBACK).date()
    pending: list[Span] = []
    last_working_day = day
    while True:
        spans = _day_spans(cal, day)
        if spans:
            last_working_day = day
            # Merging keeps the union exact when a DST gap makes intervals overlap in real time.
            pending = _merge(pending, spans)
        # Every interval of a later date starts after this date's 00:00 UTC (see _LOOKBACK), so blocks
        # ending by then can no longer grow or be overlapped.
        horizon = datetime.combine(day, _MIDNIGHT, tzinfo=UTC)
        while pending and pending[0][1] <= horizon:
            block = pending.pop(0)
            if block[1] > since:
                yield block
        if until is not None and horizon >= until:
            for block in pending:
                if block[1] > since:
                    yield block
            return
        if until is None and (day - last_working_day).days > _SCAN_LIMIT_DAYS:
            raise ValueError(
                f"no working time found in the {_SCAN_LIMIT_DAYS} days after {since.astimezone(cal._zone)}; "
                "the calendar's holidays cover every working day"
            )
        day += _DAY


def _merge(blocks: list[Span], spans: Iterable[Span]) -> list[Span]:
    """Return the union of blocks and spans as sorted spans that may touch but do not overlap."""
    ordered = sorted([*blocks, *spans])
    merged = [ordered[0]]
    for begin, end in ordered[1:]:
        last_begin, last_end = merged[-1]
        # Touching spans stay apart: merging them would let a 24x7 chain grow forever and never be yielded.
        if begin < last_end:
            if end > last_end:
                merged[-1] = (last_begin, end)
        else:
            merged.append((begin, end))
    return merged


# --- validation ------------------------------------------------------------------------------------------


def _load_zone(name: object) -> ZoneInfo:
    """Return the ZoneInfo for an IANA name, or raise ValueError."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"timezone must be an IANA zone name such as 'Europe/Warsaw', got {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA zone name such as 'Europe/Warsaw'") from exc


def _normalize_week(raw: object) -> WeeklyHours:
    """Return weekly hours as a 7-tuple (Monday first) of sorted (start, end) pairs, or raise ValueError."""
    if isinstance(raw, Mapping):
        days: list[object] = [()] * 7
        for weekday, spans in raw.items():
            if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
                raise ValueError(f"weekly_hours keys must be weekday numbers 0 (Monday) to 6 (Sunday), got {weekday!r}")
            days[weekday] = spans
    elif isinstance(raw, list | tuple) and len(raw) == 7:
        # The stored form; accepting it lets dataclasses.replace() rebuild a calendar.
        days = list(raw)
    else:
        raise ValueError("weekly_hours must map weekday numbers (Monday=0 .. Sunday=6) to lists of (start, end) times")
    return tuple(_normalize_day(weekday, spans) for weekday, spans in enumerate(days))


def _normalize_day(weekday: int, spans: object) -> tuple[tuple[time, time], ...]:
    """Return one day's intervals as sorted (start, end) pairs of naive times, or raise ValueError."""
    name = _WEEKDAYS[weekday]
    if spans is None:
        return ()
    if not isinstance(spans, list | tuple | set | frozenset):
        raise ValueError(f"{name}: working hours must be a list of (start, end) pairs, got {spans!r}")
    pairs = []
    for span in spans:
        if not isinstance(span, list | tuple) or len(span) != 2:
            raise ValueError(
                f"{name}: each working interval must be a (start, end) pair of datetime.time, got {span!r}"
            )
        start, end = span
        for bound in (start, end):
            if not isinstance(bound, time):
                raise ValueError(f"{name}: interval bounds must be datetime.time, got {bound!r}")
            if bound.tzinfo is not None:
                raise ValueError(f"{name}: interval bounds are wall-clock times and must not carry a tzinfo")
        pairs.append((start.replace(fold=0), end.replace(fold=0)))
    pairs.sort()
    return tuple(pairs)


def _check_overlaps(week: WeeklyHours) -> None:
    """Raise ValueError when two intervals overlap in wall-clock time, including across days and weeks."""
    placed = []
    for weekday, pairs in enumerate(week):
        for start, end in pairs:
            begin = weekday * _DAY + _since_midnight(start)
            placed.append((begin, begin + _wall_length(start, end), weekday, start, end))
    placed.sort()
    for index, current in enumerate(placed):
        wraps = index + 1 == len(placed)
        following = placed[0] if wraps else placed[index + 1]
        # The week is a circle: Sunday night's interval runs into Monday of the next week.
        following_begin = following[0] + (_WEEK if wraps else _ZERO)
        if current[1] > following_begin:
            raise ValueError(f"working intervals overlap: {_describe(current)} and {_describe(following)}")


def _normalize_holidays(raw: object) -> frozenset[date]:
    """Return holidays as a frozenset of dates, or raise ValueError."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise ValueError(f"holidays must be a set of datetime.date, got {raw!r}")
    holidays = frozenset(raw)
    for holiday in holidays:
        if isinstance(holiday, datetime) or not isinstance(holiday, date):
            raise ValueError(f"holidays must be local datetime.date values, got {holiday!r}")
    return holidays


def _check_calendar(cal: object) -> None:
    """Raise TypeError unless given a WorkCalendar."""
    if not isinstance(cal, WorkCalendar):
        raise TypeError(f"cal must be a WorkCalendar, got {type(cal).__name__}")


def _require_working_time(cal: WorkCalendar) -> None:
    """Raise ValueError for a calendar without any working interval, which could never finish a duration."""
    if not any(cal.weekly_hours):
        raise ValueError("the calendar has no working hours on any weekday, so business time never elapses")


def _to_utc(value: object, name: str) -> datetime:
    """Return an aware datetime converted to UTC, or raise for naive or non-datetime values."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def _since_midnight(moment: time) -> timedelta:
    """Return the wall-clock offset of a time of day from midnight."""
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second, microseconds=moment.microsecond)


def _wall_length(start: time, end: time) -> timedelta:
    """Return an interval's wall-clock length; an end not after the start runs into the next day."""
    length = _since_midnight(end) - _since_midnight(start)
    return length if end > start else length + _DAY


def _describe(placed: tuple[timedelta, timedelta, int, time, time]) -> str:
    """Return 'Monday 22:00-06:00' for an interval placed in the week."""
    _begin, _end, weekday, start, end = placed
    return f"{_WEEKDAYS[weekday]} {_clock(start)}-{_clock(end)}"


def _clock(moment: time) -> str:
    """Return HH:MM, or the full time when it has seconds."""
    return moment.isoformat(timespec="minutes" if not (moment.second or moment.microsecond) else "auto")
