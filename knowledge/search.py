"""Full-text search and suggestions over knowledge articles.

Postgres does the work: a weighted tsvector (title A, keywords B, summary C, body D) stored on the article with a GIN
index, ts_rank_cd for ranking (normalised to 0..1), ts_headline for snippets, and pg_trgm word similarity on title and
keywords as a fallback for misspelt words. Queries are expanded with a small synonym map.

Ranking in three passes, each only when the one before found too few:
1. every word (or one of its synonyms) must match;
2. any word may match, and misspelt words are matched by trigram similarity on title and keywords; both scores add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from knowledge.models import Article

CONFIG = "english"
CONTENT_FIELDS = ("title", "keywords", "summary", "body_text")
WEIGHTS = {"title": "A", "keywords": "B", "summary": "C", "body_text": "D"}
# ts_rank_cd normalisation: 1 divides by 1 + log(document length) so long articles don't win by bulk, 32 maps the
# rank into 0..1 (rank / (rank + 1)).
RANK_NORMALIZATION = 1 | 32
TRIGRAM_THRESHOLD = 0.5
MAX_QUERY_WORDS = 12
MAX_SUGGEST_WORDS = 24
FALLBACK_POOL = 50
# Private-use characters mark the highlighted words in ts_headline's output; they are stripped from saved content.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{MARK_OPEN}(.*?){MARK_CLOSE}", re.S)
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-']*[a-z0-9+#]|[a-z0-9]")

# Equivalent phrasings: a query mentioning one finds articles that use another.
SYNONYM_GROUPS: list[tuple[str, ...]] = [
    ("vpn", "remote access", "anyconnect", "globalprotect", "tunnel"),
    ("printer", "printing", "print queue", "print"),
    ("mfa", "2fa", "two-factor", "two factor", "multi-factor", "authenticator", "verification code"),
    ("password", "passphrase", "credentials", "passcode"),
    ("email", "e-mail", "mail", "outlook", "mailbox"),
    ("wifi", "wi-fi", "wireless", "wlan"),
    ("laptop", "notebook", "computer", "pc"),
    ("locked out", "lockout", "locked"),
    ("sso", "single sign-on", "sign in", "log in", "login", "logon"),
    ("shared drive", "network drive", "file share", "mapped drive", "share"),
    ("monitor", "display", "screen"),
    ("dock", "docking station"),
    ("slow", "sluggish", "lag", "performance"),
    ("erp", "finance system", "ordering system"),
    ("crm", "customer records"),
    ("phone", "mobile", "smartphone"),
    ("spam", "phishing", "junk"),
    ("calendar", "meeting invite", "invitation"),
    ("deleted", "lost", "restore", "recover"),
    ("licence", "license"),
    ("install", "installation", "software centre", "software center"),
]
# Words that carry no meaning in a service desk query or an incident description.
DESK_STOPWORDS = frozenset(
    "a an the and or but of to in on at for with from by is are was were be been it its this that these those i me my "
    "we our you your he she they them their can cant can't cannot could would should will wont won't not no do does "
    "did doesnt doesn't dont don't how what why when where which who please help hi hello thanks thank issue issues "
    "problem problems error errors working work works anymore since today yesterday morning again still get getting "
    "got need needs tried try trying unable able keep keeps any some there here as so if just also user users "
    "anyone someone all after before up down into".split()
)


def _build_synonym_index() -> dict[tuple[str, ...], int]:
    index: dict[tuple[str, ...], int] = {}
    for number, group in enumerate(SYNONYM_GROUPS):
        for phrase in group:
            index[tuple(phrase.split())] = number
    return index


_SYNONYM_INDEX = _build_synonym_index()
_LONGEST_PHRASE = max(len(key) for key in _SYNONYM_INDEX)


# --- the stored vector ---------------------------------------------------------------------------------------------


def _vector(values: dict) -> SearchVector:
    parts = [SearchVector(values[name], weight=WEIGHTS[name], config=CONFIG) for name in CONTENT_FIELDS]
    return reduce(lambda left, right: left + right, parts)


def vector_from_values(article: Article) -> SearchVector:
    """The weighted vector of the values being saved (literal parameters, so it works for INSERT and UPDATE)."""
    return _vector({name: Value(getattr(article, name) or "") for name in CONTENT_FIELDS})


def vector_from_columns() -> SearchVector:
    """The weighted vector computed from the stored columns, for bulk loads: `qs.update(search_vector=...)`."""
    return _vector({name: F(name) for name in CONTENT_FIELDS})


def strip_marks(text: str) -> str:
    """Removes the highlight sentinels from content before it is stored."""
    return (text or "").replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


# --- query building ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One thing the user asked for: a word or phrase, with the synonyms that may stand in for it."""

    text: str
    variants: tuple[str, ...]


def tokenize(text: str) -> list[str]:
    return _WORD.findall((text or "").lower())


def parse(text: str, *, max_words: int = MAX_QUERY_WORDS) -> list[Term]:
    """Splits the query into terms, recognising multi-word synonyms first; drops meaningless words."""
    words = tokenize(text)
    terms: list[Term] = []
    seen: set[str] = set()
    i = 0
    while i < len(words) and len(terms) < max_words:
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            group = _SYNONYM_INDEX.get(phrase)
            if group is not None:
                text_ = " ".join(phrase)
                if text_ not in seen:
                    seen.add(text_)
                    terms.append(Term(text_, SYNONYM_GROUPS[group]))
                i += size
                break
        else:
            word = words[i]
            i += 1
            if word in DESK_STOPWORDS or word in seen:
                continue
            seen.add(word)
            terms.append(Term(word, (word,)))
    return terms


def _variant_query(variant: str) -> SearchQuery:
    search_type = "phrase" if " " in variant or "-" in variant else "plain"
    return SearchQuery(variant, config=CONFIG, search_type=search_type)


def term_query(term: Term) -> SearchQuery:
    return reduce(lambda left, right: left | right, (_variant_query(v) for v in term.variants))


def all_terms_query(terms: list[Term]) -> SearchQuery | None:
    return reduce(lambda left, right: left & right, (term_query(t) for t in terms)) if terms else None


def any_term_query(terms: list[Term]) -> SearchQuery | None:
    return reduce(lambda left, right: left | right, (term_query(t) for t in terms)) if terms else None


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


def _ranked(queryset: QuerySet, query: SearchQuery, limit: int) -> list[tuple[int, float]]:
    rank = SearchRank(F("search_vector"), query, normalization=Value(RANK_NORMALIZATION), cover_density=True)
    rows = (
        queryset.filter(search_vector=query)
        .annotate(rank=rank)
        .order_by("-rank", "-solved_count", "-id")
        .values_list("id", "rank")[:limit]
    )
    return [(pk, float(score)) for pk, score in rows]


def _fuzzy(queryset: QuerySet, terms: list[Term], limit: int) -> list[tuple[int, float]]:
    """Trigram word similarity of each query word against title and keywords (GIN trigram indexes)."""
    candidates = [t.text for t in terms if len(t.text) >= 4 and " " not in t.text and len(t.variants) == 1][:6]
    # Only words the full-text index doesn't know are treated as typos; the others already scored exactly.
    words = [w for w in candidates if not queryset.filter(search_vector=_variant_query(w)).exists()]
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
    qs = Article.objects.filter(pk__in=ids).select_related("owner").defer("search_vector", "body")
    if query is not None:
        options = {"start_sel": MARK_OPEN, "stop_sel": MARK_CLOSE, "config": CONFIG}
        qs = qs.annotate(
            snippet_raw=SearchHeadline(
                "body_text",
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


def _merge(first: list[tuple[int, float]], second: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Adds the scores of articles found both ways, so an article matching well both ways comes first."""
    scores: dict[int, float] = {}
    for pk, score in [*first, *second]:
        scores[pk] = scores.get(pk, 0.0) + score
    return sorted(scores.items(), key=lambda item: (-item[1], -item[0]))


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
    wanted = offset + limit + 1
    strict = _ranked(queryset, all_terms_query(terms), wanted) if require_all else []
    ranked: list[tuple[int, float, bool]] = [(pk, score + 1.0, False) for pk, score in strict]
    if len(ranked) < wanted:
        seen = {pk for pk, _, _ in ranked}
        # A wider pool than the page, so that an article found both ways can collect both scores.
        pool = max(wanted, FALLBACK_POOL)
        relaxed = _ranked(queryset, any_term_query(terms), pool) if len(terms) > 1 or not require_all else []
        fuzzy = _fuzzy(queryset, terms, pool)
        fuzzy_ids = {pk for pk, _ in fuzzy}
        for pk, score in _merge(relaxed, [(pk, s * 0.5) for pk, s in fuzzy]):
            if pk not in seen:
                ranked.append((pk, score, pk in fuzzy_ids))
    page = ranked[offset : offset + limit]
    query = any_term_query(terms)
    articles = _load([pk for pk, _, _ in page], query)
    hits = []
    for pk, score, fuzzy in page:
        article = articles.get(pk)
        if article is None:
            continue
        hits.append(
            Hit(
                article=article,
                score=round(score, 4),
                snippet=highlight(article.snippet_raw) if article.body_text else highlight(article.summary),
                title_html=highlight(article.title_raw),
                fuzzy=fuzzy,
            )
        )
    return Results(hits=hits, has_more=len(ranked) > offset + limit, terms=terms)


def suggest(short_description: str, description: str, queryset: QuerySet, *, limit: int = 5) -> Results:
    """Articles for an incident's (or a portal user's) words: any word may match; the short description counts most."""
    text = f"{short_description or ''} {(description or '')[:2000]}"
    return search(text, queryset, limit=limit, max_words=MAX_SUGGEST_WORDS, require_all=False)
