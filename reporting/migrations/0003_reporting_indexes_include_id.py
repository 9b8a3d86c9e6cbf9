"""The range indexes also carry the incident id and assignee, so business-time and workload reads are index-only."""

from django.db import migrations

COLUMNS = "id, created_at, assigned_team_id, service_id, priority, assignee_id"
INDEXES = [
    ("reporting_inc_resolved_idx", "resolved_at"),
    ("reporting_inc_response_idx", "first_response_at"),
]


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_reporting_indexes")]

    operations = [
        migrations.RunSQL(
            sql=[
                f"DROP INDEX IF EXISTS {name}",
                f"CREATE INDEX {name} ON incidents_incident ({column}) INCLUDE ({COLUMNS}) WHERE {column} IS NOT NULL",
            ],
            reverse_sql=[
                f"DROP INDEX IF EXISTS {name}",
                f"CREATE INDEX {name} ON incidents_incident ({column}) "
                f"INCLUDE (created_at, assigned_team_id, service_id, priority) WHERE {column} IS NOT NULL",
            ],
        )
        for name, column in INDEXES
    ]
