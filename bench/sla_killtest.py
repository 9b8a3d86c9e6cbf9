"""Kill test: 3 worker processes and 2 beats under load, workers killed with SIGKILL again and again; then proof
that every due threshold was recorded exactly once and every notification written exactly once.

    .venv/bin/python bench/sla_killtest.py [--size 3000] [--target-seconds 20] [--kill-every 3]

How it works: --size incidents get 24x7 timers (warnings 50/75/90 %, target --target-seconds) started spread over
40 s, so thresholds fall due continuously for about a minute. Three `celery worker --concurrency 1` processes and
two `celery beat` processes (so every tick is scheduled twice) run on a Redis database of their own. Every
--kill-every seconds one random worker gets SIGKILL, mid-batch or not, and is restarted. When every timer's breach
instant has passed, the survivors drain the backlog and the script checks, from the database:
  1. every threshold of every timer has exactly one SlaEvent (none missing; the unique constraint forbids two);
  2. each breach has exactly one notification to the team's manager (key sla:<event id>:<address>);
  3. each warning has exactly one notification to the team mailbox, unless a higher threshold of the same timer was
     recorded in the same batch (then only the highest is mailed, by design);
  4. no notification key refers to an event that does not exist.
Exits 1 when a check fails. Uses the bench database (see bench/sla_common.py).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sla_common import bench_fixtures, child_env, generate, purge_broker, setup_django, spawn, stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--target-seconds", type=int, default=20)
    parser.add_argument("--kill-every", type=float, default=3.0)
    args = parser.parse_args()
    url = setup_django()
    from django.db import connection

    print(f"database: {url}")
    caller, team, policy = bench_fixtures(target=timedelta(seconds=args.target_seconds), name="killtest")
    purge_broker()
    log_dir = Path(tempfile.mkdtemp(prefix="sla-killtest-"))
    env = child_env()
    workers = [spawn("worker", env, log_dir, i) for i in range(3)]
    beats = [spawn("beat", env, log_dir, i) for i in range(2)]
    kills = 0
    try:
        time.sleep(6)
        prefix = f"K{int(time.time()) % 100_000:05d}"
        generate(
            args.size,
            prefix=prefix,
            caller=caller,
            team=team,
            policy=policy,
            start_sql="now() + random() * interval '40 seconds'",
            progress=lambda *_: None,
        )
        print(f"{args.size:,} incidents loaded (prefix {prefix}); killing a worker every {args.kill_every} s")
        end = time.time() + 40 + args.target_seconds + 2
        rng = random.Random(7)
        while time.time() < end:
            time.sleep(args.kill_every)
            index = rng.randrange(len(workers))
            os.killpg(workers[index].pid, signal.SIGKILL)
            workers[index].wait()
            kills += 1
            workers[index] = spawn("worker", env, log_dir, index)
        print(f"{kills} workers killed with SIGKILL; draining")
        expected = args.size * 4
        deadline = time.time() + 120
        while time.time() < deadline:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM sla_slaevent e JOIN incidents_incident i ON i.id = e.incident_id "
                    "WHERE i.number LIKE %s",
                    [prefix + "%"],
                )
                if cur.fetchone()[0] >= expected:
                    break
            time.sleep(1)
        return check(connection, prefix, args.size)
    finally:
        stop(workers + beats)
        purge_broker()
        print(f"logs in {log_dir}")


def check(connection, prefix: str, size: int) -> int:
    failures = []
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT t.id, count(e.id), array_agg(e.threshold ORDER BY e.threshold)
            FROM sla_slatimer t JOIN incidents_incident i ON i.id = t.incident_id
            LEFT JOIN sla_slaevent e ON e.timer_id = t.id
            WHERE i.number LIKE %s GROUP BY t.id
            """,
            [prefix + "%"],
        )
        timers = cur.fetchall()
        bad = [t for t in timers if t[1] != 4 or t[2] != [50, 75, 90, 100]]
        print(f"1. {len(timers):,} timers; {len(timers) - len(bad):,} with exactly 50/75/90/100 recorded once each")
        if bad or len(timers) != size:
            failures.append(f"{len(bad)} timers with missing or extra events, e.g. {bad[:3]}")

        cur.execute(
            """
            SELECT e.id, e.kind, e.threshold, e.timer_id, e.recorded_at,
                   (SELECT count(*) FROM incidents_notification n WHERE n.key LIKE 'sla:' || e.id || ':%%')
            FROM sla_slaevent e JOIN incidents_incident i ON i.id = e.incident_id WHERE i.number LIKE %s
            """,
            [prefix + "%"],
        )
        events = cur.fetchall()
    by_timer: dict[int, list] = {}
    for row in events:
        by_timer.setdefault(row[3], []).append(row)
    breaches = [e for e in events if e[1] == "breach"]
    bad_breaches = [e for e in breaches if e[5] != 1]
    print(f"2. {len(breaches):,} breaches; {len(breaches) - len(bad_breaches):,} with exactly one manager notification")
    if bad_breaches:
        failures.append(f"{len(bad_breaches)} breaches without exactly one notification")
    warnings = [e for e in events if e[1] == "warning"]
    superseded = 0
    bad_warnings = []
    for e in warnings:
        higher_same_batch = any(o[2] > e[2] and o[4] == e[4] for o in by_timer[e[3]])
        if higher_same_batch:
            superseded += 1
            if e[5] != 0:
                bad_warnings.append(e)
        elif e[5] != 1:
            bad_warnings.append(e)
    print(
        f"3. {len(warnings):,} warnings: {len(warnings) - superseded - len(bad_warnings):,} mailed once, "
        f"{superseded:,} superseded by a higher threshold in the same batch; {len(bad_warnings)} wrong"
    )
    if bad_warnings:
        failures.append(f"{len(bad_warnings)} warnings with a wrong number of notifications")
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*) FROM incidents_notification n JOIN incidents_incident i ON i.id = n.incident_id
            WHERE i.number LIKE %s AND n.key LIKE 'sla:%%'
              AND NOT EXISTS (SELECT 1 FROM sla_slaevent e WHERE n.key LIKE 'sla:' || e.id || ':%%'
                              AND e.incident_id = n.incident_id)
            """,
            [prefix + "%"],
        )
        orphans = cur.fetchone()[0]
    print(f"4. notifications without their event: {orphans}")
    if orphans:
        failures.append(f"{orphans} orphan notifications")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
