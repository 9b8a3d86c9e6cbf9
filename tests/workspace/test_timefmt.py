"""Relative times as the workspace words them (pure functions, no database)."""

from datetime import UTC, datetime, timedelta

from incidents.workspace.timefmt import ago, short_duration, sla_css, until


def test_time_left_reads_as_hours_and_minutes():
    assert until(timedelta(hours=2, minutes=10)) == "in 2 h 10 min"


def test_time_past_a_deadline_reads_as_overdue():
    assert until(-timedelta(minutes=5, seconds=20)) == "overdue 5 min"


def test_long_durations_show_days_and_hours():
    assert short_duration(timedelta(days=3, hours=4, minutes=59)) == "3 d 4 h"
    assert short_duration(timedelta(days=2)) == "2 d"
    assert short_duration(timedelta(hours=5)) == "5 h"


def test_under_a_minute_is_said_plainly():
    assert until(timedelta(seconds=20)) == "in less than 1 min"


def test_ago_says_just_now_then_minutes():
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert ago(now - timedelta(seconds=10), now) == "just now"
    assert ago(now - timedelta(minutes=42), now) == "42 min ago"


def test_sla_colour_follows_status_and_percent_used():
    assert sla_css("ok", 10) == "sla-ok"
    assert sla_css("ok", 80) == "sla-risk"
    assert sla_css("at_risk", 60) == "sla-risk"
    assert sla_css("breached", 120) == "sla-breach"
    assert sla_css("paused", 90) == "sla-muted"
