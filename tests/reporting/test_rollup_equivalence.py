"""The rollups give exactly the numbers computed from the incidents, on a generated data set with known answers,
and stay exact when refreshed incrementally (any number of times)."""

import random
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from incidents import lifecycle
from incidents.choices import State
from incidents.models import IncidentRating, TimelineEntry
from reporting import metrics, rollups, series, sla_metrics, sql
from reporting.filters import ReportFilters
from reporting.models import IncidentCategoryDailyRollup, IncidentDailyRollup, IncidentFact
from tests import factories
from tests.reporting.helpers import bulk_incidents, sla_setup, timer

pytestmark = pytest.mark.django_db
START = datetime(2025, 1, 1, tzinfo=ZoneInfo("UTC"))
DAYS = 70
ZONES = ("UTC", "America/New_York")


@pytest.fixture
def generated(agent, requester):
    """About 600 incidents over 70 days with responses, resolutions, cancellations, reopens, escalations, ratings and
    completed SLA timers, all drawn from a seeded generator so the expected figures can be counted in Python."""
    rng = random.Random(20250101)
    teams = [factories.TeamFactory(name=f"Team {n}", members=[agent]) for n in range(3)]
    services = [factories.ServiceFactory(name=f"Service {n}") for n in range(3)]
    hardware = factories.CategoryFactory(name="Hardware")
    categories = [
        hardware,
        factories.CategoryFactory(name="Laptop", parent=hardware),
        factories.CategoryFactory(name="Access"),
    ]
    organizations = [factories.OrganizationFactory(name=f"Customer {n}") for n in range(2)]
    rows, facts = [], []
    for _ in range(600):
        created = START + timedelta(seconds=rng.randint(0, DAYS * 86400))
        fact = {
            "created": created,
            "team": rng.choice([*teams, None]),
            "service": rng.choice(services),
            "priority": rng.randint(1, 5),
            "responded": None,
            "resolved": None,
            "cancelled": None,
            "reopened_at": None,
            "escalated_at": None,
            "rating": None,
            "sla": None,
            "category": rng.choice([*categories, None]),
            "organization": rng.choice([*organizations, None]),
        }
        if rng.random() < 0.8:
            fact["responded"] = created + timedelta(seconds=rng.randint(60, 8 * 3600))
        outcome = rng.random()
        if outcome < 0.6:
            fact["resolved"] = (fact["responded"] or created) + timedelta(seconds=rng.randint(600, 6 * 86400))
            if rng.random() < 0.15:
                # it was resolved once before and reopened, then resolved again (the current resolved_at)
                fact["reopened_at"] = created + (fact["resolved"] - created) / 2
            if rng.random() < 0.4:
                fact["rating"] = rng.randint(1, 5)
            if rng.random() < 0.7:
                fact["sla"] = rng.random() < 0.3  # breached?
        elif outcome < 0.7:
            fact["cancelled"] = created + timedelta(seconds=rng.randint(60, 86400))
        if rng.random() < 0.1:
            fact["escalated_at"] = created + timedelta(seconds=30)
        facts.append(fact)
        ended = fact["resolved"] or fact["cancelled"]
        rows.append(
            {
                "created_at": created,
                "updated_at": ended or fact["responded"] or created,
                "assigned_team": fact["team"],
                "service": fact["service"],
                "priority": fact["priority"],
                "category": fact["category"],
                "organization": fact["organization"],
                "first_response_at": fact["responded"],
                "resolved_at": fact["resolved"],
                "cancelled_at": fact["cancelled"],
                "state": State.CLOSED if fact["resolved"] else State.CANCELLED if fact["cancelled"] else State.NEW,
                "reopen_count": 1 if fact["reopened_at"] else 0,
                "escalation_level": 1 if fact["escalated_at"] else 0,
            }
        )
    incidents = bulk_incidents(rows, caller=requester)
    entries, ratings = [], []
    _, policies = sla_setup()
    for incident, fact in zip(incidents, facts, strict=True):
        fact["id"] = incident.pk
        if fact["reopened_at"]:
            entries.append(
                TimelineEntry(
                    incident=incident,
                    kind="state_change",
                    field="state",
                    old_value="resolved",
                    new_value="in_progress",
                    created_at=fact["reopened_at"],
                )
            )
        if fact["escalated_at"]:
            entries.append(TimelineEntry(incident=incident, kind="escalation", created_at=fact["escalated_at"]))
        if fact["rating"]:
            ratings.append(IncidentRating(incident=incident, score=fact["rating"]))
        if fact["sla"] is not None:
            timer(
                incident,
                policies["resolution"],
                stopped_at=fact["resolved"],
                breached=fact["sla"],
                breached_at=fact["resolved"] if fact["sla"] else None,
            )
    TimelineEntry.objects.bulk_create(entries)
    IncidentRating.objects.bulk_create(ratings)
    return {
        "facts": facts,
        "teams": teams,
        "services": services,
        "categories": categories,
        "organizations": organizations,
    }


def local_day(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


def _pk(value):
    return value.pk if value is not None else None


def expected(
    facts,
    zone: str,
    start: date,
    end: date,
    *,
    team=None,
    service=None,
    category=None,
    organization=None,
    priority=None,
) -> dict:
    """Hand-counted figures of the facts inside the local date range."""
    counts: Counter = Counter()
    response, resolution = [], []
    for fact in facts:
        if team is not None and (fact["team"].pk if fact["team"] else None) != team:
            continue
        if service is not None and fact["service"].pk != service:
            continue
        if category is not None and category not in (
            _pk(fact["category"]),
            _pk(getattr(fact["category"], "parent", None)),
        ):
            continue  # a top-level category covers its subcategories
        if organization is not None and _pk(fact["organization"]) != organization:
            continue
        if priority is not None and fact["priority"] != priority:
            continue

        def inside(instant):
            return instant is not None and start <= local_day(instant, zone) <= end

        counts["created"] += inside(fact["created"])
        counts["cancelled"] += inside(fact["cancelled"])
        counts["reopened"] += inside(fact["reopened_at"])
        counts["escalated"] += inside(fact["escalated_at"])
        if inside(fact["responded"]):
            response.append((fact["responded"] - fact["created"]).total_seconds())
        if inside(fact["resolved"]):
            counts["resolved"] += 1
            resolution.append((fact["resolved"] - fact["created"]).total_seconds())
            counts["first_contact"] += not fact["reopened_at"] and not fact["escalated_at"]
            if fact["rating"]:
                counts["rated"] += 1
                counts["rating_sum"] += fact["rating"]
            if fact["sla"] is not None:
                counts["sla_breached" if fact["sla"] else "sla_met"] += 1
    response.sort()
    resolution.sort()
    for name, values in (("mtta", response), ("mttr", resolution)):
        for stat, fraction in (("median", 0.5), ("p90", 0.9)):
            value = metrics._percentile(values, fraction)
            counts[f"{name}_{stat}"] = round(value, 1) if value is not None else None
    counts["mtta"] = round(sum(response) / len(response), 1) if response else None
    counts["mttr"] = round(sum(resolution) / len(resolution), 1) if resolution else None
    return counts


def figures(f: ReportFilters) -> dict:
    volume = metrics.volume(f)["totals"]
    quality = metrics.quality(f)
    times = metrics.response_times(f, business=False)
    sla = sla_metrics.compliance(f)["overall"]
    return {
        "created": volume["created"],
        "resolved": volume["resolved"],
        "reopened": volume["reopened"],
        "cancelled": volume["cancelled"],
        "escalated": quality["escalated"],
        "first_contact": quality["first_contact"],
        "rated": quality["rated"],
        "sla_met": sla["met"],
        "sla_breached": sla["breached"],
        "mtta": times["mtta"]["mean"],
        "mttr": times["mttr"]["mean"],
        # exact percentiles, histogram and resolved workload: read from the per-incident fact table once built
        "times": {key: times[key] for key in ("mtta", "mttr")},
        "histogram": metrics.resolution_histogram(f),
        "workload": metrics.workload(f),
        "daily": [(r["period"], r["created"], r["resolved"], r["reopened"]) for r in metrics.volume(f)["rows"]],
        "trend": metrics.backlog_trend(f),
        "mean_trend": metrics.mttr_trend(f),
    }


@pytest.mark.parametrize("zone", ZONES)
def test_rollups_and_incidents_give_the_hand_counted_figures(generated, zone):
    facts = generated["facts"]
    cases = [
        {"start": date(2025, 1, 1), "end": date(2025, 3, 15)},
        {"start": date(2025, 1, 20), "end": date(2025, 2, 10), "team": generated["teams"][0].pk},
        {"start": date(2025, 2, 1), "end": date(2025, 2, 28), "service": generated["services"][1].pk},
        # category and organization filters read the (category, organization, priority) rollup
        {"start": date(2025, 1, 1), "end": date(2025, 3, 15), "category": generated["categories"][0].pk},
        {"start": date(2025, 1, 10), "end": date(2025, 2, 20), "category": generated["categories"][1].pk},
        {"start": date(2025, 1, 1), "end": date(2025, 3, 15), "organization": generated["organizations"][0].pk},
        {
            "start": date(2025, 1, 5),
            "end": date(2025, 3, 1),
            "category": generated["categories"][2].pk,
            "organization": generated["organizations"][1].pk,
            "priority": 3,
        },
    ]
    raw = [figures(ReportFilters(zone=zone, granularity="week", **case)) for case in cases]
    mixed = {**cases[3], "team": generated["teams"][1].pk}
    raw_mixed = metrics.response_times(ReportFilters(zone=zone, **mixed), business=False)
    rollups.rebuild(zone)
    for case in cases:
        assert series.uses_rollup(ReportFilters(zone=zone, **case))
    assert not series.uses_rollup(ReportFilters(zone=zone, **mixed))  # no rollup has both: read from incidents
    # but the fact table carries every dimension: the same durations from it
    assert metrics.response_times(ReportFilters(zone=zone, **mixed), business=False) == raw_mixed
    rolled = [figures(ReportFilters(zone=zone, granularity="week", **case)) for case in cases]

    assert IncidentFact.objects.count() == sum(1 for fact in facts if fact["responded"] or fact["resolved"])
    for case, from_raw, from_rollup in zip(cases, raw, rolled, strict=True):
        assert from_raw == from_rollup
        want = expected(facts, zone, **case)
        for name in (
            "created",
            "resolved",
            "reopened",
            "cancelled",
            "escalated",
            "first_contact",
            "rated",
            "sla_met",
            "sla_breached",
        ):
            assert from_raw[name] == want[name], name
        assert from_raw["mtta"] == pytest.approx(want["mtta"], abs=0.1)
        assert from_raw["mttr"] == pytest.approx(want["mttr"], abs=0.1)
        for name in ("mtta", "mttr"):
            for stat in ("median", "p90"):
                assert from_raw["times"][name][stat] == pytest.approx(want[f"{name}_{stat}"], abs=0.1), (name, stat)
        assert sum(row["count"] for row in from_raw["histogram"]) == want["resolved"]


def rollup_rows(zone: str) -> list[tuple]:
    return [*team_rollup_rows(zone), *category_rollup_rows(zone), *fact_rows()]


def fact_rows() -> list[tuple]:
    return list(IncidentFact.objects.order_by("incident_id").values_list())


def category_rollup_rows(zone: str) -> list[tuple]:
    return list(
        IncidentCategoryDailyRollup.objects.filter(zone=zone)
        .order_by("day", "category_id", "organization_id", "priority")
        .values_list("day", "category_id", "organization_id", "priority", *sql.MEASURES)
    )


def team_rollup_rows(zone: str) -> list[tuple]:
    return list(
        IncidentDailyRollup.objects.filter(zone=zone)
        .order_by("day", "team_id", "service_id", "priority")
        .values_list(
            "day",
            "team_id",
            "service_id",
            "priority",
            "created",
            "resolved",
            "cancelled",
            "reopened",
            "escalated",
            "responded",
            "first_contact",
            "rated",
            "rating_sum",
        )
    )


def test_an_incremental_refresh_equals_a_full_rebuild_and_running_it_twice_changes_nothing(generated, agent):
    # given rollups built for the report zone
    zone = "Europe/Warsaw"
    rollups.rebuild(zone)
    facts, teams = generated["facts"], generated["teams"]
    still_open = [f for f in facts if not f["resolved"] and not f["cancelled"]]
    moved = next(f for f in still_open if f["team"] != teams[1])
    solved = next(f for f in still_open if f is not moved)

    # when incidents change afterwards: an old one moves team, another is resolved, a new one is registered
    lifecycle.incident_assign(incident=moved["id"], actor=agent, team=teams[1])
    lifecycle.incident_transition(
        incident=solved["id"], actor=agent, to_state=State.RESOLVED, resolution_code="fixed", resolution_notes="Done."
    )
    factories.make_incident(assigned_team=teams[2])
    rollups.refresh(zone)
    after_refresh = rollup_rows(zone)
    rollups.refresh(zone)
    again = rollup_rows(zone)
    rollups.rebuild(zone)

    # then the refreshed rollups (both of them) equal a rebuild, however often the refresh runs
    assert category_rollup_rows(zone)
    assert after_refresh == again == rollup_rows(zone)
    # and the moved incident's creation day counts it for its new team, as the incidents themselves say
    day = local_day(moved["created"], zone)
    f = ReportFilters(zone=zone, start=day, end=day, team=teams[1].pk)
    from_rollup = series.totals(f)
    assert from_rollup["created"] >= 1
    rollups.drop([zone])
    assert series.totals(f) == from_rollup
