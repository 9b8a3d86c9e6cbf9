"""Indexes the reports need on tables of other apps (range scans by resolution, response, timer completion).

Kept here so that incidents and sla do not have to know about reporting; CONCURRENTLY is not used because
migrations run in a transaction, so on a large existing table run this during a quiet hour.
"""

from django.db import migrations

INDEXES = [
    (
        "reporting_inc_resolved_idx",
        "incidents_incident (resolved_at) INCLUDE (created_at, assigned_team_id, service_id, priority) "
        "WHERE resolved_at IS NOT NULL",
    ),
    (
        "reporting_inc_response_idx",
        "incidents_incident (first_response_at) INCLUDE (created_at, assigned_team_id, service_id, priority) "
        "WHERE first_response_at IS NOT NULL",
    ),
    ("reporting_inc_cancelled_idx", "incidents_incident (cancelled_at) WHERE cancelled_at IS NOT NULL"),
    ("reporting_timer_stopped_idx", "sla_slatimer (stopped_at) WHERE state = 'completed'"),
    ("reporting_timer_breached_idx", "sla_slatimer (breached_at) WHERE breached"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("incidents", "0002_sequence_trigger_roles_matrix"),
        ("sla", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
