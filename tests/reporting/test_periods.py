"""Periods are cut in a time zone: pure date arithmetic."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reporting import periods


def test_weeks_start_on_monday_and_are_clipped_to_the_range():
    # given a range from a Wednesday to the Tuesday two weeks later
    start, end = date(2025, 3, 5), date(2025, 3, 18)

    # when it is cut into weeks
    weeks = periods.buckets(start, end, "week")

    # then the first and last weeks are clipped, the middle one is whole
    assert [(b.start, b.end) for b in weeks] == [
        (date(2025, 3, 5), date(2025, 3, 9)),
        (date(2025, 3, 10), date(2025, 3, 16)),
        (date(2025, 3, 17), date(2025, 3, 18)),
    ]


def test_months_cover_december_to_february_across_the_year_end():
    months = periods.buckets(date(2024, 12, 15), date(2025, 2, 10), "month")
    assert [(b.start, b.end) for b in months] == [
        (date(2024, 12, 15), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 10)),
    ]


def test_a_local_day_on_the_spring_dst_change_lasts_23_hours():
    lo, hi = periods.day_bounds(date(2025, 3, 30), date(2025, 3, 30), "Europe/Warsaw")
    assert hi.astimezone(ZoneInfo("UTC")) - lo.astimezone(ZoneInfo("UTC")) == timedelta(hours=23)
    assert lo == datetime(2025, 3, 29, 23, 0, tzinfo=ZoneInfo("UTC"))


def test_the_previous_period_is_the_last_full_week_or_month():
    wednesday = date(2025, 3, 12)
    assert periods.previous_period(wednesday, "weekly") == (date(2025, 3, 3), date(2025, 3, 9))
    assert periods.previous_period(wednesday, "monthly") == (date(2025, 2, 1), date(2025, 2, 28))
    assert periods.previous_period(date(2025, 1, 1), "monthly") == (date(2024, 12, 1), date(2024, 12, 31))


def test_the_viewer_zone_comes_from_the_profile_when_it_is_valid():
    class Viewer:
        time_zone = "Asia/Tokyo"

    class Broken:
        time_zone = "Mars/Olympus"

    assert periods.viewer_zone(Viewer(), "UTC") == "Asia/Tokyo"
    assert periods.viewer_zone(Broken(), "UTC") == "UTC"
