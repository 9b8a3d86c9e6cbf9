"""Volume, backlog and quality figures against hand-computed fixtures (from incidents and from rollups alike)."""

from datetime import date

import pytest

from incidents import lifecycle
from incidents.choices import OnHoldReason, State
from incidents.models import IncidentRating
from reporting import metrics
from reporting.filters import ReportFilters
from tests import factories
from tests.reporting.helpers import at, create, resolve, respond, worked

pytestmark = pytest.mark.django_db


def march(zone: str = "UTC", **dims) -> ReportFilters:
    return ReportFilters(start=date(2025, 3, 3), end=date(2025, 3, 9), zone=zone, **dims)


def test_created_and_resolved_are_counted_on_the_day_they_happened(agent, desk, both_paths):
    # given two incidents created on Monday and one on Tuesday; one of Monday's resolved on Wednesday
    first = create(when=at("2025-03-03T09:00:00+00:00"), assigned_team=desk["first"])
    create(when=at("2025-03-03T15:00:00+00:00"), assigned_team=desk["first"])
    create(when=at("2025-03-04T10:00:00+00:00"), assigned_team=desk["second"])
    respond(first, agent, at("2025-03-03T09:30:00+00:00"))
    resolve(first, agent, at("2025-03-05T12:00:00+00:00"))

    # when the week is measured per day
    raw, rolled = both_paths(lambda: metrics.volume(march()))

    # then both paths give the hand-counted figures
    for result in (raw, rolled):
        rows = {row["period"]: row for row in result["rows"]}
        assert rows["2025-03-03"]["created"] == 2
        assert rows["2025-03-04"]["created"] == 1
        assert rows["2025-03-05"]["resolved"] == 1
        assert result["totals"] == {**result["totals"], "created": 3, "resolved": 1, "reopened": 0}


def test_periods_are_cut_in_the_viewers_zone(agent, desk, both_paths):
    # given an incident created at 23:30 UTC on Monday: Tuesday 00:30 in Warsaw
    create(when=at("2025-03-03T23:30:00+00:00"), assigned_team=desk["first"])

    utc = metrics.volume(march("UTC"))
    raw, rolled = both_paths(lambda: metrics.volume(march("Europe/Warsaw")), zone="Europe/Warsaw")

    # then UTC counts it on Monday and Warsaw on Tuesday
    assert {r["period"]: r["created"] for r in utc["rows"]}["2025-03-03"] == 1
    for result in (raw, rolled):
        assert {r["period"]: r["created"] for r in result["rows"]}["2025-03-04"] == 1


def test_team_filter_and_weekly_buckets(agent, desk, both_paths):
    create(when=at("2025-03-03T09:00:00+00:00"), assigned_team=desk["first"])
    create(when=at("2025-03-08T09:00:00+00:00"), assigned_team=desk["first"])
    create(when=at("2025-03-04T09:00:00+00:00"), assigned_team=desk["second"])
    f = ReportFilters(
        start=date(2025, 3, 1), end=date(2025, 3, 9), zone="UTC", team=desk["first"].pk, granularity="week"
    )

    raw, rolled = both_paths(lambda: metrics.volume(f))

    for result in (raw, rolled):
        assert [(r["period"], r["created"]) for r in result["rows"]] == [("2025-03-01", 0), ("2025-03-03", 2)]
        assert f"team={desk['first'].pk}" in result["rows"][1]["created_url"]
        assert "created_after=2025-03-03T00%3A00%3A00%2B00%3A00" in result["rows"][1]["created_url"]


def test_backlog_trend_counts_open_incidents_at_the_end_of_each_day(agent, desk, both_paths):
    # given one incident from February still open, one created Monday and resolved Tuesday, one cancelled Wednesday
    create(when=at("2025-02-20T09:00:00+00:00"), assigned_team=desk["first"])
    monday = create(when=at("2025-03-03T09:00:00+00:00"), assigned_team=desk["first"])
    resolve(monday, agent, at("2025-03-04T09:00:00+00:00"))
    cancelled = create(when=at("2025-03-03T10:00:00+00:00"), assigned_team=desk["first"])
    lifecycle.incident_transition(
        incident=cancelled.pk, actor=agent, to_state=State.CANCELLED, at=at("2025-03-05T10:00:00+00:00")
    )

    raw, rolled = both_paths(lambda: metrics.backlog_trend(march()))

    for result in (raw, rolled):
        assert [r["open"] for r in result] == [3, 2, 1, 1, 1, 1, 1]


def test_backlog_now_by_age_state_team_and_priority(agent, desk):
    now = at("2025-03-10T12:00:00+00:00")
    create(when=now.replace(day=10, hour=6), assigned_team=desk["first"])  # 6 h old
    old = create(when=at("2025-02-01T12:00:00+00:00"), assigned_team=desk["second"])  # 37 days
    lifecycle.incident_transition(
        incident=old.pk, actor=agent, to_state=State.ON_HOLD, on_hold_reason=OnHoldReason.AWAITING_VENDOR, at=now
    )
    done = create(when=at("2025-03-05T12:00:00+00:00"), assigned_team=desk["first"])
    resolve(done, agent, at("2025-03-06T12:00:00+00:00"))

    result = metrics.backlog(march(), now=now)

    assert result["total"] == 2
    assert {r["label"]: r["count"] for r in result["by_age"]} == {
        "Under 1 day": 1,
        "1-3 days": 0,
        "3-7 days": 0,
        "7-14 days": 0,
        "14-30 days": 0,
        "Over 30 days": 1,
    }
    assert {r["state"]: r["count"] for r in result["by_state"]} == {"new": 1, "in_progress": 0, "on_hold": 1}
    assert {r["label"]: r["count"] for r in result["by_team"]} == {"Service Desk": 1, "Network": 1}
    assert sum(r["count"] for r in result["by_priority"]) == 2


def test_first_contact_resolution_excludes_holds_reassignments_escalations_and_reopens(agent, desk, both_paths):
    # given five incidents resolved in the week
    t = "2025-03-04T{}:00:00+00:00"
    plain = worked(
        created=at(t.format("08")),
        responded=at(t.format("09")),
        resolved=None,
        agent=agent,
        assigned_team=desk["first"],
    )
    lifecycle.incident_assign(incident=plain.pk, actor=agent, assignee=agent, at=at(t.format("09")))
    resolve(plain, agent, at(t.format("10")))  # first contact: taking an unassigned incident is no reassignment

    held = worked(
        created=at(t.format("08")),
        responded=at(t.format("09")),
        resolved=None,
        agent=agent,
        assigned_team=desk["first"],
    )
    lifecycle.incident_transition(
        incident=held.pk,
        actor=agent,
        to_state=State.ON_HOLD,
        on_hold_reason=OnHoldReason.AWAITING_CALLER,
        at=at(t.format("10")),
    )
    resolve(held, agent, at(t.format("11")))

    moved = create(when=at(t.format("08")), assigned_team=desk["first"])
    lifecycle.incident_assign(incident=moved.pk, actor=agent, team=desk["second"], at=at(t.format("09")))
    resolve(moved, agent, at(t.format("11")))

    desk["first"].escalation_team = desk["second"]
    desk["first"].save()
    escalated = create(when=at(t.format("08")), assigned_team=desk["first"])
    lifecycle.incident_escalate(incident=escalated.pk, actor=agent, reason="Needs network", at=at(t.format("09")))
    resolve(escalated, agent, at(t.format("11")))

    reopened = worked(
        created=at(t.format("08")),
        responded=at(t.format("09")),
        resolved=at(t.format("10")),
        agent=agent,
        assigned_team=desk["first"],
    )
    lifecycle.incident_reopen(incident=reopened.pk, actor=agent, reason="Still broken", at=at(t.format("12")))
    resolve(reopened, agent, at(t.format("13")))

    raw, rolled = both_paths(lambda: metrics.quality(march()))

    # then only the plain one is a first-contact resolution; one reopen, one escalation
    for result in (raw, rolled):
        assert result["resolved"] == 5
        assert result["first_contact"] == 1
        assert result["first_contact_rate"] == 20.0
        assert result["reopened"] == 1
        assert result["reopen_rate"] == 20.0
        assert result["escalated"] == 1


def test_satisfaction_is_the_average_and_distribution_of_ratings(agent, desk, requester, both_paths):
    scores = [5, 3, 3]
    for index, score in enumerate(scores):
        incident = worked(
            created=at(f"2025-03-04T0{index}:00:00+00:00"),
            responded=None,
            resolved=at(f"2025-03-05T0{index}:00:00+00:00"),
            agent=agent,
            caller=requester,
        )
        lifecycle.incident_rate(incident=incident.pk, actor=requester, score=score)
    # a rating of an incident resolved outside the range does not count
    outside = worked(
        created=at("2025-02-04T00:00:00+00:00"),
        responded=None,
        resolved=at("2025-02-05T00:00:00+00:00"),
        agent=agent,
        caller=requester,
    )
    lifecycle.incident_rate(incident=outside.pk, actor=requester, score=1)
    assert IncidentRating.objects.count() == 4

    raw, rolled = both_paths(lambda: metrics.quality(march()))

    for result in (raw, rolled):
        assert result["rated"] == 3
        assert result["satisfaction"] == pytest.approx(11 / 3, abs=0.01)
        assert {r["score"]: r["count"] for r in result["satisfaction_distribution"]} == {1: 0, 2: 0, 3: 2, 4: 0, 5: 1}


def test_major_incidents_count_children_and_distinct_affected_users(agent, desk):
    # given a major incident from caller A with three children from A, B and B
    a, b = factories.RequesterFactory(username="ann"), factories.RequesterFactory(username="bob")
    major = create(when=at("2025-03-04T08:00:00+00:00"), caller=a, is_major=True, assigned_team=desk["first"])
    for caller in (a, b, b):
        create(when=at("2025-03-04T08:30:00+00:00"), caller=caller, parent=major)
    resolve(major, agent, at("2025-03-04T11:00:00+00:00"))

    result = metrics.major_incidents(march())

    assert result["count"] == 1
    item = result["items"][0]
    assert item["children"] == 3
    assert item["affected_users"] == 2
    assert item["duration"] == 3 * 3600
    assert item["ongoing"] is False


def test_workload_counts_open_assigned_now_and_resolved_in_the_range(agent, desk):
    other = desk["other_agent"]
    create(when=at("2025-03-04T08:00:00+00:00"), assigned_team=desk["first"], assignee=agent, agent=agent)
    create(when=at("2025-03-04T08:00:00+00:00"), assigned_team=desk["first"], assignee=other, agent=agent)
    done = create(when=at("2025-03-04T08:00:00+00:00"), assigned_team=desk["first"], assignee=other, agent=agent)
    resolve(done, other, at("2025-03-05T08:00:00+00:00"))

    result = metrics.workload(march())

    assert {r["label"]: (r["open_assigned"], r["resolved"]) for r in result["teams"]} == {"Service Desk": (2, 1)}
    assert {r["user_id"]: (r["open_assigned"], r["resolved"]) for r in result["agents"]} == {
        agent.pk: (1, 0),
        other.pk: (1, 1),
    }


def test_problem_candidates_are_services_with_at_least_n_incidents_in_the_window(agent, desk):
    email, vpn = factories.ServiceFactory(name="Email"), factories.ServiceFactory(name="VPN")
    for day in (3, 5, 7):
        create(when=at(f"2025-03-0{day}T09:00:00+00:00"), service=email)
    create(when=at("2025-02-20T09:00:00+00:00"), service=email)  # outside the 7-day window
    for day in (4, 6):
        create(when=at(f"2025-03-0{day}T09:00:00+00:00"), service=vpn)

    result = metrics.problem_candidates(march(), min_incidents=3, window_days=7)

    assert [(r["label"], r["count"]) for r in result["services"]] == [("Email", 3)]
    assert (result["start"], result["end"]) == ("2025-03-03", "2025-03-09")
