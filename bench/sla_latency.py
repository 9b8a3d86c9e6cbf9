"""SLA detection latency with real Celery worker and beat processes on Redis, and a burst drained by one worker.

    .venv/bin/python bench/sla_latency.py [--size 2000] [--burst 10000] [--target-seconds 20]

Spawns one worker process (concurrency 1) and one beat (SLA_TICK_SECONDS=1) on a Redis database of their own, and
kills them at the end. Uses the bench database (see bench/sla_common.py).
(1) --size incidents on a 24x7 policy with a short target, started spread over a minute: latency of every warning
    (50/75/90 %) and breach = event recorded_at - the instant the threshold was reached; p50/p99/max. Goal p99 < 3 s.
(2) --burst timers whose 50 % checkpoint falls at the same instant: seconds until the one worker recorded all of
    them. Goal < 5 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sla_common import bench_fixtures, child_env, generate, percentile, purge_broker, setup_django, spawn, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--target-seconds", type=int, default=20)
    args = parser.parse_args()
    url = setup_django()
    from django.db import connection

    print(f"database: {url}")
    run = int(time.time()) % 100_000
    caller, team, policy = bench_fixtures(target=timedelta(seconds=args.target_seconds), name="latency")
    purge_broker()
    log_dir = Path(tempfile.mkdtemp(prefix="sla-latency-"))
    env = child_env()
    # As deployed: one worker process for the SLA queue (the tick) and one for everything else (deliveries).
    processes = [
        spawn("worker", env, log_dir, 0, queues="sla"),
        spawn("worker", env, log_dir, 1, queues="celery"),
        spawn("beat", env, log_dir),
    ]
    try:
        time.sleep(6)  # let the worker and beat connect
        prefix = f"L{run:05d}"
        generate(
            args.size,
            prefix=prefix,
            caller=caller,
            team=team,
            policy=policy,
            start_sql="now() + random() * interval '60 seconds'",
            progress=lambda *_: None,
        )
        expected = args.size * 4
        deadline = time.time() + 60 + args.target_seconds + 60
        count = _wait(connection, prefix, expected, deadline)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT e.kind, extract(epoch FROM e.recorded_at - e.due_at) FROM sla_slaevent e "
                "JOIN incidents_incident i ON i.id = e.incident_id WHERE i.number LIKE %s",
                [prefix + "%"],
            )
            rows = cur.fetchall()
        print(f"(1) {args.size:,} incidents, {count:,}/{expected:,} events recorded (logs in {log_dir})")
        for kind in ("warning", "breach"):
            values = [float(v) for k, v in rows if k == kind]
            print(
                f"    {kind:8} latency: p50 {percentile(values, 50):.2f} s, p99 {percentile(values, 99):.2f} s, "
                f"max {max(values, default=float('nan')):.2f} s ({len(values):,} events)"
            )

        if args.burst:
            prefix = f"M{run:05d}"
            lead = 15  # seconds to load the rows before the burst instant
            with connection.cursor() as cur:
                cur.execute("SELECT now() + make_interval(secs => %s)", [lead])
                burst_at = cur.fetchone()[0]
            generate(
                args.burst,
                prefix=prefix,
                caller=caller,
                team=team,
                policy=policy,
                start_sql=f"'{burst_at.isoformat()}'::timestamptz - interval '{args.target_seconds / 2} seconds'",
                progress=lambda *_: None,
            )
            count = _wait(connection, prefix, args.burst, time.time() + lead + 120, kind="warning", threshold=50)
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT max(e.recorded_at) FROM sla_slaevent e JOIN incidents_incident i ON i.id = e.incident_id "
                    "WHERE i.number LIKE %s AND e.threshold = 50",
                    [prefix + "%"],
                )
                last = cur.fetchone()[0]
            print(
                f"(2) burst of {args.burst:,} timers due at one instant: {count:,} recorded, drained "
                f"{(last - burst_at).total_seconds():.2f} s after the instant by one worker process"
            )
    finally:
        stop(processes)
        purge_broker()


def _wait(connection, prefix: str, expected: int, deadline: float, *, kind=None, threshold=None) -> int:
    sql = "SELECT count(*) FROM sla_slaevent e JOIN incidents_incident i ON i.id = e.incident_id WHERE i.number LIKE %s"
    params = [prefix + "%"]
    if threshold is not None:
        sql += " AND e.kind = %s AND e.threshold = %s"
        params += [kind, threshold]
    count = 0
    while time.time() < deadline:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            count = cur.fetchone()[0]
        if count >= expected:
            break
        time.sleep(1)
    return count


if __name__ == "__main__":
    main()
