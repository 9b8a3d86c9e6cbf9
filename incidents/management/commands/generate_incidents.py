"""python manage.py generate_incidents N: bulk-loads N synthetic incidents with timelines (COPY), for benchmarks."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from incidents import bulkload


class Command(BaseCommand):
    help = "Bulk-loads N synthetic incidents with timelines for benchmarks and prints rows per second."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--chunk-size", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--days", type=int, default=365, help="Spread creation over this many past days.")

    def handle(self, *args, count, chunk_size, seed, days, **options):
        if count < 1:
            raise CommandError("N must be at least 1.")
        try:
            bulkload.load_catalog()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()

        def progress(done: int) -> None:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"  {done:>10,} incidents  {done / elapsed:,.0f}/s")

        rate = bulkload.generate(count, chunk_size=chunk_size, seed=seed, days=days, progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {count:,} incidents in {elapsed:.1f} s: {rate:,.0f} incidents/s (with timelines)."
            )
        )
