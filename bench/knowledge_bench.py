"""Knowledge search and suggestion benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_kb .venv/bin/python bench/knowledge_bench.py --size 10000

Loads N published articles of realistic length (default 100,000; COPY into knowledge_article, then one UPDATE per
batch computes the weighted search vectors), then measures, for the labelled queries and incident-like texts:
  - search in-process (knowledge.search.search) and through the API (GET /api/v1/knowledge/articles/?q=...),
  - suggestions in-process (knowledge.search.suggest) and through the API (GET .../articles/suggest/?q=...),
and prints p50 / p95 / max in milliseconds. Targets: search p95 < 50 ms, suggestions p95 < 80 ms.
Bench articles have slugs starting with "bench-"; a second run with the same --size reuses them (--drop removes them).
The database must be migrated (manage.py migrate).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("API_THROTTLE_ENABLED", "false")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from incidents.choices import Role  # noqa: E402
from incidents.models import User  # noqa: E402
from knowledge import search, selectors  # noqa: E402
from knowledge.corpus import ARTICLES  # noqa: E402
from knowledge.models import Article  # noqa: E402
from knowledge.rendering import plain_text  # noqa: E402

PREFIX = "bench-"
BATCH = 10_000
FILLER = [
    "Check the device is on the company network before you start.",
    "Note the exact error message and the time it appeared.",
    "If several colleagues see the same symptom at the same time, check the status page first.",
    "Restart the application and try again before changing any settings.",
    "Write down which steps you already tried so the service desk does not repeat them.",
    "Most problems of this kind are solved within one working day.",
    "Keep the device plugged in while updates install and do not close the lid.",
    "The service desk may ask for a screenshot or for the application logs.",
    "Contractors use the same steps but sign in with their partner account.",
    "Managers can approve requests from the portal or from the approval email.",
    "Changes to production systems need an approved change request.",
    "Keep this article open while you follow the steps; some screens time out after ten minutes.",
    "If the steps above did not help, raise an incident and mention this article.",
    "Record the asset tag from the label on the underside of the device.",
    "Remote sessions are only started after the user agrees to them.",
]
SYLLABLES = [
    "zen",
    "tri",
    "ora",
    "bel",
    "cor",
    "dex",
    "lum",
    "nov",
    "pri",
    "qua",
    "rix",
    "sol",
    "tav",
    "ver",
    "xan",
    "yor",
    "kel",
    "mir",
    "pan",
    "dra",
    "fen",
    "gal",
    "hux",
]
SITES = ["Warsaw", "London", "Lyon", "Austin", "Pune", "Dublin", "Madrid", "Osaka", "Toronto", "Cape Town"]
QUALIFIERS = [
    "on Windows 11", "on macOS", "for new starters", "in the Warsaw office", "in the London office", "after an update",
    "for contractors", "on a shared PC", "when travelling", "for team leads", "on the 4th floor", "in the warehouse",
    "for finance users", "with a docking station", "over hotel Wi-Fi", "for the night shift",
]  # fmt: skip


def products(rng: random.Random, count: int = 3000) -> list[str]:
    """Synthetic application and device names: the long tail of vocabulary a large desk's articles carry."""
    names = set()
    while len(names) < count:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        names.add(f"{name} {rng.randint(2, 12)}" if rng.random() < 0.4 else name)
    return sorted(names)


def paragraphs(entry: dict) -> list[tuple[str, str]]:
    """(markdown, plain text) per paragraph of a corpus article."""
    return [(p, plain_text(p)) for p in entry["body"].split("\n\n") if p.strip()]


def generate(size: int, start: int, rng: random.Random, pieces: list[list[tuple[str, str]]], names: list[str]):
    """Rows of realistic articles: one corpus topic adapted to a product and a site, with boilerplate (~250-400 words)."""
    now = timezone.now()
    for number in range(start, start + size):
        index = rng.randrange(len(ARTICLES))
        entry = ARTICLES[index]
        product, site = rng.choice(names), rng.choice(SITES)
        own = list(pieces[index])
        chosen = rng.sample(own, max(1, len(own) - rng.randint(0, 1)))
        intro = f"This article applies to {product} at the {site} site."
        extra = " ".join(rng.sample(FILLER, rng.randint(6, 10)))
        code = f"Reference: KB-{rng.randint(10000, 99999)}, error {rng.choice(['E', 'ERR-', '0x'])}{rng.randint(100, 99999)}."
        chosen = [(intro, intro), *chosen, (extra, extra), (code, code)]
        body = "\n\n".join(md for md, _ in chosen)
        body_text = "\n".join(text for _, text in chosen)
        title = f"{entry['title']} ({product})" if rng.random() < 0.6 else f"{entry['title']} {rng.choice(QUALIFIERS)}"
        audience = "internal" if rng.random() < 0.25 else "public"
        stamp = (now - timedelta(days=rng.randint(0, 700))).isoformat()
        yield [
            f"{PREFIX}{number}", title, entry["summary"], body, body_text, f"{entry['keywords']}, {product.lower()}",
            audience, "published", stamp, stamp, stamp, (now + timedelta(days=rng.randint(-30, 180))).date().isoformat(),
            rng.randint(0, 5000), rng.randint(0, 80), rng.randint(0, 20), rng.randint(0, 30),
        ]  # fmt: skip


COLUMNS = (
    "slug, title, summary, body, body_text, keywords, audience, state, created_at, updated_at, published_at, "
    "review_by, view_count, helpful_count, not_helpful_count, solved_count"
)


def load(size: int, seed: int) -> None:
    existing = Article.objects.filter(slug__startswith=PREFIX).count()
    if existing == size:
        print(f"reusing {existing} bench articles")
        return
    if existing:
        drop()
    rng = random.Random(seed)
    pieces = [paragraphs(entry) for entry in ARTICLES]
    names = products(rng)
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        count = min(BATCH, size - start)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(generate(count, start, rng, pieces, names))
        buffer.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.copy_expert(f"COPY knowledge_article ({COLUMNS}) FROM STDIN WITH (FORMAT csv)", buffer)
            ids = Article.objects.filter(slug__in=[f"{PREFIX}{start}", f"{PREFIX}{start + count - 1}"]).values_list(
                "pk", flat=True
            )
            low, high = min(ids), max(ids)
            Article.objects.filter(pk__gte=low, pk__lte=high).update(
                search_vector=search.vector_from_columns(), head_vector=search.head_vector_from_columns()
            )
        print(f"  loaded {start + count} / {size} ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(search.refresh_terms_sql())
        cursor.execute("ANALYZE knowledge_article")
        cursor.execute("ANALYZE knowledge_searchterm")
    print(f"loaded {size} articles in {time.perf_counter() - started:.1f} s")


def drop() -> None:
    deleted = Article.objects.filter(slug__startswith=PREFIX).delete()[0]
    print(f"dropped {deleted} bench rows")


def bench_user() -> User:
    user, _ = User.objects.get_or_create(username="kb-bench-agent", defaults={"email": "kb-bench@example.com"})
    user.groups.add(Group.objects.get_or_create(name=Role.AGENT)[0])
    return user


def timed(fn, samples: list) -> None:
    started = time.perf_counter()
    fn()
    samples.append((time.perf_counter() - started) * 1000)


def report(name: str, samples: list[float], target: float) -> bool:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    ok = p95 < target
    print(
        f"{name:<32} n={len(samples):>4}  p50={statistics.median(samples):6.1f} ms  p95={p95:6.1f} ms  "
        f"max={samples[-1]:6.1f} ms  target p95<{target:.0f} ms  {'OK' if ok else 'SLOW'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="published bench articles (default 100000)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query set (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--drop", action="store_true", help="remove the bench articles and stop")
    args = parser.parse_args()
    if args.drop:
        drop()
        return 0

    from tests.knowledge.labelled_set import LABELLED_INCIDENTS, LABELLED_QUERIES

    load(args.size, args.seed)
    user = bench_user()
    client = Client()
    client.force_login(user)
    queries = [q for q, _, _ in LABELLED_QUERIES]
    texts = [(short, description) for short, description, _ in LABELLED_INCIDENTS]
    texts += [(q, "") for q in queries[::3]]
    visible = selectors.filtered_articles(user)

    # Warm-up: connection, plans, the first pages of the indexes.
    page = settings.KNOWLEDGE_SEARCH_PAGE_SIZE
    for q in queries[:10]:
        search.search(q, visible, limit=page)
        client.get("/api/v1/knowledge/articles/", {"q": q})

    results = {name: [] for name in ("search", "search api", "suggest", "suggest api")}
    for _ in range(args.rounds):
        for q in queries:
            timed(lambda q=q: search.search(q, selectors.filtered_articles(user), limit=page), results["search"])
            timed(lambda q=q: client.get("/api/v1/knowledge/articles/", {"q": q}), results["search api"])
        for short, description in texts:
            timed(
                lambda s=short, d=description: search.suggest(s, d, selectors.filtered_articles(user), limit=5),
                results["suggest"],
            )
            timed(
                lambda s=short, d=description: client.get(
                    "/api/v1/knowledge/articles/suggest/", {"short_description": s, "description": d}
                ),
                results["suggest api"],
            )
        reset_queries()

    total = Article.objects.filter(state="published").count()
    print(f"\n{total} published articles (bench size {args.size}), {args.rounds} rounds, {page} results a page")
    ok = all(
        [
            report("search (in-process)", results["search"], 50),
            report("search (API, test client)", results["search api"], 50),
            report("suggestions (in-process)", results["suggest"], 80),
            report("suggestions (API, test client)", results["suggest api"], 80),
        ]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
