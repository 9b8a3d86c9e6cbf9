"""DST examples for sla.businesstime: business time is real elapsed time, never wall-clock arithmetic.

Assertions compare in UTC because Python compares and subtracts two datetimes sharing a tzinfo by wall time,
which would hide exactly the hour these tests are about.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla.businesstime import (
    WorkCalendar,
    add_business_time,
    business_time_between,
    is_working_at,
    next_working_instant,
)

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")

# Europe/Warsaw: 2026-03-29 02:00 -> 03:00 and 2026-10-25 03:00 -> 02:00 (both Sundays).
WARSAW_SPRING = date(2026, 3, 29)
WARSAW_FALL = date(2026, 10, 25)
# America/New_York: 2026-03-08 02:00 -> 03:00 and 2026-11-01 02:00 -> 01:00 (both Sundays).
NEW_YORK_SPRING = date(2026, 3, 8)
NEW_YORK_FALL = date(2026, 11, 1)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(day: date, hour: int = 0, minute: int = 0, zone: ZoneInfo = WARSAW, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=fold)


def real_length(span: tuple[datetime, datetime]) -> timedelta:
    start, end = span
    return end.astimezone(UTC) - start.astimezone(UTC)


def every_day(*intervals: tuple[time, time], timezone: str = "Europe/Warsaw", holidays=frozenset()) -> WorkCalendar:
    return WorkCalendar(timezone, {d: list(intervals) for d in range(7)}, holidays)


def small_hours(timezone: str = "Europe/Warsaw", holidays=frozenset()) -> WorkCalendar:
    """Every day 00:00-06:00, which spans both European and American transitions."""
    return every_day((time(0), time(6)), timezone=timezone, holidays=holidays)


def saturday_night(timezone: str) -> WorkCalendar:
    """One shift a week, Saturday 22:00 to Sunday 06:00, spanning the Sunday-morning transitions."""
    return WorkCalendar(timezone, {5: [(time(22), time(6))]})


def explicit_24x7(timezone: str) -> WorkCalendar:
    """Midnight to midnight every day; a holiday long past keeps it off the 24x7 shortcut, so the walk is tested."""
    return WorkCalendar(timezone, {d: [(time(0), time(0))] for d in range(7)}, frozenset({date(1990, 1, 1)}))


# --- spring forward: the night is an hour shorter ------------------------------------------------------------


def test_a_midnight_to_six_interval_holds_five_real_hours_on_the_warsaw_spring_forward_night():
    [span] = small_hours().intervals_on(WARSAW_SPRING)
    assert real_length(span) == hours(5)
    assert business_time_between(small_hours(), wall(WARSAW_SPRING), wall(WARSAW_SPRING, 12)) == hours(5)


def test_interval_bounds_from_intervals_on_subtract_as_wall_time_in_python_so_convert_to_utc_first():
    [(start, end)] = small_hours().intervals_on(WARSAW_SPRING)
    assert end - start == hours(6)  # same tzinfo: Python subtracts wall clocks
    assert real_length((start, end)) == hours(5)


def test_adding_three_hours_at_midnight_on_the_spring_night_lands_at_four_summer_time():
    result = add_business_time(small_hours(), wall(WARSAW_SPRING), hours(3))
    assert result.astimezone(UTC) == utc(2026, 3, 29, 2)
    assert (result.hour, result.utcoffset()) == (4, hours(2))


def test_adding_the_whole_short_night_ends_at_six_summer_time():
    result = add_business_time(small_hours(), wall(WARSAW_SPRING), hours(5))
    assert result.astimezone(UTC) == utc(2026, 3, 29, 4)
    assert result.hour == 6


def test_a_minute_beyond_the_short_night_continues_the_next_night():
    result = add_business_time(small_hours(), wall(WARSAW_SPRING), hours(5) + timedelta(minutes=1))
    assert result.astimezone(UTC) == utc(2026, 3, 29, 22, 1)
    assert (result.day, result.hour, result.minute) == (30, 0, 1)


def test_a_24x7_calendar_in_warsaw_gives_a_23_hour_spring_day():
    for cal in (WorkCalendar.always("Europe/Warsaw"), explicit_24x7("Europe/Warsaw")):
        assert business_time_between(cal, wall(date(2026, 3, 28), 12), wall(WARSAW_SPRING, 12)) == hours(23)
        result = add_business_time(cal, wall(date(2026, 3, 28), 12), hours(24))
        assert result.astimezone(UTC) == utc(2026, 3, 29, 11)
        assert result.hour == 13


def test_an_explicit_24x7_calendar_reports_a_23_hour_interval_on_the_spring_date():
    [span] = explicit_24x7("Europe/Warsaw").intervals_on(WARSAW_SPRING)
    assert real_length(span) == hours(23)


def test_new_york_saturday_night_shift_holds_seven_hours_on_the_spring_night():
    cal = saturday_night("America/New_York")
    saturday = NEW_YORK_SPRING - timedelta(days=1)
    [span] = cal.intervals_on(saturday)
    assert real_length(span) == hours(7)
    sunday_noon = wall(NEW_YORK_SPRING, 12, zone=NEW_YORK)
    assert business_time_between(cal, wall(saturday, zone=NEW_YORK), sunday_noon) == hours(7)


def test_new_york_shift_hours_after_the_gap_are_daylight_time():
    cal = saturday_night("America/New_York")
    start = wall(NEW_YORK_SPRING - timedelta(days=1), 22, zone=NEW_YORK)
    three = add_business_time(cal, start, hours(3))
    four = add_business_time(cal, start, hours(4))
    assert (three.astimezone(UTC), three.hour, three.utcoffset()) == (utc(2026, 3, 8, 6), 1, hours(-5))
    assert (four.astimezone(UTC), four.hour, four.utcoffset()) == (utc(2026, 3, 8, 7), 3, hours(-4))


def test_new_york_shift_used_up_exactly_ends_at_six_daylight_time_and_a_minute_more_waits_a_week():
    cal = saturday_night("America/New_York")
    start = wall(NEW_YORK_SPRING - timedelta(days=1), 22, zone=NEW_YORK)
    assert add_business_time(cal, start, hours(7)).astimezone(UTC) == utc(2026, 3, 8, 10)
    later = add_business_time(cal, start, hours(7) + timedelta(minutes=1))
    assert later.astimezone(UTC) == utc(2026, 3, 15, 2, 1)  # Saturday 22:01 EDT


def test_a_24x7_calendar_in_new_york_gives_a_23_hour_spring_day():
    for cal in (WorkCalendar.always("America/New_York"), explicit_24x7("America/New_York")):
        start = wall(NEW_YORK_SPRING - timedelta(days=1), 12, zone=NEW_YORK)
        assert business_time_between(cal, start, wall(NEW_YORK_SPRING, 12, zone=NEW_YORK)) == hours(23)


# --- fall back: the night is an hour longer ---------------------------------------------------------------


def test_a_midnight_to_six_interval_holds_seven_real_hours_on_the_warsaw_fall_back_night():
    [span] = small_hours().intervals_on(WARSAW_FALL)
    assert real_length(span) == hours(7)
    assert business_time_between(small_hours(), wall(WARSAW_FALL), wall(WARSAW_FALL, 12)) == hours(7)


def test_adding_two_hours_at_midnight_on_the_fall_night_lands_on_the_first_two_oclock():
    result = add_business_time(small_hours(), wall(WARSAW_FALL), hours(2))
    assert result.astimezone(UTC) == utc(2026, 10, 25, 0)
    assert (result.hour, result.fold, result.utcoffset()) == (2, 0, hours(2))


def test_adding_three_hours_at_midnight_on_the_fall_night_lands_on_the_repeated_two_oclock():
    result = add_business_time(small_hours(), wall(WARSAW_FALL), hours(3))
    assert result.astimezone(UTC) == utc(2026, 10, 25, 1)
    assert (result.hour, result.fold, result.utcoffset()) == (2, 1, hours(1))


def test_adding_the_whole_long_night_ends_at_six_winter_time():
    result = add_business_time(small_hours(), wall(WARSAW_FALL), hours(7))
    assert result.astimezone(UTC) == utc(2026, 10, 25, 5)
    assert result.hour == 6


def test_both_occurrences_of_an_ambiguous_time_are_working_time_inside_the_interval():
    assert is_working_at(small_hours(), wall(WARSAW_FALL, 2, 30, fold=0))
    assert is_working_at(small_hours(), wall(WARSAW_FALL, 2, 30, fold=1))


def test_between_the_two_occurrences_of_an_ambiguous_time_is_one_hour():
    first, second = wall(WARSAW_FALL, 2, 30, fold=0), wall(WARSAW_FALL, 2, 30, fold=1)
    assert business_time_between(small_hours(), first, second) == hours(1)
    assert business_time_between(WorkCalendar.always("Europe/Warsaw"), first, second) == hours(1)


def test_a_24x7_calendar_in_warsaw_gives_a_25_hour_fall_day():
    for cal in (WorkCalendar.always("Europe/Warsaw"), explicit_24x7("Europe/Warsaw")):
        assert business_time_between(cal, wall(date(2026, 10, 24), 12), wall(WARSAW_FALL, 12)) == hours(25)
        result = add_business_time(cal, wall(date(2026, 10, 24), 12), hours(24))
        assert result.astimezone(UTC) == utc(2026, 10, 25, 10)
        assert result.hour == 11


def test_new_york_saturday_night_shift_holds_nine_hours_on_the_fall_night():
    cal = saturday_night("America/New_York")
    saturday = NEW_YORK_FALL - timedelta(days=1)
    [span] = cal.intervals_on(saturday)
    assert real_length(span) == hours(9)
    sunday_noon = wall(NEW_YORK_FALL, 12, zone=NEW_YORK)
    assert business_time_between(cal, wall(saturday, zone=NEW_YORK), sunday_noon) == hours(9)


def test_new_york_shift_reaches_the_repeated_one_oclock_after_four_hours():
    cal = saturday_night("America/New_York")
    result = add_business_time(cal, wall(NEW_YORK_FALL - timedelta(days=1), 22, zone=NEW_YORK), hours(4))
    assert result.astimezone(UTC) == utc(2026, 11, 1, 6)
    assert (result.hour, result.fold, result.utcoffset()) == (1, 1, hours(-5))


def test_warsaw_saturday_night_shift_holds_seven_then_nine_hours_across_the_transitions():
    cal = saturday_night("Europe/Warsaw")
    assert real_length(cal.intervals_on(WARSAW_SPRING - timedelta(days=1))[0]) == hours(7)
    assert real_length(cal.intervals_on(WARSAW_FALL - timedelta(days=1))[0]) == hours(9)


def test_a_24x7_calendar_in_new_york_gives_a_25_hour_fall_day():
    for cal in (WorkCalendar.always("America/New_York"), explicit_24x7("America/New_York")):
        start = wall(NEW_YORK_FALL - timedelta(days=1), 12, zone=NEW_YORK)
        assert business_time_between(cal, start, wall(NEW_YORK_FALL, 12, zone=NEW_YORK)) == hours(25)


# --- office hours are untouched by Sunday-night transitions -------------------------------------------------


@pytest.mark.parametrize("friday", [date(2026, 3, 27), date(2026, 10, 23)])
def test_office_hours_across_a_dst_weekend_still_count_eight_hours_a_day(friday):
    cal = WorkCalendar("Europe/Warsaw", {d: [(time(8), time(16))] for d in range(5)})
    monday = friday + timedelta(days=3)
    assert business_time_between(cal, wall(friday, 8), wall(monday, 16)) == hours(16)
    assert add_business_time(cal, wall(friday, 8), hours(9)) == wall(monday, 9)


def test_a_week_containing_the_spring_transition_holds_one_hour_less_for_a_24x7_calendar():
    cal = explicit_24x7("Europe/Warsaw")
    monday = date(2026, 3, 23)
    assert business_time_between(cal, wall(monday), wall(monday + timedelta(weeks=1))) == hours(7 * 24 - 1)


# --- wall times inside the gap or the overlap ----------------------------------------------------------------


def test_an_interval_lying_entirely_in_the_spring_gap_holds_nothing_that_night_and_half_an_hour_other_sundays():
    cal = WorkCalendar("Europe/Warsaw", {6: [(time(2, 30), time(3))]})
    assert cal.intervals_on(WARSAW_SPRING) == []
    assert [real_length(span) for span in cal.intervals_on(date(2026, 3, 22))] == [timedelta(minutes=30)]


def test_an_interval_starting_in_the_gap_starts_where_zoneinfo_reads_the_missing_time_with_fold_zero():
    # 02:30 does not exist; fold=0 reads it with the winter offset, i.e. 01:30 UTC, shown as 03:30 summer time
    cal = WorkCalendar("Europe/Warsaw", {6: [(time(2, 30), time(4))]})
    [(start, end)] = cal.intervals_on(WARSAW_SPRING)
    assert start.astimezone(UTC) == utc(2026, 3, 29, 1, 30)
    assert (start.hour, start.minute) == (3, 30)
    assert real_length((start, end)) == timedelta(minutes=30)


def test_an_interval_ending_in_the_gap_ends_where_zoneinfo_reads_the_missing_time_with_fold_zero():
    cal = WorkCalendar("Europe/Warsaw", {6: [(time(1), time(2, 30))]})
    [span] = cal.intervals_on(WARSAW_SPRING)
    assert real_length(span) == hours(1.5)


def test_an_interval_starting_at_an_ambiguous_time_starts_at_its_first_occurrence():
    cal = WorkCalendar("Europe/Warsaw", {6: [(time(2, 30), time(4))]})
    [(start, end)] = cal.intervals_on(WARSAW_FALL)
    assert start.astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    assert start.fold == 0
    assert real_length((start, end)) == hours(2.5)


def test_intervals_that_overlap_in_real_time_because_of_the_gap_are_counted_once():
    # 00:00-02:30 ends at 01:30 UTC but 03:00-06:00 starts at 01:00 UTC: the shared half hour counts once
    cal = every_day((time(0), time(2, 30)), (time(3), time(6)))
    assert business_time_between(cal, wall(WARSAW_SPRING), wall(WARSAW_SPRING, 12)) == hours(5)
    assert add_business_time(cal, wall(WARSAW_SPRING), hours(5)).astimezone(UTC) == utc(2026, 3, 29, 4)
    assert is_working_at(cal, utc(2026, 3, 29, 1, 15))


def test_a_holiday_on_the_transition_date_removes_its_interval():
    cal = small_hours(holidays=frozenset({WARSAW_SPRING}))
    assert cal.intervals_on(WARSAW_SPRING) == []
    assert business_time_between(cal, wall(date(2026, 3, 28), 12), wall(date(2026, 3, 30), 12)) == hours(6)


def test_next_working_instant_before_the_short_night_is_midnight_winter_time():
    result = next_working_instant(small_hours(), wall(date(2026, 3, 28), 12))
    assert result.astimezone(UTC) == utc(2026, 3, 28, 23)


# --- other zones: half-hour DST and transitions at midnight ---------------------------------------------------


def test_lord_howe_half_hour_dst_gives_a_23_and_a_half_hour_day_for_24x7():
    start = datetime(2026, 10, 3, 12, tzinfo=ZoneInfo("Australia/Lord_Howe"))
    end = datetime(2026, 10, 4, 12, tzinfo=ZoneInfo("Australia/Lord_Howe"))
    for cal in (WorkCalendar.always("Australia/Lord_Howe"), explicit_24x7("Australia/Lord_Howe")):
        assert business_time_between(cal, start, end) == hours(23.5)


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 9, 5, 12, tzinfo=UTC),  # Santiago springs forward at local midnight 2026-09-06
        datetime(2026, 9, 6, 3, 59, tzinfo=UTC),
        datetime(2026, 9, 6, 4, tzinfo=UTC),
        datetime(2026, 4, 4, 12, tzinfo=UTC),  # and falls back from midnight to 23:00 on 2026-04-05
        datetime(2026, 4, 5, 2, 30, tzinfo=UTC),
        datetime(2026, 4, 5, 3, 30, tzinfo=UTC),
    ],
)
def test_an_explicit_24x7_calendar_in_santiago_where_midnight_itself_shifts_is_plain_elapsed_time(start):
    # Compared in UTC: Python never finds a repeated-hour datetime (fold=1) equal to one in another zone.
    explicit, always = explicit_24x7("America/Santiago"), WorkCalendar.always("America/Santiago")
    for duration in (timedelta(minutes=1), hours(1), hours(23), hours(49)):
        expected = add_business_time(always, start, duration).astimezone(UTC)
        assert add_business_time(explicit, start, duration).astimezone(UTC) == expected == start + duration
        assert business_time_between(explicit, start, start + duration) == duration
    assert is_working_at(explicit, start)
    assert next_working_instant(explicit, start).astimezone(UTC) == start


def test_a_zone_without_dst_has_equal_days_all_year():
    cal = small_hours("Asia/Kolkata")
    assert {real_length(cal.intervals_on(d)[0]) for d in (WARSAW_SPRING, WARSAW_FALL, NEW_YORK_SPRING)} == {hours(6)}


def test_a_calendar_day_skipped_by_the_zone_adds_no_time_and_is_not_counted_twice():
    # Pacific/Apia jumped from 2011-12-29 to 2011-12-31; read with fold=0 the missing day's 08:00-16:00 lands on
    # the same instants as 2011-12-31 08:00-16:00, and that shared time counts once
    apia = ZoneInfo("Pacific/Apia")
    cal = every_day((time(8), time(16)), timezone="Pacific/Apia")
    start, end = datetime(2011, 12, 29, 12, tzinfo=apia), datetime(2011, 12, 31, 12, tzinfo=apia)
    assert business_time_between(cal, start, end) == hours(8)
    assert add_business_time(cal, start, hours(5)) == datetime(2011, 12, 31, 9, tzinfo=apia)
    assert business_time_between(explicit_24x7("Pacific/Apia"), start, end) == hours(24)
