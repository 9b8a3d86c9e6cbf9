"""Turning what people type into Postgres text queries: words, synonyms, filler words, typo corrections.

Pure helpers (tokenize, parse) need no database; the vocabulary helpers read knowledge_searchterm and pg_stats.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, TrigramSimilarity
from django.db import connection
from django.db.models import QuerySet

from knowledge.models import Article, SearchTerm

CONFIG = "english"
MAX_QUERY_WORDS = 12
CORRECTION_SIMILARITY = 0.4
# Any-word matching ignores terms found in more than this share of articles (when rarer terms exist).
COMMON_TERM_SHARE = 0.05
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-']*[a-z0-9+#]|[a-z0-9]")
_VOCABULARY_WORD = re.compile(r"[a-z]+")

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
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "their",
        "can",
        "cant",
        "can't",
        "cannot",
        "could",
        "would",
        "should",
        "will",
        "wont",
        "won't",
        "not",
        "no",
        "do",
        "does",
        "did",
        "doesnt",
        "doesn't",
        "dont",
        "don't",
        "how",
        "what",
        "why",
        "when",
        "where",
        "which",
        "who",
        "please",
        "help",
        "hi",
        "hello",
        "thanks",
        "thank",
        "issue",
        "issues",
        "problem",
        "problems",
        "error",
        "errors",
        "working",
        "work",
        "works",
        "anymore",
        "since",
        "today",
        "yesterday",
        "morning",
        "again",
        "still",
        "get",
        "getting",
        "got",
        "need",
        "needs",
        "tried",
        "try",
        "trying",
        "unable",
        "able",
        "keep",
        "keeps",
        "any",
        "some",
        "there",
        "here",
        "as",
        "so",
        "if",
        "just",
        "also",
        "user",
        "users",
        "anyone",
        "someone",
        "all",
        "after",
        "before",
        "up",
        "down",
        "into",
    ]
)


def _build_synonym_index() -> dict[tuple[str, ...], int]:
    index: dict[tuple[str, ...], int] = {}
    for number, group in enumerate(SYNONYM_GROUPS):
        for phrase in group:
            index[tuple(phrase.split())] = number
    return index


_SYNONYM_INDEX = _build_synonym_index()
_LONGEST_PHRASE = max(len(key) for key in _SYNONYM_INDEX)


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
                if f"group:{group}" not in seen:
                    seen.add(f"group:{group}")
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


def quote(variant: str) -> str:
    """One word or phrase as a quoted to_tsquery operand: Postgres normalises it (stemming, stop words) and a phrase
    becomes `a <-> b`; quoting also makes every operator character inert."""
    return "'" + variant.replace("\\", " ").replace("'", "''") + "'"


def term_text(term: Term) -> str:
    return "(" + " | ".join(quote(v) for v in term.variants) + ")"


def _raw(text: str) -> SearchQuery:
    # One to_tsquery(config, %s) parameter: cheap to compile however many terms and synonyms the query has.
    return SearchQuery(text, config=CONFIG, search_type="raw")


def term_query(term: Term) -> SearchQuery:
    return _raw(term_text(term))


def all_terms_query(terms: list[Term]) -> SearchQuery | None:
    return _raw(" & ".join(term_text(t) for t in terms)) if terms else None


def any_term_query(terms: list[Term]) -> SearchQuery | None:
    return _raw(" | ".join(term_text(t) for t in terms)) if terms else None


# --- the vocabulary of titles, keywords and summaries ---------------------------------------------------------


def words_of(*texts: str) -> set[str]:
    """Vocabulary words: letters only, 3 to 40 characters, lower case."""
    return {w for text in texts for w in _VOCABULARY_WORD.findall((text or "").lower()) if 3 <= len(w) <= 40}


def remember_terms(article: Article) -> None:
    """Adds the article's title, keyword and summary words to the vocabulary used to correct typos."""
    words = words_of(article.title, article.keywords, article.summary)
    if words:
        SearchTerm.objects.bulk_create([SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True)


def refresh_terms_sql() -> str:
    """SQL that fills the vocabulary from every article (bulk loads)."""
    return (
        "INSERT INTO knowledge_searchterm (word) SELECT DISTINCT w FROM knowledge_article, "
        "regexp_split_to_table(lower(title || ' ' || keywords || ' ' || summary), '[^a-z]+') AS w "
        "WHERE length(w) BETWEEN 3 AND 40 ON CONFLICT (word) DO NOTHING"
    )


def correct(queryset: QuerySet, terms: list[Term]) -> tuple[list[Term], dict[str, str]]:
    """Adds to each word the vocabulary doesn't know the closest vocabulary words (pg_trgm similarity, GIN index).

    The original word is kept as a variant, so a word that only appears in article bodies still matches.
    """
    corrected: list[Term] = []
    corrections: dict[str, str] = {}
    checkable = {t.text for t in terms if len(t.text) >= 4 and len(t.variants) == 1 and t.text.isalpha()}
    known = set(SearchTerm.objects.filter(word__in=checkable).values_list("word", flat=True)) if checkable else set()
    for term in terms:
        word = term.text
        if word not in checkable or word in known:
            corrected.append(term)
            continue
        close = list(
            SearchTerm.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .filter(similarity__gte=CORRECTION_SIMILARITY)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:3]
        )
        if close:
            corrections[word] = close[0]
        corrected.append(Term(word, (word, *close)))
    return corrected, corrections


_FREQUENCIES: dict = {"at": 0.0, "value": {}}


def lexeme_frequencies() -> dict[str, float]:
    """Share of articles whose title, keywords or summary hold each common lexeme, from Postgres' own statistics
    (pg_stats.most_common_elems of head_vector, kept by ANALYZE); cached for five minutes."""
    now = time.monotonic()
    if now - _FREQUENCIES["at"] > 300:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'knowledge_article' AND attname = 'head_vector'"
            )
            row = cursor.fetchone()
        _FREQUENCIES["value"] = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        _FREQUENCIES["at"] = now
    return _FREQUENCIES["value"]


def informative(terms: list[Term], *, keep: int) -> list[Term]:
    """For any-word matching: the `keep` rarest terms, without words most articles share (they only add noise and
    make every article a candidate)."""
    frequencies = lexeme_frequencies()
    if not frequencies or len(terms) <= 1:
        return terms[:keep]

    def frequency(term: Term) -> float:
        lexemes = [frequencies.get(stem(v), 0.0) for v in term.variants if " " not in v]
        return min(lexemes) if lexemes else 0.0

    scored = sorted(terms, key=frequency)
    kept = [t for t in scored if frequency(t) <= COMMON_TERM_SHARE] or scored[:1]
    return kept[:keep]


def stem(word: str) -> str:
    """The English stem Postgres indexes for a word (cached)."""
    return _stem_cache.get(word) or _stem(word)


_stem_cache: dict[str, str] = {}


def _stem(word: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_to_string(tsvector_to_array(to_tsvector(%s::regconfig, %s)), ' ')", [CONFIG, word])
        value = cursor.fetchone()[0] or word
    if len(_stem_cache) < 50_000:
        _stem_cache[word] = value
    return value
