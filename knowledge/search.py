"""Full-text search and suggestions over knowledge articles.

Postgres does the work: a weighted tsvector (title A, keywords B, summary C, body D) stored on the article with a GIN
index, ts_rank_cd for ranking (normalised to 0..1), ts_headline for snippets, and pg_trgm for misspelt words. Queries
are expanded with a small synonym map.

1. Words that no article contains are corrected to the closest words of the vocabulary (the words of titles, keywords
   and summaries; trigram similarity over a GIN trigram index).
2. Every word (or one of its synonyms) must match; when that finds too few, any word may match (ranked lower).
3. Nothing at all: the query is compared with titles and keywords by trigram word similarity (GIN trigram indexes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Subquery, Value
from django.db.models.functions import Greatest, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from knowledge.models import Article
from knowledge.query import (  # noqa: F401 - the public search API re-exports the query helpers
    CONFIG,
    MAX_QUERY_WORDS,
    SYNONYM_GROUPS,
    Term,
    all_terms_query,
    any_term_query,
    correct,
    informative,
    parse,
    refresh_terms_sql,
    remember_terms,
    tokenize,
    words_of,
)

CONTENT_FIELDS = ("title", "keywords", "summary", "body_text")
HEAD_FIELDS = ("title", "keywords", "summary")
WEIGHTS = {"title": "A", "keywords": "B", "summary": "C", "body_text": "D"}
# ts_rank_cd normalisation: 1 divides by 1 + log(document length) so long articles don't win by bulk, 32 maps the
# rank into 0..1 (rank / (rank + 1)).
RANK_NORMALIZATION = 1 | 32
TRIGRAM_THRESHOLD = 0.5
# Candidates: the best HEAD_POOL matches on title/keywords/summary are re-ranked on the full vector; body-only matches
# are looked at (BODY_SCAN_CAP of them at most) only when those are too few.
HEAD_POOL = 100
BODY_SCAN_CAP = 1000
# Head matches ranked at most: a word in thousands of titles is ranked over a sample of this many of them.
HEAD_SCAN_CAP = 3000
HEADLINE_CHARS = 2000
MAX_SUGGEST_WORDS = 16
MAX_ANY_TERMS = 8
# Private-use characters mark the highlighted words in ts_headline's output; they are stripped from saved content.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{MARK_OPEN}(.*?){MARK_CLOSE}", re.S)

# --- the stored vector ---------------------------------------------------------------------------------------------


def _vector(values: dict) -> SearchVector:
    parts = [SearchVector(value, weight=WEIGHTS[name], config=CONFIG) for name, value in values.items()]
    return reduce(lambda left, right: left + right, parts)


def vector_from_values(article: Article) -> SearchVector:
    """The weighted vector of the values being saved (literal parameters, so it works for INSERT and UPDATE)."""
    return _vector({name: Value(getattr(article, name) or "") for name in CONTENT_FIELDS})


def vector_from_columns() -> SearchVector:
    """The weighted vector computed from the stored columns, for bulk loads: `qs.update(search_vector=...)`."""
    return _vector({name: F(name) for name in CONTENT_FIELDS})


def head_vector_from_values(article: Article) -> SearchVector:
    """The small vector of title (A), keywords (B) and summary (C): stored uncompressed, cheap to rank."""
    return _vector({name: Value(getattr(article, name) or "") for name in HEAD_FIELDS})


def head_vector_from_columns() -> SearchVector:
    return _vector({name: F(name) for name in HEAD_FIELDS})


def strip_marks(text: str) -> str:
    """Removes the highlight sentinels from content before it is stored."""
    return (text or "").replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


# --- results -------------------------------------------------------------------------------------------------------


@dataclass
class Hit:
    """One search result: the article, its score (0..1 and above for fuzzy matches) and highlighted snippets."""

    article: Article
    score: float
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))
    title_html: SafeString = field(default_factory=lambda: mark_safe(""))
    fuzzy: bool = False


@dataclass
class Results:
    hits: list[Hit]
    has_more: bool = False
    terms: list[Term] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @property
    def articles(self) -> list[Article]:
        return [hit.article for hit in self.hits]


def highlight(raw: str) -> SafeString:
    """Escapes ts_headline output and turns only our own sentinels into <mark> tags."""
    out: list[str] = []
    position = 0
    for match in _MARKED.finditer(raw or ""):
        out.append(escape(strip_marks(raw[position : match.start()])))
        out.append(f"<mark>{escape(strip_marks(match.group(1)))}</mark>")
        position = match.end()
    out.append(escape(strip_marks((raw or "")[position:])))
    return mark_safe("".join(out))  # noqa: S308 - everything but our <mark> tags is escaped above


def _rank(column: str, query: SearchQuery, *, cover_density: bool = True) -> SearchRank:
    return SearchRank(F(column), query, normalization=Value(RANK_NORMALIZATION), cover_density=cover_density)


def _ranked(queryset: QuerySet, query: SearchQuery, limit: int) -> list[tuple[int, float]]:
    """The best `limit` matches, ranked by ts_rank_cd on the full vector.

    Ranking every match would decompress every matching article's vector; instead the small head vectors pick the
    candidates (cheap even for common words) and only those are ranked on the full vector.
    """
    matching = queryset.filter(head_vector=query).order_by().values("pk")[:HEAD_SCAN_CAP]
    # ts_rank (not _cd) here: cover density is costly with long queries, and this only picks the candidates.
    head = list(
        Article.objects.filter(pk__in=Subquery(matching))
        .annotate(rank=_rank("head_vector", query, cover_density=False))
        .order_by("-rank", "-solved_count", "-id")
        .values_list("id", flat=True)[: max(limit, HEAD_POOL)]
    )
    candidates = head
    if len(head) < limit:
        candidates = head + list(
            queryset.filter(search_vector=query).exclude(pk__in=head).values_list("id", flat=True)[:BODY_SCAN_CAP]
        )
    if not candidates:
        return []
    rows = (
        Article.objects.filter(pk__in=candidates)
        .annotate(rank=_rank("search_vector", query))
        .order_by("-rank", "-solved_count", "-id")
        .values_list("id", "rank")[:limit]
    )
    return [(pk, float(score)) for pk, score in rows]


def _fuzzy(queryset: QuerySet, terms: list[Term], limit: int) -> list[tuple[int, float]]:
    """Trigram word similarity of each query word against title and keywords (GIN trigram indexes)."""
    words = [t.text for t in terms if len(t.text) >= 4 and " " not in t.text][:6]
    if not words:
        return []
    condition = Q()
    scores = []
    for word in words:
        condition |= Q(title__trigram_word_similar=word) | Q(keywords__trigram_word_similar=word)
        scores.append(Greatest(_word_similarity(word, "title"), _word_similarity(word, "keywords")))
    total = reduce(lambda left, right: left + right, scores) / len(words)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The operator's threshold; LOCAL keeps it to this transaction.
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [TRIGRAM_THRESHOLD])
        rows = list(
            queryset.filter(condition)
            .annotate(similarity=total)
            .order_by("-similarity", "-solved_count", "-id")
            .values_list("id", "similarity")[:limit]
        )
    return [(pk, float(score)) for pk, score in rows]


def _word_similarity(word: str, column: str):
    from django.contrib.postgres.search import TrigramWordSimilarity

    return TrigramWordSimilarity(word, column)


def _load(ids: list[int], query: SearchQuery | None) -> dict[int, Article]:
    qs = Article.objects.filter(pk__in=ids).select_related("owner").defer("search_vector", "head_vector", "body")
    if query is not None:
        options = {"start_sel": MARK_OPEN, "stop_sel": MARK_CLOSE, "config": CONFIG}
        qs = qs.annotate(
            snippet_raw=SearchHeadline(
                Substr("body_text", 1, HEADLINE_CHARS),
                query,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
                short_word=2,
                **options,
            ),
            title_raw=SearchHeadline("title", query, highlight_all=True, **options),
        )
    return {article.pk: article for article in qs}


def search(
    text: str,
    queryset: QuerySet,
    *,
    limit: int = 10,
    offset: int = 0,
    max_words: int = MAX_QUERY_WORDS,
    require_all: bool = True,
) -> Results:
    """The best articles of `queryset` (already limited to what the viewer may see) for `text`."""
    terms = parse(text, max_words=max_words)
    if not terms:
        return Results(hits=[], terms=terms)
    terms, corrections = correct(queryset, terms)
    wanted = offset + limit + 1
    strict = _ranked(queryset, all_terms_query(terms), wanted) if require_all else []
    # Every word matching beats some words matching: strict scores are lifted above 1.
    ranked: list[tuple[int, float]] = [(pk, score + 1.0) for pk, score in strict]
    if len(ranked) < wanted and (len(terms) > 1 or not require_all):
        seen = {pk for pk, _ in ranked}
        relaxed = any_term_query(informative(terms, keep=MAX_ANY_TERMS))
        ranked += [(pk, score) for pk, score in _ranked(queryset, relaxed, wanted) if pk not in seen]
    fuzzy_only = False
    if not ranked:
        # Last resort: the whole query against titles and keywords by trigram word similarity.
        ranked, fuzzy_only = [(pk, score * 0.5) for pk, score in _fuzzy(queryset, terms, wanted)], True
    page = ranked[offset : offset + limit]
    query = any_term_query(terms)
    articles = _load([pk for pk, _ in page], query)
    hits = []
    for pk, score in page:
        article = articles.get(pk)
        if article is None:
            continue
        hits.append(
            Hit(
                article=article,
                score=round(score, 4),
                snippet=highlight(article.snippet_raw) if article.body_text else highlight(article.summary),
                title_html=highlight(article.title_raw),
                fuzzy=fuzzy_only or bool(corrections),
            )
        )
    return Results(hits=hits, has_more=len(ranked) > offset + limit, terms=terms, corrections=corrections)


def suggest(short_description: str, description: str, queryset: QuerySet, *, limit: int = 5) -> Results:
    """Articles for an incident's (or a portal user's) words: any word may match; the short description counts most."""
    text = f"{short_description or ''} {(description or '')[:2000]}"
    return search(text, queryset, limit=limit, max_words=MAX_SUGGEST_WORDS, require_all=False)
