"""Search behaviour: synonyms, typos, filters, the stored vector kept current, snippets."""

from __future__ import annotations

import pytest

from knowledge import lifecycle, search, selectors
from knowledge.choices import Audience
from knowledge.models import Article

pytestmark = pytest.mark.django_db


def slugs(results) -> list[str]:
    return [hit.article.slug for hit in results.hits]


def test_queries_are_parsed_into_terms_with_synonyms_and_without_filler_words():
    terms = search.parse("Please help: remote access is not working on my laptop")
    assert [t.text for t in terms] == ["remote access", "laptop"]
    assert "vpn" in terms[0].variants and "notebook" in terms[1].variants


def test_a_synonym_finds_an_article_that_uses_the_other_word(corpus):
    results = search.search("2fa new phone", Article.objects.filter(state="published"))
    assert slugs(results)[0] == "kb-mfa-new-phone"


def test_a_misspelt_word_is_matched_by_trigram_similarity(corpus):
    results = search.search("bitlokcer", Article.objects.filter(state="published"))
    assert slugs(results)[0] == "kb-bitlocker-recovery"
    assert results.hits[0].fuzzy


def test_every_word_matching_ranks_above_some_words_matching(corpus):
    results = search.search("print queue stuck", Article.objects.filter(state="published"))
    assert slugs(results)[0] == "kb-print-queue-stuck"
    assert results.hits[0].score > 1 > results.hits[-1].score


def test_a_title_match_outranks_a_body_mention(make_article):
    make_article(title="Laptop is slow", body="Restart it.", keywords="")
    make_article(title="Docking stations", body="A docking station may make the laptop slow.", keywords="")
    results = search.search("laptop slow", Article.objects.all())
    assert [hit.article.title for hit in results.hits] == ["Laptop is slow", "Docking stations"]


def test_filters_narrow_by_service_category_audience_and_state(agent, corpus, make_article):
    printing = Article.objects.get(slug="kb-printer-jam").services.get()
    hardware = Article.objects.get(slug="kb-printer-jam").categories.get().parent
    make_article(title="Printer draft", publish=False)

    by_service = search.search("printer", selectors.filtered_articles(agent, service=printing.pk), limit=50)
    by_category = search.search("printer", selectors.filtered_articles(agent, category=hardware.pk), limit=50)
    internal = search.search("printer", selectors.filtered_articles(agent, audience=Audience.INTERNAL), limit=50)
    drafts = search.search("printer", selectors.filtered_articles(agent, state="draft"), limit=50)

    assert by_service.hits and all(printing in h.article.services.all() for h in by_service.hits)
    assert by_category.hits and all(h.article.categories.get().parent == hardware for h in by_category.hits)
    assert slugs(internal) == ["kb-print-spooler-agent"]
    assert [h.article.title for h in drafts] == ["Printer draft"]


def test_publishing_a_new_version_updates_what_search_finds(make_article, agent, reviewer):
    article = make_article(title="Clear a jam", body="Open door B", keywords="")
    assert not search.search("toner", Article.objects.all()).hits

    lifecycle.article_edit(
        actor=agent, article=article, title="Replace the toner", body="Open door B", audience="public"
    )
    assert not search.search("toner", Article.objects.filter(state="published")).hits  # still a draft version
    lifecycle.article_submit(actor=agent, article=article)
    lifecycle.article_publish(actor=reviewer, article=article)

    assert slugs(search.search("toner", Article.objects.all())) == [article.slug]


def test_the_next_page_continues_where_the_first_ended(corpus):
    queryset = Article.objects.filter(state="published")
    first = search.search("vpn", queryset, limit=3)
    second = search.search("vpn", queryset, limit=3, offset=3)
    assert first.has_more
    assert not set(slugs(first)) & set(slugs(second))


def test_a_query_of_only_filler_words_finds_nothing_without_error(corpus):
    assert not search.search("please help it is not working", Article.objects.all()).hits
    assert not search.search("!!! ??? ---", Article.objects.all()).hits


def test_the_highlighter_escapes_everything_but_its_own_marks():
    raw = f"<b>x</b> {search.MARK_OPEN}<i>vpn</i>{search.MARK_CLOSE} & {search.MARK_OPEN}"
    assert str(search.highlight(raw)) == "&lt;b&gt;x&lt;/b&gt; <mark>&lt;i&gt;vpn&lt;/i&gt;</mark> &amp; "


def test_a_misspelt_word_is_corrected_from_the_vocabulary_and_the_page_says_so(client, agent, corpus):
    results = search.search("pasword reset", Article.objects.filter(state="published"))
    assert results.corrections == {"pasword": "password"}
    assert slugs(results)[0] == "kb-password-self-service"

    client.force_login(agent)
    html = client.get("/knowledge/", {"q": "pasword reset"}).content.decode()
    assert "Including results for <strong>password</strong> (you typed pasword)" in html


def test_saving_an_article_adds_its_words_to_the_vocabulary(make_article):
    from knowledge.models import SearchTerm

    make_article(title="Zebracorn scanner calibration", keywords="calibrate")
    assert set(
        SearchTerm.objects.filter(word__in=["zebracorn", "scanner", "calibrate"]).values_list("word", flat=True)
    ) == {
        "zebracorn",
        "scanner",
        "calibrate",
    }
    assert slugs(search.search("zebrakorn", Article.objects.all()))
