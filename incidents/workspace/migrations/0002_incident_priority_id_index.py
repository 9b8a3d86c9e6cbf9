"""An index for the queue's priority sort: keyset pages order by (priority, id), and without this index Postgres
must sort every incident of a priority (110,000 P1s at a million rows) to serve one page.

It lives here because the workspace owns that sort; the incidents app may adopt it in Incident.Meta.indexes
(same name) and this migration then does nothing (IF NOT EXISTS).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workspace", "0001_initial"), ("incidents", "0002_sequence_trigger_roles_matrix")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS incident_priority_id_idx ON incidents_incident (priority, id);",
            "DROP INDEX IF EXISTS incident_priority_id_idx;",
        )
    ]
