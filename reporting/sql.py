"""The SQL that defines each daily count, shared by the rollup builder and the raw (no-rollup) path.

Every event is bucketed by the local day of its own instant in the report zone and by the incident's current
team, service, priority, category and organization. The definitions (see docs/metrics.md) live here once:
- created: created_at; resolved (and resolution seconds, first contact, ratings): resolved_at; cancelled:
  cancelled_at; responded (and response seconds): first_response_at;
- reopened: a timeline state change from resolved back to an open state; escalated: a timeline escalation entry.
"""

from __future__ import annotations

MEASURES = (
    "created",
    "resolved",
    "cancelled",
    "reopened",
    "escalated",
    "responded",
    "response_seconds",
    "resolution_seconds",
    "first_contact",
    "rated",
    "rating_sum",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
)
RESPONSE_SECONDS_SQL = "extract(epoch FROM i.first_response_at - i.created_at)::float8"
RESOLUTION_SECONDS_SQL = "extract(epoch FROM i.resolved_at - i.created_at)::float8"
OPEN_STATES_SQL = "('new', 'in_progress', 'on_hold')"

# First contact: never reopened, never on hold, never moved away from a team or person it had, never escalated.
# Taking an unassigned incident is not a reassignment (its assignment entry has an empty old value).
FIRST_CONTACT_SQL = """(i.reopen_count = 0 AND NOT EXISTS (
    SELECT 1 FROM incidents_timelineentry f
    WHERE f.incident_id = i.id AND (
        f.kind = 'escalation'
        OR (f.kind = 'assignment' AND f.old_value <> '')
        OR (f.kind = 'state_change' AND f.new_value = 'on_hold')
    )))"""


def _row(day: str, values: dict[str, str]) -> str:
    cols = ", ".join(f"{values.get(name, '0')}::float8 AS {name}" for name in MEASURES)
    return (
        f"({day} AT TIME ZONE %(zone)s)::date AS day, i.assigned_team_id AS team_id, i.service_id, i.priority, "
        f"i.category_id, i.organization_id, {cols}"
    )


def events_sql(where: str = "TRUE") -> str:
    """A UNION ALL of one row per counted event in [%(lo)s, %(hi)s), with `where` applied to the incident `i`."""
    ratings = {f"rating_{n}": f"coalesce(r.score = {n}, false)::int" for n in range(1, 6)}
    parts = [
        f"SELECT {_row('i.created_at', {'created': '1'})} FROM incidents_incident i "
        f"WHERE i.created_at >= %(lo)s AND i.created_at < %(hi)s AND {where}",
        f"SELECT {_row('i.resolved_at', {'resolved': '1', 'resolution_seconds': 'extract(epoch FROM i.resolved_at - i.created_at)', 'first_contact': f'({FIRST_CONTACT_SQL})::int', 'rated': '(r.score IS NOT NULL)::int', 'rating_sum': 'coalesce(r.score, 0)', **ratings})} "
        "FROM incidents_incident i LEFT JOIN incidents_incidentrating r ON r.incident_id = i.id "
        f"WHERE i.resolved_at >= %(lo)s AND i.resolved_at < %(hi)s AND {where}",
        f"SELECT {_row('i.cancelled_at', {'cancelled': '1'})} FROM incidents_incident i "
        f"WHERE i.cancelled_at >= %(lo)s AND i.cancelled_at < %(hi)s AND {where}",
        f"SELECT {_row('i.first_response_at', {'responded': '1', 'response_seconds': 'extract(epoch FROM i.first_response_at - i.created_at)'})} "
        "FROM incidents_incident i "
        f"WHERE i.first_response_at >= %(lo)s AND i.first_response_at < %(hi)s AND {where}",
        f"SELECT {_row('t.created_at', {'reopened': '1'})} "
        "FROM incidents_timelineentry t JOIN incidents_incident i ON i.id = t.incident_id "
        f"WHERE t.created_at >= %(lo)s AND t.created_at < %(hi)s AND t.kind = 'state_change' "
        f"AND t.old_value = 'resolved' AND t.new_value IN {OPEN_STATES_SQL} AND {where}",
        f"SELECT {_row('t.created_at', {'escalated': '1'})} "
        "FROM incidents_timelineentry t JOIN incidents_incident i ON i.id = t.incident_id "
        f"WHERE t.created_at >= %(lo)s AND t.created_at < %(hi)s AND t.kind = 'escalation' AND {where}",
    ]
    return "\nUNION ALL\n".join(parts)


def sums_sql() -> str:
    return ", ".join(f"sum({name}) AS {name}" for name in MEASURES)


# SLA: completed timers by the local day they stopped. OLA timers count for their own team.
SLA_SELECT = """
    (t.stopped_at AT TIME ZONE %(zone)s)::date AS day, t.metric,
    CASE WHEN t.metric = 'ola' THEN coalesce(t.team_id, i.assigned_team_id) ELSE i.assigned_team_id END AS team_id,
    i.service_id, i.priority, i.category_id, i.organization_id,
    count(*) FILTER (WHERE NOT t.breached) AS met, count(*) FILTER (WHERE t.breached) AS breached
"""
SLA_FROM = """
    FROM sla_slatimer t JOIN incidents_incident i ON i.id = t.incident_id
    WHERE t.state = 'completed' AND t.stopped_at >= %(lo)s AND t.stopped_at < %(hi)s
"""
SLA_GROUP = "GROUP BY 1, 2, 3, 4, 5, 6, 7"


def dimension_where(filters, alias: str = "i", *, params: dict) -> str:
    """SQL conditions for the filters' dimensions on incident alias `alias`; adds their values to `params`."""
    conditions = ["TRUE"]
    columns = {
        "team": "assigned_team_id",
        "service": "service_id",
        "priority": "priority",
        "organization": "organization_id",
    }
    if alias == "s":  # a rollup row (or the SLA select): its team column is team_id
        columns["team"] = "team_id"
    for name, column in columns.items():
        value = getattr(filters, name)
        if value is not None:
            params[f"f_{name}"] = value
            conditions.append(f"{alias}.{column} = %(f_{name})s")
    if filters.category is not None:
        # A top-level category also covers its subcategories, as in the incident list.
        params["f_category"] = filters.category
        conditions.append(
            f"({alias}.category_id = %(f_category)s OR {alias}.category_id IN "
            "(SELECT id FROM incidents_category WHERE parent_id = %(f_category)s))"
        )
    return " AND ".join(conditions)
