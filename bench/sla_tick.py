"""SLA tick cost at size: a tick with nothing due, and a burst of due timers drained by one process.

    .venv/bin/python bench/sla_tick.py [--size 1000000] [--due 10000] [--batch-size 500]

Uses its own database (BENCH_DATABASE_URL, default DATABASE_URL + "_bench"); re-runs reuse the generated rows.
Prints: (a) nothing-due tick in ms (median of 50) and the EXPLAIN of the claim query, (b) due timers processed per
second by this one process and SQL queries per batch at two batch sizes (they must be equal).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from sla_common import bench_fixtures, generate, make_due, setup_django

PREFIX = "B"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="Detach other apps' per-event subscribers (webhooks) to time the engine.",
    )
    args = parser.parse_args()
    url = setup_django()

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from incidents import outbox
    from sla import engine, events

    if args.engine_only:
        events._subscribers.clear()
    print(
        "per-event subscribers: " + (", ".join(f"{f.__module__}.{f.__name__}" for f in events._subscribers) or "none")
    )

    # Delivery is another process's job (the outbox task); the bench measures the tick alone.
    outbox._dispatch_many = lambda ids: None

    print(f"database: {url}")
    caller, team, policy = bench_fixtures(target=timedelta(days=30))
    started = time.perf_counter()
    added = generate(args.size, prefix=PREFIX, caller=caller, team=team, policy=policy)
    if added:
        print(f"generated {added:,} incidents + timers in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM sla_slatimer WHERE state = 'running'")
        running = cur.fetchone()[0]
    print(f"running timers: {running:,}")

    # (a) nothing due
    now = timezone.now()
    engine.tick(now=now)  # drain anything left over from an earlier run
    samples = []
    for _ in range(50):
        t = time.perf_counter()
        count, _ = engine.process_batch(now=timezone.now(), batch_size=args.batch_size)
        samples.append((time.perf_counter() - t) * 1000)
        assert count == 0
    print(f"(a) nothing-due tick: median {statistics.median(samples):.2f} ms, max {max(samples):.2f} ms (50 runs)")
    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN ANALYZE SELECT 1 FROM sla_slatimer WHERE state = 'running' AND next_check_at <= %s LIMIT 1",
            [timezone.now()],
        )
        print("    EXPLAIN ANALYZE of the nothing-due probe:")
        for (line,) in cur.fetchall():
            print("      " + line)
    with transaction.atomic():
        qs = (
            engine.SlaTimer.objects.select_for_update(skip_locked=True, of=("self", "incident"))
            .filter(state="running", next_check_at__lte=timezone.now())
            .select_related("incident", "incident__assignee", "incident__assigned_team__manager")
            .order_by("next_check_at")
        )
        plan = qs[: args.batch_size].explain(analyze=True)
    print("    EXPLAIN ANALYZE of the claim (when something is due):")
    for line in plan.splitlines():
        print("      " + line)

    # (b) a burst of due timers
    now = timezone.now()
    moved = make_due(args.due, prefix=PREFIX, policy=policy, at=now)
    t = time.perf_counter()
    result = engine.tick(now=now, batch_size=args.batch_size, max_seconds=3600)
    elapsed = time.perf_counter() - t
    print(
        f"(b) {moved:,} due timers: {result.timers:,} processed in {elapsed:.2f} s = {result.timers / elapsed:,.0f} "
        f"timers/s by one process ({result.batches} batches of {args.batch_size}; {result.events:,} events, "
        f"{result.notifications:,} notifications)"
    )
    counts = {}
    for size in (50, args.batch_size):
        now = timezone.now()
        make_due(size, prefix=PREFIX, policy=policy, at=now)
        with CaptureQueriesContext(connection) as queries:
            count, outcome = engine.process_batch(now=now, batch_size=size)
        counts[size] = (count, outcome.events, len(queries.captured_queries))
    print(
        "    SQL queries per batch: "
        + ", ".join(f"{q} for a batch of {c} timers ({e} events)" for c, e, q in counts.values())
    )


if __name__ == "__main__":
    main()
