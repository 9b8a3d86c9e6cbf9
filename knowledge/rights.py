"""Who may do what with knowledge articles: the one module that pages and the API ask.

Built on incidents.permissions (is_agent, is_manager). Requesters only ever see published public articles; anything
else is a 404 to them, never a 403, so they cannot learn that an internal article exists.
"""

from __future__ import annotations

from django.db.models import QuerySet

from incidents.permissions import is_agent, is_manager
from knowledge.choices import REVIEWER_GROUP, ArticleState, Audience
from knowledge.models import Article


def is_reviewer(user) -> bool:
    """Managers, and agents in the knowledge_reviewer group, publish and retire articles."""
    if not is_agent(user):
        return False
    if is_manager(user):
        return True
    cached = getattr(user, "_kb_reviewer", None)
    if cached is None:
        cached = user.groups.filter(name=REVIEWER_GROUP).exists()
        user._kb_reviewer = cached
    return cached


def visible_articles(user, queryset: QuerySet | None = None) -> QuerySet:
    """Agents see every article (drafts too); requesters only published public ones; strangers nothing."""
    qs = queryset if queryset is not None else Article.objects.all()
    if is_agent(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()
    return qs.filter(state=ArticleState.PUBLISHED, audience=Audience.PUBLIC)


def can_view_article(user, article: Article) -> bool:
    if is_agent(user):
        return True
    if not user or not user.is_authenticated:
        return False
    return article.state == ArticleState.PUBLISHED and article.audience == Audience.PUBLIC


def can_create_article(user) -> bool:
    return is_agent(user)


def can_edit_article(user, article: Article | None = None) -> bool:
    """Any agent drafts and edits; a published article's edit becomes a new draft version."""
    return is_agent(user)


def can_publish(user, article: Article | None = None) -> bool:
    return is_reviewer(user)


def can_retire(user, article: Article | None = None) -> bool:
    return is_reviewer(user)


def can_confirm_review(user, article: Article) -> bool:
    """The owner or a reviewer confirms a published article is still accurate (a new review-by date)."""
    return is_reviewer(user) or (is_agent(user) and article.owner_id == user.pk)


def can_delete_article(user, article: Article) -> bool:
    """Only an article never published may be deleted (by its creator, owner or a reviewer); others are retired."""
    if not is_agent(user) or article.published_version_id is not None:
        return False
    return is_reviewer(user) or user.pk in {article.owner_id, article.created_by_id}


def can_see_history(user) -> bool:
    """Versions, diffs and review decisions are for agents."""
    return is_agent(user)


def can_see_feedback(user, article: Article) -> bool:
    """Owners (and reviewers) see votes and comments."""
    return is_reviewer(user) or (is_agent(user) and article.owner_id == user.pk)


def can_link_incident(user) -> bool:
    return is_agent(user)
