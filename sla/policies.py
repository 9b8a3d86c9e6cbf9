"""Which policy governs which metric of an incident: the most specific active policy, ties broken by `order`.

Policies are read once per change of the configuration and kept per process as plain frozen objects, so matching an
incident and running a tick batch cost no query beyond one version probe.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max

from incidents.models import Category
from sla.choices import BREACH_PERCENT, Metric
from sla.models import EscalationRule, SlaPolicy


@dataclass(frozen=True)
class RuleInfo:
    """An escalation rule, as the engine needs it."""

    id: int
    at_percent: int
    reassign: bool
    notify_manager: bool
    notify_user_ids: tuple[int, ...]
    notify_team_id: int | None
    raise_priority: bool


@dataclass(frozen=True)
class PolicyInfo:
    """A policy's conditions, target and rules, detached from the ORM."""

    id: int
    name: str
    metric: str
    target: timedelta
    calendar_id: int
    order: int
    thresholds: tuple[int, ...]
    pause_reasons: frozenset[str]
    organizations: frozenset[int]
    priorities: frozenset[int]
    services: frozenset[int]
    categories: frozenset[int]
    teams: frozenset[int]
    channels: frozenset[str]
    rules: tuple[RuleInfo, ...]
    is_active: bool = True

    @property
    def specificity(self) -> int:
        conditions = (self.organizations, self.priorities, self.services, self.categories, self.teams, self.channels)
        return sum(1 for condition in conditions if condition)

    @property
    def checkpoints(self) -> tuple[int, ...]:
        """Every percent at which the tick must look at a timer: warnings, rule thresholds and the breach."""
        points = {p for p in self.thresholds if 0 < p < BREACH_PERCENT}
        points.update(rule.at_percent for rule in self.rules)
        points.add(BREACH_PERCENT)
        return tuple(sorted(points))

    def matches(self, incident, *, team_id: int | None, category_ids: frozenset[int]) -> bool:
        return (
            (not self.organizations or incident.organization_id in self.organizations)
            and (not self.priorities or incident.priority in self.priorities)
            and (not self.services or incident.service_id in self.services)
            and (not self.categories or bool(category_ids & self.categories))
            and (not self.teams or team_id in self.teams)
            and (not self.channels or incident.channel in self.channels)
        )


@dataclass(frozen=True)
class Snapshot:
    version: tuple
    policies: dict[int, PolicyInfo]
    category_parents: dict[int, int | None]

    def category_ids(self, category_id: int | None) -> frozenset[int]:
        """A category and its ancestors: a policy for "Network" covers "Network / VPN"."""
        ids: set[int] = set()
        while category_id is not None and category_id not in ids:
            ids.add(category_id)
            category_id = self.category_parents.get(category_id)
        return frozenset(ids)

    def best(self, incident, metric: str, *, team_id: int | None = None) -> PolicyInfo | None:
        """The policy governing `metric` for the incident as it is now (team_id: the OLA team or the incident's)."""
        if team_id is None:
            team_id = incident.assigned_team_id
        categories = self.category_ids(incident.category_id)
        candidates = [
            p
            for p in self.policies.values()
            if p.is_active and p.metric == metric and p.matches(incident, team_id=team_id, category_ids=categories)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda p: (-p.specificity, p.order, p.id))


_current: Snapshot | None = None
_lock = threading.Lock()


def _version() -> tuple:
    policy = SlaPolicy.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (policy["n"], policy["at"], Category.objects.count())


def snapshot() -> Snapshot:
    """The active policies; one cheap query checks whether the cached copy is still current."""
    global _current
    version = _version()
    current = _current
    if current is not None and current.version == version:
        return current
    with _lock:
        _current = _load(version)
        return _current


def clear_cache() -> None:
    global _current
    _current = None


def _load(version: tuple) -> Snapshot:
    rules: dict[int, list[RuleInfo]] = {}
    for rule in EscalationRule.objects.prefetch_related("notify_users").order_by("at_percent", "id"):
        rules.setdefault(rule.policy_id, []).append(
            RuleInfo(
                id=rule.pk,
                at_percent=rule.at_percent,
                reassign=rule.reassign_to_escalation_team,
                notify_manager=rule.notify_team_manager,
                notify_user_ids=tuple(u.pk for u in rule.notify_users.all()),
                notify_team_id=rule.notify_team_id,
                raise_priority=rule.raise_priority,
            )
        )
    policies = {}
    for p in SlaPolicy.objects.prefetch_related("organizations", "services", "categories", "teams"):
        policies[p.pk] = PolicyInfo(
            id=p.pk,
            name=p.name,
            metric=p.metric,
            target=p.target,
            calendar_id=p.calendar_id,
            order=p.order,
            thresholds=tuple(sorted(set(p.warning_thresholds or ()))),
            pause_reasons=frozenset(p.pause_reasons or ()),
            organizations=frozenset(o.pk for o in p.organizations.all()),
            priorities=frozenset(p.priorities or ()),
            services=frozenset(s.pk for s in p.services.all()),
            categories=frozenset(c.pk for c in p.categories.all()),
            teams=frozenset(t.pk for t in p.teams.all()),
            channels=frozenset(p.channels or ()),
            rules=tuple(rules.get(p.pk, ())),
            # Inactive policies stay known (their running timers still need their rules) but never match.
            is_active=p.is_active,
        )
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    return Snapshot(version=version, policies=policies, category_parents=parents)


METRICS = (Metric.RESPONSE, Metric.RESOLUTION, Metric.OLA)
