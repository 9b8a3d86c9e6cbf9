"""python manage.py rebuild_rollups [--since YYYY-MM-DD] [--zone Europe/Warsaw]: recompute the daily rollups."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reporting import periods, rollups


class Command(BaseCommand):
    help = "Recomputes the reporting rollups from the incidents (every zone kept, or one), from a date or entirely."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Local date (YYYY-MM-DD) from which to recompute; default: everything.")
        parser.add_argument("--zone", action="append", help="Only this time zone (repeatable).")

    def handle(self, *args, since=None, zone=None, **options):
        try:
            since_day = date.fromisoformat(since) if since else None
        except ValueError:
            raise CommandError(f"--since must be a date like 2025-01-31, not {since!r}.") from None
        zones = zone or rollups.zones_to_keep()
        for name in zones:
            if not periods.valid_zone(name):
                raise CommandError(f"Unknown time zone {name!r}.")
        for name in zones:
            started = time.perf_counter()
            rollups.rebuild(name, since=since_day)
            self.stdout.write(
                f"{name}: rebuilt{f' since {since_day}' if since_day else ''} in {time.perf_counter() - started:.1f} s"
            )
        # Index-only scans of the rewritten tables need a fresh visibility map; VACUUM cannot run inside a transaction.
        if not connection.in_atomic_block:
            with connection.cursor() as cursor:
                for table in (
                    "reporting_incidentfact",
                    "reporting_incidentdailyrollup",
                    "reporting_incidentcategorydailyrollup",
                ):
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
        self.stdout.write(self.style.SUCCESS("Rollups are up to date."))
