"""The fast business clock agrees with sla.businesstime.business_time_between."""

import random
from datetime import UTC, date, datetime, time, timedelta

from reporting.businessclock import BusinessClock, epoch
from sla.businesstime import WorkCalendar, business_time_between

OFFICE = {d: [(time(9), time(17))] for d in range(5)}


def test_business_time_across_a_weekend_and_a_holiday_counts_only_working_hours():
    # given office hours Monday-Friday 09-17 in Warsaw and Monday 2025-04-21 (Easter Monday) a holiday
    cal = WorkCalendar(timezone="Europe/Warsaw", weekly_hours=OFFICE, holidays=frozenset({date(2025, 4, 21)}))
    start = datetime(2025, 4, 18, 14, 0, tzinfo=UTC)  # Friday 16:00 in Warsaw (UTC+2)
    end = datetime(2025, 4, 22, 8, 0, tzinfo=UTC)  # Tuesday 10:00 in Warsaw

    # when the clock measures it
    clock = BusinessClock(cal, start, end)

    # then Friday 16-17 and Tuesday 09-10 count: two hours
    assert clock.between(epoch(start), epoch(end)) == 2 * 3600


def test_the_clock_matches_the_reference_on_random_pairs_including_dst_and_overnight_shifts():
    rng = random.Random(42)
    calendars = [
        WorkCalendar(timezone="Europe/Warsaw", weekly_hours=OFFICE, holidays=frozenset({date(2025, 3, 31)})),
        WorkCalendar(timezone="America/New_York", weekly_hours={d: [(time(22), time(6))] for d in range(7)}),
        WorkCalendar.always("UTC"),
    ]
    lo = datetime(2025, 3, 1, tzinfo=UTC)
    hi = datetime(2025, 4, 30, tzinfo=UTC)
    for cal in calendars:
        clock = BusinessClock(cal, lo, hi)
        for _ in range(300):
            a = lo + timedelta(seconds=rng.randint(0, int((hi - lo).total_seconds())))
            b = a + timedelta(seconds=rng.randint(0, 20 * 86400))
            b = min(b, hi)
            expected = business_time_between(cal, a, b).total_seconds()
            assert abs(clock.between(epoch(a), epoch(b)) - expected) < 1e-6, (cal.timezone, a, b)
