"""XSS payloads in titles, bodies, summaries, keywords and comments render inert everywhere they are shown."""

from __future__ import annotations

import re

import pytest

from knowledge import lifecycle
from knowledge.choices import Audience
from knowledge.rendering import render_markdown

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "[click me](javascript:alert(1))",
    "![pic](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
]
DANGEROUS = re.compile(
    r"<script|<iframe|<svg|<math|<style|\sonerror\s*=|\sonload\s*=|\sonclick\s*=|javascript:|data:text/html", re.I
)


def live_markup(html: str) -> str:
    """Tags and attributes of the page's content as a browser parses them (escaped text like &lt;script&gt; is inert).

    Only <main> is checked on full pages: the layout's own <script src> tags are ours.
    """
    main = re.search(r"<main\b.*?</main>", html, re.S)
    return "".join(re.findall(r"<[^>]*>", main.group(0) if main else html))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_rendering_strips_every_payload(payload):
    assert not DANGEROUS.search(str(render_markdown(payload)))


def test_payloads_in_every_field_render_inert_on_the_article_page(client, agent, reviewer, requester):
    joined = "\n\n".join(PAYLOADS)
    article = lifecycle.article_create(
        actor=agent,
        title="<script>alert('t')</script> printer",
        summary='<img src=x onerror="alert(2)"> printer summary',
        body=f"Printer steps\n\n{joined}",
        keywords="<svg onload=alert(3)>, printer",
        audience=Audience.PUBLIC,
    )
    article = lifecycle.article_publish(actor=reviewer, article=article)
    lifecycle.article_feedback(actor=requester, article=article, helpful=False, comment=joined)

    client.force_login(agent)  # the owner sees readers' comments too
    html = client.get(article.get_absolute_url()).content.decode()

    assert not DANGEROUS.search(live_markup(html)), DANGEROUS.search(live_markup(html))
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; printer" in html


def test_payloads_render_inert_in_search_results_snippets_panel_and_preview(client, agent, reviewer):
    joined = "\n\n".join(PAYLOADS)
    article = lifecycle.article_create(
        actor=agent, title="Printer <script>alert(1)</script>", body=f"printer jam {joined} printer", audience="public"
    )
    lifecycle.article_publish(actor=reviewer, article=article)
    client.force_login(agent)

    pages = [
        client.get("/knowledge/", {"q": "printer script alert"}).content.decode(),
        client.get("/knowledge/panel/", {"q": "printer alert"}).content.decode(),
        client.get("/knowledge/suggest/", {"q": "printer"}).content.decode(),
        client.post("/knowledge/preview/", {"body": joined}).content.decode(),
    ]
    for html in pages:
        assert not DANGEROUS.search(live_markup(html)), DANGEROUS.search(live_markup(html))


def test_search_snippets_contain_no_tags_but_our_marks(agent, reviewer):
    from knowledge import search
    from knowledge.models import Article

    article = lifecycle.article_create(
        actor=agent,
        title="Printer <b>bold</b>",
        body="The printer <em>jams</em> & stops. \ue000x\ue001",
        audience="public",
    )
    lifecycle.article_publish(actor=reviewer, article=article)

    hit = search.search("printer jams", Article.objects.all()).hits[0]

    tags = set(re.findall(r"</?([a-z]+)", str(hit.snippet) + str(hit.title_html)))
    assert tags <= {"mark"}
    assert "<mark>" in str(hit.snippet)
