"""Database-level guarantees: the incident number sequence, an append-only timeline, the roles, ITIL's matrix."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

ROLES = ["requester", "agent", "manager", "admin"]
ITIL = {
    ("high", "high"): 1, ("high", "medium"): 2, ("high", "low"): 3,
    ("medium", "high"): 2, ("medium", "medium"): 3, ("medium", "low"): 4,
    ("low", "high"): 3, ("low", "medium"): 4, ("low", "low"): 5,
}

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION incidents_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline entries are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incidents_timeline_no_update BEFORE UPDATE OR DELETE ON incidents_timelineentry
    FOR EACH ROW EXECUTE FUNCTION incidents_timeline_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS incidents_timeline_no_update ON incidents_timelineentry;
DROP FUNCTION IF EXISTS incidents_timeline_append_only();
"""


def create_roles_and_matrix(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    PriorityRule = apps.get_model("incidents", "PriorityRule")
    for (impact, urgency), priority in ITIL.items():
        PriorityRule.objects.get_or_create(impact=impact, urgency=urgency, defaults={"priority": priority})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS incident_number_seq START WITH 1001 NO CYCLE;",
            "DROP SEQUENCE IF EXISTS incident_number_seq;",
        ),
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
        migrations.RunPython(create_roles_and_matrix, migrations.RunPython.noop),
    ]
