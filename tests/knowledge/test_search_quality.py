"""Search ranking on the labelled set: typos, synonyms and natural questions find the right article."""

from __future__ import annotations

from tests.knowledge.labelled_set import LABELLED_QUERIES
from tests.knowledge.quality import evaluate_incidents, evaluate_queries

# Measured on the corpus: queries top-3 1.000 and MRR 1.000; incident texts top-3 1.000 and MRR 0.875.
QUERY_TOP3_FLOOR, QUERY_MRR_FLOOR = 0.95, 0.95
INCIDENT_TOP3_FLOOR, INCIDENT_MRR_FLOOR = 0.85, 0.80


def test_the_labelled_set_is_big_enough_and_covers_typos_and_synonyms():
    kinds = [kind for _, _, kind in LABELLED_QUERIES]
    assert len(LABELLED_QUERIES) >= 50
    assert kinds.count("typo") >= 8 and kinds.count("synonym") >= 8


def test_labelled_queries_find_their_article_in_the_top_three(corpus):
    quality = evaluate_queries()
    print(f"\nlabelled queries: top-3 {quality.top3:.3f}, MRR {quality.mrr:.3f}; misses: {quality.misses}")
    assert quality.top3 >= QUERY_TOP3_FLOOR, quality.misses
    assert quality.mrr >= QUERY_MRR_FLOOR, quality.misses


def test_incident_texts_suggest_their_article_first(corpus):
    quality = evaluate_incidents()
    print(f"\nincident suggestions: top-3 {quality.top3:.3f}, MRR {quality.mrr:.3f}; misses: {quality.misses}")
    assert quality.top3 >= INCIDENT_TOP3_FLOOR, quality.misses
    assert quality.mrr >= INCIDENT_MRR_FLOOR, quality.misses
