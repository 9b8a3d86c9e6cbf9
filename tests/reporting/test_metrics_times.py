"""MTTA and MTTR (mean, median, 90th percentile) in wall-clock and business time, against hand computations."""

from datetime import date, timedelta

import pytest

from reporting import metrics
from reporting.filters import ReportFilters
from tests.reporting.helpers import at, sla_setup, timer, worked

pytestmark = pytest.mark.django_db


def week(**extra) -> ReportFilters:
    return ReportFilters(start=date(2025, 4, 14), end=date(2025, 4, 27), zone="Europe/Warsaw", **extra)


def test_mean_median_and_90th_percentile_of_resolution_and_response_times(agent, desk, both_paths):
    # given four incidents resolved in 1, 2, 3 and 10 hours, first responded to after 10, 20, 30 and 40 minutes
    base = at("2025-04-15T08:00:00+00:00")
    for hours, minutes in ((1, 10), (2, 20), (3, 30), (10, 40)):
        worked(
            created=base,
            responded=base + timedelta(minutes=minutes),
            resolved=base + timedelta(hours=hours),
            agent=agent,
            assigned_team=desk["first"],
        )

    raw, rolled = both_paths(lambda: metrics.response_times(week(), business=False), zone="Europe/Warsaw")

    # then: mean 4 h, median 2.5 h, p90 = 3 h + 0.7 x (10 h - 3 h) = 7.9 h (linear interpolation)
    for result in (raw, rolled):
        assert result["mttr"] == {"count": 4, "mean": 4 * 3600.0, "median": 2.5 * 3600, "p90": 7.9 * 3600}
        assert result["mtta"] == {"count": 4, "mean": 25 * 60.0, "median": 25 * 60.0, "p90": 37 * 60.0}


def test_the_mean_time_trend_uses_the_same_sums(agent, desk, both_paths):
    base = at("2025-04-15T08:00:00+00:00")
    for hours in (1, 3):
        worked(created=base, responded=None, resolved=base + timedelta(hours=hours), agent=agent)
    f = ReportFilters(start=date(2025, 4, 14), end=date(2025, 4, 20), zone="UTC", granularity="week")

    raw, rolled = both_paths(lambda: metrics.mttr_trend(f))

    assert raw == rolled == [{"period": "2025-04-14", "mttr": 2 * 3600.0, "mtta": None}]


def test_business_time_mttr_across_a_weekend_and_a_holiday_with_a_chosen_calendar(agent, desk):
    # given office hours Mon-Fri 09-17 in Warsaw and Easter Monday 2025-04-21 a holiday
    calendar, _ = sla_setup(timezone="Europe/Warsaw", holidays=[date(2025, 4, 21)])
    # an incident from Friday 16:00 to Tuesday 10:00 (Warsaw, UTC+2): 1 h on Friday + 1 h on Tuesday
    worked(
        created=at("2025-04-18T16:00:00+02:00"),
        responded=at("2025-04-18T16:30:00+02:00"),
        resolved=at("2025-04-22T10:00:00+02:00"),
        agent=agent,
    )
    # and one within Wednesday 10:00-12:30: 2.5 h
    worked(
        created=at("2025-04-23T10:00:00+02:00"), responded=None, resolved=at("2025-04-23T12:30:00+02:00"), agent=agent
    )

    result = metrics.response_times(week(calendar=calendar.pk))

    assert result["mttr_business"]["count"] == 2
    assert result["mttr_business"]["mean"] == pytest.approx((2 + 2.5) / 2 * 3600)
    assert result["mttr_business"]["median"] == pytest.approx(2.25 * 3600)
    assert result["mtta_business"]["mean"] == 30 * 60
    # and the wall clock says 90 h and 2.5 h
    assert result["mttr"]["mean"] == pytest.approx((90 + 2.5) / 2 * 3600)


def test_business_time_uses_each_incidents_resolution_timer_calendar_by_default(agent, desk):
    # given two calendars: Warsaw office hours with the Easter Monday holiday, and 24x7
    friday, tuesday = at("2025-04-18T16:00:00+02:00"), at("2025-04-22T10:00:00+02:00")
    on_office = worked(created=friday, responded=None, resolved=tuesday, agent=agent)
    on_always = worked(created=friday, responded=None, resolved=tuesday, agent=agent)
    without = worked(created=friday, responded=None, resolved=tuesday, agent=agent)
    office, office_policies = sla_setup(timezone="Europe/Warsaw", holidays=[date(2025, 4, 21)])
    always, always_policies = sla_setup(
        hours={
            d: [["00:00", "00:00"]]
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        }
    )
    timer(on_office, office_policies["resolution"], stopped_at=tuesday)
    timer(on_always, always_policies["resolution"], stopped_at=tuesday)

    result = metrics.response_times(week())

    # then 2 h under office hours, 90 h around the clock; the incident without a timer is left out
    assert result["mttr_business"]["count"] == 2
    assert result["mttr_business"]["mean"] == pytest.approx((2 + 90) / 2 * 3600)
    assert result["mttr_business"]["excluded"] == 1
    assert without.pk


def test_the_resolution_histogram_puts_each_incident_in_one_bucket(agent, desk):
    base = at("2025-04-15T08:00:00+00:00")
    for minutes in (30, 90, 60 * 30, 60 * 24 * 20):
        worked(created=base - timedelta(minutes=minutes), responded=None, resolved=base, agent=agent)

    result = {row["label"]: row["count"] for row in metrics.resolution_histogram(week())}

    assert result["< 1 h"] == 1
    assert result["1-4 h"] == 1
    assert result["1-2 d"] == 1
    assert result["> 2 wk"] == 1
    assert sum(result.values()) == 4


def test_business_time_figures_are_limited_to_ranges_the_page_can_afford(settings, agent):
    settings.REPORTING_BUSINESS_TIME_MAX_DAYS = 7
    worked(
        created=at("2025-04-15T08:00:00+00:00"), responded=None, resolved=at("2025-04-15T09:00:00+00:00"), agent=agent
    )

    result = metrics.response_times(week())  # 14 days

    assert "up to 7 days" in result["business_note"]
    assert result["mttr_business"]["count"] == 0
    assert result["mttr"]["count"] == 1
