"""Hypothesis properties for sla.businesstime over random calendars, zones, holidays, starts and durations.

Instants are compared in UTC: Python never finds a repeated-hour datetime (fold=1) equal to one in another zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla.businesstime import (
    WorkCalendar,
    add_business_time,
    business_time_between,
    is_working_at,
    next_working_instant,
)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TINY = timedelta(microseconds=1)
ZONES = ["Europe/Warsaw", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
# 2026 transitions of the zones above; starts are drawn near them often so DST nights are actually exercised.
TRANSITIONS = [
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 4, 5, 3, tzinfo=UTC),
    datetime(2026, 9, 6, 4, tzinfo=UTC),
    datetime(2026, 4, 4, 15, tzinfo=UTC),
    datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
]
SLOT = 15  # minutes; interval bounds fall on quarter hours so they meet the gap and overlap edges
SLOTS_PER_DAY = 24 * 60 // SLOT
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY


def slot_time(slot: int) -> time:
    minute = (slot % SLOTS_PER_DAY) * SLOT
    return time(minute // 60, minute % 60)


@st.composite
def weekly_hours(draw) -> dict[int, list[tuple[time, time]]]:
    """Non-overlapping intervals anywhere in the week, up to 24h long, possibly overnight or across Sunday."""
    points = sorted(draw(st.lists(st.integers(0, SLOTS_PER_WEEK - 1), min_size=2, max_size=14, unique=True)))
    shift = draw(st.integers(0, SLOTS_PER_WEEK - 1))
    hours: dict[int, list[tuple[time, time]]] = {}
    for begin, end in zip(points[::2], points[1::2], strict=False):
        length = min(end - begin, SLOTS_PER_DAY)
        start = (begin + shift) % SLOTS_PER_WEEK
        hours.setdefault(start // SLOTS_PER_DAY, []).append((slot_time(start), slot_time(start + length)))
    return hours


@st.composite
def daily_hours(draw) -> dict[int, list[tuple[time, time]]]:
    """The same one to three intervals on chosen days, often overnight, so every night's transition is met."""
    points = sorted(draw(st.lists(st.integers(0, SLOTS_PER_DAY - 1), min_size=2, max_size=6, unique=True)))
    if len(points) % 2:
        points.append(points[0] + SLOTS_PER_DAY)  # close the last interval overnight at the first point
    shift = draw(st.integers(0, SLOTS_PER_DAY - 1))  # rotating the day turns some intervals into overnight ones
    day = [(slot_time(b + shift), slot_time(e + shift)) for b, e in zip(points[::2], points[1::2], strict=True)]
    days = draw(st.sets(st.integers(0, 6), min_size=1))
    return {d: day for d in days}


@st.composite
def calendars(draw) -> WorkCalendar:
    hours = draw(st.one_of(weekly_hours(), daily_hours()))
    holidays = draw(st.frozensets(st.dates(date(2025, 12, 1), date(2027, 3, 31)), max_size=25))
    return WorkCalendar(draw(st.sampled_from(ZONES)), hours, holidays)


@st.composite
def instants(draw) -> datetime:
    """Aware instants in 2026, often within days of a transition, in a random zone."""
    if draw(st.booleans()):
        moment = draw(st.sampled_from(TRANSITIONS)) + timedelta(minutes=draw(st.integers(-4 * 1440, 4 * 1440)))
    else:
        moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 365 * 1440)))
    moment += timedelta(microseconds=draw(st.sampled_from([0, 0, 1, 999_999])))
    return moment.astimezone(ZoneInfo(draw(st.sampled_from(ZONES))))


durations = st.one_of(
    st.integers(0, 10 * 24 * 60).map(lambda m: timedelta(minutes=m)),
    st.integers(0, 30 * 24 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us)),
    st.just(timedelta(0)),
)


def wall_length(start: time, end: time) -> timedelta:
    length = datetime.combine(date.min, end) - datetime.combine(date.min, start)
    return length if end > start else length + timedelta(days=1)


def bounded(cal: WorkCalendar, duration: timedelta) -> timedelta:
    """Cap a duration at three weeks of the calendar's hours so sparse calendars stay quick to scan."""
    weekly = sum((wall_length(s, e) for day in cal.weekly_hours for s, e in day), timedelta(0))
    return min(duration, 3 * weekly)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@PROPERTY_SETTINGS
@given(calendars(), instants(), durations)
def test_between_the_start_and_the_added_deadline_is_exactly_the_duration(cal, start, duration):
    duration = bounded(cal, duration)
    assert business_time_between(cal, start, add_business_time(cal, start, duration)) == duration


@PROPERTY_SETTINGS
@given(calendars(), instants(), durations)
def test_the_added_deadline_is_the_earliest_instant_with_the_duration_elapsed(cal, start, duration):
    duration = bounded(cal, duration)
    result = add_business_time(cal, start, duration)
    if duration:
        assert is_working_at(cal, result - TINY)
        assert business_time_between(cal, start, result - TINY) < duration
    else:
        assert utc(result) == utc(start)


@PROPERTY_SETTINGS
@given(calendars(), instants(), durations, durations)
def test_adding_is_monotonic_in_the_duration(cal, start, first, second):
    shorter, longer = sorted((bounded(cal, first), bounded(cal, second)))
    assert utc(add_business_time(cal, start, shorter)) <= utc(add_business_time(cal, start, longer))


@PROPERTY_SETTINGS
@given(calendars(), instants(), durations, durations)
def test_adding_in_two_steps_equals_adding_the_sum(cal, start, first, second):
    first, second = bounded(cal, first), bounded(cal, second)
    in_steps = add_business_time(cal, add_business_time(cal, start, first), second)
    assert utc(in_steps) == utc(add_business_time(cal, start, first + second))


@PROPERTY_SETTINGS
@given(calendars(), instants(), durations)
def test_the_deadline_never_precedes_the_start_nor_the_start_plus_the_duration(cal, start, duration):
    duration = bounded(cal, duration)
    assert utc(add_business_time(cal, start, duration)) >= utc(start) + duration


@PROPERTY_SETTINGS
@given(calendars(), instants(), instants(), instants())
def test_between_is_additive_over_consecutive_ranges(cal, a, b, c):
    a, b, c = sorted((a, b, c), key=utc)
    assert business_time_between(cal, a, c) == business_time_between(cal, a, b) + business_time_between(cal, b, c)


@PROPERTY_SETTINGS
@given(calendars(), instants(), instants())
def test_between_is_between_zero_and_the_elapsed_time(cal, start, end):
    elapsed = utc(end) - utc(start)
    assert timedelta(0) <= business_time_between(cal, start, end) <= max(elapsed, timedelta(0))
    if elapsed <= timedelta(0):
        assert business_time_between(cal, start, end) == timedelta(0)


@PROPERTY_SETTINGS
@given(calendars(), instants())
def test_is_working_at_agrees_with_the_next_microsecond_of_business_time(cal, moment):
    assert is_working_at(cal, moment) == (business_time_between(cal, moment, moment + TINY) == TINY)


@PROPERTY_SETTINGS
@given(calendars(), instants())
def test_next_working_instant_is_working_time_reached_without_passing_any(cal, moment):
    result = next_working_instant(cal, moment)
    assert utc(result) >= utc(moment)
    assert is_working_at(cal, result)
    assert business_time_between(cal, moment, result) == timedelta(0)
    assert (utc(result) == utc(moment)) == is_working_at(cal, moment)


@PROPERTY_SETTINGS
@given(calendars(), instants(), durations)
def test_results_are_in_the_calendar_zone_whatever_the_input_zone(cal, start, duration):
    duration = bounded(cal, duration)
    result = add_business_time(cal, start, duration)
    assert result.tzinfo == ZoneInfo(cal.timezone)
    assert utc(add_business_time(cal, start.astimezone(UTC), duration)) == utc(result)


@PROPERTY_SETTINGS
@given(calendars(), st.dates(date(2025, 12, 1), date(2027, 3, 31)))
def test_intervals_on_a_date_are_ordered_working_time_and_empty_on_holidays(cal, day):
    spans = cal.intervals_on(day)
    if day in cal.holidays:
        assert spans == []
    for start, end in spans:
        assert utc(start) < utc(end)
        assert is_working_at(cal, start)
        assert start.tzinfo == ZoneInfo(cal.timezone)
    assert [utc(s) for s, _ in spans] == sorted(utc(s) for s, _ in spans)


@PROPERTY_SETTINGS
@given(st.sampled_from(ZONES), instants(), durations, instants())
def test_always_matches_an_explicit_midnight_to_midnight_calendar(zone, start, duration, end):
    always, explicit = WorkCalendar.always(zone), WorkCalendar(zone, {d: [(time(0), time(0))] for d in range(7)})
    assert utc(add_business_time(always, start, duration)) == utc(add_business_time(explicit, start, duration))
    assert utc(add_business_time(always, start, duration)) == utc(start) + duration
    assert business_time_between(always, start, end) == business_time_between(explicit, start, end)
