"""Rights: requesters never see internal, draft, in-review or retired articles, by page or API (always 404)."""

from __future__ import annotations

import pytest

from knowledge import lifecycle
from knowledge.choices import Audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_articles(make_article, agent, reviewer):
    """Articles a requester must never see, whatever the door."""
    internal = make_article(title="Printer internal runbook", audience=Audience.INTERNAL)
    draft = make_article(title="Printer draft notes", publish=False)
    in_review = make_article(title="Printer review pending", publish=False)
    lifecycle.article_submit(actor=agent, article=in_review)
    retired = make_article(title="Printer retired article")
    lifecycle.article_retire(actor=reviewer, article=retired)
    return [internal, draft, in_review, retired]


def test_a_requester_gets_404_for_every_hidden_article_page(client, requester, hidden_articles):
    client.force_login(requester)
    for article in hidden_articles:
        assert client.get(article.get_absolute_url()).status_code == 404, article.title
        assert client.post(f"{article.get_absolute_url()}feedback/", {"helpful": "yes"}).status_code == 404


def test_a_requester_gets_404_for_every_hidden_article_in_the_api(api_client, requester, hidden_articles):
    api_client.force_authenticate(requester)
    for article in hidden_articles:
        assert api_client.get(f"/api/v1/knowledge/articles/{article.pk}/").status_code == 404
        assert api_client.get(f"/api/v1/knowledge/articles/{article.slug}/").status_code == 404
        assert (
            api_client.post(f"/api/v1/knowledge/articles/{article.pk}/feedback/", {"helpful": True}).status_code == 404
        )


def test_hidden_articles_never_appear_in_a_requesters_search_or_suggestions(
    client, api_client, requester, hidden_articles, public_article
):
    client.force_login(requester)
    api_client.force_authenticate(requester)

    page = client.get("/knowledge/", {"q": "printer"}).content.decode()
    fragment = client.get("/knowledge/suggest/", {"q": "printer"}).content.decode()
    listed = api_client.get("/api/v1/knowledge/articles/", {"q": "printer"}).json()["results"]
    browsed = api_client.get("/api/v1/knowledge/articles/", {"state": "any"}).json()["results"]
    internal = api_client.get("/api/v1/knowledge/articles/", {"audience": "internal"}).json()["results"]
    suggested = api_client.get("/api/v1/knowledge/articles/suggest/", {"q": "printer"}).json()

    for article in hidden_articles:
        assert article.title not in page and article.title not in fragment
    assert [hit["article"]["id"] for hit in listed] == [public_article.pk]
    assert [a["id"] for a in browsed] == [public_article.pk]
    assert internal == []
    assert [hit["article"]["id"] for hit in suggested] == [public_article.pk]


def test_a_requester_reads_a_public_published_article(client, requester, public_article):
    client.force_login(requester)
    response = client.get(public_article.get_absolute_url())
    assert response.status_code == 200
    assert public_article.title in response.content.decode()


def test_a_requester_cannot_reach_agent_pages_or_write_through_the_api(client, api_client, requester, public_article):
    client.force_login(requester)
    api_client.force_authenticate(requester)
    for url in [
        "/knowledge/articles/new/",
        f"{public_article.get_absolute_url()}edit/",
        f"{public_article.get_absolute_url()}history/",
        f"{public_article.get_absolute_url()}diff/",
        "/knowledge/review/",
        "/knowledge/panel/?q=printer",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post("/knowledge/preview/", {"body": "x"}).status_code == 404
    assert api_client.post("/api/v1/knowledge/articles/", {"title": "t", "body": "b"}, format="json").status_code == 404
    assert (
        api_client.patch(f"/api/v1/knowledge/articles/{public_article.pk}/", {"body": "x"}, format="json").status_code
        == 404
    )
    assert api_client.get(f"/api/v1/knowledge/articles/{public_article.pk}/versions/").status_code == 404
    assert api_client.get(f"/api/v1/knowledge/articles/{public_article.pk}/feedback/").status_code == 403


def test_an_agent_sees_internal_and_draft_articles(client, agent, hidden_articles):
    client.force_login(agent)
    for article in hidden_articles:
        assert client.get(article.get_absolute_url()).status_code == 200


def test_an_agent_who_is_not_a_reviewer_cannot_publish_or_retire(
    client, api_client, agent, draft_article, public_article
):
    client.force_login(agent)
    api_client.force_authenticate(agent)

    assert client.post(f"{draft_article.get_absolute_url()}review/", {"decision": "approve"}).status_code == 403
    assert client.post(f"{public_article.get_absolute_url()}retire/").status_code == 403
    assert client.get("/knowledge/review/").status_code == 403
    assert api_client.post(f"/api/v1/knowledge/articles/{draft_article.pk}/publish/").status_code == 403
    assert api_client.post(f"/api/v1/knowledge/articles/{public_article.pk}/retire/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in_and_the_api_refuses_them(client, api_client, public_article):
    assert client.get(public_article.get_absolute_url()).status_code == 302
    assert client.get("/knowledge/suggest/?q=printer").status_code == 302
    assert api_client.get("/api/v1/knowledge/articles/").status_code in (401, 403)
