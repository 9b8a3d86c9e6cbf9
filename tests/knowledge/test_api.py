"""/api/v1/knowledge/articles/: CRUD by rights, search, suggest, versions, diff, feedback, solved; in the schema."""

from __future__ import annotations

import pytest

from knowledge.choices import ArticleState
from knowledge.models import Article
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/knowledge/articles/"


def test_an_agent_creates_edits_submits_and_a_reviewer_publishes(agent_api, api_client, reviewer):
    created = agent_api.post(
        URL,
        {"title": "Scan to email", "body": "Badge in", "keywords": ["scan", "pdf"], "audience": "public"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    article_id = created.json()["id"]
    assert created.json()["state"] == "draft" and created.json()["keywords"] == ["scan", "pdf"]

    edited = agent_api.patch(f"{URL}{article_id}/", {"body": "Badge in, then **Scan to me**"}, format="json")
    assert edited.status_code == 200
    assert "<strong>Scan to me</strong>" in edited.json()["body_html"]
    assert agent_api.post(f"{URL}{article_id}/submit/").json()["state"] == "in_review"

    api_client.force_authenticate(reviewer)
    published = api_client.post(f"{URL}{article_id}/publish/", {"comment": "fine"}, format="json")
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert published.json()["version"] == 1


def test_bad_input_gets_400_with_field_errors(agent_api):
    response = agent_api.post(URL, {"title": "", "body": "x", "audience": "everyone", "services": [999]}, format="json")
    assert response.status_code == 400
    assert {"title", "audience", "services"} <= set(response.json()["errors"])


def test_rejecting_without_a_comment_is_a_400(api_client, agent, reviewer, make_article):
    article = make_article(publish=False)
    api_client.force_authenticate(agent)
    api_client.post(f"{URL}{article.pk}/submit/")
    api_client.force_authenticate(reviewer)
    response = api_client.post(f"{URL}{article.pk}/reject/", {"comment": ""}, format="json")
    assert response.status_code == 400 and "comment" in response.json()["errors"]


def test_searching_with_q_returns_ranked_highlighted_hits(agent_api, corpus):
    response = agent_api.get(URL, {"q": "pasword reset"})
    hits = response.json()["results"]
    assert response.status_code == 200
    assert hits[0]["article"]["slug"] == "kb-password-self-service"
    assert "<mark>" in hits[0]["snippet_html"] or "<mark>" in hits[0]["title_html"]


def test_the_list_filters_by_state_for_agents(agent_api, make_article):
    make_article(title="Live")
    make_article(title="Still a draft", publish=False)
    drafts = agent_api.get(URL, {"state": "draft"}).json()["results"]
    live = agent_api.get(URL).json()["results"]
    assert [a["title"] for a in drafts] == ["Still a draft"]
    assert [a["title"] for a in live] == ["Live"]


def test_the_list_runs_a_fixed_number_of_queries(agent_api, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = agent_api.get(URL, {"limit": 50})
    assert len(response.json()["results"]) == 47


def test_a_bad_filter_value_is_a_400(agent_api):
    response = agent_api.get(URL, {"state": "lost", "limit": 0})
    assert response.status_code == 400
    assert {"state", "limit"} <= set(response.json()["errors"])


def test_suggest_for_an_incident_and_for_typed_text(agent_api, corpus):
    incident = factories.make_incident(short_description="VPN keeps disconnecting", description="every few minutes")
    by_incident = agent_api.get(f"{URL}suggest/", {"incident": incident.number}).json()
    by_text = agent_api.get(f"{URL}suggest/", {"q": "mailbox is full"}).json()
    assert by_incident[0]["article"]["slug"] == "kb-vpn-drops"
    assert by_text[0]["article"]["slug"] == "kb-mailbox-full"


def test_versions_and_diff_of_an_edited_article(agent_api, public_article):
    agent_api.patch(f"{URL}{public_article.pk}/", {"body": "Open door C"}, format="json")

    versions = agent_api.get(f"{URL}{public_article.pk}/versions/").json()
    one = agent_api.get(f"{URL}{public_article.pk}/versions/1/").json()
    diff = agent_api.get(f"{URL}{public_article.pk}/diff/", {"a": 1, "b": 2}).json()

    assert [(v["number"], v["status"]) for v in versions] == [(2, "draft"), (1, "published")]
    assert one["body"] == public_article.body
    assert diff["changed_fields"] == ["body"] and "+Open door C" in diff["unified"]
    assert agent_api.get(f"{URL}{public_article.pk}/diff/").status_code == 400
    assert agent_api.get(f"{URL}{public_article.pk}/versions/7/").status_code == 404


def test_feedback_is_posted_by_readers_and_read_by_the_owner(api_client, requester, agent, public_article):
    api_client.force_authenticate(requester)
    posted = api_client.post(
        f"{URL}{public_article.pk}/feedback/", {"helpful": False, "comment": "Too short"}, format="json"
    )
    assert posted.status_code == 201

    api_client.force_authenticate(agent)  # the owner
    feedback = api_client.get(f"{URL}{public_article.pk}/feedback/").json()
    assert [(f["helpful"], f["comment"]) for f in feedback] == [(False, "Too short")]


def test_solved_links_an_incident_and_counts_it(agent_api, public_article, incident):
    response = agent_api.post(f"{URL}{public_article.pk}/solved/", {"incident": incident.number}, format="json")
    assert response.status_code == 200 and response.json()["solved_count"] == 1
    unknown = agent_api.post(f"{URL}{public_article.pk}/solved/", {"incident": "INC0000000"}, format="json")
    assert unknown.status_code == 400 and "incident" in unknown.json()["errors"]


def test_deleting_a_published_article_is_refused_and_a_draft_is_deleted(agent_api, make_article):
    published = make_article(title="Live")
    draft = make_article(title="Draft", publish=False)
    assert agent_api.delete(f"{URL}{published.pk}/").status_code == 403
    assert agent_api.delete(f"{URL}{draft.pk}/").status_code == 204
    assert list(Article.objects.values_list("state", flat=True)) == [ArticleState.PUBLISHED]


def test_requesters_get_a_trimmed_article_without_internal_fields(api_client, requester, public_article):
    api_client.force_authenticate(requester)
    data = api_client.get(f"{URL}{public_article.slug}/").json()
    assert data["title"] == public_article.title
    assert "owner" not in data and "working_version" not in data and "review_by" not in data


def test_the_openapi_schema_documents_the_knowledge_endpoints(agent_api):
    schema = agent_api.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in [
        "/api/v1/knowledge/articles/",
        "/api/v1/knowledge/articles/suggest/",
        "/api/v1/knowledge/articles/{id}/versions/",
        "/api/v1/knowledge/articles/{id}/feedback/",
        "/api/v1/knowledge/articles/{id}/publish/",
    ]:
        assert path in paths, path
