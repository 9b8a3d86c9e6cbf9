"""Pages: home, article, editor with preview, history and diff, review queue, panel and portal fragments."""

from __future__ import annotations

import pytest

from incidents import lifecycle as incident_lifecycle
from incidents.choices import ResolutionCode, State
from incidents.models import TimelineEntry
from knowledge import lifecycle
from knowledge.choices import ArticleState, VersionStatus
from knowledge.models import Article, ArticleIncidentLink
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_agent_home_shows_recent_helpful_and_browse_sections(client, agent, corpus, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(16):
        response = client.get("/knowledge/")
    html = response.content.decode()
    assert response.status_code == 200
    for heading in ["Recently updated", "Most helpful", "Browse", "Your articles"]:
        assert heading in html
    assert "Printing" in html  # a service to browse by


def test_searching_from_the_home_page_highlights_matches(client, agent, corpus):
    client.force_login(agent)
    html = client.get("/knowledge/", {"q": "vpn keeps disconnecting"}).content.decode()
    assert "<mark>VPN</mark> <mark>disconnects</mark> every few minutes" in html


def test_browsing_by_service_lists_its_articles(client, agent, corpus):
    client.force_login(agent)
    printing = Article.objects.get(slug="kb-printer-jam").services.get()
    html = client.get("/knowledge/", {"service": printing.pk}).content.decode()
    assert "Printer jams or feeds paper badly" in html
    assert "Connect to the VPN" not in html


def test_bad_filter_values_are_ignored_with_a_message_not_a_crash(client, agent, corpus):
    client.force_login(agent)
    response = client.get("/knowledge/", {"service": "nope", "page": "-3"})
    assert response.status_code == 200


def test_a_requester_reads_articles_in_the_portal_layout(client, requester, public_article):
    client.force_login(requester)
    html = client.get(public_article.get_absolute_url()).content.decode()
    assert "Help centre" in html  # templates/portal/base.html
    assert "Was this helpful?" in html


def test_reading_an_article_counts_a_view(client, requester, public_article):
    client.force_login(requester)
    client.get(public_article.get_absolute_url())
    client.get(public_article.get_absolute_url())
    public_article.refresh_from_db()
    assert public_article.view_count == 2


def test_a_reader_votes_and_the_owner_sees_the_comment(client, requester, agent, public_article):
    client.force_login(requester)
    response = client.post(
        f"{public_article.get_absolute_url()}feedback/", {"helpful": "no", "comment": "Door B is stuck"}
    )
    assert response.status_code == 302

    client.force_login(agent)
    html = client.get(public_article.get_absolute_url()).content.decode()
    assert "Door B is stuck" in html and "1 not helpful" in html


def test_an_agent_writes_a_draft_then_submits_it(client, agent):
    client.force_login(agent)
    response = client.post(
        "/knowledge/articles/new/",
        {"title": "Reset a voicemail PIN", "body": "Press **Messages**", "audience": "public", "action": "submit"},
    )
    article = Article.objects.get(title="Reset a voicemail PIN")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.state == ArticleState.IN_REVIEW


def test_the_editor_shows_field_errors_for_bad_input(client, agent):
    client.force_login(agent)
    response = client.post("/knowledge/articles/new/", {"title": "", "body": "", "audience": "nobody"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "body", "audience"}


def test_an_agent_cannot_publish_from_the_editor_but_a_reviewer_can(client, agent, reviewer):
    client.force_login(agent)
    client.post("/knowledge/articles/new/", {"title": "A", "body": "b", "audience": "public", "action": "publish"})
    assert not Article.objects.filter(title="A").exists()

    client.force_login(reviewer)
    client.post("/knowledge/articles/new/", {"title": "B", "body": "b", "audience": "public", "action": "publish"})
    assert Article.objects.get(title="B").state == ArticleState.PUBLISHED


def test_editing_a_published_article_in_the_editor_leaves_the_live_version(client, agent, public_article):
    client.force_login(agent)
    client.post(
        f"{public_article.get_absolute_url()}edit/",
        {"title": public_article.title, "body": "New steps", "audience": "public", "action": "save"},
    )
    public_article.refresh_from_db()
    assert public_article.body != "New steps"
    assert public_article.versions.get(number=2).status == VersionStatus.DRAFT
    assert "Version 2 is draft" in client.get(public_article.get_absolute_url()).content.decode()


def test_the_live_preview_renders_sanitised_markdown(client, agent):
    client.force_login(agent)
    html = client.post("/knowledge/preview/", {"body": "**bold** <script>x()</script>"}).content.decode()
    assert "<strong>bold</strong>" in html and "<script" not in html


def test_an_article_starts_from_an_incidents_resolution(client, agent, incident):
    incident_lifecycle.incident_transition(
        incident=incident,
        actor=agent,
        to_state=State.RESOLVED,
        resolution_code=ResolutionCode.FIXED,
        resolution_notes="Cleared the jam behind door B.",
    )
    client.force_login(agent)
    response = client.get("/knowledge/articles/new/", {"from_incident": incident.number.lower()})
    form = response.context["form"]
    assert form.initial["title"] == incident.short_description
    assert "Cleared the jam behind door B." in form.initial["body"]

    client.post(
        "/knowledge/articles/new/",
        {"title": "Door B jam", "body": form.initial["body"], "audience": "internal", "from_incident": incident.number},
    )
    assert Article.objects.get(title="Door B jam").source_incident == incident


def test_starting_from_an_unknown_incident_is_a_404(client, agent):
    client.force_login(agent)
    assert client.get("/knowledge/articles/new/", {"from_incident": "INC9999999"}).status_code == 404


def test_history_and_diff_show_escaped_changes_side_by_side(client, agent, reviewer, public_article):
    lifecycle.article_edit(
        actor=agent, article=public_article, title=public_article.title, body="Open door <C> & wait", audience="public"
    )
    client.force_login(agent)
    history = client.get(f"{public_article.get_absolute_url()}history/").content.decode()
    diff = client.get(f"{public_article.get_absolute_url()}diff/", {"a": 1, "b": 2}).content.decode()

    assert "v1" in history and "v2" in history
    assert "<ins>" in diff and "<del>" in diff
    assert "&lt;" in diff and "&amp;" in diff and "<C>" not in diff
    assert client.get(f"{public_article.get_absolute_url()}diff/", {"a": 1, "b": 9}).status_code == 404
    assert client.get(f"{public_article.get_absolute_url()}versions/1/").status_code == 200


def test_the_review_queue_lists_versions_waiting_and_a_reviewer_publishes_from_it(client, agent, reviewer):
    article = lifecycle.article_create(actor=agent, title="Queue me", body="b")
    lifecycle.article_submit(actor=agent, article=article)
    client.force_login(reviewer)

    assert "Queue me" in client.get("/knowledge/review/").content.decode()
    response = client.post(f"{article.get_absolute_url()}review/", {"decision": "approve", "next": "queue"})

    assert response["Location"] == "/knowledge/review/"
    article.refresh_from_db()
    assert article.state == ArticleState.PUBLISHED


def test_sending_back_without_a_comment_is_refused_with_a_message(client, agent, reviewer):
    article = lifecycle.article_create(actor=agent, title="Queue me", body="b")
    lifecycle.article_submit(actor=agent, article=article)
    client.force_login(reviewer)
    response = client.post(f"{article.get_absolute_url()}review/", {"decision": "reject"}, follow=True)
    assert "Say what needs to change." in response.content.decode()
    article.refresh_from_db()
    assert article.state == ArticleState.IN_REVIEW


def test_the_panel_suggests_articles_for_an_incident(client, agent, corpus, django_assert_max_num_queries):
    incident = factories.make_incident(short_description="Printer on floor 2 jams", description="Paper jam in tray 2")
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get("/knowledge/panel/", {"incident": incident.number})
    html = response.content.decode()
    assert "<html" not in html
    assert "/knowledge/articles/kb-printer-jam/" in html
    assert "This article solved it" in html
    assert f"?from_incident={incident.number}" in html


def test_the_panel_suggests_as_the_agent_types_with_the_form_field_names(client, agent, corpus):
    client.force_login(agent)
    html = client.get(
        "/knowledge/panel/", {"short_description": "vpn keeps dropping", "description": "globalprotect"}
    ).content.decode()
    assert "/knowledge/articles/kb-vpn-drops/" in html
    assert "This article solved it" not in html


def test_the_panel_for_an_unknown_incident_is_a_404(client, agent):
    client.force_login(agent)
    assert client.get("/knowledge/panel/", {"incident": "INC0000000"}).status_code == 404


def test_this_solved_it_links_the_article_and_refreshes_the_panel(client, agent, public_article):
    incident = factories.make_incident(short_description="Printer jam")
    client.force_login(agent)

    response = client.post(
        f"/knowledge/articles/{public_article.pk}/solved/", {"incident": incident.number}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Solved this incident" in response.content.decode()
    assert ArticleIncidentLink.objects.filter(article=public_article, incident=incident).exists()
    assert TimelineEntry.objects.filter(incident=incident, kind="knowledge").count() == 1


def test_this_solved_it_without_javascript_goes_back_to_the_incident(client, agent, public_article):
    incident = factories.make_incident(short_description="Printer jam")
    client.force_login(agent)
    response = client.post(f"/knowledge/articles/{public_article.pk}/solved/", {"incident": incident.number})
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()


def test_the_portal_suggestions_fragment_links_public_articles_only(
    client, requester, public_article, internal_article
):
    client.force_login(requester)
    html = client.get("/knowledge/suggest/", {"q": "print"}).content.decode()
    assert public_article.get_absolute_url() in html
    assert internal_article.title not in html
    assert "<html" not in html
