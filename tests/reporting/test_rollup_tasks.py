"""The beat task and the rebuild command keep the rollups of every needed zone."""

import pytest
from django.core.management import CommandError, call_command

from reporting.models import IncidentDailyRollup, RollupState
from reporting.tasks import refresh_rollups
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_beat_task_builds_the_report_zone_and_the_managers_zones(settings, team):
    settings.REPORTING_TIME_ZONE = "UTC"
    factories.ManagerFactory(username="kyoko", time_zone="Asia/Tokyo")
    factories.make_incident(assigned_team=team)

    refresh_rollups()
    refresh_rollups()

    assert set(RollupState.objects.values_list("zone", flat=True)) == {"UTC", "Asia/Tokyo"}
    assert IncidentDailyRollup.objects.filter(zone="UTC").values_list("created", flat=True).get() == 1


def test_the_rebuild_command_takes_since_and_zone(team, capsys):
    factories.make_incident(assigned_team=team)
    call_command("rebuild_rollups", "--zone", "Europe/Warsaw")
    call_command("rebuild_rollups", "--zone", "Europe/Warsaw", "--since", "2025-01-01")
    assert IncidentDailyRollup.objects.filter(zone="Europe/Warsaw").count() == 1
    with pytest.raises(CommandError, match="date"):
        call_command("rebuild_rollups", "--since", "soon")
    with pytest.raises(CommandError, match="zone"):
        call_command("rebuild_rollups", "--zone", "Mars/Base")
