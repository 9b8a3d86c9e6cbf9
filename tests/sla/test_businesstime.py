"""Examples for sla.businesstime: office hours, weekends, holidays, breaks, overnight shifts and validation."""

from __future__ import annotations

import ast
import dataclasses
import pickle
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sla import businesstime
from sla.businesstime import (
    WorkCalendar,
    add_business_time,
    business_time_between,
    is_working_at,
    next_working_instant,
)

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = range(5)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, zone: ZoneInfo = WARSAW) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def office(holidays: frozenset[date] = frozenset(), timezone: str = "Europe/Warsaw") -> WorkCalendar:
    """Monday to Friday 08:00-16:00."""
    return WorkCalendar(timezone=timezone, weekly_hours={d: [(time(8), time(16))] for d in WEEKDAYS}, holidays=holidays)


def with_lunch() -> WorkCalendar:
    """Monday to Friday 08:00-12:00 and 13:00-17:00."""
    return WorkCalendar("Europe/Warsaw", {d: [(time(8), time(12)), (time(13), time(17))] for d in WEEKDAYS})


def night_shift(holidays: frozenset[date] = frozenset()) -> WorkCalendar:
    """Shifts starting Monday to Friday at 22:00 and ending 06:00 the next morning."""
    return WorkCalendar("Europe/Warsaw", {d: [(time(22), time(6))] for d in WEEKDAYS}, holidays)


# Week used throughout: Monday 2026-06-01 .. Sunday 2026-06-07, no DST change, Warsaw at +02:00.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 6, d) for d in range(1, 8))


def on(day: date, hour: int = 0, minute: int = 0, zone: ZoneInfo = WARSAW) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


# --- the calendar value -------------------------------------------------------------------------------


def test_calendars_built_from_the_same_hours_are_equal_and_hash_alike():
    assert office() == office()
    assert hash(office()) == hash(office())
    assert len({office(), office()}) == 1


def test_weekly_hours_given_as_lists_or_tuples_make_the_same_calendar():
    as_lists = WorkCalendar("UTC", {0: [[time(8), time(16)]]})
    as_tuples = WorkCalendar("UTC", {0: ((time(8), time(16)),)})
    assert as_lists == as_tuples


def test_omitted_weekdays_equal_days_with_an_empty_list():
    assert WorkCalendar("UTC", {0: [(time(8), time(16))]}) == WorkCalendar(
        "UTC", {0: [(time(8), time(16))], 5: [], 6: ()}
    )


def test_weekly_hours_are_stored_as_a_tuple_indexed_by_weekday_with_sorted_intervals():
    cal = WorkCalendar("UTC", {2: [(time(13), time(17)), (time(8), time(12))]})
    assert cal.weekly_hours[2] == ((time(8), time(12)), (time(13), time(17)))
    assert cal.weekly_hours[0] == ()
    assert len(cal.weekly_hours) == 7


def test_holidays_are_stored_as_a_frozenset_even_when_given_a_list():
    cal = WorkCalendar("UTC", {0: [(time(8), time(16))]}, [date(2026, 12, 25)])
    assert cal.holidays == frozenset({date(2026, 12, 25)})
    hash(cal)


def test_a_calendar_survives_pickling_with_equal_value_and_hash():
    cal = office(frozenset({MON}))
    copy = pickle.loads(pickle.dumps(cal))
    assert copy == cal and hash(copy) == hash(cal)
    assert copy.intervals_on(TUE) == cal.intervals_on(TUE)


def test_a_calendar_is_frozen():
    cal = office()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cal.timezone = "UTC"  # type: ignore[misc]


def test_dataclasses_replace_rebuilds_a_calendar_with_new_holidays():
    cal = dataclasses.replace(office(), holidays=frozenset({MON}))
    assert cal.intervals_on(MON) == []
    assert cal.weekly_hours == office().weekly_hours


def test_always_has_one_whole_day_interval_on_every_weekday_and_no_holidays():
    cal = WorkCalendar.always(timezone="Europe/Warsaw")
    assert cal.weekly_hours == (((time(0), time(0)),),) * 7
    assert cal.holidays == frozenset()
    assert cal == WorkCalendar("Europe/Warsaw", {d: [(time(0), time(0))] for d in range(7)})


def test_always_defaults_to_utc():
    assert WorkCalendar.always().timezone == "UTC"


def test_the_module_imports_only_the_standard_library_so_it_runs_without_django():
    tree = ast.parse(Path(businesstime.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {"__future__"}


# --- validation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "Europe", "../etc/passwd", "europe/warsaw", None])
def test_an_unknown_time_zone_is_rejected(name):
    with pytest.raises(ValueError, match="zone"):
        WorkCalendar(name, {0: [(time(8), time(16))]})


def test_a_naive_start_is_rejected_by_add():
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        add_business_time(office(), datetime(2026, 6, 1, 8), hours(1))


def test_a_naive_end_is_rejected_by_between():
    with pytest.raises(ValueError, match="end must be timezone-aware"):
        business_time_between(office(), on(MON, 8), datetime(2026, 6, 1, 9))


def test_a_naive_instant_is_rejected_by_the_helpers():
    with pytest.raises(ValueError, match="timezone-aware"):
        is_working_at(office(), datetime(2026, 6, 1, 9))
    with pytest.raises(ValueError, match="timezone-aware"):
        next_working_instant(office(), datetime(2026, 6, 1, 9))


def test_a_negative_duration_is_rejected():
    with pytest.raises(ValueError, match="must not be negative"):
        add_business_time(office(), on(MON, 8), -minutes(1))


def test_a_date_instead_of_a_datetime_is_a_type_error():
    with pytest.raises(TypeError, match="start must be a datetime"):
        add_business_time(office(), MON, hours(1))  # type: ignore[arg-type]


def test_a_number_instead_of_a_timedelta_is_a_type_error():
    with pytest.raises(TypeError, match="duration must be a datetime.timedelta"):
        add_business_time(office(), on(MON, 8), 3600)  # type: ignore[arg-type]


def test_something_other_than_a_calendar_is_a_type_error():
    with pytest.raises(TypeError, match="WorkCalendar"):
        business_time_between("Europe/Warsaw", on(MON, 8), on(MON, 9))  # type: ignore[arg-type]


def test_overlapping_intervals_on_one_day_are_rejected_naming_both():
    with pytest.raises(ValueError, match="overlap: Monday 08:00-12:00 and Monday 11:00-16:00"):
        WorkCalendar("UTC", {0: [(time(8), time(12)), (time(11), time(16))]})


def test_an_interval_listed_twice_is_rejected_as_overlapping():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar("UTC", {0: [(time(8), time(16)), (time(8), time(16))]})


def test_an_overnight_interval_overlapping_the_next_mornings_interval_is_rejected():
    with pytest.raises(ValueError, match="overlap: Monday 22:00-06:00 and Tuesday 05:00-13:00"):
        WorkCalendar("UTC", {0: [(time(22), time(6))], 1: [(time(5), time(13))]})


def test_an_overnight_interval_ending_where_the_next_one_starts_is_accepted():
    cal = WorkCalendar("UTC", {0: [(time(22), time(6))], 1: [(time(6), time(14))]})
    assert business_time_between(cal, on(MON, 0, zone=UTC), on(WED, 0, zone=UTC)) == hours(16)


def test_a_sunday_night_interval_overlapping_monday_morning_is_rejected_across_the_week_boundary():
    with pytest.raises(ValueError, match="overlap: Sunday 22:00-06:00 and Monday 05:00-13:00"):
        WorkCalendar("UTC", {6: [(time(22), time(6))], 0: [(time(5), time(13))]})


def test_a_whole_day_interval_leaves_no_room_for_another_interval_the_next_morning():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar("UTC", {0: [(time(8), time(8))], 1: [(time(7), time(9))]})


def test_whole_day_intervals_on_consecutive_days_are_adjacent_not_overlapping():
    cal = WorkCalendar("UTC", {0: [(time(8), time(8))], 1: [(time(8), time(8))]})
    assert business_time_between(cal, on(MON, 0, zone=UTC), on(THU, 0, zone=UTC)) == hours(48)


@pytest.mark.parametrize("weekday", [7, -1, "monday", True])
def test_a_weekday_outside_monday_to_sunday_is_rejected(weekday):
    with pytest.raises(ValueError, match="weekday numbers"):
        WorkCalendar("UTC", {weekday: [(time(8), time(16))]})


def test_a_single_pair_not_wrapped_in_a_list_is_rejected():
    with pytest.raises(ValueError, match=r"\(start, end\) pair"):
        WorkCalendar("UTC", {0: (time(8), time(16))})


def test_interval_bounds_that_are_not_times_are_rejected():
    with pytest.raises(ValueError, match="datetime.time"):
        WorkCalendar("UTC", {0: [("08:00", "16:00")]})


def test_interval_bounds_carrying_a_tzinfo_are_rejected():
    with pytest.raises(ValueError, match="wall-clock"):
        WorkCalendar("UTC", {0: [(time(8, tzinfo=UTC), time(16, tzinfo=UTC))]})


def test_weekly_hours_that_are_not_a_mapping_are_rejected():
    with pytest.raises(ValueError, match="weekly_hours"):
        WorkCalendar("UTC", [(time(8), time(16))])


def test_a_holiday_given_as_a_datetime_is_rejected():
    with pytest.raises(ValueError, match="holidays"):
        WorkCalendar("UTC", {0: [(time(8), time(16))]}, frozenset({datetime(2026, 12, 25)}))


def test_a_calendar_without_working_hours_cannot_finish_a_positive_duration():
    empty = WorkCalendar("Europe/Warsaw", {})
    with pytest.raises(ValueError, match="no working hours"):
        add_business_time(empty, on(MON, 8), minutes(1))
    with pytest.raises(ValueError, match="no working hours"):
        next_working_instant(empty, on(MON, 8))


def test_a_calendar_without_working_hours_still_answers_zero_questions():
    empty = WorkCalendar("Europe/Warsaw", {})
    assert add_business_time(empty, on(MON, 8), timedelta(0)) == on(MON, 8)
    assert business_time_between(empty, on(MON, 8), on(SUN, 8)) == timedelta(0)
    assert not is_working_at(empty, on(MON, 9))


def test_holidays_covering_every_working_day_for_years_raise_instead_of_looping():
    # Given Mondays only, and every Monday from 2026 to 2031 a holiday
    mondays = frozenset(MON + timedelta(weeks=w) for w in range(-30, 300))
    cal = WorkCalendar("Europe/Warsaw", {0: [(time(8), time(16))]}, mondays)
    with pytest.raises(ValueError, match="no working time found"):
        add_business_time(cal, on(MON, 8), minutes(1))
    with pytest.raises(ValueError, match="no working time found"):
        next_working_instant(cal, on(MON, 8))


# --- office hours -------------------------------------------------------------------------------------


def test_adding_within_the_working_day_lands_the_same_day():
    assert add_business_time(office(), on(MON, 9), hours(2)) == on(MON, 11)


def test_adding_exactly_a_working_day_from_opening_ends_at_closing_not_next_opening():
    assert add_business_time(office(), on(MON, 8), hours(8)) == on(MON, 16)


def test_one_minute_more_than_the_working_day_spills_into_the_next_morning():
    assert add_business_time(office(), on(MON, 8), hours(8) + minutes(1)) == on(TUE, 8, 1)


def test_adding_a_minute_at_friday_closing_lands_on_monday_just_after_opening():
    assert add_business_time(office(), on(FRI, 16), minutes(1)) == on(MON + timedelta(weeks=1), 8, 1)


def test_starting_exactly_at_opening_counts_from_opening():
    assert add_business_time(office(), on(TUE, 8), hours(1)) == on(TUE, 9)


def test_starting_before_opening_counts_from_opening():
    assert add_business_time(office(), on(TUE, 6, 30), hours(1)) == on(TUE, 9)


def test_starting_after_closing_counts_from_the_next_opening():
    assert add_business_time(office(), on(TUE, 20), hours(1)) == on(WED, 9)


def test_starting_on_a_weekend_counts_from_monday_opening():
    assert add_business_time(office(), on(SAT, 11), hours(3)) == on(MON + timedelta(weeks=1), 11)


def test_a_remainder_crossing_the_weekend_resumes_on_monday():
    assert add_business_time(office(), on(FRI, 15), hours(2)) == on(MON + timedelta(weeks=1), 9)


def test_five_working_days_from_monday_opening_end_at_friday_closing():
    assert add_business_time(office(), on(MON, 8), hours(40)) == on(FRI, 16)


def test_thirty_working_days_from_monday_opening_end_six_weeks_later_on_friday_closing():
    assert add_business_time(office(), on(MON, 8), hours(8 * 30)) == on(date(2026, 7, 10), 16)


def test_a_zero_duration_returns_the_start_even_outside_working_hours():
    result = add_business_time(office(), on(SAT, 23), timedelta(0))
    assert result == on(SAT, 23)


def test_a_zero_duration_returns_the_start_converted_to_the_calendar_zone():
    start = datetime(2026, 6, 6, 21, 0, tzinfo=UTC)
    result = add_business_time(office(), start, timedelta(0))
    assert result == start
    assert result.tzinfo == WARSAW
    assert result.hour == 23


def test_a_utc_start_is_read_as_the_same_instant_and_the_result_is_in_the_calendar_zone():
    # Given 06:00 UTC on Monday, which is 08:00 in Warsaw
    result = add_business_time(office(), datetime(2026, 6, 1, 6, tzinfo=UTC), hours(1))
    assert result == on(MON, 9)
    assert result.tzinfo == WARSAW
    assert (result.hour, result.utcoffset()) == (9, hours(2))


def test_a_utc_start_late_on_sunday_is_already_monday_in_warsaw():
    # Given Sunday 23:30 UTC, which is Monday 01:30 in Warsaw, before opening
    start = datetime(2026, 6, 7, 23, 30, tzinfo=UTC)
    assert add_business_time(office(), start, hours(1)) == on(MON + timedelta(weeks=1), 9)


def test_a_start_given_in_new_york_time_is_converted_before_counting():
    # Given Monday 03:00 in New York, which is 09:00 in Warsaw
    assert add_business_time(office(), on(MON, 3, zone=NEW_YORK), hours(1)) == on(MON, 10)


def test_between_within_one_day_is_the_plain_difference():
    assert business_time_between(office(), on(MON, 9), on(MON, 15, 30)) == hours(6.5)


def test_between_across_a_weekend_counts_only_working_hours():
    assert business_time_between(office(), on(FRI, 15), on(MON + timedelta(weeks=1), 9)) == hours(2)


def test_between_a_whole_week_is_forty_hours():
    assert business_time_between(office(), on(MON), on(MON + timedelta(weeks=1))) == hours(40)


def test_between_with_end_not_after_start_is_zero():
    assert business_time_between(office(), on(MON, 12), on(MON, 12)) == timedelta(0)
    assert business_time_between(office(), on(MON, 12), on(MON, 10)) == timedelta(0)


def test_between_entirely_outside_working_hours_is_zero():
    assert business_time_between(office(), on(SAT, 0), on(SUN, 23, 59)) == timedelta(0)
    assert business_time_between(office(), on(MON, 16), on(TUE, 8)) == timedelta(0)


def test_between_is_half_open_so_a_working_day_holds_exactly_its_hours():
    assert business_time_between(office(), on(MON, 8), on(MON, 16)) == hours(8)


def test_between_accepts_bounds_in_different_zones():
    start = datetime(2026, 6, 1, 6, tzinfo=UTC)  # Monday 08:00 Warsaw
    end = on(MON, 8, zone=NEW_YORK)  # Monday 14:00 Warsaw
    assert business_time_between(office(), start, end) == hours(6)


def test_between_counts_seconds_and_microseconds_exactly():
    start = on(MON, 8) + timedelta(seconds=1, microseconds=7)
    assert business_time_between(office(), start, on(MON, 9)) == hours(1) - timedelta(seconds=1, microseconds=7)


# --- holidays -----------------------------------------------------------------------------------------

CHRISTMAS = date(2026, 12, 25)  # a Friday


def test_a_holiday_is_skipped_when_adding():
    cal = office(frozenset({CHRISTMAS}))
    assert add_business_time(cal, local(2026, 12, 24, 15), hours(2)) == local(2026, 12, 28, 9)


def test_starting_on_a_holiday_counts_from_the_next_working_day():
    cal = office(frozenset({CHRISTMAS}))
    assert add_business_time(cal, local(2026, 12, 25, 10), hours(1)) == local(2026, 12, 28, 9)


def test_between_excludes_a_holiday():
    cal = office(frozenset({CHRISTMAS}))
    assert business_time_between(cal, local(2026, 12, 21), local(2026, 12, 28)) == hours(32)


def test_a_holiday_falling_on_a_weekend_changes_nothing():
    assert office(frozenset({SAT})).intervals_on(FRI) == office().intervals_on(FRI)
    assert business_time_between(office(frozenset({SAT})), on(MON), on(MON + timedelta(weeks=1))) == hours(40)


def test_consecutive_holidays_are_all_skipped():
    season = frozenset(date(2026, 12, 24) + timedelta(days=n) for n in range(9))  # Dec 24 .. Jan 1
    cal = office(season)
    assert add_business_time(cal, local(2026, 12, 23, 15), hours(2)) == local(2027, 1, 4, 9)


def test_a_holiday_has_no_intervals_and_is_not_working_time():
    cal = office(frozenset({CHRISTMAS}))
    assert cal.intervals_on(CHRISTMAS) == []
    assert not is_working_at(cal, local(2026, 12, 25, 10))
    assert next_working_instant(cal, local(2026, 12, 25, 10)) == local(2026, 12, 28, 8)


def test_holidays_are_local_dates_of_the_calendar_zone_not_utc_dates():
    # Given a New York office closed on Christmas, when asking at 02:00 UTC on Dec 26 (21:00 Dec 25 in New York)
    cal = office(frozenset({CHRISTMAS}), timezone="America/New_York")
    start = datetime(2026, 12, 26, 2, tzinfo=UTC)
    assert add_business_time(cal, start, hours(1)) == local(2026, 12, 28, 9, zone=NEW_YORK)


# --- lunch breaks -------------------------------------------------------------------------------------


def test_adding_across_lunch_skips_the_break():
    assert add_business_time(with_lunch(), on(MON, 11, 30), hours(1)) == on(MON, 13, 30)


def test_a_duration_used_up_exactly_at_lunch_ends_at_lunch():
    assert add_business_time(with_lunch(), on(MON, 8), hours(4)) == on(MON, 12)


def test_starting_during_lunch_counts_from_the_afternoon():
    assert add_business_time(with_lunch(), on(MON, 12, 15), minutes(30)) == on(MON, 13, 30)


def test_a_day_with_a_lunch_break_holds_eight_hours():
    assert business_time_between(with_lunch(), on(MON), on(TUE)) == hours(8)


def test_lunch_is_not_working_time_and_afternoon_opening_is():
    cal = with_lunch()
    assert is_working_at(cal, on(MON, 11, 59))
    assert not is_working_at(cal, on(MON, 12))
    assert not is_working_at(cal, on(MON, 12, 59))
    assert is_working_at(cal, on(MON, 13))


def test_next_working_instant_during_lunch_is_the_afternoon_opening():
    assert next_working_instant(with_lunch(), on(MON, 12, 10)) == on(MON, 13)


def test_intervals_on_lists_both_halves_of_the_day_in_order():
    assert with_lunch().intervals_on(MON) == [(on(MON, 8), on(MON, 12)), (on(MON, 13), on(MON, 17))]


# --- overnight shifts ---------------------------------------------------------------------------------


def test_an_overnight_interval_belongs_to_the_date_it_starts_on():
    assert night_shift().intervals_on(MON) == [(on(MON, 22), on(TUE, 6))]


def test_a_friday_night_shift_runs_into_saturday_morning():
    cal = night_shift()
    assert is_working_at(cal, on(SAT, 3))
    assert not is_working_at(cal, on(SAT, 6))
    assert cal.intervals_on(SAT) == []


def test_adding_past_the_end_of_the_friday_night_shift_resumes_on_monday_night():
    assert add_business_time(night_shift(), on(SAT, 5, 30), hours(1)) == on(MON + timedelta(weeks=1), 22, 30)


def test_between_friday_evening_and_saturday_noon_holds_one_shift():
    assert business_time_between(night_shift(), on(FRI, 20), on(SAT, 12)) == hours(8)


def test_adding_within_a_shift_crosses_midnight():
    assert add_business_time(night_shift(), on(TUE, 23), hours(3)) == on(WED, 2)


def test_a_holiday_on_the_start_date_removes_the_whole_overnight_shift():
    # Given Wednesday is a holiday, the Wednesday 22:00-Thursday 06:00 shift is gone, Thursday morning included
    cal = night_shift(frozenset({WED}))
    assert cal.intervals_on(WED) == []
    assert not is_working_at(cal, on(WED, 23))
    assert not is_working_at(cal, on(THU, 3))
    assert business_time_between(cal, on(WED, 12), on(THU, 12)) == timedelta(0)


def test_a_holiday_does_not_remove_the_shift_that_started_the_day_before():
    # Given Wednesday is a holiday, the Tuesday 22:00-Wednesday 06:00 shift still runs into the holiday
    cal = night_shift(frozenset({WED}))
    assert is_working_at(cal, on(WED, 3))
    assert business_time_between(cal, on(WED, 0), on(WED, 12)) == hours(6)


def test_a_midnight_end_means_the_end_of_the_day():
    cal = WorkCalendar("Europe/Warsaw", {d: [(time(16), time(0))] for d in WEEKDAYS})
    assert cal.intervals_on(MON) == [(on(MON, 16), on(TUE, 0))]
    assert add_business_time(cal, on(MON, 16), hours(8)) == on(TUE, 0)


def test_an_interval_ending_at_its_own_start_time_lasts_a_whole_day():
    cal = WorkCalendar("Europe/Warsaw", {0: [(time(8), time(8))]})
    assert cal.intervals_on(MON) == [(on(MON, 8), on(TUE, 8))]
    assert business_time_between(cal, on(MON), on(WED)) == hours(24)


def test_a_sunday_night_shift_runs_into_monday_of_the_next_week():
    cal = WorkCalendar("Europe/Warsaw", {6: [(time(22), time(6))]})
    assert is_working_at(cal, on(MON, 5))
    assert add_business_time(cal, on(MON, 5), hours(2)) == on(SUN, 23)


# --- is_working_at, next_working_instant, intervals_on ----------------------------------------------------


def test_is_working_at_includes_opening_and_excludes_closing():
    cal = office()
    assert not is_working_at(cal, on(MON, 7, 59))
    assert is_working_at(cal, on(MON, 8))
    assert is_working_at(cal, on(MON, 15, 59))
    assert not is_working_at(cal, on(MON, 16))


def test_is_working_at_reads_instants_given_in_other_zones():
    assert is_working_at(office(), datetime(2026, 6, 1, 6, tzinfo=UTC))
    assert not is_working_at(office(), datetime(2026, 6, 1, 5, 59, tzinfo=UTC))


def test_next_working_instant_during_working_hours_is_the_instant_itself_in_the_calendar_zone():
    result = next_working_instant(office(), datetime(2026, 6, 1, 8, 30, tzinfo=UTC))
    assert result == on(MON, 10, 30)
    assert result.tzinfo == WARSAW


def test_next_working_instant_at_closing_is_the_next_opening():
    assert next_working_instant(office(), on(MON, 16)) == on(TUE, 8)


def test_next_working_instant_on_a_weekend_is_monday_opening():
    assert next_working_instant(office(), on(SAT, 12)) == on(MON + timedelta(weeks=1), 8)


def test_intervals_on_returns_aware_bounds_in_the_calendar_zone():
    [(start, end)] = office().intervals_on(MON)
    assert (start, end) == (on(MON, 8), on(MON, 16))
    assert start.tzinfo == WARSAW and end.tzinfo == WARSAW


def test_intervals_on_a_day_without_hours_is_empty():
    assert office().intervals_on(SAT) == []


def test_intervals_on_rejects_a_datetime():
    with pytest.raises(TypeError, match="datetime.date"):
        office().intervals_on(on(MON, 8))


# --- 24x7 ---------------------------------------------------------------------------------------------


def test_always_adds_plain_elapsed_time():
    cal = WorkCalendar.always()
    start = datetime(2026, 6, 6, 23, tzinfo=UTC)
    assert add_business_time(cal, start, hours(30)) == datetime(2026, 6, 8, 5, tzinfo=UTC)


def test_always_counts_plain_elapsed_time_between_instants():
    cal = WorkCalendar.always("Europe/Warsaw")
    assert business_time_between(cal, on(SAT, 1), on(MON + timedelta(weeks=1), 2)) == hours(49)


def test_always_is_always_working_and_the_next_working_instant_is_now():
    cal = WorkCalendar.always("Europe/Warsaw")
    moment = datetime(2026, 6, 6, 3, tzinfo=UTC)
    assert is_working_at(cal, moment)
    assert next_working_instant(cal, moment) == moment
    assert next_working_instant(cal, moment).tzinfo == WARSAW


def test_always_returns_results_in_its_own_zone():
    result = add_business_time(WorkCalendar.always("America/New_York"), datetime(2026, 6, 1, tzinfo=UTC), hours(1))
    assert result.tzinfo == NEW_YORK
    assert result.hour == 21


def test_a_24x7_calendar_with_a_holiday_skips_just_that_day():
    cal = WorkCalendar("UTC", {d: [(time(0), time(0))] for d in range(7)}, frozenset({date(2026, 12, 25)}))
    start = datetime(2026, 12, 24, 23, 30, tzinfo=UTC)
    assert add_business_time(cal, start, hours(1)) == datetime(2026, 12, 26, 0, 30, tzinfo=UTC)
    assert business_time_between(cal, start, start + timedelta(days=3)) == timedelta(days=2)
    assert not is_working_at(cal, datetime(2026, 12, 25, 12, tzinfo=UTC))
    assert next_working_instant(cal, datetime(2026, 12, 25, 12, tzinfo=UTC)) == datetime(2026, 12, 26, tzinfo=UTC)


def test_a_24x7_calendar_with_a_holiday_adds_a_month_of_back_to_back_days():
    cal = WorkCalendar("UTC", {d: [(time(0), time(0))] for d in range(7)}, frozenset({date(1990, 1, 1)}))
    start = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert add_business_time(cal, start, timedelta(days=30)) == start + timedelta(days=30)


def test_a_round_the_clock_rota_of_touching_shifts_loses_only_the_shifts_starting_on_a_holiday():
    cal = WorkCalendar("Europe/Warsaw", {d: [(time(6), time(22)), (time(22), time(6))] for d in range(7)}, [MON])
    # Sunday night's shift runs into the holiday until 06:00; Monday's own shifts are gone until Tuesday 06:00
    assert business_time_between(cal, on(MON), on(WED)) == hours(6 + 18)
    assert add_business_time(cal, on(MON, 7), hours(2)) == on(TUE, 8)


# --- speed --------------------------------------------------------------------------------------------


def elapsed(call) -> tuple[object, float]:
    began = clock.perf_counter()
    result = call()
    return result, clock.perf_counter() - began


def test_two_years_of_business_time_is_added_quickly_and_exactly():
    # Given a fresh calendar (nothing cached), 2 years of business time is 438 weeks of 40 hours
    cal = WorkCalendar("Europe/Warsaw", {d: [(time(8), time(16))] for d in WEEKDAYS}, frozenset({date(1999, 1, 1)}))
    result, seconds = elapsed(lambda: add_business_time(cal, on(MON, 8), timedelta(days=730)))
    assert result == on(MON + timedelta(weeks=437, days=4), 16)
    assert seconds < 0.25


def test_a_year_of_business_time_between_is_counted_quickly():
    cal = WorkCalendar("Europe/Warsaw", {d: [(time(8), time(16))] for d in WEEKDAYS}, frozenset({date(1999, 1, 2)}))
    result, seconds = elapsed(lambda: business_time_between(cal, local(2026, 1, 5), local(2027, 1, 4)))
    assert result == hours(52 * 40)
    assert seconds < 0.25


def test_always_adds_a_century_without_scanning():
    result, seconds = elapsed(lambda: add_business_time(WorkCalendar.always(), on(MON), timedelta(days=36500)))
    assert result == on(MON) + timedelta(days=36500)
    assert seconds < 0.01
