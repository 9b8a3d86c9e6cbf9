"""Covering indexes so that every report read on incidents is an index-only range scan.

- the open backlog (by state, team, priority, age, assignee) reads a partial index of open incidents only;
- problem candidates (incidents created in a window by service, CI, category) read a created_at index;
- the resolution/response range indexes also carry category and organization, so those filters stay index-only.
As 0002: not CONCURRENTLY (migrations run in a transaction); on a large table run it during a quiet hour.
"""

from django.db import migrations

DIMENSIONS = "assigned_team_id, service_id, priority, category_id, organization_id"
RANGE_COLUMNS = f"id, created_at, {DIMENSIONS}, assignee_id"
OLD_RANGE_COLUMNS = "id, created_at, assigned_team_id, service_id, priority, assignee_id"
OPEN = "state IN ('new', 'in_progress', 'on_hold')"

NEW_INDEXES = [
    (
        "reporting_inc_open_idx",
        f"incidents_incident (state, assigned_team_id, priority) INCLUDE (created_at, assignee_id, service_id, "
        f"category_id, organization_id) WHERE {OPEN}",
    ),
    (
        "reporting_inc_created_idx",
        f"incidents_incident (created_at) INCLUDE (id, {DIMENSIONS}, ci_id)",
    ),
]
RANGE_INDEXES = [
    ("reporting_inc_resolved_idx", "resolved_at"),
    ("reporting_inc_response_idx", "first_response_at"),
]


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_reporting_indexes_include_id")]

    operations = [
        *(
            migrations.RunSQL(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, definition in NEW_INDEXES
        ),
        *(
            migrations.RunSQL(
                sql=[
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX {name} ON incidents_incident ({column}) INCLUDE ({RANGE_COLUMNS}) "
                    f"WHERE {column} IS NOT NULL",
                ],
                reverse_sql=[
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX {name} ON incidents_incident ({column}) INCLUDE ({OLD_RANGE_COLUMNS}) "
                    f"WHERE {column} IS NOT NULL",
                ],
            )
            for name, column in RANGE_INDEXES
        ),
    ]
