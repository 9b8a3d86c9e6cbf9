"""Email channel benchmark: parsing throughput, and end-to-end ingestion into incidents and comments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_portal .venv/bin/python bench/mail_bench.py --size 10000

Parses --size messages cycling through the test corpus (tests/mail/corpus, no database) and prints messages per
second; then ingests --ingest messages (default size/20, each with its own Message-ID, half new reports and half
replies to them) into the database with notifications suppressed, and prints p50 / p95 / max milliseconds per
message and messages per second. Senders are accounts created on the fly (bench-mail-<run>-N@bench.example); every
run uses fresh Message-IDs. The database must be migrated (manage.py migrate).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from incidents import outbox  # noqa: E402
from incidents.mail import intake  # noqa: E402
from incidents.mail.parsing import parse  # noqa: E402
from incidents.mail.quotes import strip_reply  # noqa: E402

CORPUS = sorted((ROOT / "tests" / "mail" / "corpus").glob("*.eml"))


def bench_parse(size: int) -> None:
    messages = [p.read_bytes() for p in CORPUS]
    start = time.perf_counter()
    for n in range(size):
        mail = parse(messages[n % len(messages)])
        strip_reply(mail.text)
    elapsed = time.perf_counter() - start
    print(f"parse+strip: {size} messages in {elapsed:.2f} s = {size / elapsed:,.0f} messages/s")


def _message(sender: str, subject: str, body: str, references: str = "") -> bytes:
    headers = [
        f"From: Bench <{sender}>",
        f"To: {settings.DEFAULT_FROM_EMAIL}",
        f"Subject: {subject}",
        f"Message-ID: <{uuid.uuid4()}@bench.example>",
        "Content-Type: text/plain; charset=utf-8",
    ]
    if references:
        headers.append(f"References: {references}")
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


def bench_ingest(count: int) -> None:
    from incidents import notify

    timings = []
    settings.EMAIL_LOOP_MAX_PER_HOUR = 10**9
    run = uuid.uuid4().hex[:8]
    with outbox.suppressed():
        created = []
        for n in range(count):
            sender = f"bench-mail-{run}-{n % 50}@bench.example"
            if n % 2 == 0 or not created:
                raw = _message(sender, f"Bench problem {n}", "The printer prints blank pages.\n\n-- \nBench")
            else:
                incident = created[(n // 2) % len(created)]
                sender = incident.caller.email
                raw = _message(
                    sender,
                    f"Re: [{incident.number}] {incident.short_description}",
                    "Still broken.\n\nOn Tue, 3 Jun 2025 at 10:12, Service Desk wrote:\n> old text",
                    references=notify.thread_id(incident),
                )
            start = time.perf_counter()
            result = intake.ingest(raw)
            timings.append((time.perf_counter() - start) * 1000)
            if result.outcome == "created":
                created.append(result.incident)
    total = sum(timings) / 1000
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"ingest: {count} messages in {total:.2f} s = {count / total:,.0f} messages/s; "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000, help="messages to parse")
    parser.add_argument("--ingest", type=int, default=None, help="messages to ingest (default size/20)")
    args = parser.parse_args()
    bench_parse(args.size)
    bench_ingest(args.ingest if args.ingest is not None else max(args.size // 20, 10))


if __name__ == "__main__":
    main()
