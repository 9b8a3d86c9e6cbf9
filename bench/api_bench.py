"""REST API benchmark: list (first page, filtered, page 1,000 by cursor), retrieve, create and transition.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_api .venv/bin/python bench/api_bench.py --size 10000

Runs against whatever the database holds; with --size N it first tops the database up to N incidents through
incidents.bulkload (COPY), the loader behind `manage.py generate_incidents`. It then starts gunicorn (2 sync workers)
on 127.0.0.1, authenticates with a write API token of a bench agent, and drives each scenario from --concurrency
client threads (default 8) for --seconds seconds, printing requests per second and p50/p95/p99 latency measured by
the client (loopback, so an upper bound of server time). Throttling is switched off in the server it starts.
It also prints the Postgres plan of each list query, to show which index serves it.

Goals: filtered list p95 < 150 ms; page 1,000 by cursor p95 within 20% of the first page's; create >= 100/s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from incidents import bulkload, outbox  # noqa: E402
from incidents.api.pagination import encode_cursor, parse_ordering  # noqa: E402
from incidents.api.views import IncidentPagination  # noqa: E402
from incidents.choices import Role, State  # noqa: E402
from incidents.integrations.tokens import token_issue  # noqa: E402
from incidents.models import Incident, Team, User  # noqa: E402

PAGE = 50
DEEP_PAGE = 1000


def ensure_data(size: int | None) -> None:
    call_command("migrate", verbosity=0)
    count = Incident.objects.count()
    if size is None or count >= size:
        print(f"database holds {count:,} incidents")
        return
    if not Team.objects.exists():
        from incidents import demo

        with outbox.suppressed():
            demo.seed_catalog(password="bench-api-pass-1")
    started = time.perf_counter()
    rate = bulkload.generate(size - count)
    print(f"loaded {size - count:,} incidents in {time.perf_counter() - started:.1f} s ({rate:,.0f}/s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident; ANALYZE incidents_timelineentry;")


def bench_user() -> tuple[User, Team, str]:
    """An agent in the busiest team, with a fresh write token."""
    team = max(Team.objects.all(), key=lambda t: t.incidents.count() if Incident.objects.count() < 50_000 else t.pk)
    busiest = (
        Incident.objects.values("assigned_team").order_by().annotate(n=django.db.models.Count("id")).order_by("-n")[:1]
    )
    if busiest and busiest[0]["assigned_team"]:
        team = Team.objects.get(pk=busiest[0]["assigned_team"])
    user, _ = User.objects.get_or_create(username="bench-api", defaults={"email": "bench-api@example.com"})
    user.groups.add(Group.objects.get_or_create(name=Role.AGENT)[0])
    team.members.add(user)
    secret = token_issue(user=user, name="api bench", scope="write").secret
    return user, team, secret


def deep_cursor() -> str | None:
    """The cursor a client holds after following `next` 999 times from the first page (default ordering)."""
    keys = parse_ordering(None, IncidentPagination.ordering_fields, IncidentPagination.default_ordering)
    order = [("-" if k.descending else "") + k.field for k in keys]
    row = Incident.objects.order_by(*order).values_list(*[k.field for k in keys])[PAGE * (DEEP_PAGE - 1) - 1 :][:1]
    row = list(row)
    return encode_cursor(keys, list(row[0])) if row else None


def explain(label: str, sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        plan = [r[0] for r in cursor.fetchall()]
    print(f"\n-- plan: {label}")
    for line in plan[:14]:
        print("   " + line)


def show_plans(team: Team, cursor: str | None) -> None:
    from incidents.api.pagination import _after, decode_cursor

    keys = parse_ordering(None, IncidentPagination.ordering_fields, IncidentPagination.default_ordering)
    order = [("-" if k.descending else "") + k.field for k in keys]
    base = Incident.objects.defer("search_vector").order_by(*order)
    explain("first page", *base[: PAGE + 1].query.sql_with_params())
    filtered = base.filter(state__in=[State.NEW, State.IN_PROGRESS], assigned_team=team, priority=3)
    explain("filtered (state + team + priority)", *filtered[: PAGE + 1].query.sql_with_params())
    if cursor:
        values, _ = decode_cursor(cursor, keys)
        explain(
            f"page {DEEP_PAGE} by cursor",
            *base.filter(_after(keys, values, backwards=False))[: PAGE + 1].query.sql_with_params(),
        )


class Server:
    def __init__(self, port: int):
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "API_THROTTLE_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.port = port
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


def run(port: int, secret: str, label: str, make_request, *, seconds: float, concurrency: int) -> dict:
    """Calls make_request(i) -> (method, path, body) from `concurrency` threads for `seconds`."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop_at = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json", "Accept": "application/json"}

    def worker():
        while time.perf_counter() < stop_at:
            with lock:
                i = next(counter)
            request = make_request(i)
            if request is None:
                return
            method, path, body = request
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                status = response.status
            except OSError as exc:
                status = 0
                with lock:
                    errors.append(str(exc))
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not 200 <= status < 300 and status:
                    errors.append(f"{status} {method} {path}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] if latencies else float("nan")

    result = {
        "label": label,
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / wall if wall else 0,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": pct(95),
        "p99": pct(99),
    }
    print(
        f"{label:<34} {result['requests']:>7} {result['errors']:>6} {result['rps']:>8.1f} "
        f"{result['p50']:>8.1f} {result['p95']:>8.1f} {result['p99']:>8.1f}"
    )
    if errors:
        print(f"   first errors: {errors[:3]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=None, help="Top the database up to this many incidents first.")
    parser.add_argument("--seconds", type=float, default=10.0, help="Duration of each scenario.")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    ensure_data(args.size)
    user, team, secret = bench_user()
    cursor = deep_cursor()
    show_plans(team, cursor)
    sample = (
        list(Incident.objects.order_by("?").values_list("number", flat=True)[:2000])
        if Incident.objects.count() < 200_000
        else list(
            Incident.objects.filter(
                pk__in=[
                    random.randint(1, Incident.objects.order_by("-pk").values_list("pk", flat=True).first() or 1)
                    for _ in range(2000)
                ]
            ).values_list("number", flat=True)
        )
    )
    connection.close()

    server = Server(args.port)
    created: list[str] = []
    created_lock = threading.Lock()
    try:
        print(f"\n{'scenario':<34} {'reqs':>7} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        filtered = "/api/v1/incidents/?" + urlencode(
            [("state", "new"), ("state", "in_progress"), ("team", team.pk), ("priority", 3)]
        )
        kw = {"seconds": args.seconds, "concurrency": args.concurrency}
        results = {}
        results["first"] = run(
            args.port, secret, "list: first page", lambda i: ("GET", "/api/v1/incidents/", None), **kw
        )
        results["filtered"] = run(
            args.port, secret, "list: state + team + priority", lambda i: ("GET", filtered, None), **kw
        )
        if cursor:
            deep = "/api/v1/incidents/?" + urlencode({"cursor": cursor})
            results["deep"] = run(
                args.port, secret, f"list: page {DEEP_PAGE:,} by cursor", lambda i: ("GET", deep, None), **kw
            )
        else:
            print(f"list: page {DEEP_PAGE:,} by cursor        skipped: fewer than {PAGE * DEEP_PAGE:,} incidents")
        results["retrieve"] = run(
            args.port,
            secret,
            "retrieve",
            lambda i: ("GET", f"/api/v1/incidents/{sample[i % len(sample)]}/", None) if sample else None,
            **kw,
        )

        def create(i):
            return ("POST", "/api/v1/incidents/", {"short_description": f"Bench incident {i}", "urgency": "medium"})

        results["create"] = run(args.port, secret, "create", create, **kw)
        created.extend(
            Incident.objects.filter(short_description__startswith="Bench incident ", state=State.NEW)
            .order_by("-pk")
            .values_list("number", flat=True)[:100_000]
        )
        connection.close()

        def transition(i):
            with created_lock:
                if not created:
                    return None
                number = created.pop()
            return ("POST", f"/api/v1/incidents/{number}/transition/", {"state": "in_progress"})

        results["transition"] = run(args.port, secret, "transition (new -> in progress)", transition, **kw)
    finally:
        server.stop()

    print("\nGoals:")
    f = results["filtered"]
    print(f"  filtered list p95 < 150 ms: {f['p95']:.1f} ms -> {'met' if f['p95'] < 150 else 'MISSED'}")
    if "deep" in results:
        ratio = results["deep"]["p95"] / results["first"]["p95"]
        print(
            f"  page {DEEP_PAGE:,} p95 within 20% of the first page's: x{ratio:.2f} -> {'met' if ratio <= 1.2 else 'MISSED'}"
        )
    c = results["create"]
    print(f"  create >= 100/s: {c['rps']:.1f}/s -> {'met' if c['rps'] >= 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
