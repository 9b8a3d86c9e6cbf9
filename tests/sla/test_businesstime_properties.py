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


def week_of_intervals(points: list[int], shift: int) -> dict[int, list[tuple[time, time]]]:
    """Pair sorted slots of the week into intervals up to 24h long, rotated so some run overnight or past Sunday."""
    points = sorted(points)
    hours: dict[int, list[tuple[time, time]]] = {}
    for begin, end in zip(points[::2], points[1::2], strict=False):
        length = min(end - begin, SLOTS_PER_DAY)
        start = (begin + shift) % SLOTS_PER_WEEK
        hours.setdefault(start // SLOTS_PER_DAY, []).append((slot_time(start), slot_time(start + length)))
    return hours


def same_every_day(points: list[int], shift: int, days: frozenset[int]) -> dict[int, list[tuple[time, time]]]:
    """Pair sorted slots of one day into intervals repeated on the chosen weekdays, rotated to run overnight."""
    points = sorted(points)
    if len(points) % 2:
        points.append(points[0] + SLOTS_PER_DAY)  # close the last interval overnight at the first point
    day = [(slot_time(b + shift), slot_time(e + shift)) for b, e in zip(points[::2], points[1::2], strict=True)]
    return dict.fromkeys(days, day)


# Strategies are built once at import: building them inside each draw made generation dominate the run time.
weekly_hours = st.builds(
    week_of_intervals,
    st.lists(st.integers(0, SLOTS_PER_WEEK - 1), min_size=2, max_size=14, unique=True),
    st.integers(0, SLOTS_PER_WEEK - 1),
)
daily_hours = st.builds(
    same_every_day,
    st.lists(st.integers(0, SLOTS_PER_DAY - 1), min_size=2, max_size=6, unique=True),
    st.integers(0, SLOTS_PER_DAY - 1),
    st.frozensets(st.integers(0, 6), min_size=1),
)
MIDNIGHT, SIX, EIGHT, TEN_PM = time(0), time(6), time(8), time(22)
# Calendars whose intervals touch end to end, the case where working time runs on for days without a break.
tiling_hours = st.sampled_from(
    [
        {d: [(MIDNIGHT, MIDNIGHT)] for d in range(7)},
        {d: [(EIGHT, EIGHT)] for d in range(7)},
        {d: [(SIX, TEN_PM), (TEN_PM, SIX)] for d in range(7)},
        {d: [(MIDNIGHT, MIDNIGHT)] for d in range(5)},
    ]
)
holiday_sets = st.frozensets(st.integers(0, 485).map(lambda n: date(2025, 12, 1) + timedelta(days=n)), max_size=8)
calendars = st.builds(
    WorkCalendar, st.sampled_from(ZONES), st.one_of(weekly_hours, daily_hours, tiling_hours), holiday_sets
)

near_transitions = st.builds(
    lambda moment, offset: moment + timedelta(minutes=offset),
    st.sampled_from(TRANSITIONS),
    st.integers(-4 * 1440, 4 * 1440),
)
anywhere_in_2026 = st.integers(0, 365 * 1440).map(lambda m: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=m))
# Aware instants in 2026, often within days of a transition, with odd microseconds, expressed in a random zone.
instants = st.builds(
    lambda moment, micro, zone: (moment + timedelta(microseconds=micro)).astimezone(ZoneInfo(zone)),
    st.one_of(near_transitions, anywhere_in_2026),
    st.sampled_from([0, 0, 1, 999_999]),
    st.sampled_from(ZONES),
)

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
@given(calendars, instants, durations)
def test_between_the_start_and_the_added_deadline_is_exactly_the_duration(cal, start, duration):
    duration = bounded(cal, duration)
    assert business_time_between(cal, start, add_business_time(cal, start, duration)) == duration


@PROPERTY_SETTINGS
@given(calendars, instants, durations)
def test_the_added_deadline_is_the_earliest_instant_with_the_duration_elapsed(cal, start, duration):
    duration = bounded(cal, duration)
    result = add_business_time(cal, start, duration)
    if duration:
        # Step back in UTC: wall-clock arithmetic on a repeated-hour result would jump a whole hour.
        assert is_working_at(cal, utc(result) - TINY)
        assert business_time_between(cal, start, utc(result) - TINY) < duration
    else:
        assert utc(result) == utc(start)


@PROPERTY_SETTINGS
@given(calendars, instants, durations, durations)
def test_adding_is_monotonic_in_the_duration(cal, start, first, second):
    shorter, longer = sorted((bounded(cal, first), bounded(cal, second)))
    assert utc(add_business_time(cal, start, shorter)) <= utc(add_business_time(cal, start, longer))


@PROPERTY_SETTINGS
@given(calendars, instants, durations, durations)
def test_adding_in_two_steps_equals_adding_the_sum(cal, start, first, second):
    first, second = bounded(cal, first), bounded(cal, second)
    in_steps = add_business_time(cal, add_business_time(cal, start, first), second)
    assert utc(in_steps) == utc(add_business_time(cal, start, first + second))


@PROPERTY_SETTINGS
@given(calendars, instants, durations)
def test_the_deadline_never_precedes_the_start_nor_the_start_plus_the_duration(cal, start, duration):
    duration = bounded(cal, duration)
    assert utc(add_business_time(cal, start, duration)) >= utc(start) + duration


@PROPERTY_SETTINGS
@given(calendars, instants, instants, instants)
def test_between_is_additive_over_consecutive_ranges(cal, a, b, c):
    a, b, c = sorted((a, b, c), key=utc)
    assert business_time_between(cal, a, c) == business_time_between(cal, a, b) + business_time_between(cal, b, c)


@PROPERTY_SETTINGS
@given(calendars, instants, instants)
def test_between_is_between_zero_and_the_elapsed_time(cal, start, end):
    elapsed = utc(end) - utc(start)
    assert timedelta(0) <= business_time_between(cal, start, end) <= max(elapsed, timedelta(0))
    if elapsed <= timedelta(0):
        assert business_time_between(cal, start, end) == timedelta(0)


@PROPERTY_SETTINGS
@given(calendars, instants)
def test_is_working_at_agrees_with_the_next_microsecond_of_business_time(cal, moment):
    assert is_working_at(cal, moment) == (business_time_between(cal, moment, utc(moment) + TINY) == TINY)


@PROPERTY_SETTINGS
@given(calendars, instants)
def test_next_working_instant_is_working_time_reached_without_passing_any(cal, moment):
    result = next_working_instant(cal, moment)
    assert utc(result) >= utc(moment)
    assert is_working_at(cal, result)
    assert business_time_between(cal, moment, result) == timedelta(0)
    assert (utc(result) == utc(moment)) == is_working_at(cal, moment)


@PROPERTY_SETTINGS
@given(calendars, instants, durations)
def test_results_are_in_the_calendar_zone_whatever_the_input_zone(cal, start, duration):
    duration = bounded(cal, duration)
    result = add_business_time(cal, start, duration)
    assert result.tzinfo == ZoneInfo(cal.timezone)
    assert utc(add_business_time(cal, start.astimezone(UTC), duration)) == utc(result)


@PROPERTY_SETTINGS
@given(calendars, st.dates(date(2025, 12, 1), date(2027, 3, 31)))
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
@given(st.sampled_from(ZONES), instants, durations, instants)
def test_always_matches_an_explicit_midnight_to_midnight_calendar(zone, start, duration, end):
    always = WorkCalendar.always(zone)
    # A holiday long past keeps the explicit calendar off the 24x7 shortcut, so the interval walk is compared.
    explicit = WorkCalendar(zone, {d: [(MIDNIGHT, MIDNIGHT)] for d in range(7)}, frozenset({date(1990, 1, 1)}))
    assert utc(add_business_time(always, start, duration)) == utc(add_business_time(explicit, start, duration))
    assert utc(add_business_time(always, start, duration)) == utc(start) + duration
    assert business_time_between(always, start, end) == business_time_between(explicit, start, end)
