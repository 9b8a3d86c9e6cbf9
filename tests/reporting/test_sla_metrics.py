"""SLA compliance, breaches and the at-risk board, against hand-made timers."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from reporting import sla_metrics
from reporting.filters import ReportFilters
from tests import factories
from tests.reporting.helpers import at, create, sla_setup, timer

pytestmark = pytest.mark.django_db
ALL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def march(**dims) -> ReportFilters:
    return ReportFilters(start=date(2025, 3, 1), end=date(2025, 3, 31), zone="UTC", **dims)


def test_compliance_is_met_over_completed_timers_by_priority_team_and_month(agent, desk, both_paths):
    # given three response timers completed in March (one breached) and one in February
    category = factories.CategoryFactory(name="Network")
    org = factories.OrganizationFactory(name="Contoso")
    first = create(when=at("2025-03-03T09:00:00+00:00"), assigned_team=desk["first"], category=category)
    second = create(when=at("2025-03-03T09:00:00+00:00"), assigned_team=desk["second"])
    third = create(
        when=at("2025-03-03T09:00:00+00:00"),
        assigned_team=desk["first"],
        caller=factories.RequesterFactory(username="carl", organization=org),
    )
    old = create(when=at("2025-02-03T09:00:00+00:00"), assigned_team=desk["first"])
    _, policies = sla_setup()  # after the incidents, so the SLA engine starts no timers of its own
    timer(first, policies["response"], stopped_at=at("2025-03-03T10:00:00+00:00"))
    timer(
        second,
        policies["response"],
        stopped_at=at("2025-03-03T16:00:00+00:00"),
        breached=True,
        breached_at=at("2025-03-03T13:00:00+00:00"),
    )
    timer(third, policies["resolution"], stopped_at=at("2025-03-04T10:00:00+00:00"))
    timer(
        old,
        policies["response"],
        stopped_at=at("2025-02-03T10:00:00+00:00"),
        breached=True,
        breached_at=at("2025-02-03T13:00:00+00:00"),
    )
    # a running timer is not counted
    timer(old, policies["resolution"], state="running", stopped_at=None)

    raw, rolled = both_paths(lambda: sla_metrics.compliance(march()))

    for result in (raw, rolled):
        assert result["overall"] == {"met": 2, "breached": 1, "total": 3, "percent": 66.7}
        assert {m["metric"]: m["percent"] for m in result["by_metric"]} == {"resolution": 100.0, "response": 50.0}
        assert {r["label"]: (r["met"], r["breached"]) for r in result["by_team"]} == {
            "Service Desk": (2, 0),
            "Network": (0, 1),
        }
        assert {r["label"]: r["met"] for r in result["by_category"]} == {"Network": 1, "No category": 1}
        assert {r["label"]: r["total"] for r in result["by_organization"]}["Contoso"] == 1
        assert [(m["month"], m["total"]) for m in result["by_month"]] == [("2025-03", 3)]

    # and filtered by team, only that team's timers count
    raw, rolled = both_paths(lambda: sla_metrics.compliance(march(team=desk["second"].pk)))
    assert raw["overall"] == rolled["overall"] == {"met": 0, "breached": 1, "total": 1, "percent": 0.0}


def test_the_breaches_list_holds_timers_that_breached_in_the_range(agent, desk):
    late = create(when=at("2025-03-03T09:00:00+00:00"), assigned_team=desk["first"])
    earlier = create(when=at("2025-02-03T09:00:00+00:00"))
    _, policies = sla_setup()
    timer(
        late,
        policies["resolution"],
        state="running",
        breached=True,
        breached_at=at("2025-03-03T13:00:00+00:00"),
        due_at=at("2025-03-03T13:00:00+00:00"),
    )
    timer(
        earlier,
        policies["resolution"],
        breached=True,
        breached_at=at("2025-02-03T13:00:00+00:00"),
        stopped_at=at("2025-02-04T13:00:00+00:00"),
    )

    result = sla_metrics.breaches(march())

    assert result["total"] == 1
    assert result["rows"][0]["number"] == late.number
    assert result["rows"][0]["url"] == f"/incidents/{late.number}/"


def test_at_risk_lists_warned_running_timers_by_percent_used(agent, desk):
    now = timezone.now()
    fast = create(when=now - timedelta(hours=3, minutes=30))
    slow = create(when=now - timedelta(hours=2, minutes=30))
    safe = create(when=now - timedelta(minutes=10))
    gone = create(when=now - timedelta(hours=5))
    _, policies = sla_setup(hours={d: [["00:00", "00:00"]] for d in ALL_DAYS})
    # 4 h targets on a 24x7 calendar: 87.5 % and 62.5 % used
    timer(
        fast,
        policies["resolution"],
        state="running",
        warning_threshold=75,
        elapsed_at=fast.created_at,
        due_at=fast.created_at + timedelta(hours=4),
    )
    timer(
        slow,
        policies["resolution"],
        state="running",
        warning_threshold=50,
        elapsed_at=slow.created_at,
        due_at=slow.created_at + timedelta(hours=4),
    )
    timer(safe, policies["resolution"], state="running", elapsed_at=safe.created_at)
    timer(
        gone,
        policies["resolution"],
        state="running",
        breached=True,
        warning_threshold=90,
        breached_at=now - timedelta(hours=1),
        elapsed_at=gone.created_at,
    )

    result = sla_metrics.at_risk(march(), now=now)

    assert result["at_risk"] == 2
    assert result["breached_open"] == 1
    assert [r["number"] for r in result["rows"]] == [fast.number, slow.number]
    assert [r["percent"] for r in result["rows"]] == pytest.approx([87.5, 62.5], abs=0.2)
    assert result["at_risk_url"] == "/incidents/?sla=at_risk"
