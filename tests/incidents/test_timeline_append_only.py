"""Nothing in the product, not even raw SQL, can edit or delete a timeline entry."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from incidents.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_the_orm_refuses_to_edit_or_delete_a_timeline_entry(incident):
    entry = incident.timeline.get()
    entry.body = "rewritten"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        TimelineEntry.objects.filter(pk=entry.pk).update(body="rewritten")
    with pytest.raises(PermissionDenied):
        TimelineEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize(
    "sql", ["UPDATE incidents_timelineentry SET body = 'x'", "DELETE FROM incidents_timelineentry"]
)
def test_the_database_refuses_raw_updates_and_deletes(incident, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert incident.timeline.get().body == incident.description
