"""Every table of the dashboards by name, as (columns, rows): the CSV export and the summary email use these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from reporting import metrics, sla_metrics
from reporting.filters import ReportFilters

CSV_ROW_LIMIT = 100_000


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: Callable[[ReportFilters], list[dict]]


def _times(f: ReportFilters) -> list[dict]:
    data = metrics.response_times(f)
    rows = []
    for key, label in (
        ("mtta", "Time to first response (wall clock)"),
        ("mtta_business", "Time to first response (business time)"),
        ("mttr", "Time to resolve (wall clock)"),
        ("mttr_business", "Time to resolve (business time)"),
    ):
        rows.append({"measure": label, **data[key]})
    return rows


def _problems(key: str) -> Callable[[ReportFilters], list[dict]]:
    return lambda f: metrics.problem_candidates(
        f,
        min_incidents=settings.REPORTING_PROBLEM_MIN_INCIDENTS,
        window_days=settings.REPORTING_PROBLEM_WINDOW_DAYS,
    )[key]


def _sla(key: str) -> Callable[[ReportFilters], list[dict]]:
    return lambda f: sla_metrics.compliance(f)[key]


SLA_COLUMNS = ("label", "met", "breached", "total", "percent")

TABLES: dict[str, Table] = {
    "volume": Table(
        "Volume",
        ("period", "start", "end", "created", "resolved", "reopened", "cancelled"),
        lambda f: metrics.volume(f)["rows"],
    ),
    "backlog-age": Table("Open incidents by age", ("label", "count"), lambda f: metrics.backlog(f)["by_age"]),
    "backlog-state": Table("Open incidents by state", ("label", "count"), lambda f: metrics.backlog(f)["by_state"]),
    "backlog-team": Table("Open incidents by team", ("label", "count"), lambda f: metrics.backlog(f)["by_team"]),
    "backlog-priority": Table(
        "Open incidents by priority", ("label", "count"), lambda f: metrics.backlog(f)["by_priority"]
    ),
    "backlog-trend": Table("Backlog trend", ("period", "date", "open"), metrics.backlog_trend),
    "response-times": Table(
        "Response and resolution times (seconds)", ("measure", "count", "mean", "median", "p90"), _times
    ),
    "mttr-trend": Table("Mean times per period (seconds)", ("period", "mtta", "mttr"), metrics.mttr_trend),
    "resolution-histogram": Table("Resolution times", ("label", "from_hours", "count"), metrics.resolution_histogram),
    "satisfaction": Table(
        "Satisfaction", ("score", "count"), lambda f: metrics.quality(f)["satisfaction_distribution"]
    ),
    "escalations": Table("Escalations", ("period", "escalated"), metrics.escalation_trend),
    "major-incidents": Table(
        "Major incidents",
        (
            "number",
            "title",
            "state",
            "created_at",
            "resolved_at",
            "duration",
            "children",
            "affected_users",
            "services",
            "sla_breaches",
        ),
        lambda f: metrics.major_incidents(f)["items"],
    ),
    "workload-teams": Table(
        "Workload by team", ("label", "open_assigned", "resolved"), lambda f: metrics.workload(f)["teams"]
    ),
    "workload-agents": Table(
        "Workload by agent", ("label", "open_assigned", "resolved"), lambda f: metrics.workload(f)["agents"]
    ),
    "problem-services": Table("Problem candidates: services", ("label", "count"), _problems("services")),
    "problem-cis": Table("Problem candidates: configuration items", ("label", "count"), _problems("cis")),
    "problem-categories": Table("Problem candidates: categories", ("label", "count"), _problems("categories")),
    "sla-metric": Table("SLA compliance by metric", SLA_COLUMNS, _sla("by_metric")),
    "sla-month": Table("SLA compliance by month", ("month", "met", "breached", "total", "percent"), _sla("by_month")),
    "sla-trend": Table(
        "SLA compliance per period", ("period", "met", "breached", "total", "percent"), sla_metrics.compliance_trend
    ),
    "sla-priority": Table("SLA compliance by priority", SLA_COLUMNS, _sla("by_priority")),
    "sla-team": Table("SLA compliance by team", SLA_COLUMNS, _sla("by_team")),
    "sla-service": Table("SLA compliance by service", SLA_COLUMNS, _sla("by_service")),
    "sla-category": Table("SLA compliance by category", SLA_COLUMNS, _sla("by_category")),
    "sla-organization": Table("SLA compliance by organization", SLA_COLUMNS, _sla("by_organization")),
    "sla-breaches": Table(
        "SLA breaches",
        ("number", "title", "priority", "team", "metric", "policy", "due_at", "breached_at", "state"),
        lambda f: sla_metrics.breaches(f, limit=CSV_ROW_LIMIT)["rows"],
    ),
    "sla-at-risk": Table(
        "SLA timers at risk now",
        ("number", "title", "priority", "team", "assignee", "metric", "state", "percent", "due_at"),
        lambda f: sla_metrics.at_risk(f, limit=CSV_ROW_LIMIT)["rows"],
    ),
}
