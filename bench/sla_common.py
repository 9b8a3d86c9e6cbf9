"""Shared setup of the SLA benchmarks: a scratch database, a bench team and policy, and bulk-generated rows.

The benches run against their own database (BENCH_DATABASE_URL, default: DATABASE_URL with "_bench" appended),
created and migrated on first use, because the timeline they write is append-only and cannot be cleaned up.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itsm"))
    return urlunparse(base._replace(path=base.path.rstrip("/") + "_bench"))


def setup_django(*, broker_db: int = 7) -> str:
    """Points Django at the bench database (creating it if needed) and Celery at its own Redis database."""
    import psycopg2

    url = bench_database_url()
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    os.environ["DATABASE_URL"] = url
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    # A Redis database of its own, so no other worker on this machine takes the bench's tasks (or the reverse).
    os.environ["CELERY_BROKER_URL"] = f"{redis}/{broker_db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Production-like: no per-query debug logging.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def bench_fixtures(*, target: timedelta, thresholds=(50, 75, 90), name: str = "bench"):
    """A caller, a team with a shared mailbox, a 24x7 calendar and one resolution policy for bench incidents."""
    from incidents.models import Team, User
    from sla import calendars, policies
    from sla.models import BusinessCalendar, SlaPolicy

    caller, _ = User.objects.get_or_create(username="bench.caller", defaults={"email": "bench.caller@example.com"})
    manager, _ = User.objects.get_or_create(username="bench.manager", defaults={"email": "bench.manager@example.com"})
    team, _ = Team.objects.get_or_create(name="Bench team", defaults={"email": "bench-team@example.com"})
    if team.manager_id != manager.pk:
        team.manager = manager
        team.save(update_fields=["manager"])
    cal, _ = BusinessCalendar.objects.get_or_create(
        name="Bench 24x7", defaults={"timezone": "UTC", "weekly_hours": calendars.ALWAYS_HOURS}
    )
    policy, _ = SlaPolicy.objects.update_or_create(
        name=f"Bench {name}",
        defaults={
            "metric": "resolution",
            "target": target,
            "calendar": cal,
            "warning_thresholds": list(thresholds),
            "priorities": [5],
            "order": 1,
        },
    )
    policies.clear_cache()
    return caller, team, policy


def generate(
    count: int, *, prefix: str, caller, team, policy, chunk: int = 100_000, progress=print, start_sql: str | None = None
) -> int:
    """Tops up `count` open incidents numbered <prefix>000000001..., each with one running timer, by INSERT ... SELECT.

    Timers are far from due (next check in 15 days +- a random spread), so nothing is due until a bench moves some.
    """
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM incidents_incident WHERE number LIKE %s", [prefix + "%"])
        have = cur.fetchone()[0]
    start = have + 1
    while start <= count:
        end = min(count, start + chunk - 1)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO incidents_incident (number, short_description, description, caller_id, channel, impact,
                    urgency, priority, state, on_hold_reason, assigned_team_id, is_major, resolution_code,
                    resolution_notes, escalation_level, reopen_count, version, created_at, updated_at)
                SELECT %s || lpad(g::text, 9, '0'), 'Bench incident ' || g, '', %s, 'agent', 'low', 'low', 5,
                    'in_progress', '', %s, false, '', '', 0, 0, 1, now() - interval '1 hour', now() - interval '1 hour'
                FROM generate_series(%s, %s) AS g
                """,
                [prefix, caller.pk, team.pk, start, end],
            )
            cur.execute(
                """
                INSERT INTO sla_slatimer (incident_id, policy_id, metric, state, breached, warning_threshold,
                    checked_percent, target, business_elapsed, elapsed_at, started_at, due_at, next_check_at,
                    pause_log, updated_at)
                SELECT i.id, %s, 'resolution', 'running', false, 0, 0, %s, interval '0', i.created_at, i.created_at,
                    i.created_at + %s, i.created_at + %s * 0.5 + random() * interval '1 day', '[]', now()
                FROM incidents_incident i
                WHERE i.number >= %s AND i.number <= %s
                """,
                [policy.pk, policy.target, policy.target, policy.target, f"{prefix}{start:09d}", f"{prefix}{end:09d}"],
            )
            if start_sql:
                # Start the timers at chosen instants (e.g. spread over the next minute) instead of an hour ago.
                cur.execute(
                    f"""
                    UPDATE sla_slatimer t SET started_at = s.at, elapsed_at = s.at, due_at = s.at + t.target,
                        next_check_at = s.at + t.target * 0.5
                    FROM (SELECT t2.id, {start_sql} AS at FROM sla_slatimer t2 JOIN incidents_incident i
                          ON i.id = t2.incident_id WHERE i.number >= %s AND i.number <= %s) s
                    WHERE t.id = s.id
                    """,
                    [f"{prefix}{start:09d}", f"{prefix}{end:09d}"],
                )
        progress(f"  generated {end:,} incidents with running timers")
        start = end + 1
    with connection.cursor() as cur:
        cur.execute("ANALYZE sla_slatimer")
        cur.execute("ANALYZE incidents_incident")
    return count - have if count > have else 0


def make_due(count: int, *, prefix: str, policy, at, checkpoint_percent: int = 50) -> int:
    """Moves `count` running bench timers so that their next checkpoint is just past at `at`."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            UPDATE sla_slatimer t SET started_at = %s - (t.target * %s / 100.0) - interval '1 second',
                elapsed_at = %s - (t.target * %s / 100.0) - interval '1 second', business_elapsed = interval '0',
                due_at = %s - (t.target * %s / 100.0) - interval '1 second' + t.target,
                next_check_at = %s - interval '1 second', checked_percent = 0, warning_threshold = 0,
                breached = false, breached_at = NULL, state = 'running', pause_log = '[]'
            WHERE t.id IN (
                SELECT t2.id FROM sla_slatimer t2 JOIN incidents_incident i ON i.id = t2.incident_id
                WHERE t2.policy_id = %s AND t2.state = 'running' AND i.number LIKE %s
                    AND NOT EXISTS (SELECT 1 FROM sla_slaevent e WHERE e.timer_id = t2.id)
                ORDER BY t2.id LIMIT %s)
            """,
            [
                at,
                checkpoint_percent,
                at,
                checkpoint_percent,
                at,
                checkpoint_percent,
                at,
                policy.pk,
                prefix + "%",
                count,
            ],
        )
        return cur.rowcount


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def spawn(kind: str, env: dict, log_dir: Path, index: int = 0, queues: str = "sla,celery"):
    """Starts a celery worker (one process, consuming `queues`) or beat in its own process group; output to a log."""
    import subprocess

    celery = str(ROOT / ".venv" / "bin" / "celery")
    if kind == "worker":
        args = [
            celery,
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queues,
            "-n",
            f"bench{index}-{os.getpid()}@%h",
            "--loglevel",
            "WARNING",
        ]
    else:
        args = [
            celery,
            "-A",
            "config",
            "beat",
            "--loglevel",
            "WARNING",
            "--schedule",
            str(log_dir / f"beat-{index}-schedule"),
            "--pidfile",
            str(log_dir / f"beat-{index}.pid"),
        ]
    log = open(log_dir / f"{kind}-{index}.log", "ab")  # noqa: SIM115
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def child_env(tick_seconds: float = 1.0) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "SLA_TICK_SECONDS": str(tick_seconds),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def stop(processes) -> None:
    """SIGTERM then SIGKILL each spawned process group (only the ones this bench started)."""
    import signal
    import time

    for p in processes:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    deadline = time.time() + 10
    for p in processes:
        while p.poll() is None and time.time() < deadline:
            time.sleep(0.1)
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def purge_broker() -> None:
    """Empties the bench's own Redis database (never the default one other processes use)."""
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
