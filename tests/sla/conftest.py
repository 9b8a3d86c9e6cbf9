"""Fixtures for the SLA engine's tests: calendars, policies and a clock that starts at a fixed instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sla import calendars, policies
from sla.calendars import ALWAYS_HOURS
from sla.models import BusinessCalendar, EscalationRule, SlaPolicy

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def _fresh_caches():
    policies.clear_cache()
    calendars.clear_cache()
    yield
    policies.clear_cache()
    calendars.clear_cache()


@pytest.fixture
def always(db):
    return BusinessCalendar.objects.create(name="24x7", timezone="UTC", weekly_hours=ALWAYS_HOURS)


@pytest.fixture
def office(db):
    return BusinessCalendar.objects.create(
        name="Office",
        timezone="Europe/Warsaw",
        weekly_hours={d: [["08:00", "16:00"]] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
    )


def make_policy(calendar, *, metric="resolution", target=timedelta(hours=4), priorities=(), order=100, **extra):
    name = extra.pop("name", None) or f"{metric} {target} P{','.join(map(str, priorities)) or '*'} {order}"
    rules = extra.pop("rules", ())
    teams = extra.pop("teams", ())
    policy = SlaPolicy.objects.create(
        name=name, metric=metric, target=target, calendar=calendar, priorities=list(priorities), order=order, **extra
    )
    if teams:
        policy.teams.set(teams)
    for rule in rules:
        users = rule.pop("notify_users", ())
        created = EscalationRule.objects.create(policy=policy, **rule)
        if users:
            created.notify_users.set(users)
    return policy


@pytest.fixture
def resolution_4h(always):
    return make_policy(always, metric="resolution", target=timedelta(hours=4))


@pytest.fixture
def response_1h(always):
    return make_policy(always, metric="response", target=timedelta(hours=1))
