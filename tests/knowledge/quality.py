"""Search quality on the labelled set: share of queries whose article is in the top 3, and mean reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge import search
from knowledge.models import Article
from tests.knowledge.labelled_set import LABELLED_INCIDENTS, LABELLED_QUERIES


@dataclass
class Quality:
    top3: float
    mrr: float
    misses: list[tuple[str, str, int | None]]


def _score(ranks: list[tuple[str, str, int | None]]) -> Quality:
    top3 = sum(1 for _, _, rank in ranks if rank is not None and rank <= 3) / len(ranks)
    mrr = sum(1 / rank for _, _, rank in ranks if rank) / len(ranks)
    return Quality(top3=top3, mrr=mrr, misses=[r for r in ranks if r[2] is None or r[2] > 3])


def _rank(results, key: str) -> int | None:
    slugs = [hit.article.slug for hit in results.hits]
    return slugs.index(f"kb-{key}") + 1 if f"kb-{key}" in slugs else None


def evaluate_queries(queryset=None) -> Quality:
    queryset = queryset if queryset is not None else Article.objects.filter(state="published")
    ranks = [(q, key, _rank(search.search(q, queryset, limit=10), key)) for q, key, _ in LABELLED_QUERIES]
    return _score(ranks)


def evaluate_incidents(queryset=None) -> Quality:
    queryset = queryset if queryset is not None else Article.objects.filter(state="published")
    ranks = [
        (short, key, _rank(search.suggest(short, description, queryset, limit=10), key))
        for short, description, key in LABELLED_INCIDENTS
    ]
    return _score(ranks)
