"""The article lifecycle: draft, review, publish, new versions, retire, feedback, incident links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from incidents.models import TimelineEntry
from knowledge import lifecycle
from knowledge.choices import ArticleState, Decision, VersionStatus
from knowledge.dates import add_months
from knowledge.errors import KnowledgeError
from knowledge.models import Article, ArticleReview, ArticleVersion
from tests import factories

pytestmark = pytest.mark.django_db


def edit(article, actor, **changes):
    fields = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "keywords": article.keywords,
        "audience": article.audience,
    }
    fields.update(changes)
    return lifecycle.article_edit(actor=actor, article=article, **fields)


def test_a_new_article_starts_as_a_draft_with_version_one(agent):
    article = lifecycle.article_create(actor=agent, title="  Reset   MFA ", body="Steps", keywords="MFA, 2FA, mfa")

    assert article.state == ArticleState.DRAFT
    assert article.title == "Reset MFA"
    assert article.keywords == "mfa, 2fa"
    assert article.owner == agent
    assert list(article.versions.values_list("number", "status")) == [(1, VersionStatus.DRAFT)]


def test_creating_an_article_without_title_or_body_is_refused_with_the_field(agent):
    with pytest.raises(KnowledgeError) as error:
        lifecycle.article_create(actor=agent, title=" ", body="x")
    assert error.value.field == "title"
    with pytest.raises(KnowledgeError) as error:
        lifecycle.article_create(actor=agent, title="t", body="  ")
    assert error.value.field == "body"


def test_a_requester_cannot_write_articles(requester):
    with pytest.raises(KnowledgeError) as error:
        lifecycle.article_create(actor=requester, title="t", body="b")
    assert error.value.code == "forbidden"


def test_slugs_are_unique_and_never_reserved_words(agent):
    first = lifecycle.article_create(actor=agent, title="New", body="b")
    second = lifecycle.article_create(actor=agent, title="New", body="b")
    numeric = lifecycle.article_create(actor=agent, title="123", body="b")

    assert first.slug == "article-new"
    assert second.slug == "article-new-2"
    assert numeric.slug == "article-123"


def test_a_reviewer_publishes_a_submitted_draft_with_a_review_date(agent, reviewer, settings):
    settings.KNOWLEDGE_REVIEW_MONTHS = 6
    article = lifecycle.article_create(actor=agent, title="VPN", body="Connect")
    lifecycle.article_submit(actor=agent, article=article)
    article.refresh_from_db()
    assert article.state == ArticleState.IN_REVIEW

    published = lifecycle.article_publish(actor=reviewer, article=article, comment="Looks right")

    assert published.state == ArticleState.PUBLISHED
    assert published.published_version.number == 1
    assert published.published_version.status == VersionStatus.PUBLISHED
    assert published.review_by == add_months(timezone.localdate(), 6)
    review = ArticleReview.objects.get(article=article)
    assert (review.decision, review.comment, review.reviewer) == (Decision.APPROVED, "Looks right", reviewer)


def test_an_agent_who_is_not_a_reviewer_cannot_publish(agent):
    article = lifecycle.article_create(actor=agent, title="VPN", body="Connect")
    lifecycle.article_submit(actor=agent, article=article)

    with pytest.raises(KnowledgeError) as error:
        lifecycle.article_publish(actor=agent, article=article)
    assert error.value.code == "forbidden"
    article.refresh_from_db()
    assert article.state == ArticleState.IN_REVIEW


def test_a_manager_may_publish_without_being_in_the_reviewer_group(agent, manager):
    article = lifecycle.article_create(actor=agent, title="VPN", body="Connect")

    lifecycle.article_publish(actor=manager, article=article)

    article.refresh_from_db()
    assert article.state == ArticleState.PUBLISHED


def test_editing_a_published_article_creates_a_draft_version_and_keeps_the_live_one(make_article, agent):
    article = make_article(title="Clear a jam", body="Open door B")

    version = edit(article, agent, body="Open door C", change_note="Door letter fixed")

    article.refresh_from_db()
    assert version.number == 2 and version.status == VersionStatus.DRAFT
    assert article.state == ArticleState.PUBLISHED
    assert article.body == "Open door B"
    assert article.published_version.number == 1


def test_publishing_the_new_version_replaces_the_live_content_and_keeps_the_old_version(make_article, agent, reviewer):
    article = make_article(title="Clear a jam", body="Open door B")
    edit(article, agent, title="Clear a paper jam", body="Open door C")
    lifecycle.article_submit(actor=agent, article=article)

    lifecycle.article_publish(actor=reviewer, article=article)

    article.refresh_from_db()
    assert (article.title, article.body, article.published_version.number) == ("Clear a paper jam", "Open door C", 2)
    old = article.versions.get(number=1)
    assert (old.status, old.body) == (VersionStatus.PUBLISHED, "Open door B")


def test_editing_twice_updates_the_same_working_version(make_article, agent):
    article = make_article()
    edit(article, agent, body="one")
    edit(article, agent, body="two")

    assert article.versions.count() == 2
    assert article.versions.get(number=2).body == "two"


def test_editing_a_version_in_review_takes_it_back_to_draft(make_article, agent):
    article = make_article()
    edit(article, agent, body="one")
    lifecycle.article_submit(actor=agent, article=article)

    version = edit(article, agent, body="two")

    assert version.status == VersionStatus.DRAFT and version.submitted_at is None


def test_a_published_version_can_never_be_changed_by_code_or_sql(make_article):
    article = make_article()
    version = article.published_version
    version.body = "rewritten"

    with pytest.raises(PermissionDenied):
        version.save()
    with pytest.raises(InternalError), transaction.atomic():
        ArticleVersion.objects.filter(pk=version.pk).update(body="rewritten")
    assert ArticleVersion.objects.get(pk=version.pk).body != "rewritten"


def test_only_one_working_version_exists_per_article(make_article):
    article = make_article()
    ArticleVersion.objects.create(article=article, number=2, title="a", body="b")

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.create(article=article, number=3, title="a", body="b")


def test_sending_back_needs_a_comment_and_returns_the_version_to_draft(agent, reviewer):
    article = lifecycle.article_create(actor=agent, title="VPN", body="Connect")
    lifecycle.article_submit(actor=agent, article=article)

    with pytest.raises(KnowledgeError) as error:
        lifecycle.article_reject(actor=reviewer, article=article, comment=" ")
    assert error.value.field == "comment"

    review = lifecycle.article_reject(actor=reviewer, article=article, comment="Add the Mac steps")

    article.refresh_from_db()
    assert article.state == ArticleState.DRAFT
    assert article.versions.get().status == VersionStatus.DRAFT
    assert (review.decision, review.comment) == (Decision.REJECTED, "Add the Mac steps")


def test_retiring_hides_the_article_and_publishing_again_restores_the_last_version(make_article, reviewer):
    article = make_article()

    lifecycle.article_retire(actor=reviewer, article=article, comment="Service decommissioned")
    article.refresh_from_db()
    assert article.state == ArticleState.RETIRED

    lifecycle.article_publish(actor=reviewer, article=article)
    article.refresh_from_db()
    assert article.state == ArticleState.PUBLISHED and article.published_version.number == 1


def test_a_draft_cannot_be_retired(agent, reviewer):
    article = lifecycle.article_create(actor=agent, title="VPN", body="Connect")
    with pytest.raises(KnowledgeError):
        lifecycle.article_retire(actor=reviewer, article=article)


def test_discarding_a_pending_edit_keeps_it_in_history_and_the_live_content_unchanged(make_article, agent):
    article = make_article(body="live")
    edit(article, agent, body="abandoned")

    lifecycle.article_discard_draft(actor=agent, article=article)

    assert article.versions.get(number=2).status == VersionStatus.DISCARDED
    article.refresh_from_db()
    assert article.body == "live"


def test_only_never_published_articles_can_be_deleted(make_article, agent):
    draft = make_article(publish=False)
    published = make_article(title="Other")

    lifecycle.article_delete(actor=agent, article=draft)
    assert not Article.objects.filter(pk=draft.pk).exists()
    with pytest.raises(KnowledgeError):
        lifecycle.article_delete(actor=agent, article=published)


def test_confirming_a_review_moves_the_review_date_without_a_new_version(make_article, agent):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(review_by=timezone.localdate() - timedelta(days=3))

    lifecycle.article_confirm_review(actor=agent, article=article, comment="Still right")

    article.refresh_from_db()
    assert article.review_by > timezone.localdate()
    assert article.versions.count() == 1
    assert article.reviews.filter(decision=Decision.REVIEWED).exists()


def test_someone_who_does_not_own_it_and_is_not_a_reviewer_cannot_confirm_it(make_article):
    article = make_article()
    other = factories.AgentFactory(username="other")
    with pytest.raises(KnowledgeError):
        lifecycle.article_confirm_review(actor=other, article=article)


def test_feedback_counts_votes_and_a_second_vote_replaces_the_first(public_article, requester):
    lifecycle.article_feedback(actor=requester, article=public_article, helpful=True)
    lifecycle.article_feedback(actor=requester, article=public_article, helpful=False, comment="Door B is locked")

    public_article.refresh_from_db()
    assert (public_article.helpful_count, public_article.not_helpful_count) == (0, 1)
    assert public_article.feedback.get().comment == "Door B is locked"


def test_views_are_counted_with_a_single_update(public_article, django_assert_num_queries):
    with django_assert_num_queries(1):
        lifecycle.article_record_view(public_article.pk)
    public_article.refresh_from_db()
    assert public_article.view_count == 1


def test_this_article_solved_it_links_once_counts_and_writes_the_timeline(public_article, incident, agent):
    link, created = lifecycle.article_link_incident(actor=agent, article=public_article, incident=incident)
    _, again = lifecycle.article_link_incident(actor=agent, article=public_article, incident=incident)

    public_article.refresh_from_db()
    assert created and not again
    assert public_article.solved_count == 1
    entry = TimelineEntry.objects.get(incident=incident, kind="knowledge")
    assert entry.actor == agent and entry.data["article_id"] == public_article.pk
    assert public_article.title in entry.body


def test_a_draft_cannot_be_linked_to_an_incident(draft_article, incident, agent):
    with pytest.raises(KnowledgeError):
        lifecycle.article_link_incident(actor=agent, article=draft_article, incident=incident)
