"""Server time of every report page and endpoint, at the database in DATABASE_URL.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_x .venv/bin/python bench/reporting_bench.py --size 10000
      (--size N tops the incidents up to N with incidents.bulkload, which needs `manage.py seed_demo` first;
       --runs R requests per page, default 20; --no-rebuild keeps the existing rollups)

Requests go through Django's test client in-process (no network), signed in as a manager, so the figures are the
server's own time: view, queries, template. Each page is requested once to warm up, then R times; p50 and p95 are
printed per page together with the number of SQL queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from incidents.choices import Role  # noqa: E402
from incidents.models import Category, Incident, Team, User  # noqa: E402
from reporting import rollups  # noqa: E402


def manager() -> User:
    from django.contrib.auth.models import Group

    user, _ = User.objects.get_or_create(username="bench-manager", defaults={"email": "bench@example.com"})
    user.groups.add(Group.objects.get_or_create(name=Role.MANAGER)[0])
    return user


def top_up(size: int) -> None:
    have = Incident.objects.count()
    if have >= size:
        print(f"incidents: {have:,} (no generation needed)")
        return
    from incidents import bulkload

    started = time.perf_counter()
    bulkload.generate(size - have)
    print(f"incidents: generated {size - have:,} in {time.perf_counter() - started:.1f} s, now {size:,}")


def pages() -> list[tuple[str, str]]:
    team = Team.objects.order_by("pk").values_list("pk", flat=True).first()
    category = Category.objects.filter(parent__isnull=True).values_list("pk", flat=True).first()
    result = [
        ("operations, last 30 days", "/reports/operations/"),
        ("operations, 12 months by month", "/reports/operations/?granularity=month&start={year_ago}"),
        ("operations, one team, by week", f"/reports/operations/?granularity=week&team={team}"),
        ("operations, by category (no rollup)", f"/reports/operations/?category={category}"),
        ("operations business-time rows (htmx)", "/reports/operations/business-times/"),
        ("sla, last 30 days", "/reports/sla/"),
        ("sla, 12 months by month", "/reports/sla/?granularity=month&start={year_ago}"),
        ("sla at-risk board (htmx poll)", "/reports/sla/at-risk/"),
        ("csv volume export", "/reports/export/volume.csv"),
        ("api summary", "/api/v1/reports/summary/"),
        ("api response-times", "/api/v1/reports/response-times/"),
        ("api sla-compliance", "/api/v1/reports/sla-compliance/"),
    ]
    return result


def measure(client: Client, url: str, runs: int) -> tuple[list[float], int, int]:
    htmx = {"HTTP_HX_REQUEST": "true"} if "at-risk" in url or "business-times" in url else {}
    response = client.get(url, **htmx)
    status = response.status_code
    timings = []
    queries = 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, **htmx)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
        status = response.status_code
    return timings, queries, status


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=0, help="Top the incidents up to this many first.")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-rebuild", action="store_true")
    args = parser.parse_args()

    if args.size:
        top_up(args.size)
    total = Incident.objects.count()
    with connection.cursor() as cursor:
        # What autovacuum does in production after a bulk load: visibility map and statistics for index-only scans.
        for table in ("incidents_incident", "incidents_timelineentry", "sla_slatimer"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    if not args.no_rebuild:
        for zone in rollups.zones_to_keep():
            started = time.perf_counter()
            rollups.rebuild(zone)
            print(f"rollups {zone}: full rebuild {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    days = {zone: rollups.refresh(zone) for zone in rollups.zones_to_keep()}
    print(f"rollups: incremental refresh {time.perf_counter() - started:.2f} s ({days})")

    from datetime import timedelta

    from django.utils import timezone

    year_ago = (timezone.localdate() - timedelta(days=364)).isoformat()
    client = Client()
    client.force_login(manager())
    print(f"\n{total:,} incidents, zone {settings.REPORTING_TIME_ZONE}, {args.runs} runs per page\n")
    print(f"{'page':<40} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    for label, url in pages():
        timings, queries, status = measure(client, url.format(year_ago=year_ago), args.runs)
        worst = max(worst, p95(timings))
        print(
            f"{label:<40} {status:>6} {queries:>7} {statistics.median(timings):>8.1f} {p95(timings):>8.1f} "
            f"{max(timings):>8.1f}"
        )
    print(f"\nworst p95: {worst:.1f} ms ({'under' if worst < 1000 else 'OVER'} the 1 s budget)")


if __name__ == "__main__":
    main()
